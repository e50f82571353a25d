"""Plain data of the annual follow-up plan: the problem, its validation and the result."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

SELF_ASSESSMENT = "self_assessment"
OFFICE_AUDIT = "office_audit"
FACTORY_AUDIT = "factory_audit"
DIALOGUE = "dialogue"
TRACEABILITY = "traceability"
TYPE_NAMES = (SELF_ASSESSMENT, DIALOGUE, TRACEABILITY, OFFICE_AUDIT, FACTORY_AUDIT)

DEFAULT_REL_TOL = 0.10
DEFAULT_ABS_TOL = 2.0


AUDITS = (OFFICE_AUDIT, FACTORY_AUDIT)
# Why a follow-up is in the plan (docs/planning-model.md).
DUTY_ZERO_TOLERANCE = "duty_zero_tolerance"
DUTY_DEVIATIONS = "duty_deviations"
CRITICAL = "critical"
MINIMUM = "minimum"
BEST_VALUE = "best_value"
# A known deviation or zero-tolerance signal multiplies the supplier's expected risk by this.
DEFAULT_SIGNAL_WEIGHT = 2.0
# Critical suppliers' office audits may take at most this share of the budget.
DEFAULT_CRITICAL_SHARE = 0.25


class ValidationError(ValueError):
    """The problem cannot be planned; ``messages`` lists every reason."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class DutiesDoNotFit(ValidationError):
    """The duties alone break the budget or an area's capacity; ``duties`` lists them all."""

    def __init__(self, messages: Sequence[str], duties: Sequence[tuple[str, str, float]]):
        super().__init__(messages)
        self.duties = list(duties)  # (supplier id, follow-up type, cost)


class MinimumNotMet(ValidationError):
    """The minimum audits cannot be met: ``cause`` is "budget" (``cost`` of the audits still
    needed, ``left`` after the duties) or "suppliers" (too few may take them)."""

    def __init__(self, messages: Sequence[str], *, cause: str, cost: float = 0, left: float = 0):
        super().__init__(messages)
        self.cause, self.cost, self.left = cause, cost, left


@dataclass(frozen=True, slots=True)
class FollowUpType:
    """A kind of follow-up: its cost in SEK, the share of a supplier's risk it can detect and
    the share of what it detects that gets remedied (docs/planning-model.md)."""

    name: str
    cost_sek: float
    detection: float
    remedy: float = 1.0

    @property
    def coverage(self) -> float:
        """Return the share of an unknown supplier's risk detected and remedied."""
        return self.detection * self.remedy


