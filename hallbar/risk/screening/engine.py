"""Spend screening in DuckDB: spend × production countries × category risk → exposure.

``screen`` reads one year of spend partitions (``store``) and returns plain Arrow tables; a thin
service turns the risk analyses and the supplier registry into its inputs and stores each run.
The SQL is built here as text, run statement by statement, and returned with the result
(``ScreeningResult.sql``) so that every figure can be traced to the statement that made it.

The method, in the order the SQL runs it:

1. Aggregate the invoice lines first, per region × category × supplier, in one scan of the
   year's files (10^7 lines become ~5 × 10^5 groups), summing the decimal amounts exactly;
   credit notes (negative lines) net against invoices. Lines without a registry supplier
   (``supplier_key`` "") are grouped by the identity on the invoice; the caller's ``rematch``
   may then name a supplier for some of those identities (the current registry and people's
   resolutions, applied at screening time without rewriting the files). The rest are pooled into one
   bucket per normalised identity: ``org:<organisation number, upper case, letters and digits
   only>``, else ``name:<name, lower case, single spaces>``, else ``unknown:``. A matched
   supplier's bucket is its ``supplier_key``. Unmatched spend is never dropped.
2. Pool the regions into national rows (region ``SE``) per category × supplier, from the exact
   sums.
3. Split each supplier's spend over its production countries (``supplier_countries``): the
   supplier's rows for this category when it has any, else its rows for any category
   (category ""), else one country "" with weight 1 (unknown). Unmatched buckets are unknown.
4. Join the category's risk for that country (``risk_table``); a country without a row for the
   category falls back to the category's default row (country ""), shown as ``risk_country``
   "". Spend whose category has neither keeps null risks and null exposure and is reported as
   ``unscored_spend_sek``.
5. exposure = spend × max(hr, wr, env, be) / 25, and per area spend × R / 25 (R on 1–25, so
   exposure is at most the spend).

Aggregating before joining keeps the joins to the groups, not the lines: the one scan and
aggregation of the lines is most of the cost (bench/README.md, ``risk_screen``).

Ordering is deterministic: exposure descending (nulls last), then the keys. Spend sums are exact
decimals; sums of exposures use ``fsum`` (compensated summation), so they do not depend on the
order in which DuckDB's threads meet the rows.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .store import PARTITION_FILE

NATIONAL = "SE"
"""The region code of the pooled national rows."""

DEFAULT_MEMORY_LIMIT = "256MB"
"""DuckDB's memory limit per screening. Aggregating 10^7 lines needs less (bench/README.md);
past the limit DuckDB spills to a private temporary directory instead of failing, so a web
worker's memory stays bounded whatever the data."""

AREAS = ("hr", "wr", "env", "be")
"""The code of conduct's four areas: human rights, workers' rights, environment, business ethics."""

WEIGHT_TOLERANCE = 1e-6
"""How far the production-country weights of a supplier (and category) may sum from 1."""

ROW_COLUMNS = (
    "region_code",
    "category_key",
    "supplier_bucket",
    "country",
    "weight",
    "risk_country",
    "spend_sek",
    *AREAS,
    "exposure",
    *(f"exposure_{a}" for a in AREAS),
)
"""The columns of ``ScreeningResult.rows`` and ``.national``."""

STORED_COLUMNS = (
    "region_code",
    "category_key",
    "supplier_bucket",
    "country",
    "spend_sek",
    *AREAS,
    "exposure",
)
"""The columns a stored run keeps per row (``row_columns``): the rows are the widest result
(10^6 at 10^7 lines), and each column left in DuckDB spares fetching and ordering it."""

_REGION = re.compile(r"^[0-9A-Za-z_-]{1,16}$")
_RISK_COLUMNS = ("category_key", "country", *AREAS)
_COUNTRY_COLUMNS = ("supplier_key", "category_key", "country", "weight")
_ROW_KEYS = ("region_code", "category_key", "supplier_bucket", "country")
_ROW_ORDER = "exposure DESC NULLS LAST, " + ", ".join(_ROW_KEYS)
_REMATCH_COLUMNS = ("region_code", "supplier_org_number", "supplier_name", "supplier_key")
# pa.nulls, not pa.array([]): building an array from a Python list makes pyarrow import pandas
_EMPTY_REMATCH = pa.table({c: pa.nulls(0, pa.string()) for c in _REMATCH_COLUMNS})


