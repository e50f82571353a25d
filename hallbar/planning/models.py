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
    minimum_audits = models.JSONField(_("minimum audits per type"), default=dict, blank=True)
    critical_share = models.FloatField(
        _("share of the budget for critical suppliers' office audits"), default=0.25
    )
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
    approval_note = models.TextField(_("decision note"), blank=True)
    # Approving a plan that costs more than its budget needs the steering group's decision.
    over_budget_decision = models.TextField(_("steering group decision on the budget"), blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_reference = models.CharField(
        _("reference of the decision"), max_length=200, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"


class PlanItem(models.Model):
    """One planned follow-up of the plan."""

    # Set by the plan page: why the item is in the plan, and a duty waiver's reason.
    why: str
    waiver: str

    class Origin(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the planner")
        CHANGED = "changed", _("changed by hand")
        ADDED = "added", _("added by hand")

    class Reason(models.TextChoices):
        DUTY_ZERO_TOLERANCE = "duty_zero_tolerance", _("duty: zero-tolerance signal")
        DUTY_DEVIATIONS = "duty_deviations", _("duty: open deviations")
        CRITICAL = "critical", _("critical risk")
        MINIMUM = "minimum", _("minimum number of audits in the strategy")
        BEST_VALUE = "best_value", _("most risk found and remedied for the money")
        BY_HAND = "by_hand", _("added by hand")

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
    reason = models.CharField(
        _("why it is in the plan"), max_length=30, choices=Reason.choices, default="best_value"
    )
    # What the reason rests on: case numbers of the open deviations or signals, the supplier's
    # known detection share and risk weight (to value a changed type), the waiver if any.
    basis = models.JSONField(_("basis of the reason"), default=dict, blank=True)
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

    @property
    def is_duty(self) -> bool:
        return self.reason in {self.Reason.DUTY_ZERO_TOLERANCE, self.Reason.DUTY_DEVIATIONS}


class DutyWaiver(PublicModel):
    """The secretariat's reason why a supplier does not get the escalation its open deviations
    or zero-tolerance signal call for, in one year's plan."""

    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="duty_waivers",
        verbose_name=_("supplier"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("why not"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "year"], name="planning_dutywaiver_unique_year"
            )
        ]
        verbose_name = _("waived duty")
        verbose_name_plural = _("waived duties")

    def __str__(self) -> str:
        return f"{self.supplier} {self.year}"


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
