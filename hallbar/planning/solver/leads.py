"""Give each chosen follow-up a lead region: a flow with lower and upper bounds per region.

Follow-up f sends one unit to one of its participating regions; region r must receive between
lo_r and hi_r units, where [lo_r, hi_r] are the whole numbers within
N·p_r ± max(rel_tol·N·p_r, abs_tol). Lower bounds become demands at the region nodes, the rest
flows on to a sink, so a min-cost flow both decides feasibility and prefers, among feasible
assignments, the region with the largest share of the supplier's spend. When no assignment
fits, the bounds are widened by the least whole number v that makes one fit (binary search),
which minimises the largest violation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

# Unit cost of a lead whose region has no share of the supplier's spend.
PREFERENCE_SCALE = 1000


@dataclass(slots=True)
class LeadAssignment:
    """The lead region per follow-up and how fair the shares are."""

    leads: list[str]
    counts: dict[str, int]
    bounds: dict[str, tuple[int, int]]
    feasible: bool
    max_violation: int


def lead_bounds(
    count: int, population: Mapping[str, float], *, rel_tol: float, abs_tol: float
) -> dict[str, tuple[int, int]]:
    """Return each region's allowed number of leads [lo, hi] for ``count`` follow-ups."""
    total = float(sum(population.values()))
    bounds = {}
    for region, people in population.items():
        target = count * people / total
        slack = max(rel_tol * target, abs_tol)
        lo = max(0, math.ceil(target - slack - 1e-9))
        hi = min(count, math.floor(target + slack + 1e-9))
        bounds[region] = (lo, hi)
    return bounds


def _solve(
    regions: list[str],
    tails: np.ndarray,
    heads: np.ndarray,
    costs: np.ndarray,
    count: int,
    lo: np.ndarray,
    hi: np.ndarray,
) -> np.ndarray | None:
    """Return the region index per follow-up, or None when the bounds admit no assignment."""
    if np.any(lo > hi) or lo.sum() > count or hi.sum() < count:
        return None
    n_regions = len(regions)
    sink = count + n_regions
    flow = min_cost_flow.SimpleMinCostFlow()
    region_nodes = count + np.arange(n_regions)
    all_tails = np.concatenate((tails, region_nodes))
    all_heads = np.concatenate((count + heads, np.full(n_regions, sink)))
    capacities = np.concatenate((np.ones(len(tails), dtype=np.int64), hi - lo))
    unit_costs = np.concatenate((costs, np.zeros(n_regions, dtype=np.int64)))
    flow.add_arcs_with_capacity_and_unit_cost(all_tails, all_heads, capacities, unit_costs)
    supplies = np.concatenate((np.ones(count, dtype=np.int64), -lo, [-(count - int(lo.sum()))]))
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    used = flow.flows(np.arange(len(tails))) > 0
    result = np.full(count, -1)
    result[tails[used]] = heads[used]
    return result


def assign_leads(
    participating: Sequence[Sequence[str]],
    population: Mapping[str, float],
    *,
    rel_tol: float,
    abs_tol: float,
    shares: Sequence[Mapping[str, float] | None] | None = None,
) -> LeadAssignment:
    """Assign one lead region per follow-up among its participating regions."""
    regions = list(population)
    index = {r: k for k, r in enumerate(regions)}
    count = len(participating)
    bounds = lead_bounds(count, population, rel_tol=rel_tol, abs_tol=abs_tol)
    tails, heads, costs = [], [], []
    for f, members in enumerate(participating):
        weights = (shares[f] if shares else None) or {}
        top = max((weights.get(r, 0.0) for r in members), default=0.0)
        for r in dict.fromkeys(members):
            tails.append(f)
            heads.append(index[r])
            share = weights.get(r, 0.0)
            costs.append(0 if top <= 0 else round(PREFERENCE_SCALE * (1 - share / top)))
    tails_a = np.asarray(tails, dtype=np.int64)
    heads_a = np.asarray(heads, dtype=np.int64)
    costs_a = np.asarray(costs, dtype=np.int64)
    lo = np.array([bounds[r][0] for r in regions], dtype=np.int64)
    hi = np.array([bounds[r][1] for r in regions], dtype=np.int64)
    result = _solve(regions, tails_a, heads_a, costs_a, count, lo, hi)
    violation = 0
    if result is None:
        low, high = 1, max(1, count)
        while low < high:
            mid = (low + high) // 2
            widened_lo = np.maximum(lo - mid, 0)
            if _solve(regions, tails_a, heads_a, costs_a, count, widened_lo, hi + mid) is None:
                low = mid + 1
            else:
                high = mid
        violation = low
        result = _solve(
            regions, tails_a, heads_a, costs_a, count, np.maximum(lo - low, 0), hi + low
        )
        assert result is not None  # with v = count every region may take 0..count leads
    leads = [regions[k] for k in result]
    counts = dict.fromkeys(regions, 0)
    for r in leads:
        counts[r] += 1
    return LeadAssignment(leads, counts, bounds, violation == 0, violation)
