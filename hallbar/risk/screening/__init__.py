"""Spend storage (Parquet partitions) and risk screening (DuckDB); nothing here imports Django.

A thin service in ``hallbar.risk`` does the ORM I/O: it turns the risk analyses and the supplier
registry into the Arrow tables ``screen`` takes, and stores each run with its result.
"""

from .engine import (
    AREAS,
    DEFAULT_MEMORY_LIMIT,
    NATIONAL,
    ROW_COLUMNS,
    STORED_COLUMNS,
    ScreeningResult,
    build_sql,
    default_threads,
    screen,
    spend_source,
)
from .store import (
    AMOUNT_TYPE,
    SPEND_SCHEMA,
    Partition,
    Totals,
    Version,
    clean_temp,
    conform,
    partition_path,
    partition_totals,
    partitions,
    prune_versions,
    restore_previous,
    shrinks_by_more_than_half,
    split_partitions,
    versions,
    write_partition,
    write_spend,
    write_spend_batches,
)

__all__ = [
    "AMOUNT_TYPE",
    "AREAS",
    "DEFAULT_MEMORY_LIMIT",
    "NATIONAL",
    "ROW_COLUMNS",
    "STORED_COLUMNS",
    "SPEND_SCHEMA",
    "Partition",
    "ScreeningResult",
    "Totals",
    "Version",
    "build_sql",
    "clean_temp",
    "conform",
    "default_threads",
    "partition_path",
    "partition_totals",
    "partitions",
    "prune_versions",
    "restore_previous",
    "screen",
    "shrinks_by_more_than_half",
    "spend_source",
    "split_partitions",
    "versions",
    "write_partition",
    "write_spend",
    "write_spend_batches",
]
