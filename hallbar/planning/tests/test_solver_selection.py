"""The selection against exhaustive enumeration and the LP relaxation; no database."""

import itertools

import numpy as np
import pytest
from ortools.linear_solver import pywraplp

from hallbar.planning.solver import (
    Candidate,
    DutiesDoNotFit,
    FollowUpType,
    Problem,
    ValidationError,
    build_arrays,
    default_types,
    plan,
)
from hallbar.planning.solver.selection import greedy, is_feasible

REGIONS = {"01": 2_450_000, "12": 1_420_000, "14": 1_770_000, "09": 61_000}


def random_problem(seed: int, suppliers: int, *, duties: bool = True) -> Problem:
    """Return a small instance where every constraint can bind (without duties and minimum
    audits when ``duties`` is false)."""
    rng = np.random.default_rng(seed)
    codes = list(REGIONS)
    candidates = [
        Candidate(
            id=f"s{i}",
            exposure=float(rng.pareto(1.5) * 100 + 1),
            area=str(rng.choice(["A", "B", "C"])),
            regions=tuple(rng.choice(codes, size=int(rng.integers(1, 4)), replace=False)),
            has_self_assessment=bool(rng.random() < 0.5),
            has_office_audit=bool(rng.random() < 0.3),
            zero_tolerance_signal=bool(rng.random() < 0.1) and duties,
            critical=bool(rng.random() < 0.3),
            open_deviations=bool(rng.random() < 0.15) and duties,
        )
        for i in range(suppliers)
    ]
    types = [
        FollowUpType(t.name, float(rng.integers(1, 30) * 1000), t.coverage) for t in default_types()
    ]
    capacity = {a: int(rng.integers(1, 4)) for a in "AB" if rng.random() < 0.7}
    return Problem(
        candidates=candidates,
        budget_sek=float(rng.integers(5, 80) * 1000),
        region_population=REGIONS,
        types=types,
        area_capacity=capacity,
        minimum_audits={
            "office_audit": int(rng.integers(0, 2)) * duties,
            "factory_audit": int(rng.random() < 0.2) * duties,
        },
        critical_share=float(rng.choice([0.0, 0.5, 1.0])),
    )


def brute_force(problem: Problem) -> float:
    """Return the optimum by enumerating every assignment of options to suppliers."""
    arrays = build_arrays(problem, list(problem.candidates))
    n, m = arrays.values.shape
    options = np.array(list(itertools.product(range(-1, m), repeat=n)))  # (k, n)
    taken = options >= 0
    rows = np.arange(n)
    values = np.where(taken, arrays.values[rows, np.maximum(options, 0)], 0.0)
    costs = np.where(taken, arrays.costs[np.maximum(options, 0)], 0.0)
    ok = np.all(np.isfinite(values), axis=1) & (costs.sum(axis=1) <= arrays.budget + 1e-9)
    ok &= np.all(taken[:, arrays.required], axis=1)
    for j, least in enumerate(arrays.minimum):
        ok &= (options == j).sum(axis=1) >= least
    for a, capacity in enumerate(arrays.capacities):
        ok &= (taken & (arrays.area_index == a)).sum(axis=1) <= capacity
    return float(np.where(ok, values.sum(axis=1), -np.inf).max())


def lp_bound(problem: Problem) -> float:
    """Return the LP relaxation's optimum without the minimum counts, solved by GLOP."""
    arrays = build_arrays(problem, list(problem.candidates))
    solver = pywraplp.Solver.CreateSolver("GLOP")
    n, m = arrays.values.shape
    x = {
        (i, j): solver.NumVar(0, 1, f"x{i}_{j}")
        for i in range(n)
        for j in range(m)
        if np.isfinite(arrays.values[i, j])
    }
    for i in range(n):
        row = sum(v for (k, _), v in x.items() if k == i)
        solver.Add(row <= 1)
        if arrays.required[i]:
            solver.Add(row >= 1)
    solver.Add(sum(arrays.costs[j] * v for (_, j), v in x.items()) <= arrays.budget)
    for a, capacity in enumerate(arrays.capacities):
        members = [v for (i, _), v in x.items() if arrays.area_index[i] == a]
        if members and capacity < n:
            solver.Add(sum(members) <= int(capacity))
    solver.Maximize(sum(arrays.values[i, j] * v for (i, j), v in x.items()))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return solver.Objective().Value()


@pytest.mark.parametrize("seed", range(30))
def test_optimal_mode_matches_brute_force(seed):
    # Given a small random instance and its optimum by enumeration
    problem = random_problem(seed, suppliers=6 if seed % 3 else 7)
    try:
        optimum = brute_force(problem)
    except DutiesDoNotFit as error:
        # The duties alone do not fit: the planner refuses too, listing every duty
        with pytest.raises(DutiesDoNotFit):
            plan(problem)
        duties = [c for c in problem.candidates if c.duty()]
        assert sorted(d[0] for d in error.duties) == sorted(c.id for c in duties)
        return
    except ValidationError:  # the minimum audits do not fit the budget left
        with pytest.raises(ValidationError):
            plan(problem)
        return
    if optimum == -np.inf:  # no plan meets the minimum audits: the planner says so
        with pytest.raises(ValidationError, match="minimum audits"):
            plan(problem)
        return

    # When it is planned in both modes (the exact one with either engine)
    engine = "cpsat" if seed % 2 else "scip"
    exact = plan(problem, mode="optimal", target_gap=0.0, time_limit_s=10, engine=engine)
    quick = plan(problem, mode="interactive")

    # Then the exact mode finds the optimum and every bound holds
    tolerance = 1e-9 * max(1.0, optimum)
    assert exact.objective == pytest.approx(optimum, rel=1e-9, abs=1e-9)
    assert exact.proven_optimal
    assert exact.status == "optimal"
    for result in (exact, quick):
        assert result.greedy_objective <= optimum + tolerance
        assert result.objective <= optimum + tolerance
        assert result.upper_bound >= optimum - tolerance
        if result.upper_bound - result.objective > 1e-9:
            expected = (result.upper_bound - result.objective) / result.upper_bound
            assert result.gap == pytest.approx(expected, rel=1e-12)
        else:
            assert result.gap == 0.0
        assert result.objective >= result.greedy_objective
    assert quick.objective == quick.greedy_objective


@pytest.mark.parametrize("seed", range(10))
def test_upper_bound_is_the_lp_bound(seed):
    # Given an instance and its LP relaxation solved by GLOP
    problem = random_problem(100 + seed, suppliers=12, duties=False)
    lp = lp_bound(problem)

    # When the interactive mode bounds it
    result = plan(problem, mode="interactive")

    # Then its Lagrangian bound is the LP bound, never below it
    assert result.upper_bound >= lp * (1 - 1e-9) - 1e-9
    assert result.upper_bound <= lp * (1 + 1e-6) + 1e-6


@pytest.mark.parametrize("seed", range(5))
def test_greedy_is_feasible_on_larger_instances(seed):
    problem = random_problem(200 + seed, suppliers=400, duties=False)
    arrays = build_arrays(problem, list(problem.candidates))

    option, relax = greedy(arrays)

    assert is_feasible(arrays, option)
    exact = plan(problem, mode="optimal", target_gap=0.0, time_limit_s=5)
    assert exact.proven_optimal
    assert exact.objective >= exact.greedy_objective
    assert exact.upper_bound <= relax.bound * (1 + 1e-9)
