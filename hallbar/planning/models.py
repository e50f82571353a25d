"""The annual follow-up plan (uppföljningsplan): a proposal by the planner that people change,
the steering group approves, and that becomes the year's follow-up cases.

Follow-ups recorded from other organisations (e.g. Adda) count towards the reuse rule.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hallbar.core.models import PublicModel
from hallbar.followups.models import FollowUpType
from hallbar.requirements.models import ClauseLevel


class FollowUpPlan(PublicModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("plan status", "proposed")
        APPROVED = "approved", pgettext_lazy("plan status", "approved")
        PUBLISHED = "published", pgettext_lazy("plan status", "published")

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default="proposed"
    )
    budget_sek = models.PositiveBigIntegerField(_("budget (SEK)"))
    rel_tol = models.FloatField(_("relative tolerance of lead shares"), default=0.10)
    abs_tol = models.FloatField(_("absolute tolerance of lead shares (follow-ups)"), default=2.0)
    area_capacity = models.JSONField(_("capacity per area"), default=dict, blank=True)
    types = models.JSONField(_("types, costs and coverage"), default=list)
    mode = models.CharField(_("mode"), max_length=20, default="optimal")
    screening_run = models.ForeignKey(
        "risk.ScreeningRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
        verbose_name=_("screening run"),
    )
    result = models.JSONField(_("the planner's result"), default=dict)
    proposal = models.JSONField(_("the original proposal"), default=list)
    reused = models.JSONField(_("follow-ups reused"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"


class PlanItem(models.Model):
    """One planned follow-up of the plan."""

    class Origin(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the planner")
        CHANGED = "changed", _("changed by hand")
        ADDED = "added", _("added by hand")

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="items")
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    followup_type = models.CharField(_("type"), max_length=20, choices=FollowUpType.choices)
    lead_region = models.ForeignKey(
        "organisations.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead region"),
    )
    lead_area = models.ForeignKey(
        "organisations.ProcurementArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead area"),
    )
    category = models.ForeignKey(
        "categories.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("category"),
    )
    participating = models.JSONField(_("participating regions"), default=list)
    cost_sek = models.PositiveIntegerField(_("cost (SEK)"))
    exposure = models.FloatField(_("risk exposure"))
    covered = models.FloatField(_("exposure covered"))
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default="proposed"
    )
    followup = models.OneToOneField(
        "followups.FollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_item",
        verbose_name=_("case"),
    )

    class Meta:
        ordering = ["-covered", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "supplier"], name="planning_planitem_unique")
        ]
        verbose_name = _("planned follow-up")
        verbose_name_plural = _("planned follow-ups")

    def __str__(self) -> str:
        return f"{self.supplier} – {self.get_followup_type_display()}"


class ExternalFollowUp(PublicModel):
    """A follow-up made by another organisation (e.g. Adda), recorded so that it can be reused."""

    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="external_followups",
        verbose_name=_("supplier"),
    )
    organisation = models.CharField(_("made by"), max_length=200)
    followup_type = models.CharField(_("method"), max_length=20, choices=FollowUpType.choices)
    clause_level = models.CharField(_("clause level"), max_length=10, choices=ClauseLevel.choices)
    performed_on = models.DateField(_("performed on"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-performed_on"]
        verbose_name = _("follow-up by another organisation")
        verbose_name_plural = _("follow-ups by other organisations")

    def __str__(self) -> str:
        return f"{self.supplier}: {self.organisation} {self.performed_on}"
