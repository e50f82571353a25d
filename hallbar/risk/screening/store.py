"""Spend storage: invoice lines as Parquet partitions per region and year, replaced atomically.

Layout under the data directory's spend root::

    root/region=<code>/year=<yyyy>/part.parquet

Each partition is exactly one file, ``part.parquet``, and is only ever written whole:
``write_partition`` writes the new file into a private temporary directory
``root/.tmp-<uuid>/`` (same file system, so the rename is atomic), fsyncs it, moves it over the
old ``part.parquet`` with ``os.replace`` and fsyncs the partition directory. A reader opens
either the old file or the new one, never half of one, and a reader that already has the old
file open keeps reading the old inode to the end. Replacing a partition replaces all its lines;
nothing is appended.

Crashes: if writing fails (an exception, a full disk), the temporary directory is removed and
the old partition is untouched. If the process is killed (SIGKILL, power cut) the temporary
directory stays behind; readers never see it (they read ``region=*/year=*/part.parquet``, and a
directory whose name starts with a dot matches no such pattern), and ``clean_temp`` removes it.

Earlier versions: when a write replaces a partition, the file it replaces is kept (a hard link,
so the bytes are the very same) as ``root/.versions/region=<code>/year=<yyyy>/<stamp>.parquet``,
``<stamp>`` being the time it was replaced in nanoseconds since 1970 (UTC); readers never see it
(the directory starts with a dot, and ``clean_temp`` leaves it alone). ``restore_previous``
swaps the newest earlier version with the current file: the current file becomes a version in
its turn (so a restore is undone by restoring again), and the earlier one moves into place by
``os.replace``: readers see the old file or the restored one, byte for byte as it was.
Pruning rule, applied to a partition after each replace and restore: keep at most
``KEEP_VERSIONS`` (5) earlier versions, and remove those replaced more than ``KEEP_VERSION_DAYS``
(90) days ago, except the newest, so the last replacement can always be undone. A partition
that did not exist before a write gets an empty marker, ``<stamp>.absent``, as its earlier
version: "there was no file". Restoring it removes the partition (the removed file becomes an
earlier version, so restoring again brings it back, and leaves a marker in its turn).
Replacing and restoring hold an exclusive ``flock`` on the root directory (POSIX), so two of
them never interleave their link-and-rename steps.

Amounts are ``decimal128(14, 2)``, not float64: invoice amounts are exact in öre, the regions
reconcile spend to their ledgers to the öre, credit notes must cancel the invoices they correct
exactly, and DuckDB sums decimals exactly and deterministically whatever the thread count (a
float64 sum can change in its last bits from run to run with the thread schedule). Floating
point is used only after aggregation, for the risk-weighted exposures. 14 digits hold amounts up
to ±999 999 999 999.99 kr per line; the decimals are stored as 64-bit integers in the file.

Text columns may be dictionary-encoded in memory (``dictionary<int32, string>``, as a CSV read
with dictionary column types gives them): every function here accepts that, works on the
integer codes instead of the strings, and writes them to the file as Parquet dictionary pages.
Files do not record the Arrow schema, so they read back as plain strings in ``SPEND_SCHEMA``.

Nothing here imports Django: the import service and the benchmark both call these functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

AMOUNT_TYPE = pa.decimal128(14, 2)

SPEND_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("invoice_date", pa.date32()),
        ("year", pa.int16()),
        # the registry supplier id when the line was matched to a supplier, else ""
        ("supplier_key", pa.string()),
        ("supplier_org_number", pa.string()),
        ("supplier_name", pa.string()),
        ("category_key", pa.string()),
        ("account", pa.string()),
        # credit notes are negative
        ("amount_sek", AMOUNT_TYPE),
        ("product_text", pa.string()),
    ]
)
"""The columns of a spend partition, in order. No nulls: optional text is ""."""

PARTITION_FILE = "part.parquet"
TEMP_PREFIX = ".tmp-"
VERSIONS_DIR = ".versions"
VERSION_SUFFIX = ".parquet"
ABSENT_SUFFIX = ".absent"
KEEP_VERSIONS = 5
KEEP_VERSION_DAYS = 90
# zstd at its default level: files a third smaller than snappy, as fast to write, and decoding
# them costs DuckDB far less than the aggregation that follows. 256 Ki rows per row group give
# DuckDB several row groups per region to spread over its threads.
COMPRESSION = "zstd"
ROW_GROUP_SIZE = 256 * 1024
# dictionary pages for the text columns only: amounts and dates are nearly unique, and building
# dictionaries for them doubled the write time for nothing
DICTIONARY_COLUMNS = [f.name for f in SPEND_SCHEMA if pa.types.is_string(f.type)]
# min/max statistics only where a filter can use them; on names and free text they cost a
# quarter of the write time and skip nothing
STATISTICS_COLUMNS = ["region_code", "invoice_date", "year", "supplier_key", "category_key"]

_CODE = re.compile(r"^[0-9A-Za-z_-]{1,16}$")
_REQUIRED = ("region_code", "invoice_date", "category_key", "amount_sek")


class Partition(NamedTuple):
    """One stored partition: region, year, file, row count and file size in bytes."""

    region: str
    year: int
    path: Path
    rows: int
    bytes: int


class Version(NamedTuple):
    """An earlier version of a partition: when it was replaced, its file, rows and bytes."""

    region: str
    year: int
    replaced_at: dt.datetime
    path: Path
    rows: int
    bytes: int
    absent: bool = False  # the partition did not exist: restoring this version removes it


class Totals(NamedTuple):
    """The number of lines of a partition and the sum of their amounts."""

    rows: int
    amount_sek: Decimal


def partition_path(root: Path, region_code: str, year: int) -> Path:
    """Return the file of a region's partition for a year (whether it exists or not)."""
    _check_key(region_code, year)
    return Path(root) / f"region={region_code}" / f"year={year:04d}" / PARTITION_FILE


