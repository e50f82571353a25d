"""Spend imports into Parquet partitions, and screening runs stored with their rows."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.urls import reverse

from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.risk import runs
from hallbar.risk.models import DataEdition, ScreeningRun
from hallbar.risk.screening import store
from hallbar.risk.services import approve_analysis, create_analysis_draft
from hallbar.risk.spend import COLUMNS, spend_root, stored_partitions
from hallbar.risk.tests.test_method import section_13_table
from hallbar.suppliers.models import ProductionSite
from hallbar.suppliers.services import save_supplier

AREAS = ("hr", "wr", "env", "be")
approx = pytest.approx
# docs/risk-method.md, section 12: (inherent, scale, scope, irremediability) per area.
GLOVES_JUDGEMENTS = {
    area: dict(zip(("inherent", "scale", "scope", "irremediability"), values, strict=True))
    for area, values in {
        "hr": (3, 4, 3, 2),
        "wr": (4, 5, 4, 3),
        "env": (3, 3, 3, 3),
        "be": (2, 3, 2, 1),
    }.items()
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def risk_table(monkeypatch):
    """A hand-made risk table: gloves from Malaysia are high risk on workers' rights."""
    table = pa.table(
        {
            "category_key": ["general-consumables", "general-consumables", "office-supplies"],
            "country": ["MY", "", ""],
            "hr": [10.0, 5.0, 2.0],
            "wr": [17.5, 6.0, 2.0],
            "env": [7.0, 5.0, 3.0],
            "be": [5.0, 4.0, 2.0],
        }
    )
    monkeypatch.setattr(
        runs, "risk_table", lambda countries=(): (table, {"analyses": [], "parameters": {}})
    )
    return table


def lines(rows):
    header = ",".join(COLUMNS)
    body = "\n".join(",".join(str(r.get(c, "")) for c in COLUMNS) for r in rows)
    return f"{header}\n{body}\n".encode()


def import_spend(
    content, region="01", filename="fakturor.csv", year=2025, dry_run=False, **options
):
    job = create_job(
        kind=ImportJob.Kind.SPEND,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=None,
        region=Region.objects.get(county_code=region),
        dry_run=dry_run,
        options={"year": year, **options},
    )
    return run_import_job(job)


GLOVES = {
    "invoice_date": "2025-03-01",
    "supplier_org_number": "5560360793",
    "supplier_name": "Medisupply Sverige AB",
    "category": "general-consumables",
    "amount_sek": "1000",
}


def test_import_writes_a_partition_and_reports_unmatched_spend(reference_data):
    save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="5560360793",
    )
    job = import_spend(
        lines(
            [
                GLOVES,
                {
                    **GLOVES,
                    "supplier_org_number": "",
                    "supplier_name": "Okänd AB",
                    "amount_sek": "3000",
                },
                {**GLOVES, "amount_sek": "-200"},
            ]
        )
    )
    assert job.status == "done", job.issues
    assert job.summary["unmatched_share_percent"] == "78.9"  # 3000 of 3800
    (partition,) = stored_partitions()
    assert (partition.region, partition.year, partition.rows) == ("01", 2025, 3)


def test_bad_lines_are_listed_and_nothing_is_written(reference_data):
    job = import_spend(
        lines(
            [
                GLOVES,
                {**GLOVES, "amount_sek": "x"},
                {**GLOVES, "invoice_date": "2025-02-30"},
                {**GLOVES, "supplier_org_number": "", "supplier_name": ""},
            ]
        )
    )
    assert job.status == "rejected"
    assert {(i["row"], i["column"]) for i in job.issues} == {
        (3, "amount_sek"),
        (4, "invoice_date"),
        (5, "supplier_name"),
    }
    assert stored_partitions() == []


def test_reimport_replaces_the_partition_instead_of_adding(reference_data):
    import_spend(lines([GLOVES, GLOVES]))
    import_spend(lines([GLOVES]))
    (partition,) = stored_partitions()
    assert partition.rows == 1


