"""Import contracts from CSV, XLSX or an OCDS release package: validate every row, then write.

Rows are matched on (lead region, reference): importing the same file twice updates nothing
and creates no duplicates. Suppliers are resolved against the national registry (org number or
VAT first, then normalised name and country); uncertain matches go to the review queue.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category, CategoryPrioritisation, CpvCode
from hallbar.categories.selectors import is_prioritised
from hallbar.contracts.models import Contract
from hallbar.contracts.services import contract_rule_errors
from hallbar.core.history import HistoryBatch, diff_fields, import_source
from hallbar.core.imports import Validated
from hallbar.core.limits import length_error
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
from hallbar.suppliers.models import Supplier, country_code
from hallbar.suppliers.services import (
    IncomingSupplier,
    clean_identifiers,
    resolve_suppliers,
)

REQUIRED = [
    "reference",
    "title",
    "supplier_name",
    "supplier_country",
    "category",
    "annual_value_sek",
    "start_date",
    "status",
]
OPTIONAL = [
    "buying_regions",
    "supplier_org_number",
    "supplier_vat_number",
    "supplier_other_id",
    "cpv_code",
    "end_date",
    "clause_version",
    "clause_level",
    "needs_assessment",
    "dd_contact_name",
    "dd_contact_email",
    "production_countries",
]
COLUMNS = REQUIRED + OPTIONAL
# The header of each column in Swedish and English. Files are accepted with either language's
# headers (or the column codes above, as older templates and the API's files have them),
# whatever the user's language; templates and exports are written in the user's language.
# Both languages live here, not in the translation catalogue, because reading a file must not
# depend on which language is active.
HEADERS: dict[str, tuple[str, str]] = {
    "reference": ("Referens", "Reference"),
    "title": ("Avtalets namn", "Contract title"),
    "supplier_name": ("Leverantörens namn", "Supplier name"),
    "supplier_country": ("Leverantörens land", "Supplier country"),
    "category": ("Kategori", "Category"),
    "annual_value_sek": ("Årligt värde (kr)", "Annual value (SEK)"),
    "start_date": ("Startdatum", "Start date"),
    "status": ("Status", "Status"),
    "buying_regions": ("Avropande regioner", "Buying regions"),
    "supplier_org_number": ("Organisationsnummer", "Organisation number"),
    "supplier_vat_number": ("Momsregistreringsnummer", "VAT number"),
    "supplier_other_id": ("Annan identitet", "Other identifier"),
    "cpv_code": ("CPV-kod", "CPV code"),
    "end_date": ("Slutdatum", "End date"),
    "clause_version": ("Klausulversion", "Clause version"),
    "clause_level": ("Klausulnivå", "Clause level"),
    "needs_assessment": ("Behovsbedömning", "Needs assessment"),
    "dd_contact_name": ("Leverantörens kontaktperson", "Supplier contact person"),
    "dd_contact_email": ("Kontaktpersonens e-post", "Contact person's email"),
    "production_countries": ("Tillverkningsländer", "Production countries"),
}
EXAMPLE_ROW = {
    "reference": "RS-{year}-0042",
    "title": "Undersökningshandskar",
    "supplier_name": "Medisupply Sverige AB",
    "supplier_country": "SE",
    "category": "general-consumables",
    "annual_value_sek": "1250000",
    "start_date": "{start}",
    "status": "active",
    "buying_regions": "01;03",
    "supplier_org_number": "556677-8899",
    "supplier_vat_number": "",
    "supplier_other_id": "",
    "cpv_code": "18424300-0",
    "end_date": "{end}",
    "clause_version": "{clause}",
    "clause_level": "avancerad",
    "needs_assessment": "",
    "dd_contact_name": "Lena Marsh",
    "dd_contact_email": "lena.marsh@example.com",
    "production_countries": "MY;TH",
}
EXAMPLE_NEEDS_ASSESSMENT = (
    "Handskar köps i stor volym från länder med hög risk; avtalet får särskilda kontraktsvillkor."
)
STATUS_WORDS = {
    "planned": "planned",
    "planerad": "planned",
    "planerat": "planned",
    "active": "active",
    "aktiv": "active",
    "aktivt": "active",
    "gällande": "active",
    "expired": "expired",
    "utgången": "expired",
    "utgånget": "expired",
    "avslutad": "expired",
    "terminated": "terminated",
    "uppsagd": "terminated",
    "uppsagt": "terminated",
    "hävt": "terminated",
    "cancelled": "cancelled",
    "avbruten": "cancelled",
    "avbrutet": "cancelled",
}
MAX_VALUE = Decimal("999999999999")
# Files name the clause levels in Swedish, as the clause does; the database stores the codes.
LEVEL_WORDS = {"bas": "basic", "avancerad": "advanced", "basic": "basic", "advanced": "advanced"}
LEVEL_FILE_WORDS = {"basic": "bas", "advanced": "avancerad", "": ""}
# The words templates and exports write, per language (the reader accepts all of them).
STATUS_FILE_WORDS = {
    "sv": {
        "planned": "planerad",
        "active": "aktiv",
        "expired": "utgången",
        "terminated": "uppsagd",
        "cancelled": "avbruten",
    },
    "en": {s: s for s in ("planned", "active", "expired", "terminated", "cancelled")},
}
LEVEL_WORDS_BY_LANGUAGE = {
    "sv": LEVEL_FILE_WORDS,
    "en": {"basic": "basic", "advanced": "advanced", "": ""},
}


def file_language(language: str | None = None) -> str:
    """Return "sv" or "en": the language of the headers and words of a file made now."""
    return "sv" if (language or get_language() or "sv").lower().startswith("sv") else "en"


def header(column: str, language: str | None = None) -> str:
    """Return the header of column in the language of files made now."""
    sv, en = HEADERS[column]
    return sv if file_language(language) == "sv" else en


def headers(language: str | None = None) -> list[str]:
    return [header(c, language) for c in COLUMNS]


def _folded(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).casefold()


COLUMN_OF_HEADER = {
    _folded(name): code for code, names in HEADERS.items() for name in (code, *names)
}


def column_of(name: str) -> str | None:
    """Return the column code of a header in either language (or a code), None if unknown."""
    return COLUMN_OF_HEADER.get(_folded(name))


def header_style(names: list[str]) -> str:
    """Return how a file names its columns: "code", "sv" or "en", whichever most headers are."""
    votes = {"code": 0, "sv": 0, "en": 0}
    for name in names:
        folded = _folded(name)
        for code, (sv, en) in HEADERS.items():
            for style, text in (("code", code), ("sv", sv), ("en", en)):
                if folded == _folded(text):
                    votes[style] += 1
    return max(votes, key=lambda style: votes[style]) if any(votes.values()) else "code"


def styled_header(column: str, style: str) -> str:
    return column if style == "code" else header(column, style)


@dataclass
class ContractRow:
    row: int
    reference: str
    title: str
    region_codes: list[str]
    supplier: IncomingSupplier
    category_id: int
    cpv_code: str | None
    annual_value_sek: Decimal
    start_date: date
    end_date: date | None
    status: str
    clause_id: int | None
    clause_level: str
    needs_assessment: str
    dd_contact_name: str = ""
    dd_contact_email: str = ""
    production_countries: list[str] = field(default_factory=list)


class Lookups:
    """Everything validation needs from the database, loaded once per file."""

    def __init__(self) -> None:
        self.regions = {r.county_code: r for r in Region.objects.all()}
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            for key in (category.slug, category.name_sv, category.name_en):
                self.categories[key.casefold()] = category
        self.prioritised = {
            (p.category_id, year)
            for p in CategoryPrioritisation.objects.all()
            for year in range(p.first_year, p.last_year + 1)
        }
        self.cpv = dict(CpvCode.objects.values_list("code", "check_digit"))
        clause_model = apps.get_model("requirements", "ContractClause")
        self.clauses = {str(c.version): c for c in clause_model.objects.all()}


# The text columns stored as they are written, and the field whose length bounds each.
COLUMN_FIELDS: dict[str, tuple[type[Any], str]] = {
    "reference": (Contract, "reference"),
    "title": (Contract, "title"),
    "dd_contact_name": (Contract, "dd_contact_name"),
    "dd_contact_email": (Contract, "dd_contact_email"),
    "supplier_name": (Supplier, "name"),
    "supplier_other_id": (Supplier, "other_id"),
}


class RowChecker:
    """Turn one row of text values into a ContractRow, or report what is wrong with it."""

    def __init__(self, *, filename: str, lead_code: str, lookups: Lookups) -> None:
        self.filename = filename
        self.lead_code = lead_code
        self.lookups = lookups

    def check(
        self, number: int, values: dict[str, str]
    ) -> tuple[ContractRow | None, list[TableIssue]]:
        issues: list[TableIssue] = []

        def bad(column: str, message) -> None:
            issues.append(TableIssue(self.filename, number, column, message))

        def text(column: str, *, required: bool = False, plain: bool = False) -> str:
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

        reference = text("reference", required=True, plain=True)
        title = text("title", required=True, plain=True)
        supplier_name = text("supplier_name", required=True, plain=True)
        country_text = text("supplier_country", required=True)
        country = country_code(country_text) if country_text else None
        if country_text and country is None:
            bad(
                "supplier_country",
                _("Unknown country: %(value)s. Use a code such as SE or DE.")
                % {"value": country_text},
            )
        org_number = text("supplier_org_number")
        vat = text("supplier_vat_number")
        other_id = text("supplier_other_id", plain=True)
        if country:
            try:
                org_number, vat = clean_identifiers(
                    country=country, org_number=org_number, vat_number=vat
                )
            except Exception as error:  # ValidationError with a field dict
                for field_name, messages in getattr(error, "message_dict", {}).items():
                    column = (
                        "supplier_org_number"
                        if field_name == "org_number"
                        else "supplier_vat_number"
                    )
                    for message in messages:
                        bad(column, message)
        if country and country != "SE" and org_number:
            other_id, org_number = other_id or org_number, ""

        region_codes = [self.lead_code]
        for code in [
            c.strip() for c in text("buying_regions").replace(",", ";").split(";") if c.strip()
        ]:
            code = code.zfill(2)
            if code not in self.lookups.regions:
                bad(
                    "buying_regions",
                    _("%(code)s is not the county code of a region.") % {"code": code},
                )
            elif code not in region_codes:
                region_codes.append(code)

        category_text = text("category", required=True)
        category = self.lookups.categories.get(category_text.casefold()) if category_text else None
        if category_text and category is None:
            bad("category", _("Unknown category: %(value)s.") % {"value": category_text})

        cpv_text = text("cpv_code").replace(" ", "")
        cpv_code = None
        if cpv_text:
            digits, _sep, check = cpv_text.partition("-")
            if not (digits.isdigit() and len(digits) == 8) or digits not in self.lookups.cpv:
                bad("cpv_code", _("%(value)s is not a CPV 2008 code.") % {"value": cpv_text})
            elif check and check != self.lookups.cpv[digits]:
                bad(
                    "cpv_code",
                    _("The check digit of %(value)s is wrong; it should be %(digit)s.")
                    % {"value": cpv_text, "digit": self.lookups.cpv[digits]},
                )
            else:
                cpv_code = digits

        value_text = text("annual_value_sek", required=True)
        value = None
        if value_text:
            value, message = parse_amount(value_text)
            if message:
                bad("annual_value_sek", message)
            elif value is not None and value < 0:
                bad("annual_value_sek", _("The annual value cannot be negative."))
                value = None
            elif value is not None and value > MAX_VALUE:
                bad("annual_value_sek", _("The annual value is too large."))
                value = None

        start = end = None
        start_text = text("start_date", required=True)
        if start_text:
            start, message = parse_date(start_text)
            if message:
                bad("start_date", message)
        end_text = text("end_date")
        if end_text:
            end, message = parse_date(end_text)
            if message:
                bad("end_date", message)

        status_text = text("status", required=True)
        status = STATUS_WORDS.get(status_text.casefold()) if status_text else None
        if status_text and status is None:
            bad(
                "status",
                _(
                    "Unknown status: %(value)s. Use planned, active, expired, terminated or cancelled."
                )
                % {"value": status_text},
            )

        clause_version = text("clause_version")
        clause = self.lookups.clauses.get(clause_version) if clause_version else None
        if clause_version and clause is None:
            bad(
                "clause_version",
                _("There is no contract clause version %(value)s.") % {"value": clause_version},
            )
        level_text = text("clause_level").casefold()
        level = LEVEL_WORDS.get(level_text, "")
        if level_text and not level:
            bad("clause_level", _("The clause level must be bas or avancerad."))
        needs_assessment = text("needs_assessment", plain=True)
        dd_email = text("dd_contact_email")
        if dd_email and ("@" not in dd_email or " " in dd_email):
            bad("dd_contact_email", _("%(value)s is not an email address.") % {"value": dd_email})
        countries = []
        for item in [
            c for c in text("production_countries").replace(",", ";").split(";") if c.strip()
        ]:
            iso = country_code(item)
            if iso is None:
                bad(
                    "production_countries",
                    _("Unknown country: %(value)s. Use a code such as SE or DE.")
                    % {"value": item.strip()},
                )
            elif iso not in countries:
                countries.append(iso)

        # The contract's rules need the category and the start date; checked even when other
        # fields are wrong, so that the report lists every error of the row at once.
        if category and start:
            reported = {issue.column for issue in issues}
            rule_errors = contract_rule_errors(
                category=category,
                start_date=start,
                end_date=end,
                needs_assessment=needs_assessment,
                clause=clause,
                clause_level=level,
                prioritised=(category.pk, start.year) in self.lookups.prioritised,
            )
            rule_column = {"clause": "clause_version", "clause_level": "clause_level"}
            for field_name, message in rule_errors.items():
                column = rule_column.get(field_name, field_name)
                if column not in reported:
                    bad(column, message)
        for column, (model, field_name) in COLUMN_FIELDS.items():
            too_long = length_error(model, field_name, (values.get(column) or "").strip())
            if too_long:
                bad(column, too_long)
        if issues:
            return None, issues
        if country is None or category is None or value is None or start is None or not status:
            raise AssertionError(f"row {number} has no issue but lacks a required value")
        return (
            ContractRow(
                row=number,
                reference=reference,
                title=title,
                region_codes=region_codes,
                supplier=IncomingSupplier(
                    name=supplier_name,
                    country=country,
                    org_number=org_number,
                    vat_number=vat,
                    other_id=other_id,
                ),
                category_id=category.pk,
                cpv_code=cpv_code,
                annual_value_sek=value,
                start_date=start,
                end_date=end,
                status=status,
                clause_id=clause.pk if clause else None,
                clause_level=level,
                needs_assessment=needs_assessment,
                dd_contact_name=text("dd_contact_name", plain=True),
                dd_contact_email=dd_email,
                production_countries=countries,
            ),
            [],
        )


def duplicate_reference_issues(
    rows: list[ContractRow], filename: str
) -> tuple[list[ContractRow], list[TableIssue]]:
    """Report references that appear more than once in the file; keep only the first."""
    seen: dict[str, int] = {}
    kept, issues = [], []
    for row in rows:
        if row.reference in seen:
            issues.append(
                TableIssue(
                    filename,
                    row.row,
                    "reference",
                    _("The reference %(reference)s is already used on row %(first)s of this file.")
                    % {"reference": row.reference, "first": seen[row.reference]},
                )
            )
        else:
            seen[row.reference] = row.row
            kept.append(row)
    return kept, issues


class ContractImporter:
    """Import contracts for the job's region (the lead region of every contract in the file)."""

    def validate(self, job: ImportJob, progress: Callable[[int, int | None], None]) -> Validated:
        if job.filename.lower().endswith(".json") or _looks_like_json(job.stored_path):
            return self._validate_ocds(job, progress)
        table = read_table(job.stored_path, filename=job.filename)
        # Headers in Swedish, English or as codes; each issue names the column as the file does.
        code_of = {name: column_of(name) or name for name in table.columns}
        style = header_style(table.columns)
        name_of = {code: name for name, code in code_of.items()}
        name_of |= {c: styled_header(c, style) for c in COLUMNS if c not in name_of}
        issues = [
            TableIssue(i.filename, i.row, _file_column(i.column, name_of), i.message)
            for i in check_columns(_Columns(table, code_of), REQUIRED, OPTIONAL)
        ]
        if any(i.column in {name_of[c] for c in REQUIRED} for i in issues):
            return Validated(rows=[], issues=issues, total=len(table))
        issues.extend(table.issues)
        # Unknown columns are reported but do not stop the rows from being checked.
        checker = RowChecker(
            filename=job.filename, lead_code=_region(job).county_code, lookups=Lookups()
        )
        rows: list[ContractRow] = []
        total = len(table)
        for index, row in enumerate(table, start=1):
            values = {code_of[name]: value for name, value in row.values.items()}
            parsed, row_issues = checker.check(row.number, values)
            issues.extend(
                TableIssue(i.filename, i.row, _file_column(i.column, name_of), i.message)
                for i in row_issues
            )
            if parsed:
                rows.append(parsed)
            if index % 500 == 0 or index == total:
                progress(index, total)
        rows, duplicates = duplicate_reference_issues(rows, job.filename)
        issues.extend(duplicates)
        issues.sort(key=lambda i: i.row or 0)
        return Validated(rows=rows, issues=issues, total=total)

    def _validate_ocds(self, job: ImportJob, progress) -> Validated:
        from hallbar.contracts.ocds import parse_release_package

        data = Path(job.stored_path).read_bytes()
        records, parse_issues = parse_release_package(data, filename=job.filename)
        issues = [TableIssue(job.filename, None, i.path, i.message) for i in parse_issues]
        checker = RowChecker(
            filename=job.filename, lead_code=_region(job).county_code, lookups=Lookups()
        )
        rows: list[ContractRow] = []
        for index, record in enumerate(records, start=1):
            values = {
                "reference": record.reference,
                "title": record.title,
                "supplier_name": record.supplier.name,
                "supplier_country": record.supplier.country,
                "supplier_org_number": record.supplier.org_number,
                "supplier_vat_number": record.supplier.vat_number,
                "category": record.category,
                "annual_value_sek": str(record.annual_value_sek),
                "start_date": record.start_date.isoformat(),
                "end_date": record.end_date.isoformat() if record.end_date else "",
                "status": record.status,
                "buying_regions": ";".join(b.code for b in record.buyers if b.code),
                "cpv_code": record.cpv_code,
                "clause_version": record.clause_version,
                "clause_level": record.clause_level,
                "production_countries": ";".join(record.production_countries),
                "needs_assessment": getattr(record, "needs_assessment", ""),
            }
            if (
                record.buyers
                and record.buyers[0].code
                and record.buyers[0].code != _region(job).county_code
            ):
                issues.append(
                    TableIssue(
                        job.filename,
                        index,
                        "buyer",
                        _(
                            "The contract is led by region %(code)s, not by the region you import for."
                        )
                        % {"code": record.buyers[0].code},
                    )
                )
                continue
            parsed, row_issues = checker.check(index, values)
            issues.extend(
                TableIssue(job.filename, None, f"releases[{index - 1}] {i.column}", i.message)
                for i in row_issues
            )
            if parsed:
                rows.append(parsed)
            progress(index, len(records))
        rows, duplicates = duplicate_reference_issues(rows, job.filename)
        return Validated(rows=rows, issues=issues + duplicates, total=len(records))

    def commit(self, job: ImportJob, rows: list[ContractRow]) -> dict[str, int]:
        return write_contracts(
            rows, lead=_region(job), acting_user=job.created_by, source=import_source(job)
        )


