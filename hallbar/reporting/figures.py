"""The year's figures, national or for one region, computed from live data.

This module is the one place figures are defined: dashboards, the annual report, strategy
indicators, open data and the regions' digest all read them from `year_figures`. Each figure has
a stable key, a translated label, and its definition in words (shown beside it). Reporting only
reads: nothing here writes to the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from hallbar.followups.models import FollowUp
from hallbar.organisations.models import Region

Number = int | Decimal | None


class Unit:
    COUNT = "count"
    SEK = "sek"
    DAYS = "days"
    PERCENT = "percent"
    SEK_PER_INHABITANT = "sek_per_inhabitant"


@dataclass(frozen=True)
class Definition:
    key: str
    label: str  # lazy translation
    definition: str  # lazy translation: how the figure is computed, in words
    unit: str = Unit.COUNT


@dataclass(frozen=True)
class Figure:
    """One figure of a year: its value for the scope, and the national value beside it."""

    key: str
    label: str
    definition: str
    unit: str
    value: Number
    national: Number = None  # set on a region's figures; None on the national ones


@dataclass(frozen=True)
class Breakdown:
    """A table behind a chart: rows of (label, value), with the figure's definition."""

    key: str
    title: str
    definition: str
    unit: str
    rows: list[tuple[str, Number]] = field(default_factory=list)


@dataclass(frozen=True)
class YearFigures:
    year: int
    region: Region | None
    figures: list[Figure]
    breakdowns: list[Breakdown]

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def value(self, key: str) -> Number:
        return self.figure(key).value

    def breakdown(self, key: str) -> Breakdown:
        for breakdown in self.breakdowns:
            if breakdown.key == key:
                return breakdown
        raise KeyError(key)


DEFINITIONS: dict[str, Definition] = {}


def _define(key: str, label, definition, unit: str = Unit.COUNT) -> Definition:
    DEFINITIONS[key] = Definition(key, label, definition, unit)
    return DEFINITIONS[key]


def _cases(year: int, region: Region | None):
    cases = FollowUp.objects.filter(year=year)
    if region is not None:
        cases = cases.filter(contracts__regions=region).distinct()
    return cases


_define(
    "followups_total",
    _("Follow-ups in the year"),
    _("Follow-up cases of the year, of every type and status."),
)
_define(
    "summaries_published",
    _("Summaries published"),
    _("Follow-ups of the year whose anonymised summary has been published."),
)

COMPUTE: dict[str, Callable[[int, Region | None], Number]] = {
    "followups_total": lambda year, region: _cases(year, region).count(),
    "summaries_published": lambda year, region: (
        _cases(year, region).filter(published_at__isnull=False).count()
    ),
}


def year_figures(year: int, region: Region | None = None) -> YearFigures:
    """Return every figure of year, for region (with the national value beside) or national."""
    figures = []
    for key, definition in DEFINITIONS.items():
        compute = COMPUTE[key]
        value = compute(year, region)
        national = compute(year, None) if region is not None else None
        figures.append(
            Figure(
                key=key,
                label=str(definition.label),
                definition=str(definition.definition),
                unit=definition.unit,
                value=value,
                national=national,
            )
        )
    return YearFigures(year=year, region=region, figures=figures, breakdowns=[])
