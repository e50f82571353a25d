"""Figures written for the reader's language: grouping, decimal mark and unit.

The one formatting of a figure: the dashboards, the annual report (page and PDF), the digest
and the exports all show a figure through `format_figure`, so it reads the same everywhere.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallbar.reporting.figures import Number, Unit


def _decimals(value: Decimal | int, most: int) -> int:
    """Return how many decimals to show: none for a whole number, else most."""
    return 0 if Decimal(value) == Decimal(value).to_integral_value() else most


def format_figure(value: Number, unit: str) -> str:
    """Return value in the active language with its unit (a dash when there is no value)."""
    if value is None:
        return "–"
    if unit == Unit.PERCENT:
        return f"{number_format(Decimal(value), decimal_pos=1, force_grouping=True)} %"
    if unit == Unit.SEK:
        text = number_format(value, decimal_pos=_decimals(value, 2), force_grouping=True)
        return f"{text} kr"
    if unit == Unit.SEK_PER_INHABITANT:
        text = number_format(Decimal(value), decimal_pos=2, force_grouping=True)
        return _("%(amount)s kr per inhabitant") % {"amount": text}
    if unit == Unit.DAYS:
        text = number_format(value, decimal_pos=_decimals(value, 1), force_grouping=True)
        count = int(Decimal(value).to_integral_value())
        return ngettext("%(days)s day", "%(days)s days", count) % {"days": text}
    return number_format(value, decimal_pos=_decimals(value, 2), force_grouping=True)


def unit_word(unit: str) -> str:
    """Return the unit of a column of figures, for an export's header."""
    return {
        Unit.PERCENT: "%",
        Unit.SEK: "kr",
        Unit.SEK_PER_INHABITANT: _("kr per inhabitant"),
        Unit.DAYS: _("days"),
    }.get(unit, _("count"))
