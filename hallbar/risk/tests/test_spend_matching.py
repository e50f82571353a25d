"""Spend lines to registry suppliers: a generated file where the truth of every line is known."""

import io
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from stdnum import luhn

from hallbar.core.history import history_for
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.risk import runs
from hallbar.risk.spend import COLUMNS, stored_partitions
from hallbar.suppliers.models import Supplier, SupplierName, UnmatchedSpend
from hallbar.suppliers.services import resolve_unmatched_spend, save_supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def risk_table(monkeypatch):
    table = pa.table(
        {
            "category_key": ["general-consumables"],
            "country": [""],
            "hr": [5.0],
            "wr": [6.0],
            "env": [5.0],
            "be": [4.0],
        }
    )
    monkeypatch.setattr(
        runs, "risk_table", lambda countries=(): (table, {"analyses": [], "parameters": {}})
    )
    return table


def org_number(base: str) -> str:
    """Return a valid Swedish organisation number from its first nine digits."""
    return base + luhn.calc_check_digit(base)


ORG = {
    "medisupply": "5560360793",
    "nordic_care_ab": org_number("556677889"),
    "acme": org_number("556100200"),
    "care_partner": org_number("556300400"),
    "care_partner_sverige": org_number("556500600"),
    "linen_1": org_number("556700800"),
    "linen_2": org_number("556900100"),
    "unknown": org_number("559999888"),
}


@pytest.fixture
def registry(reference_data):
    """Return the registry: name → supplier, including look-alikes and shared names."""

    def add(key, name, country="SE", org="", vat=""):
        return key, save_supplier(
            supplier=None,
            acting_user=None,
            name=name,
            country=country,
            org_number=org,
            vat_number=vat,
        )

    suppliers = dict(
        [
            add("medisupply", "Medisupply Sverige AB", org=ORG["medisupply"]),
            add("nordic_care_ab", "Nordic Care AB", org=ORG["nordic_care_ab"]),
            add("nordic_care_oy", "Nordic Care Oy", "FI", vat="FI20774740"),
            add("mueller", "Müller Medizintechnik GmbH", "DE", vat="DE136695976"),
            add("dansk", "Dansk Hospitalsudstyr A/S", "DK", vat="DK13585628"),
            add("polmed", "Polmed Sp. z o.o.", "PL", vat="PL5260001246"),
            add("acme", "Acme Supplies AB", org=ORG["acme"]),
            add("care_partner", "Care Partner AB", org=ORG["care_partner"]),
            add(
                "care_partner_sverige",
                "Care Partner Sverige AB",
                org=ORG["care_partner_sverige"],
            ),
            add("linen_1", "Nordic Linen AB", org=ORG["linen_1"]),
            add("linen_2", "Nordic Linen AB", org=ORG["linen_2"]),
        ]
    )
    # Region Stockholm has recorded its own spelling of Acme.
    SupplierName.objects.create(
        supplier=suppliers["acme"], name="ACME Sthlm", region=Region.objects.get(county_code="01")
    )
    return suppliers


# (identifier, name, truth): truth is a registry key, "?" for a line no supplier fits, or
# "ambiguous:a,b" for a line that could be several.
LINES = [
    # Swedish organisation numbers in every format, and the Swedish VAT number
    ("556036-0793", "Medisupply", "medisupply"),
    ("5560360793", "", "medisupply"),
    ("SE556036079301", "Medisupply Sverige AB", "medisupply"),
    ("SE 5560360793 01", "MEDISUPPLY", "medisupply"),
    ("se556036-079301", "", "medisupply"),
    ("16556036-0793", "Medisupply", "medisupply"),
    # an invalid identifier does not stop the exact name
    ("SE123", "Medisupply Sverige AB", "medisupply"),
    ("", "  medisupply   sverige ab ", "medisupply"),
    # two suppliers share the stripped name "nordic care": the exact name decides
    ("", "Nordic Care AB", "nordic_care_ab"),
    ("", "Nordic Care Oy", "nordic_care_oy"),
    (f"SE{ORG['nordic_care_ab']}01", "Nordic Care", "nordic_care_ab"),
    ("FI20774740", "Nordic Care Oy", "nordic_care_oy"),
    ("FI 2077474-0", "Nordic Care", "nordic_care_oy"),
    ("2077474-0", "", "nordic_care_oy"),
    # foreign EU VAT numbers, normalised before comparison
    ("DE136695976", "Müller Medizintechnik GmbH", "mueller"),
    ("DE 136 695 976", "Mueller Medizintechnik", "mueller"),
    ("DK13585628", "Dansk Hospitalsudstyr A/S", "dansk"),
    ("DK 13 58 56 28", "", "dansk"),
    ("PL5260001246", "Polmed Sp. z o.o.", "polmed"),
    ("PL 526-000-12-46", "POLMED", "polmed"),
    # a VAT number decides even against a name that says otherwise
    ("DE136695976", "Nordic Care AB", "mueller"),
    # a region's recorded spelling
    ("", "ACME Sthlm", "acme"),
    ("", "Acme Supplies AB", "acme"),
    # the exact registered name beats the shared stripped name
    ("", "Care Partner AB", "care_partner"),
    ("", "CARE PARTNER SVERIGE AB", "care_partner_sverige"),
    # only the stripped name, shared by two: ambiguous
    ("", "Care Partner Aktiebolag", "ambiguous:care_partner,care_partner_sverige"),
    # two suppliers with the same registered name: the number decides, else ambiguous
    (ORG["linen_1"], "Nordic Linen AB", "linen_1"),
    (ORG["linen_2"], "Nordic Linen AB", "linen_2"),
    ("", "Nordic Linen AB", "ambiguous:linen_1,linen_2"),
    # truly unknown suppliers
    ("", "Okänd Leverantör AB", "?"),
    (ORG["unknown"], "Ny Leverantör AB", "?"),
    ("DE811569869", "Unbekannt GmbH", "?"),
    # a valid number of another company under a registered name: not that supplier
    (ORG["unknown"], "Nordic Care AB", "?"),
    ("FI01120389", "Nordic Care Oy", "?"),
]


