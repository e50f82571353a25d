"""The annual report (verksamhetsrapport) of a year, as an HTML page and as a PDF.

The report is built from `year_figures` alone, generically: every figure and every breakdown
that exists is shown, whatever their keys. A figure's value is formatted once, by
`reporting.formatting.format_figure` (the dashboards' too), and the same string is written in the HTML page and in the PDF. The sections:

- the title page (name of the cooperation, the year, the day the report was generated)
- the contents (in the PDF with page numbers)
- results against the plan: the figures whose key speaks of the plan, planned beside done
- what the cooperation achieved: every figure with its definition, and the breakdowns as charts
- the regions: one row per region, the key figures of `year_figures(year, region)`
- goals and indicators: `hallbar.reporting.goals.goal_progress(year)`
- value for money: the figures in kronor (funding, the value of coordination)

The PDF is the report's HTML printed by WeasyPrint, with the machine's fonts and no network.
Reporting only reads: nothing here writes to the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.core.charts import Bar, bar_chart
from hallbar.core.clock import demo_year
from hallbar.organisations.models import Region
from hallbar.reporting import figures as figures_module
from hallbar.reporting.figures import Breakdown, Figure, Unit, figure_values, year_figures
from hallbar.reporting.formatting import format_figure
from hallbar.reporting.goals import goal_progress, reusing

LANGUAGES = ("sv", "en")
FIRST_YEAR = 2000
REGION_COLUMNS = 5  # how many key figures the regions' table shows (the first ones defined)
# figure keys that speak of the plan, and the words that name what was done of it
PLANNED_WORD = "planned"
DONE_WORDS = ("done", "completed", "answered", "sent", "closed", "finished", "total")
# The key figures of the regions' table, when the figures have them; else the first ones.
KEY_COLUMNS = (
    "followups_total",
    "cases_closed_remedied",
    "deviations_found",
    "training_certificates",
    "contributions_invoiced",
)
# Value for money: the figures' groups of funding and of the value of coordination; figures
# without groups are chosen by their unit (kronor) or their key's words.
VALUE_GROUPS = ("funding", "coordination")
VALUE_WORDS = ("funding", "fee", "contribution", "value", "saving", "cost", "budget", "avoided")

Progress = Callable[[int], None]

STEPS = (
    gettext_lazy("computing the year's figures"),
    gettext_lazy("computing the figures of each region"),
    gettext_lazy("laying out the report"),
    gettext_lazy("printing the PDF"),
)


def _no_progress(step: int) -> None:
    return None


def last_year() -> int:
    """Return the last year a report can be made for: the current one (it grows day by day)."""
    return demo_year()


def report_years() -> list[int]:
    """Return the years offered on the page, newest first."""
    last = last_year()
    return list(range(last, max(FIRST_YEAR, last - 9) - 1, -1))


def check_year(value: Any) -> int:
    """Return value as a report year; ValueError (with a message in words) when it is not one."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(
            _("The year must be a number, such as %(year)s.") % {"year": last_year()}
        ) from None
    if not FIRST_YEAR <= year <= last_year():
        raise ValueError(
            _("There is no report for %(year)s: choose a year from %(first)s to %(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": last_year()}
        )
    return year


def check_language(value: Any) -> str:
    if value not in LANGUAGES:
        raise ValueError(_("The language must be sv (Swedish) or en (English)."))
    return str(value)


def _number(value: int | Decimal | float) -> str:
    if isinstance(value, int) or value == int(value):
        return formats.number_format(int(value), force_grouping=True)
    return formats.number_format(value, decimal_pos=1, force_grouping=True)


@dataclass(frozen=True)
class ShownFigure:
    key: str
    label: str
    definition: str
    value: str  # formatted by format_figure


@dataclass(frozen=True)
class PlanRow:
    planned: ShownFigure
    done: ShownFigure | None
    share: str  # done as a share of planned, formatted; "" when there is no pair


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    definition: str
    svg: SafeString
    rows: list[tuple[str, str]]  # (label, formatted value)
    row_heading: str = ""  # what the rows are (e.g. "Area"), when the breakdown says


@dataclass(frozen=True)
class ReportGroup:
    """A part of a section: its title ("" when the figures have no groups), figures, charts."""

    key: str
    title: str
    figures: list[ShownFigure]
    charts: list[Chart]


@dataclass(frozen=True)
class RegionRow:
    name: str
    values: list[str]


@dataclass
class AnnualReport:
    year: int
    language: str
    generated: date
    figures: list[ShownFigure]  # every figure of the year, in the order defined
    plan: list[PlanRow]
    achieved: list[ReportGroup]  # every figure and breakdown outside value for money
    value: list[ReportGroup]  # funding and the value of coordination
    region_columns: list[ShownFigure]
    regions: list[RegionRow]
    progress: Any = None
    sections: list[tuple[str, str]] = field(default_factory=list)  # (anchor, title)

    @property
    def title(self) -> str:
        return _("Annual report %(year)s") % {"year": self.year}


def _shown(figure: Figure) -> ShownFigure:
    return ShownFigure(
        key=figure.key,
        label=figure.label,
        definition=figure.definition,
        value=format_figure(figure.value, figure.unit),
    )


def _plan_rows(figures: list[Figure]) -> list[PlanRow]:
    by_key = {f.key: f for f in figures}
    rows = []
    for figure in figures:
        if PLANNED_WORD not in figure.key:
            continue
        done = next(
            (
                by_key[figure.key.replace(PLANNED_WORD, word)]
                for word in DONE_WORDS
                if figure.key.replace(PLANNED_WORD, word) in by_key
            ),
            None,
        )
        share = ""
        if done is not None and figure.value and done.value is not None:
            share = format_figure(Decimal(done.value) * 100 / Decimal(figure.value), Unit.PERCENT)
        rows.append(PlanRow(_shown(figure), _shown(done) if done else None, share))
    if not rows:  # no planned figure: the figures that speak of the plan at all
        rows = [PlanRow(_shown(f), None, "") for f in figures if "plan" in f.key]
    return rows


