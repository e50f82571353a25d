"""Spend (fakturarader): import CSV/XLSX invoice lines into Parquet partitions per region and year.

An import states the region and the year it covers; a line dated in another year is a row
error, so one stray line can no longer replace a year that the file was not meant for. Every line
is validated first; the preview (dry run, and the page before the commit) shows the partition
that will be replaced with its current and new lines and total, and a replacement that shrinks a
partition by more than half (`shrinks_by_more_than_half`) waits for an explicit confirmation.
The partition is then replaced whole by an atomic rename, keeping the file it replaces as an
earlier version that `restore_spend_partition` puts back (store.py: versions and pruning).
Lines are matched to the supplier registry by the rule in ``spend_matching.py``; the summary
reports the share of spend that matched no supplier and the largest unmatched names.
"""

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.history import record_change
from hallbar.core.imports import Preview, Validated
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.core.tabular import (
    TableIssue,
    check_columns,
    is_formula_like,
    parse_amount,
    parse_date,
    read_table,
)
from hallbar.organisations.models import Region
from hallbar.risk.access import can_restore_spend
from hallbar.risk.screening.store import (
    SPEND_SCHEMA,
    VERSIONS_DIR,
    Totals,
    clean_temp,
    partition_path,
    partition_totals,
    partitions,
    restore_previous,
    shrinks_by_more_than_half,
    versions,
    write_spend,
)
from hallbar.risk.spend_matching import match_lines, record_import

REQUIRED = ["invoice_date", "amount_sek", "category"]
OPTIONAL = ["supplier_org_number", "supplier_name", "account", "product_text"]
COLUMNS = REQUIRED[:1] + OPTIONAL[:2] + REQUIRED[2:] + OPTIONAL[2:3] + REQUIRED[1:2] + OPTIONAL[3:]
EXAMPLE_ROW = {
    "invoice_date": "",  # today, so that the template imports into this year (template_rows)
    "supplier_org_number": "556036-0793",
    "supplier_name": "Medisupply Sverige AB",
    "category": "general-consumables",
    "account": "4610",
    "amount_sek": "12 450,00",
    "product_text": "Nitrilhandskar, storlek M",
}
LIMIT = Decimal("999999999999")

logger = logging.getLogger(__name__)


def spend_root() -> Path:
    """Return the directory that holds the spend partitions."""
    root = Path(settings.DATA_DIR) / "spend"
    root.mkdir(parents=True, exist_ok=True)
    return root


#: A temporary folder of the spend store older than this is left by a killed import: no write
#: of a partition takes an hour.
TEMP_MAX_AGE_SECONDS = 3600


def clean_spend_temp() -> list[str]:
    """Remove temporary folders of killed spend imports (at the start of each import, and by
    `manage.py cleanup`); return a line per folder removed."""
    removed = clean_temp(spend_root(), min_age_seconds=TEMP_MAX_AGE_SECONDS)
    if removed:
        logger.warning("Removed %s temporary folder(s) of killed spend imports", removed)
    return [f"removed {removed} temporary folder(s) of killed imports"] if removed else []


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
        year = import_year(job)
        if year is None:
            issues.insert(0, TableIssue(job.filename, None, None, NO_YEAR))
        if year is None or any(i.column in REQUIRED for i in issues):
            return Validated(rows=[], issues=issues, total=len(table))
        categories = {}
        for category in Category.objects.all():
            for key in (category.slug, category.name_sv, category.name_en):
                categories[key.casefold()] = category.slug
        lines: list[SpendLine] = []
        total = len(table)
        for index, row in enumerate(table, start=1):
            line, row_issues = check_line(
                job.filename, row.number, row.values, categories, year=year
            )
            issues.extend(row_issues)
            if line:
                lines.append(line)
            if index % 1000 == 0 or index == total:
                progress(index, total)
        return Validated(rows=lines, issues=issues, total=total)

    def preview(self, job: ImportJob, rows: list[SpendLine]) -> Preview:
        """List the partitions the lines replace, now and after; flag those that shrink."""
        return spend_preview(_region(job).county_code, rows)

    def commit(self, job: ImportJob, rows: list[SpendLine]) -> dict:
        region = _region(job).county_code
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
        # The database first (in the import's transaction), the partitions last: a fault while
        # recording the unmatched spend rolls it back before any partition is replaced, and a
        # fault while writing the partitions rolls back the unmatched spend.
        # per-region unmatched share and the largest unmatched names (spend_matching.py)
        unmatched = record_import(_region(job), rows, matches)
        clean_spend_temp()  # what a killed import left behind
        written = write_spend(spend_root(), table)
        return {
            "lines": len(rows),
            "partitions_replaced": len(written),
            "years": ",".join(sorted({str(r.invoice_date.year) for r in rows})),
            **unmatched,
        }


def _region(job: ImportJob) -> Region:
    """Return the region whose spend the job imports; every spend import is for one region."""
    if job.region is None:
        raise ValueError(f"Spend import job {job.pk} has no region.")
    return job.region


NO_YEAR = _("State the year the file covers.")
NOTHING_TO_RESTORE = _("This partition has no earlier version to restore.")


def import_year(job: ImportJob) -> int | None:
    """Return the year a spend import covers (job option "year"), or None if it is missing."""
    year = job.options.get("year")
    return year if isinstance(year, int) and 1900 <= year <= 2999 else None