def csv_of(rows):
    header = ",".join(COLUMNS)
    body = []
    for number, (identifier, name, amount) in enumerate(rows, start=1):
        values = {
            "invoice_date": "2025-03-01",
            "supplier_org_number": identifier,
            "supplier_name": name,
            "category": "general-consumables",
            "amount_sek": str(amount),
            "product_text": f"line-{number}",
        }
        body.append(",".join(f'"{values.get(c, "")}"' for c in COLUMNS))
    return (header + "\n" + "\n".join(body) + "\n").encode()


def import_spend(content, region="01", acting_user=None, year=2025, **options):
    job = create_job(
        kind=ImportJob.Kind.SPEND,
        uploaded=io.BytesIO(content),
        filename="fakturor.csv",
        acting_user=acting_user,
        region=Region.objects.get(county_code=region),
        options={"year": year, **options},
    )
    return run_import_job(job)


def stored_keys(region="01"):
    (part,) = [p for p in stored_partitions() if p.region == region]
    table = pq.read_table(part.path)
    return dict(
        zip(table["product_text"].to_pylist(), table["supplier_key"].to_pylist(), strict=True)
    )


def text_of(response) -> str:
    """Return the page's text with non-breaking spaces (the Swedish thousands) as spaces."""
    return response.content.decode().replace("\u202f", " ")


def amount(number: int) -> Decimal:
    return Decimal(1000 + 10 * number)


def test_every_identifiable_line_is_matched_and_none_wrongly(registry):
    # Given a file of lines whose truth is known
    job = import_spend(csv_of((i, n, amount(k)) for k, (i, n, _t) in enumerate(LINES, 1)))
    assert job.status == "done", job.issues
    keys = stored_keys()
    # Then nothing is dropped
    assert len(keys) == len(LINES)
    pk = {key: str(s.pk) for key, s in registry.items()}
    wrong = []
    for number, (identifier, name, truth) in enumerate(LINES, start=1):
        expected = pk.get(truth, "")
        if keys[f"line-{number}"] != expected:
            wrong.append((identifier, name, truth, keys[f"line-{number}"]))
    assert wrong == []
    # And the lines no supplier fits are kept for review with their spend and candidates
    open_rows = {
        (u.identifier, u.name): u for u in UnmatchedSpend.objects.filter(status="open", year=2025)
    }
    unidentified = {(i, n): (k, t) for k, (i, n, t) in enumerate(LINES, 1) if t not in pk}
    assert set(open_rows) == set(unidentified)
    for identity, (number, truth) in unidentified.items():
        row = open_rows[identity]
        assert row.spend_sek == amount(number) and row.lines == 1
        if truth.startswith("ambiguous:"):
            expected = sorted(registry[k].pk for k in truth.split(":")[1].split(","))
            assert (row.ambiguous, sorted(row.candidates)) == (True, expected)
        else:
            assert (row.ambiguous, row.candidates) == (False, [])
    # And the summary gives the unmatched share and the largest unmatched names
    unmatched = sum((amount(k) for k, _t in unidentified.values()), Decimal(0))
    total = sum((amount(k) for k in range(1, len(LINES) + 1)), Decimal(0))
    assert job.summary["unmatched_spend_sek"] == f"{unmatched:.2f}"
    assert job.summary["unmatched_share_percent"] == f"{100 * unmatched / total:.1f}"
    top = job.summary["unmatched_names"]
    assert top[0]["name"] == LINES[-1][1] and top[0]["spend_sek"] == f"{amount(len(LINES)):.2f}"


