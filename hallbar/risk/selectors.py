"""Reads for the risk analyses: the method's inputs from the database, overviews, screening rows.

The method itself is Django-free (``hallbar/risk/method/``); this module turns analyses, contracts
and method settings into its inputs (``category_input``, ``contract_countries``,
``contract_leverage_inputs``) and reads the stored results back for the pages and the screening.
"""

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.core.countries import country_name
from hallbar.core.history import describe_value, history_for
from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import User
from hallbar.requirements.models import ClauseLevel, ContractClause
from hallbar.risk.access import can_read_analyses
from hallbar.risk.method.reference import (
    CPI_FILE,
    ILAB_FILE,
    REFERENCE_DIR,
    WGI_HISTORY_FILE,
    WGI_LATEST_FILE,
    ReferenceData,
    edition_labels,
    iso2_to_iso3,
    load_reference,
)
from hallbar.risk.method.scoring import (
    AREAS,
    DEFAULT_PARAMETERS,
    AreaJudgement,
    AreaRiskRow,
    CategoryInput,
    ClauseCoverage,
    ExpertAdjustment,
    MethodParameters,
    area_risk_columns,
    area_risk_table,
    country_risk,
)
from hallbar.risk.models import (
    DataEdition,
    LikelihoodAdjustment,
    MethodSettings,
    RiskAnalysis,
    ScreeningRow,
    ScreeningRun,
)
from hallbar.risk.models.analysis import Area, parameters_from_json, parameters_to_json

# Categories without an approved analysis are screened with these judgements in every area: the
# middle of each scale, so that only the country data and ILAB move their risk.
DEFAULT_JUDGEMENT = AreaJudgement(inherent=3, scale=3, scope=3, irremediability=3)

# ----------------------------------------------------------------------------------------------
# Reference files and their editions


@dataclass(frozen=True)
class ReferenceFile:
    """A shipped reference file the method reads, with its edition and licence."""

    kind: str  # a DataEdition.Kind value
    filename: str
    label: str
    licence: str
    sha256: str


LICENCES = {
    "wgi": "CC BY 4.0. The World Bank: Worldwide Governance Indicators (2024 update), "
    "www.govindicators.org",
    "cpi": "CC BY-ND 4.0. Corruption Perceptions Index 2024 by Transparency International, "
    "licensed under CC BY-ND 4.0 (shipped unmodified, computed in memory only)",
    "ilab": "Public domain (US federal government work). U.S. Department of Labor, Bureau of "
    "International Labor Affairs, 2022 List of Goods Produced by Child Labor or Forced Labor",
}
REFERENCE_FILES = (
    ("wgi", WGI_LATEST_FILE, "wgi"),
    ("wgi_history", WGI_HISTORY_FILE, "wgi"),
    ("cpi", CPI_FILE, "cpi"),
    ("ilab", ILAB_FILE, "ilab"),
)


