"""Contribution exports (CSV, XLSX, JSON rows) shared by the page, the API and the command.

amount_sek is the amount by the rule; decided_sek the annual amount the region's own decision
states; difference_sek is decided minus rule; invoiced_basis is "rule" or "decided".
"""

import io

from django.http import HttpResponse

from hallbar.core.tabular import write_csv, write_xlsx
from hallbar.funding.selectors import Contribution

FORMATS = {"csv", "xlsx"}
HEADERS = [
    "region_code",
    "region_name",
    "population",
    "population_reference_date",
    "rate_sek",
    "amount_sek",
    "decision_reference",
    "decided_sek",
    "region_decision_reference",
    "difference_sek",
    "invoiced_sek",
    "invoiced_basis",
]


def contribution_record(c: Contribution) -> dict:
    """Return one contribution as plain JSON-ready values."""
    return {
        "year": c.year,
        "region_code": c.region.county_code,
        "region_name": c.region.name,
        "population": c.population,
        "population_reference_date": c.reference_date.isoformat() if c.reference_date else None,
        "rate_sek": c.rate_sek,
        "amount_sek": c.amount_sek,
        "decision_reference": c.decision.reference if c.decision else None,
        "decided_sek": c.decided_sek,
        "region_decision_reference": c.region_decision.reference if c.region_decision else None,
        "difference_sek": c.difference_sek,
        "invoiced_sek": c.invoiced_sek,
        "invoiced_basis": c.invoiced_basis,
    }


def contribution_rows(rows: list[Contribution]) -> list[list]:
    return [[contribution_record(c)[h] for h in HEADERS] for c in rows]


def contributions_response(
    rows: list[Contribution], *, year: int, file_format: str
) -> HttpResponse:
    """Return the year's contributions as a downloadable CSV or XLSX file."""
    buffer = io.BytesIO()
    if file_format == "csv":
        write_csv(buffer, HEADERS, contribution_rows(rows))
        content_type = "text/csv; charset=utf-8"
    else:
        write_xlsx(buffer, HEADERS, contribution_rows(rows), sheet_title=f"Avgifter {year}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="contributions-{year}.{file_format}"'
    return response