def check_line(
    filename: str,
    number: int,
    values: dict[str, str],
    categories: dict[str, str],
    *,
    year: int,
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
    elif day.year != year:
        bad(
            "invoice_date",
            _("The invoice date %(date)s is not in %(year)s, the year this import covers.")
            % {"date": day.isoformat(), "year": year},
        )
    amount, message = parse_amount((values.get("amount_sek") or "").strip())
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
    if issues or day is None or category is None or amount is None:  # each None is an issue
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
    example = {**EXAMPLE_ROW, "invoice_date": timezone.localdate().isoformat()}
    return COLUMNS, [[example[c] for c in COLUMNS]]


def spend_preview(region: str, rows: list[SpendLine]) -> Preview:
    """Return the partitions of region that rows would replace, with their totals now and after.

    The fingerprint covers the numbers and the identity of each current file, so a confirmation
    given for this preview does not carry over to a partition replaced in the meantime.
    """
    root = spend_root()
    new: dict[int, list] = {}
    for line in rows:
        count_sum = new.setdefault(line.invoice_date.year, [0, Decimal(0)])
        count_sum[0] += 1
        count_sum[1] += line.amount_sek
    parts: list[dict[str, Any]] = []
    identity: list[list[int] | None] = []
    for year, (count, total) in sorted(new.items()):
        path = partition_path(root, region, year)
        if path.exists():
            current = partition_totals(path)
            stat = path.stat()
            identity.append([stat.st_ino, stat.st_size, stat.st_mtime_ns])
        else:
            current = None
            identity.append(None)
        after = Totals(count, total)
        parts.append(
            {
                "region": region,
                "year": year,
                "current_rows": current.rows if current else None,
                "current_sek": str(current.amount_sek) if current else None,
                "new_rows": count,
                "new_sek": f"{total:.2f}",
                "shrinks": current is not None and shrinks_by_more_than_half(current, after),
            }
        )
    digest = hashlib.sha256(json.dumps([parts, identity]).encode()).hexdigest()
    return Preview(
        data={"partitions": parts},
        fingerprint=digest,
        needs_confirmation=any(p["shrinks"] for p in parts),
    )


def spend_versions(region: str, year: int) -> list:
    """Return the kept earlier versions of a region's partition, newest first."""
    return versions(spend_root(), region, year)


@dataclass(frozen=True)
class RestorePreview:
    """What restoring a partition's previous version changes; None totals mean "no partition"."""

    current: Totals | None
    previous: Totals | None
    replaced_at: dt.datetime


def restore_preview(region: str, year: int) -> RestorePreview | None:
    """Return what a restore of the region's partition would do, or None if there is nothing."""
    root = spend_root()
    kept = versions(root, region, year)
    current = partition_path(root, region, year)
    if not kept or (kept[0].absent and not current.exists()):
        return None
    return RestorePreview(
        current=partition_totals(current) if current.exists() else None,
        previous=None if kept[0].absent else partition_totals(kept[0].path),
        replaced_at=kept[0].replaced_at,
    )


def removed_partitions() -> list[tuple[str, int]]:
    """Return (region, year) of the partitions an undo removed and a restore can bring back."""
    root = spend_root()
    found = []
    for folder in sorted((root / VERSIONS_DIR).glob("region=*/year=*")):
        region = folder.parent.name.removeprefix("region=")
        year_text = folder.name.removeprefix("year=")
        if not year_text.isdigit() or partition_path(root, region, int(year_text)).exists():
            continue
        if restore_preview(region, int(year_text)) is not None:
            found.append((region, int(year_text)))
    return found


@transaction.atomic
def restore_spend_partition(*, region: Region, year: int, acting_user) -> dict:
    """Put back the version of a partition that the last import (or restore) replaced.

    The replaced file becomes an earlier version in its turn, so restoring again undoes the
    restore. Raise LookupError when there is nothing to restore, PermissionError when
    acting_user is neither the secretariat nor None (a command).
    """
    if acting_user is not None and not can_restore_spend(acting_user):
        raise PermissionError
    root = spend_root()
    preview = restore_preview(region.county_code, year)
    if preview is None:
        raise LookupError(NOTHING_TO_RESTORE)
    none = Totals(0, Decimal("0.00"))
    before, after = preview.current or none, preview.previous or none
    details = {
        "spend_year": year,
        "version_replaced_at": preview.replaced_at.isoformat(),
        "lines": [before.rows, after.rows],
        "spend_sek": [str(before.amount_sek), str(after.amount_sek)],
    }
    # the history row first: if the restore fails, the transaction drops it
    record_change(
        region, action=HistoryEntry.Action.RESTORED, acting_user=acting_user, changes=details
    )
    restore_previous(root, region.county_code, year)
    return details


def describe_preview(job: ImportJob) -> list[str]:
    """Return the preview of a spend import as lines for the command's output."""
    lines = []
    for part in job.preview.get("partitions", []):
        if part["current_rows"] is None:
            now = "new partition"
        else:
            now = f"now {part['current_rows']:,} lines, {Decimal(part['current_sek']):,} SEK"
        after = f"{part['new_rows']:,} lines, {Decimal(part['new_sek']):,} SEK"
        action = "would replace" if job.dry_run or job.awaits_confirmation else "replaces"
        lines.append(f"{action} region {part['region']}, {part['year']}: {now} -> {after}")
        if part["shrinks"]:
            lines.append(
                "  this shrinks the partition by more than half; "
                + (
                    "confirmed."
                    if job.options.get("confirm")
                    else "add --confirm-shrink to write it."
                )
            )
    return lines
