"""Progress towards the strategy goals: each indicator's figure for a year against its target.

`goal_progress(year, region=None)` returns, for every strategy period active in year, each goal
with its indicators: the figure's value (from `figures.year_figures`), the year's target, whether
it is met, and the values of the period's earlier years. The template partial
`reporting/partials/goal_progress.html` shows it (context variable ``progress``).

How an indicator is judged (the targets are national, so a region's page judges the national
value and shows the region's beside it):
- a year that is over: *met* when the value reaches the target (at least it, or at most it
  when lower is better), else *not met*;
- the current year: counts and amounts grow through the year, so their value is projected to
  the whole year (value ÷ share of the year gone). Higher is better: *met* once the value reaches
  the target, else *on track* when the projection does, else *behind*. Lower is better: *not
  met* once the value passes the target, else *on track* when the projection stays within it,
  else *behind*. Shares, days and per-inhabitant figures are not projected;
- a year that has not begun: *not begun*.
An indicator whose figure is no longer defined is left out (with a logged warning).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.core.charts import Bar, bar_chart
from hallbar.organisations.models import Region
from hallbar.reporting.figures import DEFINITIONS, Number, Unit, YearFigures, year_figures
from hallbar.reporting.models import Direction, Goal, Indicator, StrategyPeriod

logger = logging.getLogger(__name__)

# Units whose value adds up through the year (projected in the current year).
CUMULATIVE_UNITS = {Unit.COUNT, Unit.SEK}


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MET = "not_met"
    NOT_BEGUN = "not_begun"
    NO_VALUE = "no_value"
    NO_TARGET = "no_target"


STATUS_LABELS = {
    Status.MET: gettext_lazy("met"),
    Status.ON_TRACK: gettext_lazy("on track"),
    Status.BEHIND: gettext_lazy("behind"),
    Status.NOT_MET: gettext_lazy("not met"),
    Status.NOT_BEGUN: gettext_lazy("the year has not begun"),
    Status.NO_VALUE: gettext_lazy("no value"),
    Status.NO_TARGET: gettext_lazy("no target for the year"),
}
# The badge each status wears (the word is always beside the colour).
STATUS_BADGES = {
    Status.MET: "badge--ok",
    Status.ON_TRACK: "badge--ok",
    Status.BEHIND: "badge--warn",
    Status.NOT_MET: "badge--bad",
}


def _reaches(value: Decimal, target: Decimal, direction: str) -> bool:
    return value <= target if direction == Direction.LOWER else value >= target


def year_share(day: date) -> Decimal:
    """Return the share of day's year that has gone by at the end of day (0 < share <= 1)."""
    first = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - first).days
    return Decimal((day - first).days + 1) / Decimal(length)


def assess(
    value: Number, target: Decimal | None, *, direction: str, unit: str, year: int, today: date
) -> str:
    """Return the status of value against target in year, as the module docstring describes."""
    if target is None:
        return Status.NO_TARGET
    if year > today.year:
        return Status.NOT_BEGUN
    if value is None:
        return Status.NO_VALUE
    value = Decimal(value)
    if year < today.year:
        return Status.MET if _reaches(value, target, direction) else Status.NOT_MET
    cumulative = unit in CUMULATIVE_UNITS
    if cumulative and _reaches(value, target, direction) and direction == Direction.HIGHER:
        return Status.MET
    if cumulative and not _reaches(value, target, direction) and direction == Direction.LOWER:
        return Status.NOT_MET
    projected = value / year_share(today) if cumulative else value
    return Status.ON_TRACK if _reaches(projected, target, direction) else Status.BEHIND


@dataclass(frozen=True)
class YearValue:
    year: int
    value: Number
    target: Decimal | None


@dataclass
class IndicatorProgress:
    indicator: Indicator
    number: str  # the goal's number and a letter ("1a"), as the chart labels its bars
    label: str
    definition: str
    unit: str
    value: Number  # for the scope (the region, or national)
    national: Number  # the national value beside a region's; None on national progress
    target: Decimal | None
    status: str
    earlier: list[YearValue] = field(default_factory=list)  # the period's years before year

    @property
    def direction_label(self) -> str:
        return str(Direction(self.indicator.direction).label)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")

    @property
    def judged_value(self) -> Number:
        return self.value if self.national is None else self.national

    @property
    def percent_of_target(self) -> Decimal | None:
        """Return the judged value as a percentage of the target (None without either)."""
        value = self.judged_value
        if value is None or not self.target:
            return None
        return Decimal(value) / self.target * 100


@dataclass
class GoalProgress:
    goal: Goal
    indicators: list[IndicatorProgress]