def test_an_import_killed_while_writing_leaves_the_earlier_partition_intact(
    reference_data, monkeypatch
):
    import_spend(lines([GLOVES, GLOVES]))
    before = store.partition_path(spend_root(), "01", 2025).read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")  # the write dies before the atomic rename

    monkeypatch.setattr(store.pq, "ParquetWriter", crash)
    with pytest.raises(OSError):
        import_spend(lines([GLOVES]))
    assert store.partition_path(spend_root(), "01", 2025).read_bytes() == before
    assert ImportJob.objects.order_by("-created_at").first().status == "failed"


def test_screening_run_keeps_rows_and_national_pool(reference_data, risk_table, cast, client_for):
    supplier = save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="5560360793",
    )
    ProductionSite.objects.create(supplier=supplier, name="Klang", country="MY", tier=1)
    import_spend(lines([GLOVES]), region="01")
    import_spend(lines([{**GLOVES, "amount_sek": "500"}]), region="23")
    for kind, label in [("cpi", "CPI 2024"), ("wgi", "WGI 2024")]:
        DataEdition.objects.create(kind=kind, label=label, filename="-", sha256="0" * 64)
    run = runs.run_screening(year=2025, acting_user=cast.secretariat)
    national = run.rows.get(region_code="SE")
    assert float(national.spend_sek) == 1500
    assert national.wr == 17.5 and national.priority == "high"
    assert national.exposure == pytest.approx(1500 * 17.5 / 25)
    assert run.rows.filter(region_code="01").get().exposure == pytest.approx(1000 * 17.5 / 25)
    client = client_for(cast.alice)
    page = client.get(reverse("risk:screening-detail", args=[run.public_id])).content.decode()
    assert "Medisupply Sverige AB" in page
    # the heat map's classes (R 10, 17.5, 7 and 5 nationally) and the row's priority, in words
    cells = '<td class="heat-medium">10,0 medel</td><td class="heat-high">17,5 hög</td>'
    cells += '<td class="heat-low">7,0 låg</td><td class="heat-low">5,0 låg</td>'
    assert cells in page
    assert "</td><td>hög</td></tr>" in page
    # the data editions, joined with no separator left over after the last
    editions = re.search(r"<dt>Dataversioner</dt><dd>(.*?)</dd>", page).group(1)
    labels = [e["label"] for e in run.editions.values() if isinstance(e, dict) and e.get("label")]
    assert sorted(labels) == ["CPI 2024", "WGI 2024"] and editions == "; ".join(labels)
    english = client.get(
        reverse("risk:screening-detail", args=[run.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<td class="heat-high">17.5 high</td>' in english
    assert '<td class="num">1,050</td><td>high</td></tr>' in english
    row = client.get(reverse("risk:screening-row", args=[run.public_id, national.pk]))
    assert row.status_code == 200
    xlsx = client.get(reverse("risk:screening-detail", args=[run.public_id]), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert (
        client_for(cast.charlie)
        .get(reverse("risk:screening-detail", args=[run.public_id]))
        .status_code
        == 404
    )


def test_risk_screen_command_prints_the_json_described(reference_data, risk_table, capsys):
    import_spend(lines([GLOVES, {**GLOVES, "category": "office-supplies", "amount_sek": "250"}]))
    call_command("risk_screen", "--year", "2025", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    first = data["rows"][0]
    assert set(first) >= {
        "category",
        "supplier",
        "region_code",
        "spend_sek",
        "hr",
        "wr",
        "env",
        "be",
        "exposure",
        "priority",
    }
    assert first["category"] == "general-consumables" and first["region_code"] == "01"
    assert ScreeningRun.objects.count() == 1


def test_only_the_secretariat_runs_screenings(reference_data, cast, client_for):
    assert (
        client_for(cast.alice).post(reverse("risk:screening-start"), {"year": 2025}).status_code
        == 404
    )
    assert client_for(cast.dave).get(reverse("risk:spend")).status_code == 404


# ---------------------------------------------------------------------------------------------
# docs/risk-method.md, section 13: every production country of a screened supplier is scored from
# its own indicators; only a line without a known country gets the category's default row


def test_production_countries_the_analysis_does_not_list_are_scored_from_their_own_indicators(
    reference_data, cast, client_for, settings
):
    settings.LANGUAGE_CODE = "en"
    # Given the gloves of the worked example, approved with Malaysia as the only country
    consumables = Category.objects.get(slug="general-consumables")
    draft = create_analysis_draft(
        category=consumables,
        product="examination gloves",
        judgements=GLOVES_JUDGEMENTS,
        countries=[("MY", 1)],
        acting_user=cast.secretariat,
    )
    approve_analysis(draft, note="Malaysia only", acting_user=cast.secretariat)

    # and suppliers making gloves in Sweden (A), China (B) and the Faroe Islands (D), each at
    # their tier-1 site, a supplier without sites whose active contract names China (E),
    # and invoices of a supplier not in the registry (C)
    def supplier(name, country, site=None, org_number=""):
        made = save_supplier(
            supplier=None, acting_user=None, name=name, country=country, org_number=org_number
        )
        if site:
            ProductionSite.objects.create(supplier=made, name=f"{name} 1", country=site, tier=1)
            ProductionSite.objects.create(supplier=made, name=f"{name} 2", country="MY", tier=2)
        return made

    supplier("Nordhandske AB", "SE", "SE", org_number="5560360793")
    supplier("Jiangsu Gloves Co", "CN", "CN")
    supplier("Foroya Vottar", "FO", "FO")
    contracted = supplier("Wuxi Latex Ltd", "CN")
    supplier("Tom Handske AB", "SE")  # in the registry, without sites or contract countries
    Contract.objects.create(
        reference="E-1",
        title="Gloves",
        lead_region=Region.objects.get(county_code="01"),
        supplier=contracted,
        category=consumables,
        annual_value_sek=Decimal(1_000_000),
        start_date=date(2024, 1, 1),
        status=Contract.Status.ACTIVE,
        production_countries=["CN"],
    )
    names = [
        ("5560360793", "Nordhandske AB"),
        ("", "Jiangsu Gloves Co"),
        ("", "Handskar Utan Register AB"),
        ("", "Foroya Vottar"),
        ("", "Wuxi Latex Ltd"),
        ("", "Tom Handske AB"),
    ]
    import_spend(
        lines(
            [
                {
                    **GLOVES,
                    "supplier_org_number": org,
                    "supplier_name": name,
                    "amount_sek": "1000000",
                }
                for org, name in names
            ]
        )
    )

    # When the year is screened
    run = runs.run_screening(year=2025, acting_user=cast.secretariat)

    # Then each line has the risks, class and exposure of the document's table
    expected = section_13_table()
    rows = {r.supplier_label: r for r in run.rows.filter(region_code="01")}
    assert len(rows) == 6
    by_line = {
        "Nordhandske AB": "SE",
        "Jiangsu Gloves Co": "CN",
        "handskar utan register ab": "",  # not in the registry: its normalised name
        "Foroya Vottar": "FO",
        "Wuxi Latex Ltd": "CN",
        "Tom Handske AB": "",
    }
    for label, country in by_line.items():
        row, want = rows[label], expected[country]
        assert row.country == country, label
        assert {a: getattr(row, a) for a in AREAS} == {a: approx(want[a]) for a in AREAS}, label
        assert row.priority == want["class"], label
        assert float(row.spend_sek) == 1_000_000
        assert row.exposure == approx(want["exposure"]), label
    # And the run keeps the country risks it used, the unknown country's and FO's as defaults
    stored = run.parameters["country_risks"]
    assert set(stored) == {"", "SE", "CN", "FO"}  # the tier-2 sites in Malaysia do not count
    assert stored["CN"] == {
        "country_risk": {a: approx(expected["CN"][f"c_{a}"]) for a in AREAS},
        "no_data": [],
    }
    assert stored["FO"]["no_data"] == list(AREAS) == stored[""]["no_data"]

    # And each row's page says how its country was scored
    client = client_for(cast.alice)

    def page(label):
        url = reverse("risk:screening-row", args=[run.public_id, rows[label].pk])
        return " ".join(client.get(url).content.decode().split())

    sweden = page("Nordhandske AB")
    assert "Scored from the indicators of Sweden" in sweden
    assert "workers&#x27; rights: country risk 0.0475" in sweden
    assert "no data: default used" not in sweden
    unknown = page("handskar utan register ab")
    assert "No production country is known for this line: the invoices are not matched" in unknown
    assert "default country risk 0.50 was used in every area" in unknown
    assert unknown.count("no data: default used") == 4
    registered = page("Tom Handske AB")
    assert (
        "the supplier has no production site in the registry and no active contract" in registered
    )
    assert "Scored from the indicators of China" in page("Wuxi Latex Ltd")
    faroe = page("Foroya Vottar")
    assert "Faroe Islands is a known country, but the data editions used have no" in faroe
    assert faroe.count("no data: default used") == 4


def test_supplier_countries_from_sites_else_from_contracts(reference_data):
    # Given a supplier with tier-1 sites in SE and DE (and a tier-2 site), one without sites
    # whose active contracts name countries, and a site with a code that is not ISO 3166-1
    with_sites = save_supplier(supplier=None, acting_user=None, name="A", country="SE")
    for country, tier in [("SE", 1), ("DE", 1), ("CN", 2)]:
        ProductionSite.objects.create(supplier=with_sites, name=country, country=country, tier=tier)
    odd = save_supplier(supplier=None, acting_user=None, name="B", country="SE")
    ProductionSite.objects.bulk_create(
        [ProductionSite(supplier=odd, name="?", country="QQ", tier=1)]
    )
    contracted = save_supplier(supplier=None, acting_user=None, name="C", country="CN")
    region = Region.objects.get(county_code="01")
    for reference, slug, value, countries, status in [
        ("C-1", "general-consumables", 3_000_000, ["CN", "VN"], Contract.Status.ACTIVE),
        ("C-2", "general-consumables", 1_000_000, ["MY"], Contract.Status.ACTIVE),
        ("C-3", "it", 4_000_000, ["TW"], Contract.Status.ACTIVE),
        ("C-4", "it", 9_000_000, ["JP"], Contract.Status.EXPIRED),
        ("C-5", "it", 9_000_000, [], Contract.Status.ACTIVE),
    ]:
        Contract.objects.create(
            reference=reference,
            title=reference,
            lead_region=region,
            supplier=contracted,
            category=Category.objects.get(slug=slug),
            annual_value_sek=Decimal(value),
            start_date=date(2024, 1, 1),
            status=status,
            production_countries=countries,
        )
    # When the screening's production countries are built
    table = runs.supplier_countries_table()
    got = {
        (r["supplier_key"], r["category_key"], r["country"]): r["weight"] for r in table.to_pylist()
    }
    a, b, c = str(with_sites.pk), str(odd.pk), str(contracted.pk)
    # Then a supplier with sites has its tier-1 countries in equal shares, for any category
    assert {k: v for k, v in got.items() if k[0] == a} == {(a, "", "DE"): 0.5, (a, "", "SE"): 0.5}
    # and a code that is no country counts as unknown
    assert {k: v for k, v in got.items() if k[0] == b} == {(b, "", ""): 1.0}
    # and a supplier without sites has its active contracts' countries by annual value, per
    # category and over all its contracts (a contract naming no country does not count)
    assert {k: v for k, v in got.items() if k[0] == c} == {
        (c, "general-consumables", "CN"): approx(0.375),
        (c, "general-consumables", "VN"): approx(0.375),
        (c, "general-consumables", "MY"): approx(0.25),
        (c, "it", "TW"): approx(1.0),
        (c, "", "CN"): approx(1.5 / 8),
        (c, "", "VN"): approx(1.5 / 8),
        (c, "", "MY"): approx(1 / 8),
        (c, "", "TW"): approx(4 / 8),
    }


def test_risk_screen_csv_escapes_a_formula_in_a_suppliers_name(reference_data, risk_table, capsys):
    """A supplier registered as =HYPERLINK(...) is printed as text, not as a formula."""
    save_supplier(
        supplier=None,
        acting_user=None,
        name='=HYPERLINK("http://evil.example","Klicka")',
        country="SE",
        org_number="5560360793",
    )
    import_spend(lines([GLOVES]))
    call_command("risk_screen", "--year", "2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows, "the screening printed no row"
    names = {row["supplier"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","Klicka")' in names
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "@")), value