def conform(table: pa.Table) -> pa.Table:
    """Return the invoice lines in the spend schema, or raise ``ValueError`` saying what is wrong.

    Columns are matched by name and cast to their types (text dates and amounts are parsed;
    an amount with more than two decimals is an error, not rounded). Missing optional text
    columns and nulls in them become "", a missing ``year`` is taken from ``invoice_date``.
    Region, category, date and amount are required on every line, and ``year`` must be the
    invoice date's year. Dictionary-encoded text stays dictionary-encoded.
    """
    n = table.num_rows
    if any(pa.types.is_dictionary(t) for t in table.schema.types):
        table = table.unify_dictionaries()
    columns: dict[str, pa.ChunkedArray] = {}
    for field in SPEND_SCHEMA:
        name = field.name
        if name not in table.column_names:
            if name == "year":
                continue
            if name in _REQUIRED:
                raise ValueError(f"missing column {name!r}")
            columns[name] = pa.chunked_array([pa.repeat("", n)], pa.string())
            continue
        column = table.column(name)
        if pa.types.is_string(field.type):
            columns[name] = _text(name, column, required=name in _REQUIRED)
            continue
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"column {name!r}: not {field.type}: {exc}") from exc
        if column.null_count:
            raise ValueError(f"column {name!r}: {column.null_count} empty value(s)")
        columns[name] = column
    date_year = _years(columns["invoice_date"])
    if "year" in columns:
        if n and not pc.all(pc.equal(columns["year"], date_year)).as_py():
            raise ValueError("column 'year': differs from the invoice date's year")
    else:
        columns["year"] = date_year
    return pa.table([columns[f.name] for f in SPEND_SCHEMA], names=SPEND_SCHEMA.names)


def _text(name: str, column: pa.ChunkedArray, *, required: bool) -> pa.ChunkedArray:
    # plain or dictionary-encoded strings; nulls become "" (optional) or an error (required)
    if _is_dictionary_text(column.type):
        if required and (column.null_count or _uses(column, "")):
            raise ValueError(f"column {name!r}: empty value(s)")
        if not column.null_count:
            return column
        column = column.cast(pa.string())  # rare: decode rather than patch the indices
    else:
        try:
            column = column.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"column {name!r}: not text: {exc}") from exc
    if required:
        if column.null_count or (len(column) and pc.any(pc.equal(column, "")).as_py()):
            raise ValueError(f"column {name!r}: empty value(s)")
        return column
    return column.fill_null("")


