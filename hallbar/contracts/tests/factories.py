"""Write small contract files for the tests."""

import csv
import io

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
