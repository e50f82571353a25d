"""Spend screening benchmark: synthetic invoice lines, CSV → Parquet import, four screenings.

``generate`` makes the lines deterministically from a seed. Each step (``child_main``) runs in a
fresh interpreter started by ``__main__``, so that wall time and peak memory are those of a
whole process: the import, the product's ``screen``, a straightforward pandas version, and the
bare DuckDB SQL in its best form (aggregate the lines first, then join), once making the
product's four results and once only the rows' keys and exposure. See bench/README.md.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

YEAR = 2024
TOP = 1000
KEYS = ["region_code", "category_key", "supplier_bucket", "country"]
AREAS = ("hr", "wr", "env", "be")

# county code → population in thousands (SCB, end of 2023, rounded): invoice volume follows it
REGIONS = {
    "01": 2454, "03": 400, "04": 301, "05": 471, "06": 370, "07": 205, "08": 247,
    "09": 61, "10": 159, "12": 1414, "13": 340, "14": 1751, "17": 283, "18": 307,
    "19": 279, "20": 288, "21": 288, "22": 245, "23": 132, "24": 275, "25": 250,
}  # fmt: skip
COUNTRIES = [
    "SE", "DE", "CN", "MY", "IN", "PK", "VN", "TH", "BD", "TR", "PL", "US", "IT", "FR", "GB",
    "NL", "DK", "FI", "NO", "CZ", "ID", "MX", "BR", "KR", "JP", "TW", "LK", "ES", "PT", "EE",
]  # fmt: skip
PRODUCTS = [
    "undersökningshandskar nitril", "operationsrock", "förband", "kateter", "sprutor",
    "bärbar dator", "bildskärm", "mobiltelefon", "toner", "kontorspapper", "livsmedel",
    "kaffe", "bananer", "arbetskläder", "patientkläder", "sängkläder", "städkemikalier",
    "möbler", "läkemedel", "kirurgiska instrument", "reagens", "batterier", "kablar",
    "belysning", "konsulttjänst", "transporter", "byggmaterial", "skyddsskor",
]  # fmt: skip

CSV_COLUMNS = [
    "region_code",
    "invoice_date",
    "supplier_key",
    "supplier_org_number",
    "supplier_name",
    "category_key",
    "account",
    "amount_sek",
    "product_text",
]
CSV_TYPES = {
    "region_code": pa.string(),
    "invoice_date": pa.date32(),
    "supplier_key": pa.string(),
    "supplier_org_number": pa.string(),
    "supplier_name": pa.string(),
    "category_key": pa.string(),
    "account": pa.string(),
    "amount_sek": pa.decimal128(14, 2),
    "product_text": pa.string(),
}


@dataclass
class Generated:
    lines: pa.Table
    risk_table: pa.Table
    supplier_countries: pa.Table
    unmatched_suppliers: int


def generate(
    rows: int, *, seed: int = 2025, suppliers: int = 20_000, categories: int = 50
) -> Generated:
    """Return ``rows`` invoice lines of YEAR plus the matching risk and country tables.

    Skew as in real ledgers: supplier line counts follow a Zipf law (the top 1 % of suppliers
    carry about a third of the lines), amounts are log-normal with a per-supplier scale, 3 % of
    lines are credit notes. 12 % of suppliers are not in the registry (supplier_key ""): half
    with an organisation number written with or without the hyphen, half with only a name in
    varying case and spacing.
    """
    rng = np.random.default_rng(seed)
    region_codes = list(REGIONS)
    region_p = np.array(list(REGIONS.values()), dtype=float)
    region_p /= region_p.sum()
    category_keys = [f"CAT-{i:02d}" for i in range(1, categories + 1)]

    # suppliers: categories (1-3, a Zipf-popular primary one), identity, spend scale
    primary = np.minimum(rng.zipf(1.3, suppliers) - 1, categories - 1)
    n_categories = rng.choice([1, 2, 3], suppliers, p=[0.6, 0.3, 0.1])
    supplier_categories = np.stack(
        [primary, rng.integers(0, categories, suppliers), rng.integers(0, categories, suppliers)],
        axis=1,
    )
    ids = np.arange(suppliers)
    matched = rng.random(suppliers) >= 0.12
    has_org = matched | (rng.random(suppliers) < 0.5)
    org_digits = [f"55{n:08d}" for n in rng.integers(0, 10**8, suppliers)]
    org_dash = np.array([f"{d[:6]}-{d[6:]}" for d in org_digits], dtype=object)
    org_plain = np.array(org_digits, dtype=object)
    names = np.array([f"Leverantör {i:05d} AB" for i in ids], dtype=object)
    keys = np.array([f"S{i:05d}" if m else "" for i, m in zip(ids, matched, strict=True)])
    scale = rng.lognormal(0.0, 1.0, suppliers)

    # lines: supplier by Zipf rank (a random permutation decides who is big)
    rank_weight = 1.0 / np.arange(1, suppliers + 1) ** 1.07
    rank_weight /= rank_weight.sum()
    who = rng.permutation(suppliers)[rng.choice(suppliers, rows, p=rank_weight)]
    slot = (rng.random(rows) * n_categories[who]).astype(np.int64)
    category = supplier_categories[who, slot]
    region = rng.choice(len(region_codes), rows, p=region_p)
    day = rng.integers(0, 366, rows)  # 2024 is a leap year
    ore = np.round(rng.lognormal(7.2, 1.4, rows) * scale[who] * 100).astype(np.int64) + 100
    credit = rng.random(rows) < 0.03
    ore[credit] = -ore[credit]
    variant = rng.random(rows) < 0.5  # spelling variant of unmatched identities

    def text(values: np.ndarray, index: np.ndarray) -> pa.Array:
        return pa.array(values.tolist(), pa.string()).take(pa.array(index))

    # matched lines carry the registry identity; unmatched lines what the invoice said
    org_index = np.where(variant & ~matched[who], who + suppliers, who)
    org_values = np.concatenate([org_dash, org_plain])
    org_values[:suppliers][~has_org] = ""
    org_values[suppliers:][~has_org] = ""
    name_values = np.concatenate([names, np.array([n.upper() + " " for n in names])])
    name_index = np.where(variant & ~matched[who] & ~has_org[who], who + suppliers, who)
    products = np.array([*PRODUCTS, *[""] * 12], dtype=object)
    accounts = np.array([f"4{n:03d}" for n in range(10, 990, 33)], dtype=object)
    lines = pa.table(
        {
            "region_code": text(np.array(region_codes, dtype=object), region),
            "invoice_date": pa.array((day + 19723).astype(np.int32)).cast(pa.date32()),
            "supplier_key": text(keys.astype(object), who),
            "supplier_org_number": text(org_values, org_index),
            "supplier_name": text(name_values, name_index),
            "category_key": text(np.array(category_keys, dtype=object), category),
            "account": text(accounts, rng.integers(0, len(accounts), rows)),
            "amount_sek": _decimal(ore),
            "product_text": text(products, rng.integers(0, len(products), rows)),
        }
    )

    # production countries: 20 % unknown, the rest 1-3 countries; a fifth of those also have
    # rows for their primary category that override the generic ones
    sc_rows: list[tuple[str, str, str, float]] = []
    for i in np.flatnonzero(matched):
        u = rng.random()
        if u < 0.2:
            continue
        for category_key in ("", category_keys[primary[i]]) if u > 0.84 else ("",):
            chosen = rng.choice(len(COUNTRIES), rng.integers(1, 4), replace=False)
            weights = rng.dirichlet(np.ones(len(chosen)))
            weights[-1] = 1.0 - weights[:-1].sum()
            sc_rows += [
                (keys[i], category_key, COUNTRIES[c], float(w))
                for c, w in zip(chosen, weights, strict=True)
            ]
    supplier_countries = pa.table(
        {
            "supplier_key": [r[0] for r in sc_rows],
            "category_key": [r[1] for r in sc_rows],
            "country": [r[2] for r in sc_rows],
            "weight": pa.array([r[3] for r in sc_rows], pa.float64()),
        }
    )

    # risk: per category a default row (country "") and rows for 25 of the 30 countries
    risk_rows = []
    country_risk = rng.integers(1, 16, len(COUNTRIES))
    for c, category_key in enumerate(category_keys):
        base = rng.integers(1, 11, 4)
        risk_rows.append((category_key, "", *(int(b) + 5 for b in base)))
        for k in rng.choice(len(COUNTRIES), 25, replace=False):
            area = np.clip(base + country_risk[k] + rng.integers(-2, 3, 4) - c % 3, 1, 25)
            risk_rows.append((category_key, COUNTRIES[k], *(int(a) for a in area)))
    risk_table = pa.table(
        {
            "category_key": [r[0] for r in risk_rows],
            "country": [r[1] for r in risk_rows],
            **{a: pa.array([r[2 + j] for r in risk_rows], pa.int8()) for j, a in enumerate(AREAS)},
        }
    )
    return Generated(lines, risk_table, supplier_countries, int((~matched).sum()))


def _decimal(ore: np.ndarray) -> pa.Array:
    # öre as int64 → decimal128(14, 2) without rounding: 16-byte two's complement values
    words = np.empty((len(ore), 2), dtype=np.int64)
    words[:, 0] = ore
    words[:, 1] = np.where(ore < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(14, 2), len(ore), [None, pa.py_buffer(words)])


def write_inputs(work: Path, data: Generated) -> Path:
    """Write the lines as CSV and the risk and country tables as Parquet; return the CSV."""
    csv_path = work / "lines.csv"
    pa_csv.write_csv(data.lines, csv_path)
    pq.write_table(data.risk_table, work / "risk.parquet")
    pq.write_table(data.supplier_countries, work / "supplier_countries.parquet")
    return csv_path


# --- variants, each run in a fresh interpreter by __main__ ---------------------------------


def import_csv(csv_path: Path, root: Path, threads: int) -> dict:
    """Read the CSV with pyarrow block by block, validate it, and write the partitions.

    Text columns are read as dictionaries (a region, category or supplier repeats on many
    lines), which makes the read faster and lets ``write_spend_batches`` split and write the
    codes instead of the strings. The blocks stream through ``write_spend_batches``: the whole
    file is never in memory. Returns the timings.
    """
    from hallbar.risk.screening import clean_temp, write_spend_batches

    started = time.perf_counter()
    clean_temp(root)
    text = pa.dictionary(pa.int32(), pa.string())
    # 4 MiB blocks: the reader parses several blocks ahead on its threads, and with 16 MiB
    # blocks that alone held 700 MB at 10^7 lines (4 MiB: under 300 MB, and no slower)
    reader = pa_csv.open_csv(
        csv_path,
        read_options=pa_csv.ReadOptions(block_size=4 << 20),
        convert_options=pa_csv.ConvertOptions(
            column_types={k: text if v == pa.string() else v for k, v in CSV_TYPES.items()},
            include_columns=CSV_COLUMNS,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    lines = 0

    def counted():
        nonlocal lines
        for batch in reader:
            lines += batch.num_rows
            yield batch

    written = write_spend_batches(root, counted(), threads=threads)
    done = time.perf_counter()
    return {
        "lines": lines,
        "partitions": len(written),
        "import_s": done - started,
    }


def run_product(root: Path, work: Path, threads: int) -> pa.Table:
    """Run the product's ``screen`` (all of it: rows, national rows, both lists, totals)."""
    from hallbar.risk.screening import STORED_COLUMNS, screen

    result = screen(
        root,
        year=YEAR,
        risk_table=pq.ParquetFile(work / "risk.parquet").read(),
        supplier_countries=pq.ParquetFile(work / "supplier_countries.parquet").read(),
        threads=threads,
        row_columns=STORED_COLUMNS,  # as the product's runs ask (hallbar/risk/runs.py)
    )
    return result.rows.slice(0, TOP)


