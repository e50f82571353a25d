"""Write small contract files for the tests."""

import csv
import io
import json

from hallbar.contracts.imports import COLUMNS

GOOD_ROW = {
    "reference": "ST-2025-001",
    "title": "Undersökningshandskar",
    "supplier_name": "Medisupply Sverige AB",
    "supplier_country": "SE",
    "category": "general-consumables",
    "annual_value_sek": "1 250 000",
    "start_date": "2025-01-01",
    "status": "active",
    "buying_regions": "01;03",
    "supplier_org_number": "556036-0793",
    "supplier_vat_number": "",
    "supplier_other_id": "",
    "cpv_code": "18424300-0",
    "end_date": "2028-12-31",
    "clause_version": "2024",
    "clause_level": "avancerad",
    "needs_assessment": "",
    "dd_contact_name": "Lena Marsh",
    "dd_contact_email": "lena@example.com",
    "production_countries": "MY;TH",
}


def contract_csv(rows: list[dict], *, delimiter: str = ",", columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**GOOD_ROW, **row})
    return out.getvalue().encode("utf-8")


def good_rows(count: int, **overrides) -> list[dict]:
    return [{"reference": f"ST-2025-{i:03d}", **overrides} for i in range(1, count + 1)]


def contract_ocds(count: int) -> bytes:
    """An OCDS release package of `count` contracts led by region 01, as GOOD_ROW describes."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from hallbar.contracts.ocds import BuyerRef, ContractRecord, SupplierRef, build_release_package

    records = [
        ContractRecord(
            reference=row["reference"],
            title=GOOD_ROW["title"],
            buyers=[BuyerRef("01", "Region Stockholm"), BuyerRef("03", "Region Uppsala")],
            supplier=SupplierRef(GOOD_ROW["supplier_name"], org_number="5560360793"),
            category=GOOD_ROW["category"],
            cpv_code="18424300",
            annual_value_sek=Decimal("1250000"),
            start_date=date(2025, 1, 1),
            end_date=date(2028, 12, 31),
            status="active",
            clause_version=GOOD_ROW["clause_version"],
            clause_level=GOOD_ROW["clause_level"],
            production_countries=["MY", "TH"],
        )
        for row in good_rows(count)
    ]
    package = build_release_package(
        records,
        publisher_name="Region Stockholm",
        published_date=datetime(2025, 6, 1, tzinfo=UTC),
        uri="https://hallbar.invalid/ocds/avtal.json",
    )
    return json.dumps(package, ensure_ascii=False).encode()
