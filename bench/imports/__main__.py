"""Time the contract import from CSV and XLSX: ``python -m bench.imports [--rows 100000]``.

Sets up a throw-away SQLite database under a fresh temporary HALLBAR_DATA_DIR (or uses
DATABASE_URL when it is set, which must then name an empty scratch database), generates valid
contract rows for one lead region, writes them once as CSV and once as XLSX, and for each file
measures a dry run (validation only), the first import (validate + commit) and a re-import of the
same file, which must create and change nothing. Contracts and suppliers are cleared between the
two formats, so both measure a first import.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

SETTINGS = "config.settings"
FORMATS = ("csv", "xlsx")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")
_REPO = Path(__file__).resolve().parents[2]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.imports",
        description="Time importing generated contract rows from CSV and from XLSX.",
    )
    parser.add_argument("--rows", type=int, default=100_000, help="contract rows per file")
    parser.add_argument("--suppliers", type=int, default=5_000, help="distinct suppliers")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--lead", default="01", help="county code of the lead region")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the Python heap peak of each import (makes the imports slower)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="afterwards, import the CSV file once more under cProfile and print the hotspots",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (database and files)"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.suppliers < 1:
        parser.error("--rows and --suppliers must be at least 1")
    return args


class PeakMemory:
    """The peak resident set size of a phase of this process.

    Linux resets the high-water mark when 5 is written to /proc/self/clear_refs; elsewhere the
    figure is the peak since the process started (ru_maxrss), which `per_phase` says.
    """

    def __init__(self) -> None:
        self.per_phase = self._reset()

    def _reset(self) -> bool:
        try:
            _CLEAR_REFS.write_text("5")
        except OSError:
            return False
        return True

    def reset(self) -> None:
        if self.per_phase:
            self._reset()

    def peak_mib(self) -> float:
        if self.per_phase:
            for line in _STATUS.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return process_peak_mib()


def process_peak_mib() -> float:
    """Return ru_maxrss in MiB (kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


@dataclass
class Timed:
    seconds: float
    peak_rss_mib: float
    traced_mib: float | None = None
    validate_seconds: float | None = None
    job: Any = None


@dataclass
class Figures:
    """Everything measured for one file format."""

    size_bytes: int
    rows: int
    write_seconds: float
    read: Timed
    dry_run: Timed
    first: Timed
    again: Timed


def _setup_django(data_dir: Path) -> None:
    os.environ["HALLBAR_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # DEBUG keeps every SQL statement in memory; a benchmark measures the production setting.
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def _versions() -> list[str]:
    import django
    from django.db import connection

    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        elif vendor == "postgresql":
            cursor.execute("show server_version")
        else:
            cursor.execute("select version()")
        db_version = cursor.fetchone()[0]
    settings = connection.settings_dict
    where = settings["NAME"] if vendor == "sqlite" else f"{settings['HOST']}/{settings['NAME']}"
    usable = ""
    if hasattr(os, "sched_getaffinity"):
        usable = f", {len(os.sched_getaffinity(0))} usable"
    libraries = []
    for name in ("openpyxl", "python-calamine", "python-stdnum", "rapidfuzz", "pycountry"):
        try:
            libraries.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{name} (not installed)")
    return [
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"Django {django.get_version()}, {vendor} {db_version}",
        f"database {where}" + (" (from DATABASE_URL)" if os.environ.get("DATABASE_URL") else ""),
        f"machine {platform.machine()}, {os.cpu_count()} cores{usable}; {platform.platform()}",
        ", ".join(libraries),
    ]


def _prepare_database(lead_code: str) -> Any:
    """Migrate, load the reference data and the requirement library; return the lead region."""
    from django.core.management import call_command

    from hallbar.contracts.models import Contract
    from hallbar.organisations.models import Region
    from hallbar.organisations.services import load_reference_data
    from hallbar.suppliers.models import Supplier

    try:
        from hallbar.demo.requirements import load_requirement_library
    except ImportError as error:
        sys.exit(f"bench.imports: the requirement library loader is missing ({error}).")

    call_command("migrate", verbosity=0)
    if Contract.objects.exists() or Supplier.objects.exists():
        sys.exit(
            "bench.imports: the database already holds contracts or suppliers; point "
            "DATABASE_URL to an empty scratch database (the benchmark deletes what it imports)."
        )
    load_reference_data()  # also loads the CPV vocabulary and the categories' codes
    load_requirement_library()
    return Region.objects.get(county_code=lead_code)


def _generate(args: argparse.Namespace, lead_code: str):
    from django.apps import apps

    from hallbar.categories.models import Category
    from hallbar.categories.services import CATEGORY_CPV, OTHER_CATEGORIES
    from hallbar.contracts.imports import COLUMNS
    from hallbar.organisations.models import Region

    from . import cpv_check_digits, generate

    other = {slug: codes for slug, _sv, _en, codes in OTHER_CATEGORIES}
    known = set(Category.objects.values_list("slug", flat=True))
    missing = sorted((set(CATEGORY_CPV) | set(other)) - known)
    if missing:
        sys.exit(f"bench.imports: categories missing after loading the reference data: {missing}")
    clause_model = apps.get_model("requirements", "ContractClause")
    if not clause_model.objects.filter(version=2024).exists():
        sys.exit("bench.imports: the requirement library has no contract clause version 2024.")
    return generate(
        rows=args.rows,
        suppliers=args.suppliers,
        seed=args.seed,
        columns=COLUMNS,
        lead_code=lead_code,
        region_codes=sorted(Region.objects.values_list("county_code", flat=True)),
        prioritised=CATEGORY_CPV,
        other=other,
        check_digits=cpv_check_digits(),
    )


def _timed(
    memory: PeakMemory, trace: bool, action: Callable[[Callable[[int, int | None], None]], Any]
) -> Timed:
    """Run action(progress) and measure it; the last progress(total, total) ends validation."""
    ends: list[float] = []

    def progress(done: int, total: int | None) -> None:
        if done == total:
            ends.append(time.perf_counter())

    memory.reset()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = action(progress)
    seconds = time.perf_counter() - start
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    validate = ends[-1] - start if ends else None
    return Timed(seconds, memory.peak_mib(), traced, validate, result)


def _run_job(path: Path, region, *, dry_run: bool):
    from hallbar.core.imports import create_job, run_import_job
    from hallbar.core.models import ImportJob

    def action(progress):
        with path.open("rb") as uploaded:
            job = create_job(
                kind=ImportJob.Kind.CONTRACTS,
                uploaded=uploaded,
                filename=path.name,
                acting_user=None,
                region=region,
                mode=ImportJob.Mode.ALL_OR_NOTHING,
                dry_run=dry_run,
            )
        return run_import_job(job, progress=progress)

    return action


def _check_job(job, label: str, expected: dict[str, int] | None) -> None:
    if job.status != "done" or job.error_count:
        shown = "\n".join(
            f"  row {i['row']}, {i['column']}: {i['message']}" for i in job.issues[:20]
        )
        raise AssertionError(
            f"{label}: status {job.status}, {job.error_count} issues, summary {job.summary}\n"
            f"{shown}"
        )
    if expected is not None:
        got = {key: job.summary.get(key) for key in expected}
        if got != expected:
            raise AssertionError(f"{label}: summary {job.summary}, expected {expected}")


def _clear_imported() -> None:
    """Delete the imported contracts and suppliers (and the suppliers' history entries)."""
    from django.contrib.contenttypes.models import ContentType

    from hallbar.contracts.models import Contract
    from hallbar.core.models import HistoryEntry
    from hallbar.suppliers.models import Supplier

    Contract.objects.all().delete()
    HistoryEntry.objects.filter(content_type=ContentType.objects.get_for_model(Supplier)).delete()
    Supplier.objects.all().delete()


def _measure(path: Path, write_seconds: float, data, region, args, memory) -> Figures:
    from hallbar.contracts.models import Contract
    from hallbar.core.tabular import read_table
    from hallbar.suppliers.models import Supplier

    rows = len(data.rows)
    label = path.suffix.lstrip(".").upper()
    read = _timed(memory, args.tracemalloc, lambda _p: read_table(path, filename=path.name))
    if len(read.job) != rows:
        raise AssertionError(f"{label}: read_table found {len(read.job)} rows, not {rows}")
    read.job = None

    dry = _timed(memory, args.tracemalloc, _run_job(path, region, dry_run=True))
    _check_job(dry.job, f"{label} dry run", {"written": 0})
    if dry.job.valid_rows != rows or Contract.objects.exists():
        raise AssertionError(f"{label} dry run: {dry.job.valid_rows} valid rows, or it wrote")

    first = _timed(memory, args.tracemalloc, _run_job(path, region, dry_run=False))
    _check_job(
        first.job,
        f"{label} import",
        {
            "created": rows,
            "updated": 0,
            "unchanged": 0,
            "suppliers_created": len(data.suppliers),
            "suppliers_to_review": 0,
        },
    )
    count = Contract.objects.count()
    if count != rows:
        raise AssertionError(f"{label} import: {count} contracts in the database, not {rows}")
    links = Contract.regions.through.objects.count()
    if links != data.region_links:
        raise AssertionError(
            f"{label} import: {links} buying-region links, not {data.region_links}"
        )
    if Supplier.objects.count() != len(data.suppliers):
        raise AssertionError(f"{label} import: {Supplier.objects.count()} suppliers")

    again = _timed(memory, args.tracemalloc, _run_job(path, region, dry_run=False))
    _check_job(
        again.job,
        f"{label} re-import",
        {"created": 0, "updated": 0, "unchanged": rows, "suppliers_created": 0},
    )
    if Contract.objects.count() != rows or Supplier.objects.count() != len(data.suppliers):
        raise AssertionError(f"{label} re-import: the number of contracts or suppliers changed")
    return Figures(path.stat().st_size, rows, write_seconds, read, dry, first, again)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f} s"


def _table(figures: dict[str, Figures], memory: PeakMemory, trace: bool) -> list[str]:
    def rate(rows: int, seconds: float) -> str:
        return f"{rows / seconds:,.0f}"

    def mib(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.0f} MiB"

    def commit(timed: Timed) -> str:
        if timed.validate_seconds is None:
            return "n/a"
        return _seconds(timed.seconds - timed.validate_seconds)

    def summary(timed: Timed) -> str:
        s = timed.job.summary
        return f"{s['created']:,} new, {s['updated']:,} upd, {s['unchanged']:,} same"

    rss = "peak RSS" if memory.per_phase else "peak RSS (process so far)"
    lines: list[tuple[str, Callable[[Figures], str]]] = [
        ("file size", lambda f: f"{f.size_bytes / 2**20:,.1f} MiB"),
        ("rows", lambda f: f"{f.rows:,}"),
        ("write file (not timed below)", lambda f: _seconds(f.write_seconds)),
        ("read_table alone", lambda f: _seconds(f.read.seconds)),
        ("dry run (validate only)", lambda f: _seconds(f.dry_run.seconds)),
        ("dry run rows/s", lambda f: rate(f.rows, f.dry_run.seconds)),
        ("import wall time", lambda f: _seconds(f.first.seconds)),
        ("  validate (read + rows)", lambda f: _seconds(f.first.validate_seconds)),
        ("  commit (suppliers + write)", lambda f: commit(f.first)),
        ("import rows/s", lambda f: rate(f.rows, f.first.seconds)),
        (f"import {rss}", lambda f: mib(f.first.peak_rss_mib)),
        (f"dry run {rss}", lambda f: mib(f.dry_run.peak_rss_mib)),
    ]
    if trace:
        lines += [
            ("import tracemalloc peak", lambda f: mib(f.first.traced_mib)),
            ("dry run tracemalloc peak", lambda f: mib(f.dry_run.traced_mib)),
        ]
    lines += [
        ("import summary", lambda f: summary(f.first)),
        ("re-import wall time", lambda f: _seconds(f.again.seconds)),
        ("  validate", lambda f: _seconds(f.again.validate_seconds)),
        ("  commit", lambda f: commit(f.again)),
        ("re-import rows/s", lambda f: rate(f.rows, f.again.seconds)),
        (f"re-import {rss}", lambda f: mib(f.again.peak_rss_mib)),
        ("re-import summary", lambda f: summary(f.again)),
    ]
    width = max(len(name) for name, _ in lines)
    columns = list(figures)
    cells = {name: [show(figures[c]) for c in columns] for name, show in lines}
    column_width = max(14, *(len(v) for values in cells.values() for v in values))
    header = f"{'':<{width}}" + "".join(f"  {c.upper():>{column_width}}" for c in columns)
    out = [header, "-" * len(header)]
    for name, _show in lines:
        out.append(f"{name:<{width}}" + "".join(f"  {v:>{column_width}}" for v in cells[name]))
    out.append("-" * len(header))
    return out


def _short(filename: str) -> str:
    for prefix in sorted((p for p in sys.path if p), key=len, reverse=True):
        if filename.startswith(prefix + os.sep):
            return os.path.relpath(filename, prefix)
    if filename.startswith(str(_REPO) + os.sep):
        return os.path.relpath(filename, _REPO)
    return filename


def _where(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    return f"{_short(filename)}:{line}({function})" if line else function


def _hotspots(profile: cProfile.Profile, limit: int = 25) -> list[str]:
    """Return the top functions by own and cumulative time, then the project's own hotspots."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out = []
    for key, title in ((2, "own time (tottime)"), (3, "cumulative time (cumtime)")):
        ranked = sorted(stats.items(), key=lambda item: item[1][key], reverse=True)[:limit]
        out.append(f"top {limit} by {title}:")
        out.append(f"  {'tottime':>8} {'cumtime':>8} {'calls':>10}  function")
        for function, (_cc, calls, tottime, cumtime, _callers) in ranked:
            out.append(f"  {tottime:>8.2f} {cumtime:>8.2f} {calls:>10,}  {_where(function)}")
    # The project's functions, each with the callees that take most of its time.
    project = str(_REPO / "hallbar") + os.sep
    total = max(entry[3] for entry in stats.values())
    ours = sorted(
        (item for item in stats.items() if item[0][0].startswith(project)),
        key=lambda item: item[1][3],
        reverse=True,
    )
    out.append("project functions over 3 % of the import, with their callees over 1 %:")
    for function, (_cc, calls, _tottime, cumtime, _callers) in ours:
        if cumtime < 0.03 * total:
            break
        out.append(f"  {cumtime:>8.2f} s {calls:>9,}x  {_where(function)}")
        callees = sorted(
            (
                (entry[4][function][3], entry[4][function][1], callee)
                for callee, entry in stats.items()
                if function in entry[4]
            ),
            reverse=True,
        )
        for seconds, count, callee in callees:
            if seconds < 0.01 * total:
                break
            out.append(f"      {seconds:>8.2f} s {count:>9,}x  {_where(callee)}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="hallbar-bench-imports-"))
    try:
        return _main(args, data_dir)
    finally:
        if args.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _main(args: argparse.Namespace, data_dir: Path) -> int:
    _setup_django(data_dir)
    from hallbar.core.tabular import write_csv, write_xlsx

    memory = PeakMemory()
    print(
        f"contract import benchmark: {args.rows:,} rows, {args.suppliers:,} suppliers, "
        f"seed {args.seed}, lead region {args.lead}"
    )
    began = time.perf_counter()
    region = _prepare_database(args.lead)
    prepared = time.perf_counter()
    for line in _versions():
        print(line)
    data = _generate(args, args.lead)
    generated = time.perf_counter()
    print(
        f"setup (migrate, reference data, requirement library) {prepared - began:.1f} s; "
        f"generating the rows {generated - prepared:.1f} s"
    )
    if args.tracemalloc:
        print("with --tracemalloc: the imports run slower than without it")

    paths = {fmt: data_dir / f"contracts-{args.rows}.{fmt}" for fmt in FORMATS}
    write_seconds = {}
    start = time.perf_counter()
    write_csv(paths["csv"], data.columns, data.rows)
    write_seconds["csv"] = time.perf_counter() - start
    start = time.perf_counter()
    write_xlsx(paths["xlsx"], data.columns, data.rows, sheet_title="Avtal")
    write_seconds["xlsx"] = time.perf_counter() - start

    figures = {}
    for index, fmt in enumerate(FORMATS):
        if index:
            _clear_imported()
        figures[fmt] = _measure(paths[fmt], write_seconds[fmt], data, region, args, memory)
        print(f"{fmt.upper()} done: import {figures[fmt].first.seconds:.1f} s", flush=True)

    print()
    for line in _table(figures, memory, args.tracemalloc):
        print(line)
    finished = time.perf_counter()
    print(
        f"all checks passed; total wall time {finished - began:.1f} s; "
        f"process peak RSS {process_peak_mib():,.0f} MiB"
    )

    if args.profile:
        _clear_imported()
        profile = cProfile.Profile()
        action = _run_job(paths["csv"], region, dry_run=False)
        start = time.perf_counter()
        profile.enable()
        job = action(lambda _done, _total: None)
        profile.disable()
        _check_job(job, "profiled CSV import", {"created": args.rows})
        print()
        print(f"cProfile of a first CSV import ({time.perf_counter() - start:.1f} s profiled):")
        for line in _hotspots(profile):
            print(line)
    if os.environ.get("DATABASE_URL"):
        _clear_imported()
    return 0


if __name__ == "__main__":
    sys.exit(main())