# The bare SQL, written by hand in its best form: aggregate the lines first (one scan, exact
# decimal sums, unmatched lines by their invoice identity), then normalise, split over the
# production countries and join the risk. BARE_SCRIPT makes the same four results as the
# product (rows, national rows, categories, suppliers); BARE_ROWS only the rows' keys and
# exposure, the least any screening must do.
BARE_GROUPS = r"""
CREATE TEMP TABLE spend AS
WITH line_groups AS (
    SELECT region_code, category_key, supplier_key,
           CASE WHEN supplier_key = '' THEN supplier_org_number || chr(31) || supplier_name
                ELSE '' END AS identity,
           sum(amount_sek) AS spend, count(*) AS lines
    FROM read_parquet('{glob}')
    GROUP BY ALL
)
SELECT region_code, category_key, supplier_key,
       CASE WHEN supplier_key <> '' THEN supplier_key
            WHEN regexp_replace(upper(split_part(identity, chr(31), 1)), '[^0-9A-Z]', '', 'g') <> ''
            THEN 'org:' || regexp_replace(upper(split_part(identity, chr(31), 1)), '[^0-9A-Z]', '', 'g')
            ELSE 'name:' || lower(trim(regexp_replace(split_part(identity, chr(31), 2), '\s+', ' ', 'g')))
       END AS supplier_bucket,
       min(split_part(identity, chr(31), 1)) AS org, min(split_part(identity, chr(31), 2)) AS name,
       sum(spend) AS spend, sum(lines) AS lines
FROM line_groups
GROUP BY ALL;

CREATE TEMP TABLE production AS
-- the supplier's rows for this category if it has any, else its rows for any category
SELECT p.supplier_key, p.category_key, c.country, c.weight
FROM (SELECT DISTINCT supplier_key, category_key FROM spend WHERE supplier_key <> '') p
JOIN countries c ON c.supplier_key = p.supplier_key AND c.category_key IN (p.category_key, '')
QUALIFY c.category_key = max(c.category_key) OVER (PARTITION BY p.supplier_key, p.category_key);
"""

