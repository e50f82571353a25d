"""Spend storage: invoice lines as Parquet partitions per region and year, replaced atomically.

Layout under the data directory's spend root::

    root/region=<code>/year=<yyyy>/part.parquet

Each partition holds exactly one file, ``part.parquet``. A partition is only ever written whole:
``write_partition`` writes the new file into a private temporary directory ``root/.tmp-<uuid>/``
(same file system, so the rename below is atomic), fsyncs it, and then moves it over the old
``part.parquet`` with ``os.replace``. A reader therefore opens either the old file or the new
one, never half of one, and a reader that already has the old file open keeps reading the old
inode. If the import fails, the temporary directory is removed; if the process is killed
(SIGKILL, power cut) the temporary directory stays behind, is invisible to readers (their glob
is ``region=*/year=*/part.parquet``) and is removed by ``clean_temp``.

The spend schema keeps amounts as ``decimal128(14, 2)``: invoice amounts are exact in öre, the
regions' ledgers are reconciled to the öre, credit notes must cancel the invoices they correct
exactly, and DuckDB sums decimals exactly (into ``DECIMAL(38, 2)``) and deterministically,
whatever the thread count. A float64 sum would differ in the last bits between runs with
different thread schedules. Floating point is used only after aggregation, for the risk-weighted
exposures. 14 digits hold amounts up to ±999 999 999 999.99 kr per line.

Nothing here imports Django: the import service and the benchmark both call these functions.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

AMOUNT_TYPE = pa.decimal128(14, 2)

SPEND_SCHEMA = pa.schema(
    [
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("invoice_date", pa.date32(), nullable=False),
        pa.field("year", pa.int16(), nullable=False),
        # the registry supplier id when the line was matched to a supplier, else ""
        pa.field("supplier_key", pa.string(), nullable=False),
        pa.field("supplier_org_number", pa.string(), nullable=False),
        pa.field("supplier_name", pa.string(), nullable=False),
        pa.field("category_key", pa.string(), nullable=False),
        pa.field("account", pa.string(), nullable=False),
        # credit notes are negative
        pa.field("amount_sek", AMOUNT_TYPE, nullable=False),
        pa.field("product_text", pa.string(), nullable=False),
    ]
)
"""The columns of a spend partition, in order. Optional text is "" rather than null."""

PARTITION_FILE = "part.parquet"
TEMP_PREFIX = ".tmp-"
# zstd: about a third smaller than snappy on invoice lines and still far faster to decode than
# the aggregation that follows; 256 Ki rows per row group gives DuckDB enough row groups to keep
# every thread busy on one region's file.
COMPRESSION = "zstd"
ROW_GROUP_SIZE = 256 * 1024
# dictionary pages for the text columns only: amounts and dates are nearly unique, and building
# their dictionaries doubled the write time for nothing
DICTIONARY_COLUMNS = [
    "region_code",
    "supplier_key",
    "supplier_org_number",
    "supplier_name",
    "category_key",
    "account",
    "product_text",
]
STORAGE_ORDER = ("category_key", "supplier_key", "supplier_org_number")

_CODE = re.compile(r"^[0-9A-Za-z_-]{1,16}$")
_OPTIONAL_TEXT = ("supplier_key", "supplier_org_number", "supplier_name", "account", "product_text")
_REQUIRED_TEXT = ("region_code", "category_key")


class Partition(NamedTuple):
    """One stored partition: region, year, file, row count and file size in bytes."""

    region: str
    year: int
    path: Path
    rows: int
    bytes: int


def partition_path(root: Path, region_code: str, year: int) -> Path:
    """Return the file of a region's partition for a year (whether it exists or not)."""
    _check_key(region_code, year)
    return Path(root) / f"region={region_code}" / f"year={year:04d}" / PARTITION_FILE


