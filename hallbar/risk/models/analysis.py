"""Category risk analyses (riskanalyser) and the method's parameters, as the secretariat sets them.

A ``RiskAnalysis`` is one version of the analysis of a category (and optionally a product within
it). Versions move draft → approved → superseded; only a draft is edited, approving a draft
supersedes the approved version of the same category and product, and a new version starts as a
copy of the approved one. The inputs are the secretariat's judgements, the production countries
and the expert adjustments (``LikelihoodAdjustment``); the results are computed by the Django-free
method (``hallbar/risk/method/``) and stored with the data editions and parameters they used, so
an approved analysis keeps its numbers when the data or the parameters change later.

``MethodSettings`` rows are the versions of the method's parameters: each change is a new row
(who, when, why); the newest row is in force, and without any row the method's defaults apply.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel
from hallbar.risk.method.reference import iso2_to_iso3
from hallbar.risk.method.scoring import (
    AREAS,
    DEFAULT_PARAMETERS,
    AreaJudgement,
    MethodParameters,
)


class Area(models.TextChoices):
    """The four areas of the Code of Conduct, keyed as the method keys them."""

    HUMAN_RIGHTS = "hr", _("human rights")
    WORKERS_RIGHTS = "wr", _("workers' rights")
    ENVIRONMENT = "env", _("environment including climate")
    BUSINESS_ETHICS = "be", _("business ethics and anti-corruption")


class PriorityClass(models.TextChoices):
    """Priority class (prioriteringsklass) of a risk R = L × S."""

    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


JUDGEMENT_FIELDS = ("inherent", "scale", "scope", "irremediability")

# ----------------------------------------------------------------------------------------------
# The method's parameters as JSON (the mirror of MethodParameters the secretariat may edit)

SCALAR_PARAMETERS = (
    "no_data_country_risk",
    "alpha",
    "high_threshold",
    "medium_threshold",
    "leverage_full_spend_share",
    "leverage_weight_spend",
    "leverage_weight_regions",
    "leverage_weight_clause",
    "total_regions",
    "clause_value_avancerad",
    "clause_value_bas",
    "prioritisation_base",
    "prioritisation_per_leverage",
)
UPLIFT_PARAMETERS = ("forced_labour_uplift", "child_labour_uplift")
INVALID_PARAMETERS = _("The method's parameters are not valid: %(reason)s")


def parameters_to_json(params: MethodParameters = DEFAULT_PARAMETERS) -> dict[str, Any]:
    """Return the editable parameters as plain JSON (the synonym map stays in the code)."""
    return {
        "area_indicators": {
            area: [[code, float(weight)] for code, weight in params.area_indicators[area]]
            for area in AREAS
        },
        **{
            name: {k: float(v) for k, v in getattr(params, name).items()}
            for name in UPLIFT_PARAMETERS
        },
        **{name: getattr(params, name) for name in SCALAR_PARAMETERS},
    }


def parameters_from_json(data: Mapping[str, Any] | None) -> MethodParameters:
    """Return MethodParameters from their JSON mirror; keys left out keep the defaults.

    Raise ValidationError when the values do not make a valid parameter set.
    """
    data = dict(data or {})
    unknown = set(data) - {"area_indicators", *UPLIFT_PARAMETERS, *SCALAR_PARAMETERS}
    if unknown:
        raise ValidationError(
            INVALID_PARAMETERS, params={"reason": f"unknown keys {sorted(unknown)}"}
        )
    values: dict[str, Any] = {}
    try:
        if "area_indicators" in data:
            values["area_indicators"] = {
                area: tuple((str(code), float(weight)) for code, weight in pairs)
                for area, pairs in dict(data["area_indicators"]).items()
            }
        for name in UPLIFT_PARAMETERS:
            if name in data:
                values[name] = {str(k): float(v) for k, v in dict(data[name]).items()}
        for name in SCALAR_PARAMETERS:
            if name in data:
                values[name] = int(data[name]) if name == "total_regions" else float(data[name])
        return MethodParameters(**values)
    except (TypeError, ValueError) as error:
        raise ValidationError(INVALID_PARAMETERS, params={"reason": str(error)}) from error


class MethodSettings(PublicModel):
    """One version of the method's parameters; the newest version is in force."""

    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    parameters = models.JSONField(_("parameters"), default=dict)
    change_note = models.CharField(_("what changed"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="risk_methodsettings_unique_version"),
        ]
        verbose_name = _("method settings")
        verbose_name_plural = _("method settings")

    def __str__(self) -> str:
        return f"{_('Method settings')} {self.version}"

    def clean(self) -> None:
        parameters_from_json(self.parameters)

    def method_parameters(self) -> MethodParameters:
        return parameters_from_json(self.parameters)


# ----------------------------------------------------------------------------------------------
# Risk analyses


class AnalysisQuerySet(models.QuerySet["RiskAnalysis"]):
    def approved(self) -> "AnalysisQuerySet":
        return self.filter(status=RiskAnalysis.Status.APPROVED)

    def drafts(self) -> "AnalysisQuerySet":
        return self.filter(status=RiskAnalysis.Status.DRAFT)