BARE_SCORED = r"""
SELECT *,
       spend_sek * greatest(hr, wr, env, be) / 25 AS exposure,
       spend_sek * hr / 25 AS exposure_hr, spend_sek * wr / 25 AS exposure_wr,
       spend_sek * env / 25 AS exposure_env, spend_sek * be / 25 AS exposure_be
FROM (
    SELECT a.region_code, a.category_key, a.supplier_bucket,
           coalesce(p.country, '') AS country, coalesce(p.weight, 1.0) AS weight,
           CASE WHEN r.country IS NOT NULL THEN r.country WHEN d.country IS NOT NULL THEN '' END
               AS risk_country,
           CAST(a.spend AS DOUBLE) * coalesce(p.weight, 1.0) AS spend_sek,
           coalesce(r.hr, d.hr) AS hr, coalesce(r.wr, d.wr) AS wr,
           coalesce(r.env, d.env) AS env, coalesce(r.be, d.be) AS be
    FROM {source} a
    LEFT JOIN production p ON p.supplier_key = a.supplier_key AND p.category_key = a.category_key
    LEFT JOIN risk r ON r.category_key = a.category_key AND r.country = coalesce(p.country, '')
    LEFT JOIN risk d ON d.category_key = a.category_key AND d.country = ''
)
"""

