"""Writes for the risk analyses: one atomic function per change, each writing history.

`acting_user=None` means a system load (the demo loader, commands); views always pass the
signed-in user, and anyone but the secretariat gets a PermissionError. Every change to a draft's
inputs recomputes its results with the method (``hallbar/risk/method/scoring.py``), the
parameters in force and the shipped data editions, and stores all three with the results.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.history import record_change
from hallbar.organisations.models import User
from hallbar.risk.access import can_edit_analyses
from hallbar.risk.method.reference import ReferenceData, iso2_to_iso3
from hallbar.risk.method.scoring import (
    AREAS,
    AreaJudgement,
    CategoryAssessment,
    CountryRisk,
    IlabMatch,
    Likelihood,
    MethodParameters,
    assess_category,
    priority_class,
    steps_as_dicts,
)
from hallbar.risk.models import DataEdition, LikelihoodAdjustment, MethodSettings, RiskAnalysis
from hallbar.risk.models.analysis import JUDGEMENT_FIELDS, Area, parameters_to_json
from hallbar.risk.selectors import (
    category_input,
    contract_countries,
    contract_leverage_inputs,
    current_parameters,
    editions_used,
    reference_data,
    shipped_reference_files,
)

NOT_ALLOWED = _("Only the secretariat changes the risk analyses.")
ONLY_DRAFTS_EDITABLE = _("Only a draft can be edited. Start a new version instead.")
ONLY_DRAFTS_APPROVABLE = _("Only a draft can be approved.")
NOTE_REQUIRED = _("Say briefly what changed in this version.")
DRAFT_EXISTS = _("There is already a draft of this analysis. Edit or approve it first.")
ONLY_FROM_APPROVED = _("A new version starts from the approved version.")
RATIONALE_REQUIRED = _(
    "An expert adjustment needs a written rationale: say why the likelihood should differ from "
    "the computed one."
)
LIKELIHOOD_RANGE = _("The likelihood must be a number from 1 to 5.")
UNKNOWN_AREA = _("Choose one of the four areas.")
NOT_A_PRODUCTION_COUNTRY = _("%(country)s is not one of the analysis's production countries.")
ADJUSTED_COUNTRY_REMOVED = _(
    "%(country)s has an expert adjustment: remove the adjustment before removing the country."
)
INVALID_COUNTRY = _("%(country)s is not an ISO 3166-1 country code (two letters, e.g. MY).")
INVALID_WEIGHT = _("The share of spend of %(country)s must be a number ≥ 0.")
NO_WEIGHT = _("Give at least one production country with a share of spend above 0.")
DUPLICATE_COUNTRY = _("%(country)s is given more than once.")
INVALID_JUDGEMENT = _("%(area)s: %(field)s must be a whole number from 1 to 5.")
SETTINGS_NOTE_REQUIRED = _("Say briefly why the parameters change.")


def _require_editor(user: User | None) -> None:
    if user is not None and not can_edit_analyses(user):
        raise PermissionError(NOT_ALLOWED)


def _user(user: User | None) -> User | None:
    return user if getattr(user, "pk", None) else None


def _locked(analysis: RiskAnalysis) -> RiskAnalysis:
    """Return the analysis read again under a row lock, so its status cannot change underneath."""
    return (
        RiskAnalysis.objects.select_for_update(of=("self",))
        .select_related("category", "method_settings")
        .get(pk=analysis.pk)
    )


def _require_draft(analysis: RiskAnalysis) -> None:
    if not analysis.is_draft:
        raise ValidationError(ONLY_DRAFTS_EDITABLE)


# ----------------------------------------------------------------------------------------------
# Inputs


def normalise_judgements(judgements: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Return {area: {inherent, scale, scope, irremediability}} checked to be whole numbers 1–5."""
    labels = dict(Area.choices)
    result: dict[str, dict[str, int]] = {}
    for area in AREAS:
        given = judgements.get(area) if judgements else None
        values: dict[str, Any] = {}
        for field in JUDGEMENT_FIELDS:
            value = given.get(field) if isinstance(given, Mapping) else getattr(given, field, None)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise ValidationError(
                    INVALID_JUDGEMENT, params={"area": labels[area], "field": field}
                )
            values[field] = value
        AreaJudgement(**values)
        result[area] = values
    return result


