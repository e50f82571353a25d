"""Contracts (avtal) of the regions: who buys what from whom, under which clause."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category, CpvCode
from hallbar.core.models import PublicModel
from hallbar.organisations.models import Region
from hallbar.requirements.models import ClauseLevel
from hallbar.suppliers.models import Supplier, country_name, validate_country


def validate_countries(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give the countries as a list."))
    for code in value:
        validate_country(code)


class Contract(PublicModel):
    """A contract of one region, or of several regions in a joint procurement."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")
        CANCELLED = "cancelled", _("cancelled")

    reference = models.CharField(
        _("contract reference"),
        max_length=100,
        help_text=_("The lead region's own contract number."),
    )
    title = models.CharField(_("title"), max_length=300)
    lead_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="led_contracts",
        verbose_name=_("lead region"),
    )
    regions = models.ManyToManyField(
        Region, related_name="contracts", verbose_name=_("buying regions")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("supplier")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("category")
    )
    cpv = models.ForeignKey(
        CpvCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("CPV code"),
    )
    annual_value_sek = models.DecimalField(
        _("annual value (SEK)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    clause = models.ForeignKey(
        "requirements.ContractClause",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("contract clause version"),
    )
    clause_level = models.CharField(
        _("clause level"), max_length=10, choices=ClauseLevel.choices, blank=True
    )
    needs_assessment = models.TextField(
        _("needs assessment"),
        blank=True,
        help_text=_(
            "Required when the category is not prioritised: why sustainability "
            "requirements are or are not needed in this contract."
        ),
    )
    dd_contact_name = models.CharField(_("due-diligence contact"), max_length=200, blank=True)
    dd_contact_email = models.EmailField(_("due-diligence contact's email"), blank=True)
    production_countries = models.JSONField(
        _("countries of production"), default=list, blank=True, validators=[validate_countries]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead_region", "reference"], name="contracts_contract_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contracts_contract_period_order",
            ),
            models.CheckConstraint(
                condition=Q(annual_value_sek__gte=0), name="contracts_contract_value_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"], name="contracts_status_category_idx"),
            # The list's default sort (newest start first, then id) reads this index in order.
            models.Index(fields=["-start_date", "id"], name="contracts_start_id_idx"),
            # The start page's active contracts ending within six months, in end-date order.
            models.Index(fields=["status", "end_date"], name="contracts_status_end_idx"),
        ]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_joint(self) -> bool:
        return self.regions.count() > 1

    @property
    def production_country_names(self) -> list[str]:
        return [country_name(code) for code in self.production_countries]