@functools.lru_cache(maxsize=32)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file (read once per version of the file)."""
    stat = path.stat()
    return _sha256(path, stat.st_mtime_ns, stat.st_size)


def shipped_reference_files(directory: Path = REFERENCE_DIR) -> list[ReferenceFile]:
    """Return the reference files the method reads, with their edition labels and checksums."""
    labels = edition_labels()
    return [
        ReferenceFile(
            kind=kind,
            filename=filename,
            label=labels[kind],
            licence=LICENCES[licence],
            sha256=file_sha256(directory / filename),
        )
        for kind, filename, licence in REFERENCE_FILES
    ]


def reference_data() -> ReferenceData:
    """Return the WGI, CPI and ILAB tables as shipped (read once per process)."""
    return load_reference()


def editions_used(reference: ReferenceData | None = None) -> dict[str, dict[str, str]]:
    """Return {source: {label, file, sha256}} of the editions a computation reads."""
    reference = reference or reference_data()
    files = {f.kind: f for f in shipped_reference_files()}
    return {
        kind: {"label": label, "file": files[kind].filename, "sha256": files[kind].sha256}
        for kind, label in reference.editions().items()
    }


@dataclass(frozen=True)
class EditionRow:
    file: ReferenceFile
    registered: DataEdition | None  # the DataEdition row of exactly this file, if loaded


def data_editions_overview() -> tuple[list[EditionRow], list[DataEdition]]:
    """Return the shipped files with their registered edition, and every registered edition."""
    editions = list(DataEdition.objects.all())
    by_file = {(e.kind, e.sha256): e for e in editions}
    rows = [EditionRow(f, by_file.get((f.kind, f.sha256))) for f in shipped_reference_files()]
    return rows, editions


# ----------------------------------------------------------------------------------------------
# Method settings


def current_method_settings() -> MethodSettings | None:
    """Return the parameter version in force (the newest), or None when the defaults apply."""
    return MethodSettings.objects.select_related("created_by").first()


def current_parameters() -> tuple[MethodSettings | None, MethodParameters]:
    """Return the settings row in force (None: defaults) and its parameters."""
    settings = current_method_settings()
    return settings, settings.method_parameters() if settings else DEFAULT_PARAMETERS


def method_settings_history() -> QuerySet[MethodSettings]:
    return MethodSettings.objects.select_related("created_by").order_by("-version")


def analysis_parameters(analysis: RiskAnalysis) -> MethodParameters:
    """Return the parameters an analysis was computed with."""
    values = (analysis.parameters or {}).get("values")
    return parameters_from_json(values) if values else DEFAULT_PARAMETERS


# ----------------------------------------------------------------------------------------------
# Inputs from the contracts


def _active_contracts() -> QuerySet[Contract]:
    return Contract.objects.filter(status=Contract.Status.ACTIVE)


def _country_shares(rows: Iterable[tuple[list[str], Decimal]]) -> list[dict[str, Any]]:
    """Return [{"country", "weight"}] from (countries, annual value) pairs, shares summing to 1.

    A contract's value is split evenly over its production countries; a contract without any
    counts for the unknown country "". When every value is zero each contract counts once.
    """
    rows = list(rows)
    if not rows:
        return [{"country": "", "weight": 1.0}]
    if not any(value for _countries, value in rows):
        rows = [(countries, Decimal(1)) for countries, _value in rows]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for countries, value in rows:
        codes = [code.strip().upper() for code in countries or [] if code] or [""]
        for code in codes:
            totals[code] += Decimal(value) / len(codes)
    grand = sum(totals.values())
    shares = [{"country": code, "weight": round(float(v / grand), 6)} for code, v in totals.items()]
    return sorted(shares, key=lambda row: (-row["weight"], row["country"]))


def contract_countries(category: Category) -> list[dict[str, Any]]:
    """Return the category's production countries from its active contracts, by annual value."""
    rows = _active_contracts().filter(category=category)
    return _country_shares(rows.values_list("production_countries", "annual_value_sek"))


def contract_countries_by_category() -> dict[int, list[dict[str, Any]]]:
    """Return ``contract_countries`` of every category with active contracts, in one query."""
    grouped: dict[int, list] = defaultdict(list)
    for category_id, countries, value in _active_contracts().values_list(
        "category_id", "production_countries", "annual_value_sek"
    ):
        grouped[category_id].append((countries, value))
    return {category_id: _country_shares(rows) for category_id, rows in grouped.items()}


def contract_leverage_inputs(
    category: Category, *, params: MethodParameters = DEFAULT_PARAMETERS
) -> dict[str, Any]:
    """Return the leverage inputs of a category computed from the active contracts.

    spend share = the category's annual value / all categories' annual value; buying regions =
    distinct regions with an active contract in the category; clause shares = the category's
    value under the contract clause version in force at level advanced, and at level basic.
    """
    active = _active_contracts()
    national = active.aggregate(total=Sum("annual_value_sek"))["total"] or Decimal(0)
    in_category = active.filter(category=category)
    clause = ContractClause.objects.published().first()
    current = Q(clause_id=clause.pk) if clause else Q(pk__in=[])
    sums = in_category.aggregate(
        total=Sum("annual_value_sek"),
        contracts=Count("pk"),
        advanced=Sum("annual_value_sek", filter=current & Q(clause_level=ClauseLevel.ADVANCED)),
        basic=Sum("annual_value_sek", filter=current & Q(clause_level=ClauseLevel.BASIC)),
    )
    total = sums["total"] or Decimal(0)
    regions = (
        Contract.regions.through.objects.filter(contract__in=in_category)
        .values("region_id")
        .distinct()
        .count()
    )

    def share(part: Decimal | None, whole: Decimal) -> float:
        return round(float((part or 0) / whole), 6) if whole else 0.0

    advanced = share(sums["advanced"], total)
    basic = min(share(sums["basic"], total), 1.0 - advanced)
    return {
        "category_value_sek": float(total),
        "national_value_sek": float(national),
        "contracts": sums["contracts"],
        "spend_share": min(1.0, share(total, national)),
        "buying_regions": min(regions, params.total_regions),
        "clause_version": clause.version if clause else None,
        "clause_advanced_share": advanced,
        "clause_basic_share": max(0.0, basic),
    }