def normalise_countries(countries: Iterable[Any]) -> list[dict[str, Any]]:
    """Return [{"country", "weight"}] with ISO2 codes ("" = unknown) and shares summing to 1.

    Accepts (code, weight) pairs or {"country", "weight"} dicts; weights are kronor or shares.
    """
    pairs: list[tuple[str, Decimal]] = []
    seen = set()
    for item in countries:
        code, weight = (item["country"], item["weight"]) if isinstance(item, Mapping) else item
        code = (code or "").strip().upper()
        label = code or "?"
        if code and iso2_to_iso3(code) is None:
            raise ValidationError(INVALID_COUNTRY, params={"country": code})
        if code in seen:
            raise ValidationError(DUPLICATE_COUNTRY, params={"country": label})
        seen.add(code)
        try:
            amount = Decimal(str(weight))
        except (InvalidOperation, ValueError):
            raise ValidationError(INVALID_WEIGHT, params={"country": label}) from None
        if not amount.is_finite() or amount < 0:
            raise ValidationError(INVALID_WEIGHT, params={"country": label})
        pairs.append((code, amount))
    total = sum(weight for _code, weight in pairs)
    if not pairs or total <= 0:
        raise ValidationError(NO_WEIGHT)
    return [
        {"country": code, "weight": round(float(weight / total), 6)}
        for code, weight in pairs
        if weight > 0
    ]


def _ilab_goods(goods: Iterable[str] | None) -> list[str] | None:
    if goods is None:
        return None
    cleaned = [" ".join(g.split()) for g in goods if g and g.strip()]
    return list(dict.fromkeys(cleaned)) or None


def _set_countries(analysis: RiskAnalysis, countries: Iterable[Any] | None) -> None:
    if countries is None:
        analysis.countries = contract_countries(analysis.category)
        analysis.countries_source = RiskAnalysis.CountrySource.CONTRACTS
    else:
        analysis.countries = normalise_countries(countries)
        analysis.countries_source = RiskAnalysis.CountrySource.ENTERED


# ----------------------------------------------------------------------------------------------
# Computing


def _country_sources(part: Likelihood) -> tuple[CountryRisk, IlabMatch]:
    """Return the country risk and ILAB match of a per-country likelihood, which has both."""
    if part.country_risk is None or part.ilab is None:
        raise ValueError(f"The likelihood for {part.iso2} lacks its country risk or ILAB match.")
    return part.country_risk, part.ilab


def results_json(assessment: CategoryAssessment, params: MethodParameters) -> dict[str, Any]:
    """Return a category assessment as the JSON stored with an analysis."""
    areas: dict[str, Any] = {}
    countries: dict[str, dict[str, Any]] = {}
    for area in AREAS:
        result = assessment.areas[area]
        areas[area] = {
            "inherent": result.likelihood.inherent,
            "likelihood": result.likelihood.value,
            "likelihood_computed": result.likelihood.computed,
            "adjusted": result.likelihood.adjustment is not None,
            "scale": result.severity.scale,
            "scope": result.severity.scope,
            "irremediability": result.severity.irremediability,
            "severity": result.severity.value,
            "risk": result.risk,
            "class": result.priority_class,
            "prioritisation": result.prioritisation,
            "steps": steps_as_dicts(result.explanation),
        }
        for part in result.likelihood.parts:
            country_risk, ilab = _country_sources(part)
            code = part.iso2 or ""
            row = countries.setdefault(
                code,
                {
                    "country": code,
                    "weight": part.weight,
                    "no_data": False,
                    "ilab_goods": sorted({listing.good for listing in ilab.listings}),
                    "forced_labour": ilab.forced_labour,
                    "child_labour": ilab.child_labour,
                    "areas": {},
                },
            )
            row["no_data"] = row["no_data"] or country_risk.no_data
            risk = part.value * result.severity.value
            row["areas"][area] = {
                "country_risk": country_risk.value,
                "uplift": ilab.for_area(area),
                "likelihood": part.value,
                "adjusted": part.adjustment is not None,
                "risk": risk,
                "class": priority_class(risk, params),
            }
    leverage = assessment.leverage
    return {
        "priority_class": assessment.priority_class,
        "prioritisation": assessment.prioritisation,
        "leverage": None
        if leverage is None
        else {"value": leverage.value, "steps": steps_as_dicts(leverage.explanation)},
        "areas": areas,
        "countries": list(countries.values()),
    }


