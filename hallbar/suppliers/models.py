"""One supplier registry for all 21 regions: suppliers, their names, sites, reviews and merges."""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hallbar.core.countries import country_name as _country_name
from hallbar.core.models import PublicModel
from hallbar.organisations.models import Organisation, Region


def validate_country(value: str) -> None:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 country code (e.g. SE, DE, CN)."),
            params={"value": value},
        )


def country_name(code: str) -> str:
    """Return the country's name in the active language (see core.countries)."""
    return _country_name(code)


def country_code(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code (alpha-2/alpha-3) or an English name."""
    value = value.strip()
    if not value:
        return None
    found = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if found is None and len(value) == 3:
        found = pycountry.countries.get(alpha_3=value.upper())
    if found is None:
        try:
            found = pycountry.countries.lookup(value)
        except LookupError:
            return None
    return found.alpha_2


class SupplierQuerySet(models.QuerySet["Supplier"]):
    def current(self) -> "SupplierQuerySet":
        """Return the suppliers that have not been merged into another."""
        return self.filter(merged_into__isnull=True)


class Supplier(PublicModel):
    """A company that sells to the regions, known once however each region spells it."""

    # Set per viewer by the followups portal: the supplier's light.
    light: str

    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    org_number = models.CharField(
        _("organisation number"),
        max_length=10,
        blank=True,
        help_text=_("Swedish organisation number, 10 digits."),
    )
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    other_id = models.CharField(
        _("other identifier"),
        max_length=60,
        blank=True,
        help_text=_("A non-Swedish company identifier, kept as given."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    dd_contact_name = models.CharField(_("due-diligence contact"), max_length=200, blank=True)
    dd_contact_email = models.EmailField(_("due-diligence contact's email"), blank=True)
    dd_contact_phone = models.CharField(
        _("due-diligence contact's phone"), max_length=40, blank=True
    )
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplier",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
        verbose_name=_("company account"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_suppliers",
        verbose_name=_("merged into"),
    )
    normalised_name = models.CharField(max_length=300, db_index=True, editable=False)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=Q(merged_into__isnull=True) & ~Q(org_number=""),
                name="suppliers_supplier_unique_org_number",
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=Q(merged_into__isnull=True) & ~Q(vat_number=""),
                name="suppliers_supplier_unique_vat_number",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "normalised_name"], name="suppliers_country_name_idx")
        ]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def identifier(self) -> str:
        """Return the identifier people know the supplier by: org number, VAT or other."""
        if self.org_number:
            return f"{self.org_number[:6]}-{self.org_number[6:]}"
        return self.vat_number or self.other_id


class SupplierName(models.Model):
    """A name under which a region (or an import) knows the supplier."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="names", verbose_name=_("supplier")
    )
    name = models.CharField(_("name"), max_length=300)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "name", "region"], name="suppliers_suppliername_unique"
            ),
            # NULLs are distinct in a unique index: without this, every import of the same
            # file (which records names without a region) added the same name again.
            models.UniqueConstraint(
                fields=["supplier", "name"],
                condition=models.Q(region__isnull=True),
                name="suppliers_suppliername_unique_without_region",
            ),
        ]
        verbose_name = _("supplier name")
        verbose_name_plural = _("supplier names")

    def __str__(self) -> str:
        return self.name


class ProductionSite(PublicModel):
    """A production unit along the supplier's chain (tier 1 = the supplier's own or direct)."""

    # Set per viewer by the selectors that list sites: "" where the name is confidential.
    shown_name: str
    name_visible: bool
    shown_city: str
    shown_osh_id: str

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="sites", verbose_name=_("supplier")
    )
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    city = models.CharField(_("city"), max_length=120, blank=True)
    products = models.CharField(_("products"), max_length=300, blank=True)
    tier = models.PositiveSmallIntegerField(_("tier"), default=1)
    osh_id = models.CharField(_("Open Supply Hub id"), max_length=40, blank=True)

    class Meta:
        ordering = ["tier", "country", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__gte=1), name="suppliers_site_tier_positive")
        ]
        verbose_name = _("production site")
        verbose_name_plural = _("production sites")

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class MatchReview(PublicModel):
    """An uncertain match between two suppliers for a person to judge: same company or not."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("same company: merged")
        DISTINCT = "distinct", _("different companies")

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("supplier")
    )
    candidate = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="+", verbose_name=_("possible match")
    )
    score = models.FloatField(_("score"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "candidate"], name="suppliers_matchreview_unique_pair"
            )
        ]
        verbose_name = _("match review")
        verbose_name_plural = _("match reviews")

    def __str__(self) -> str:
        return f"{self.supplier} ~ {self.candidate} ({self.score:.0f})"


class SupplierMerge(PublicModel):
    """A merge of one supplier into another, with what was moved so that it can be undone."""

    survivor = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="merges_in", verbose_name=_("kept")
    )
    merged = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="merges_out", verbose_name=_("merged")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("supplier merge")
        verbose_name_plural = _("supplier merges")

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"


class UnmatchedSpend(PublicModel):
    """A region's spend of a year on invoice lines that no supplier, or several, fit.

    One row per (region, year, identifier, name) as the invoices have them, with the amount and
    the number of lines at stake; ``candidates`` holds the ids of the suppliers an ambiguous
    line could be. A person resolves a row by naming the supplier: the resolution is kept (the
    resolved row itself, and the name as the region's spelling) and the next screening matches
    these lines to that supplier.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("to resolve")
        RESOLVED = "resolved", _("resolved")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    identifier = models.CharField(_("identifier on the invoice"), max_length=100, blank=True)
    name = models.CharField(_("name on the invoice"), max_length=300, blank=True)
    spend_sek = models.DecimalField(_("spend (SEK)"), max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField(_("invoice lines"))
    candidates = models.JSONField(_("possible suppliers"), default=list, blank=True)
    ambiguous = models.BooleanField(_("could be several suppliers"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supplier"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-spend_sek", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "identifier", "name"],
                condition=Q(status="open"),
                name="suppliers_unmatchedspend_unique_open",
            )
        ]
        indexes = [
            models.Index(fields=["status", "region", "year"], name="suppliers_unmatched_idx")
        ]
        verbose_name = _("unmatched spend")
        verbose_name_plural = _("unmatched spend")

    def __str__(self) -> str:
        return f"{self.name or self.identifier} ({self.region_id}, {self.year})"
