"""Risk pages: the category risk overview, the analyses, the method settings, the data editions.

Thin views: access → form → service → redirect. The numbers shown are the ones stored with each
analysis when it was last computed (``results``), never recomputed on the page.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from hallbar.core.countries import country_name
from hallbar.core.forms import add_service_errors
from hallbar.core.markdown import document_for_language, render_markdown
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.risk.access import (
    access_adjustment_for_write,
    access_analysis,
    access_analysis_for_write,
    can_edit_analyses,
    require_risk_edit,
    require_risk_view,
)
from hallbar.risk.forms import (
    INDICATOR_LABELS,
    AdjustmentForm,
    AnalysisForm,
    ApproveForm,
    MethodSettingsForm,
    countries_text,
    judgement_forms,
)
from hallbar.risk.method.matrix import MatrixLabels, MatrixPoint, risk_matrix_svg
from hallbar.risk.method.scoring import HIGH, LOW, MEDIUM, METHOD, SECRETARIAT
from hallbar.risk.models import RiskAnalysis
from hallbar.risk.models.analysis import Area, PriorityClass, parameters_to_json
from hallbar.risk.selectors import (
    DEFAULT_JUDGEMENT,
    analysis_parameters,
    categories_screened_with_defaults,
    change_log,
    contract_countries,
    current_method_settings,
    current_parameters,
    data_editions_overview,
    item_versions,
    matching_product,
    method_settings_history,
    risk_overview,
)
from hallbar.risk.services import (
    ONLY_DRAFTS_EDITABLE,
    add_expert_adjustment,
    approve_analysis,
    create_analysis_draft,
    load_risk_reference,
    remove_expert_adjustment,
    save_method_settings,
    start_new_version,
    update_analysis_draft,
)
from hallbar.risk.step_words import step_text

AREA_SHORT = {
    "hr": pgettext_lazy("short for human rights", "HR"),
    "wr": pgettext_lazy("short for workers' rights", "WR"),
    "env": pgettext_lazy("short for environment", "ENV"),
    "be": pgettext_lazy("short for business ethics", "BE"),
}
STEP_KINDS = {
    "indicator": gettext_lazy("Indicator"),
    "missing": gettext_lazy("Indicator missing"),
    "country_risk": gettext_lazy("Country risk"),
    "inherent": gettext_lazy("Inherent risk"),
    "ilab": gettext_lazy("ILAB list"),
    "uplift": gettext_lazy("ILAB uplift"),
    "combined": gettext_lazy("Combined"),
    "likelihood": gettext_lazy("Likelihood"),
    "computed": gettext_lazy("Computed likelihood"),
    "adjustment": gettext_lazy("Expert adjustment"),
    "country_share": gettext_lazy("Country's share"),
    "severity_part": gettext_lazy("Severity judgement"),
    "severity": gettext_lazy("Severity"),
    "risk": gettext_lazy("Risk"),
    "class": gettext_lazy("Priority class"),
    "leverage_part": gettext_lazy("Leverage input"),
    "leverage": gettext_lazy("Leverage"),
    "prioritisation": gettext_lazy("Prioritisation score"),
}
SOURCES = {
    METHOD: gettext_lazy("the method"),
    SECRETARIAT: gettext_lazy("the secretariat's judgement"),
}
CONTRACTS_SOURCE = gettext_lazy("the active contracts")
CLASS_LABELS = dict(PriorityClass.choices)


def _number(value: Any, digits: int = 4) -> str:
    """Return a number rounded for reading, in the page's locale; other values as text."""
    if isinstance(value, bool) or value is None:
        return "–" if value is None else str(value)
    if isinstance(value, (int, float)):
        return number_format(round(value, digits), decimal_pos=None)
    return str(CLASS_LABELS.get(value, value))


def _render(request: AuthenticatedHttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"risk_editor": can_edit_analyses(request.user), **context})


# --- overview ---------------------------------------------------------------------------------


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_view(request.user)
    rows = risk_overview()
    return _render(
        request,
        "risk/index.html",
        {
            "rows": rows,
            "areas": Area.choices,
            "has_analyses": any(row.analysis for row in rows),
            "defaults": list(categories_screened_with_defaults()),
            "default_judgement": DEFAULT_JUDGEMENT,
            "method_settings": current_method_settings(),
        },
    )


# --- one analysis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaView:
    code: str
    label: StrOrPromise
    short: StrOrPromise
    result: dict
    steps: list[dict]


def _source(step: dict) -> str:
    # The method calls leverage inputs judgements; here they are computed from the contracts.
    if step["kind"] == "leverage_part":
        return str(CONTRACTS_SOURCE)
    return str(SOURCES.get(step["source"], step["source"]))