class RiskAnalysis(PublicModel):
    """One version of the risk analysis of a category, or of a product within it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SUPERSEDED = "superseded", _("superseded")

    class CountrySource(models.TextChoices):
        CONTRACTS = "contracts", _("the category's active contracts, weighted by annual value")
        ENTERED = "entered", _("entered by the secretariat")

    category = models.ForeignKey(
        "categories.Category",
        on_delete=models.PROTECT,
        related_name="risk_analyses",
        verbose_name=_("category"),
    )
    product = models.CharField(
        _("product"),
        max_length=200,
        blank=True,
        help_text=_(
            "A product within the category, e.g. examination gloves. Empty: the whole category."
        ),
    )
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Inputs: {area: {inherent, scale, scope, irremediability}}, each a whole number 1–5.
    judgements = models.JSONField(_("judgements"), default=dict)
    # [{"country": ISO 3166-1 alpha-2 or "" (unknown), "weight": share of spend}], shares sum to 1.
    countries = models.JSONField(_("production countries"), default=list)
    countries_source = models.CharField(
        _("production countries from"),
        max_length=20,
        choices=CountrySource.choices,
        default=CountrySource.CONTRACTS,
    )
    # Explicit ILAB good names; null: matched from the product words.
    ilab_goods = models.JSONField(_("ILAB goods"), null=True, blank=True)
    # Computed from the contracts when the draft was last saved.
    leverage_inputs = models.JSONField(_("leverage inputs"), default=dict, blank=True)
    # Computed: per area L, S, R, class, prioritisation and explanation; per country the risks.
    results = models.JSONField(_("results"), default=dict, blank=True)
    editions = models.JSONField(_("data editions"), default=dict, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    method_settings = models.ForeignKey(
        MethodSettings,
        verbose_name=_("method settings"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="analyses",
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    change_note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("A short note for the change log, required when approving."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["category__name_sv", "product", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "product", "version"], name="risk_riskanalysis_unique_version"
            ),
            models.UniqueConstraint(
                fields=["category", "product"],
                condition=Q(status="approved"),
                name="risk_riskanalysis_one_approved",
            ),
            models.UniqueConstraint(
                fields=["category", "product"],
                condition=Q(status="draft"),
                name="risk_riskanalysis_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_at__isnull=False) & ~Q(change_note="")),
                name="risk_riskanalysis_approved_has_date_and_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_at__isnull=False),
                name="risk_riskanalysis_superseded_has_date",
            ),
        ]
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("risk:analysis-detail", args=[self.public_id])

    @property
    def title(self) -> str:
        return f"{self.category.name}: {self.product}" if self.product else self.category.name

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def item_key(self) -> dict[str, Any]:
        return {"category_id": self.category_id, "product": self.product}

    def versions_of_item(self) -> AnalysisQuerySet:
        return RiskAnalysis.objects.filter(**self.item_key())

    def area_judgements(self) -> dict[str, AreaJudgement]:
        """Return the judgements per area (without the adjustments); raise ValueError if invalid."""
        return {
            area: AreaJudgement(**{name: self.judgements[area][name] for name in JUDGEMENT_FIELDS})
            for area in AREAS
        }

    def country_weights(self) -> list[tuple[str | None, float]]:
        return [(row["country"] or None, float(row["weight"])) for row in self.countries]

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            if set(self.judgements) != set(AREAS):
                raise ValueError("one set of judgements per area is needed")
            self.area_judgements()
        except (ValueError, KeyError, TypeError):
            errors["judgements"] = [
                _(
                    "Give the inherent risk, scale, scope and irremediability, each 1–5, for all four areas."
                )
            ]
        if not self.countries:
            errors["countries"] = [_("Give at least one production country.")]
        else:
            try:
                for row in self.countries:
                    if row["country"] and iso2_to_iso3(row["country"]) is None:
                        raise ValueError(row["country"])
                    if float(row["weight"]) < 0:
                        raise ValueError(row["weight"])
                if sum(float(row["weight"]) for row in self.countries) <= 0:
                    raise ValueError("weights")
            except (ValueError, KeyError, TypeError):
                errors["countries"] = [
                    _(
                        "Each production country needs a valid country code and a share of spend ≥ 0."
                    )
                ]
        if errors:
            raise ValidationError(errors)


class LikelihoodAdjustment(PublicModel):
    """An expert's likelihood for one area (of the category, or of one production country)."""

    analysis = models.ForeignKey(
        RiskAnalysis,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name=_("risk analysis"),
    )
    area = models.CharField(_("area"), max_length=3, choices=Area.choices)
    country = models.CharField(
        _("production country"),
        max_length=2,
        blank=True,
        help_text=_("Empty: the category's likelihood (the spend-weighted mean)."),
    )
    likelihood = models.DecimalField(
        _("likelihood"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    rationale = models.TextField(_("rationale"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["analysis", "area", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "area", "country"], name="risk_adjustment_unique_area_country"
            ),
        ]
        verbose_name = _("expert adjustment")
        verbose_name_plural = _("expert adjustments")

    def __str__(self) -> str:
        where = f", {self.country}" if self.country else ""
        return f"{self.analysis} {self.area}{where}: {self.likelihood}"
