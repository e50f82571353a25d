"""Run the spend screening benchmark: ``python -m bench.risk_screen [--rows 1000000,10000000]``."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from . import (
    TOP,
    YEAR,
    child_main,
    compare_top,
    cpu_count,
    generate,
    unmatched_share,
    write_inputs,
)

PROJECT = Path(__file__).resolve().parents[2]
ORDER = ("product", "pandas", "sql")
TARGETS = "product ≤ 1.25 × bare SQL, pandas ≥ 8 × product, product peak < 512 MB, import < 10 s"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.risk_screen",
        description="Import generated invoice lines from CSV to Parquet and screen them three ways.",
    )
    parser.add_argument(
        "--rows", default="1000000,10000000", help="comma-separated line counts to run"
    )
    parser.add_argument("--seed", type=int, default=2025, help="random seed")
    parser.add_argument("--suppliers", type=int, default=20_000)
    parser.add_argument("--categories", type=int, default=50)
    parser.add_argument(
        "--threads", type=int, default=cpu_count(), help="DuckDB threads (default: the cores)"
    )
    parser.add_argument(
        "--variants", default=",".join(ORDER), help="comma-separated subset of " + ",".join(ORDER)
    )
    parser.add_argument("--work", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _run_child(variant: str, work: Path, threads: int) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.risk_screen", "--child", variant, "--work", str(work)]
        + ["--threads", str(threads)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{variant} failed with exit code {done.returncode}")
    figures = json.loads(done.stdout)
    figures["wall_s"] = wall
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, import and screen each size; print the table and check the results agree."""
    args = _parse(argv)
    if args.child:
        child_main(args.child, args.work, args.threads)
        return 0
    sizes = [int(r.replace("_", "")) for r in args.rows.split(",") if r]
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(ORDER)
    if unknown:
        raise SystemExit(f"unknown variant(s): {', '.join(sorted(unknown))}")
    base = args.work or Path(tempfile.mkdtemp(prefix="risk-screen-"))
    print(
        f"risk_screen: year {YEAR}, {args.suppliers} suppliers, {args.categories} categories, "
        f"21 regions, seed {args.seed}, DuckDB threads {args.threads}, work {base}"
    )
    table = []
    failures = []
    try:
        for rows in sizes:
            work = base / f"rows-{rows}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            started = time.perf_counter()
            data = generate(
                rows, seed=args.seed, suppliers=args.suppliers, categories=args.categories
            )
            generated = time.perf_counter()
            csv_path = write_inputs(work, data)
            written = time.perf_counter()
            share = unmatched_share(data.lines)
            del data
            print(
                f"\n{rows:,} lines: generated in {generated - started:.1f} s, CSV "
                f"({csv_path.stat().st_size / 2**20:,.0f} MiB) written in "
                f"{written - generated:.1f} s; unmatched share of spend {share:.1%}"
            )
            imported = _run_child("import", work, args.threads)
            spend_mb = sum(p.stat().st_size for p in (work / "spend").rglob("*.parquet")) / 2**20
            print(
                f"import CSV → Parquet: {imported['import_s']:.2f} s "
                f"(read CSV {imported['read_s']:.2f} s, validate + write "
                f"{imported['validate_write_s']:.2f} s; {imported['partitions']} partitions, "
                f"{spend_mb:,.0f} MiB), whole process {imported['wall_s']:.2f} s, "
                f"peak {imported['peak_mb']:,.0f} MB"
            )
            results = {}
            for variant in variants:
                results[variant] = _run_child(variant, work, args.threads)
                print(
                    f"  {variant:8} {results[variant]['wall_s']:7.2f} s "
                    f"{results[variant]['peak_mb']:8,.0f} MB",
                    flush=True,
                )
            for other in variants[1:]:
                problems = compare_top(work, variants[0], other)
                status = "same" if not problems else "DIFFERENT: " + "; ".join(problems)
                print(f"  top {TOP} {variants[0]} vs {other}: {status}")
                if problems:
                    failures.append(f"{rows}: {variants[0]} vs {other}")
            table.append((rows, imported, results))
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(base, ignore_errors=True)

    print(f"\n{'rows':>12}  {'variant':8} {'wall s':>8} {'peak MB':>9} {'× bare SQL':>11}")
    for rows, imported, results in table:
        bare = results.get("sql", {}).get("wall_s")
        for variant in variants:
            figures = results[variant]
            ratio = f"{figures['wall_s'] / bare:.2f}" if bare else "-"
            print(
                f"{rows:>12,}  {variant:8} {figures['wall_s']:8.2f} {figures['peak_mb']:9,.0f} "
                f"{ratio:>11}"
            )
        print(
            f"{rows:>12,}  {'import':8} {imported['wall_s']:8.2f} {imported['peak_mb']:9,.0f} "
            f"{'':>11}  (CSV → Parquet {imported['import_s']:.2f} s in process)"
        )
    print(f"\ntargets (at 10 M lines): {TARGETS}")
    for rows, imported, results in table:
        product = results.get("product")
        checks = [
            f"import {imported['import_s']:.2f} s {'ok' if imported['import_s'] < 10 else 'MISSED'}"
        ]
        if product and "sql" in results:
            ratio = product["wall_s"] / results["sql"]["wall_s"]
            checks.append(f"product/SQL {ratio:.2f} {'ok' if ratio <= 1.25 else 'MISSED'}")
        if product and "pandas" in results:
            speedup = results["pandas"]["wall_s"] / product["wall_s"]
            checks.append(f"pandas/product {speedup:.1f} {'ok' if speedup >= 8 else 'MISSED'}")
        if product:
            peak = product["peak_mb"]
            checks.append(f"product peak {peak:,.0f} MB {'ok' if peak < 512 else 'MISSED'}")
        print(f"{rows:>12,}: " + ", ".join(checks))
    if failures:
        print("results differ: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
