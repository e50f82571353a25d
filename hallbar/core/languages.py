"""Each reader's language: the signed-in person's preferred language decides their pages.

Core knows no user model field: the organisations app registers how to read and save a person's
preferred language (``register_language_preference``), so the middleware and the language switch
here stay free of app imports.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import translation

_reader: Callable[[Any], str] = lambda user: ""  # noqa: E731
_saver: Callable[[Any, str], object] | None = None


def register_language_preference(
    *, read: Callable[[Any], str], save: Callable[[Any, str], object]
) -> None:
    """Register how to read a user's preferred language ("" if none) and how to save one."""
    global _reader, _saver
    _reader, _saver = read, save


def preferred_language(user: Any) -> str:
    """Return user's preferred language code, or "" when none is chosen (or anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return _reader(user) or ""


def save_preferred_language(user: Any, language: str) -> None:
    if _saver is not None and getattr(user, "is_authenticated", False):
        _saver(user, language)


class PreferredLanguageMiddleware:
    """Activate the signed-in person's preferred language, over the browser's and the cookie's.

    Runs after the authentication middleware; a person without a preference keeps what
    LocaleMiddleware chose. The supplier abroad reads the portal in English on any browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        language = preferred_language(getattr(request, "user", None))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