def _is_dictionary_text(type_: pa.DataType) -> bool:
    return bool(pa.types.is_dictionary(type_) and pa.types.is_string(type_.value_type))


def _used_values(column: pa.ChunkedArray) -> pa.Array:
    # the distinct values a text column holds, looking only at the dictionary when it has one
    if not _is_dictionary_text(column.type):
        return pc.unique(column)
    values = [chunk.dictionary.take(pc.unique(chunk.indices)) for chunk in column.chunks]
    return pc.unique(pa.chunked_array(values, column.type.value_type))


def _uses(column: pa.ChunkedArray, value: str) -> bool:
    if not _is_dictionary_text(column.type):
        return bool(pc.any(pc.equal(column, value)).as_py())
    for chunk in column.chunks:
        # only when the dictionary holds the value need the codes be looked at
        where = pc.indices_nonzero(pc.equal(chunk.dictionary, value))
        if len(where) and pc.any(pc.is_in(chunk.indices, value_set=where)).as_py():
            return True
    return False


def _years(dates: pa.ChunkedArray) -> pa.ChunkedArray:
    # the calendar year of each date; an import of one year (the usual case) needs no pass
    low, high = pc.min_max(dates).values()
    if low.is_valid and low.as_py().year == high.as_py().year:
        return pa.chunked_array([pa.repeat(pa.scalar(low.as_py().year, pa.int16()), len(dates))])
    return pc.year(dates).cast(pa.int16())


def split_partitions(table: pa.Table) -> Iterator[tuple[str, int, pa.Table]]:
    """Yield ``(region_code, year, lines)`` for each partition of a conformed table, in order.

    The lines keep their order. (Ordering them by category and supplier would make the files
    a third smaller and DuckDB's aggregation about 0.5 s faster per 10^7 lines, but the
    gather in that order costs about 3 s per 10^7 lines on import: bench/README.md.)
    """
    plan = _plan(table)
    for region, year, code in plan.parts:
        yield region, year, plan.lines(table, code)


class _Plan(NamedTuple):
    # the partitions of a table: (region, year, code) and each line's partition code
    parts: list[tuple[str, int, int]]
    codes: np.ndarray

    def lines(self, table: pa.Table, code: int) -> pa.Table:
        return table.filter(pa.array(self.codes == code))


