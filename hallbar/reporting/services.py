"""Changes to the data reporting keeps of its own; one atomic function per change, with history.

Reporting otherwise only reads: nothing here writes to another app's tables.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from hallbar.core.history import diff_fields, record_change
from hallbar.organisations.models import User
from hallbar.reporting.access import can_edit_goals
from hallbar.reporting.models import Goal, Indicator, IndicatorTarget, StrategyPeriod

# --- strategy goals (helper "goals") ---------------------------------------------------------

NOT_ALLOWED = _("Only the secretariat changes the strategy goals.")
PERIOD_FIELDS = [
    "name_sv",
    "name_en",
    "kind",
    "start_year",
    "end_year",
    "adopted_on",
    "adopted_by_sv",
    "adopted_by_en",
    "vision_sv",
    "vision_en",
]
GOAL_FIELDS = [
    "position",
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "area_sv",
    "area_en",
]
INDICATOR_FIELDS = ["position", "figure_key", "direction"]
# Every change to a goal, indicator or target names its period under this key, so that the
# period's page can show the history of everything in it (deleted things included).
IN_PERIOD = "in_period"


def _check(acting_user: User | None) -> None:
    # None: a loader or command acting as the system (load_strategy)
    if acting_user is not None and not can_edit_goals(acting_user):
        raise PermissionError(str(NOT_ALLOWED))


def _save(obj, fields: list[str], values: dict, *, acting_user, extra: dict | None = None):
    # Read the stored values: a model form has already changed obj in memory.
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    before = model_to_dict(stored, fields=fields) if stored else {}
    for field in fields:
        if field in values:
            setattr(obj, field, values[field])
    obj.full_clean()
    obj.save()
    changes = diff_fields(before, model_to_dict(obj, fields=fields))
    record_change(
        obj,
        action="updated" if before else "created",
        acting_user=acting_user,
        changes={**changes, **(extra or {})},
    )
    return obj


@transaction.atomic
def save_period(
    *, period: StrategyPeriod | None, acting_user: User | None, **values
) -> StrategyPeriod:
    """Create a strategy period, or update period, from values (the PERIOD_FIELDS)."""
    _check(acting_user)
    return _save(period or StrategyPeriod(), PERIOD_FIELDS, values, acting_user=acting_user)


@transaction.atomic
def delete_period(*, period: StrategyPeriod, acting_user: User | None) -> None:
    """Delete period with its goals, indicators and targets."""
    _check(acting_user)
    record_change(
        period,
        action="deleted",
        acting_user=acting_user,
        changes=model_to_dict(period, fields=PERIOD_FIELDS),
    )
    period.delete()


@transaction.atomic
def save_goal(
    *, goal: Goal | None, period: StrategyPeriod, acting_user: User | None, **values
) -> Goal:
    """Create a goal of period, or update goal, from values (the GOAL_FIELDS)."""
    _check(acting_user)
    goal = goal or Goal(period=period)
    return _save(goal, GOAL_FIELDS, values, acting_user=acting_user, extra={IN_PERIOD: period.pk})


@transaction.atomic
def delete_goal(*, goal: Goal, acting_user: User | None) -> None:
    _check(acting_user)
    record_change(
        goal,
        action="deleted",
        acting_user=acting_user,
        changes={**model_to_dict(goal, fields=GOAL_FIELDS), IN_PERIOD: goal.period_id},
    )
    goal.delete()


@transaction.atomic
def save_indicator(
    *, indicator: Indicator | None, goal: Goal, acting_user: User | None, **values
) -> Indicator:
    """Create an indicator of goal, or update indicator, from values (the INDICATOR_FIELDS).
    The figure must be one of figures.DEFINITIONS (the model checks it)."""
    _check(acting_user)
    indicator = indicator or Indicator(goal=goal)
    return _save(
        indicator,
        INDICATOR_FIELDS,
        values,
        acting_user=acting_user,
        extra={IN_PERIOD: goal.period_id},
    )


@transaction.atomic
def delete_indicator(*, indicator: Indicator, acting_user: User | None) -> None:
    _check(acting_user)
    record_change(
        indicator,
        action="deleted",
        acting_user=acting_user,
        changes={
            **model_to_dict(indicator, fields=INDICATOR_FIELDS),
            IN_PERIOD: indicator.goal.period_id,
        },
    )
    indicator.delete()


@transaction.atomic
def set_targets(
    *, indicator: Indicator, targets: Mapping[int, Decimal | None], acting_user: User | None
) -> int:
    """Set indicator's target for each year in targets (None removes that year's target);
    return how many targets changed. Years outside the period are refused by the model."""
    _check(acting_user)
    existing = {t.year: t for t in indicator.targets.all()}
    period_id = indicator.goal.period_id
    changed = 0
    for year, value in sorted(targets.items()):
        target = existing.get(year)
        if value is None:
            if target is not None:
                record_change(
                    target,
                    action="deleted",
                    acting_user=acting_user,
                    changes={
                        "year": year,
                        "target_value": target.target_value,
                        IN_PERIOD: period_id,
                    },
                )
                target.delete()
                changed += 1
            continue
        if target is not None and target.target_value == value:
            continue
        _save(
            target or IndicatorTarget(indicator=indicator),
            ["year", "target_value"],
            {"year": year, "target_value": value},
            acting_user=acting_user,
            extra={IN_PERIOD: period_id},
        )
        changed += 1
    return changed


# --- end of strategy goals -------------------------------------------------------------------
