"""Spend screening in DuckDB: spend × production countries × category risk → exposure.

``screen`` reads one year of spend partitions (``store``) and returns plain Arrow tables; a thin
service stores the run and its inputs. The SQL is built here as text, run statement by
statement, and returned with the result (``ScreeningResult.sql``) so every figure can be traced.

The method, in the order the SQL runs it:

1. Aggregate the invoice lines first, per region × category × supplier (10^7 lines become
   ~10^5–10^6 groups), summing the decimal amounts exactly; credit notes (negative lines) net
   against invoices. Lines without a registry supplier (``supplier_key`` "") are kept as their
   own supplier bucket: ``org:<organisation number>`` (upper case, letters and digits only) or,
   without a number, ``name:<name>`` (lower case, single spaces), or ``unknown:``.
2. Pool the regions into national rows (region ``SE``) per category × supplier, from the exact
   decimal sums.
3. Split each supplier's spend over its production countries (``supplier_countries``): rows for
   the supplier and this category when there are any, else the supplier's rows for any category
   (category ""), else one country "" with weight 1 (unknown). Unmatched buckets are unknown.
4. Join the category's risk for that country (``risk_table``); a country without a row for the
   category falls back to the category's default row (country ""), recorded as ``risk_country``
   "". Spend whose category has neither keeps null risks and null exposure and is reported as
   ``unscored_spend_sek``.
5. exposure = spend × max(hr, wr, env, be) / 25, and per area spend × R / 25 (R on 1–25, so a
   line's exposure is at most its spend).

Ordering is deterministic: exposure descending (nulls last), then the keys. Spend sums are exact
decimals; the sums of exposures use ``fsum`` (compensated summation), so they do not depend on
the order in which DuckDB's threads meet the rows.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from .store import PARTITION_FILE

NATIONAL = "SE"
"""The region code of the pooled national rows."""

DEFAULT_MEMORY_LIMIT = "1GB"
"""DuckDB's buffer limit. The aggregation of 10^7 lines needs well under half of it (see
bench/README.md); past the limit DuckDB spills to a private temporary directory instead of
failing, so the web server's memory stays bounded whatever the data."""

AREAS = ("hr", "wr", "env", "be")
"""The code of conduct's four areas: human rights, workers' rights, environment, business ethics."""

_REGION = re.compile(r"^[0-9A-Za-z_-]{1,16}$")
_SPEND_COLUMNS = (
    "region_code",
    "category_key",
    "supplier_key",
    "supplier_org_number",
    "supplier_name",
    "amount_sek",
)
_RISK_COLUMNS = ("category_key", "country", *AREAS)
_COUNTRY_COLUMNS = ("supplier_key", "category_key", "country", "weight")
WEIGHT_TOLERANCE = 1e-6