# ----------------------------------------------------------------------------------------------
# An analysis as the method's input


def adjustment_inputs(adjustments: Iterable[LikelihoodAdjustment]) -> dict[str, list]:
    """Return the method's ExpertAdjustment values per area."""
    by_area: dict[str, list[ExpertAdjustment]] = defaultdict(list)
    for adjustment in adjustments:
        by_area[adjustment.area].append(
            ExpertAdjustment(
                likelihood=float(adjustment.likelihood),
                rationale=adjustment.rationale,
                country_iso2=adjustment.country or None,
                author=str(adjustment.created_by) if adjustment.created_by_id else "",
            )
        )
    return by_area


def matching_product(analysis: RiskAnalysis) -> str:
    """Return the words matched against the ILAB goods: the product, else the category's name."""
    return analysis.product or analysis.category.name_en


def category_input(
    analysis: RiskAnalysis, *, adjustments: Iterable[LikelihoodAdjustment] | None = None
) -> CategoryInput:
    """Return an analysis (its judgements, countries, adjustments, leverage) as method input."""
    if adjustments is None:
        adjustments = analysis.adjustments.select_related("created_by")
    by_area = adjustment_inputs(adjustments)
    judgements = analysis.area_judgements()
    leverage = analysis.leverage_inputs or {}
    return CategoryInput(
        key=analysis.category.slug,
        product=matching_product(analysis),
        name=analysis.category.name_en,
        countries=tuple(analysis.country_weights()),
        areas={
            area: replace(judgements[area], adjustments=tuple(by_area.get(area, ())))
            for area in AREAS
        },
        ilab_goods=tuple(analysis.ilab_goods) if analysis.ilab_goods is not None else None,
        spend_share=leverage.get("spend_share"),
        buying_regions=leverage.get("buying_regions"),
        clause=ClauseCoverage(
            avancerad=leverage.get("clause_advanced_share", 0.0),
            bas=leverage.get("clause_basic_share", 0.0),
        ),
    )


def default_category_input(
    category: Category, countries: list[dict[str, Any]] | None = None
) -> CategoryInput:
    """Return a category without an approved analysis as method input with default judgements."""
    rows = countries or [{"country": "", "weight": 1.0}]
    return CategoryInput(
        key=category.slug,
        product=category.name_en,
        name=category.name_en,
        countries=tuple((row["country"] or None, row["weight"]) for row in rows),
        areas=dict.fromkeys(AREAS, DEFAULT_JUDGEMENT),
    )


# ----------------------------------------------------------------------------------------------
# Analyses for the pages


def analyses_visible_to(user: User) -> QuerySet[RiskAnalysis]:
    """Return the analyses user may read: all of them for the cooperation, none otherwise."""
    if can_read_analyses(user):
        return RiskAnalysis.objects.select_related("category")
    return RiskAnalysis.objects.none()


def latest_approved_analyses() -> QuerySet[RiskAnalysis]:
    """Return the approved analysis of every category and product (one each), by category."""
    return (
        RiskAnalysis.objects.approved()
        .select_related("category", "approved_by")
        .order_by("category__name_sv", "product")
    )


def item_versions(analysis: RiskAnalysis) -> list[RiskAnalysis]:
    """Return the versions of the analysis's category and product, newest first."""
    return list(
        analysis.versions_of_item().select_related("approved_by", "created_by").order_by("-version")
    )


@dataclass(frozen=True)
class AreaCell:
    area: str
    label: StrOrPromise
    risk: float | None
    priority_class: str
    adjusted: bool = False


@dataclass(frozen=True)
class OverviewRow:
    category: Category
    analysis: RiskAnalysis | None  # the approved version, else the draft
    draft: RiskAnalysis | None  # a draft in progress next to the approved version
    cells: tuple[AreaCell, ...]

    @property
    def priority_class(self) -> str:
        return (self.analysis.results or {}).get("priority_class", "") if self.analysis else ""

    @property
    def prioritisation(self) -> float | None:
        return (self.analysis.results or {}).get("prioritisation") if self.analysis else None


