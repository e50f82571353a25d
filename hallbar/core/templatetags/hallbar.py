"""Template helpers used across apps."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from hallbar.core.import_summary import summary_lines

register = template.Library()


@register.filter
def sek(value) -> str:
    """Format whole kronor with thin grouping, e.g. 10 452 326 kr; empty values as a dash."""
    if value is None or value == "":
        return "–"
    return f"{number_format(int(value), force_grouping=True)} kr"


@register.filter
def signed_sek(value) -> str:
    """Format a difference in whole kronor with its sign, e.g. +1 200 kr, -636 kr, 0 kr."""
    if value is None or value == "":
        return "–"
    sign = "+" if int(value) > 0 else ""
    return f"{sign}{number_format(int(value), force_grouping=True)} kr"


@register.filter
def kronor(value) -> str:
    """Format an exact amount with its öre, e.g. 12 450,50 kr; empty values as a dash."""
    if value is None or value == "":
        return "–"
    return f"{number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)} kr"


@register.filter
def decimal2(value) -> str:
    """Format a number with two decimals for the language (1,00 in Swedish); a dash if empty."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)


@register.filter
def grouped(value) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """Return the current query string with kwargs replaced (for sort, filter and page links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def import_summary(summary) -> list[tuple[str, str]]:
    """Return an import summary as (label, value) pairs, formatted for the language."""
    return summary_lines(summary or {})