def _plan(table: pa.Table) -> _Plan:
    if table.num_rows == 0:
        return _Plan([], np.zeros(0, dtype=np.int64))
    region, regions = _ranks(table["region_code"])
    years = table["year"].to_numpy().astype(np.int64)
    first_year = int(years.min())
    span = int(years.max()) - first_year + 1
    codes = region * span + (years - first_year)
    del region, years
    parts = [
        (regions[code // span], first_year + code % span, code)
        for code in np.flatnonzero(np.bincount(codes)).tolist()
    ]
    return _Plan(parts, codes)


def _ranks(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    # each value's rank among the column's distinct values, and those values in sort order
    array = column.combine_chunks()
    if not pa.types.is_dictionary(array.type):
        array = array.dictionary_encode()
    order = pc.array_sort_indices(array.dictionary)
    position = np.empty(len(order), dtype=np.int64)
    position[order.to_numpy()] = np.arange(len(order))
    return position[array.indices.to_numpy()], array.dictionary.take(order).to_pylist()


def write_partition(
    root: Path,
    region_code: str,
    year: int,
    table: pa.Table,
    *,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write (or replace) the region's partition for the year atomically and return its file.

    ``table`` holds this region's lines of this year only, in the spend schema (``conform``
    makes it so), stored in the order given. ``progress`` is called with the number of lines
    written after each row group; if it (or anything else) raises, the old partition stays as
    it was and the temporary file is removed.
    """
    staged = _stage(Path(root), region_code, year, table, progress)
    try:
        with _locked(Path(root)):
            written = staged.commit()
            prune_versions(Path(root), region_code, year)
        return written
    finally:
        staged.discard()


def write_spend(root: Path, table: pa.Table, *, threads: int | None = None) -> list[Path]:
    """Conform the invoice lines and write one partition per region and year they cover.

    Every line is validated before anything is written. The partitions are written to
    temporary files on ``threads`` threads (default: the cores); only when all are written and
    synced are they moved into place, one ``os.replace`` each. A failure while writing leaves
    every partition as it was; a crash during the final renames (milliseconds) can leave some
    partitions replaced and others not, each of them whole.
    """
    table = conform(table)
    plan = _plan(table)
    root = Path(root)

    def stage(region: str, year: int, code: int) -> _Staged:
        return _stage(root, region, year, plan.lines(table, code))

    # selecting and writing a partition release the GIL: one partition per core at a time,
    # biggest first so that the last one to finish is a small one
    sizes = np.bincount(plan.codes)
    parts = sorted(plan.parts, key=lambda part: -sizes[part[2]])
    with ThreadPoolExecutor(max_workers=threads or _cores()) as pool:
        futures = [pool.submit(stage, *part) for part in parts]
    # the pool has finished every write here, failed or not
    staged = [f.result() for f in futures if f.exception() is None]
    try:
        for future in futures:
            future.result()  # the first failure is raised before anything moves
        return _commit(root, staged)
    finally:
        for s in staged:
            s.discard()


STREAM_BUFFER_ROWS = 8 * ROW_GROUP_SIZE
"""How many lines ``write_spend_batches`` holds at most before it writes the largest partition's."""


def write_spend_batches(
    root: Path,
    batches: Iterable[pa.Table | pa.RecordBatch],
    *,
    threads: int | None = None,
    buffer_rows: int = STREAM_BUFFER_ROWS,
) -> list[Path]:
    """Conform and write invoice lines that arrive in batches, holding only a few at a time.

    The streamed form of ``write_spend`` (a CSV read block by block: the whole file never sits
    in memory): each batch is conformed and split per region and year, its lines go to their
    partition's temporary file a row group at a time (a partition's lines are written once it
    holds ``ROW_GROUP_SIZE``, or, the largest first, when all partitions together hold more
    than ``buffer_rows``). Only when every batch is read and every file written and synced are
    the partitions moved into place, as ``write_spend`` does; a batch that fails ``conform``
    (or any other failure) leaves every partition as it was.
    """
    root = Path(root)
    open_parts: dict[tuple[str, int], _Streaming] = {}
    held = 0
    try:
        with ThreadPoolExecutor(max_workers=threads or _cores()) as pool:
            for batch in batches:
                table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
                table = conform(table)
                plan = _plan(table)
                # each partition's lines in the order of the file: one pass to sort the codes,
                # then one gather per partition of its own lines only (not a filter of the
                # whole batch per partition), each its own copy (a slice of one gather would
                # keep the whole batch in memory while the partition holds it)
                order = np.argsort(plan.codes, kind="stable")
                ends = np.cumsum(np.bincount(plan.codes))
                for region, year, code in plan.parts:
                    part = open_parts.get((region, year))
                    if part is None:
                        _check_key(region, year)
                        part = open_parts[region, year] = _Streaming(root, region, year, table)
                    start = int(ends[code - 1]) if code else 0
                    held += part.hold(table.take(pa.array(order[start : int(ends[code])])))
                del table, plan, order
                # full row groups are written; past buffer_rows, the largest partitions' lines too
                due = {p: False for p in open_parts.values() if p.held >= ROW_GROUP_SIZE}
                left = held - sum(p.held - p.held % ROW_GROUP_SIZE for p in due)
                for part in sorted(open_parts.values(), key=lambda p: -(p.held % ROW_GROUP_SIZE)):
                    if left <= buffer_rows:
                        break
                    due[part] = True
                    left -= part.held % ROW_GROUP_SIZE
                # different partitions' files are written on all the cores at once
                held -= sum(pool.map(lambda item: item[0].write(everything=item[1]), due.items()))
            list(pool.map(lambda part: part.close(), open_parts.values()))
        staged = [part.staged for part in open_parts.values()]
        return _commit(root, staged)
    finally:
        for part in open_parts.values():
            part.abandon()


class _Streaming:
    # one partition written by write_spend_batches: its lines held so far and its open file
    def __init__(self, root: Path, region: str, year: int, table: pa.Table) -> None:
        target = partition_path(root, region, year)
        root.mkdir(parents=True, exist_ok=True)
        temp_dir = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        temp_dir.mkdir()
        self.staged = _Staged(temp_dir, target, region, year)
        self.region, self.year = region, year
        self.schema = table.schema
        try:
            self.sink = open(temp_dir / PARTITION_FILE, "wb")  # noqa: SIM115 (closed in close/abandon)
            try:
                self.writer = _writer(self.sink, self.schema)
            except BaseException:
                self.sink.close()
                raise
        except BaseException:
            self.staged.discard()
            raise
        self.pending: list[pa.Table] = []
        self.held = 0

    def hold(self, lines: pa.Table) -> int:
        if lines.schema != self.schema:
            lines = lines.cast(self.schema)
        self.pending.append(lines)
        self.held += lines.num_rows
        return int(lines.num_rows)

    def write(self, *, everything: bool) -> int:
        # write the full row groups held (everything: the rest too); return the lines written
        count = self.held if everything else self.held - self.held % ROW_GROUP_SIZE
        if not count:
            return 0
        lines = pa.concat_tables(self.pending).unify_dictionaries()
        self.pending = [lines.slice(count)] if count < lines.num_rows else []
        self.held = lines.num_rows - count
        lines = _check_partition(lines.slice(0, count), self.region, self.year)
        for start in range(0, count, ROW_GROUP_SIZE):
            self.writer.write_table(
                lines.slice(start, ROW_GROUP_SIZE), row_group_size=ROW_GROUP_SIZE
            )
        return count

    def close(self) -> None:
        self.write(everything=True)
        self.writer.close()
        self.sink.flush()
        os.fsync(self.sink.fileno())
        self.sink.close()

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
        self.sink.close()
        self.staged.discard()


def partitions(root: Path) -> list[Partition]:
    """Return the stored partitions ordered by region and year; temporary files are not listed."""
    found = []
    for path in sorted(Path(root).glob(f"region=*/year=*/{PARTITION_FILE}")):
        region = path.parent.parent.name.removeprefix("region=")
        year_text = path.parent.name.removeprefix("year=")
        if not _CODE.match(region) or not year_text.isdigit():
            continue
        try:
            rows = pq.read_metadata(path).num_rows
            size = path.stat().st_size
        except FileNotFoundError:  # removed while listing
            continue
        found.append(Partition(region, int(year_text), path, rows, size))
    return found


def partition_totals(path: Path) -> Totals:
    """Return the lines and the exact sum of the amounts of a partition file (or version)."""
    amounts = pq.read_table(path, columns=["amount_sek"])["amount_sek"]
    total = pc.sum(amounts).as_py() if len(amounts) else None
    return Totals(len(amounts), Decimal(total or 0).quantize(Decimal("0.01")))


def shrinks_by_more_than_half(current: Totals, new: Totals) -> bool:
    """Return whether replacing current by new loses more than half of its lines or kronor.

    Either test suffices: fewer than half the lines (2 × new < current), or an absolute total
    below half the current absolute total (credit notes make totals signed). A partition whose
    replacement shrinks so much is far more often a wrong file than a correction, so an import
    asks for confirmation before it writes it.
    """
    if 2 * new.rows < current.rows:
        return True
    return 2 * abs(new.amount_sek) < abs(current.amount_sek)


def versions(root: Path, region_code: str, year: int) -> list[Version]:
    """Return the kept earlier versions of a partition, the most recently replaced first.

    A version with ``absent`` set stands for "no partition": it has no rows and no bytes.
    """
    found = []
    folder = _versions_dir(Path(root), region_code, year)
    for path in folder.glob("*"):
        absent = path.name.endswith(ABSENT_SUFFIX)
        stamp = path.name.removesuffix(ABSENT_SUFFIX if absent else VERSION_SUFFIX)
        if not stamp.isdigit() or path.name == stamp:
            continue
        try:
            rows = 0 if absent else pq.read_metadata(path).num_rows
            size = 0 if absent else path.stat().st_size
        except FileNotFoundError:  # pruned while listing
            continue
        found.append(
            (
                int(stamp),
                Version(region_code, year, _stamp_time(int(stamp)), path, rows, size, absent),
            )
        )
    return [version for _, version in sorted(found, key=lambda item: item[0], reverse=True)]


def restore_previous(root: Path, region_code: str, year: int) -> Version:
    """Put the most recently replaced version of a partition back; return what was restored.

    The current state becomes the newest earlier version (the file, or a marker when there is
    none), so restoring again undoes this. Restoring a marker removes the partition. Raise
    ``LookupError`` when there is no earlier version, or nothing would change (a marker and no
    file).
    """
    root = Path(root)
    target = partition_path(root, region_code, year)
    with _locked(root):
        kept = versions(root, region_code, year)
        if not kept or (kept[0].absent and not target.exists()):
            raise LookupError(f"no earlier version of region {region_code}, {year}")
        previous = kept[0]
        if target.exists():
            _keep_version(root, region_code, year, target)
        else:
            _keep_absent(root, region_code, year)
        if previous.absent:
            target.unlink()
            previous.path.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(previous.path, target)
        _fsync_dir(target.parent)
        _fsync_dir(previous.path.parent)
        prune_versions(root, region_code, year)
    return previous


def _commit(root: Path, staged: list[_Staged]) -> list[Path]:
    """Move the staged partitions into place under the store's lock, prune their old versions
    and return what was committed, sorted."""
    with _locked(root):
        committed = [s.commit() for s in staged]
        for s in staged:
            prune_versions(root, s.region, s.year)
    return sorted(committed)


def prune_versions(
    root: Path,
    region_code: str,
    year: int,
    *,
    keep: int = KEEP_VERSIONS,
    max_age_days: int = KEEP_VERSION_DAYS,
    now: dt.datetime | None = None,
) -> int:
    """Remove the earlier versions the pruning rule drops (module docstring); return how many.

    Keep the ``keep`` most recently replaced; of those, drop the ones replaced more than
    ``max_age_days`` ago except the newest.
    """
    now = now or dt.datetime.now(dt.UTC)
    kept = versions(root, region_code, year)
    oldest = now - dt.timedelta(days=max_age_days)
    doomed = kept[keep:] + [v for v in kept[1:keep] if v.replaced_at < oldest]
    for version in doomed:
        with contextlib.suppress(FileNotFoundError):
            version.path.unlink()
    return len(doomed)


def _versions_dir(root: Path, region_code: str, year: int) -> Path:
    _check_key(region_code, year)
    return root / VERSIONS_DIR / f"region={region_code}" / f"year={year:04d}"


def _stamp_time(stamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp / 1e9, dt.UTC)


def _next_stamp(folder: Path) -> int:
    stamp = time.time_ns()
    existing = [int(p.stem) for p in folder.glob("*") if p.stem.isdigit()]
    if existing:
        stamp = max(stamp, max(existing) + 1)  # newest last even if the clock went back
    return stamp


def _keep_absent(root: Path, region_code: str, year: int) -> Path:
    # an empty marker as the newest version: "there was no partition"
    folder = _versions_dir(root, region_code, year)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{_next_stamp(folder):020d}{ABSENT_SUFFIX}"
    marker.touch()
    _fsync_dir(folder)
    return marker


def _keep_version(root: Path, region_code: str, year: int, current: Path) -> Path:
    # link the current file as the newest version: the same bytes, nothing copied
    folder = _versions_dir(root, region_code, year)
    folder.mkdir(parents=True, exist_ok=True)
    version = folder / f"{_next_stamp(folder):020d}{VERSION_SUFFIX}"
    try:
        os.link(current, version)
    except OSError:  # a file system without hard links: copy, then rename into place
        temp = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        shutil.copy2(current, temp)
        os.replace(temp, version)
    _fsync_dir(folder)
    return version


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    # an exclusive lock on the root directory itself: no lock file for readers to trip over
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def clean_temp(root: Path, *, min_age_seconds: float = 0.0) -> int:
    """Remove the temporary directories left by killed writes; return how many there were.

    A temporary directory younger than ``min_age_seconds`` is kept. With the default 0 every
    one is removed, so call it when no write is running (the spend import does, under its
    lock, before it writes), or pass an age no write reaches.
    """
    root = Path(root)
    if not root.is_dir():
        return 0
    now = time.time()
    removed = 0
    for entry in root.iterdir():
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        with contextlib.suppress(FileNotFoundError):
            if now - entry.lstat().st_mtime < min_age_seconds:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
    return removed


class _Staged:
    # a partition written and synced in its temporary directory, not yet in place
    def __init__(self, temp_dir: Path, target: Path, region: str, year: int) -> None:
        self.temp_dir = temp_dir
        self.target = target
        self.region = region
        self.year = year

    def commit(self) -> Path:
        # called under _locked(root): the version kept is the file this rename replaces
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if self.target.exists():
            _keep_version(self.temp_dir.parent, self.region, self.year, self.target)
        else:
            _keep_absent(self.temp_dir.parent, self.region, self.year)
        os.replace(self.temp_dir / PARTITION_FILE, self.target)
        _fsync_dir(self.target.parent)  # the rename itself is durable before we report it
        return self.target

    def discard(self) -> None:
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _stage(
    root: Path,
    region_code: str,
    year: int,
    table: pa.Table,
    progress: Callable[[int], None] | None = None,
) -> _Staged:
    target = partition_path(root, region_code, year)
    table = _check_partition(table, region_code, year)
    root.mkdir(parents=True, exist_ok=True)
    temp_dir = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    temp_dir.mkdir()
    staged = _Staged(temp_dir, target, region_code, year)
    try:
        with open(temp_dir / PARTITION_FILE, "wb") as sink:
            with _writer(sink, table.schema) as writer:
                for start in range(0, table.num_rows, ROW_GROUP_SIZE):
                    chunk = table.slice(start, ROW_GROUP_SIZE)
                    writer.write_table(chunk, row_group_size=ROW_GROUP_SIZE)
                    if progress is not None:
                        progress(start + chunk.num_rows)
            sink.flush()
            os.fsync(sink.fileno())
    except BaseException:
        staged.discard()
        raise
    return staged


def _writer(sink: BinaryIO, schema: pa.Schema) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        sink,
        schema,
        compression=COMPRESSION,
        use_dictionary=DICTIONARY_COLUMNS,
        write_statistics=STATISTICS_COLUMNS,
        store_schema=False,  # read back as SPEND_SCHEMA, not as dictionaries
        store_decimal_as_integer=True,
    )


def _check_partition(table: pa.Table, region_code: str, year: int) -> pa.Table:
    if not _same_schema(table.schema):
        table = conform(table)
    if table.num_rows:
        if _used_values(table["region_code"]).to_pylist() != [region_code]:
            raise ValueError(f"lines of other regions than {region_code} in its partition")
        if not pc.all(pc.equal(table["year"], year)).as_py():
            raise ValueError(f"lines of other years than {year} in its partition")
    return table


def _same_schema(schema: pa.Schema) -> bool:
    # SPEND_SCHEMA, with text possibly dictionary-encoded
    if schema.names != SPEND_SCHEMA.names:
        return False
    for actual, expected in zip(schema.types, SPEND_SCHEMA.types, strict=True):
        if pa.types.is_dictionary(actual) and pa.types.is_string(expected):
            actual = actual.value_type
        if actual != expected:
            return False
    return True


def _check_key(region_code: str, year: int) -> None:
    # the key becomes a path: no separators, no "..", nothing a glob treats specially
    if not isinstance(region_code, str) or not _CODE.match(region_code):
        raise ValueError(f"invalid region code {region_code!r}")
    if not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ValueError(f"invalid year {year!r}")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _fsync_dir(path: Path) -> None:
    # POSIX makes a rename durable once its directory is synced; Windows cannot open one
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
