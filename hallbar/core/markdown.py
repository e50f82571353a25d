"""Markdown as HTML, in one place: the project's own documents and the text people author.

- ``render_markdown``: the project's own documents (docs/). Raw HTML in them is not passed
  through (``html`` off): the output is only what Markdown itself makes, with tables.
- ``render_authored``: text written on the platform (lessons, and any other authored text).
  markdown-it-py passes raw HTML and every link through, and nh3 then keeps only an allow-list of
  tags, attributes and URL schemes: a script is removed with its content, event attributes and
  other tags are dropped, and a javascript: link loses its target. One sanitiser decides, so
  nothing depends on what the Markdown parser happens to escape. Links are kept (http, https,
  mailto and the platform's own paths) and get rel="noopener noreferrer".
"""

from functools import cache
from pathlib import Path

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    """Return the HTML of one of the project's documents (raw HTML in it is escaped)."""
    return mark_safe(_parser().render(text))  # noqa: S308 - markdown-it escapes raw HTML


class _PermissiveLinks(MarkdownIt):
    """MarkdownIt that accepts every link: nh3 judges the links below."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it-py's name
        return True


@cache
def _authored_parser() -> MarkdownIt:
    return _PermissiveLinks("commonmark", {"html": True}).enable("table")


AUTHORED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "img",
}  # fmt: skip
AUTHORED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}}


def render_authored(text: str) -> SafeString:
    """Return the sanitised HTML of authored Markdown; its headings start at h2 (the page's h1
    is the title of what it belongs to)."""
    html = _authored_parser().render(text or "")
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    clean = nh3.clean(
        html,
        tags=AUTHORED_TAGS,
        attributes=AUTHORED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def document_for_language(name: str, language: str) -> tuple[Path, str]:
    """Return the document docs/<name>.<language>.md if it exists, else docs/<name>.md, with
    the language it is written in (the untranslated original is in English)."""
    docs = Path(settings.BASE_DIR) / "docs"
    translated = docs / f"{name}.{language}.md"
    if language != "en" and translated.is_file():
        return translated, language
    return docs / f"{name}.md", "en"