def test_other_regions_spelling_counts_only_when_unique(registry):
    # Region Jämtland has no spelling of its own; Stockholm's identifies Acme alone.
    import_spend(csv_of([("", "ACME Sthlm", 100)]), region="23")
    assert stored_keys("23") == {"line-1": str(registry["acme"].pk)}


def test_a_reimport_replaces_the_open_unmatched_rows_of_its_partitions(registry):
    import_spend(csv_of([("", "Okänd AB", 100), ("", "Annan AB", 50)]))
    # 2 lines become 1: a shrink by more than half, confirmed
    import_spend(csv_of([("", "Okänd AB", 70)]), confirm=True)
    assert list(UnmatchedSpend.objects.values_list("name", "spend_sek")) == [
        ("Okänd AB", Decimal("70.00"))
    ]


def test_resolving_counts_the_spend_for_the_supplier_in_the_next_screening(
    registry, risk_table, cast, client_for
):
    # Given ambiguous and unknown spend in Region Stockholm
    import_spend(
        csv_of(
            [
                ("", "Nordic Linen AB", 4000),
                ("", "Nordic Linen AB", 1000),
                ("", "Okänd Leverantör AB", 2000),
                (ORG["medisupply"], "", 3000),
            ]
        )
    )
    first = runs.run_screening(year=2025, acting_user=cast.secretariat)
    assert first.totals["unmatched_spend_sek"] == "7000.00"
    (stockholm,) = first.totals["regions"]
    assert (stockholm["code"], stockholm["unmatched_share_percent"]) == ("01", "70.0")
    assert [n["name"] for n in stockholm["names"]] == ["Nordic Linen AB", "Okänd Leverantör AB"]
    linen = UnmatchedSpend.objects.get(name="Nordic Linen AB")
    assert (linen.spend_sek, linen.lines, linen.ambiguous) == (Decimal("5000.00"), 2, True)
    assert stockholm["names"][0]["id"] == str(linen.public_id)

    # When a Stockholm buyer matches the ambiguous name to one of the suppliers
    client = client_for(cast.alice)
    url = reverse("suppliers:unmatched-spend-resolve", args=[linen.public_id])
    page = text_of(client.get(url))
    assert "Nordic Linen AB" in page and "5 000 kr" in page
    response = client.post(url, {"supplier": str(registry["linen_2"].public_id)})
    assert response.status_code == 302

    # Then the resolution is kept as the region's spelling, with history
    linen.refresh_from_db()
    assert (linen.status, linen.supplier, linen.resolved_by) == (
        "resolved",
        registry["linen_2"],
        cast.alice,
    )
    assert SupplierName.objects.filter(
        supplier=registry["linen_2"], name="Nordic Linen AB", region__county_code="01"
    ).exists()
    assert history_for(registry["linen_2"]).filter(changes__has_key="spend_resolved").exists()

    # And a supplier registered since the import is found too
    newcomer = save_supplier(
        supplier=None, acting_user=None, name="Okänd Leverantör AB", country="SE"
    )

    # And the next screening counts the spend for them, without rewriting the files
    second = runs.run_screening(year=2025, acting_user=cast.secretariat)
    national = {r.supplier_key: r.spend_sek for r in second.rows.filter(region_code="SE")}
    assert national[str(registry["linen_2"].pk)] == Decimal("5000.00")
    assert national[str(newcomer.pk)] == Decimal("2000.00")
    assert second.totals["unmatched_spend_sek"] == "0.00"
    assert second.totals["regions"][0]["names"] == []
    assert not UnmatchedSpend.objects.filter(status="open").exists()
    assert stored_keys()["line-1"] == ""  # the file is as imported


def test_a_resolution_to_a_merged_supplier_counts_for_the_survivor(registry, cast):
    from hallbar.risk.spend_matching import registry_spend_matcher
    from hallbar.suppliers.services import merge_suppliers

    import_spend(csv_of([("", "Nordic Linen AB", 100)]))
    item = UnmatchedSpend.objects.get()
    resolve_unmatched_spend(item=item, supplier=registry["linen_1"], acting_user=cast.secretariat)
    merge_suppliers(
        survivor=registry["acme"], merged=registry["linen_1"], acting_user=cast.secretariat
    )
    match = registry_spend_matcher().match("01", "", "Nordic Linen AB")
    assert match.key == str(registry["acme"].pk)


