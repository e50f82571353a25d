"""Contribution exports (CSV, XLSX, JSON rows) shared by the page, the API and the command.

amount_sek is the amount by the rule; decided_sek the annual amount the region's own decision
states; difference_sek is decided minus rule; invoiced_basis is "rule" or "decided".
"""

from django.http import HttpResponse

from hallbar.core.exports import table_response
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
    return table_response(
        HEADERS,
        contribution_rows(rows),
        file_format="csv" if file_format == "csv" else "xlsx",
        name=f"contributions-{year}",
        sheet_title=f"Avgifter {year}",
    )