def _steps(steps: list[dict]) -> list[dict]:
    return [
        {
            "kind": STEP_KINDS.get(step["kind"], step["kind"]),
            "input": step_text(step["input"]),
            "value": step_text(_number(step["value"]))
            if isinstance(step["value"], str)
            else _number(step["value"]),
            "source": step_text(_source(step)),
            "weight": "" if step["weight"] is None else _number(step["weight"]),
            "contribution": "" if step["contribution"] is None else _number(step["contribution"]),
            "note": step_text(step["note"]),
        }
        for step in steps
    ]


def _matrix(analysis: RiskAnalysis, areas: list[AreaView]) -> str:
    labels = MatrixLabels(
        likelihood=_("Likelihood"),
        severity=_("Severity"),
        classes={HIGH: _("high"), MEDIUM: _("medium"), LOW: _("low")},
        summary=_("Likelihood 1–5 across, severity 1–5 up; each cell shows L × S and its class."),
    )
    points = [
        MatrixPoint(
            label=str(area.short),
            likelihood=area.result["likelihood"],
            severity=area.result["severity"],
            description=_(
                "%(area)s: likelihood %(likelihood)s, severity %(severity)s, risk %(risk)s (%(class)s)."
            )
            % {
                "area": str(area.label).capitalize(),
                "likelihood": _number(area.result["likelihood"], 2),
                "severity": _number(area.result["severity"], 2),
                "risk": _number(area.result["risk"], 1),
                "class": CLASS_LABELS.get(area.result["class"], area.result["class"]),
            },
        )
        for area in areas
    ]
    svg = risk_matrix_svg(
        points,
        title=_("Likelihood × severity: %(analysis)s") % {"analysis": analysis.title},
        labels=labels,
        id_prefix=f"matrix-{analysis.public_id}",
        params=analysis_parameters(analysis),
    )
    return mark_safe(svg)  # noqa: S308 - risk_matrix_svg escapes every text it writes


def analysis_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    analysis, can_edit = access_analysis(request.user, public_id)
    results = analysis.results or {}
    areas = [
        AreaView(
            code,
            label,
            AREA_SHORT[code],
            results["areas"][code],
            _steps(results["areas"][code]["steps"]),
        )
        for code, label in Area.choices
        if code in results.get("areas", {})
    ]
    countries = [
        {
            **row,
            "name": country_name(row["country"]) if row["country"] else _("unknown country"),
            "cells": [row["areas"].get(code, {}) for code, _label in Area.choices],
        }
        for row in results.get("countries", [])
    ]
    versions = item_versions(analysis)
    settings = current_method_settings()
    editor = can_edit_analyses(request.user)
    leverage = results.get("leverage") or {}
    return _render(
        request,
        "risk/analysis_detail.html",
        {
            "analysis": analysis,
            "can_edit": can_edit,
            "areas": areas,
            "area_choices": Area.choices,
            "countries": countries,
            "matrix": _matrix(analysis, areas) if areas else "",
            "leverage": leverage,
            "leverage_steps": _steps(leverage.get("steps", [])),
            "versions": versions,
            "history": change_log(analysis),
            "adjustments": list(analysis.adjustments.select_related("created_by")),
            "matched_product": matching_product(analysis),
            "can_start_new_version": editor
            and analysis.is_approved
            and not any(v.is_draft for v in versions),
            "stale": analysis.is_draft
            and (settings.pk if settings else None) != analysis.method_settings_id,
            "current_settings": settings,
        },
    )


def _contract_countries_note(analysis: RiskAnalysis) -> str:
    """Return the countries the contracts give now in words, e.g. "Malaysia (MY) 45 %, okänt
    land 25 %", numbers for the language."""
    return ", ".join(
        "{} {} %".format(
            f"{country_name(row['country'])} ({row['country']})"
            if row["country"]
            else _("unknown country"),
            number_format(round(row["weight"] * 100, 2)),
        )
        for row in contract_countries(analysis.category)
    )