BARE_ORDER = (
    "ORDER BY exposure DESC NULLS LAST, region_code, category_key, supplier_bucket, country"
)
_AREA_SUMS = ", ".join(f"fsum(exposure_{a}) AS exposure_{a}" for a in AREAS)

BARE_RESULTS = [
    ("rows", "SELECT * FROM ({scored}) " + BARE_ORDER),
    ("", "CREATE TEMP TABLE national AS SELECT * FROM ({scored_national})"),
    ("national", "SELECT * FROM national " + BARE_ORDER),
    (
        "categories",
        f"""SELECT category_key, spend_sek, exposure, {", ".join(f"exposure_{a}" for a in AREAS)}
FROM (SELECT category_key, sum(spend) AS spend_sek FROM spend GROUP BY category_key)
JOIN (SELECT category_key, fsum(exposure) AS exposure, {_AREA_SUMS}
      FROM national GROUP BY category_key) USING (category_key)
ORDER BY exposure DESC NULLS LAST, category_key""",
    ),
    (
        "suppliers",
        f"""SELECT *
FROM (SELECT supplier_bucket, max(supplier_key) AS supplier_key, min(org) AS org,
             min(name) AS name, sum(spend) AS spend_sek,
             count(DISTINCT region_code) AS regions, count(DISTINCT category_key) AS categories
      FROM spend GROUP BY supplier_bucket)
JOIN (SELECT supplier_bucket, fsum(exposure) AS exposure, {_AREA_SUMS}
      FROM national GROUP BY supplier_bucket) USING (supplier_bucket)
ORDER BY exposure DESC NULLS LAST, supplier_bucket""",
    ),
]