def area_cells(analysis: RiskAnalysis | None) -> tuple[AreaCell, ...]:
    """Return the four area results of an analysis (empty cells without one)."""
    areas = (analysis.results or {}).get("areas", {}) if analysis else {}
    cells = []
    for area, label in Area.choices:
        result = areas.get(area)
        cells.append(
            AreaCell(
                area=area,
                label=label,
                risk=result["risk"] if result else None,
                priority_class=result["class"] if result else "",
                adjusted=bool(result and result.get("adjusted")),
            )
        )
    return tuple(cells)


def risk_overview() -> list[OverviewRow]:
    """Return one row per category and product: its approved analysis (else its draft)."""
    analyses = RiskAnalysis.objects.exclude(status=RiskAnalysis.Status.SUPERSEDED).select_related(
        "category"
    )
    by_item: dict[tuple[int, str], dict[str, RiskAnalysis]] = defaultdict(dict)
    for analysis in analyses:
        by_item[(analysis.category_id, analysis.product)][analysis.status] = analysis
    rows = []
    categories = sorted(Category.objects.all(), key=lambda c: (c.name.casefold(), c.slug))
    for category in categories:
        items = sorted((key for key in by_item if key[0] == category.pk), key=lambda k: k[1])
        if not items:
            rows.append(OverviewRow(category, None, None, area_cells(None)))
        for key in items:
            found = by_item[key]
            shown = found.get(RiskAnalysis.Status.APPROVED) or found.get(RiskAnalysis.Status.DRAFT)
            draft = found.get(RiskAnalysis.Status.DRAFT) if shown and shown.is_approved else None
            rows.append(OverviewRow(category, shown, draft, area_cells(shown)))
    return rows


# Labels of the history keys that are not model fields.
_SUMMARIES = {
    "created": _("Draft created"),
    "updated": _("Draft edited"),
    "approved": _("Approved"),
    "superseded": _("Superseded"),
    "adjusted": _("Expert adjustment added"),
    "adjustment_removed": _("Expert adjustment removed"),
}


# Readable names of the keys the services write into the history.
_CHANGE_LABELS = {
    "status": _("status"),
    "note": _("what changed"),
    "version": _("version"),
    "based_on": _("copied from version"),
    "supersedes": _("supersedes version"),
    "superseded_by": _("superseded by version"),
    "judgements": _("judgements"),
    "countries": _("production countries"),
    "countries_source": _("production countries from"),
    "ilab_goods": _("ILAB goods"),
    "area": _("area"),
    "country": _("production country"),
    "likelihood": _("likelihood"),
    "rationale": _("rationale"),
    "replaces_earlier": _("replaces an earlier adjustment"),
}


@dataclass(frozen=True)
class ChangeLogEntry:
    entry: HistoryEntry
    summary: str
    details: list[tuple[str, str]]


def _text(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_text(value[0])} → {_text(value[1])}"
    text = "–" if value in (None, "") else str(value)
    return text if len(text) <= 160 else text[:159] + "…"


def change_log(analysis: RiskAnalysis) -> list[ChangeLogEntry]:
    """Return the analysis's history, newest first: what happened and the values that changed."""
    log = []
    for entry in history_for(analysis):
        changes = dict(entry.changes)
        event = changes.pop("event", entry.action)
        summary = _SUMMARIES.get(event, event)
        details = [_change_detail(key, value) for key, value in changes.items()]
        log.append(ChangeLogEntry(entry, str(summary), details))
    return log


