"""Render the project's own Markdown documents (docs/) as HTML for a page.

The documents are ours, but raw HTML in them is still not passed through (``html`` off): the
output is only what Markdown itself makes, with GitHub-style tables.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    """Return the HTML of a Markdown text (raw HTML in it is escaped, not rendered)."""
    return mark_safe(_parser().render(text))  # noqa: S308 - markdown-it escapes raw HTML


def document_for_language(name: str, language: str) -> tuple[Path, str]:
    """Return the document docs/<name>.<language>.md if it exists, else docs/<name>.md, with
    the language it is written in (the untranslated original is in English)."""
    docs = Path(settings.BASE_DIR) / "docs"
    translated = docs / f"{name}.{language}.md"
    if language != "en" and translated.is_file():
        return translated, language
    return docs / f"{name}.md", "en"