BARE_ROWS = (
    "SELECT region_code, category_key, supplier_bucket, country, exposure FROM ({scored}) "
    + BARE_ORDER
)


def _bare_connection(work: Path, threads: int):
    import duckdb

    con = duckdb.connect(
        config={"threads": threads, "memory_limit": "256MB", "preserve_insertion_order": False}
    )
    con.execute("SET enable_progress_bar = false")
    con.register("risk", pq.ParquetFile(work / "risk.parquet").read())
    con.register("countries", pq.ParquetFile(work / "supplier_countries.parquet").read())
    return con


def _bare_texts(root: Path) -> dict[str, str]:
    glob = f"{root.resolve().as_posix()}/region=*/year={YEAR}/part.parquet"
    national = (
        "SELECT 'SE' AS region_code, category_key, supplier_bucket, max(supplier_key) AS "
        "supplier_key, sum(spend) AS spend FROM spend GROUP BY category_key, supplier_bucket"
    )
    return {
        "groups": BARE_GROUPS.format(glob=glob),
        "scored": BARE_SCORED.format(source="spend"),
        "scored_national": BARE_SCORED.format(source=f"({national})"),
    }


def run_bare_sql(root: Path, work: Path, threads: int) -> pa.Table:
    """Run the hand-written SQL making the product's four results; return the top rows."""
    con = _bare_connection(work, threads)
    texts = _bare_texts(root)
    con.execute(texts["groups"])
    results = {}
    for name, sql in BARE_RESULTS:
        if name:
            results[name] = con.sql(sql.format(**texts)).to_arrow_table()
        else:
            con.execute(sql.format(**texts))
    return results["rows"].slice(0, TOP)


def run_bare_rows(root: Path, work: Path, threads: int) -> pa.Table:
    """Run the hand-written SQL making the rows' keys and exposure only; return the top rows."""
    con = _bare_connection(work, threads)
    texts = _bare_texts(root)
    con.execute(texts["groups"])
    return con.sql(BARE_ROWS.format(**texts)).to_arrow_table().slice(0, TOP)


def run_bare_top(root: Path, work: Path, threads: int) -> pa.Table:
    """Run the hand-written SQL making only the top rows' keys and exposure, ranked and cut in
    DuckDB (``LIMIT``): the one aggregate-first statement a review compared the product with.
    It stores nothing else, so no screening that keeps every row can match it."""
    con = _bare_connection(work, threads)
    texts = _bare_texts(root)
    con.execute(texts["groups"])
    return con.sql(BARE_ROWS.format(**texts) + f" LIMIT {TOP}").to_arrow_table()


def run_pandas(root: Path, work: Path, threads: int) -> pa.Table:
    """Screen the naive way: every line merged with countries and risk, then grouped."""
    import pandas as pd

    files = sorted(root.glob(f"region=*/year={YEAR}/part.parquet"))
    columns = [
        "region_code",
        "category_key",
        "supplier_key",
        "supplier_org_number",
        "supplier_name",
        "amount_sek",
    ]
    # decimal → float64 in Arrow: pandas would otherwise hold 10^7 Python Decimal objects
    frames = []
    for f in files:
        part = pq.read_table(f, columns=columns)
        part = part.set_column(5, "amount_sek", part["amount_sek"].cast(pa.float64()))
        frames.append(part.to_pandas())
    lines = pd.concat(frames, ignore_index=True)
    del frames
    unmatched = lines["supplier_key"] == ""
    org = lines.loc[unmatched, "supplier_org_number"]
    name = lines.loc[unmatched, "supplier_name"]
    org_key = org.str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    name_key = name.str.replace(r"\s+", " ", regex=True).str.strip().str.lower()
    lines["supplier_bucket"] = lines["supplier_key"]
    lines.loc[unmatched, "supplier_bucket"] = ("org:" + org_key).where(
        org_key != "", "name:" + name_key
    )

    countries = pd.read_parquet(work / "supplier_countries.parquet")
    risk = pd.read_parquet(work / "risk.parquet")
    specific = countries[countries["category_key"] != ""]
    generic = countries[countries["category_key"] == ""].drop(columns="category_key")
    with_specific = lines.merge(specific, on=["supplier_key", "category_key"], how="inner")
    has_specific = specific[["supplier_key", "category_key"]].drop_duplicates()
    rest = lines.merge(
        has_specific, on=["supplier_key", "category_key"], how="left", indicator=True
    )
    rest = rest[rest["_merge"] == "left_only"].drop(columns="_merge")
    rest = rest.merge(generic, on="supplier_key", how="left")
    rest["country"] = rest["country"].fillna("")
    rest["weight"] = rest["weight"].fillna(1.0)
    merged = pd.concat([with_specific, rest], ignore_index=True)
    merged = merged.merge(risk, on=["category_key", "country"], how="left")
    default = risk[risk["country"] == ""].drop(columns="country")
    merged = merged.merge(default, on="category_key", how="left", suffixes=("", "_default"))
    for area in AREAS:
        merged[area] = merged[area].fillna(merged[f"{area}_default"])
    merged["spend"] = merged["amount_sek"] * merged["weight"]
    merged["exposure"] = merged["spend"] * merged[list(AREAS)].max(axis=1) / 25
    grouped = merged.groupby(KEYS, as_index=False)["exposure"].sum()
    grouped = grouped.sort_values(
        ["exposure", *KEYS], ascending=[False, True, True, True, True], na_position="last"
    )
    return pa.Table.from_pandas(grouped.head(TOP), preserve_index=False)


