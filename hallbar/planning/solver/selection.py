"""Choose the follow-ups: a multiple-choice knapsack with per-area cardinality capacities.

Every supplier takes at most one of its allowed follow-up types (value = the expected risk the
type detects and has remedied, cost = the type's cost); the costs share one budget and each area
leads at most its capacity of follow-ups. Some suppliers must take a follow-up (``required``:
duties and critical suppliers, whose options are already restricted to audits), and each type
may have a minimum count (``minimum``: audits the strategy asks for).

The budget is dualised with one multiplier λ ≥ 0. For a fixed λ the rest splits by area and is
solved exactly: each supplier takes its best reduced profit max_j(v_ij − λ c_j) if positive, and
each area keeps the best ``capacity`` of them. So

    L(λ) = λ B + Σ_area top_capacity(max(0, max_j(v_ij − λ c_j)))

is an upper bound on the optimum for every λ ≥ 0 (weak duality), and since that subproblem's LP
is integral, min_λ L(λ) equals the LP relaxation's bound. L is convex and piecewise linear in λ;
bisection on its subgradient ``B − cost(x(λ))`` finds the minimum. The solution x(λ) just above
the minimiser fits the budget: it is the classic greedy by incremental efficiency on each
supplier's convex hull, and a fill step spends what is left.

Required suppliers take their best reduced profit even when it is negative, which keeps L(λ) an
upper bound. The minimum counts are left out of L: dropping a constraint only raises the bound,
so it stays valid; the greedy plan meets them by reserving the best suppliers for each minimum.

The exact mode keeps L's multiplier and fixes, by Lagrangian reduced-cost arguments, every
(supplier, option) whose bound when forced cannot beat the greedy plan (valid with the minimum
counts too: any better plan uses only the options left open); a MIP solver (SCIP, or CP-SAT on
integers) then solves the small core that is left, with the minimum counts, warm-started from
the greedy plan.
SCIP is the default: its LP bound closes these knapsack cores in seconds where CP-SAT, at 400
core suppliers, still had the Lagrangian bound after 10 s.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

NONE = -1
# Capacity standing in for "unlimited": larger than any supplier count.
UNLIMITED = 1 << 40
# Relative safety margin on float sums of the bound (pairwise summation errs ~1e-15 × log n).
BOUND_MARGIN = 1e-12


@dataclass(slots=True)
class Arrays:
    """The selection problem as arrays: n suppliers × m follow-up types."""

    values: np.ndarray  # (n, m) exposure × coverage; -inf where the type is not allowed
    costs: np.ndarray  # (m,)
    area_index: np.ndarray  # (n,) int
    capacities: np.ndarray  # (areas,) int, UNLIMITED when none is set
    budget: float
    # (n,) bool: must take a follow-up; empty (the default) means none must
    required: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # (m,) int: least number of each type; empty (the default) means no minimum
    minimum: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        if self.required.size == 0:
            self.required = np.zeros(self.values.shape[0], dtype=bool)
        if self.minimum.size == 0:
            self.minimum = np.zeros(self.values.shape[1], dtype=np.int64)

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    @property
    def m(self) -> int:
        return int(self.values.shape[1])


@dataclass(slots=True)
class Selection:
    """A chosen option per supplier (``NONE`` or a type index) and its quality."""

    option: np.ndarray
    objective: float
    upper_bound: float
    greedy_objective: float
    status: str  # the exact search's outcome, "" when it did not run
    core_size: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Relaxation:
    lam: float
    bound: float
    best: np.ndarray  # (n,) max_j reduced profit (-inf if nothing is allowed)
    arg: np.ndarray  # (n,) argmax
    chosen: np.ndarray  # (n,) bool: taken by the relaxation at this λ
    cost: float


def _area_groups(arrays: Arrays) -> list[tuple[int, np.ndarray]]:
    """Return the supplier indices of each area whose capacity can bind."""
    groups: list[tuple[int, np.ndarray]] = []
    counts = np.bincount(arrays.area_index, minlength=len(arrays.capacities))
    order = np.argsort(arrays.area_index, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)))
    for a, capacity in enumerate(arrays.capacities):
        if capacity < counts[a]:
            groups.append((a, order[starts[a] : starts[a + 1]]))
    return groups


def _relax(arrays: Arrays, lam: float, groups: list[tuple[int, np.ndarray]]) -> _Relaxation:
    reduced = arrays.values - lam * arrays.costs
    arg = reduced.argmax(axis=1)
    best = reduced[np.arange(arrays.n), arg]
    required = arrays.required
    chosen = (best > 0) | required
    for a, members in groups:
        capacity = int(arrays.capacities[a]) - int(required[members].sum())
        positive = members[chosen[members] & ~required[members]]
        if len(positive) > capacity:
            keep = (
                np.argpartition(-best[positive], capacity - 1)[:capacity]
                if capacity > 0
                else np.zeros(0, dtype=np.int64)
            )
            chosen[positive] = False
            chosen[positive[keep]] = True
    profit = float(best[chosen].sum())
    cost = float(arrays.costs[arg[chosen]].sum())
    return _Relaxation(lam, lam * arrays.budget + profit, best, arg, chosen, cost)


def lagrangian_bound(arrays: Arrays, *, iterations: int = 100) -> tuple[_Relaxation, _Relaxation]:
    """Return the relaxation at the bound-minimising λ and the budget-feasible one just above.

    The first one's ``bound`` is the proven upper bound (the LP bound up to the bisection's
    precision); the second's ``chosen``/``arg`` fit the budget.
    """
    groups = _area_groups(arrays)
    low = _relax(arrays, 0.0, groups)
    if low.cost <= arrays.budget:
        return low, low
    positive = arrays.costs > 0
    with np.errstate(invalid="ignore"):
        ratios = arrays.values[:, positive] / arrays.costs[positive]
    lam_high = float(np.nanmax(np.where(np.isfinite(ratios), ratios, -np.inf)))
    lam_high = lam_high * (1 + 1e-9) + 1e-300
    high = _relax(arrays, lam_high, groups)
    # Required suppliers choose their cheapest option only once λ is high enough.
    for _ in range(200):
        if high.cost <= arrays.budget:
            break
        lam_high *= 2
        high = _relax(arrays, lam_high, groups)
    best = min((low, high), key=lambda r: r.bound)
    for _ in range(iterations):
        lam = 0.5 * (low.lam + high.lam)
        if not low.lam < lam < high.lam:
            break
        mid = _relax(arrays, lam, groups)
        if mid.bound < best.bound:
            best = mid
        if mid.cost > arrays.budget:
            low = mid
        else:
            high = mid
        if high.lam - low.lam <= 1e-13 * high.lam:
            break
    if high.bound < best.bound:
        best = high
    return best, high


def evaluate(arrays: Arrays, option: np.ndarray) -> tuple[float, float]:
    """Return (objective, cost) of a choice of options."""
    taken = option >= 0
    rows = np.nonzero(taken)[0]
    value = float(arrays.values[rows, option[rows]].sum())
    cost = float(arrays.costs[option[rows]].sum())
    return value, cost


def is_feasible(arrays: Arrays, option: np.ndarray) -> bool:
    """Return whether a choice respects the budget, the capacities and the allowed types."""
    taken = option >= 0
    rows = np.nonzero(taken)[0]
    if not np.all(np.isfinite(arrays.values[rows, option[rows]])):
        return False
    if np.any(arrays.required & ~taken):
        return False
    if np.any(np.bincount(option[rows], minlength=arrays.m) < arrays.minimum):
        return False
    _, cost = evaluate(arrays, option)
    if cost > arrays.budget * (1 + 1e-12) + 1e-9:
        return False
    counts = np.bincount(arrays.area_index[taken], minlength=len(arrays.capacities))
    return bool(np.all(counts <= arrays.capacities))


def _fill(arrays: Arrays, option: np.ndarray) -> np.ndarray:
    """Spend the budget left by upgrading or adding, largest value gain first."""
    option = option.copy()
    rows = np.arange(arrays.n)
    taken = option >= 0
    cur_value = np.where(taken, arrays.values[rows, np.maximum(option, 0)], 0.0)
    cur_cost = np.where(taken, arrays.costs[np.maximum(option, 0)], 0.0)
    spent = float(cur_cost.sum())
    room = arrays.capacities - np.bincount(
        arrays.area_index[taken], minlength=len(arrays.capacities)
    )
    tolerance = 1e-9 * max(1.0, arrays.budget)
    for _ in range(arrays.n * arrays.m):
        left = arrays.budget - spent
        if left < float(arrays.costs.min()) - tolerance:
            break
        gain = arrays.values - cur_value[:, None]
        extra = arrays.costs[None, :] - cur_cost[:, None]
        ok = (extra <= left + tolerance) & (gain > 0)
        ok &= ((option >= 0) | (room[arrays.area_index] > 0))[:, None]
        if not ok.any():
            break
        score = np.where(ok, gain, -np.inf)
        flat = int(score.argmax())
        i, j = divmod(flat, arrays.m)
        if option[i] < 0:
            room[arrays.area_index[i]] -= 1
        spent += float(extra[i, j])
        option[i] = j
        cur_value[i] = arrays.values[i, j]
        cur_cost[i] = arrays.costs[j]
    return option


class Infeasible(ValueError):
    """No choice meets the required follow-ups, the minimum counts, budget and capacities."""


def _reserve_minimum(arrays: Arrays) -> Arrays:
    """Return the arrays with every required supplier held to its cheapest option and, for each
    minimum count, the suppliers most valuable for that type required to take it.

    Its greedy plan meets the minimum counts; raise ``Infeasible`` if none can.
    """
    if not arrays.minimum.any():
        return arrays
    values = arrays.values.copy()
    required = arrays.required.copy()
    rows = np.nonzero(required)[0]
    # Required suppliers keep their cheapest option, so that the count of each type is known.
    cheapest = np.where(np.isfinite(values[rows]), arrays.costs[None, :], np.inf).argmin(axis=1)
    held = np.full_like(values[rows], -np.inf)
    held[np.arange(len(rows)), cheapest] = values[rows, cheapest]
    values[rows] = held
    counts = np.bincount(cheapest, minlength=arrays.m)
    room = arrays.capacities - np.bincount(
        arrays.area_index[required], minlength=len(arrays.capacities)
    )
    spent = float(arrays.costs[cheapest].sum())
    for j in np.argsort(-arrays.costs):  # dearest first: they are the scarcest
        need = int(arrays.minimum[j] - counts[j])
        if need <= 0:
            continue
        free = np.nonzero(~required & np.isfinite(values[:, j]))[0]
        free = free[np.argsort(-values[free, j], kind="stable")]
        chosen: list[int] = []
        for i in free:
            if len(chosen) == need:
                break
            if room[arrays.area_index[i]] > 0:
                room[arrays.area_index[i]] -= 1
                chosen.append(int(i))
        if len(chosen) < need:
            raise Infeasible(f"minimum of type {j}: only {len(chosen)} of {need} suppliers fit")
        taken = np.asarray(chosen, dtype=np.int64)
        row = np.full(arrays.m, -np.inf)
        for i in taken:
            kept = row.copy()
            kept[j] = values[i, j]
            values[i] = kept
        required[taken] = True
        spent += need * float(arrays.costs[j])
    if spent > arrays.budget * (1 + 1e-12) + 1e-9:
        raise Infeasible("the minimum counts do not fit in the budget")
    return Arrays(
        values, arrays.costs, arrays.area_index, arrays.capacities, arrays.budget, required
    )


def greedy(arrays: Arrays) -> tuple[np.ndarray, _Relaxation]:
    """Return the greedy choice (fits every constraint) and the bounding relaxation."""
    bounding, feasible = lagrangian_bound(arrays)
    start = _reserve_minimum(arrays)
    if start is not arrays:
        _, feasible = lagrangian_bound(start)
    option = np.where(feasible.chosen, feasible.arg, NONE)
    option = _fill(start, option)
    if not is_feasible(arrays, option):
        raise Infeasible("the required follow-ups do not fit the budget or the capacities")
    return option, bounding


def _forced_bounds(arrays: Arrays, relax: _Relaxation) -> tuple[np.ndarray, np.ndarray]:
    """Return L(λ) with supplier i forced to type j (n × m) and forced to nothing (n)."""
    profit = np.where(relax.chosen, relax.best, 0.0)
    reduced = arrays.values - relax.lam * arrays.costs
    drop = np.zeros(len(arrays.capacities))  # what forcing one more supplier in costs
    nxt = np.zeros(len(arrays.capacities))  # who replaces a chosen supplier forced out
    blocked = np.zeros(len(arrays.capacities), dtype=bool)
    counts = np.bincount(arrays.area_index[relax.chosen], minlength=len(arrays.capacities))
    free = relax.chosen & ~arrays.required
    for a, capacity in enumerate(arrays.capacities):
        if counts[a] < capacity:
            continue
        members = arrays.area_index == a
        if not np.any(members & free):  # full of required suppliers: no one can come in
            blocked[a] = True
            continue
        drop[a] = profit[members & free].min()
        rest = relax.best[members & ~relax.chosen]
        rest = rest[rest > 0]
        nxt[a] = float(rest.max()) if len(rest) else 0.0
    area = arrays.area_index
    replaced = np.where(relax.chosen, profit, drop[area])
    forced = relax.bound - replaced[:, None] + reduced
    forced[~relax.chosen & blocked[area]] = -np.inf
    forced_none = np.where(relax.chosen, relax.bound - profit + nxt[area], relax.bound)
    forced_none[arrays.required] = -np.inf
    return forced, forced_none


@dataclass(slots=True)
class _Core:
    """What is left to decide once the Lagrangian bound has fixed the rest."""

    rows: np.ndarray  # core supplier indices
    keep: np.ndarray  # (n, m) bool: options still open
    keep_none: np.ndarray  # (n,) bool: "no follow-up" still open
    fixed: np.ndarray  # option of every supplier outside the core (NONE inside it)
    fixed_value: float
    budget_left: float
    room: np.ndarray  # capacity left per area
    need: np.ndarray  # (m,) how many of each type the core must still take


def _reduce(arrays: Arrays, incumbent_value: float, relax: _Relaxation) -> _Core | None:
    """Fix every option that, forced, cannot beat the incumbent; None if nothing can."""
    forced, forced_none = _forced_bounds(arrays, relax)
    margin = 1e-9 * max(abs(relax.bound), 1.0)
    keep = np.isfinite(arrays.values) & (forced + margin > incumbent_value)
    keep_none = forced_none + margin > incumbent_value
    options_left = keep.sum(axis=1) + keep_none
    if np.any(options_left == 0):
        # Every option of some supplier is bounded by the incumbent: nothing beats it.
        return None
    fixed = np.full(arrays.n, NONE)
    single = np.nonzero(options_left == 1)[0]
    fixed_rows = single[~keep_none[single]]
    fixed[fixed_rows] = keep[fixed_rows].argmax(axis=1)
    fixed_value, fixed_cost = evaluate(arrays, fixed)
    counts = np.bincount(arrays.area_index[fixed >= 0], minlength=len(arrays.capacities))
    have = np.bincount(fixed[fixed >= 0], minlength=arrays.m)
    return _Core(
        rows=np.nonzero(options_left > 1)[0],
        keep=keep,
        keep_none=keep_none,
        fixed=fixed,
        fixed_value=fixed_value,
        budget_left=arrays.budget - fixed_cost,
        room=arrays.capacities - counts,
        need=np.maximum(arrays.minimum - have, 0),
    )


def _core_mip(
    arrays: Arrays, core: _Core, incumbent: np.ndarray, *, time_limit_s: float, abs_gap: float
) -> tuple[np.ndarray | None, float, str]:
    """Solve the core with SCIP; return (solution or None, bound on the core's value, status).

    The bound is SCIP's dual bound: floating-point LP with its default 1e-9 tolerances.
    """
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None, math.inf, "scip unavailable"
    cells = [(int(i), int(j)) for i in core.rows for j in np.nonzero(core.keep[i])[0]]
    x = [solver.BoolVar("") for _ in cells]
    by_row: dict[int, list[Any]] = {}
    by_area: dict[int, list[Any]] = {}
    budget = solver.Constraint(-solver.infinity(), core.budget_left)
    objective = solver.Objective()
    for (i, j), var in zip(cells, x, strict=True):
        by_row.setdefault(i, []).append(var)
        by_area.setdefault(int(arrays.area_index[i]), []).append(var)
        budget.SetCoefficient(var, float(arrays.costs[j]))
        objective.SetCoefficient(var, float(arrays.values[i, j]))
    for i, row in by_row.items():
        choose = solver.Constraint(0 if core.keep_none[i] else 1, 1)
        for var in row:
            choose.SetCoefficient(var, 1)
    for a, members in by_area.items():
        if core.room[a] < len(members):
            limit = solver.Constraint(0, int(core.room[a]))
            for var in members:
                limit.SetCoefficient(var, 1)
    for j, need in enumerate(core.need):
        if need > 0:
            least = solver.Constraint(int(need), solver.infinity())
            for (_, k), var in zip(cells, x, strict=True):
                if k == j:
                    least.SetCoefficient(var, 1)
    objective.SetMaximization()
    solver.SetHint(x, [float(incumbent[i] == j) for i, j in cells])
    solver.SetTimeLimit(max(10, int(time_limit_s * 1000)))
    solver.SetSolverSpecificParametersAsString(f"limits/gap = 0\nlimits/absgap = {abs_gap!r}\n")
    status = solver.Solve()
    names = {
        pywraplp.Solver.OPTIMAL: "optimal",
        pywraplp.Solver.FEASIBLE: "feasible",
        pywraplp.Solver.INFEASIBLE: "infeasible",
    }
    name = names.get(status, "unknown")
    if status == pywraplp.Solver.INFEASIBLE:
        return None, -math.inf, name
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None, math.inf, name
    solution = core.fixed.copy()
    for (i, j), var in zip(cells, x, strict=True):
        if var.solution_value() > 0.5:
            solution[i] = j
    return solution, objective.BestBound(), name


def _core_cpsat(
    arrays: Arrays,
    core: _Core,
    incumbent: np.ndarray,
    *,
    time_limit_s: float,
    abs_gap: float,
    workers: int,
) -> tuple[np.ndarray | None, float, str]:
    """Solve the core with CP-SAT on integers; return (solution, bound on the core, status).

    Costs are counted in öre and values scaled to integers rounded down, so the bound is exact
    arithmetic plus the rounding of each taken value.
    """
    from ortools.sat.python import cp_model

    cents = arrays.costs * 100
    if not np.all(np.abs(cents - np.round(cents)) < 1e-6):
        return None, math.inf, "cp-sat needs costs in whole öre"
    cost_int = np.round(cents).astype(np.int64)
    budget_int = math.floor(core.budget_left * 100 + 1e-6)
    if budget_int < 0 or np.any(core.room < 0) or core.need.sum() > len(core.rows):
        return None, -math.inf, "infeasible"
    values = np.where(core.keep[core.rows], arrays.values[core.rows], 0.0)
    scale = 1e15 / (float(values.max(axis=1).sum()) or 1.0)
    model = cp_model.CpModel()
    cells: list[tuple[int, int]] = []
    variables: list[Any] = []
    per_area: dict[int, list[Any]] = {}
    for i in core.rows:
        row = []
        for j in np.nonzero(core.keep[i])[0]:
            var = model.new_bool_var("")
            row.append(var)
            cells.append((int(i), int(j)))
            variables.append(var)
            model.add_hint(var, bool(incumbent[i] == j))
        if core.keep_none[i]:
            model.add_at_most_one(row)
        else:
            model.add_exactly_one(row)
        per_area.setdefault(int(arrays.area_index[i]), []).extend(row)
    weighted = cp_model.LinearExpr.weighted_sum
    model.add(weighted(variables, [int(cost_int[j]) for _, j in cells]) <= budget_int)
    for a, members in per_area.items():
        if core.room[a] < len(members):
            model.add(cp_model.LinearExpr.sum(members) <= int(core.room[a]))
    for k, need in enumerate(core.need):
        if need > 0:
            model.add(
                cp_model.LinearExpr.sum(
                    [v for (_, t), v in zip(cells, variables, strict=True) if t == k]
                )
                >= int(need)
            )
    model.maximize(weighted(variables, [math.floor(arrays.values[c] * scale) for c in cells]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.absolute_gap_limit = abs_gap * scale
    status = solver.solve(model)
    name = solver.status_name(status).lower()
    if status == cp_model.INFEASIBLE:
        return None, -math.inf, name
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, math.inf, name
    solution = core.fixed.copy()
    for (r, c), var in zip(cells, variables, strict=True):
        if solver.value(var):
            solution[r] = c
    # floor(v·scale) undercounts each taken value by less than 1/scale.
    return solution, (solver.best_objective_bound + len(core.rows)) / scale, name


def _solve_core(
    arrays: Arrays,
    incumbent: np.ndarray,
    incumbent_value: float,
    relax: _Relaxation,
    *,
    time_limit_s: float,
    target_gap: float,
    workers: int,
    engine: str,
) -> tuple[np.ndarray, float, int, str]:
    """Fix what cannot improve on the incumbent and solve the rest exactly.

    Return (best option, upper bound, core size, status). Any plan better than the incumbent
    uses only open options, so the optimum is at most max(incumbent, fixed + core bound).
    """
    core = _reduce(arrays, incumbent_value, relax)
    if core is None:
        return incumbent, incumbent_value, 0, "settled by the bound"
    if not len(core.rows):
        if is_feasible(arrays, core.fixed) and core.fixed_value > incumbent_value:
            return core.fixed, core.fixed_value, 0, "settled by the bound"
        return incumbent, incumbent_value, 0, "settled by the bound"
    # Stop once the whole plan is within the target: the core's absolute gap is the plan's.
    abs_gap = max(0.0, target_gap * incumbent_value)
    if engine == "cpsat":
        solution, core_bound, status = _core_cpsat(
            arrays, core, incumbent, time_limit_s=time_limit_s, abs_gap=abs_gap, workers=workers
        )
    else:
        solution, core_bound, status = _core_mip(
            arrays, core, incumbent, time_limit_s=time_limit_s, abs_gap=abs_gap
        )
    best, best_value = incumbent, incumbent_value
    if solution is not None and is_feasible(arrays, solution):
        value, _ = evaluate(arrays, solution)
        if value > best_value:
            best, best_value = solution, value
    bound = max(incumbent_value, core.fixed_value + core_bound)
    return best, bound, len(core.rows), f"{engine} {status}"


def select(
    arrays: Arrays,
    *,
    exact: bool,
    time_limit_s: float = 20.0,
    target_gap: float = 0.0,
    workers: int = 2,
    engine: str = "scip",
) -> Selection:
    """Return the chosen option per supplier with its proven upper bound.

    ``exact``: search until the plan is proven within ``target_gap`` of the optimum (0: proven
    optimal) or ``time_limit_s`` runs out. Raise ``Infeasible`` when no plan meets the required
    follow-ups and the minimum counts.
    """
    started = time.perf_counter()
    option, relax = greedy(arrays)
    greedy_value, _ = evaluate(arrays, option)
    bound = relax.bound * (1 + BOUND_MARGIN)
    bound = max(bound, greedy_value)
    status = ""
    core_size = 0
    messages: list[str] = []
    gap = (bound - greedy_value) / bound if bound > 0 else 0.0
    value = greedy_value
    if exact and gap > max(target_gap, 1e-9):
        remaining = time_limit_s - (time.perf_counter() - started)
        if remaining <= 0:
            return Selection(option, value, bound, greedy_value, "time limit", 0, messages)
        option, core_bound, core_size, status = _solve_core(
            arrays,
            option,
            greedy_value,
            relax,
            time_limit_s=remaining,
            target_gap=target_gap,
            workers=workers,
            engine=engine,
        )
        value, _ = evaluate(arrays, option)
        bound = max(value, min(bound, core_bound))
    return Selection(option, value, bound, greedy_value, status, core_size, messages)
