"""Reads of reporting's own data for its pages."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet

from hallbar.core.history import ReadableEntry, each_side, readable_history
from hallbar.core.models import HistoryEntry
from hallbar.reporting.models import Goal, Indicator, IndicatorTarget, StrategyPeriod, figure_label
from hallbar.reporting.services import IN_PERIOD

# --- strategy goals (helper "goals") ---------------------------------------------------------

PERIOD_SORTS = {
    "name": ("name_sv",),
    "kind": ("kind", "-start_year"),
    "start": ("start_year", "end_year"),
    "end": ("end_year", "start_year"),
}
PERIOD_DEFAULT_SORT = "-start"


def periods_sorted(sort: str) -> tuple[QuerySet[StrategyPeriod], str]:
    """Return the strategy periods with their goal count, sorted by a PERIOD_SORTS key (a
    leading "-" reverses it), and the sort used."""
    key = sort.lstrip("-")
    if key not in PERIOD_SORTS:
        sort, key = PERIOD_DEFAULT_SORT, PERIOD_DEFAULT_SORT.lstrip("-")
    fields = PERIOD_SORTS[key]
    if sort.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    periods = StrategyPeriod.objects.annotate(goal_count=Count("goals")).order_by(*fields, "pk")
    return periods, sort


def period_goals(period: StrategyPeriod) -> list[Goal]:
    """Return period's goals with their indicators and targets."""
    return list(
        period.goals.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))
        )
    )


# Years are written as years (2026), not as grouped numbers; a figure by its label, never its key.
HISTORY_FORMATTERS = {
    "figure_key": each_side(figure_label),
    "start_year": each_side(lambda v: "–" if v in (None, "") else str(v)),
    "end_year": each_side(lambda v: "–" if v in (None, "") else str(v)),
    "year": each_side(lambda v: "–" if v in (None, "") else str(v)),
}


@dataclass(frozen=True)
class PeriodHistoryItem:
    what: str  # the kind of thing and its name, e.g. "Goal: Coordinated requirements"
    readable: ReadableEntry

    @property
    def at(self):
        return self.readable.at


def period_history(period: StrategyPeriod, *, limit: int = 50) -> list[PeriodHistoryItem]:
    """Return the history of period and of everything in it (deleted goals, indicators and
    targets included), newest first, in words."""
    entries: list[PeriodHistoryItem] = []
    for model in (StrategyPeriod, Goal, Indicator, IndicatorTarget):
        rows = HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).select_related("actor")
        if model is StrategyPeriod:
            rows = rows.filter(object_id=str(period.pk))
        else:
            rows = rows.filter(**{f"changes__{IN_PERIOD}": period.pk})
        kind = str(model._meta.verbose_name)
        entries += [
            PeriodHistoryItem(f"{kind[:1].upper()}{kind[1:]}: {item.entry.object_repr}", item)
            for item in readable_history(rows[:limit], model, formatters=HISTORY_FORMATTERS)
        ]
    entries.sort(key=lambda e: (e.at, e.readable.entry.pk), reverse=True)
    return entries[:limit]


# --- end of strategy goals -------------------------------------------------------------------
