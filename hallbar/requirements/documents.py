"""The Code of Conduct and the contract clause as files for tender documents: PDF and Word.

A version is first laid out as plain blocks (headings, paragraphs, list items) in one language,
from the Swedish or the English texts; a text not written in that language yet reads as the
marker ("No English text yet"), never as the other language. The PDF is that layout as HTML
printed by WeasyPrint, the Word file the same blocks written with python-docx.
"""

from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallbar.core.bilingual import translated
from hallbar.requirements.models import CodeOfConduct, ContractClause, LibraryVersion

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "subheading", "paragraph", "item", "note"
    text: str


def _text(obj, field: str, language: str) -> str:
    return str(translated(obj, field, language))


def _paragraphs(text: str) -> list[Block]:
    return [Block("paragraph", line.strip()) for line in text.splitlines() if line.strip()]


def _version_note(version: LibraryVersion) -> Block:
    if version.published_at:
        return Block(
            "note",
            _("Version %(version)s, published %(date)s")
            % {
                "version": version.version_label,
                "date": formats.date_format(version.published_at.date(), "DATE_FORMAT"),
            },
        )
    return Block("note", _("Version %(version)s (draft)") % {"version": version.version_label})


def _code_blocks(code: CodeOfConduct, language: str) -> list[Block]:
    blocks = [Block("title", _text(code, "title", language)), _version_note(code)]
    blocks += _paragraphs(_text(code, "introduction", language))
    blocks.append(Block("heading", _("The supplier's commitments")))
    for label, commitments in code.commitments_by_area():
        blocks.append(Block("subheading", str(label).capitalize()))
        blocks += [Block("item", _text(c, "text", language)) for c in commitments]
    blocks.append(Block("heading", _("Instruments cited")))
    blocks += [
        Block("item", f"{_text(i, 'reference', language)}: {_text(i, 'title', language)}")
        for i in code.instruments.all()
    ]
    blocks.append(Block("heading", _("Zero-tolerance deviations")))
    for item in code.zero_tolerance_items.all():
        description = _text(item, "description", language)
        title = _text(item, "title", language)
        blocks.append(Block("item", f"{title}: {description}" if description else title))
    return blocks


def _clause_blocks(clause: ContractClause, language: str) -> list[Block]:
    blocks = [Block("title", _text(clause, "title", language)), _version_note(clause)]
    blocks += _paragraphs(_text(clause, "introduction", language))
    blocks.append(Block("heading", _("Process requirements")))
    for pr in clause.process_requirements.all():
        blocks.append(Block("subheading", f"{pr.code} {_text(pr, 'title', language)}"))
        blocks.append(Block("paragraph", _("Basic level") + ":"))
        blocks += _paragraphs(_text(pr, "basic_text", language))
        blocks.append(Block("paragraph", _("Advanced level") + ":"))
        blocks += _paragraphs(_text(pr, "advanced_text", language))
    blocks.append(Block("heading", _("Reporting duty")))
    blocks.append(
        Block(
            "paragraph",
            ngettext(
                "A suspected zero-tolerance deviation is reported to the buyer within %(days)s day.",
                "A suspected zero-tolerance deviation is reported to the buyer within %(days)s days.",
                clause.reporting_days,
            )
            % {"days": clause.reporting_days},
        )
    )
    blocks += _paragraphs(_text(clause, "reporting_text", language))
    blocks.append(Block("heading", _("The buyer's right to follow up")))
    blocks += _paragraphs(_text(clause, "follow_up_text", language))
    blocks.append(Block("heading", _("Sanctions")))
    blocks.append(
        Block(
            "paragraph",
            _("Liquidated damages: %(sek)s kr per started week, at most %(weeks)s weeks")
            % {
                "sek": formats.number_format(clause.vite_per_week_sek, force_grouping=True),
                "weeks": clause.vite_cap_weeks,
            },
        )
    )
    blocks += _paragraphs(_text(clause, "sanctions_text", language))
    blocks.append(Block("subheading", _("Termination")))
    blocks += _paragraphs(_text(clause, "termination_text", language))
    blocks.append(Block("subheading", _("Immediate termination for zero-tolerance deviations")))
    blocks += _paragraphs(_text(clause, "immediate_termination_text", language))
    return blocks


def document_blocks(version: LibraryVersion, language: str) -> list[Block]:
    """Return the version laid out in language ("sv" or "en")."""
    with translation.override(language):
        if isinstance(version, CodeOfConduct):
            return _code_blocks(version, language)
        if isinstance(version, ContractClause):
            return _clause_blocks(version, language)
    raise TypeError(f"{type(version).__name__} is not downloadable")


def as_pdf(version: LibraryVersion, language: str) -> bytes:
    from weasyprint import HTML

    blocks = document_blocks(version, language)
    html = render_to_string(
        "requirements/document.html",
        {"blocks": blocks, "language": language, "title": blocks[0].text},
    )
    return HTML(string=html).write_pdf()


def as_docx(version: LibraryVersion, language: str) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.language = "sv-SE" if language == "sv" else "en-GB"
    blocks = document_blocks(version, language)
    document.core_properties.title = blocks[0].text
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "subheading":
            document.add_heading(block.text, level=2)
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "note":
            document.add_paragraph().add_run(block.text).italic = True
        else:
            document.add_paragraph(block.text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def filename(version: LibraryVersion, language: str, file_format: str) -> str:
    stem = "code-of-conduct" if isinstance(version, CodeOfConduct) else "contract-clause"
    if language == "sv":
        stem = "uppforandekod" if isinstance(version, CodeOfConduct) else "kontraktsvillkor"
    return f"{stem}-{version.version_label}-{language}.{file_format}"