@dataclass
class ScreeningResult:
    """The outcome of one screening run: Arrow tables, totals, and the SQL that made them.

    ``rows``: one per region × category × supplier bucket × production country (``ROW_COLUMNS``,
    or the ``row_columns`` asked for);
    ``national``: the same pooled over the regions (region ``SE``); ``categories`` and
    ``suppliers``: the national prioritised lists, ranked by exposure. Names and organisation
    numbers in ``suppliers`` are those on the invoices of unmatched buckets; a matched
    supplier's come from the registry. ``regions``: per region, spend and unmatched spend;
    ``unmatched``: per region, each identity on the invoices (``supplier_org_number``,
    ``supplier_name``) still matched to no supplier, with its spend and lines. ``unmatched_share`` is unmatched spend / total spend
    (None when the total is 0); ``seconds`` times each statement.
    """

    year: int
    regions: list[str] | None
    rows: pa.Table
    national: pa.Table
    categories: pa.Table
    suppliers: pa.Table
    region_totals: pa.Table
    unmatched: pa.Table
    sql: str
    lines: int
    total_spend_sek: Decimal
    unmatched_spend_sek: Decimal
    unmatched_share: float | None
    unscored_spend_sek: float
    threads: int
    memory_limit: str
    seconds: dict[str, float] = field(default_factory=dict)


def default_threads() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def screen(
    root: Path,
    *,
    year: int,
    risk_table: pa.Table,
    supplier_countries: pa.Table,
    regions: list[str] | None = None,
    threads: int | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    rematch: Callable[[pa.Table], pa.Table] | None = None,
    row_columns: tuple[str, ...] = ROW_COLUMNS,
) -> ScreeningResult:
    """Screen one year of stored spend against the risk table; return the prioritised exposure.

    ``risk_table``: category_key, country (ISO 3166-1 alpha-2; "" = the category's default),
    hr, wr, env, be (R on 1–25), at most one row per category and country.
    ``supplier_countries``: supplier_key, category_key ("" = any category), country
    ("" = unknown), weight; a supplier's (and category's) weights sum to 1. ``regions`` limits
    the run to those regions (None: all). ``rematch`` gets the identities of the unmatched
    lines (region_code, supplier_org_number, supplier_name) and returns those it can name a
    supplier for, with a supplier_key column added. ``threads`` defaults to the cores.
    ``row_columns``: the columns of ``rows`` and ``national``, a part of ``ROW_COLUMNS`` holding
    the keys and the exposure (``STORED_COLUMNS``: what a stored run keeps). Raise
    ``ValueError`` when the inputs break these rules.
    """
    if not set(_ROW_KEYS) | {"exposure"} <= set(row_columns) <= set(ROW_COLUMNS):
        raise ValueError(f"row_columns must hold the keys and the exposure: {row_columns!r}")
    if not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ValueError(f"invalid year {year!r}")
    if regions is not None:
        for code in regions:
            if not isinstance(code, str) or not _REGION.match(code) or code == NATIONAL:
                raise ValueError(f"invalid region code {code!r}")
        regions = sorted(set(regions))
    _require(risk_table, _RISK_COLUMNS, "risk_table")
    _require(supplier_countries, _COUNTRY_COLUMNS, "supplier_countries")
    threads = threads or default_threads()
    root = Path(root)
    spill = tempfile.mkdtemp(prefix="hallbar-screen-")
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": spill,
            # every result is ordered explicitly; without insertion order DuckDB streams more
            "preserve_insertion_order": False,
            # parquet is built into the wheel: never download or load anything else
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        con.execute("SET enable_progress_bar = false")
        inputs = _Inputs(con, Path(spill))
        inputs.put("risk_input", risk_table.select(list(_RISK_COLUMNS)))
        inputs.put("countries_input", supplier_countries.select(list(_COUNTRY_COLUMNS)))
        inputs.put("rematch_input", _EMPTY_REMATCH)
        statements = build_sql(
            root,
            year=year,
            regions=regions,
            has_files=_has_files(root, year),
            row_columns=row_columns,
        )
        ran: list[str] = []
        seconds: dict[str, float] = {}
        results: dict[str, pa.Table] = {}
        for name, sql in statements:
            started = time.perf_counter()
            ran.append(f"-- {name}\n{sql}")
            if name == "result:rows":
                unordered = con.sql(sql).to_arrow_reader().read_all()
            elif name.startswith("result:"):
                results[name.removeprefix("result:")] = con.sql(sql).to_arrow_table()
            elif name.startswith("fetch:"):
                pending = con.sql(sql).to_arrow_table()
                found = rematch(pending) if rematch and pending.num_rows else _EMPTY_REMATCH
                _require(found, _REMATCH_COLUMNS, "rematch")
                inputs.put("rematch_input", found.select(list(_REMATCH_COLUMNS)))
            elif name.startswith("check:"):
                problems = con.sql(sql).fetchall()
                if problems:
                    raise ValueError(f"{name.removeprefix('check:')}: " + "; ".join(problems[0]))
            else:
                con.execute(sql)
            seconds[name] = time.perf_counter() - started
    finally:
        # closing hands DuckDB's memory back before the rows are ordered
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    started = time.perf_counter()
    results["rows"] = order_rows(unordered, threads=threads)
    del unordered
    seconds["order_rows"] = time.perf_counter() - started
    totals = results.pop("totals").to_pylist()[0]
    total = totals["total_spend_sek"] or Decimal(0)
    unmatched = totals["unmatched_spend_sek"] or Decimal(0)
    return ScreeningResult(
        year=year,
        regions=regions,
        rows=results["rows"],
        national=results["national"],
        categories=results["categories"],
        suppliers=results["suppliers"],
        region_totals=results["region_totals"],
        unmatched=results["unmatched"],
        sql=";\n\n".join(ran) + ";\n",
        lines=totals["lines"] or 0,
        total_spend_sek=total,
        unmatched_spend_sek=unmatched,
        unmatched_share=float(unmatched / total) if total else None,
        unscored_spend_sek=totals["unscored_spend_sek"] or 0.0,
        threads=threads,
        memory_limit=memory_limit,
        seconds=seconds,
    )