def _change_detail(key: str, value: Any) -> tuple[str, str]:
    """Return a recorded change of an analysis as (label, value in words)."""
    label: StrOrPromise
    single: Callable[[Any], str]
    if key.startswith("R ") and key[2:] in Area.values:
        label = _("risk, %(area)s") % {"area": Area(key[2:]).label}
        single = _risk_number
    elif key == "area":
        label, single = (
            _CHANGE_LABELS[key],
            lambda v: str(Area(v).label) if v in Area.values else _text(v),
        )
    elif key == "country":
        label, single = _CHANGE_LABELS[key], lambda v: country_name(v) if v and v != "–" else "–"
    elif key in {"likelihood"}:
        label, single = _CHANGE_LABELS[key], _risk_number
    elif key in _CHANGE_LABELS and _field_of(key) is None:
        label, single = _CHANGE_LABELS[key], _plain_text
    else:
        label = _CHANGE_LABELS.get(key) or _field_label(key)
        return _capital(str(label)), describe_value(RiskAnalysis, key, value)
    if isinstance(value, list) and len(value) == 2:
        return _capital(str(label)), f"{single(value[0])} → {single(value[1])}"
    return _capital(str(label)), single(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field_of(key: str):
    try:
        return RiskAnalysis._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _field_label(key: str) -> StrOrPromise:
    field = _field_of(key)
    return str(field.verbose_name) if field is not None else _("other change")


def _risk_number(value: Any) -> str:
    if value in (None, "", "–"):
        return "–"
    try:
        return number_format(Decimal(str(value)), decimal_pos=2)
    except (ArithmeticError, ValueError):
        return _text(value)


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return number_format(value)
    return _text(value)


# ----------------------------------------------------------------------------------------------
# For the screening engine


def _country_codes(codes: Iterable[str]) -> set[str]:
    found = set()
    for code in codes:
        code = (code or "").strip().upper()
        if not code:
            continue
        if iso2_to_iso3(code) is None:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code.")
        found.add(code)
    return found


def categories_screened_with_defaults() -> QuerySet[Category]:
    """Return the categories without an approved analysis (screened with default inputs)."""
    approved = RiskAnalysis.objects.approved().values("category_id")
    return Category.objects.exclude(pk__in=approved).order_by("name_sv")


def _screening_rows(countries: Iterable[str]) -> list[AreaRiskRow]:
    """Return one AreaRiskRow per category and country (None: the default row)."""
    reference = reference_data()
    extra = _country_codes(countries)
    _settings, params_now = current_parameters()
    approved: dict[int, list[RiskAnalysis]] = defaultdict(list)
    for analysis in RiskAnalysis.objects.approved().prefetch_related("adjustments__created_by"):
        approved[analysis.category_id].append(analysis)
    from_contracts = contract_countries_by_category()
    rows: list[AreaRiskRow] = []
    for category in Category.objects.order_by("slug"):
        contract_rows = from_contracts.get(category.pk, [])
        codes = extra | {row["country"] for row in contract_rows if row["country"]}
        groups: list[tuple[CategoryInput, MethodParameters]] = []
        for analysis in sorted(approved.get(category.pk, []), key=lambda a: a.product):
            analysis.category = category
            codes |= {row["country"] for row in analysis.countries if row["country"]}
            groups.append(
                (
                    category_input(analysis, adjustments=analysis.adjustments.all()),
                    analysis_parameters(analysis),
                )
            )
        if not groups:
            groups.append((default_category_input(category, contract_rows), params_now))
        wanted: list[str | None] = [*sorted(codes), None]
        # Several products of a category: each country row takes the highest risk per area.
        merged: dict[str | None, dict[str, float]] = {}
        for category_in, params in groups:
            for row in area_risk_table([category_in], wanted, reference=reference, params=params):
                best = merged.setdefault(row.country_iso2, dict.fromkeys(AREAS, 0.0))
                for area in AREAS:
                    best[area] = max(best[area], getattr(row, area))
        rows.extend(
            AreaRiskRow(category.slug, iso2, **merged[iso2]) for iso2 in wanted if iso2 in merged
        )
    return rows


def area_risk_rows_for_screening(*, countries: Iterable[str] = ()) -> dict[str, list]:
    """Return the screening's risk table as columns: category_key, country, hr, wr, env, be.

    One row per category (its slug) and production country, and one default row per category
    with country "" (the method's unknown-country risk). Countries scored: those of the
    category's approved analyses and active contracts, plus ``countries``: the screening passes
    every production country of the suppliers (sites and contracts), so that each known country
    is scored from its own indicators and only spend without a known country takes the default
    row. Approved analyses are used with the parameters they were
    approved with; a category with several approved products takes the highest risk per area;
    a category without an approved analysis is scored with ``DEFAULT_JUDGEMENT`` in every area
    and the parameters in force. Ready for ``pyarrow.table(...)``.
    """
    return area_risk_columns(
        _screening_rows(countries), country_column="country", unknown_country=""
    )


def country_risks_for_screening(
    countries: Iterable[str], params: MethodParameters = DEFAULT_PARAMETERS
) -> dict[str, dict[str, Any]]:
    """Return each production country's country risk per area and the areas without data.

    Keyed by ISO2, with "" for the unknown country (the category's default row). ``no_data``
    lists the areas where none of the area's indicators has a value for the country in the
    editions used, so the method's default country risk stood in: every area for "", and for a
    country code the reference files do not cover (e.g. the Faroe Islands, FO).
    """
    reference = reference_data()
    found: dict[str, dict[str, Any]] = {}
    for iso2 in ["", *sorted(_country_codes(countries))]:
        risks = {area: country_risk(area, iso2 or None, reference, params) for area in AREAS}
        found[iso2] = {
            "country_risk": {area: round(risk.value, 6) for area, risk in risks.items()},
            "no_data": [area for area, risk in risks.items() if risk.no_data],
        }
    return found


def screening_sources(*, countries: Iterable[str] = ()) -> dict[str, Any]:
    """Return what ``area_risk_rows_for_screening`` is built from, to store with a run.

    ``country_risks``: the country risks of the unknown country and of ``countries`` (the
    production countries screened), as ``country_risks_for_screening`` gives them.
    """
    settings, params = current_parameters()
    analyses = [
        {
            "category_key": analysis.category.slug,
            "product": analysis.product,
            "version": analysis.version,
            "public_id": str(analysis.public_id),
            "approved_at": analysis.approved_at.isoformat() if analysis.approved_at else None,
            "settings_version": (analysis.parameters or {}).get("settings_version"),
        }
        for analysis in latest_approved_analyses()
    ]
    return {
        "analyses": analyses,
        "parameters": {
            "method_settings_version": settings.version if settings else None,
            "method": parameters_to_json(params),
            "default_judgement": {
                "inherent": DEFAULT_JUDGEMENT.inherent,
                "scale": DEFAULT_JUDGEMENT.scale,
                "scope": DEFAULT_JUDGEMENT.scope,
                "irremediability": DEFAULT_JUDGEMENT.irremediability,
            },
            "default_input_categories": list(
                categories_screened_with_defaults().values_list("slug", flat=True)
            ),
            "country_risks": country_risks_for_screening(countries, params),
        },
    }


def analysis_for_category(category_key: str) -> RiskAnalysis | None:
    """Return the approved analysis of a category (by slug): the whole category's, else the
    first product's; None when the category has none (screening used the default inputs)."""
    return (
        RiskAnalysis.objects.approved()
        .select_related("category")
        .filter(category__slug=category_key)
        .order_by("product")
        .first()
    )


@dataclass(frozen=True)
class CountryRiskLine:
    area: str  # the area's label
    country_risk: float
    default_used: bool


@dataclass(frozen=True)
class CountryExplanation:
    """How a screening row's production country was scored, from what its run stored.

    ``kind``: "unknown" (no known production country: the category's default row), "no_data"
    (a known country without any indicator value: the default in every area), "partial" (the
    default in some areas) or "own" (the country's own indicators in every area).
    """

    kind: str
    country: str  # the country's name, "" when unknown
    default: float  # the method's default country risk
    lines: tuple[CountryRiskLine, ...]
    default_areas: str  # the labels of the areas where the default stood in, joined

    @property
    def default_in_all_areas(self) -> bool:
        return self.kind in {"unknown", "no_data"}


def row_country_explanation(run: ScreeningRun, row: ScreeningRow) -> CountryExplanation | None:
    """Return how the row's production country was scored; None for runs that did not store it."""
    stored = (run.parameters or {}).get("country_risks")
    if not stored or row.country not in stored or "" not in stored:
        return None
    entry = stored[row.country]
    default = stored[""]["country_risk"][AREAS[0]]
    labels = dict(Area.choices)
    lines = tuple(
        CountryRiskLine(str(labels[area]), entry["country_risk"][area], area in entry["no_data"])
        for area in AREAS
    )
    if not row.country:
        kind = "unknown"
    elif len(entry["no_data"]) == len(AREAS):
        kind = "no_data"
    else:
        kind = "partial" if entry["no_data"] else "own"
    return CountryExplanation(
        kind=kind,
        country=country_name(row.country) if row.country else "",
        default=default,
        lines=lines,
        default_areas=", ".join(line.area for line in lines if line.default_used),
    )
