"""The open-data files: what each holds, its columns in words, and its rows.

Three datasets, each as CSV and JSON at a stable URL (`/datasets/<name>.csv|.json`) and each a
dataset of the DCAT catalogue (`reporting/dcat.py`):
- `published-results`: one row per published follow-up, from follow-up's public records
  (`followups.publication.public_results` / `public_record`: published cases only, no names, no
  free text, confidential deviations counted but not described);
- `figures`: the national figures of every year with follow-ups (`reporting.figures`);
- `figure-breakdowns`: the rows of the tables behind the charts, per year.
Files are the same for every visitor: labels in Swedish and English in their own columns, CSV
with commas and decimal points (RFC 4180, UTF-8 with a BOM). Licence: CC BY 4.0 (DESIGN.md).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from hallbar.followups.models import FollowUp, FollowUpType
from hallbar.followups.publication import AREAS, public_record, public_results
from hallbar.followups.states import State
from hallbar.organisations.services import SECRETARIAT_NAME
from hallbar.reporting.figures import Unit, year_figures

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
PUBLISHER = SECRETARIAT_NAME
FORMATS = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "integer", "number", "date", "url", "codes"
    description: Promise | str
    codes: tuple[tuple[str, Promise | str], ...] = ()  # the codes the column holds, explained


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    description: Promise | str
    keywords: tuple[Promise | str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[], list[dict[str, Any]]]
    years: Callable[[], list[int]]  # the years the rows cover (temporal coverage)

    def url(self, file_format: str) -> str:
        """The file's absolute URL (HALLBAR_BASE_URL: IRIs stay the same whoever asks)."""
        path = reverse("public:dataset-file", args=[self.name, file_format])
        return f"{settings.HALLBAR_BASE_URL}{path}"

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]


def _labels(choices) -> dict[str, dict[str, str]]:
    """Return {language: {code: label}} for a TextChoices class."""
    labels = {}
    for language in ("sv", "en"):
        with override(language):
            labels[language] = {code: str(label) for code, label in choices.choices}
    return labels


def result_rows() -> list[dict[str, Any]]:
    types, states = _labels(FollowUpType), _labels(State)
    rows = []
    for followup in public_results():
        record = public_record(followup)
        detail = reverse("results:detail", args=[record.public_id])
        row: dict[str, Any] = {
            "reference": record.reference,
            "year": record.year,
            "type": record.followup_type,
            "type_sv": types["sv"].get(record.followup_type, ""),
            "type_en": types["en"].get(record.followup_type, ""),
            "category": record.category_slug,
            "category_sv": record.category_sv,
            "category_en": record.category_en,
            "countries": record.countries,
            "deviations": record.deviations,
        }
        for area in AREAS:
            row[f"deviations_{area}"] = record.deviations_by_area[area]
        row |= {
            "deviations_confidential": record.deviations_confidential,
            "deviations_remedied": record.deviations_remedied,
            "status": record.status,
            "status_sv": states["sv"].get(record.status, ""),
            "status_en": states["en"].get(record.status, ""),
            "published": record.published_on,
            "url": f"{settings.HALLBAR_BASE_URL}{detail}",
        }
        rows.append(row)
    return rows


def result_years() -> list[int]:
    return sorted({row.year for row in public_results()})


def figure_years() -> list[int]:
    """The years the figures cover: every year with a follow-up, up to this year."""
    this_year = timezone.localdate().year
    years = FollowUp.objects.filter(year__lte=this_year).values_list("year", flat=True)
    return sorted(set(years))


def _both_languages(year: int):
    with override("sv"):
        swedish = year_figures(year)
    with override("en"):
        english = year_figures(year)
    return swedish, english


def figure_rows() -> list[dict[str, Any]]:
    rows = []
    for year in figure_years():
        swedish, english = _both_languages(year)
        english_by_key = {figure.key: figure for figure in english.figures}
        for figure in swedish.figures:
            other = english_by_key.get(figure.key, figure)
            rows.append(
                {
                    "year": year,
                    "key": figure.key,
                    "label_sv": figure.label,
                    "label_en": other.label,
                    "value": figure.value,
                    "unit": figure.unit,
                    "definition_sv": figure.definition,
                    "definition_en": other.definition,
                }
            )
    return rows


def breakdown_rows() -> list[dict[str, Any]]:
    rows = []
    for year in figure_years():
        swedish, english = _both_languages(year)
        english_by_key = {breakdown.key: breakdown for breakdown in english.breakdowns}
        for breakdown in swedish.breakdowns:
            other = english_by_key.get(breakdown.key, breakdown)
            # Rows are in the same order in both languages unless a language sorts its labels:
            # then the English label is left out rather than paired with the wrong row.
            same_order = [v for _label, v in other.rows] == [v for _label, v in breakdown.rows]
            for position, (label, value) in enumerate(breakdown.rows, start=1):
                rows.append(
                    {
                        "year": year,
                        "breakdown": breakdown.key,
                        "title_sv": breakdown.title,
                        "title_en": other.title,
                        "unit": breakdown.unit,
                        "position": position,
                        "label_sv": str(label),
                        "label_en": str(other.rows[position - 1][0]) if same_order else "",
                        "value": value,
                    }
                )
    return rows


