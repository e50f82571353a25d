"""Lessons are written in Markdown and rendered safely: markdown-it-py, then nh3.

markdown-it-py passes raw HTML and every link through, and nh3 then keeps only an allow-list of
tags, attributes and URL schemes: a script is removed with its content, event attributes and
other tags are dropped, and a javascript: link loses its target. One sanitiser decides, so
nothing depends on what the Markdown parser happens to escape. Links are kept (http, https, mailto
and the platform's own paths) and get rel="noopener noreferrer".
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


class _PermissiveLinks(MarkdownIt):
    """MarkdownIt that accepts every link: nh3 judges the links below."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it-py's name
        return True


_md = _PermissiveLinks("commonmark", {"html": True}).enable("table")

TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    # Headings start at h2: the page's h1 is the lesson's title.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
