"""The strategy goals' cases of the access matrix (``hallbar/core/tests/test_access_matrix.py``).

The objects are made the first time a case asks for them, inside the matrix's world (whose
transaction is rolled back at the end): a period 2025–2027 with one goal, one indicator and a
target for 2026.
"""

from dataclasses import dataclass
from decimal import Decimal

from hallbar.reporting import services
from hallbar.reporting.models import Goal, Indicator, StrategyPeriod

PERIOD = {
    "name_sv": "Plan",
    "name_en": "Plan",
    "kind": "strategic_plan",
    "start_year": 2025,
    "end_year": 2027,
}
GOAL = {"position": 1, "title_sv": "Mål", "title_en": "Goal"}
INDICATOR = {"figure_key": "followups_total", "direction": "higher", "position": 1}


@dataclass
class GoalsWorld:
    period: StrategyPeriod
    goal: Goal
    indicator: Indicator


def goals_world(world) -> GoalsWorld:
    cached = getattr(world, "_goals", None)
    if cached:
        return cached
    secretariat = world.cast.secretariat
    period = services.save_period(period=None, acting_user=secretariat, **PERIOD)
    goal = services.save_goal(goal=None, period=period, acting_user=secretariat, **GOAL)
    indicator = services.save_indicator(
        indicator=None, goal=goal, acting_user=secretariat, **INDICATOR
    )
    services.set_targets(indicator=indicator, targets={2026: Decimal(5)}, acting_user=secretariat)
    world._goals = GoalsWorld(period=period, goal=goal, indicator=indicator)
    return world._goals


def _ids(attribute):
    return lambda w: (getattr(goals_world(w), attribute).public_id,)


def goal_cases(case, *, members, secretariat):
    """Return the strategy goals' cases, made with the matrix's own case helper: the
    cooperation's members read, the secretariat writes."""
    period, goal, indicator = _ids("period"), _ids("goal"), _ids("indicator")
    edit = {"readers": secretariat, "writers": secretariat}
    return [
        case("reporting:period-list", readers=members),
        case("reporting:period-detail", period, readers=members),
        case("reporting:period-create", data=PERIOD, **edit),
        case("reporting:period-edit", period, data=PERIOD, **edit),
        case("reporting:period-delete", period, **edit),
        case("reporting:goal-create", period, data=GOAL, **edit),
        case("reporting:goal-edit", goal, data=GOAL, **edit),
        case("reporting:goal-delete", goal, **edit),
        case("reporting:indicator-create", goal, data=INDICATOR, **edit),
        case("reporting:indicator-edit", indicator, data=INDICATOR, **edit),
        case("reporting:indicator-delete", indicator, **edit),
        case("reporting:indicator-targets", indicator, data={"target_2026": "7"}, **edit),
    ]