def _compute(
    analysis: RiskAnalysis,
    *,
    adjustments: Iterable[LikelihoodAdjustment],
    reference: ReferenceData | None = None,
) -> None:
    """Recompute the analysis's leverage inputs and results (not saved)."""
    load_risk_reference()
    settings, params = current_parameters()
    reference = reference or reference_data()
    analysis.leverage_inputs = contract_leverage_inputs(analysis.category, params=params)
    try:
        assessment = assess_category(
            category_input(analysis, adjustments=adjustments), reference, params
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error
    analysis.results = results_json(assessment, params)
    analysis.editions = editions_used(reference)
    analysis.parameters = {
        "settings_version": settings.version if settings else None,
        "values": parameters_to_json(params),
    }
    analysis.method_settings = settings
    analysis.computed_at = timezone.now()


COMPUTED_FIELDS = [
    "leverage_inputs",
    "results",
    "editions",
    "parameters",
    "method_settings",
    "computed_at",
]
INPUT_FIELDS = ["judgements", "countries", "countries_source", "ilab_goods"]


def _risks(analysis: RiskAnalysis) -> dict[str, float | None]:
    areas = (analysis.results or {}).get("areas", {})
    return {area: round(areas[area]["risk"], 2) if area in areas else None for area in AREAS}


def _result_changes(before: dict[str, float | None], analysis: RiskAnalysis) -> dict[str, list]:
    after = _risks(analysis)
    return {
        f"R {area}": [before[area], after[area]] for area in AREAS if before[area] != after[area]
    }


# ----------------------------------------------------------------------------------------------
# Lifecycle


def next_version_number(category: Category, product: str) -> int:
    latest = RiskAnalysis.objects.filter(category=category, product=product).aggregate(
        latest=Max("version")
    )["latest"]
    return (latest or 0) + 1


@transaction.atomic
def create_analysis_draft(
    *,
    category: Category,
    acting_user: User | None,
    judgements: Mapping[str, Any],
    product: str = "",
    countries: Iterable[Any] | None = None,
    ilab_goods: Iterable[str] | None = None,
) -> RiskAnalysis:
    """Start the analysis of a category (and product) from scratch and compute its results.

    ``countries`` None takes the production countries of the category's active contracts,
    weighted by annual value; ``ilab_goods`` None matches the product words to the ILAB goods.
    """
    _require_editor(acting_user)
    product = " ".join((product or "").split())
    if RiskAnalysis.objects.drafts().filter(category=category, product=product).exists():
        raise ValidationError(DRAFT_EXISTS)
    analysis = RiskAnalysis(
        category=category,
        product=product,
        version=next_version_number(category, product),
        judgements=normalise_judgements(judgements),
        ilab_goods=_ilab_goods(ilab_goods),
        created_by=_user(acting_user),
    )
    _set_countries(analysis, countries)
    analysis.full_clean()
    _compute(analysis, adjustments=[])
    analysis.save()
    record_change(
        analysis,
        action="created",
        acting_user=acting_user,
        changes={
            "event": "created",
            "version": analysis.version,
            **_result_changes(dict.fromkeys(AREAS), analysis),
        },
    )
    return analysis


@transaction.atomic
def update_analysis_draft(
    analysis: RiskAnalysis,
    *,
    acting_user: User | None,
    judgements: Mapping[str, Any],
    countries: Iterable[Any] | None,
    ilab_goods: Iterable[str] | None = None,
) -> RiskAnalysis:
    """Change a draft's inputs and recompute it (``countries`` None: from the contracts again)."""
    _require_editor(acting_user)
    analysis = _locked(analysis)
    _require_draft(analysis)
    before_inputs = {field: getattr(analysis, field) for field in INPUT_FIELDS}
    before_risks = _risks(analysis)
    analysis.judgements = normalise_judgements(judgements)
    analysis.ilab_goods = _ilab_goods(ilab_goods)
    _set_countries(analysis, countries)
    adjustments = list(analysis.adjustments.select_related("created_by"))
    listed = {row["country"] for row in analysis.countries}
    for adjustment in adjustments:
        if adjustment.country and adjustment.country not in listed:
            raise ValidationError(ADJUSTED_COUNTRY_REMOVED, params={"country": adjustment.country})
    analysis.full_clean()
    _compute(analysis, adjustments=adjustments)
    analysis.save(update_fields=[*INPUT_FIELDS, *COMPUTED_FIELDS, "updated_at"])
    changes: dict[str, Any] = {"event": "updated"}
    for field, old in before_inputs.items():
        new = getattr(analysis, field)
        if old != new:
            changes[field] = [_short(old), _short(new)]
    changes |= _result_changes(before_risks, analysis)
    record_change(analysis, action="updated", acting_user=acting_user, changes=changes)
    return analysis


def _short(value: Any) -> str:
    """Return inputs readably for the change log: "MY 60 %, TH 40 %", "hr 3/4/3/2", …."""
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return ", ".join(f"{row['country'] or '?'} {row['weight'] * 100:.4g} %" for row in value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{area} " + "/".join(str(v[f]) for f in JUDGEMENT_FIELDS) for area, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


@transaction.atomic
def add_expert_adjustment(
    analysis: RiskAnalysis,
    *,
    acting_user: User | None,
    area: str,
    likelihood: Decimal | float | str,
    rationale: str,
    country: str = "",
) -> LikelihoodAdjustment:
    """Replace the likelihood of an area (of the category, or of one country) by an expert's.

    The written rationale is required. An adjustment for the same area and country replaces
    the earlier one. The draft is recomputed; its explanation keeps both values and the reason.
    """
    _require_editor(acting_user)
    analysis = _locked(analysis)
    _require_draft(analysis)
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": RATIONALE_REQUIRED})
    if area not in AREAS:
        raise ValidationError({"area": UNKNOWN_AREA})
    try:
        value = Decimal(str(likelihood)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"likelihood": LIKELIHOOD_RANGE}) from None
    if not value.is_finite() or not 1 <= value <= 5:
        raise ValidationError({"likelihood": LIKELIHOOD_RANGE})
    country = (country or "").strip().upper()
    if country and country not in {row["country"] for row in analysis.countries}:
        raise ValidationError(
            {"country": ValidationError(NOT_A_PRODUCTION_COUNTRY, params={"country": country})}
        )
    computed = _computed_likelihood(analysis, area, country)
    adjustment = analysis.adjustments.filter(area=area, country=country).first()
    replaced = adjustment is not None
    adjustment = adjustment or LikelihoodAdjustment(analysis=analysis, area=area, country=country)
    adjustment.likelihood = value
    adjustment.rationale = rationale
    adjustment.created_by = _user(acting_user)
    adjustment.full_clean()
    adjustment.save()
    before_risks = _risks(analysis)
    _compute(analysis, adjustments=list(analysis.adjustments.select_related("created_by")))
    analysis.save(update_fields=[*COMPUTED_FIELDS, "updated_at"])
    record_change(
        analysis,
        action="updated",
        acting_user=acting_user,
        changes={
            "event": "adjusted",
            "area": area,
            "country": country or "–",
            "likelihood": [computed, float(value)],
            "rationale": rationale,
            "replaces_earlier": replaced,
            **_result_changes(before_risks, analysis),
        },
    )
    return adjustment


def _computed_likelihood(analysis: RiskAnalysis, area: str, country: str) -> float | None:
    results = analysis.results or {}
    if not country:
        value = results.get("areas", {}).get(area, {}).get("likelihood_computed")
    else:
        row = next((r for r in results.get("countries", []) if r["country"] == country), None)
        value = row["areas"][area]["likelihood"] if row else None
    return round(value, 4) if value is not None else None


@transaction.atomic
def remove_expert_adjustment(
    adjustment: LikelihoodAdjustment, *, acting_user: User | None
) -> RiskAnalysis:
    """Remove an expert adjustment from a draft and recompute it."""
    _require_editor(acting_user)
    analysis = _locked(adjustment.analysis)
    _require_draft(analysis)
    details = {
        "event": "adjustment_removed",
        "area": adjustment.area,
        "country": adjustment.country or "–",
        "likelihood": float(adjustment.likelihood),
        "rationale": adjustment.rationale,
    }
    adjustment.delete()
    before_risks = _risks(analysis)
    _compute(analysis, adjustments=list(analysis.adjustments.select_related("created_by")))
    analysis.save(update_fields=[*COMPUTED_FIELDS, "updated_at"])
    record_change(
        analysis,
        action="updated",
        acting_user=acting_user,
        changes=details | _result_changes(before_risks, analysis),
    )
    return analysis


@transaction.atomic
def approve_analysis(
    analysis: RiskAnalysis, *, note: str, acting_user: User | None
) -> RiskAnalysis:
    """Approve a draft: it is in force, and the approved version of its item is superseded."""
    _require_editor(acting_user)
    analysis = _locked(analysis)
    if not analysis.is_draft:
        raise ValidationError(ONLY_DRAFTS_APPROVABLE)
    note = (note or "").strip()
    if not note:
        raise ValidationError(NOTE_REQUIRED)
    now = timezone.now()
    previous = (
        RiskAnalysis.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(**analysis.item_key(), status=RiskAnalysis.Status.APPROVED)
        .first()
    )
    if previous is not None:
        previous.status = RiskAnalysis.Status.SUPERSEDED
        previous.superseded_at = now
        previous.full_clean()
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
        record_change(
            previous,
            action="updated",
            acting_user=acting_user,
            changes={
                "event": "superseded",
                "status": ["approved", "superseded"],
                "superseded_by": analysis.version,
            },
        )
    analysis.status = RiskAnalysis.Status.APPROVED
    analysis.approved_at = now
    analysis.approved_by = _user(acting_user)
    analysis.change_note = note[:300]
    analysis.full_clean()
    analysis.save(
        update_fields=["status", "approved_at", "approved_by", "change_note", "updated_at"]
    )
    changes: dict[str, Any] = {"event": "approved", "status": ["draft", "approved"], "note": note}
    if previous is not None:
        changes["supersedes"] = previous.version
    record_change(analysis, action="updated", acting_user=acting_user, changes=changes)
    return analysis


@transaction.atomic
def start_new_version(analysis: RiskAnalysis, *, acting_user: User | None) -> RiskAnalysis:
    """Start a draft as a copy of the approved version (inputs and adjustments), recomputed.

    Countries that came from the contracts are taken from the contracts again; entered ones
    are copied. The leverage, the parameters and the data editions are those of today.
    """
    _require_editor(acting_user)
    source = _locked(analysis)
    if not source.is_approved:
        raise ValidationError(ONLY_FROM_APPROVED)
    if source.versions_of_item().drafts().exists():
        raise ValidationError(DRAFT_EXISTS)
    draft = RiskAnalysis(
        category=source.category,
        product=source.product,
        version=next_version_number(source.category, source.product),
        judgements=source.judgements,
        ilab_goods=source.ilab_goods,
        based_on=source,
        created_by=_user(acting_user),
    )
    from_contracts = source.countries_source == RiskAnalysis.CountrySource.CONTRACTS
    _set_countries(draft, None if from_contracts else source.countries)
    listed = {row["country"] for row in draft.countries}
    adjustments = [
        LikelihoodAdjustment(
            area=a.area,
            country=a.country,
            likelihood=a.likelihood,
            rationale=a.rationale,
            created_by=a.created_by,
        )
        for a in source.adjustments.select_related("created_by")
        if not a.country or a.country in listed
    ]
    draft.full_clean()
    _compute(draft, adjustments=adjustments)
    draft.save()
    for adjustment in adjustments:
        adjustment.analysis = draft
        adjustment.full_clean()
        adjustment.save()
    record_change(
        draft,
        action="created",
        acting_user=acting_user,
        changes={"event": "created", "version": draft.version, "based_on": source.version},
    )
    return draft


# ----------------------------------------------------------------------------------------------
# Method settings and reference data


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= _flatten(value, f"{name}.")
        elif isinstance(value, list) and value and isinstance(value[0], list):
            flat |= {f"{name}.{code}": weight for code, weight in value}
        else:
            flat[name] = value
    return flat


@transaction.atomic
def save_method_settings(
    *, parameters: MethodParameters, note: str, acting_user: User | None
) -> MethodSettings:
    """Record a new version of the method's parameters; it is in force from now on.

    Approved analyses keep the parameters they were approved with; drafts take the new ones
    the next time they are saved.
    """
    _require_editor(acting_user)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": SETTINGS_NOTE_REQUIRED})
    previous, previous_params = current_parameters()
    latest = MethodSettings.objects.aggregate(latest=Max("version"))["latest"] or 0
    settings = MethodSettings(
        version=latest + 1,
        parameters=parameters_to_json(parameters),
        change_note=note[:300],
        created_by=_user(acting_user),
    )
    settings.full_clean()
    settings.save()
    before = _flatten(parameters_to_json(previous_params))
    after = _flatten(settings.parameters)
    changes: dict[str, Any] = {"note": note}
    changes |= {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    record_change(settings, action="created", acting_user=acting_user, changes=changes)
    return settings


@transaction.atomic
def load_risk_reference(*, acting_user: User | None = None) -> list[DataEdition]:
    """Register the editions of the shipped WGI, CPI and ILAB files; idempotent.

    One ``DataEdition`` per kind and file checksum. The files are only read (the CPI is
    licensed CC BY-ND: it is never modified or copied, only computed from in memory).
    """
    _require_editor(acting_user)
    editions = []
    for shipped in shipped_reference_files():
        edition, created = DataEdition.objects.get_or_create(
            kind=shipped.kind,
            sha256=shipped.sha256,
            defaults={
                "label": shipped.label,
                "filename": shipped.filename,
                "licence": shipped.licence,
            },
        )
        changed = {
            field: getattr(shipped, field)
            for field in ("label", "filename", "licence")
            if getattr(edition, field) != getattr(shipped, field)
        }
        if changed:
            for field, value in changed.items():
                setattr(edition, field, value)
            edition.save(update_fields=list(changed))
        if created or changed:
            record_change(
                edition,
                action="loaded" if created else "updated",
                acting_user=acting_user,
                changes={"file": shipped.filename, "sha256": shipped.sha256, **changed},
            )
        editions.append(edition)
    return editions
