"""Spend storage and screening: small hand-made partitions with sums worked out by hand.

No database: ``hallbar.risk.screening`` is plain Python over pyarrow and DuckDB.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hallbar.risk.screening import (
    NATIONAL,
    ROW_COLUMNS,
    SPEND_SCHEMA,
    STORED_COLUMNS,
    ScreeningResult,
    clean_temp,
    conform,
    partition_path,
    partitions,
    screen,
    write_partition,
    write_spend,
    write_spend_batches,
)
from hallbar.risk.screening.engine import order_rows

PROJECT = Path(__file__).resolve().parents[3]
YEAR = 2024

# category GLOVES: Malaysia is high risk, the default ("") moderate; China has no row of its
# own and falls back to the default. Category IT has no default row at all.
RISK = pa.table(
    {
        "category_key": ["GLOVES", "GLOVES", "GLOVES", "IT"],
        "country": ["MY", "SE", "", "TW"],
        "hr": [20, 2, 10, 15],
        "wr": [25, 3, 10, 15],
        "env": [5, 4, 5, 10],
        "be": [10, 1, 5, 5],
    }
)
# S1 makes gloves in Malaysia (60 %) and Sweden (40 %); S2 has no known country; S3 has
# generic rows (IT in Taiwan) and its own rows for GLOVES (all in Malaysia), which win.
COUNTRIES = pa.table(
    {
        "supplier_key": ["S1", "S1", "S3", "S3"],
        "category_key": ["", "", "", "GLOVES"],
        "country": ["MY", "SE", "TW", "MY"],
        "weight": [0.6, 0.4, 1.0, 1.0],
    }
)


def lines(*rows: tuple) -> pa.Table:
    """Return invoice lines from (region, supplier_key, org number, name, category, amount)."""
    return pa.table(
        {
            "region_code": [r[0] for r in rows],
            "invoice_date": [dt.date(YEAR, 3, 1 + i % 28) for i in range(len(rows))],
            "supplier_key": [r[1] for r in rows],
            "supplier_org_number": [r[2] for r in rows],
            "supplier_name": [r[3] for r in rows],
            "category_key": [r[4] for r in rows],
            "amount_sek": [str(r[5]) for r in rows],
        }
    )


def keyed(table: pa.Table, *keys: str) -> dict:
    """Return the rows of a result table by their keys."""
    return {tuple(row[k] for k in keys): row for row in table.to_pylist()}


def run(root: Path, **kwargs) -> ScreeningResult:
    return screen(root, year=YEAR, risk_table=RISK, supplier_countries=COUNTRIES, **kwargs)


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "spend"


def test_known_sums_per_region_category_supplier_and_country(root):
    # Given two regions buying gloves from S1 and S2, with a credit note in region 01
    write_spend(
        root,
        lines(
            ("01", "S1", "556000-0001", "Acme AB", "GLOVES", "100.00"),
            ("01", "S1", "556000-0001", "Acme AB", "GLOVES", "150.50"),
            ("01", "S1", "556000-0001", "Acme AB", "GLOVES", "-50.50"),  # credit note
            ("03", "S1", "556000-0001", "Acme AB", "GLOVES", "1000"),
            ("03", "S2", "556000-0002", "Bravo AB", "GLOVES", "500"),
        ),
    )

    # When the year is screened
    result = run(root)

    # Then S1's 200 kr in region 01 splits 120/80 over Malaysia and Sweden
    rows = keyed(result.rows, "region_code", "supplier_bucket", "country")
    my = rows[("01", "S1", "MY")]
    assert my["spend_sek"] == pytest.approx(120.0)
    assert (my["hr"], my["wr"], my["env"], my["be"]) == (20, 25, 5, 10)
    assert my["exposure"] == pytest.approx(120.0 * 25 / 25)
    assert my["exposure_hr"] == pytest.approx(120.0 * 20 / 25)
    assert my["exposure_env"] == pytest.approx(120.0 * 5 / 25)
    se = rows[("01", "S1", "SE")]
    assert se["spend_sek"] == pytest.approx(80.0)
    assert se["exposure"] == pytest.approx(80.0 * 4 / 25)
    # and S2, with no known country, is priced with the category's default risk
    s2 = rows[("03", "S2", "")]
    assert (s2["weight"], s2["risk_country"]) == (1.0, "")
    assert s2["exposure"] == pytest.approx(500.0 * 10 / 25)
    assert result.rows.column_names == list(ROW_COLUMNS)
    # and the totals are exact decimals
    assert result.total_spend_sek == Decimal("1700.00")
    assert result.lines == 5
    assert result.unmatched_spend_sek == 0
    assert result.unmatched_share == 0.0


def test_credit_notes_reduce_spend(root):
    # Given an invoice and a credit note that takes back part of it
    write_spend(
        root,
        lines(
            ("01", "S2", "", "Bravo AB", "GLOVES", "1000.10"),
            ("01", "S2", "", "Bravo AB", "GLOVES", "-400.05"),
        ),
    )

    result = run(root)

    # Then the spend is the difference, exactly, and so is the exposure
    assert result.total_spend_sek == Decimal("600.05")
    (row,) = result.rows.to_pylist()
    assert row["spend_sek"] == pytest.approx(600.05)
    assert row["exposure"] == pytest.approx(600.05 * 10 / 25)


def test_unmatched_spend_is_kept_by_organisation_number_or_name_and_its_share_reported(root):
    # Given lines without a registry supplier: one firm written with and without the hyphen,
    # one known only by a name spelt two ways, and a matched supplier
    write_spend(
        root,
        lines(
            ("01", "", "556111-2222", "Charlie AB", "GLOVES", "100"),
            ("03", "", "5561112222", "CHARLIE AB", "GLOVES", "50"),
            ("01", "", "", "Delta  Handel AB", "GLOVES", "30"),
            ("01", "", "", " delta handel ab", "GLOVES", "20"),
            ("01", "S1", "556000-0001", "Acme AB", "GLOVES", "800"),
        ),
    )

    result = run(root)

    # Then the unmatched spend is two buckets, none of it dropped
    suppliers = {row["supplier_bucket"]: row for row in result.suppliers.to_pylist()}
    assert set(suppliers) == {"S1", "org:5561112222", "name:delta handel ab"}
    charlie = suppliers["org:5561112222"]
    assert (charlie["matched"], charlie["spend_sek"], charlie["regions"]) == (
        False,
        Decimal("150.00"),
        2,
    )
    assert charlie["supplier_org_number"] == "556111-2222"
    assert charlie["supplier_name"] == "CHARLIE AB"
    assert suppliers["name:delta handel ab"]["spend_sek"] == Decimal("50.00")
    assert suppliers["S1"]["matched"] is True
    # and its share of the spend is reported
    assert result.unmatched_spend_sek == Decimal("200.00")
    assert result.unmatched_share == pytest.approx(200 / 1000)
    categories = keyed(result.categories, "category_key")
    assert categories[("GLOVES",)]["unmatched_spend_sek"] == Decimal("200.00")
    # and unmatched spend is priced at the category's default risk
    rows = keyed(result.rows, "region_code", "supplier_bucket")
    assert rows[("01", "org:5561112222")]["exposure"] == pytest.approx(100 * 10 / 25)


def test_supplier_with_two_countries_splits_by_weight_and_category_rows_win(root):
    # Given S1 (generic rows: MY 60 %, SE 40 %) and S3 (generic TW, its own GLOVES row MY)
    write_spend(
        root,
        lines(
            ("01", "S1", "", "Acme AB", "GLOVES", "1000"),
            ("01", "S3", "", "Echo AB", "GLOVES", "300"),
            ("01", "S3", "", "Echo AB", "IT", "200"),
            ("01", "S3", "", "Echo AB", "STATIONERY", "70"),
        ),
    )

    result = run(root)

    rows = keyed(result.rows, "supplier_bucket", "category_key", "country")
    # Then S1's spend splits by weight, and the two parts add up to the spend
    assert rows[("S1", "GLOVES", "MY")]["spend_sek"] == pytest.approx(600.0)
    assert rows[("S1", "GLOVES", "SE")]["spend_sek"] == pytest.approx(400.0)
    # and S3's gloves come from its GLOVES rows (MY), its IT from its generic rows (TW)
    assert set(k for k in rows if k[0] == "S3") == {
        ("S3", "GLOVES", "MY"),
        ("S3", "IT", "TW"),
        ("S3", "STATIONERY", "TW"),
    }
    assert rows[("S3", "IT", "TW")]["exposure"] == pytest.approx(200 * 15 / 25)
    # and a category without any risk row keeps its spend, unscored
    stationery = rows[("S3", "STATIONERY", "TW")]
    assert stationery["risk_country"] is None and stationery["exposure"] is None
    assert result.unscored_spend_sek == pytest.approx(70.0)
    assert result.rows.to_pylist()[-1]["category_key"] == "STATIONERY"  # nulls last


def test_national_pooling_equals_the_sum_over_regions(root) -> None:
    write_spend(
        root,
        lines(
            ("01", "S1", "", "Acme AB", "GLOVES", "100"),
            ("03", "S1", "", "Acme AB", "GLOVES", "250.25"),
            ("14", "S1", "", "Acme AB", "GLOVES", "-20"),
            ("14", "S3", "", "Echo AB", "IT", "999.99"),
            ("03", "", "556111-2222", "Charlie AB", "GLOVES", "10"),
            ("14", "", "5561112222", "Charlie AB", "GLOVES", "5"),
        ),
    )

    result = run(root)

    # Then every national row is the sum of the regional rows with the same keys
    regional: dict[tuple, dict[str, float]] = {}
    for row in result.rows.to_pylist():
        key = (row["category_key"], row["supplier_bucket"], row["country"])
        sums = regional.setdefault(key, {"spend_sek": 0.0, "exposure": 0.0, "exposure_hr": 0.0})
        for name in sums:
            sums[name] += row[name]
    national = keyed(result.national, "category_key", "supplier_bucket", "country")
    assert set(national) == set(regional)
    for key, sums in regional.items():
        assert national[key]["region_code"] == NATIONAL
        for name, value in sums.items():
            assert national[key][name] == pytest.approx(value)
    # and the lists rank the national exposure
    categories = result.categories.to_pylist()
    # IT: 999.99 × 15/25 ≈ 600; GLOVES: 330.25 × (0.6 × 25 + 0.4 × 4)/25 + 15 × 10/25 ≈ 225
    assert [c["category_key"] for c in categories] == ["IT", "GLOVES"]
    assert categories[1]["exposure"] == pytest.approx(
        sum(r["exposure"] for r in result.national.to_pylist() if r["category_key"] == "GLOVES")
    )
    assert categories[1]["exposure"] == pytest.approx(330.25 * 16.6 / 25 + 6)
    assert sum(c["exposure_share"] for c in categories) == pytest.approx(1.0)
    assert [s["rank"] for s in result.suppliers.to_pylist()] == [1, 2, 3]


def test_regions_limits_the_screening(root):
    write_spend(
        root,
        lines(
            ("01", "S1", "", "Acme AB", "GLOVES", "100"),
            ("03", "S1", "", "Acme AB", "GLOVES", "200"),
        ),
    )

    result = run(root, regions=["03"])

    assert {r["region_code"] for r in result.rows.to_pylist()} == {"03"}
    assert result.total_spend_sek == Decimal("200.00")
    assert "WHERE region IN ('03')" in result.sql


def test_a_year_without_spend_gives_empty_results(root):
    result = run(root)

    assert result.rows.num_rows == 0 and result.national.num_rows == 0
    assert result.total_spend_sek == 0 and result.unmatched_share is None


def test_results_are_deterministic_whatever_the_thread_count(root):
    write_spend(
        root,
        lines(
            *[("01", f"S{i % 4}", "", f"Firm {i % 4}", "GLOVES", f"{i}.25") for i in range(40)],
            *[("03", "", f"55600{i % 3}-0000", "X", "IT", "-1") for i in range(9)],
        ),
    )

    one, two = run(root, threads=1), run(root, threads=2)

    for name in ("rows", "national", "categories", "suppliers"):
        assert getattr(one, name).equals(getattr(two, name))
    assert one.sql == two.sql and "read_parquet(" in one.sql


def test_inputs_that_break_the_rules_are_refused(root):
    write_spend(root, lines(("01", "S1", "", "Acme AB", "GLOVES", "100")))
    duplicate = pa.concat_tables([RISK, RISK.slice(0, 1)])
    with pytest.raises(ValueError, match="more than one row for GLOVES/MY"):
        screen(root, year=YEAR, risk_table=duplicate, supplier_countries=COUNTRIES)
    uneven = COUNTRIES.set_column(3, "weight", pa.array([0.6, 0.3, 1.0, 1.0]))
    with pytest.raises(ValueError, match="weights of S1/ sum to 0.9"):
        screen(root, year=YEAR, risk_table=RISK, supplier_countries=uneven)
    with pytest.raises(ValueError, match="invalid region code"):
        run(root, regions=["../01"])


def test_a_run_asking_for_the_stored_columns_gets_the_same_rows_with_those_only(root):
    write_spend(
        root,
        lines(
            ("01", "S1", "", "Acme AB", "GLOVES", "100"),
            ("03", "S1", "", "Acme AB", "GLOVES", "-100"),  # a zero-exposure tie with 01's S2
            ("01", "S2", "", "Beta AB", "GLOVES", "0"),
            ("01", "", "556111-2222", "Charlie", "IT", "70"),
            ("03", "S3", "", "Delta", "STATIONERY", "5"),  # no risk: null exposure
        ),
    )
    full = run(root)

    narrow = run(root, row_columns=STORED_COLUMNS)

    assert narrow.rows.column_names == list(STORED_COLUMNS)
    assert narrow.rows.equals(full.rows.select(list(STORED_COLUMNS)))
    assert narrow.national.equals(full.national.select(list(STORED_COLUMNS)))
    with pytest.raises(ValueError, match="row_columns"):
        run(root, row_columns=("region_code", "exposure"))


def test_order_rows_matches_sql_order_by_with_ties_and_nulls():
    rows = pa.table(
        {
            "region_code": ["03", "01", "01", "14", "01", "03"],
            "category_key": ["A", "B", "A", "A", "A", "A"],
            "supplier_bucket": ["x", "x", "y", "x", "x", "z"],
            "country": ["SE", "", "MY", "", "", "ÖL"],
            "exposure": [5.0, 5.0, None, 7.5, 5.0, None],
        }
    )
    expected = duckdb.sql(
        "SELECT * FROM rows ORDER BY exposure DESC NULLS LAST, region_code, category_key, "
        "supplier_bucket, country"
    ).to_arrow_table()

    assert order_rows(rows).equals(expected)


# --- storage -------------------------------------------------------------------------------


def test_partitions_are_written_per_region_and_year_in_the_spend_schema(root):
    written = write_spend(
        root,
        lines(
            ("01", "S1", "", "Acme AB", "GLOVES", "1"),
            ("03", "S1", "", "Acme AB", "GLOVES", "2"),
            ("03", "S1", "", "Acme AB", "GLOVES", "3"),
        ),
    )

    assert written == [partition_path(root, "01", YEAR), partition_path(root, "03", YEAR)]
    found = partitions(root)
    assert [(p.region, p.year, p.rows) for p in found] == [("01", YEAR, 1), ("03", YEAR, 2)]
    assert all(p.bytes > 0 for p in found)
    table = pq.read_table(found[1].path)
    assert table.schema == SPEND_SCHEMA
    assert table["amount_sek"].to_pylist() == [Decimal("2.00"), Decimal("3.00")]
    assert table["product_text"].to_pylist() == ["", ""]  # missing optional text is ""


def test_dictionary_encoded_lines_are_stored_as_text(root):
    table = lines(("01", "S1", "", "Acme AB", "GLOVES", "1"), ("01", "", "", "B", "IT", "2"))
    encoded = pa.table(
        [c.dictionary_encode() if pa.types.is_string(c.type) else c for c in table.columns],
        names=table.column_names,
    )

    write_spend(root, encoded)

    stored = pq.read_table(partition_path(root, "01", YEAR))
    assert stored.schema == SPEND_SCHEMA
    assert stored["supplier_name"].to_pylist() == ["Acme AB", "B"]


def test_bad_lines_are_refused_before_anything_is_written(root):
    with pytest.raises(ValueError, match="amount_sek"):
        write_spend(root, lines(("01", "S1", "", "A", "GLOVES", "1.005")))  # öre has 2 decimals
    with pytest.raises(ValueError, match="category_key"):
        write_spend(root, lines(("01", "S1", "", "A", "", "1")))
    with pytest.raises(ValueError, match="missing column 'amount_sek'"):
        conform(lines(("01", "S1", "", "A", "GLOVES", "1")).drop_columns(["amount_sek"]))
    good = conform(lines(("01", "S1", "", "A", "GLOVES", "1")))
    with pytest.raises(ValueError, match="other regions"):
        write_partition(root, "03", YEAR, good)
    with pytest.raises(ValueError, match="invalid region code"):
        write_partition(root, "../01", YEAR, good)
    assert partitions(root) == []


def test_replacing_a_partition_replaces_its_lines(root):
    write_spend(root, lines(*[("01", "S1", "", "Acme AB", "GLOVES", "100")] * 3))

    write_spend(root, lines(("01", "S1", "", "Acme AB", "GLOVES", "7")))

    assert [p.rows for p in partitions(root)] == [1]
    assert run(root).total_spend_sek == Decimal("7.00")


def _encoded(table: pa.Table) -> pa.Table:
    # text dictionary-encoded, each table with its own dictionaries (as CSV blocks come)
    return pa.table(
        [c.dictionary_encode() if pa.types.is_string(c.type) else c for c in table.columns],
        names=table.column_names,
    )


def test_streamed_batches_store_what_one_write_of_all_the_lines_stores(root, tmp_path, monkeypatch):
    # Given lines of three regions arriving in three batches, each with its own dictionaries
    rows = [
        (("01", "03", "14")[i % 3], f"S{i % 7}", "", f"Name {i % 5}", ("GLOVES", "IT")[i % 2], i)
        for i in range(1, 61)
    ]
    plain = [lines(*rows[:25]), lines(*rows[25:26]), lines(*rows[26:])]
    batches = [_encoded(batch) for batch in plain]
    whole = tmp_path / "whole"
    write_spend(whole, pa.concat_tables(plain))

    # When they are streamed with tiny row groups and a tiny buffer, so that every path of
    # the buffering runs (full row groups, and the largest partition written early)
    monkeypatch.setattr("hallbar.risk.screening.store.ROW_GROUP_SIZE", 4)
    written = write_spend_batches(root, iter(batches), buffer_rows=6)

    # Then the same partitions hold the same lines, in the order of the input
    assert written == [partition_path(root, code, YEAR) for code in ("01", "03", "14")]
    for code in ("01", "03", "14"):
        stored = pq.read_table(partition_path(root, code, YEAR))
        assert stored.schema == SPEND_SCHEMA
        assert stored.equals(pq.read_table(partition_path(whole, code, YEAR)))
    assert pq.ParquetFile(partition_path(root, "01", YEAR)).num_row_groups > 1
    assert sorted(p.name for p in root.iterdir()) == [
        ".versions",
        "region=01",
        "region=03",
        "region=14",
    ]


def test_a_bad_batch_in_a_stream_leaves_every_partition_as_it_was(root):
    # Given a stored partition
    write_spend(root, lines(("01", "S1", "", "Acme AB", "GLOVES", "100")))
    before = pq.read_table(partition_path(root, "01", YEAR))

    # When a stream's third batch holds a bad amount, after good lines of 01 and 03
    def batches():
        yield lines(("01", "S1", "", "Acme AB", "GLOVES", "5"))
        yield lines(("03", "S1", "", "Acme AB", "GLOVES", "6"))
        yield lines(("01", "S1", "", "Acme AB", "GLOVES", "1.005"))  # öre has 2 decimals

    with pytest.raises(ValueError, match="amount_sek"):
        write_spend_batches(root, batches())

    # Then nothing was written: 01 as it was, no 03, and no temporary file left
    assert pq.read_table(partition_path(root, "01", YEAR)).equals(before)
    assert [(p.region, p.rows) for p in partitions(root)] == [("01", 1)]
    assert sorted(p.name for p in root.iterdir()) == [".versions", "region=01"]


def test_a_screening_imports_no_pandas(root, tmp_path):
    # pandas costs half a second and 100 MB per run; registering Arrow data with DuckDB, or
    # building an Arrow array from a Python list, imports it
    write_spend(
        root, lines(("01", "S1", "", "Acme AB", "GLOVES", "100"), ("01", "", "", "X", "IT", "1"))
    )
    pq.write_table(RISK, tmp_path / "risk.parquet")
    pq.write_table(COUNTRIES, tmp_path / "countries.parquet")
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import pyarrow.parquet as pq
        from hallbar.risk.screening import screen

        result = screen(
            Path({str(root)!r}), year={YEAR},
            # (pq.read_table would import pandas itself, through pyarrow.dataset)
            risk_table=pq.ParquetFile({str(tmp_path / "risk.parquet")!r}).read(),
            supplier_countries=pq.ParquetFile({str(tmp_path / "countries.parquet")!r}).read(),
            rematch=lambda pending: pending.append_column("supplier_key", pending["supplier_name"]),
        )
        assert result.rows.num_rows == 3, result.rows
        print("pandas" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_a_write_that_fails_midway_leaves_the_old_partition(root):
    # Given a stored partition
    write_spend(root, lines(("01", "S1", "", "Acme AB", "GLOVES", "100")))
    before = pq.read_table(partition_path(root, "01", YEAR))
    new = conform(big_lines(300_000))

    # When a new version fails after its first row group is written
    def fail(written: int) -> None:
        raise RuntimeError(f"disk full after {written} lines")

    with pytest.raises(RuntimeError, match="disk full after 262144 lines"):
        write_partition(root, "01", YEAR, new, progress=fail)

    # Then the old partition is intact and readable, and no temporary file is left
    assert pq.read_table(partition_path(root, "01", YEAR)).equals(before)
    assert run(root).total_spend_sek == Decimal("100.00")
    # no temporary file; the first write left its "no earlier partition" marker
    assert sorted(p.name for p in root.iterdir()) == [".versions", "region=01"]


def test_a_killed_write_leaves_the_old_partition_and_a_temporary_file_to_clean(root, tmp_path):
    # Given a stored partition
    write_spend(root, lines(("01", "S1", "", "Acme AB", "GLOVES", "100")))
    before = pq.read_table(partition_path(root, "01", YEAR))

    # When another process is SIGKILLed while it writes a big new version of it
    started = tmp_path / "started"
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from hallbar.risk.screening import conform, write_partition
        from hallbar.risk.tests.test_screening import big_lines

        def stall(written):
            Path({str(started)!r}).write_text(str(written))
            time.sleep(60)

        write_partition(Path({str(root)!r}), "01", {YEAR}, conform(big_lines(300_000)),
                        progress=stall)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert child.poll() is None, "the writer ended before it was killed"
            assert time.monotonic() < deadline, "the writer never started"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL

    # Then the old partition is intact and the half-written file sits in a temporary directory
    assert pq.read_table(partition_path(root, "01", YEAR)).equals(before)
    (leftover,) = [p for p in root.iterdir() if p.name.startswith(".tmp-")]
    assert (leftover / "part.parquet").stat().st_size > 0
    # which readers do not see
    assert [(p.region, p.rows) for p in partitions(root)] == [("01", 1)]
    assert run(root).total_spend_sek == Decimal("100.00")
    # and which clean_temp removes
    assert clean_temp(root, min_age_seconds=3600) == 0
    assert clean_temp(root) == 1
    # no temporary file; the first write left its "no earlier partition" marker
    assert sorted(p.name for p in root.iterdir()) == [".versions", "region=01"]


def big_lines(n: int) -> pa.Table:
    """Return n lines of region 01 (enough for more than one row group)."""
    return pa.table(
        {
            "region_code": pa.array(["01"] * n),
            "invoice_date": pa.array([dt.date(YEAR, 6, 1)] * n),
            "supplier_key": pa.array(["S1"] * n),
            "category_key": pa.array(["GLOVES"] * n),
            "amount_sek": pa.array([Decimal("1.00")] * n, pa.decimal128(14, 2)),
        }
    )