def conform(table: pa.Table) -> pa.Table:
    """Return the invoice lines in the spend schema, or raise ``ValueError`` saying what is wrong.

    Columns are matched by name and cast to their types (text dates and amounts are parsed);
    missing optional text columns and nulls in them become "", a missing ``year`` is taken from
    ``invoice_date``. Region, category, date and amount are required on every line, and the
    year must be the invoice date's year.
    """
    n = table.num_rows
    columns: dict[str, pa.ChunkedArray] = {}
    for field in SPEND_SCHEMA:
        name = field.name
        if name in table.column_names:
            column = table.column(name)
        elif name in _OPTIONAL_TEXT:
            column = pa.chunked_array([pa.nulls(n, pa.string())])
        elif name == "year":
            continue
        else:
            raise ValueError(f"missing column {name!r}")
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"column {name!r}: not {field.type}: {exc}") from exc
        if name in _OPTIONAL_TEXT:
            column = column.fill_null("")
        elif column.null_count:
            raise ValueError(f"column {name!r}: {column.null_count} empty value(s)")
        columns[name] = column
    date_year = pc.year(columns["invoice_date"]).cast(pa.int16())
    if "year" in columns:
        if n and not pc.all(pc.equal(columns["year"], date_year)).as_py():
            raise ValueError("column 'year': differs from the invoice date's year")
    else:
        columns["year"] = date_year
    for name in _REQUIRED_TEXT:
        if n and pc.any(pc.equal(columns[name], "")).as_py():
            raise ValueError(f"column {name!r}: empty value(s)")
    return pa.Table.from_arrays([columns[f.name] for f in SPEND_SCHEMA], schema=SPEND_SCHEMA)


def split_partitions(table: pa.Table) -> Iterator[tuple[str, int, pa.Table]]:
    """Yield ``(region_code, year, lines)`` for each partition of a conformed table, in order.

    Within a partition the lines are ordered by category, supplier and organisation number
    (``STORAGE_ORDER``; the original order among equal keys is kept). Stored that way a
    partition compresses to about two thirds and the screening's aggregation runs about twice
    as fast, because equal groups arrive together.
    """
    if table.num_rows == 0:
        return
    region, region_names = _ranks(table["region_code"])
    years = table["year"].to_numpy().astype(np.int64)
    first_year = int(years.min())
    part = _combine(region, years - first_year, int(years.max()) - first_year + 1)
    key = part
    for name in STORAGE_ORDER:
        codes, names = _ranks(table[name])
        key = _combine(key, codes, len(names))
    order = np.argsort(key, kind="stable")
    del key
    part = part[order]
    bounds = [0, *(np.flatnonzero(np.diff(part)) + 1).tolist(), len(order)]
    ordered = table.take(pa.array(order))
    del order
    for start, stop in itertools.pairwise(bounds):
        lines = ordered.slice(start, stop - start)
        yield lines["region_code"][0].as_py(), lines["year"][0].as_py(), lines


