"""Purchasing categories (inköpskategorier), their CPV codes and prioritisation periods."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


class CpvCode(models.Model):
    """A code of the EU Common Procurement Vocabulary (CPV 2008), with Swedish and English labels."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    check_digit = models.CharField(_("check digit"), max_length=1)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    label_sv = models.CharField(_("label (Swedish)"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self) -> str:
        return f"{self.full_code} {self.label}"

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    @property
    def label(self) -> str:
        return self.label_en if _english() else self.label_sv


class Category(PublicModel):
    """A purchasing category as the cooperation names it, with the CPV codes it covers."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cpv_codes = models.ManyToManyField(
        CpvCode, blank=True, related_name="categories", verbose_name=_("CPV codes")
    )

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_sv


class CategoryPrioritisation(models.Model):
    """A period (e.g. 2023–2025) during which the category is prioritised nationally."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="prioritisations",
        verbose_name=_("category"),
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["category__name_sv", "first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "first_year"], name="categories_prioritisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="categories_prioritisation_year_order",
            ),
        ]
        verbose_name = _("prioritisation")
        verbose_name_plural = _("prioritisations")

    def __str__(self) -> str:
        return f"{self.category} {self.first_year}–{self.last_year}"