def test_screening_and_import_pages_show_unmatched_spend_with_links(
    registry, risk_table, cast, client_for
):
    job = import_spend(
        csv_of([("", "Okänd Leverantör AB", 123456), (ORG["acme"], "", 1000)]),
        acting_user=cast.alice,
    )
    item = UnmatchedSpend.objects.get()
    resolve_url = reverse("suppliers:unmatched-spend-resolve", args=[item.public_id])
    page = client_for(cast.alice).get(reverse("core:import-job", args=[job.public_id]))
    text = text_of(page)
    assert "Okänd Leverantör AB" in text and "123 456 kr" in text and resolve_url in text
    assert "unmatched_names" not in text

    run = runs.run_screening(year=2025, acting_user=cast.secretariat)
    url = reverse("risk:screening-detail", args=[run.public_id])
    text = text_of(client_for(cast.alice).get(url))
    assert 'data-testid="unmatched-by-region"' in text
    assert "Region Stockholm" in text and "123 456 kr" in text
    assert "99,2 %" in text  # 123 456 of 124 456 kr
    assert resolve_url in text
    all_names = reverse("suppliers:unmatched-spend-list") + "?region=01&amp;year=2025"
    assert f'<a href="{all_names}">' in text
    # the steering group sees the shares, but no links to resolve
    text = text_of(client_for(cast.steering).get(url))
    assert "123 456 kr" in text and resolve_url not in text
    assert reverse("suppliers:unmatched-spend-list") not in text


@pytest.mark.parametrize(
    ("user", "region", "allowed"),
    [
        ("secretariat", "01", True),
        ("secretariat", "23", True),
        ("alice", "01", True),
        ("alice", "23", False),
        ("bob", "23", True),
        ("contact_jamtland", "23", True),
        ("contact_jamtland", "01", False),
        ("steering", "01", False),
        ("coordinator_a", "01", False),
        ("charlie", "01", False),
        ("nobody", "01", False),
    ],
)
def test_who_may_resolve_unmatched_spend(registry, cast, client_for, user, region, allowed):
    import_spend(csv_of([("", "Nordic Linen AB", 100)]), region=region)
    item = UnmatchedSpend.objects.get()
    actor = getattr(cast, user)
    client = client_for(actor)
    url = reverse("suppliers:unmatched-spend-resolve", args=[item.public_id])
    listed = client.get(reverse("suppliers:unmatched-spend-list"))
    assert (listed.status_code == 200 and "Nordic Linen AB" in listed.content.decode()) is allowed
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, {"supplier": str(registry["linen_1"].public_id)})
    assert response.status_code == (302 if allowed else 404)
    item.refresh_from_db()
    assert (item.status == "resolved") is allowed
    if not allowed:
        with pytest.raises(PermissionError):
            resolve_unmatched_spend(item=item, supplier=registry["linen_1"], acting_user=actor)


def test_resolving_needs_a_current_supplier_and_an_open_item(registry, cast, client_for):
    import_spend(csv_of([("", "Nordic Linen AB", 100)]))
    item = UnmatchedSpend.objects.get()
    client = client_for(cast.secretariat)
    url = reverse("suppliers:unmatched-spend-resolve", args=[item.public_id])
    response = client.post(url, {"supplier": "not-a-supplier"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Choose the supplier" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"
    resolve_unmatched_spend(item=item, supplier=registry["linen_1"], acting_user=cast.secretariat)
    with pytest.raises(Exception, match="already been matched"):
        resolve_unmatched_spend(
            item=item, supplier=registry["linen_2"], acting_user=cast.secretariat
        )


def test_ambiguous_spend_is_in_the_review_queue(registry, cast, client_for):
    import_spend(csv_of([("", "Nordic Linen AB", 7777), ("", "Okänd AB", 100)]))
    text = text_of(client_for(cast.secretariat).get(reverse("suppliers:review-queue")))
    assert 'data-testid="ambiguous-spend"' in text
    assert "Nordic Linen AB" in text and "7 777 kr" in text and "Okänd AB" not in text


def test_search_on_the_resolve_page_offers_other_suppliers(registry, cast, client_for):
    import_spend(csv_of([("", "Okänd AB", 100)]))
    item = UnmatchedSpend.objects.get()
    url = reverse("suppliers:unmatched-spend-resolve", args=[item.public_id])
    text = client_for(cast.secretariat).get(url, {"q": "Polmed"}).content.decode()
    assert str(registry["polmed"].public_id) in text
    assert Supplier.objects.count() == len(registry)