def order_rows(source: pa.RecordBatchReader | pa.Table, *, threads: int | None = None) -> pa.Table:
    """Return result rows ordered by exposure (descending, nulls last), then by their keys.

    The order of SQL's ``ORDER BY exposure DESC NULLS LAST, region_code, category_key,
    supplier_bucket, country`` (text compared byte by byte, as DuckDB does). Arrow sorts the
    exposure and the keys alone, then each column is gathered once, on all the cores: a DuckDB
    sort of this, the widest result, costs about 1 s more per 10^6 rows and holds its whole
    payload a second time (bench/README.md, ``risk_screen``).
    """
    if isinstance(source, pa.RecordBatchReader):
        source = source.read_all()
    if source.num_rows == 0:
        return source
    order = pc.sort_indices(
        source.select(["exposure", *_ROW_KEYS]),
        sort_keys=[("exposure", "descending", "at_end")]
        + [(key, "ascending", "at_end") for key in _ROW_KEYS],
    )
    names, columns = source.column_names, source.columns
    del source
    # pyarrow releases the GIL in take: gather the columns on all the cores
    with ThreadPoolExecutor(max_workers=threads or default_threads()) as pool:
        columns = list(pool.map(lambda column: column.take(order), columns))
    return pa.table(columns, names=names)


class _Inputs:
    """The caller's Arrow tables, handed to DuckDB as Parquet files in the run's private folder.

    Registering a Python object with DuckDB imports pandas (DuckDB looks for data frames),
    which costs half a second and a hundred megabytes for nothing: a small Parquet file and a
    view over it cost milliseconds.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path) -> None:
        self.con = con
        self.folder = folder
        self.written = 0

    def put(self, name: str, table: pa.Table) -> None:
        self.written += 1
        path = self.folder / f"input-{self.written}-{name}.parquet"
        pq.write_table(table, path, compression="none")
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet({_literal(str(path))})"
        )


def spend_source(root: Path, year: int, *, has_files: bool = True) -> str:
    """Return the SQL table expression that reads one year of stored spend."""
    if not has_files:
        # read_parquet fails on a glob that matches nothing; an empty relation does not
        return (
            "(SELECT NULL::VARCHAR AS region, NULL::VARCHAR AS region_code, "
            "NULL::VARCHAR AS category_key, NULL::VARCHAR AS supplier_key, "
            "NULL::VARCHAR AS supplier_org_number, NULL::VARCHAR AS supplier_name, "
            "NULL::DECIMAL(14, 2) AS amount_sek LIMIT 0)"
        )
    glob = f"{Path(root).resolve().as_posix()}/region=*/year={year:04d}/{PARTITION_FILE}"
    # the region in the path is typed as text ("01" is no number) so that a region filter
    # skips the other regions' files without opening them
    return (
        f"read_parquet({_literal(glob)}, hive_partitioning = true, "
        "hive_types = {'region': VARCHAR, 'year': INTEGER})"
    )


def build_sql(
    root: Path,
    *,
    year: int,
    regions: list[str] | None,
    has_files: bool = True,
    row_columns: tuple[str, ...] = ROW_COLUMNS,
) -> list[tuple[str, str]]:
    """Return the named statements of a screening run, in the order they run.

    ``check:*`` statements must return no rows (else their first row is the error),
    ``result:*`` ones are fetched as Arrow tables, the others build the run's temporary tables.
    """
    where = ""
    if regions is not None:
        listed = ", ".join(_literal(r) for r in regions)
        where = f"\nWHERE region IN ({listed})" if regions else "\nWHERE false"
    bad_risk = " OR ".join(f"{a} IS NULL OR {a} NOT BETWEEN 1 AND 25" for a in AREAS)
    risk_cast = ",\n       ".join(f"CAST({a} AS DOUBLE) AS {a}" for a in AREAS)
    area_sums = ",\n           ".join(f"fsum(exposure_{a}) AS exposure_{a}" for a in AREAS)
    area_columns = ", ".join(f"e.exposure_{a}" for a in AREAS)
    # in ROW_COLUMNS' order whatever the order asked for
    selected = ", ".join(c for c in ROW_COLUMNS if c in row_columns)
    return [
        (
            "risk",
            f"""CREATE TEMP TABLE risk AS
