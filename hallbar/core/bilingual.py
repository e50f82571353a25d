"""Text people author in two languages: a Swedish field ``name`` and an English one ``name_en``.

What a reader sees is the text in their language (the active one, which the preferred-language
middleware sets for a signed-in person). A text not written in that language yet is never
replaced by the other language: it is shown as missing, in the reader's language.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

SWEDISH = "sv"
ENGLISH = "en"
MISSING = {
    SWEDISH: gettext_noop("No Swedish text yet"),
    ENGLISH: gettext_noop("No English text yet"),
}


def current_language() -> str:
    """Return the active language as one of ours ("sv" or "en")."""
    language = (translation.get_language() or SWEDISH).split("-")[0]
    return ENGLISH if language == ENGLISH else SWEDISH


def field_for(field: str, language: str) -> str:
    """Return the model field holding field's text in language."""
    return field if language == SWEDISH else f"{field}_{language}"


def text_in(obj: object, field: str, language: str | None = None) -> str:
    """Return obj's text of field in language (the active one by default); "" if not written."""
    return getattr(obj, field_for(field, language or current_language()), "") or ""


@dataclass(frozen=True)
class Missing:
    """A text not written in the requested language yet; reads as the marker in that language."""

    language: str

    def __str__(self) -> str:
        with translation.override(self.language):
            return gettext(MISSING[self.language])

    def __bool__(self) -> bool:
        return True

    def html(self) -> SafeString:
        return format_html(
            '<span class="missing-translation" data-missing-translation="{}">{}</span>',
            self.language,
            str(self),
        )


def translated(obj: object, field: str, language: str | None = None) -> "str | Missing":
    """Return obj's field in language, Missing when only the other language has a text, and ""
    when neither has one."""
    language = language or current_language()
    value = text_in(obj, field, language)
    if value:
        return value
    other = ENGLISH if language == SWEDISH else SWEDISH
    return Missing(language) if text_in(obj, field, other) else ""


def plain(value: "str | Missing") -> str:
    """Return the text or the marker as plain text (files, mails, diffs)."""
    return str(value)
