"""The data reporting keeps of its own. Everything else in reporting only reads other apps.

Strategy goals (issue 14): the cooperation's strategy documents (a programme declaration, a
strategy, a strategic plan), each valid for a span of years, with goals; a goal's progress is
measured by indicators, each of which is one of the figures defined in `figures.DEFINITIONS`
(chosen by key, validated against the definitions), with a target value per year of the period.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel
from hallbar.reporting.figures import DEFINITIONS

FIRST_YEAR, LAST_YEAR = 2000, 2100


def english() -> bool:
    return (get_language() or "sv").startswith("en")


def _year_field(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )


# --- strategy goals (helper "goals") ---------------------------------------------------------


class StrategyPeriod(PublicModel):
    """One strategy document and the years it covers."""

    class Kind(models.TextChoices):
        PROGRAMME_DECLARATION = "programme_declaration", _("programme declaration")
        STRATEGY = "strategy", _("strategy")
        STRATEGIC_PLAN = "strategic_plan", _("strategic plan")

    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    start_year = _year_field(_("first year"))
    end_year = _year_field(_("last year"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by_sv = models.CharField(
        _("adopted by (Swedish)"),
        max_length=200,
        blank=True,
        help_text=_("For example the steering group."),
    )
    adopted_by_en = models.CharField(_("adopted by (English)"), max_length=200, blank=True)
    vision_sv = models.TextField(_("vision or mission (Swedish)"), blank=True)
    vision_en = models.TextField(_("vision or mission (English)"), blank=True)

    class Meta:
        ordering = ["-start_year", "-end_year", "name_sv"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="reporting_strategyperiod_years_in_order",
            ),
        ]
        verbose_name = _("strategy period")
        verbose_name_plural = _("strategy periods")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english() else self.name_sv

    @property
    def vision(self) -> str:
        return self.vision_en if english() else self.vision_sv

    @property
    def adopted_by(self) -> str:
        return (self.adopted_by_en if english() else self.adopted_by_sv) or self.adopted_by_sv

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def clean(self) -> None:
        if (
            self.start_year is not None
            and self.end_year is not None
            and self.end_year < self.start_year
        ):
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})
        if self.pk and self.start_year is not None and self.end_year is not None:
            outside = (
                IndicatorTarget.objects.filter(indicator__goal__period=self)
                .exclude(year__gte=self.start_year, year__lte=self.end_year)
                .values_list("year", flat=True)
                .distinct()
            )
            if outside:
                raise ValidationError(
                    _(
                        "Targets are set for years outside these years (%(years)s): "
                        "remove them first."
                    )
                    % {"years": ", ".join(str(y) for y in sorted(outside))}
                )


class Goal(PublicModel):
    """A goal of a strategy period, optionally under one of its strategic areas."""

    period = models.ForeignKey(
        StrategyPeriod, on_delete=models.CASCADE, related_name="goals", verbose_name=_("period")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_sv = models.CharField(_("title (Swedish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    area_sv = models.CharField(_("strategic area (Swedish)"), max_length=200, blank=True)
    area_en = models.CharField(_("strategic area (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["period", "position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if english() else self.title_sv

    @property
    def description(self) -> str:
        return self.description_en if english() else self.description_sv

    @property
    def area(self) -> str:
        return self.area_en if english() else self.area_sv


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


def figure_label(key: str) -> str:
    """Return the figure's label in the active language, or a note that it is no longer defined
    ("–" for no figure at all)."""
    if not key:
        return "–"
    definition = DEFINITIONS.get(key)
    if definition is None:
        return str(_("a figure that is no longer defined"))
    return str(definition.label)


class Indicator(PublicModel):
    """How a goal is measured: one of the year's figures, and which way is better."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    figure_key = models.CharField(_("figure"), max_length=80)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )

    class Meta:
        ordering = ["goal", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return figure_label(self.figure_key)

    @property
    def is_defined(self) -> bool:
        return self.figure_key in DEFINITIONS

    @property
    def definition(self) -> str:
        definition = DEFINITIONS.get(self.figure_key)
        return str(definition.definition) if definition else ""

    def clean(self) -> None:
        if self.figure_key and self.figure_key not in DEFINITIONS:
            raise ValidationError({"figure_key": _("Choose one of the defined figures.")})


class IndicatorTarget(PublicModel):
    """The value an indicator should reach in one year of its goal's period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = _year_field(_("year"))
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="reporting_indicatortarget_one_per_year"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    def clean(self) -> None:
        if self.indicator_id is None or self.year is None:
            return
        period = self.indicator.goal.period
        if not period.covers(self.year):
            raise ValidationError(
                {
                    "year": _("The year must be within the period (%(start)s–%(end)s).")
                    % {"start": period.start_year, "end": period.end_year}
                }
            )


# --- end of strategy goals -------------------------------------------------------------------


# --- digest ---


class DigestDelivery(models.Model):
    """The monthly digest of one period sent to one person: written in the transaction that sends
    the mail, so that however often the job runs (or two workers run it) each person gets one
    digest per period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        verbose_name=_("user"),
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"], name="reporting_digestdelivery_unique_period"
            )
        ]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")

    def __str__(self) -> str:
        return f"{self.period} {self.user}"
