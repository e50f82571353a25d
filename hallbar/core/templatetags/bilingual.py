"""Template filters for texts in two languages and for country names.

``{{ item|tr:"title" }}`` prints the title in the reader's language, or a marker saying that it
is not written in that language yet; ``{{ "BD"|country }}`` names a country in that language.
"""

from django import template

from hallbar.core.bilingual import Missing, translated
from hallbar.core.countries import country_name

register = template.Library()


@register.filter
def tr(obj, field: str):
    value = translated(obj, field)
    return value.html() if isinstance(value, Missing) else value


@register.filter
def country(code: str) -> str:
    return country_name(code)