SELECT CAST(category_key AS VARCHAR) AS category_key,
       coalesce(CAST(country AS VARCHAR), '') AS country,
       {risk_cast}
FROM risk_input""",
        ),
        (
            "check:risk_table",
            f"""SELECT 'more than one row for ' || category_key || '/' || country
FROM risk GROUP BY category_key, country HAVING count(*) > 1
UNION ALL
SELECT 'no category, or a risk missing or outside 1-25, for '
       || coalesce(category_key, 'NULL') || '/' || country
FROM risk WHERE category_key IS NULL OR {bad_risk}
LIMIT 1""",
        ),
        (
            "countries",
            """CREATE TEMP TABLE countries AS
SELECT CAST(supplier_key AS VARCHAR) AS supplier_key,
       coalesce(CAST(category_key AS VARCHAR), '') AS category_key,
       coalesce(CAST(country AS VARCHAR), '') AS country,
       sum(CAST(weight AS DOUBLE)) AS weight
FROM countries_input
WHERE supplier_key IS NOT NULL AND supplier_key <> ''
GROUP BY ALL""",
        ),
        (
            "check:supplier_countries",
            f"""SELECT 'weights of ' || supplier_key || '/' || category_key || ' sum to '
       || round(sum(weight), 9)::VARCHAR || ', not 1'
FROM countries GROUP BY supplier_key, category_key
HAVING abs(sum(weight) - 1) > {WEIGHT_TOLERANCE} OR bool_or(weight IS NULL OR weight < 0)
ORDER BY supplier_key, category_key
LIMIT 1""",
        ),
        (
            # 1. one scan: group the lines by region, category and registry supplier, or by the
            # identity on the invoice when there is none (normalised on the groups, below)
            "line_groups",
            f"""CREATE TEMP TABLE line_groups AS
SELECT region_code, category_key, supplier_key,
       CASE WHEN supplier_key <> '' THEN ''
            ELSE supplier_org_number || chr(31) || supplier_name END AS invoice_identity,
       sum(amount_sek) AS spend_sek,
       count(*)::BIGINT AS lines
FROM {spend_source(root, year, has_files=has_files)}{where}
GROUP BY ALL""",
        ),
        (
            # the identities of the unmatched lines, for the caller to match (rematch)
            "fetch:unmatched_identities",
            """SELECT DISTINCT region_code,
       split_part(invoice_identity, chr(31), 1) AS supplier_org_number,
       split_part(invoice_identity, chr(31), 2) AS supplier_name
FROM line_groups
WHERE supplier_key = ''""",
        ),
        (
            # the caller's matches of those identities; the files are not rewritten
            "rematch",
            """UPDATE line_groups