def _group_of(item: Figure | Breakdown) -> str:
    return str(getattr(item, "group", "") or "")


def _is_value(item: Figure | Breakdown, grouped: bool) -> bool:
    if grouped:
        return _group_of(item) in VALUE_GROUPS
    return item.unit in {Unit.SEK, Unit.SEK_PER_INHABITANT} or any(
        word in item.key for word in VALUE_WORDS
    )


def _groups(figures: list[Figure], breakdowns: list[Breakdown]) -> list[ReportGroup]:
    """Return the figures and breakdowns in their groups, in the order of the figures module's
    GROUP_TITLES; those of a group without a title, or of none, come last together ("Other
    figures", or no title when there are no groups at all). Nothing is left out."""
    titles = {str(k): str(v) for k, v in getattr(figures_module, "GROUP_TITLES", {}).items()}
    groups = []
    for key, title in titles.items():
        members = [f for f in figures if _group_of(f) == key]
        charts = [_chart(b) for b in breakdowns if _group_of(b) == key]
        if members or charts:
            groups.append(ReportGroup(key, title, [_shown(f) for f in members], charts))
    others = [f for f in figures if _group_of(f) not in titles]
    other_charts = [_chart(b) for b in breakdowns if _group_of(b) not in titles]
    if others or other_charts:
        title = _("Other figures") if groups else ""
        groups.append(ReportGroup("", title, [_shown(f) for f in others], other_charts))
    return groups


def _key_columns(figures: list[Figure]) -> list[Figure]:
    by_key = {f.key: f for f in figures}
    columns = [by_key[key] for key in KEY_COLUMNS if key in by_key]
    for figure in figures:
        if len(columns) >= REGION_COLUMNS:
            break
        if figure not in columns:
            columns.append(figure)
    return columns[:REGION_COLUMNS]


def _chart(breakdown: Breakdown) -> Chart:
    rows = [(label, format_figure(value, breakdown.unit)) for label, value in breakdown.rows]
    bars = [
        Bar(label=label, value=float(value or 0), display=shown)
        for (label, value), (_label, shown) in zip(breakdown.rows, rows, strict=True)
    ]
    return Chart(
        key=breakdown.key,
        title=breakdown.title,
        definition=breakdown.definition,
        svg=bar_chart(bars, title=breakdown.title) if bars else SafeString(""),
        rows=rows,
        row_heading=str(getattr(breakdown, "row_heading", "") or ""),
    )


def build_report(year: int, language: str, progress: Progress = _no_progress) -> AnnualReport:
    """Return the report of year in language ("sv" or "en"); progress(step) names each step."""
    with translation.override(language):
        progress(1)
        national = year_figures(year)
        figures = national.figures
        columns = _key_columns(figures)
        progress(2)
        regions = []
        keys = [c.key for c in columns]
        for region in Region.objects.select_related("organisation"):
            values = figure_values(year, region, keys)
            regions.append(
                RegionRow(
                    name=region.name,
                    values=[format_figure(values[c.key], c.unit) for c in columns],
                )
            )
        breakdowns = national.breakdowns
        grouped = any(_group_of(f) for f in figures) or any(_group_of(b) for b in breakdowns)
        value_figures = [f for f in figures if _is_value(f, grouped)]
        value_breakdowns = [b for b in breakdowns if _is_value(b, grouped)]
        achieved = _groups(
            [f for f in figures if f not in value_figures],
            [b for b in breakdowns if b not in value_breakdowns],
        )
        report = AnnualReport(
            year=year,
            language=language,
            generated=timezone.localdate(),
            figures=[_shown(f) for f in figures],
            plan=_plan_rows(figures),
            achieved=achieved,
            value=_groups(value_figures, value_breakdowns),
            region_columns=[_shown(f) for f in columns],
            regions=regions,
            progress=goal_progress(year, figures=reusing(national)),
        )
        report.sections = [
            ("plan", _("Results against the plan")),
            ("achieved", _("What the cooperation achieved")),
            ("regions", _("The regions' figures")),
            ("goals", _("Goals and indicators")),
            ("value", _("Value for money")),
        ]
    return report


def _body(report: AnnualReport, *, for_print: bool) -> str:
    with translation.override(report.language):
        return render_to_string(
            "reporting/partials/annual_report_body.html",
            {"report": report, "progress": report.progress, "for_print": for_print},
        )


def report_body(report: AnnualReport) -> SafeString:
    """Return the report's body as HTML for a page (in the report's language)."""
    return SafeString(_body(report, for_print=False))


def report_document(report: AnnualReport) -> str:
    """Return the report as a standalone HTML document (the source of the PDF; the command's
    HTML file)."""
    with translation.override(report.language):
        return render_to_string(
            "reporting/annual_report_document.html",
            {"report": report, "body": SafeString(_body(report, for_print=True))},
        )


def report_pdf(report: AnnualReport, progress: Progress = _no_progress) -> bytes:
    """Return the report printed as PDF (WeasyPrint, local fonts, no network)."""
    from weasyprint import HTML

    def no_network(url: str, *args, **kwargs):
        raise ValueError(f"The report fetches nothing from the network: {url}")

    progress(3)
    document = report_document(report)
    progress(4)
    html = HTML(
        string=document,
        base_url=str(settings.BASE_DIR / "static"),
        url_fetcher=no_network,
    )
    return html.write_pdf()


def annual_report_pdf(year: int, language: str, progress: Progress = _no_progress) -> bytes:
    return report_pdf(build_report(year, language, progress), progress)
