"""Plan a year's follow-ups: choose them, give each a lead region, count what coordination saves."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .leads import assign_leads
from .model import (
    AUDITS,
    BEST_VALUE,
    CRITICAL,
    FACTORY_AUDIT,
    MINIMUM,
    OFFICE_AUDIT,
    Candidate,
    Choice,
    DutiesDoNotFit,
    FollowUpType,
    MinimumNotMet,
    Plan,
    Problem,
    ValidationError,
    relative_gap,
    validate,
)
from .selection import UNLIMITED, Arrays, Infeasible, select

MODES = ("interactive", "optimal")
ENGINES = ("scip", "cpsat")
# "Proven optimal": the proven bound is within one part in a billion of the plan's value.
OPTIMAL_GAP = 1e-9
DEFAULT_TIME_LIMIT_S = 20.0
AUDIT_RANK = {OFFICE_AUDIT: 1, FACTORY_AUDIT: 2}


@dataclass(slots=True)
class Obligations:
    """The follow-ups the plan must contain: supplier index → (least type, reason)."""

    floor: dict[int, tuple[str, str]] = field(default_factory=dict)
    critical_left_out: list[str] = field(default_factory=list)


def obligations(problem: Problem, candidates: list[Candidate]) -> Obligations:
    """Return the duties and the critical suppliers' audits the budget allows.

    Every duty must fit: otherwise raise ``DutiesDoNotFit`` listing them all. Then the critical
    suppliers, by descending exposure, get an office audit while these audits take at most
    ``critical_share`` of the budget, the budget still holds the minimum audits not yet met,
    and the area has capacity left. Raise ``ValidationError`` if the minimum audits cannot fit.
    """
    costs = {t.name: float(t.cost_sek) for t in problem.types}
    result = Obligations()
    duties = [(i, c.duty(), c.duty_reason()) for i, c in enumerate(candidates) if c.duty()]
    missing = sorted({kind for _, kind, _ in duties if kind not in costs})
    if missing:
        raise ValidationError(
            [f"The duties need {', '.join(missing)}, which is not a follow-up type of the plan."]
        )
    room = {a: problem.area_capacity.get(a, UNLIMITED) for a in {c.area for c in candidates}}
    spent = 0.0
    counts = dict.fromkeys(costs, 0)
    for i, kind, reason in duties:
        result.floor[i] = (kind, reason)
        spent += costs[kind]
        room[candidates[i].area] -= 1
        counts[kind] += 1
    over = [a for a, left in sorted(room.items()) if left < 0]
    tolerance = 1e-9 * max(1.0, problem.budget_sek)
    if spent > problem.budget_sek + tolerance or over:
        messages = []
        if spent > problem.budget_sek + tolerance:
            messages.append(
                f"The duties cost {spent:.0f} SEK, more than the budget of "
                f"{problem.budget_sek:.0f} SEK."
            )
        for a in over:
            messages.append(f"The duties in area {a} exceed its capacity.")
        raise DutiesDoNotFit(
            messages, [(candidates[i].id, kind, costs[kind]) for i, kind, _ in duties]
        )

    def reserve() -> float:
        return sum(max(0, problem.minimum_audits.get(k, 0) - counts[k]) * costs[k] for k in costs)

    if spent + reserve() > problem.budget_sek + tolerance:
        raise MinimumNotMet(
            [
                f"The minimum audits cost {reserve():.0f} SEK, but only "
                f"{problem.budget_sek - spent:.0f} SEK are left after the duties."
            ],
            cause="budget",
            cost=reserve(),
            left=problem.budget_sek - spent,
        )
    if OFFICE_AUDIT in costs:
        office = costs[OFFICE_AUDIT]
        cap = problem.critical_share * problem.budget_sek + tolerance
        critical_spent = 0.0
        order = sorted(
            (i for i, c in enumerate(candidates) if c.critical and i not in result.floor),
            key=lambda i: (-candidates[i].exposure, candidates[i].id),
        )
        for i in order:
            c = candidates[i]
            counts[OFFICE_AUDIT] += 1
            fits = (
                critical_spent + office <= cap
                and spent + office + reserve() <= problem.budget_sek + tolerance
                and room[c.area] > 0
            )
            if fits:
                result.floor[i] = (OFFICE_AUDIT, CRITICAL)
                critical_spent += office
                spent += office
                room[c.area] -= 1
            else:
                counts[OFFICE_AUDIT] -= 1
                result.critical_left_out.append(c.id)
    return result


def build_arrays(
    problem: Problem, candidates: Sequence[Candidate], duties: Obligations | None = None
) -> Arrays:
    """Return the selection arrays of the candidates that need a follow-up.

    The values are each type's expected risk detected and remedied; a supplier with an
    obligation must take a follow-up at least as thorough as the obligation's type.
    """
    candidates = list(candidates)
    duties = duties if duties is not None else obligations(problem, candidates)
    types = list(problem.types)
    values = np.array(
        [[c.value(t, types, problem.signal_weight) for t in types] for c in candidates],
        dtype=float,
    ).reshape(len(candidates), len(types))
    allowed = np.array([[c.allows(t.name) for t in types] for c in candidates], dtype=bool)
    allowed = allowed.reshape(values.shape)
    required = np.zeros(len(candidates), dtype=bool)
    for i, (kind, _) in duties.floor.items():
        required[i] = True
        floor = AUDIT_RANK[kind]
        allowed[i] &= np.array([AUDIT_RANK.get(t.name, 0) >= floor for t in types])
    values = np.where(allowed, values, -np.inf)
    areas = sorted({c.area for c in candidates} | set(problem.area_capacity))
    area_code = {a: k for k, a in enumerate(areas)}
    area_index = np.fromiter(
        (area_code[c.area] for c in candidates), dtype=np.int64, count=len(candidates)
    )
    capacities = np.array([problem.area_capacity.get(a, UNLIMITED) for a in areas], dtype=np.int64)
    costs = np.array([t.cost_sek for t in types], dtype=float)
    minimum = np.array([problem.minimum_audits.get(t.name, 0) for t in types], dtype=np.int64)
    return Arrays(
        values, costs, area_index, capacities, float(problem.budget_sek), required, minimum
    )


def default_workers() -> int:
    """Return the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def plan(
    problem: Problem,
    *,
    mode: str = "interactive",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    target_gap: float = 0.0,
    workers: int | None = None,
    engine: str = "scip",
) -> Plan:
    """Return the year's plan.

    ``interactive``: greedy selection, its proven upper bound and the lead assignment.
    ``optimal``: also an exact search (on the core the bound cannot settle, warm-started from
    greedy) until the plan is proven within ``target_gap`` (0: proven optimal) or
    ``time_limit_s`` runs out, with SCIP (``engine="scip"``) or CP-SAT (``engine="cpsat"``).
    Raise ``ValidationError`` for bad input or when the duties or minimum audits do not fit.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; use one of {', '.join(MODES)}.")
    if engine not in ENGINES:
        raise ValueError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}.")
    validate(problem)
    started = time.perf_counter()
    candidates = [c for c in problem.candidates if not c.reused]
    reused = [c.id for c in problem.candidates if c.reused]
    types = list(problem.types)
    messages: list[str] = []
    duties = obligations(problem, candidates) if types else Obligations()
    if candidates and types:
        arrays = build_arrays(problem, candidates, duties)
        try:
            selection = select(
                arrays,
                exact=mode == "optimal",
                time_limit_s=time_limit_s,
                target_gap=target_gap,
                workers=workers or default_workers(),
                engine=engine,
            )
        except Infeasible:
            wanted = ", ".join(f"{n} {k}" for k, n in problem.minimum_audits.items() if n)
            raise MinimumNotMet(
                [
                    f"No plan meets the minimum audits ({wanted}) with the duties, the budget "
                    "and the area capacities: too few suppliers may take them."
                ],
                cause="suppliers",
            ) from None
        option = selection.option
        objective, upper_bound = selection.objective, selection.upper_bound
        greedy_objective = selection.greedy_objective
        core_size = selection.core_size
        messages += selection.messages
        if selection.status:
            messages.append(
                f"Exact search over a core of {core_size} supplier(s): {selection.status}."
            )
    else:
        option = np.full(len(candidates), -1)
        objective = upper_bound = greedy_objective = 0.0
        core_size = 0

    chosen = [(int(i), types[int(option[i])]) for i in np.nonzero(option >= 0)[0]]
    reasons = _reasons(problem, candidates, chosen, duties)
    picked = [(candidates[i], t) for i, t in chosen]
    leads = assign_leads(
        [c.regions for c, _ in picked],
        problem.region_population,
        rel_tol=problem.rel_tol,
        abs_tol=problem.abs_tol,
        shares=[c.region_shares for c, _ in picked],
    )
    if not leads.feasible:
        messages.append(
            "The fair-share rule for lead regions cannot be met with leads from the suppliers' "
            f"participating regions; the assignment shown exceeds some region's bounds by at "
            f"most {leads.max_violation} follow-up(s), the least possible."
        )
    choices = [
        Choice(
            supplier_id=c.id,
            type=t.name,
            lead_region=lead,
            participating_regions=tuple(c.regions),
            cost_sek=t.cost_sek,
            covered_exposure=c.value(t, types, problem.signal_weight),
            reason=reason,
        )
        for (c, t), lead, reason in zip(picked, leads.leads, reasons, strict=True)
    ]
    gap = relative_gap(objective, upper_bound)
    proven = gap <= OPTIMAL_GAP
    if proven:
        status = "optimal"
    elif mode == "interactive":
        status = "heuristic"
    else:
        status = "within_target" if gap <= target_gap else "time_limit"
    if duties.critical_left_out:
        messages.append(
            f"{len(duties.critical_left_out)} critical supplier(s) got no required office audit: "
            "the budget share for critical audits was used up."
        )
    if reused:
        messages.append(f"{len(reused)} supplier(s) have a valid follow-up to reuse.")
    return Plan(
        choices=choices,
        objective=objective,
        upper_bound=upper_bound,
        gap=gap,
        proven_optimal=proven,
        status=status,
        greedy_objective=greedy_objective,
        solve_seconds=time.perf_counter() - started,
        total_cost_sek=float(sum(ch.cost_sek for ch in choices)),
        coordinated_count=len(choices),
        uncoordinated_count=sum(len(ch.participating_regions) for ch in choices),
        cost_avoided_sek=float(
            sum(ch.cost_sek * (len(ch.participating_regions) - 1) for ch in choices)
        ),
        lead_counts=leads.counts,
        lead_bounds=leads.bounds,
        fairness_feasible=leads.feasible,
        fairness_max_violation=leads.max_violation,
        reused=reused,
        messages=messages,
        core_size=core_size,
        time_limit_s=time_limit_s if mode == "optimal" else 0.0,
        critical_left_out=list(duties.critical_left_out),
    )


def _reasons(
    problem: Problem,
    candidates: Sequence[Candidate],
    picked: Sequence[tuple[int, FollowUpType]],
    duties: Obligations,
) -> list[str]:
    """Return why each chosen follow-up is in the plan.

    Duties and critical audits say so; of the remaining audits of a type with a minimum, the
    least valuable ones (as many as the minimum still needed) are there for the minimum; the
    rest are there because they detect and remedy the most risk for the money.
    """
    reasons = [duties.floor[i][1] if i in duties.floor else BEST_VALUE for i, _ in picked]
    types = list(problem.types)
    for name in AUDITS:
        least = problem.minimum_audits.get(name, 0)
        of_type = [k for k, (_, t) in enumerate(picked) if t.name == name]
        need = least - sum(1 for k in of_type if reasons[k] != BEST_VALUE)
        free = [k for k in of_type if reasons[k] == BEST_VALUE]
        free.sort(
            key=lambda k: candidates[picked[k][0]].value(picked[k][1], types, problem.signal_weight)
        )
        for k in free[: max(0, need)]:
            reasons[k] = MINIMUM
    return reasons
