"""Country names in the reader's language, from pycountry's own translations.

pycountry ships the ISO 3166-1 names as a gettext catalogue (domain ``iso3166-1``) per language.
Every page, export and mail that names a country calls :func:`country_name`, so a country is
called the same everywhere and Swedish pages never show the English name.
"""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str | None, language: str | None = None) -> str:
    """Return the name of the country with this ISO 3166-1 alpha-2 code in the language
    (default: the active one); the common name where ISO's is formal ("Sydkorea", "Bolivia").
    An unknown code is returned as it is."""
    code = (code or "").strip().upper()
    if code == "XK":  # user-assigned, not in ISO 3166-1: the same name in both languages
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    language = (language or get_language() or "sv").split("-")[0].lower()
    if language == "en":
        return name
    return _catalogue(language).gettext(name)


def country_names(codes, language: str | None = None) -> list[str]:
    """Return the names of the countries with these codes, in the same order."""
    return [country_name(code, language) for code in codes or []]