VARIANTS = {
    "product": run_product,
    "pandas": run_pandas,
    "sql": run_bare_sql,
    "sql-rows": run_bare_rows,
    "sql-top": run_bare_top,
}


def child_main(variant: str, work: Path, threads: int, rows: int, **generating: int) -> None:
    """Run one step in this (fresh) process and print its figures as JSON on stdout.

    Peak memory is ``ru_maxrss`` of this process. Linux carries the high-water mark over
    ``exec`` from the forked parent, so the parent (``__main__``) holds no data of its own.
    """
    root = work / "spend"
    started = time.perf_counter()
    if variant == "generate":
        data = generate(rows, **generating)
        generated = time.perf_counter()
        csv_path = write_inputs(work, data)
        figures = {
            "generate_s": generated - started,
            "write_csv_s": time.perf_counter() - generated,
            "csv_mib": csv_path.stat().st_size / 2**20,
            "unmatched_share": unmatched_share(data.lines),
        }
    elif variant == "import":
        figures = import_csv(work / "lines.csv", root, threads)
    else:
        top = VARIANTS[variant](root, work, threads)
        figures = {}
    usage = resource.getrusage(resource.RUSAGE_SELF)  # before the harness writes its file
    figures["inner_s"] = time.perf_counter() - started
    if variant in VARIANTS:
        pq.write_table(top.select([*KEYS, "exposure"]), work / f"top-{variant}.parquet")
    figures["cpu_s"] = usage.ru_utime + usage.ru_stime
    figures["peak_mb"] = usage.ru_maxrss / 1024
    json.dump(figures, sys.stdout)


def compare_top(work: Path, a: str, b: str) -> list[str]:
    """Return the differences between two variants' top rows (keys and exposure, 1e-6 rel)."""
    left = pq.read_table(work / f"top-{a}.parquet").to_pylist()
    right = pq.read_table(work / f"top-{b}.parquet").to_pylist()
    problems = []
    if len(left) != len(right):
        problems.append(f"{a}: {len(left)} rows, {b}: {len(right)}")
    for i, (x, y) in enumerate(zip(left, right, strict=False)):
        kx, ky = tuple(x[k] for k in KEYS), tuple(y[k] for k in KEYS)
        ex, ey = x["exposure"], y["exposure"]
        if kx != ky or abs(ex - ey) > 1e-6 * max(abs(ex), abs(ey)):
            problems.append(f"#{i + 1}: {a} {kx} {ex!r} vs {b} {ky} {ey!r}")
        if len(problems) >= 5:
            break
    return problems


def unmatched_share(lines: pa.Table) -> float:
    """Return the share of spend on lines without a registry supplier."""
    amount = lines["amount_sek"]
    unmatched = pc.sum(pc.filter(amount, pc.equal(lines["supplier_key"], ""))).as_py()
    return float(unmatched / pc.sum(amount).as_py())


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
