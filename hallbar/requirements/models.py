"""Purchasing categories; the requirement library (code, clause, criteria) builds on them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel


class Category(PublicModel):
    """A purchasing category (inköpskategori) as the cooperation names it."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


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
                fields=["category", "first_year"], name="requirements_prioritisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="requirements_prioritisation_year_order",
            ),
        ]
        verbose_name = _("prioritisation")
        verbose_name_plural = _("prioritisations")

    def __str__(self) -> str:
        return f"{self.category} {self.first_year}–{self.last_year}"