SET supplier_key = m.supplier_key, invoice_identity = ''
FROM (SELECT DISTINCT * FROM rematch_input WHERE supplier_key <> '') m
WHERE line_groups.supplier_key = ''
  AND line_groups.region_code = m.region_code
  AND line_groups.invoice_identity = m.supplier_org_number || chr(31) || m.supplier_name""",
        ),
        (
            "result:region_totals",
            """SELECT region_code, sum(spend_sek) AS spend_sek,
       coalesce(sum(spend_sek) FILTER (WHERE supplier_key = ''), 0) AS unmatched_spend_sek,
       sum(lines)::BIGINT AS lines
FROM line_groups GROUP BY region_code ORDER BY region_code""",
        ),
        (
            "result:unmatched",
            """SELECT region_code,
       split_part(invoice_identity, chr(31), 1) AS supplier_org_number,
       split_part(invoice_identity, chr(31), 2) AS supplier_name,
       sum(spend_sek) AS spend_sek, sum(lines)::BIGINT AS lines
FROM line_groups WHERE supplier_key = ''
GROUP BY region_code, invoice_identity
ORDER BY region_code, spend_sek DESC, supplier_org_number, supplier_name""",
        ),
        (
            # matched groups are final (summed again: rematched groups join matched ones);
            # unmatched ones are pooled by normalised identity
            "spend",
            """CREATE TEMP TABLE spend AS
SELECT region_code, category_key, supplier_key AS supplier_bucket, supplier_key,
       '' AS supplier_org_number, '' AS supplier_name,
       sum(spend_sek) AS spend_sek, sum(lines) AS lines
FROM line_groups
WHERE supplier_key <> ''
GROUP BY region_code, category_key, supplier_key
UNION ALL
SELECT region_code, category_key,
       CASE WHEN org_key <> '' THEN 'org:' || org_key
            WHEN name_key <> '' THEN 'name:' || name_key
            ELSE 'unknown:' END AS supplier_bucket,
       '' AS supplier_key,
       coalesce(min(invoice_org) FILTER (WHERE org_key <> ''), '') AS supplier_org_number,
       min(invoice_name) AS supplier_name,
       sum(spend_sek) AS spend_sek,
       sum(lines) AS lines
FROM (
    SELECT *,
           regexp_replace(upper(invoice_org), '[^0-9A-Z]', '', 'g') AS org_key,
           lower(trim(regexp_replace(invoice_name, '\\s+', ' ', 'g'))) AS name_key
    FROM (
        SELECT *,
               split_part(invoice_identity, chr(31), 1) AS invoice_org,
               split_part(invoice_identity, chr(31), 2) AS invoice_name
        FROM line_groups
        WHERE supplier_key = ''
    )
)
GROUP BY ALL""",
        ),
        ("drop:line_groups", "DROP TABLE line_groups"),
        (
            # 2. national pooling, from the exact sums
            "spend_national",
            f"""CREATE TEMP TABLE spend_national AS
SELECT '{NATIONAL}' AS region_code, category_key, supplier_bucket, supplier_key,
       min(supplier_org_number) AS supplier_org_number, min(supplier_name) AS supplier_name,
       sum(spend_sek) AS spend_sek, sum(lines)::BIGINT AS lines
FROM spend
GROUP BY category_key, supplier_bucket, supplier_key""",
        ),
        (
            # 3. each bought (supplier, category): its own countries, else its generic ones
            "production",
            """CREATE TEMP TABLE production AS
WITH pairs AS (
    SELECT DISTINCT supplier_key, category_key FROM spend_national WHERE supplier_key <> ''
),
specific AS (
    SELECT p.supplier_key, p.category_key, c.country, c.weight
    FROM pairs p JOIN countries c USING (supplier_key, category_key)
)
SELECT * FROM specific
UNION ALL
SELECT p.supplier_key, p.category_key, c.country, c.weight
FROM pairs p JOIN countries c ON c.supplier_key = p.supplier_key AND c.category_key = ''
WHERE NOT EXISTS (
    SELECT 1 FROM specific s
    WHERE s.supplier_key = p.supplier_key AND s.category_key = p.category_key
)""",
        ),
        ("national_scored", f"CREATE TEMP TABLE national_scored AS\n{_scored('spend_national')}"),
        (
            "result:national",
            f"SELECT {selected}\nFROM national_scored\nORDER BY {_ROW_ORDER}",
        ),
        (
            "result:categories",
            f"""WITH spent AS (
    SELECT category_key, sum(spend_sek) AS spend_sek,
           coalesce(sum(spend_sek) FILTER (WHERE supplier_key = ''), 0) AS unmatched_spend_sek,
           count(*) AS suppliers, sum(lines)::BIGINT AS lines
    FROM spend_national GROUP BY category_key
),
exposed AS (
    SELECT category_key, fsum(exposure) AS exposure,
           {area_sums},
           coalesce(fsum(spend_sek) FILTER (WHERE exposure IS NULL), 0) AS unscored_spend_sek
    FROM national_scored GROUP BY category_key
)
SELECT row_number() OVER (ORDER BY e.exposure DESC NULLS LAST, s.category_key) AS rank,
       s.category_key, s.spend_sek, s.unmatched_spend_sek, s.suppliers, s.lines,
       e.exposure, {area_columns}, e.unscored_spend_sek,
       e.exposure / sum(e.exposure) OVER () AS exposure_share