class ContractItemsImporter(ContractImporter):
    """Import contracts given as rows of values (the API's request body), not as a file.

    Each item is a dict of column code to text, checked by the same `RowChecker` as a file's
    rows and written by the same `write_contracts`; an issue's row is the item's number (1-based).
    """

    def __init__(self, items: list[dict[str, str]]) -> None:
        self.items = items

    def validate(self, job: ImportJob, progress: Callable[[int, int | None], None]) -> Validated:
        checker = RowChecker(
            filename=job.filename, lead_code=_region(job).county_code, lookups=Lookups()
        )
        rows: list[ContractRow] = []
        issues: list[TableIssue] = []
        for number, values in enumerate(self.items, start=1):
            parsed, row_issues = checker.check(number, values)
            issues.extend(row_issues)
            if parsed:
                rows.append(parsed)
        progress(len(self.items), len(self.items))
        rows, duplicates = duplicate_reference_issues(rows, job.filename)
        issues.extend(duplicates)
        issues.sort(key=lambda i: i.row or 0)
        return Validated(rows=rows, issues=issues, total=len(self.items))


def _region(job: ImportJob) -> Region:
    """Return the lead region of a contract import; every contract import names one."""
    if job.region is None:
        raise ValueError(f"Contract import job {job.pk} has no lead region.")
    return job.region


