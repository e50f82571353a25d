"""Public pages of reporting (no login): the year's figures and charts, the open data and its
documentation, and the DCAT-AP-SE catalogue that Sweden's data portal harvests.

Nothing here decides what is public: the published results come from follow-up's public records
(`followups.publication`), the figures from `reporting.figures` (national totals only).
"""

import io
import json
from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hallbar.core.charts import Bar, bar_chart
from hallbar.core.exports import CSV, write_table
from hallbar.followups.publication import AREAS, PublicFilters, public_record, public_results
from hallbar.reporting.dcat import catalogue_xml
from hallbar.reporting.figures import Number, Unit, year_figures
from hallbar.reporting.formatting import format_figure
from hallbar.reporting.opendata import (
    DATASETS,
    FORMATS,
    LICENCE_NAME,
    LICENCE_URL,
    PUBLISHER,
    csv_cell,
    figure_years,
    json_document,
)
from hallbar.requirements.models import SustainabilityArea


def _chart(title: str, rows: list[tuple[str, Number]], unit: str):
    bars = [
        Bar(label=str(label), value=float(value or 0), display=format_figure(value, unit))
        for label, value in rows
    ]
    return bar_chart(bars, title=title) if bars else None


def _year(request: HttpRequest, years: list[int]) -> int:
    chosen = str(request.GET.get("year") or "")
    if chosen.isdigit() and int(chosen) in years:
        return int(chosen)
    this_year = timezone.localdate().year
    return this_year if this_year in years or not years else max(years)


def _published_by_area(year: int) -> list[tuple[str, int]]:
    """The deviations of the year's published results, by area (confidential ones apart)."""
    counts: Counter[str] = Counter()
    confidential = 0
    for followup in public_results(PublicFilters(year=year)):
        record = public_record(followup)
        counts.update(record.deviations_by_area)
        confidential += record.deviations_confidential
    labels = dict(SustainabilityArea.choices)
    rows = [(str(labels[area]).capitalize(), counts[area]) for area in AREAS]
    if confidential:
        rows.append((_("Confidential, area not published"), confidential))
    return rows


@login_not_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's national figures with their definitions, and a chart beside each table."""
    years = figure_years()
    year = _year(request, years)
    data = year_figures(year)
    charts = [
        {
            "title": breakdown.title,
            "definition": breakdown.definition,
            "chart": _chart(breakdown.title, breakdown.rows, breakdown.unit),
            "rows": [
                (label, format_figure(value, breakdown.unit)) for label, value in breakdown.rows
            ],
        }
        for breakdown in data.breakdowns
    ]
    by_area = _published_by_area(year)
    if any(value for _label, value in by_area):
        title = _("Deviations in the published results of %(year)s, by area") % {"year": year}
        charts.append(
            {
                "title": title,
                "definition": _(
                    "Deviations found in the follow-ups of the year whose summaries are published. The area of a confidential deviation is not published."
                ),
                "chart": _chart(title, list(by_area), Unit.COUNT),
                "rows": [(label, format_figure(value, Unit.COUNT)) for label, value in by_area],
            }
        )
    return render(
        request,
        "reporting/public_figures.html",
        {
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "figures": [
                {
                    "label": figure.label,
                    "value": format_figure(figure.value, figure.unit),
                    "definition": figure.definition,
                }
                for figure in data.figures
            ],
            "charts": charts,
        },
    )


@login_not_required
def datasets(request: HttpRequest) -> HttpResponse:
    """The open data: every file, its columns in words, the licence and the catalogue."""
    return render(
        request,
        "reporting/public_datasets.html",
        {
            "datasets": [
                {
                    "dataset": dataset,
                    "files": [
                        (file_format.upper(), dataset.url(file_format)) for file_format in FORMATS
                    ],
                }
                for dataset in DATASETS.values()
            ],
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "publisher": PUBLISHER,
        },
    )


@login_not_required
def dataset_file(request: HttpRequest, name: str, file_format: str) -> HttpResponse:
    """One open-data file: the same bytes for every visitor, whatever their language."""
    dataset = DATASETS.get(name)
    if dataset is None or file_format not in FORMATS:
        raise Http404
    if file_format == "json":
        content = json.dumps(json_document(dataset), ensure_ascii=False, indent=1)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        buffer = io.BytesIO()
        rows = ([csv_cell(row.get(key)) for key in dataset.headers] for row in dataset.rows())
        write_table(buffer, dataset.headers, rows, file_format="csv", language="en")
        response = HttpResponse(buffer.getvalue(), content_type=CSV)
    response["Content-Disposition"] = f'inline; filename="{name}.{file_format}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
def dcat(request: HttpRequest) -> HttpResponse:
    """The open-data catalogue in DCAT-AP-SE, RDF/XML."""
    return HttpResponse(catalogue_xml(), content_type="application/rdf+xml; charset=utf-8")