def _ranks(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    # each value's rank among the column's distinct values, in sort order, and those values
    encoded = column.combine_chunks().dictionary_encode()
    values = encoded.dictionary
    position = np.empty(len(values), dtype=np.int64)
    position[pc.array_sort_indices(values).to_numpy()] = np.arange(len(values))
    return position[encoded.indices.to_numpy()], values


def _combine(key: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    # key * size + codes, re-numbering the key densely first if the product could overflow
    if int(key.max(initial=0)) >= (1 << 62) // max(size, 1):
        key = np.unique(key, return_inverse=True)[1].astype(np.int64)
    return key * size + codes


def write_partition(
    root: Path,
    region_code: str,
    year: int,
    table: pa.Table,
    *,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write (or replace) the region's partition for the year atomically and return its file.

    ``table`` must hold this region's lines of this year only, in the spend schema (``conform``
    makes it so); they are stored in the order given. ``progress`` is called with the number of
    rows written after each row group; if it (or anything else) raises, the old partition stays
    as it was and the temporary file is removed. Replacing a partition replaces all of its
    lines: nothing is appended.
    """
    staged = _stage(root, region_code, year, table, progress)
    try:
        return staged.commit()
    finally:
        staged.discard()


def write_spend(root: Path, table: pa.Table, *, threads: int | None = None) -> list[Path]:
    """Conform the invoice lines and write one partition per region and year they cover.

    Every line is validated before anything is written; the partitions are then written to
    temporary files on ``threads`` threads (default: the cores), and only when all of them are
    written and synced are they moved into place, one ``os.replace`` each. A failure while
    writing leaves every partition as it was; a crash during the final renames (milliseconds)
    can leave some partitions replaced and others not, each of them whole.
    """
    table = conform(table)
    parts = list(split_partitions(table))
    del table
    root = Path(root)
    with ThreadPoolExecutor(max_workers=threads or _cores()) as pool:
        futures = [pool.submit(_stage, root, r, y, lines) for r, y, lines in parts]
    del parts
    # the pool has finished every write here, failed or not
    staged = [f.result() for f in futures if f.exception() is None]
    try:
        for future in futures:
            future.result()  # the first failure, if any, is raised before anything moves
        return [s.commit() for s in staged]
    finally:
        for s in staged:
            s.discard()


class _Staged:
    # a partition written and synced to its temporary directory, not yet in place
    def __init__(self, temp_dir: Path, target: Path) -> None:
        self.temp_dir = temp_dir
        self.target = target

    def commit(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.temp_dir / PARTITION_FILE, self.target)
        # make the rename itself durable before reporting success
        _fsync_dir(self.target.parent)
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
    root = Path(root)
    target = partition_path(root, region_code, year)
    table = _check_partition(table, region_code, year)
    root.mkdir(parents=True, exist_ok=True)
    temp_dir = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    temp_dir.mkdir()
    staged = _Staged(temp_dir, target)
    try:
        with open(temp_dir / PARTITION_FILE, "wb") as sink:
            with pq.ParquetWriter(
                sink,
                SPEND_SCHEMA,
                compression=COMPRESSION,
                use_dictionary=DICTIONARY_COLUMNS,
            ) as writer:
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


def partitions(root: Path) -> list[Partition]:
    """Return the stored partitions ordered by region and year; temporary files are not listed."""
    root = Path(root)
    found = []
    for path in sorted(root.glob(f"region=*/year=*/{PARTITION_FILE}")):
        region = path.parent.parent.name.removeprefix("region=")
        year_text = path.parent.name.removeprefix("year=")
        if not _CODE.match(region) or not year_text.isdigit():
            continue
        try:
            rows = pq.read_metadata(path).num_rows
            size = path.stat().st_size
        except FileNotFoundError:  # replaced or removed while listing
            continue
        found.append(Partition(region, int(year_text), path, rows, size))
    return found


def clean_temp(root: Path, *, min_age_seconds: float = 0.0) -> int:
    """Remove the temporary directories left by killed writes and return how many there were.

    A temporary directory younger than ``min_age_seconds`` is kept. With the default 0 every one
    is removed, so call it when no write is running (e.g. when an import job starts while it
    holds the spend import lock), or pass an age no write can reach.
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
            if now - entry.stat().st_mtime < min_age_seconds:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
    return removed


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_key(region_code: str, year: int) -> None:
    # the key becomes a path: no separators, no "..", nothing a glob would treat specially
    if not isinstance(region_code, str) or not _CODE.match(region_code):
        raise ValueError(f"invalid region code {region_code!r}")
    if not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ValueError(f"invalid year {year!r}")


def _check_partition(table: pa.Table, region_code: str, year: int) -> pa.Table:
    if table.schema != SPEND_SCHEMA:
        if table.schema.remove_metadata().names != SPEND_SCHEMA.names:
            table = conform(table)
        else:
            try:
                table = table.cast(SPEND_SCHEMA)
            except (pa.ArrowInvalid, ValueError) as exc:
                raise ValueError(f"not in the spend schema: {exc}") from exc
    if table.num_rows:
        if not pc.all(pc.equal(table["region_code"], region_code)).as_py():
            raise ValueError(f"lines of other regions than {region_code} in its partition")
        if not pc.all(pc.equal(table["year"], year)).as_py():
            raise ValueError(f"lines of other years than {year} in its partition")
    return table


def _fsync_dir(path: Path) -> None:
    # POSIX: a rename is durable once the directory is synced; not possible on Windows
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