class _Columns:
    """A table's header row as column codes, for `check_columns`."""

    def __init__(self, table, code_of: dict[str, str]) -> None:
        self.filename = table.filename
        self.header_row = table.header_row
        self.columns = [code_of[name] for name in table.columns]


def _file_column(column: str | None, name_of: dict[str, str]) -> str | None:
    """Return the header the file uses for a column code (a missing one named as its others)."""
    if column is None:
        return None
    return name_of.get(column, column)


def _looks_like_json(path: str) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


CONTRACT_FIELDS = [
    "title",
    "supplier_id",
    "category_id",
    "cpv_id",
    "annual_value_sek",
    "start_date",
    "end_date",
    "status",
    "clause_id",
    "clause_level",
    "needs_assessment",
    "dd_contact_name",
    "dd_contact_email",
    "production_countries",
]


def _history_key(field_name: str) -> str:
    """Name a field as the contract form's history does: supplier, not supplier_id."""
    return field_name.removesuffix("_id")


def write_contracts(
    rows: list[ContractRow], *, lead: Region, acting_user, source: dict | None = None
) -> dict[str, int]:
    """Create or update the contracts of rows in bulk (inside the caller's transaction).

    Existing contracts are read as plain values (not model instances) and only changed ones are
    instantiated, because a re-import of a large file is mostly unchanged rows. Every created or
    changed contract and every created supplier gets a history entry naming the acting user and
    the import (`source`), with the before and after of each changed field; all of them are
    written with one bulk_create. Unchanged contracts get none.
    """
    history = HistoryBatch(acting_user=acting_user, source=source)
    resolved = resolve_suppliers(
        [r.supplier for r in rows], region=lead, acting_user=acting_user, history=history
    )
    regions = {r.county_code: r.pk for r in Region.objects.all()}
    # The region's contracts: cheaper than a 100 000-item `reference IN (...)`.
    existing = {
        values["reference"]: values
        for values in Contract.objects.filter(lead_region=lead).values(
            "pk", "reference", *CONTRACT_FIELDS
        )
    }
    creates, updates = [], []
    changes: dict[str, dict] = {}  # reference -> field -> [before, after], existing contracts
    wanted_regions: dict[str, list[int]] = {}
    now = timezone.now()
    for row in rows:
        values = {
            "title": row.title,
            "supplier_id": resolved[row.supplier.key()].supplier.pk,
            "category_id": row.category_id,
            "cpv_id": row.cpv_code,
            "annual_value_sek": row.annual_value_sek,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "status": row.status,
            "clause_id": row.clause_id,
            "clause_level": row.clause_level,
            "needs_assessment": row.needs_assessment,
            "dd_contact_name": row.dd_contact_name,
            "dd_contact_email": row.dd_contact_email,
            "production_countries": row.production_countries,
        }
        wanted_regions[row.reference] = sorted(regions[c] for c in row.region_codes)
        current = existing.get(row.reference)
        if current is None:
            creates.append(
                Contract(
                    reference=row.reference, lead_region=lead, created_by=acting_user, **values
                )
            )
        elif any(current[f] != v for f, v in values.items()):
            updates.append(
                Contract(
                    pk=current["pk"],
                    reference=row.reference,
                    lead_region=lead,
                    updated_at=now,
                    **values,
                )
            )
            changes[row.reference] = diff_fields(
                {_history_key(f): current[f] for f in values},
                {_history_key(f): v for f, v in values.items()},
            )
    Contract.objects.bulk_create(creates, batch_size=1000)
    Contract.objects.bulk_update(updates, [*CONTRACT_FIELDS, "updated_at"], batch_size=1000)
    # Buying regions: replace only where they differ.
    by_reference = dict(Contract.objects.filter(lead_region=lead).values_list("reference", "pk"))
    through = Contract.regions.through
    current_links: dict[int, list[int]] = {}
    for contract_id, region_id in through.objects.filter(contract__lead_region=lead).values_list(
        "contract_id", "region_id"
    ):
        current_links.setdefault(contract_id, []).append(region_id)
    stale: list[int] = []
    links: list[Any] = []  # rows of the generated through model
    for reference, region_ids in wanted_regions.items():
        contract_id = by_reference[reference]
        before = sorted(current_links.get(contract_id, []))
        if before != region_ids:
            stale.append(contract_id)
            links.extend(through(contract_id=contract_id, region_id=rid) for rid in region_ids)
            if reference in existing:
                changes.setdefault(reference, {})["regions"] = [before, region_ids]
    for start in range(0, len(stale), 500):
        through.objects.filter(contract_id__in=stale[start : start + 500]).delete()
    through.objects.bulk_create(links, batch_size=2000)
    for contract in creates:
        contract.pk = contract.pk or by_reference[contract.reference]
        history.add(contract, action=HistoryEntry.Action.IMPORTED)
    for reference, changed in changes.items():
        current = existing[reference]
        contract = Contract(pk=current["pk"], reference=reference, title=current["title"])
        history.add(contract, action=HistoryEntry.Action.UPDATED, changes=changed)
    history.write()
    return {
        "created": len(creates),
        "updated": len(changes),
        "unchanged": len(rows) - len(creates) - len(changes),
        "suppliers_created": sum(1 for r in resolved.values() if r.created),
        "suppliers_to_review": sum(1 for r in resolved.values() if r.review),
    }


