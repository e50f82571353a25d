"""The annual follow-up planner's solver; nothing here imports Django.

``plan(problem)`` chooses the follow-ups (a multiple-choice knapsack with area capacities: greedy
with a proven Lagrangian/LP upper bound and, in optimal mode, an exact search on the
unsettled core; duties, critical suppliers and minimum audits are hard constraints), assigns
lead regions by a bounded min-cost flow, and counts the follow-ups coordination saves.
"""

from .leads import LeadAssignment, assign_leads, lead_bounds
from .model import (
    AUDITS,
    BEST_VALUE,
    CRITICAL,
    DIALOGUE,
    DUTY_DEVIATIONS,
    DUTY_ZERO_TOLERANCE,
    FACTORY_AUDIT,
    MINIMUM,
    OFFICE_AUDIT,
    SELF_ASSESSMENT,
    TRACEABILITY,
    TYPE_NAMES,
    Candidate,
    Choice,
    DutiesDoNotFit,
    FollowUpType,
    MinimumNotMet,
    Plan,
    Problem,
    ValidationError,
    default_types,
    relative_gap,
    validate,
)
from .planner import (
    DEFAULT_TIME_LIMIT_S,
    ENGINES,
    MODES,
    OPTIMAL_GAP,
    Obligations,
    build_arrays,
    obligations,
    plan,
)

__all__ = [
    "AUDITS",
    "BEST_VALUE",
    "CRITICAL",
    "DEFAULT_TIME_LIMIT_S",
    "DUTY_DEVIATIONS",
    "DUTY_ZERO_TOLERANCE",
    "MINIMUM",
    "OPTIMAL_GAP",
    "DutiesDoNotFit",
    "MinimumNotMet",
    "Obligations",
    "obligations",
    "DIALOGUE",
    "ENGINES",
    "FACTORY_AUDIT",
    "MODES",
    "OFFICE_AUDIT",
    "SELF_ASSESSMENT",
    "TRACEABILITY",
    "TYPE_NAMES",
    "Candidate",
    "Choice",
    "FollowUpType",
    "LeadAssignment",
    "Plan",
    "Problem",
    "ValidationError",
    "assign_leads",
    "build_arrays",
    "default_types",
    "lead_bounds",
    "plan",
    "relative_gap",
    "validate",
]
