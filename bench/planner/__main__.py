"""Run the follow-up planner benchmark: ``python -m bench.planner [--sizes 500,5000,20000]``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from hallbar.planning.solver import plan

from . import generate, monolithic_cpsat

TARGETS = (
    "interactive < 1 s, and optimal proven (or its proven gap reported) within the time limit "
    "at 20 000 suppliers"
)
# Checked: the benchmark exits with an error when interactive planning of this many suppliers or
# fewer takes longer than this (the planning page waits for it).
INTERACTIVE_LIMIT = (5000, 2.0)
# (label, mode, target gap, engine)
RUNS = (
    ("interactive", "interactive", 0.005, "scip"),
    ("optimal", "optimal", 0.0, "scip"),
    ("optimal to 0.5 %", "optimal", 0.005, "scip"),
    ("optimal cp-sat", "optimal", 0.0, "cpsat"),
)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.planner",
        description="Plan generated follow-up years of several sizes in each mode.",
    )
    parser.add_argument("--sizes", default="500,5000,20000", help="comma-separated supplier counts")
    parser.add_argument("--seed", type=int, default=2025, help="random seed")
    parser.add_argument("--time-limit", type=float, default=20.0, help="optimal mode, seconds")
    parser.add_argument(
        "--quick", action="store_true", help="sizes 500 and 5000, default target gap only"
    )
    parser.add_argument(
        "--monolithic",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="also solve the 500-supplier case as one CP-SAT model (supplier × type × lead) "
        "with this time limit, e.g. 10",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    sizes = [500, 5000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    runs = RUNS[:2] if args.quick else RUNS
    header = (
        f"{'suppliers':>9}  {'mode':<17} {'time s':>7} {'objective':>14} {'upper bound':>14} "
        f"{'gap':>9} {'greedy obj':>14} {'greedy gap':>10} {'core':>5} {'coord':>6} "
        f"{'uncoord':>7} {'avoided SEK':>12} {'fair':>5} {'audits':>6}"
    )
    print(f"Targets: {TARGETS}.")
    print(header)
    failures = []
    for size in sizes:
        started = time.perf_counter()
        problem = generate(size, seed=args.seed)
        generated = time.perf_counter() - started
        for label, mode, target, engine in runs:
            result = plan(
                problem,
                mode=mode,
                target_gap=target,
                time_limit_s=args.time_limit,
                engine=engine,
            )
            print(
                f"{size:>9,}  {label:<17} {result.solve_seconds:>7.3f} {result.objective:>14,.0f} "
                f"{result.upper_bound:>14,.0f} {result.gap:>9.2e} {result.greedy_objective:>14,.0f} "
                f"{result.greedy_gap:>10.2e} {result.core_size:>5} {result.coordinated_count:>6,} "
                f"{result.uncoordinated_count:>7,} {result.cost_avoided_sek:>12,.0f} "
                f"{'yes' if result.fairness_feasible else 'NO':>5} "
                f"{sum(c.type.endswith('audit') for c in result.choices):>6}"
            )
            limit_size, limit_seconds = INTERACTIVE_LIMIT
            if (
                mode == "interactive"
                and size <= limit_size
                and result.solve_seconds > limit_seconds
            ):
                failures.append(
                    f"{size} {label}: {result.solve_seconds:.2f} s, above {limit_seconds:.0f} s"
                )
            # The exact search may stop at its time limit; it must still prove 0.5 %.
            if mode == "optimal" and result.gap > max(target, 0.005):
                failures.append(f"{size} {label}: proven gap {result.gap:.2e} above 0.5 %")
        print(f"{'':>9}  (generated in {generated:.2f} s)")
        if args.monolithic and size == 500:
            mono = monolithic_cpsat(problem, time_limit_s=args.monolithic)
            gap = (mono["upper_bound"] - mono["objective"]) / mono["upper_bound"]
            print(
                f"{size:>9,}  {'monolithic cp-sat':<17} {mono['seconds']:>7.3f} "
                f"{mono['objective']:>14,.0f} {mono['upper_bound']:>14,.0f} {gap:>9.2e}   "
                f"({mono['status']}, {mono['variables']:,} variables, fairness as a constraint)"
            )
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
