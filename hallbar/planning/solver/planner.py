"""Plan a year's follow-ups: choose them, give each a lead region, count what coordination saves."""

from __future__ import annotations

import os
import time

import numpy as np

from .leads import assign_leads
from .model import Choice, Plan, Problem, relative_gap, validate
from .selection import UNLIMITED, Arrays, select

MODES = ("interactive", "optimal")
ENGINES = ("scip", "cpsat")
OPTIMAL_GAP = 1e-9


def build_arrays(problem: Problem, candidates) -> Arrays:
    """Return the selection arrays of the candidates that need a follow-up."""
    types = list(problem.types)
    exposure = np.fromiter((c.exposure for c in candidates), dtype=float, count=len(candidates))
    coverage = np.array([t.coverage for t in types], dtype=float)
    values = exposure[:, None] * coverage[None, :]
    allowed = np.array([[c.allows(t.name) for t in types] for c in candidates], dtype=bool)
    values = np.where(allowed.reshape(values.shape), values, -np.inf)
    areas = sorted({c.area for c in candidates} | set(problem.area_capacity))
    area_code = {a: k for k, a in enumerate(areas)}
    area_index = np.fromiter(
        (area_code[c.area] for c in candidates), dtype=np.int64, count=len(candidates)
    )
    capacities = np.array([problem.area_capacity.get(a, UNLIMITED) for a in areas], dtype=np.int64)
    costs = np.array([t.cost_sek for t in types], dtype=float)
    return Arrays(values, costs, area_index, capacities, float(problem.budget_sek))


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
    time_limit_s: float = 30.0,
    target_gap: float = 0.005,
    workers: int | None = None,
    engine: str = "scip",
) -> Plan:
    """Return the year's plan.

    ``interactive``: greedy selection, its proven upper bound and the lead assignment.
    ``optimal``: also, when the greedy gap exceeds ``target_gap``, an exact search (CP-SAT on the
    core the bound cannot settle, warm-started from greedy, within ``time_limit_s``), with SCIP
    (``engine="scip"``) or CP-SAT (``engine="cpsat"``). Raise ``ValidationError`` for bad input.
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
    if candidates and types:
        arrays = build_arrays(problem, candidates)
        selection = select(
            arrays,
            exact=mode == "optimal",
            time_limit_s=time_limit_s,
            target_gap=target_gap,
            workers=workers or default_workers(),
            engine=engine,
        )
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

    picked = [(candidates[i], types[int(option[i])]) for i in np.nonzero(option >= 0)[0]]
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
            covered_exposure=c.exposure * t.coverage,
        )
        for (c, t), lead in zip(picked, leads.leads, strict=True)
    ]
    gap = relative_gap(objective, upper_bound)
    proven = gap <= OPTIMAL_GAP
    if proven:
        status = "optimal"
    elif mode == "interactive":
        status = "heuristic"
    else:
        status = "within_target" if gap <= target_gap else "time_limit"
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
    )
