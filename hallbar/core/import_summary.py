"""What an import's summary says, in words: each importer's summary keys with a label and a kind.

An importer's ``commit`` returns a summary dict of plain values (stored as JSON on the job); the
job page shows it through ``summary_lines``, never its keys. A key missing here is a bug that
``core/tests/test_import_summary.py`` catches.
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

COUNT, KRONOR, PERCENT, TEXT = "count", "kronor", "percent", "text"

SUMMARY_LABELS = {
    # contracts
    "created": (_("Contracts created"), COUNT),
    "updated": (_("Contracts updated"), COUNT),
    "unchanged": (_("Contracts unchanged"), COUNT),
    # suppliers (also created by contract imports)
    "suppliers_created": (_("Suppliers created"), COUNT),
    "suppliers_matched": (_("Suppliers found in the registry"), COUNT),
    "suppliers_updated": (_("Suppliers updated"), COUNT),
    "suppliers_to_review": (_("Suppliers to review (possible duplicates)"), COUNT),
    "sites_created": (_("Production sites added"), COUNT),
    # spend
    "lines": (_("Invoice lines"), COUNT),
    "partitions_replaced": (_("Region-years replaced"), COUNT),
    "years": (_("Years"), TEXT),
    "spend_sek": (_("Spend"), KRONOR),
    "unmatched_spend_sek": (_("Spend matched to no supplier"), KRONOR),
    "unmatched_share_percent": (_("Share of the spend matched to no supplier"), PERCENT),
    "ambiguous_spend_sek": (_("Spend that could be several suppliers"), KRONOR),
}
SHOWN_ELSEWHERE = {"unmatched_names"}  # a table of its own on the job page


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_value(value, kind: str) -> str:
    number = _number(value) if kind != TEXT else None
    if kind == COUNT and number is not None:
        return number_format(int(number), force_grouping=True)
    if kind == KRONOR and number is not None:
        return f"{number_format(number, decimal_pos=2, force_grouping=True)} kr"
    if kind == PERCENT and number is not None:
        return f"{number_format(number, decimal_pos=1)} %"
    if kind == TEXT:
        return ", ".join(part.strip() for part in str(value).split(",") if part.strip())
    return str(value)


def summary_lines(summary: dict) -> list[tuple[str, str]]:
    """Return (label, formatted value) for each entry of an import summary, in the table's order."""
    lines = []
    for key, (label, kind) in SUMMARY_LABELS.items():
        if key in summary:
            lines.append((str(label), format_value(summary[key], kind)))
    return lines


def unlabelled_keys(summary: dict) -> set[str]:
    return set(summary) - set(SUMMARY_LABELS) - SHOWN_ELSEWHERE