@dataclass
class PeriodProgress:
    period: StrategyPeriod
    year: int
    region: Region | None
    goals: list[GoalProgress]

    @property
    def indicators(self) -> list[IndicatorProgress]:
        return [row for goal in self.goals for row in goal.indicators]

    @property
    def earlier_years(self) -> list[int]:
        """The period's years before this one that have begun (every row has a value each)."""
        return [y.year for y in self.indicators[0].earlier] if self.indicators else []

    @property
    def columns(self) -> int:
        """The number of columns of the partial's table."""
        return 6 + len(self.earlier_years) + (1 if self.region else 0)

    def count(self, status: str) -> int:
        return sum(1 for row in self.indicators if row.status == status)

    @property
    def met(self) -> int:
        return self.count(Status.MET)

    @property
    def judged(self) -> int:
        """How many indicators have both a value and a target for the year."""
        return sum(1 for row in self.indicators if row.percent_of_target is not None)

    def chart(self) -> SafeString | str:
        """Return a column chart of each indicator's value as a percentage of its target."""
        bars = [
            Bar(
                label=row.number,
                value=float(share),
                display=f"{number_format(share, decimal_pos=0)} %",
                title=row.label,
            )
            for row in self.indicators
            if (share := row.percent_of_target) is not None
        ]
        if not bars:
            return ""
        return bar_chart(
            bars,
            title=_("%(period)s, %(year)s: value as a percentage of the target, per indicator")
            % {"period": self.period.name, "year": self.year},
            width=self.chart_width,
            height=220,
        )

    @property
    def chart_width(self) -> int:
        """The chart's drawing width; the partial shows it at this many pixels at most, so that
        its text keeps the page's size."""
        return 120 + 90 * sum(1 for row in self.indicators if row.percent_of_target is not None)


def _indicator_number(goal_number: int, index: int) -> str:
    """Return an indicator's number: its goal's and a letter, "1a", "1b" (no decimal point, which
    reads as a number in Swedish)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return f"{goal_number}{letters[index % 26]}{index // 26 or ''}"


FigureSource = Callable[[int, Region | None], YearFigures]


def reusing(known: YearFigures) -> FigureSource:
    """Return a figure source that answers with known for its own year and scope (a page that
    has computed the year's figures already does not compute them again for the goals)."""

    def source(year: int, region: Region | None) -> YearFigures:
        same_scope = (region.pk if region else None) == (known.region.pk if known.region else None)
        if year == known.year and same_scope:
            return known
        return year_figures(year, region)

    return source


def goal_progress(
    year: int,
    region: Region | None = None,
    *,
    period: StrategyPeriod | None = None,
    today: date | None = None,
    figures: FigureSource = year_figures,
) -> list[PeriodProgress]:
    """Return the progress of every strategy period active in year (or only period's)."""
    today = today or timezone.localdate()
    periods = StrategyPeriod.objects.filter(start_year__lte=year, end_year__gte=year)
    if period is not None:
        periods = periods.filter(pk=period.pk)
    periods = periods.prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))
            ),
        )
    )
    cache: dict[int, YearFigures] = {}

    def figures_of(y: int) -> YearFigures:
        if y not in cache:
            cache[y] = figures(y, region)
        return cache[y]

    result = []
    for each in periods:
        goals = []
        for goal_number, goal in enumerate(each.goals.all(), start=1):
            rows: list[IndicatorProgress] = []
            for indicator in goal.indicators.all():
                if indicator.figure_key not in DEFINITIONS:
                    logger.warning(
                        "Indicator %s of goal %s names the figure %r, which is not defined: "
                        "left out of the progress.",
                        indicator.pk,
                        goal.pk,
                        indicator.figure_key,
                    )
                    continue
                rows.append(
                    _indicator_progress(
                        indicator,
                        _indicator_number(goal_number, len(rows)),
                        each,
                        year,
                        today,
                        figures_of,
                        regional=region is not None,
                    )
                )
            goals.append(GoalProgress(goal, rows))
        result.append(PeriodProgress(each, year, region, goals))
    return result


def _indicator_progress(
    indicator: Indicator,
    number: str,
    period: StrategyPeriod,
    year: int,
    today: date,
    figures_of: Callable[[int], YearFigures],
    *,
    regional: bool,
) -> IndicatorProgress:
    key = indicator.figure_key
    definition = DEFINITIONS[key]
    targets = {t.year: t.target_value for t in indicator.targets.all()}
    value: Number = None
    national: Number = None
    if year <= today.year:
        figure = figures_of(year).figure(key)
        value, national = figure.value, figure.national if regional else None
    judged = national if regional else value
    earlier = []
    for earlier_year in range(period.start_year, min(year, today.year + 1)):
        try:
            earlier_value = figures_of(earlier_year).value(key)
        except KeyError:
            earlier_value = None
        earlier.append(YearValue(earlier_year, earlier_value, targets.get(earlier_year)))
    return IndicatorProgress(
        indicator=indicator,
        number=number,
        label=str(definition.label),
        definition=str(definition.definition),
        unit=definition.unit,
        value=value,
        national=national,
        target=targets.get(year),
        status=assess(
            judged,
            targets.get(year),
            direction=indicator.direction,
            unit=definition.unit,
            year=year,
            today=today,
        ),
        earlier=earlier,
    )
