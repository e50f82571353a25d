"""The dashboards: the year's figures nationally and for one region, with charts, tables and
CSV/XLSX downloads. Everything is read through `figures.year_figures`."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hallbar.core.charts import Bar, bar_chart
from hallbar.core.exports import table_response
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Region
from hallbar.reporting import access
from hallbar.reporting.figures import (
    Breakdown,
    YearFigures,
    region_scope_definition,
    year_figures,
)
from hallbar.reporting.formatting import format_figure, unit_word
from hallbar.reporting.goals import goal_progress, reusing

FIRST_YEAR = 2016
CHART_LABEL = 28  # characters of a row's label on a chart's axis (the table has it whole)
FORMATS = {"csv", "xlsx"}


def _years() -> list[int]:
    return list(range(FIRST_YEAR, timezone.localdate().year + 2))


def _year(request: AuthenticatedHttpRequest) -> int:
    """Return the year asked for, or this year when none (or no sensible one) is given."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year + 1 else this_year


def _short(label: str) -> str:
    return label if len(label) <= CHART_LABEL else label[: CHART_LABEL - 1].rstrip() + "…"


def _chart(breakdown: Breakdown, scope_name: str):
    if not any(value for _label, value in breakdown.rows):
        return None
    return bar_chart(
        [
            Bar(
                label=_short(capfirst(label)),
                value=float(value or 0),
                display=format_figure(value, breakdown.unit),
                title=capfirst(label),
            )
            for label, value in breakdown.rows
        ],
        title=f"{breakdown.title} ({scope_name})",
        width=560,  # fewer units across: the labels stay readable on a phone
    )


def _download(figures: YearFigures, request: AuthenticatedHttpRequest, scope_name: str):
    """Return the figures, or one breakdown, as CSV/XLSX when the query asks for a download."""
    file_format = request.GET.get("format", "")
    if file_format not in FORMATS:
        return None
    suffix = f"-{figures.region.county_code}" if figures.region else ""
    key = request.GET.get("breakdown")
    regional = figures.region is not None
    if key:
        try:
            breakdown = figures.breakdown(key)
        except KeyError:
            raise Http404 from None
        headers = [breakdown.row_heading, f"{scope_name} ({unit_word(breakdown.unit)})"]
        if regional:
            headers.append(f"{_('Nationally')} ({unit_word(breakdown.unit)})")
        rows = [
            [label, value, *([breakdown.national_value(label)] if regional else [])]
            for label, value in breakdown.rows
        ]
        return table_response(
            headers,
            rows,
            file_format=file_format,
            name=f"{key.replace('_', '-')}-{figures.year}{suffix}",
            sheet_title=str(figures.year),
        )
    headers = [_("Figure"), scope_name, _("Unit")]
    if regional:
        headers.insert(2, _("Nationally"))
    headers.append(_("Definition"))
    rows = []
    for figure in figures.figures:
        row = [figure.label, figure.value]
        if regional:
            row.append(figure.national)
        rows.append([*row, unit_word(figure.unit), figure.definition])
    return table_response(
        headers,
        rows,
        file_format=file_format,
        name=f"results-{figures.year}{suffix}",
        sheet_title=str(figures.year),
    )


def _page(request: AuthenticatedHttpRequest, region: Region | None) -> HttpResponse:
    year = _year(request)
    figures = year_figures(year, region)
    scope_name = region.name if region is not None else _("Nationally")
    download = _download(figures, request, scope_name)
    if download is not None:
        return download
    sections = [
        {
            "key": group,
            "title": title,
            "figures": group_figures,
            "breakdowns": [
                {
                    "breakdown": b,
                    "chart": _chart(b, scope_name),
                    "rows": [(label, value, b.national_value(label)) for label, value in b.rows],
                }
                for b in group_breakdowns
            ],
        }
        for group, title, group_figures, group_breakdowns in figures.groups()
    ]
    return render(
        request,
        "reporting/dashboard_region.html" if region else "reporting/dashboard.html",
        {
            "figures": figures,
            "sections": sections,
            "year": year,
            "years": _years(),
            "region": region,
            "scope_name": scope_name,
            "regions": Region.objects.select_related("organisation").order_by("county_code"),
            "region_scope": region_scope_definition(),
            "national_url": reverse("reporting:dashboard"),
            "progress": goal_progress(year, region, figures=reusing(figures)),
            "can_generate_report": access.can_generate_annual_report(request.user),
        },
    )


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The national dashboard of a year: every figure with its definition, charts and tables."""
    access.require_dashboards(request.user)
    code = request.GET.get("region")
    if code:  # the region chooser (a GET form, so it works without JavaScript)
        region = access.access_region_dashboard(request.user, code)
        url = reverse("reporting:region-dashboard", args=[region.county_code])
        return redirect(f"{url}?year={_year(request)}")
    return _page(request, None)


def region_dashboard(request: AuthenticatedHttpRequest, region: str) -> HttpResponse:
    """A region's dashboard of a year, each figure beside the national one."""
    return _page(request, access.access_region_dashboard(request.user, region))