RESULT_COLUMNS = (
    Column("reference", "text", _("The follow-up's case number.")),
    Column("year", "integer", _("The year of the follow-up plan the follow-up belongs to.")),
    Column(
        "type",
        "text",
        _("The kind of follow-up, as a stable code; the next two columns give it in words."),
        codes=tuple(FollowUpType.choices),
    ),
    Column("type_sv", "text", _("The kind of follow-up in Swedish.")),
    Column("type_en", "text", _("The kind of follow-up in English.")),
    Column(
        "category",
        "text",
        _("The purchasing category the supplier delivers in, as the category's code."),
    ),
    Column("category_sv", "text", _("The purchasing category's name in Swedish.")),
    Column("category_en", "text", _("The purchasing category's name in English.")),
    Column(
        "countries",
        "codes",
        _(
            "The countries of the production sites in scope, as ISO 3166-1 alpha-2 codes (in CSV separated by spaces, in JSON a list)."
        ),
    ),
    Column("deviations", "integer", _("All deviations found, confidential ones included.")),
    Column(
        "deviations_human_rights",
        "integer",
        _("Deviations in human rights, confidential ones not included."),
    ),
    Column(
        "deviations_workers_rights",
        "integer",
        _("Deviations in workers' rights, confidential ones not included."),
    ),
    Column(
        "deviations_environment",
        "integer",
        _("Deviations in environment including climate, confidential ones not included."),
    ),
    Column(
        "deviations_business_ethics",
        "integer",
        _("Deviations in business ethics and anti-corruption, confidential ones not included."),
    ),
    Column(
        "deviations_confidential",
        "integer",
        _("Confidential deviations: counted, but their area is not published."),
    ),
    Column("deviations_remedied", "integer", _("Deviations remedied (closed out) so far.")),
    Column(
        "status",
        "text",
        _("The follow-up's status today, as a stable code; the next two columns give it in words."),
        codes=tuple(State.choices),
    ),
    Column("status_sv", "text", _("The status in Swedish.")),
    Column("status_en", "text", _("The status in English.")),
    Column("published", "date", _("The day the summary was published (YYYY-MM-DD).")),
    Column("url", "url", _("The page of the published summary.")),
)

FIGURE_COLUMNS = (
    Column("year", "integer", _("The year the figure is for.")),
    Column("key", "text", _("The figure's stable identifier.")),
    Column("label_sv", "text", _("The figure's name in Swedish.")),
    Column("label_en", "text", _("The figure's name in English.")),
    Column("value", "number", _("The figure for the whole country; empty when it has no value.")),
    Column(
        "unit",
        "text",
        _("The unit of the value, as a code."),
        codes=(
            (Unit.COUNT, _("a count")),
            (Unit.SEK, _("kronor")),
            (Unit.DAYS, _("days")),
            (Unit.PERCENT, _("per cent")),
            (Unit.SEK_PER_INHABITANT, _("kronor per inhabitant")),
        ),
    ),
    Column("definition_sv", "text", _("How the figure is computed, in Swedish.")),
    Column("definition_en", "text", _("How the figure is computed, in English.")),
)

BREAKDOWN_COLUMNS = (
    Column("year", "integer", _("The year the table is for.")),
    Column("breakdown", "text", _("The table's stable identifier.")),
    Column("title_sv", "text", _("The table's title in Swedish.")),
    Column("title_en", "text", _("The table's title in English.")),
    Column("unit", "text", _("The unit of the values, as a code (as in the figures file).")),
    Column("position", "integer", _("The row's place in the table, from 1.")),
    Column("label_sv", "text", _("What the row counts, in Swedish.")),
    Column("label_en", "text", _("What the row counts, in English.")),
    Column("value", "number", _("The row's value for the whole country.")),
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="published-results",
            title=_("Published results of the regions' supplier follow-ups"),
            description=_(
                "One row per published follow-up of a supplier by Sweden's regions: year, type, purchasing category, countries of production, deviations found by area, deviations remedied and status. Anonymised: no names of suppliers, sites, sub-suppliers or people."
            ),
            keywords=(_("sustainable procurement"), _("supplier follow-up"), _("human rights")),
            columns=RESULT_COLUMNS,
            rows=result_rows,
            years=result_years,
        ),
        Dataset(
            name="figures",
            title=_("Key figures of the regions' cooperation on sustainable procurement"),
            description=_(
                "The national figures of each year, computed from the platform's data, each with its unit and its definition in words."
            ),
            keywords=(_("sustainable procurement"), _("key figures")),
            columns=FIGURE_COLUMNS,
            rows=figure_rows,
            years=figure_years,
        ),
        Dataset(
            name="figure-breakdowns",
            title=_("Key figures broken down, per year"),
            description=_(
                "The tables behind the charts of the yearly figures: one row per line of each table, for the whole country."
            ),
            keywords=(_("sustainable procurement"), _("key figures")),
            columns=BREAKDOWN_COLUMNS,
            rows=breakdown_rows,
            years=figure_years,
        ),
    )
}


def csv_cell(value: Any) -> Any:
    """Return a value as the CSV writer takes it: lists joined by spaces, None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value


def json_value(value: Any) -> Any:
    """Return a value as JSON holds it: numbers as numbers, dates as YYYY-MM-DD."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def json_document(dataset: Dataset) -> dict[str, Any]:
    """Return the JSON file: what it is, its licence and publisher, and its rows."""
    with override("en"):
        title_en = str(dataset.title)
    with override("sv"):
        title_sv = str(dataset.title)
    return {
        "dataset": dataset.name,
        "title": {"sv": title_sv, "en": title_en},
        "publisher": PUBLISHER,
        "licence": LICENCE_URL,
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "columns": dataset.headers,
        "rows": [{key: json_value(value) for key, value in row.items()} for row in dataset.rows()],
    }