def default_types() -> list[FollowUpType]:
    """Return the five follow-up types with the secretariat's default costs and shares."""
    return [
        FollowUpType(DIALOGUE, 4_000, 0.10, 0.5),
        FollowUpType(SELF_ASSESSMENT, 6_000, 0.25, 0.6),
        FollowUpType(TRACEABILITY, 30_000, 0.35, 0.5),
        FollowUpType(OFFICE_AUDIT, 45_000, 0.55, 0.8),
        FollowUpType(FACTORY_AUDIT, 120_000, 0.80, 0.9),
    ]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A supplier that may be followed up this year.

    ``regions`` are the participating regions (every region with an active contract);
    ``region_shares`` optionally weighs them (spend or contract share) for the lead choice.
    ``open_deviations``: deviations found by its latest follow-up are still open, which makes
    the next step of the escalation a duty unless ``duty_waived`` (the secretariat said why not).
    """

    id: str
    exposure: float
    area: str
    regions: tuple[str, ...]
    has_self_assessment: bool = False
    has_office_audit: bool = False
    zero_tolerance_signal: bool = False
    critical: bool = False
    reused: bool = False
    region_shares: Mapping[str, float] | None = None
    open_deviations: bool = False
    duty_waived: bool = False

    def duty(self) -> str:
        """Return the follow-up type the escalation makes a duty ("" when none).

        A zero-tolerance signal goes straight to a factory audit; open deviations go to the
        next step: an office audit, or a factory audit once an office audit has been made.
        """
        if self.duty_waived:
            return ""
        if self.zero_tolerance_signal:
            return FACTORY_AUDIT
        if self.open_deviations:
            return FACTORY_AUDIT if self.has_office_audit else OFFICE_AUDIT
        return ""

    def duty_reason(self) -> str:
        if not self.duty():
            return ""
        return DUTY_ZERO_TOLERANCE if self.zero_tolerance_signal else DUTY_DEVIATIONS

    def weight(self, signal_weight: float) -> float:
        """Return the multiplier of the expected risk: higher where a deviation is known."""
        return signal_weight if self.open_deviations or self.zero_tolerance_signal else 1.0

    def known_detection(self, types: Sequence[FollowUpType]) -> float:
        """Return the share of the risk earlier follow-ups could already detect."""
        done = {SELF_ASSESSMENT} if self.has_self_assessment else set()
        if self.has_office_audit:
            done.add(OFFICE_AUDIT)
        return max((t.detection for t in types if t.name in done), default=0.0)

    def value(
        self, kind: FollowUpType, types: Sequence[FollowUpType], signal_weight: float
    ) -> float:
        """Return the expected risk the follow-up detects (beyond what is known) and remedies."""
        new = max(0.0, kind.detection - self.known_detection(types))
        return self.exposure * self.weight(signal_weight) * new * kind.remedy

    def allows(self, type_name: str) -> bool:
        """Return whether the escalation rules allow this follow-up type for the supplier."""
        if type_name == self.duty():
            return True
        if type_name == OFFICE_AUDIT:
            return self.has_self_assessment or self.critical
        if type_name == FACTORY_AUDIT:
            return self.has_office_audit or self.zero_tolerance_signal
        return True


@dataclass(slots=True)
class Problem:
    """One year's planning problem."""

    candidates: Sequence[Candidate]
    budget_sek: float
    region_population: Mapping[str, float]
    types: Sequence[FollowUpType] = field(default_factory=default_types)
    area_capacity: Mapping[str, int] = field(default_factory=dict)
    rel_tol: float = DEFAULT_REL_TOL
    abs_tol: float = DEFAULT_ABS_TOL
    minimum_audits: Mapping[str, int] = field(default_factory=dict)
    critical_share: float = DEFAULT_CRITICAL_SHARE
    signal_weight: float = DEFAULT_SIGNAL_WEIGHT


@dataclass(frozen=True, slots=True)
class Choice:
    """One planned follow-up."""

    supplier_id: str
    type: str
    lead_region: str
    participating_regions: tuple[str, ...]
    cost_sek: float
    covered_exposure: float
    reason: str = BEST_VALUE


