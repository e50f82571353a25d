"""The annual follow-up planner's solver; nothing here imports Django.

``plan(problem)`` chooses the follow-ups (a multiple-choice knapsack with area capacities: greedy
with a proven Lagrangian/LP upper bound, and optionally CP-SAT on the unsettled core), assigns
lead regions by a bounded min-cost flow, and counts the follow-ups coordination saves.
"""

from .leads import LeadAssignment, assign_leads, lead_bounds
from .model import (
    DIALOGUE,
    FACTORY_AUDIT,
    OFFICE_AUDIT,
    SELF_ASSESSMENT,
    TRACEABILITY,
    TYPE_NAMES,
    Candidate,
    Choice,
    FollowUpType,
    Plan,
    Problem,
    ValidationError,
    default_types,
    relative_gap,
    validate,
)
from .planner import ENGINES, MODES, build_arrays, plan

__all__ = [
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
