"""Fee decisions, the regions' own decisions, and the secretariat's budget."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel
from hallbar.organisations.models import Region


class FeeDecision(PublicModel):
    """A decision on the fee per inhabitant that applies from a year until the next decision."""

    class PopulationRule(models.TextChoices):
        FIXED_DATE = "fixed_date", _("population on a fixed reference date")
        YEAR_END_BEFORE = "year_end_before", _("population on 31 December, N years before")

    reference = models.CharField(_("decision reference"), max_length=100, unique=True)
    decided_on = models.DateField(_("decided on"))
    decision_body = models.CharField(_("decided by"), max_length=200)
    from_year = models.PositiveSmallIntegerField(_("applies from year"), unique=True)
    population_rule = models.CharField(
        _("population figure used"), max_length=20, choices=PopulationRule.choices
    )
    population_reference_date = models.DateField(_("reference date"), null=True, blank=True)
    population_years_before = models.PositiveSmallIntegerField(
        _("years before the contribution year"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["from_year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(population_rule="fixed_date", population_reference_date__isnull=False)
                    | Q(population_rule="year_end_before", population_years_before__isnull=False)
                ),
                name="funding_feedecision_rule_has_parameter",
            )
        ]
        verbose_name = _("fee decision")
        verbose_name_plural = _("fee decisions")

    def __str__(self) -> str:
        return f"{self.reference} ({self.from_year})"

    def clean(self) -> None:
        if (
            self.population_rule == self.PopulationRule.FIXED_DATE
            and not self.population_reference_date
        ):
            raise ValidationError({"population_reference_date": _("Give the reference date.")})
        if (
            self.population_rule == self.PopulationRule.YEAR_END_BEFORE
            and self.population_years_before is None
        ):
            raise ValidationError({"population_years_before": _("Give the number of years.")})

    def reference_date_for(self, year: int) -> date:
        """Return the date of the population figure that the contribution for year uses."""
        if self.population_rule == self.PopulationRule.FIXED_DATE:
            assert self.population_reference_date is not None
            return self.population_reference_date
        assert self.population_years_before is not None
        return date(year - self.population_years_before, 12, 31)

    @property
    def rate_ore(self) -> int:
        """Return the total fee in öre per inhabitant and year (sum of the components)."""
        return sum(c.ore for c in self.components.all())


class FeeComponent(models.Model):
    """A part of the fee with its purpose, e.g. 10 öre for the environment area from 2018."""

    class Purpose(models.TextChoices):
        CODE_OF_CONDUCT = "code_of_conduct", _("code of conduct work")
        ENVIRONMENT = "environment", _("environment area")
        STRENGTHENING = "strengthening", _("strengthened secretariat (Programme 2030)")

    decision = models.ForeignKey(
        FeeDecision, on_delete=models.CASCADE, related_name="components", verbose_name=_("decision")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    ore = models.PositiveIntegerField(_("öre per inhabitant"))
    since_year = models.PositiveSmallIntegerField(_("part of the fee since"))

    class Meta:
        ordering = ["decision__from_year", "since_year", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "purpose"], name="funding_feecomponent_one_per_purpose"
            ),
            models.CheckConstraint(condition=Q(ore__gt=0), name="funding_feecomponent_positive"),
        ]
        verbose_name = _("fee component")
        verbose_name_plural = _("fee components")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.ore} öre"


class RegionDecision(PublicModel):
    """A region's own decision on the programme and its fee."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="fee_decisions", verbose_name=_("region")
    )
    reference = models.CharField(_("reference number"), max_length=100)
    decided_on = models.DateField(_("date"))
    decision_body = models.CharField(_("decided by"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    approves_programme = models.BooleanField(
        _("approves the Programme declaration 2030 and strategy 2023–2025"), default=False
    )
    annual_amount_sek = models.PositiveIntegerField(_("annual amount (SEK)"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["region__county_code", "-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference"], name="funding_regiondecision_unique_reference"
            )
        ]
        verbose_name = _("region decision")
        verbose_name_plural = _("region decisions")

    def __str__(self) -> str:
        return f"{self.region}: {self.reference}"


class InvoiceChoice(PublicModel):
    """Which amount the secretariat invoices a region for a year, when the secretariat chose.

    Without a choice the amount by the rule is invoiced.
    """

    class Basis(models.TextChoices):
        RULE = "rule", _("the amount by the rule")
        DECIDED = "decided", _("the amount the region decided")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="invoice_choices", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(_("amount invoiced"), max_length=10, choices=Basis.choices)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["year", "region__county_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="funding_invoicechoice_one_per_region_year"
            )
        ]
        verbose_name = _("invoiced amount")
        verbose_name_plural = _("invoiced amounts")

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.get_basis_display()}"


class BudgetLine(PublicModel):
    """A post or an activity in the secretariat's budget for a year."""

    class Kind(models.TextChoices):
        POST = "post", _("post")
        ACTIVITY = "activity", _("activity")

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount_sek = models.PositiveIntegerField(_("amount (SEK)"))

    class Meta:
        ordering = ["year", "kind", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "description"], name="funding_budgetline_unique"
            )
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.year} {self.description}"