@dataclass(slots=True)
class Plan:
    """The plan, its proven quality and the value of coordinating it."""

    choices: list[Choice]
    objective: float
    upper_bound: float
    gap: float
    proven_optimal: bool
    status: str
    greedy_objective: float
    solve_seconds: float
    total_cost_sek: float
    coordinated_count: int
    uncoordinated_count: int
    cost_avoided_sek: float
    lead_counts: dict[str, int]
    lead_bounds: dict[str, tuple[int, int]]
    fairness_feasible: bool
    fairness_max_violation: int = 0
    reused: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    core_size: int = 0
    time_limit_s: float = 0.0
    # Critical suppliers whose office audit the budget share did not allow.
    critical_left_out: list[str] = field(default_factory=list)

    @property
    def greedy_gap(self) -> float:
        """Return the greedy heuristic's proven gap to the upper bound."""
        return relative_gap(self.greedy_objective, self.upper_bound)

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as JSON-serialisable data."""
        data = asdict(self)
        data["choices"] = [
            {**asdict(c), "participating_regions": list(c.participating_regions)}
            for c in self.choices
        ]
        data["lead_bounds"] = {r: list(b) for r, b in self.lead_bounds.items()}
        data["greedy_gap"] = self.greedy_gap
        return data


def relative_gap(objective: float, upper_bound: float) -> float:
    """Return (upper_bound - objective) / upper_bound; 0 when they differ by less than 1e-9."""
    if upper_bound - objective <= 1e-9 or upper_bound <= 0:
        return 0.0
    return max(0.0, (upper_bound - objective) / upper_bound)


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def validate(problem: Problem) -> None:
    """Raise ``ValidationError`` listing every defect of the problem's input."""
    errors: list[str] = []
    if not _finite(problem.budget_sek) or problem.budget_sek < 0:
        errors.append(f"The budget must be a number of SEK ≥ 0, not {problem.budget_sek!r}.")
    if not _finite(problem.rel_tol) or problem.rel_tol < 0:
        errors.append(f"rel_tol must be ≥ 0, not {problem.rel_tol!r}.")
    if not _finite(problem.abs_tol) or problem.abs_tol < 0:
        errors.append(f"abs_tol must be ≥ 0, not {problem.abs_tol!r}.")
    if not problem.region_population:
        errors.append("No regions: region_population is empty.")
    for code, population in problem.region_population.items():
        if not _finite(population) or population < 0:
            errors.append(f"Region {code}: the population must be ≥ 0, not {population!r}.")
    if problem.region_population and sum(problem.region_population.values()) <= 0:
        errors.append("The regions' total population must be > 0.")
    seen_types: set[str] = set()
    for t in problem.types:
        if t.name not in TYPE_NAMES:
            errors.append(f"Unknown follow-up type {t.name!r}; known: {', '.join(TYPE_NAMES)}.")
        if t.name in seen_types:
            errors.append(f"Follow-up type {t.name!r} is given twice.")
        seen_types.add(t.name)
        if not _finite(t.cost_sek) or t.cost_sek < 0:
            errors.append(f"Follow-up type {t.name!r}: the cost must be ≥ 0, not {t.cost_sek!r}.")
        for label, share in (("detection", t.detection), ("remedy", t.remedy)):
            if not _finite(share) or not 0 <= share <= 1:
                errors.append(
                    f"Follow-up type {t.name!r}: the {label} share must be in [0, 1], "
                    f"not {share!r}."
                )
    for name, count in problem.minimum_audits.items():
        if name not in seen_types:
            errors.append(f"A minimum is set for {name!r}, which is not a follow-up type.")
        if not isinstance(count, int) or count < 0:
            errors.append(f"The minimum of {name!r} must be a whole number ≥ 0, not {count!r}.")
    if not _finite(problem.critical_share) or not 0 <= problem.critical_share <= 1:
        errors.append(f"critical_share must be in [0, 1], not {problem.critical_share!r}.")
    if not _finite(problem.signal_weight) or problem.signal_weight < 1:
        errors.append(f"signal_weight must be ≥ 1, not {problem.signal_weight!r}.")
    for area, capacity in problem.area_capacity.items():
        if not isinstance(capacity, int) or capacity < 0:
            errors.append(
                f"Area {area}: the capacity must be a whole number ≥ 0, not {capacity!r}."
            )
    seen_ids: set[str] = set()
    for c in problem.candidates:
        label = f"Supplier {c.id!r}"
        if c.id in seen_ids:
            errors.append(f"{label} is listed twice.")
        seen_ids.add(c.id)
        if not _finite(c.exposure) or c.exposure < 0:
            errors.append(f"{label}: the risk exposure must be ≥ 0, not {c.exposure!r}.")
        if not c.regions:
            errors.append(f"{label} has no participating regions.")
        unknown = sorted({r for r in c.regions if r not in problem.region_population})
        if unknown:
            errors.append(f"{label}: unknown region codes {', '.join(unknown)}.")
        if len(set(c.regions)) != len(c.regions):
            errors.append(f"{label}: a participating region is listed twice.")
    if errors:
        raise ValidationError(errors)
