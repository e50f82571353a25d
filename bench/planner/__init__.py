"""Benchmark of the annual follow-up planner on generated instances.

Run it with ``python -m bench.planner``; see the planner section of bench/README.md.
"""

from __future__ import annotations

import csv
import math
import time
from pathlib import Path

import numpy as np

from hallbar.planning.solver import Candidate, Problem, build_arrays, default_types

PROJECT = Path(__file__).resolve().parents[2]
REGIONS_CSV = PROJECT / "referencedata" / "swedish_regions.csv"
AREAS = tuple("ABCDEFGH")
# Mean follow-up cost used to size the budget: about one supplier in ten can be followed up.
BUDGET_SEK_PER_FOLLOW_UP = 20_000
SHARE_FOLLOWED_UP = 0.10

__all__ = ["generate", "monolithic_cpsat", "region_population"]


def region_population() -> dict[str, int]:
    """Return the 21 regions' populations on 31 December 2023, by county code."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return {row["lan_code"]: int(row["population_2023_12_31"]) for row in csv.DictReader(f)}


def generate(suppliers: int, *, seed: int = 2025) -> Problem:
    """Return a reproducible planning problem with ``suppliers`` candidates over 21 regions.

    Exposures are log-normal (σ 1.6: the top 1 % carry about a fifth of the total); each
    supplier has 1–8 participating regions drawn by population; 8 areas, each with a capacity
    of 8–15 % of its suppliers; a budget of 20 000 SEK per tenth of the suppliers. Duties: 0.3 %
    have a zero-tolerance signal and 1 % open deviations; the strategy asks for an office audit
    per 200 suppliers and a factory audit per 1 000.
    """
    rng = np.random.default_rng(seed)
    population = region_population()
    codes = list(population)
    weights = np.array([population[r] for r in codes], dtype=float)
    weights /= weights.sum()
    exposure = rng.lognormal(mean=11.0, sigma=1.6, size=suppliers)
    area_weights = rng.dirichlet(np.full(len(AREAS), 4.0))
    area = rng.choice(len(AREAS), size=suppliers, p=area_weights)
    n_regions = np.minimum(1 + rng.geometric(0.45, size=suppliers) - 1, 8)
    flags = rng.random((suppliers, 5))
    candidates = []
    for i in range(suppliers):
        members = rng.choice(len(codes), size=int(n_regions[i]), replace=False, p=weights)
        regions = tuple(codes[k] for k in members)
        spend = rng.dirichlet(np.ones(len(regions))) * weights[members]
        candidates.append(
            Candidate(
                id=f"S{i:06d}",
                exposure=float(exposure[i]),
                area=AREAS[int(area[i])],
                regions=regions,
                has_self_assessment=bool(flags[i, 0] < 0.40),
                has_office_audit=bool(flags[i, 1] < 0.15),
                zero_tolerance_signal=bool(flags[i, 2] < 0.003),
                open_deviations=bool(0.003 <= flags[i, 2] < 0.013),
                critical=bool(flags[i, 3] < 0.08),
                reused=bool(flags[i, 4] < 0.05),
                region_shares=dict(zip(regions, spend.tolist(), strict=True)),
            )
        )
    counts = np.bincount(area, minlength=len(AREAS))
    share = rng.uniform(0.08, 0.15, size=len(AREAS))
    capacity = {a: max(1, math.ceil(counts[k] * share[k])) for k, a in enumerate(AREAS)}
    return Problem(
        candidates=candidates,
        budget_sek=float(BUDGET_SEK_PER_FOLLOW_UP * round(SHARE_FOLLOWED_UP * suppliers)),
        region_population=population,
        types=default_types(),
        area_capacity=capacity,
        minimum_audits={"office_audit": suppliers // 200, "factory_audit": suppliers // 1000},
    )


def monolithic_cpsat(problem: Problem, *, time_limit_s: float = 10.0, workers: int = 2) -> dict:
    """Solve selection and lead regions in one CP-SAT model over supplier × type × lead region.

    The comparison the planner's decomposition is measured against. Return the objective, the
    solver's bound, its status and the wall time.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    candidates = [c for c in problem.candidates if not c.reused]
    types = list(problem.types)
    arrays = build_arrays(problem, candidates)
    regions = list(problem.region_population)
    total_pop = float(sum(problem.region_population.values()))
    scale = 1e9 / float(np.where(np.isfinite(arrays.values), arrays.values, 0).max(axis=1).sum())
    model = cp_model.CpModel()
    chosen, cells = [], []
    by_region: dict[str, list] = {r: [] for r in regions}
    by_area: dict[str, list] = {}
    cost_terms, value_terms = [], []
    for i, c in enumerate(candidates):
        row = []
        for j, t in enumerate(types):
            if not np.isfinite(arrays.values[i, j]):
                continue
            for r in c.regions:
                x = model.new_bool_var(f"x{i}_{j}_{r}")
                row.append(x)
                cells.append((i, j, x))
                by_region[r].append(x)
                cost_terms.append((x, round(t.cost_sek)))
                value_terms.append((x, math.floor(arrays.values[i, j] * scale)))
        model.add_at_most_one(row)
        by_area.setdefault(c.area, []).extend(row)
        chosen.extend(row)
    weighted = cp_model.LinearExpr.weighted_sum
    model.add(
        weighted([x for x, _ in cost_terms], [c for _, c in cost_terms])
        <= math.floor(problem.budget_sek)
    )
    for a, xs in by_area.items():
        if a in problem.area_capacity:
            model.add(cp_model.LinearExpr.sum(xs) <= problem.area_capacity[a])
    count = model.new_int_var(0, len(candidates), "n")
    model.add(count == cp_model.LinearExpr.sum(chosen))
    # |L_r − N p_r| ≤ max(rel·N·p_r, abs), in units of 1/10 000 follow-up.
    unit = 10_000
    for r in regions:
        p = round(unit * problem.region_population[r] / total_pop)
        slack = model.new_int_var(0, unit * len(candidates), f"d{r}")
        rel = round(problem.rel_tol * p)
        model.add_max_equality(slack, [rel * count, round(unit * problem.abs_tol)])
        deviation = unit * cp_model.LinearExpr.sum(by_region[r]) - p * count
        model.add(deviation <= slack)
        model.add(deviation >= -slack)
    model.maximize(weighted([x for x, _ in value_terms], [c for _, c in value_terms]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    objective = math.nan
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        objective = sum(arrays.values[i, j] for i, j, x in cells if solver.value(x))
    return {
        "objective": float(objective),
        "upper_bound": (solver.best_objective_bound + len(candidates)) / scale,
        "status": solver.status_name(status),
        "seconds": time.perf_counter() - started,
        "variables": len(chosen),
    }
