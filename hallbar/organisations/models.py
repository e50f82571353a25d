"""Regions, procurement areas, populations, organisations, users and their roles."""

from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel


class Organisation(PublicModel):
    """A body that people act for: the secretariat, a region, an audit firm or a supplier."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("national secretariat")
        REGION = "region", _("region")
        AUDIT_FIRM = "audit_firm", _("audit firm")
        SUPPLIER = "supplier", _("supplier company")
        OTHER_BUYER = "other_buyer", _("other public buyer")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"], name="organisations_organisation_unique_name"
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One of the 21 regions (Gotland: a municipality with regional responsibilities)."""

    # Set by organisations.selectors.regions_with_latest_population: the newest figure and today's area.
    latest_population: "PopulationFigure | None"
    area: "ProcurementArea | None"

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="region",
        verbose_name=_("organisation"),
    )
    county_code = models.CharField(_("county code"), max_length=2, unique=True)
    county_name = models.CharField(_("county"), max_length=100)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    nuts3_code = models.CharField(_("NUTS 3 code"), max_length=5, blank=True)

    class Meta:
        ordering = ["county_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(county_code__regex=r"^[0-2][0-9]$"),
                name="organisations_region_county_code_format",
            )
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def public_id(self):
        return self.organisation.public_id


class PopulationFigure(models.Model):
    """The number of people registered in a region on a reference date, with its source."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="populations", verbose_name=_("region")
    )
    reference_date = models.DateField(_("reference date"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["region__county_code", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference_date"], name="organisations_population_one_per_date"
            )
        ]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")

    def __str__(self) -> str:
        return f"{self.region}: {self.population} ({self.reference_date})"


class ProcurementArea(models.Model):
    """One of the procurement areas A–H that lead follow-ups for the categories they own."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procurement area")
        verbose_name_plural = _("procurement areas")

    def __str__(self) -> str:
        return self.name


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """Return the rows in force on day."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Validity(models.Model):
    """A period during which an allocation holds; open-ended when valid_to is empty."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


class AreaMembership(Validity):
    """A region's membership of a procurement area for a period."""

    area = models.ForeignKey(
        ProcurementArea,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("area"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="area_memberships", verbose_name=_("region")
    )

    class Meta:
        ordering = ["area__code", "region__county_code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "region", "valid_from"], name="organisations_areamembership_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="organisations_areamembership_period_order",
            ),
        ]
        verbose_name = _("area membership")
        verbose_name_plural = _("area memberships")

    def __str__(self) -> str:
        return f"{self.region} ∈ {self.area}"


class AreaCategory(Validity):
    """A purchasing category owned by a procurement area for a period."""

    area = models.ForeignKey(
        ProcurementArea, on_delete=models.CASCADE, related_name="categories", verbose_name=_("area")
    )
    category = models.ForeignKey(
        "categories.Category",
        on_delete=models.CASCADE,
        related_name="ownerships",
        verbose_name=_("category"),
    )

    class Meta:
        ordering = ["area__code", "category__name_sv"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category", "valid_from"], name="organisations_areacategory_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="organisations_areacategory_period_order",
            ),
        ]
        verbose_name = _("category ownership")
        verbose_name_plural = _("category ownerships")

    def __str__(self) -> str:
        return f"{self.area}: {self.category}"


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    STEERING_GROUP = "steering_group", _("Steering group")
    AREA_COORDINATOR = "area_coordinator", _("Area coordinator")
    REGION_CONTACT = "region_contact", _("Region sustainability contact")
    BUYER = "buyer", _("Buyer / contract manager")
    AUDITOR = "auditor", _("Third-party auditor")
    SUPPLIER_CONTACT = "supplier_contact", _("Supplier contact")


# Which kind of organisation each role is held in.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.SECRETARIAT: {Organisation.Kind.SECRETARIAT},
    Role.STEERING_GROUP: {Organisation.Kind.REGION, Organisation.Kind.SECRETARIAT},
    Role.AREA_COORDINATOR: {Organisation.Kind.REGION},
    Role.REGION_CONTACT: {Organisation.Kind.REGION},
    Role.BUYER: {Organisation.Kind.REGION},
    Role.AUDITOR: {Organisation.Kind.AUDIT_FIRM},
    Role.SUPPLIER_CONTACT: {Organisation.Kind.SUPPLIER},
}
# Roles of the cooperation itself, as opposed to the outside parties it works with.
COOPERATION_ROLES = frozenset(
    {
        Role.SECRETARIAT,
        Role.STEERING_GROUP,
        Role.AREA_COORDINATOR,
        Role.REGION_CONTACT,
        Role.BUYER,
    }
)

# Who gets the monthly digest (reporting.digest): a region's sustainability contacts and buyers.
DIGEST_ROLES = (Role.REGION_CONTACT, Role.BUYER)


class Language(models.TextChoices):
    """The languages a person may read the platform and its mails in."""

    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    """A person who logs in; what they may do comes from their memberships."""

    # Blank: not chosen; pages follow the browser or the language switch, mails are in Swedish.
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("The language of your pages and of the e-mails hallbar sends you."),
    )
    # On by default: region contacts and buyers get the monthly digest unless they switch it off.
    monthly_digest = models.BooleanField(
        _("monthly digest"),
        default=True,
        help_text=_(
            "Once a month, an e-mail with what is new for the suppliers your region buys from "
            "and your region's figures."
        ),
    )

    # Not derived from AbstractUser.Meta: it holds only these two names and `abstract`.
    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def mail_language(self) -> str:
        """Return the language of the user's mails: the preferred one, else Swedish."""
        return self.language or settings.LANGUAGE_CODE

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        return list(
            self.memberships.filter(is_active=True).select_related(
                "organisation", "organisation__region", "area"
            )
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_secretariat(self) -> bool:
        return self.has_role(Role.SECRETARIAT)

    @property
    def is_cooperation_member(self) -> bool:
        """Return whether the user works in the cooperation (not only as auditor or supplier)."""
        return bool(self.roles & COOPERATION_ROLES)

    def region_ids(self, *roles: str) -> set[int]:
        """Return the ids of the regions in which the user holds any of roles (any role if none)."""
        return {
            m.organisation.region.pk
            for m in self.active_memberships
            if m.organisation.kind == Organisation.Kind.REGION and (not roles or m.role in roles)
        }

    def organisation_ids(self, *roles: str) -> set[int]:
        return {m.organisation_id for m in self.active_memberships if not roles or m.role in roles}


class Membership(PublicModel):
    """A user's role in an organisation (and, for area coordinators, the area they coordinate)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        ProcurementArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinators",
        verbose_name=_("procurement area"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="organisations_membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role="area_coordinator", area__isnull=False)
                | (~Q(role="area_coordinator") & Q(area__isnull=True)),
                name="organisations_membership_area_iff_coordinator",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def clean(self) -> None:
        kinds = ROLE_ORGANISATION_KINDS.get(self.role, set())
        if self.organisation_id and self.organisation.kind not in kinds:
            raise ValidationError(
                {"organisation": _("This role cannot be held in this kind of organisation.")}
            )
        if self.role == Role.AREA_COORDINATOR and not self.area_id:
            raise ValidationError({"area": _("An area coordinator needs a procurement area.")})
        if self.role != Role.AREA_COORDINATOR and self.area_id:
            raise ValidationError({"area": _("Only area coordinators have a procurement area.")})
