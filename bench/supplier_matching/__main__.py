"""Run the supplier matching benchmark: ``python -m bench.supplier_matching [--suppliers N]``."""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence

from hallbar.suppliers.matching import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    build_clusters,
    clear_caches,
)

from . import pairwise_scores
from .generate import REGIONS, generate


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.supplier_matching",
        description="Cluster generated regional supplier registers and score the result.",
    )
    parser.add_argument("--suppliers", type=int, default=20_000, help="true suppliers")
    parser.add_argument("--seed", type=int, default=2025, help="random seed")
    parser.add_argument("--auto-threshold", type=float, default=DEFAULT_AUTO_THRESHOLD)
    parser.add_argument("--review-threshold", type=float, default=DEFAULT_REVIEW_THRESHOLD)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="measure peak Python heap with tracemalloc (slows the run down)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the registers, cluster them twice and print the figures."""
    args = _parse(argv)
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    data = generate(args.suppliers, args.seed)
    generated = time.perf_counter()
    records = [row.record for row in data.rows]
    truth = [row.supplier_id for row in data.rows]

    runs = []
    for label, use_names in (("identifiers only", False), ("identifiers + names", True)):
        clear_caches()  # each method starts cold
        begin = time.perf_counter()
        result = build_clusters(
            records,
            auto_threshold=args.auto_threshold,
            review_threshold=args.review_threshold,
            use_names=use_names,
        )
        seconds = time.perf_counter() - begin
        predicted = [result.clusters[record.key] for record in records]
        scores = pairwise_scores(truth, predicted)
        runs.append((label, scores, len(set(predicted)), len(result.review), seconds, result))
    finished = time.perf_counter()

    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"supplier matching benchmark: seed {args.seed}, {len(REGIONS)} regions, "
        f"{len(records):,} rows, {len(data.suppliers):,} true suppliers "
        f"(auto >= {args.auto_threshold:g}, review >= {args.review_threshold:g})"
    )
    header = (
        f"{'method':<21} {'precision':>9} {'recall':>7} {'F1':>7} "
        f"{'clusters':>9} {'review':>7} {'seconds':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, scores, clusters, review, seconds, _result in runs:
        print(
            f"{label:<21} {scores.precision:>9.4f} {scores.recall:>7.4f} {scores.f1:>7.4f} "
            f"{clusters:>9,} {review:>7,} {seconds:>8.2f}"
        )
    print("-" * len(header))
    print(
        f"true pairs {runs[-1][1].true_pairs:,}; generation {generated - started:.2f} s; ", end=""
    )
    print(f"total wall time {finished - started:.2f} s; peak RSS {peak_rss_mib:,.0f} MiB", end="")
    if args.tracemalloc:
        _current, peak = tracemalloc.get_traced_memory()
        print(f"; tracemalloc peak {peak / 2**20:,.0f} MiB", end="")
    print()
    skipped = runs[-1][5].skipped_blocks
    if skipped:
        print(f"warning: {skipped} oversized name blocks skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
