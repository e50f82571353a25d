"""Spend (fakturarader): import CSV/XLSX invoice lines into Parquet partitions per region and year.

Every line is validated first; the file's (region, year) partitions are then replaced whole, each
by an atomic rename, so a failed or killed import leaves the earlier data as it was. Lines are
matched to the supplier registry by the rule in ``spend_matching.py``; the summary reports the
share of spend that matched no supplier and the largest unmatched names.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.imports import Validated
from hallbar.core.models import ImportJob
from hallbar.core.tabular import (
    TableIssue,
    check_columns,
    is_formula_like,
    parse_date,
    parse_decimal,
    read_table,
)
from hallbar.risk.screening.store import SPEND_SCHEMA, partitions, write_spend
from hallbar.risk.spend_matching import match_lines, record_import

REQUIRED = ["invoice_date", "amount_sek", "category"]
OPTIONAL = ["supplier_org_number", "supplier_name", "account", "product_text"]
COLUMNS = REQUIRED[:1] + OPTIONAL[:2] + REQUIRED[2:] + OPTIONAL[2:3] + REQUIRED[1:2] + OPTIONAL[3:]
EXAMPLE_ROW = {
    "invoice_date": "2025-03-14",
    "supplier_org_number": "556036-0793",
    "supplier_name": "Medisupply Sverige AB",
    "category": "general-consumables",
    "account": "4610",
    "amount_sek": "12 450,00",
    "product_text": "Nitrilhandskar, storlek M",
}
LIMIT = Decimal("999999999999")


def spend_root() -> Path:
    """Return the directory that holds the spend partitions."""
    root = Path(settings.DATA_DIR) / "spend"
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass
class SpendLine:
    invoice_date: date
    supplier_org_number: str
    supplier_name: str
    category_key: str
    account: str
    amount_sek: Decimal
    product_text: str


class SpendImporter:
    def validate(self, job: ImportJob, progress: Callable[[int, int | None], None]) -> Validated:
        table = read_table(job.stored_path, filename=job.filename)
        issues = check_columns(table, REQUIRED, OPTIONAL)
        if any(i.column in REQUIRED for i in issues):
            return Validated(rows=[], issues=issues, total=len(table))
        categories = {}
        for category in Category.objects.all():
            for key in (category.slug, category.name_sv, category.name_en):
                categories[key.casefold()] = category.slug
        lines: list[SpendLine] = []
        total = len(table)
        for index, row in enumerate(table, start=1):
            line, row_issues = check_line(job.filename, row.number, row.values, categories)
            issues.extend(row_issues)
            if line:
                lines.append(line)
            if index % 1000 == 0 or index == total:
                progress(index, total)
        return Validated(rows=lines, issues=issues, total=total)

    def commit(self, job: ImportJob, rows: list[SpendLine]) -> dict:
        region = job.region.county_code
        matches = match_lines(region, ((r.supplier_org_number, r.supplier_name) for r in rows))
        keys = [m.key for m in matches]
        table = pa.table(
            {
                "region_code": [region] * len(rows),
                "invoice_date": [r.invoice_date for r in rows],
                "year": [r.invoice_date.year for r in rows],
                "supplier_key": keys,
                "supplier_org_number": [r.supplier_org_number for r in rows],
                "supplier_name": [r.supplier_name for r in rows],
                "category_key": [r.category_key for r in rows],
                "account": [r.account for r in rows],
                "amount_sek": [r.amount_sek for r in rows],
                "product_text": [r.product_text for r in rows],
            },
            schema=SPEND_SCHEMA,
        )
        written = write_spend(spend_root(), table)
        return {
            "lines": len(rows),
            "partitions_replaced": len(written),
            "years": ",".join(sorted({str(r.invoice_date.year) for r in rows})),
            # per-region unmatched share and the largest unmatched names (spend_matching.py)
            **record_import(job.region, rows, matches),
        }


def check_line(
    filename: str, number: int, values: dict[str, str], categories: dict[str, str]
) -> tuple[SpendLine | None, list[TableIssue]]:
    issues: list[TableIssue] = []

    def bad(column, message):
        issues.append(TableIssue(filename, number, column, message))

    def text(column):
        value = (values.get(column) or "").strip()
        if value and is_formula_like(value) and column != "amount_sek":
            bad(
                column,
                _("The value starts with %(char)s, which a spreadsheet would run as a formula.")
                % {"char": value[0]},
            )
        return value

    day, message = parse_date(text("invoice_date"))
    if message or day is None:
        bad("invoice_date", message or _("This value is required."))
    amount, message = parse_decimal((values.get("amount_sek") or "").strip())
    if message or amount is None:
        bad("amount_sek", message or _("This value is required."))
    elif abs(amount) > LIMIT:
        bad("amount_sek", _("The amount is too large."))
    org, name = text("supplier_org_number"), text("supplier_name")
    if not org and not name:
        bad("supplier_name", _("Give the supplier's organisation number or name."))
    category_text = text("category")
    category = categories.get(category_text.casefold()) if category_text else None
    if not category:
        bad(
            "category",
            _("Unknown category: %(value)s.") % {"value": category_text}
            if category_text
            else _("This value is required."),
        )
    if issues:
        return None, issues
    return SpendLine(
        day,
        org,
        name,
        category,
        text("account"),
        amount.quantize(Decimal("0.01")),
        text("product_text"),
    ), []


def stored_partitions() -> list:
    return partitions(spend_root())


def template_rows() -> tuple[list[str], list[list[str]]]:
    return COLUMNS, [[EXAMPLE_ROW[c] for c in COLUMNS]]