def example_row(today: date) -> dict[str, str]:
    """Return the template's example row for a file made on today, so that it imports cleanly.

    The contract started on 1 January and runs four years, under the clause version in force; it
    carries a needs assessment only when its category is not prioritised this year.
    """
    row = dict(EXAMPLE_ROW)
    clause = (
        apps.get_model("requirements", "ContractClause")
        .objects.published()
        .order_by("-version")
        .first()
    )
    row["reference"] = row["reference"].format(year=today.year)
    row["start_date"] = date(today.year, 1, 1).isoformat()
    row["end_date"] = date(today.year + 3, 12, 31).isoformat()
    row["clause_version"] = str(clause.version) if clause else ""
    row["clause_level"] = row["clause_level"] if clause else ""
    category = Category.objects.filter(slug=row["category"]).first()
    if category and not is_prioritised(category, today.year):
        row["needs_assessment"] = EXAMPLE_NEEDS_ASSESSMENT
    return row


def template_rows(language: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Return the import template: headers in language and one example row dated around today.

    Status and clause level are written in the language's words, the category by its name.
    """
    lang = file_language(language)
    row = example_row(timezone.localdate())
    row["status"] = STATUS_FILE_WORDS[lang][STATUS_WORDS[row["status"]]]
    row["clause_level"] = LEVEL_WORDS_BY_LANGUAGE[lang][LEVEL_WORDS.get(row["clause_level"], "")]
    category = Category.objects.filter(slug=row["category"]).first()
    if category:
        row["category"] = category.name_sv if lang == "sv" else category.name_en
    return headers(lang), [[row[c] for c in COLUMNS]]
