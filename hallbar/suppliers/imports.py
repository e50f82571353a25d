"""Import suppliers (and their production sites) from CSV or XLSX: validate, then write.

Each row is one supplier, optionally with one production site; several rows may name the same
supplier to add several sites. Suppliers are resolved against the registry, so importing the same
file twice creates nothing new.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hallbar.core.history import HistoryBatch, diff_fields, import_source
from hallbar.core.imports import Validated
from hallbar.core.limits import length_error
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.core.tabular import TableIssue, check_columns, is_formula_like, parse_int, read_table
from hallbar.suppliers.access import can_edit_supplier
from hallbar.suppliers.models import ProductionSite, Supplier, country_code
from hallbar.suppliers.services import (
    IncomingSupplier,
    clean_identifiers,
    find_registered,
    resolve_suppliers,
)

REQUIRED = ["name", "country"]
OPTIONAL = [
    "org_number",
    "vat_number",
    "other_id",
    "city",
    "dd_contact_name",
    "dd_contact_email",
    "dd_contact_phone",
    "site_name",
    "site_country",
    "site_city",
    "site_products",
    "site_tier",
    "site_osh_id",
]
COLUMNS = REQUIRED + OPTIONAL
# The supplier's own fields a file may fill in or change (an empty cell changes nothing).
UPDATED_FIELDS = ("city", "dd_contact_name", "dd_contact_email", "dd_contact_phone")
EXAMPLE_ROW = {
    "name": "Medisupply Sverige AB",
    "country": "SE",
    "org_number": "556677-8899",
    "vat_number": "",
    "other_id": "",
    "city": "Göteborg",
    "dd_contact_name": "Lena Marsh",
    "dd_contact_email": "lena.marsh@example.com",
    "dd_contact_phone": "+46 31 123 45 67",
    "site_name": "Glove Factory Sdn Bhd",
    "site_country": "MY",
    "site_city": "Klang",
    "site_products": "nitrile examination gloves",
    "site_tier": "2",
    "site_osh_id": "",
}


@dataclass
class SupplierRow:
    row: int
    supplier: IncomingSupplier
    city: str
    dd_contact_name: str
    dd_contact_email: str
    dd_contact_phone: str
    site: dict | None


class SupplierImporter:
    def validate(self, job: ImportJob, progress: Callable[[int, int | None], None]) -> Validated:
        table = read_table(job.stored_path, filename=job.filename)
        issues = check_columns(table, REQUIRED, OPTIONAL)
        if any(i.column in REQUIRED for i in issues):
            return Validated(rows=[], issues=issues, total=len(table))
        rows: list[SupplierRow] = []
        total = len(table)
        for index, row in enumerate(table, start=1):
            parsed, row_issues = check_row(job.filename, row.number, row.values)
            issues.extend(row_issues)
            if parsed:
                rows.append(parsed)
            if index % 500 == 0 or index == total:
                progress(index, total)
        issues.extend(refused_changes(job, rows))
        return Validated(rows=rows, issues=issues, total=total)

    def commit(self, job: ImportJob, rows: list[SupplierRow]) -> dict[str, int]:
        """Write the rows; every created or changed supplier and created site gets history.

        A supplier's entry gives the before and after of each field the file changed and the
        sites it added (a created supplier's "imported" entry lists its sites); all entries are
        written with one bulk_create and name the import.
        """
        history = HistoryBatch(acting_user=job.created_by, source=import_source(job))
        resolved = resolve_suppliers(
            [r.supplier for r in rows],
            region=job.region,
            acting_user=job.created_by,
            history=history,
        )
        created = {r.supplier.pk for r in resolved.values() if r.created}
        updated, sites = set(), 0
        touched: dict[int, Supplier] = {}
        before: dict[int, dict[str, str]] = {}  # supplier -> field -> value before the import
        sites_added: dict[int, list[dict]] = {}
        for row in rows:
            supplier: Supplier = resolved[row.supplier.key()].supplier
            changed = []
            for field in UPDATED_FIELDS:
                value = getattr(row, field)
                if value and getattr(supplier, field) != value:
                    before.setdefault(supplier.pk, {}).setdefault(field, getattr(supplier, field))
                    setattr(supplier, field, value)
                    changed.append(field)
            if changed:
                supplier.save(update_fields=[*changed, "updated_at"])
                updated.add(supplier.pk)
                touched[supplier.pk] = supplier
            if row.site:
                site, site_created = ProductionSite.objects.get_or_create(
                    supplier=supplier,
                    name=row.site["name"],
                    country=row.site["country"],
                    defaults={k: v for k, v in row.site.items() if k not in ("name", "country")},
                )
                if site_created:
                    sites += 1
                    history.add(site, action=HistoryEntry.Action.IMPORTED)
                    sites_added.setdefault(supplier.pk, []).append(
                        {"name": site.name, "country": site.country, "tier": site.tier}
                    )
                    touched[supplier.pk] = supplier
        for pk, supplier in touched.items():
            fields = before.get(pk, {})
            created_entry = history.find(supplier) if pk in created else None
            if created_entry is not None:
                if pk in sites_added:
                    created_entry.changes["sites_added"] = sites_added[pk]
                continue
            changes = diff_fields(fields, {f: getattr(supplier, f) for f in fields})
            if pk in sites_added:
                changes["sites_added"] = sites_added[pk]
            if changes:
                history.add(supplier, action=HistoryEntry.Action.UPDATED, changes=changes)
        history.write()
        return {
            "suppliers_created": sum(1 for r in resolved.values() if r.created),
            "suppliers_matched": sum(1 for r in resolved.values() if not r.created),
            "suppliers_updated": len(updated),
            "suppliers_to_review": sum(1 for r in resolved.values() if r.review),
            "sites_created": sites,
        }


class SupplierItemsImporter(SupplierImporter):
    """Import suppliers given as rows of values (the API's request body), not as a file.

    Each item is a dict of column code to text, checked by the same `check_row` and
    `refused_changes` as a file's rows and written by the same commit; an issue's row is the
    item's number (1-based).
    """

    def __init__(self, items: list[dict[str, str]]) -> None:
        self.items = items

    def validate(self, job: ImportJob, progress: Callable[[int, int | None], None]) -> Validated:
        rows: list[SupplierRow] = []
        issues: list[TableIssue] = []
        for number, values in enumerate(self.items, start=1):
            parsed, row_issues = check_row(job.filename, number, values)
            issues.extend(row_issues)
            if parsed:
                rows.append(parsed)
        progress(len(self.items), len(self.items))
        issues.extend(refused_changes(job, rows))
        return Validated(rows=rows, issues=issues, total=len(self.items))


def refused_changes(job: ImportJob, rows: list[SupplierRow]) -> list[TableIssue]:
    """Return an error for each row that would change a registered supplier the importer may not.

    The rule is the supplier page's (`access.can_edit_supplier`): a file changes nothing that the
    same person could not change by hand. A row that only names such a supplier, with nothing
    new, is fine. An import without a person (the command line) is the operator's and allowed.
    """
    user = job.created_by
    if user is None or not rows:
        return []
    registered = find_registered(r.supplier for r in rows)
    allowed: dict[int, bool] = {}
    issues = []
    for row in rows:
        supplier = registered.get(row.supplier.key())
        if supplier is None or not _changes(row, supplier):
            continue
        if supplier.pk not in allowed:
            allowed[supplier.pk] = can_edit_supplier(user, supplier)
        if not allowed[supplier.pk]:
            issues.append(
                TableIssue(
                    job.filename,
                    row.row,
                    "name",
                    _(
                        "%(name)s is in the registry and only the secretariat or a region with "
                        "an active contract with it may change it. Leave this row's other cells "
                        "empty, or ask the secretariat to make the change."
                    )
                    % {"name": supplier.name},
                )
            )
    return issues


def _changes(row: SupplierRow, supplier: Supplier) -> bool:
    """Return whether the row would change the supplier: a field or a new production site."""
    if any(getattr(row, f) and getattr(row, f) != getattr(supplier, f) for f in UPDATED_FIELDS):
        return True
    return bool(
        row.site
        and not supplier.sites.filter(name=row.site["name"], country=row.site["country"]).exists()
    )


# The deepest tier of a supply chain a site may be recorded at.
MAX_TIER = 20
# The text columns stored as they are written, and the field whose length bounds each.
COLUMN_FIELDS: dict[str, tuple[type[Any], str]] = {
    "name": (Supplier, "name"),
    "other_id": (Supplier, "other_id"),
    "city": (Supplier, "city"),
    "dd_contact_name": (Supplier, "dd_contact_name"),
    "dd_contact_email": (Supplier, "dd_contact_email"),
    "dd_contact_phone": (Supplier, "dd_contact_phone"),
    "site_name": (ProductionSite, "name"),
    "site_city": (ProductionSite, "city"),
    "site_products": (ProductionSite, "products"),
    "site_osh_id": (ProductionSite, "osh_id"),
}


def check_row(
    filename: str, number: int, values: dict[str, str]
) -> tuple[SupplierRow | None, list[TableIssue]]:
    issues: list[TableIssue] = []

    def bad(column, message):
        issues.append(TableIssue(filename, number, column, message))

    def text(column, *, required=False, plain=False):
        value = (values.get(column) or "").strip()
        if required and not value:
            bad(column, _("This value is required."))
        elif plain and value and is_formula_like(value):
            bad(
                column,
                _("The value starts with %(char)s, which a spreadsheet would run as a formula.")
                % {"char": value[0]},
            )
        return value

    name = text("name", required=True, plain=True)
    country_text = text("country", required=True)
    country = country_code(country_text) if country_text else None
    if country_text and not country:
        bad(
            "country",
            _("Unknown country: %(value)s. Use a code such as SE or DE.") % {"value": country_text},
        )
    org, vat = text("org_number"), text("vat_number")
    other_id = text("other_id", plain=True)
    if country:
        try:
            org, vat = clean_identifiers(country=country, org_number=org, vat_number=vat)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    bad(field_name, message)
        if country != "SE" and org:
            other_id, org = other_id or org, ""
    email = text("dd_contact_email")
    if email and ("@" not in email or " " in email):
        bad("dd_contact_email", _("%(value)s is not an email address.") % {"value": email})
    site = None
    site_name = text("site_name", plain=True)
    if site_name:
        site_country_text = text("site_country", required=True)
        site_country = country_code(site_country_text) if site_country_text else None
        if site_country_text and not site_country:
            bad(
                "site_country",
                _("Unknown country: %(value)s. Use a code such as SE or DE.")
                % {"value": site_country_text},
            )
        tier_text = text("site_tier") or "1"
        tier, tier_error = parse_int(tier_text)
        if tier_error or (tier is not None and not 1 <= tier <= MAX_TIER):
            bad(
                "site_tier",
                tier_error
                or _("The tier must be a whole number from 1 to %(max)s.") % {"max": MAX_TIER},
            )
        site = {
            "name": site_name,
            "country": site_country,
            "city": text("site_city", plain=True),
            "products": text("site_products", plain=True),
            "tier": tier or 1,
            "osh_id": text("site_osh_id"),
        }
    for column, (model, field_name) in COLUMN_FIELDS.items():
        too_long = length_error(model, field_name, (values.get(column) or "").strip())
        if too_long:
            bad(column, too_long)
    if issues or country is None:  # a missing or unknown country is an issue
        return None, issues
    return (
        SupplierRow(
            row=number,
            supplier=IncomingSupplier(
                name=name, country=country, org_number=org, vat_number=vat, other_id=other_id
            ),
            city=text("city", plain=True),
            dd_contact_name=text("dd_contact_name", plain=True),
            dd_contact_email=email,
            dd_contact_phone=text("dd_contact_phone", plain=True),
            site=site,
        ),
        [],
    )


def template_rows() -> tuple[list[str], list[list[str]]]:
    return COLUMNS, [[EXAMPLE_ROW[c] for c in COLUMNS]]