@dataclass
class ScreeningResult:
    """The outcome of one screening run: Arrow tables plus the totals and the SQL that ran.

    ``rows``: region × category × supplier × country; ``national``: the same pooled over the
    regions (region ``SE``); ``categories`` and ``suppliers``: the national prioritised lists.
    """

    year: int
    regions: list[str] | None
    rows: pa.Table
    national: pa.Table
    categories: pa.Table
    suppliers: pa.Table
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
) -> ScreeningResult:
    """Screen one year of spend against the risk table and return the prioritised exposure.

    ``risk_table``: category_key, country (ISO 3166-1 alpha-2, "" = the category's default),
    hr, wr, env, be (R on 1–25), one row per category and country. ``supplier_countries``:
    supplier_key, category_key ("" = any category), country ("" = unknown), weight; the weights
    of a supplier (and category) sum to 1. ``regions`` limits the screening to those regions
    (None: all). Raise ``ValueError`` when the inputs break these rules.
    """
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
            # results are ordered explicitly; dropping insertion order lets DuckDB stream
            "preserve_insertion_order": False,
            # parquet is built into the wheel; never fetch anything
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        con.register("risk_input", risk_table.select(list(_RISK_COLUMNS)))
        con.register("countries_input", supplier_countries.select(list(_COUNTRY_COLUMNS)))
        statements = build_sql(root, year=year, regions=regions, has_files=_has_files(root, year))
        ran: list[str] = []
        seconds: dict[str, float] = {}
        results: dict[str, pa.Table] = {}
        for name, sql in statements:
            started = time.perf_counter()
            ran.append(f"-- {name}\n{sql}")
            if name.startswith("result:"):
                results[name.removeprefix("result:")] = con.sql(sql).to_arrow_table()
            elif name.startswith("check:"):
                problems = con.sql(sql).fetchall()
                if problems:
                    raise ValueError(_describe(name.removeprefix("check:"), problems))
            else:
                con.execute(sql)
            seconds[name] = time.perf_counter() - started
        totals = results.pop("totals").to_pylist()[0]
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    total = totals["total_spend_sek"] or Decimal(0)
    unmatched = totals["unmatched_spend_sek"] or Decimal(0)
    return ScreeningResult(
        year=year,
        regions=regions,
        rows=results["rows"],
        national=results["national"],
        categories=results["categories"],
        suppliers=results["suppliers"],
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


def spend_source(root: Path, year: int, *, has_files: bool = True) -> str:
    """Return the SQL table expression for one year of stored spend."""
    if not has_files:
        # read_parquet fails on an empty glob; an empty relation of the same shape does not
        return (
            "(SELECT NULL::VARCHAR AS region, NULL::VARCHAR AS region_code, "
            "NULL::VARCHAR AS category_key, NULL::VARCHAR AS supplier_key, "
            "NULL::VARCHAR AS supplier_org_number, NULL::VARCHAR AS supplier_name, "
            "NULL::DECIMAL(14, 2) AS amount_sek LIMIT 0)"
        )
    glob = f"{Path(root).resolve().as_posix()}/region=*/year={year:04d}/{PARTITION_FILE}"
    return (
        f"read_parquet({_literal(glob)}, hive_partitioning = true, "
        "hive_types = {'region': VARCHAR, 'year': INTEGER})"
    )


def build_sql(
    root: Path, *, year: int, regions: list[str] | None, has_files: bool = True
) -> list[tuple[str, str]]:
    """Return the named statements of a screening run, in the order they run.

    Names: ``check:*`` must return no rows, ``result:*`` are fetched as Arrow tables, the rest
    create the run's temporary tables.
    """
    where = ""
    if regions is not None:
        where = "\nWHERE region IN (" + ", ".join(_literal(r) for r in regions) + ")"
        if not regions:
            where = "\nWHERE false"
    areas_null = " OR ".join(f"{a} IS NULL" for a in AREAS)
    areas_range = " OR ".join(f"{a} NOT BETWEEN 1 AND 25" for a in AREAS)
    risk_cast = ",\n       ".join(f"CAST({a} AS DOUBLE) AS {a}" for a in AREAS)
    risk_pick = ",\n       ".join(f"coalesce(r.{a}, d.{a}) AS {a}" for a in AREAS)
    area_exposure = ",\n       ".join(f"spend_sek * {a} / 25 AS exposure_{a}" for a in AREAS)
    area_sums = ",\n       ".join(f"fsum(exposure_{a}) AS exposure_{a}" for a in AREAS)
    row_columns = (
        "region_code, category_key, supplier_bucket, supplier_key, supplier_org_number, "
        "supplier_name, country, weight, risk_country, supplier_spend_sek, lines, spend_sek, "
        + ", ".join(AREAS)
        + ", exposure, "
        + ", ".join(f"exposure_{a}" for a in AREAS)
    )
    row_order = "exposure DESC NULLS LAST, region_code, category_key, supplier_bucket, country"
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
            f"""SELECT 'duplicate row for ' || category_key || '/' || country
FROM risk GROUP BY category_key, country HAVING count(*) > 1
UNION ALL
SELECT 'missing or out-of-range risk (1-25) for ' || coalesce(category_key, 'NULL') || '/' || country
FROM risk WHERE category_key IS NULL OR {areas_null} OR {areas_range}
LIMIT 20""",
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
LIMIT 20""",
        ),
        (
            # 1. aggregate the lines first: one scan of the year's files, exact decimal sums
            "line_groups",
            f"""CREATE TEMP TABLE line_groups AS
SELECT region_code, category_key, supplier_key,
       CASE WHEN supplier_key = '' THEN supplier_org_number ELSE '' END AS raw_org,
       CASE WHEN supplier_key = '' AND supplier_org_number = '' THEN supplier_name ELSE ''
       END AS raw_name,
       min(supplier_org_number) AS supplier_org_number,
       min(supplier_name) AS supplier_name,
       sum(amount_sek) AS spend_sek,
       count(*) AS lines
FROM {spend_source(root, year, has_files=has_files)}{where}
GROUP BY ALL""",
        ),
        (
            # unmatched lines become buckets by normalised organisation number or name
            "spend",
            """CREATE TEMP TABLE spend AS
WITH keyed AS (
    SELECT *,
           regexp_replace(upper(raw_org), '[^0-9A-Z]', '', 'g') AS org_key,
           lower(trim(regexp_replace(raw_name, '\\s+', ' ', 'g'))) AS name_key
    FROM line_groups
)
SELECT region_code, category_key,
       CASE WHEN supplier_key <> '' THEN supplier_key
            WHEN org_key <> '' THEN 'org:' || org_key
            WHEN name_key <> '' THEN 'name:' || name_key
            ELSE 'unknown:' END AS supplier_bucket,
       max(supplier_key) AS supplier_key,
       min(supplier_org_number) AS supplier_org_number,
       min(supplier_name) AS supplier_name,
       sum(spend_sek) AS spend_sek,
       sum(lines)::BIGINT AS lines
FROM keyed
GROUP BY region_code, category_key, supplier_bucket""",
        ),
        (
            # 2. national pooling from the exact sums
            "spend_national",
            f"""CREATE TEMP TABLE spend_national AS
SELECT '{NATIONAL}' AS region_code, category_key, supplier_bucket,
       max(supplier_key) AS supplier_key, min(supplier_org_number) AS supplier_org_number,
       min(supplier_name) AS supplier_name, sum(spend_sek) AS spend_sek,
       sum(lines)::BIGINT AS lines
FROM spend
GROUP BY category_key, supplier_bucket""",
        ),
        (
            # 3. production countries; 4. risk
            "scored",
            f"""CREATE TEMP TABLE scored AS
WITH pooled AS (
    SELECT * FROM spend UNION ALL SELECT * FROM spend_national
),
pairs AS (
    SELECT DISTINCT supplier_key, category_key FROM spend WHERE supplier_key <> ''
),
specific AS (
    SELECT p.supplier_key, p.category_key, c.country, c.weight
    FROM pairs p JOIN countries c USING (supplier_key, category_key)
),
generic AS (
    SELECT p.supplier_key, p.category_key, c.country, c.weight
    FROM pairs p JOIN countries c ON c.supplier_key = p.supplier_key AND c.category_key = ''
    WHERE NOT EXISTS (
        SELECT 1 FROM specific s
        WHERE s.supplier_key = p.supplier_key AND s.category_key = p.category_key
    )
),
production AS (
    SELECT * FROM specific UNION ALL SELECT * FROM generic
),
split AS (
    SELECT a.*, coalesce(c.country, '') AS country, coalesce(c.weight, 1.0) AS weight
    FROM pooled a
    LEFT JOIN production c
      ON c.supplier_key = a.supplier_key AND c.category_key = a.category_key
),
priced AS (
    SELECT s.region_code, s.category_key, s.supplier_bucket, s.supplier_key,
           s.supplier_org_number, s.supplier_name, s.country, s.weight,
           CASE WHEN r.category_key IS NOT NULL THEN s.country
                WHEN d.category_key IS NOT NULL THEN '' END AS risk_country,
           s.spend_sek AS supplier_spend_sek, s.lines,
           CAST(s.spend_sek AS DOUBLE) * s.weight AS spend_sek,
           {risk_pick}
    FROM split s
    LEFT JOIN risk r ON r.category_key = s.category_key AND r.country = s.country
    LEFT JOIN risk d ON d.category_key = s.category_key AND d.country = ''
)
SELECT *,
       spend_sek * greatest({", ".join(AREAS)}) / 25 AS exposure,
       {area_exposure}
FROM priced""",
        ),
        (
            "result:rows",
            f"""SELECT {row_columns}
FROM scored WHERE region_code <> '{NATIONAL}'
ORDER BY {row_order}""",
        ),
        (
            "result:national",
            f"""SELECT {row_columns}
FROM scored WHERE region_code = '{NATIONAL}'
ORDER BY {row_order}""",
        ),
        (
            "result:categories",
            f"""WITH spent AS (
    SELECT category_key, sum(spend_sek) AS spend_sek,
           sum(spend_sek) FILTER (WHERE supplier_key = '') AS unmatched_spend_sek,
           count(*) AS suppliers, sum(lines)::BIGINT AS lines
    FROM spend_national GROUP BY category_key
),
exposed AS (
    SELECT category_key, fsum(exposure) AS exposure,
           {area_sums},
           fsum(spend_sek) FILTER (WHERE exposure IS NULL) AS unscored_spend_sek
    FROM scored WHERE region_code = '{NATIONAL}' GROUP BY category_key
)
SELECT row_number() OVER (ORDER BY e.exposure DESC NULLS LAST, s.category_key) AS rank,
       s.category_key, s.spend_sek, coalesce(s.unmatched_spend_sek, 0) AS unmatched_spend_sek,
       s.suppliers, s.lines, e.exposure,
       {", ".join(f"e.exposure_{a}" for a in AREAS)},
       coalesce(e.unscored_spend_sek, 0) AS unscored_spend_sek,
       e.exposure / sum(e.exposure) OVER () AS exposure_share
FROM spent s JOIN exposed e USING (category_key)
ORDER BY rank""",
        ),
        (
            "result:suppliers",
            f"""WITH spent AS (
    SELECT supplier_bucket, max(supplier_key) AS supplier_key,
           min(supplier_org_number) AS supplier_org_number, min(supplier_name) AS supplier_name,
           sum(spend_sek) AS spend_sek, count(*) AS categories, sum(lines)::BIGINT AS lines
    FROM spend_national GROUP BY supplier_bucket
),
buying AS (
    SELECT supplier_bucket, count(DISTINCT region_code) AS regions
    FROM spend GROUP BY supplier_bucket
),
exposed AS (
    SELECT supplier_bucket, fsum(exposure) AS exposure,
           {area_sums},
           list(DISTINCT country ORDER BY country) AS countries
    FROM scored WHERE region_code = '{NATIONAL}' GROUP BY supplier_bucket
)
SELECT row_number() OVER (ORDER BY e.exposure DESC NULLS LAST, s.supplier_bucket) AS rank,
       s.supplier_bucket, s.supplier_key, s.supplier_key <> '' AS matched,
       s.supplier_org_number, s.supplier_name, s.spend_sek, b.regions, s.categories, s.lines,
       e.countries, e.exposure,
       {", ".join(f"e.exposure_{a}" for a in AREAS)}
FROM spent s JOIN buying b USING (supplier_bucket) JOIN exposed e USING (supplier_bucket)
ORDER BY rank""",
        ),
        (
            "result:totals",
            f"""SELECT (SELECT sum(lines)::BIGINT FROM spend) AS lines,
       (SELECT sum(spend_sek) FROM spend) AS total_spend_sek,
       (SELECT sum(spend_sek) FROM spend WHERE supplier_key = '') AS unmatched_spend_sek,
       (SELECT fsum(spend_sek) FROM scored
         WHERE region_code = '{NATIONAL}' AND exposure IS NULL) AS unscored_spend_sek""",
        ),
    ]


def _has_files(root: Path, year: int) -> bool:
    return any(Path(root).glob(f"region=*/year={year:04d}/{PARTITION_FILE}"))


def _require(table: pa.Table, columns: tuple[str, ...], label: str) -> None:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise ValueError(f"{label}: missing column(s) {', '.join(missing)}")


def _describe(label: str, problems: list[tuple]) -> str:
    return f"{label}: " + "; ".join(str(p[0]) for p in problems)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
