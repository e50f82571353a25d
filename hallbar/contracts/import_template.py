"""The contract import template in the user's language: CSV, or XLSX with instructions and lists.

The XLSX template has three sheets: the data sheet (headers and one example row), an
instructions sheet (what each column means, whether it is required, its format and allowed
values) and a hidden sheet with the lists behind the drop-downs of the coded columns
(category, status, clause version, clause level, countries).
"""

from decimal import Decimal
from typing import Any

import pycountry
from django.apps import apps
from django.utils.translation import gettext as _

from hallbar.categories.models import Category
from hallbar.contracts.imports import (
    COLUMNS,
    LEVEL_WORDS_BY_LANGUAGE,
    REQUIRED,
    STATUS_FILE_WORDS,
    file_language,
    header,
    template_rows,
)
from hallbar.core.exports import TemplateColumn, TemplateTexts, template_xlsx
from hallbar.organisations.models import Region


def _descriptions() -> dict[str, tuple[str, str]]:
    """Return (what the column means, its format) per column, in the active language."""
    date_format = _("Date as YYYY-MM-DD")
    return {
        "reference": (
            _(
                "The contract's reference in your region. A row with a reference that already exists updates that contract."
            ),
            _("Text"),
        ),
        "title": (_("What the contract covers."), _("Text")),
        "supplier_name": (_("The supplier's registered name."), _("Text")),
        "supplier_country": (
            _("The country where the supplier is registered."),
            _("Country code such as SE or DE"),
        ),
        "category": (
            _(
                "The purchasing category. Write its name or its code; both are listed on the categories page."
            ),
            _("From the list"),
        ),
        "annual_value_sek": (
            _("The contract's estimated value per year, in Swedish kronor, excluding VAT."),
            _("Number, at most two decimals, e.g. 1250000 or 1 250 000,50"),
        ),
        "start_date": (_("The day the contract starts."), date_format),
        "status": (_("Where the contract is in its life."), _("From the list")),
        "buying_regions": (
            _(
                "Other regions that buy from the contract, besides the lead region chosen when importing."
            ),
            _("County codes separated by semicolons, e.g. 01;03"),
        ),
        "supplier_org_number": (
            _("The Swedish organisation number of the supplier."),
            _("NNNNNN-NNNN"),
        ),
        "supplier_vat_number": (
            _("The supplier's VAT number, for suppliers registered in the EU."),
            _("Country prefix and number, e.g. DE123456789"),
        ),
        "supplier_other_id": (
            _("Another identifier of a supplier outside Sweden (a national company number)."),
            _("Text"),
        ),
        "cpv_code": (_("The CPV 2008 code of what is bought."), _("e.g. 18424300-0")),
        "end_date": (_("The day the contract ends, if known."), date_format),
        "clause_version": (
            _("The version of the contract clause on sustainability the contract carries."),
            _("From the list"),
        ),
        "clause_level": (
            _("Which level of the clause the contract uses. Required with a clause version."),
            _("From the list"),
        ),
        "needs_assessment": (
            _(
                "Why the contract has no clause, or the risks considered. Required when the category is not prioritised in the start year."
            ),
            _("Text"),
        ),
        "dd_contact_name": (
            _("The supplier's contact person for the follow-up of the clause."),
            _("Text"),
        ),
        "dd_contact_email": (_("The contact person's email address."), _("Email address")),
        "production_countries": (
            _("Countries where the goods are made, if known."),
            _("Country codes separated by semicolons, e.g. MY;TH"),
        ),
    }


def template_columns(language: str | None = None) -> list[TemplateColumn]:
    """Return the template's columns with descriptions and allowed values in language."""
    lang = file_language(language)
    categories = list(Category.objects.order_by("name_sv" if lang == "sv" else "name_en"))
    clause_model = apps.get_model("requirements", "ContractClause")
    versions = [str(v) for v in clause_model.objects.published().values_list("version", flat=True)]
    choices: dict[str, tuple[list[str], bool]] = {
        "category": ([c.name_sv if lang == "sv" else c.name_en for c in categories], True),
        "status": (list(STATUS_FILE_WORDS[lang].values()), True),
        "clause_version": (sorted(set(versions), reverse=True), True),
        "clause_level": ([w for w in LEVEL_WORDS_BY_LANGUAGE[lang].values() if w], True),
        "supplier_country": (sorted(c.alpha_2 for c in pycountry.countries), False),
        "production_countries": ([], False),
    }
    regions = ", ".join(f"{r.county_code} {r.name}" for r in Region.objects.order_by("county_code"))
    descriptions = _descriptions()
    columns = []
    for code in COLUMNS:
        description, file_format = descriptions[code]
        values, strict = choices.get(code, ([], True))
        if code == "buying_regions" and regions:
            description = f"{description} {regions}."
        columns.append(
            TemplateColumn(
                header=header(code, lang),
                description=description,
                required=code in REQUIRED,
                format=file_format,
                choices=values,
                strict=strict,
                allowed=_("Two-letter country codes (ISO 3166), in the drop-down list")
                if code == "supplier_country"
                else "",
            )
        )
    return columns


def template_texts() -> TemplateTexts:
    return TemplateTexts(
        sheet_title=_("Contracts"),
        instructions_title=_("Instructions"),
        lists_title=_("Lists"),
        intro=[
            _("How to fill in the contract import template"),
            _(
                "Write one contract per row on the sheet Contracts, starting on row 2; the example row may be replaced. Keep the header row."
            ),
            _(
                "Columns marked as required must have a value. Coded columns have a drop-down list of allowed values."
            ),
            _(
                "Headers may be in Swedish or English. Every row is checked before anything is written; the report lists every error of every row."
            ),
        ],
        column=_("Column"),
        required=_("Required"),
        format=_("Format"),
        allowed=_("Allowed values"),
        description=_("What it means"),
        yes=_("yes"),
        no=_("no"),
        choices_error_title=_("Value not in the list"),
        choices_error=_("Choose a value from the list. The instructions sheet lists them all."),
        more_values=_("and %(count)s more (see the drop-down list)"),
    )


def contract_template_xlsx(language: str | None = None) -> bytes:
    """Return the XLSX template in language (default: the active one)."""
    _headers, texts = template_rows(language)
    # The amount as a number, so that Excel shows it as one (dates stay ISO text, unambiguous).
    value = COLUMNS.index("annual_value_sek")
    rows: list[list[Any]] = [list(row) for row in texts]
    for row in rows:
        row[value] = Decimal(row[value]) if row[value] else None
    return template_xlsx(template_columns(language), rows, texts=template_texts())