def analysis_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_edit(request.user)
    data = request.POST or None
    form = AnalysisForm(data, initial={"category": request.GET.get("category", "")})
    areas = judgement_forms(data)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for *_x, f in areas):
        try:
            analysis = create_analysis_draft(
                category=form.cleaned_data["category"],
                product=form.cleaned_data["product"],
                judgements={code: f.cleaned_data for code, _label, f in areas},
                countries=form.cleaned_data["countries"],
                ilab_goods=form.cleaned_data["ilab_goods"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved and its risks computed."))
            return redirect("risk:analysis-detail", analysis.public_id)
    return _render(
        request,
        "risk/analysis_form.html",
        {"form": form, "areas": areas, "analysis": None},
    )


def analysis_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    analysis = access_analysis_for_write(request.user, public_id)
    if not analysis.is_draft:
        messages.error(request, ONLY_DRAFTS_EDITABLE)
        return redirect("risk:analysis-detail", analysis.public_id)
    data = request.POST or None
    entered = analysis.countries_source == RiskAnalysis.CountrySource.ENTERED
    form = AnalysisForm(
        data,
        editing=True,
        initial={
            "countries": countries_text(analysis.countries) if entered else "",
            "ilab_goods": "\n".join(analysis.ilab_goods or []),
        },
    )
    areas = judgement_forms(data, analysis.judgements)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for *_x, f in areas):
        try:
            update_analysis_draft(
                analysis,
                judgements={code: f.cleaned_data for code, _label, f in areas},
                countries=form.cleaned_data["countries"],
                ilab_goods=form.cleaned_data["ilab_goods"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved and its risks computed again."))
            return redirect("risk:analysis-detail", analysis.public_id)
    return _render(
        request,
        "risk/analysis_form.html",
        {
            "form": form,
            "areas": areas,
            "analysis": analysis,
            "contract_countries": _contract_countries_note(analysis),
        },
    )


def analysis_adjust(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    analysis = access_analysis_for_write(request.user, public_id)
    if not analysis.is_draft:
        messages.error(request, ONLY_DRAFTS_EDITABLE)
        return redirect("risk:analysis-detail", analysis.public_id)
    countries = [
        (row["country"], f"{country_name(row['country'])} ({row['country']})")
        for row in analysis.countries
        if row["country"]
    ]
    form = AdjustmentForm(
        request.POST or None,
        countries=countries,
        initial={"area": request.GET.get("area", "")},
    )
    areas = (analysis.results or {}).get("areas", {})
    if request.method == "POST" and form.is_valid():
        try:
            add_expert_adjustment(analysis, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The expert adjustment was saved and the risks computed again.")
            )
            return redirect("risk:analysis-detail", analysis.public_id)
    return _render(
        request,
        "risk/adjustment_form.html",
        {
            "form": form,
            "analysis": analysis,
            "likelihoods": [
                (label, areas[code]["likelihood_computed"], areas[code]["likelihood"])
                for code, label in Area.choices
                if code in areas
            ],
        },
    )


def adjustment_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    adjustment = access_adjustment_for_write(request.user, public_id)
    analysis = adjustment.analysis
    if request.method == "POST":
        try:
            remove_expert_adjustment(adjustment, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The expert adjustment was removed."))
    return redirect("risk:analysis-detail", analysis.public_id)


def analysis_approve(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    analysis = access_analysis_for_write(request.user, public_id)
    if not analysis.is_draft:
        messages.error(request, _("Only a draft can be approved."))
        return redirect("risk:analysis-detail", analysis.public_id)
    current = analysis.versions_of_item().approved().first()
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approve_analysis(analysis, note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Version %(version)s is approved.") % {"version": analysis.version}
            )
            return redirect("risk:analysis-detail", analysis.public_id)
    return _render(
        request,
        "risk/approve_confirm.html",
        {"form": form, "analysis": analysis, "current": current},
    )


def analysis_new_version(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    source = access_analysis_for_write(request.user, public_id)
    if request.method != "POST":
        return redirect("risk:analysis-detail", source.public_id)
    try:
        draft = start_new_version(source, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("risk:analysis-detail", source.public_id)
    messages.success(
        request,
        _("Version %(version)s was started as a copy of the approved one.")
        % {"version": draft.version},
    )
    return redirect("risk:analysis-edit", draft.public_id)


# --- method settings and data -----------------------------------------------------------------


def method_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_view(request.user)
    settings, params = current_parameters()
    values = parameters_to_json(params)
    return _render(
        request,
        "risk/method_settings.html",
        {
            "settings": settings,
            "values": values,
            "indicators": list(INDICATOR_LABELS.items()),
            "weights": [
                (
                    label,
                    [dict(values["area_indicators"][area]).get(code) for code in INDICATOR_LABELS],
                )
                for area, label in Area.choices
            ],
            "history": method_settings_history(),
        },
    )


def method_document(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The method's description (docs/risk-method.md) as a page, in the reader's language
    where a translation exists."""
    require_risk_view(request.user)
    path, language = document_for_language("risk-method", get_language() or "sv")
    return _render(
        request,
        "risk/method_document.html",
        {
            "document": render_markdown(path.read_text(encoding="utf-8")),
            "document_language": language,
        },
    )


def method_settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_edit(request.user)
    _settings, params = current_parameters()
    form = MethodSettingsForm(request.POST or None, params=params)
    if request.method == "POST" and form.is_valid():
        try:
            save_method_settings(
                parameters=form.cleaned_data["parameters"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The new parameters are in force. Drafts use them the next time they are saved."),
            )
            return redirect("risk:method-settings")
    return _render(request, "risk/method_settings_form.html", {"form": form})


def data_editions(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_view(request.user)
    rows, editions = data_editions_overview()
    return _render(
        request,
        "risk/data_editions.html",
        {
            "rows": rows,
            "editions": editions,
            "unregistered": any(r.registered is None for r in rows),
        },
    )


def data_editions_load(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_risk_edit(request.user)
    if request.method == "POST":
        load_risk_reference(acting_user=request.user)
        messages.success(request, _("The shipped reference files are registered."))
    return redirect("risk:data-editions")