FROM spent s JOIN exposed e USING (category_key)
ORDER BY rank""",
        ),
        (
            "result:suppliers",
            f"""WITH spent AS (
    SELECT supplier_bucket, supplier_key,
           min(supplier_org_number) AS supplier_org_number, min(supplier_name) AS supplier_name,
           sum(spend_sek) AS spend_sek, count(*) AS categories, sum(lines)::BIGINT AS lines
    FROM spend_national GROUP BY supplier_bucket, supplier_key
),
buying AS (
    SELECT supplier_bucket, count(DISTINCT region_code) AS regions
    FROM spend GROUP BY supplier_bucket
),
exposed AS (
    SELECT supplier_bucket, fsum(exposure) AS exposure,
           {area_sums},
           list(DISTINCT country ORDER BY country) AS countries
    FROM national_scored GROUP BY supplier_bucket
)
SELECT row_number() OVER (ORDER BY e.exposure DESC NULLS LAST, s.supplier_bucket) AS rank,
       s.supplier_bucket, s.supplier_key, s.supplier_key <> '' AS matched,
       s.supplier_org_number, s.supplier_name, s.spend_sek, b.regions, s.categories, s.lines,
       e.countries, e.exposure, {area_columns}
FROM spent s JOIN buying b USING (supplier_bucket) JOIN exposed e USING (supplier_bucket)
ORDER BY rank""",
        ),
        (
            "result:totals",
            """SELECT (SELECT sum(lines)::BIGINT FROM spend) AS lines,
       (SELECT sum(spend_sek) FROM spend) AS total_spend_sek,
       (SELECT sum(spend_sek) FROM spend WHERE supplier_key = '') AS unmatched_spend_sek,
       (SELECT fsum(spend_sek) FROM national_scored WHERE exposure IS NULL)
           AS unscored_spend_sek""",
        ),
        (
            # the largest result comes last and unordered; once DuckDB is closed, order_rows
            # puts it in this order
            "result:rows",
            f"SELECT {selected}\nFROM ({_scored('spend')})\n-- ORDER BY {_ROW_ORDER}",
        ),
    ]


def _scored(source: str) -> str:
    # 3. split over production countries, 4. price with the risk, 5. exposure
    areas = ", ".join(AREAS)
    picked = ",\n           ".join(f"coalesce(r.{a}, d.{a}) AS {a}" for a in AREAS)
    per_area = ",\n       ".join(f"spend_sek * {a} / 25 AS exposure_{a}" for a in AREAS)
    return f"""WITH priced AS (
    SELECT a.region_code, a.category_key, a.supplier_bucket, a.supplier_key,
           coalesce(p.country, '') AS country,
           coalesce(p.weight, 1.0) AS weight,
           CASE WHEN r.category_key IS NOT NULL THEN coalesce(p.country, '')
                WHEN d.category_key IS NOT NULL THEN '' END AS risk_country,
           CAST(a.spend_sek AS DOUBLE) * coalesce(p.weight, 1.0) AS spend_sek,
           {picked}
    FROM {source} a
    LEFT JOIN production p
      ON p.supplier_key = a.supplier_key AND p.category_key = a.category_key
    LEFT JOIN risk r
      ON r.category_key = a.category_key AND r.country = coalesce(p.country, '')
    LEFT JOIN risk d ON d.category_key = a.category_key AND d.country = ''
)
SELECT *,
       spend_sek * greatest({areas}) / 25 AS exposure,
       {per_area}
FROM priced"""


def _has_files(root: Path, year: int) -> bool:
    return any(Path(root).glob(f"region=*/year={year:04d}/{PARTITION_FILE}"))


def _require(table: pa.Table, columns: tuple[str, ...], label: str) -> None:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise ValueError(f"{label}: missing column(s) {', '.join(missing)}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
