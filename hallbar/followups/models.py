"""Coordinated follow-up (uppföljning) of suppliers: cases, self-assessments, audits, deviations,
action plans, sanctions, zero-tolerance reports and grievances.

One case, led by one region, serves every region with an active contract with the supplier.
The services in services.py make every change; the access gates in access.py decide who sees what.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hallbar.core.bilingual import Missing, current_language
from hallbar.core.deferred import render
from hallbar.core.models import PublicModel
from hallbar.followups.states import State
from hallbar.requirements.models import ClauseLevel, SustainabilityArea


class FollowUpType(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("self-assessment")
    OFFICE_AUDIT = "office_audit", _("office audit")
    FACTORY_AUDIT = "factory_audit", _("factory audit")
    DIALOGUE = "dialogue", _("dialogue")
    TRACEABILITY = "traceability", _("traceability")


class FollowUp(PublicModel):
    """A follow-up case of one supplier, led by one region (and its procurement area)."""

    # Set per viewer by followups.selectors (list, light) and followups.api (one case).
    light: str
    participating_region_codes: list[str]
    action_plan_status: str | None
    deviations_seen: list[dict[str, Any]]
    events_seen: list[dict[str, Any]]
    overdue: list[str]  # the deadlines that have passed, in words (selectors.with_overdue)

    reference = models.CharField(_("case number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("supplier"),
    )
    followup_type = models.CharField(
        _("type"), max_length=20, choices=FollowUpType.choices, default="self_assessment"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PLANNED, db_index=True
    )
    lead_region = models.ForeignKey(
        "organisations.Region",
        on_delete=models.PROTECT,
        related_name="led_followups",
        verbose_name=_("lead region"),
    )
    lead_area = models.ForeignKey(
        "organisations.ProcurementArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("lead area"),
    )
    category = models.ForeignKey(
        "categories.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("category"),
    )
    clause = models.ForeignKey(
        "requirements.ContractClause",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("contract clause version"),
    )
    clause_level = models.CharField(
        _("clause level"), max_length=10, choices=ClauseLevel.choices, default="basic"
    )
    contracts = models.ManyToManyField(
        "contracts.Contract", blank=True, related_name="followups", verbose_name=_("contracts")
    )
    sites = models.ManyToManyField(
        "suppliers.ProductionSite",
        blank=True,
        related_name="followups",
        verbose_name=_("production sites in scope"),
    )
    questionnaire = models.ForeignKey(
        "Questionnaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("questionnaire"),
    )
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cost_sek = models.PositiveIntegerField(_("cost (SEK)"), default=0)
    contact_email = models.EmailField(_("due-diligence contact's email"), blank=True)
    summary = models.TextField(_("published summary"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-reference"]
        indexes = [models.Index(fields=["supplier", "status"], name="followups_supplier_status")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.reference} {self.supplier}"

    @property
    def is_open(self) -> bool:
        return self.status not in {State.CLOSED, State.CANCELLED}


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        STATUS = "status", _("status changed")
        SENT = "sent", _("self-assessment sent")
        ANSWER_SAVED = "answer_saved", _("answers saved")
        SUBMITTED = "submitted", _("self-assessment submitted")
        RETURNED = "returned", _("returned for completion")
        ASSESSED = "assessed", _("assessed")
        AUDIT = "audit", _("audit")
        DEVIATION = "deviation", _("deviation recorded")
        ACTION_PLAN = "action_plan", _("action plan")
        ACTION = "action", pgettext_lazy("case event", "action")
        SANCTION = "sanction", _("sanction")
        REMINDER = "reminder", _("reminder sent")
        OVERDUE = "overdue", _("deadline passed")
        PUBLISHED = "published", _("summary published")
        REPORT = "report", _("report triaged")
        REMEDY = "remedy", _("remedy")
        NOTE = "note", _("note")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=State.choices, blank=True)
    message = models.TextField(_("what"), blank=True)
    # A generated message (msgid and parameters, core.deferred), read in each reader's language;
    # message then holds it as written, in the writer's language (search, older readers).
    text = models.JSONField(default=dict, blank=True)
    # Internal events (a confidential deviation, an auditor's notes) are for the lead only.
    confidential = models.BooleanField(default=False)
    visible_to_supplier = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def shown_message(self) -> str:
        """Return the message in the reader's language (a person's own words as written)."""
        return render(self.text) if self.text else self.message


# --- self-assessments ----------------------------------------------------------------------


class Questionnaire(PublicModel):
    """A version of the self-assessment questionnaire for one clause version and level."""

    clause = models.ForeignKey(
        "requirements.ContractClause",
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("contract clause version"),
    )
    level = models.CharField(_("level"), max_length=10, choices=ClauseLevel.choices)
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["clause", "level", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "level", "version"], name="followups_questionnaire_unique_version"
            )
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes/no")
        TEXT = "text", _("text")
        NUMBER = "number", _("number")
        CHOICE = "choice", _("choice")
        FILE = "file", _("file")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    requirement = models.ForeignKey(
        "requirements.ProcessRequirement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("process requirement"),
    )
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question in English"), blank=True)
    help_text = models.TextField(_("guidance"), blank=True)
    help_text_en = models.TextField(_("guidance in English"), blank=True)
    kind = models.CharField(_("answer type"), max_length=10, choices=Kind.choices)
    # The Swedish labels are the stored answers; the English ones, in the same order, are shown.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    choices_en = models.JSONField(_("choices in English"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="followups_question_unique_position"
            )
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    def shown_choices(self) -> list[tuple[str, object]]:
        """Return (stored value, label in the reader's language) for each choice."""
        if current_language() == "sv":
            return [(value, value) for value in self.choices]
        labels = list(self.choices_en)
        return [
            (value, labels[index] if index < len(labels) and labels[index] else Missing("en"))
            for index, value in enumerate(self.choices)
        ]

    def answer_label(self, value: str) -> object:
        """Return a stored choice answer as the reader reads it."""
        return dict(self.shown_choices()).get(value, value)


class Response(PublicModel):
    """The supplier's answers to the case's questionnaire (draft until submitted)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for completion")

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="response")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="draft")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("what to complete"), blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.followup.reference}: {self.get_status_display()}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="followups_answer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return self.value[:60]


class Document(PublicModel):
    """An uploaded file (evidence, audit report): stored outside the web root, served by a view."""

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", _("evidence")
        AUDIT_REPORT = "audit_report", _("audit report")
        ACTION_EVIDENCE = "action_evidence", _("evidence of an action")
        REPORT = "report", _("report attachment")

    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    action = models.ForeignKey(
        "Action", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    report = models.ForeignKey(
        "Report", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    # An audit report belongs to the audit it reports on: only that audit's auditor and the
    # lead see it, never the auditor of another audit of the same case.
    audit = models.ForeignKey(
        "Audit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_documents",
        verbose_name=_("audit"),
    )
    filename = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.filename


class Assessment(models.Model):
    """The reviewer's verdict on one process requirement of the case."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("approved")
        GAP = "gap", _("gap to complete")
        DEVIATION = "deviation", _("deviation")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="assessments")
    requirement = models.ForeignKey(
        "requirements.ProcessRequirement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("process requirement"),
    )
    verdict = models.CharField(_("assessment"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["followup", "requirement__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "requirement"], name="followups_assessment_unique_requirement"
            )
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.requirement}: {self.get_verdict_display()}"


# --- audits --------------------------------------------------------------------------------


class Audit(PublicModel):
    """An office or factory audit (revision) by a third-party audit firm."""

    # Set per viewer by followups.selectors.audits_for: whether the viewer may open it.
    may_open: bool

    class Kind(models.TextChoices):
        OFFICE = "office", _("office audit")
        FACTORY = "factory", _("factory audit")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        PERFORMED = "performed", _("performed")
        REPORTED = "reported", _("reported")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="audits")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default="assigned"
    )
    firm = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("audit firm"),
        limit_choices_to={"kind": "audit_firm"},
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("auditor"),
    )
    sites = models.ManyToManyField(
        "suppliers.ProductionSite", blank=True, related_name="audits", verbose_name=_("sites")
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    performed_date = models.DateField(_("performed"), null=True, blank=True)
    documents_reviewed = models.TextField(_("documents reviewed"), blank=True)
    interviews = models.TextField(
        _("interviews (confidential)"),
        blank=True,
        help_text=_("Notes from worker and management interviews. Never shared or published."),
    )
    report = models.TextField(_("audit report (confidential)"), blank=True)
    cost_sek = models.PositiveIntegerField(_("cost (SEK)"), default=0)

    class Meta:
        ordering = ["followup", "created_at"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")

    def __str__(self) -> str:
        return f"{self.followup.reference}: {self.get_kind_display()}"


# --- deviations, action plans, sanctions ----------------------------------------------------


class Deviation(PublicModel):
    """A breach of a process requirement or of a Code of Conduct commitment."""

    # Set per viewer by followups.selectors.deviations_for, from the rules in access.py.
    light: str
    shown_description: str
    shown_label: str
    shown_commitment: str
    withheld_from_supplier: bool
    shown_site_name: str
    remedies_seen: list["Remedy"]
    shows_supplier_wording: bool
    actions_seen: list["Action"]  # each with shown_verification
    # Set by the portal's case page: the blank rows for new actions.
    new_rows: range

    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")
        CRITICAL = "critical", _("critical")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PLANNED = "planned", _("action plan submitted")
        REMEDIED = "remedied", _("remedied (closed out)")
        NOT_REMEDIED = "not_remedied", _("not remedied")

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", _("self-assessment")
        AUDIT = "audit", _("audit")
        REPORT = "report", _("zero-tolerance report")
        GRIEVANCE = "grievance", _("grievance")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="deviations")
    number = models.PositiveSmallIntegerField(_("number"))
    requirement = models.ForeignKey(
        "requirements.ProcessRequirement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("process requirement"),
    )
    commitment = models.CharField(
        _("commitment breached"),
        max_length=300,
        blank=True,
        help_text=_("The Code of Conduct commitment, when no process requirement applies."),
    )
    area = models.CharField(_("area"), max_length=30, choices=SustainabilityArea.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    zero_tolerance = models.BooleanField(
        _("zero tolerance"),
        default=False,
        help_text=_(
            "A zero-tolerance deviation has a short reporting deadline and flags the supplier's "
            "contracts for immediate termination, for the buyer's decision."
        ),
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the lead region, the secretariat and the assigned auditor see it."),
    )
    description = models.TextField(_("description"))
    supplier_description = models.TextField(
        _("description for the supplier"),
        blank=True,
        help_text=_(
            "What the supplier reads of a confidential deviation or of one found through a "
            "grievance: what it must remedy, without the source text or who reported it."
        ),
    )
    source = models.CharField(_("found through"), max_length=20, choices=Source.choices)
    audit = models.ForeignKey(
        Audit, null=True, blank=True, on_delete=models.SET_NULL, related_name="deviations"
    )
    site = models.ForeignKey(
        "suppliers.ProductionSite",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deviations",
        verbose_name=_("site"),
    )
    found_on = models.DateField(_("found on"))
    report_due = models.DateField(
        _("report due"), null=True, blank=True, help_text=_("Zero tolerance: the reporting duty.")
    )
    plan_due = models.DateField(_("action plan due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    closed_out_on = models.DateField(_("closed out (släckt)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["followup", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "number"], name="followups_deviation_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(requirement__isnull=False) | ~Q(commitment=""),
                name="followups_deviation_breach_named",
            ),
        ]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")

    def __str__(self) -> str:
        return f"{self.followup.reference}-{self.number}"

    @property
    def label(self) -> str:
        return str(self.requirement.code) if self.requirement is not None else self.commitment[:60]

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.PLANNED}

    @property
    def requirement_field(self) -> str:
        """The field of the process requirement's text at the case's clause level."""
        return (
            "advanced_text" if self.followup.clause_level == ClauseLevel.ADVANCED else "basic_text"
        )


class ActionPlan(PublicModel):
    """The supplier's corrective action plan (åtgärdsplan) for the case's deviations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not enough: to be revised")

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="action_plan")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="draft")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.followup.reference}: {self.get_status_display()}"


class Action(PublicModel):
    """One corrective action for one deviation: owner, deadline, evidence, verification."""

    # Set per viewer by followups.selectors.deviations_for (access.action_verification_for).
    shown_verification: str

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("reported done")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("not enough")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=200)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    done_on = models.DateField(_("reported done on"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.TextField(_("verification"), blank=True)

    class Meta:
        ordering = ["deviation__number", "deadline", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description[:60]


class Remedy(PublicModel):
    """Remedy delivered to the people a deviation harmed: what, for how many, any amount repaid.

    The lead records it (verified when recorded with how and by whom it was verified), or the
    supplier reports it in the portal and the lead verifies or rejects it. Only verified remedy
    counts in dashboards and the annual report.
    """

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported by the supplier")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("not verified")

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="remedies")
    description = models.TextField(_("remedy delivered"))
    people_reached = models.PositiveIntegerField(
        _("people reached"),
        default=0,
        help_text=_("How many workers or other people received the remedy."),
    )
    amount_repaid_sek = models.DecimalField(
        _("amount repaid (SEK)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("For example recruitment fees repaid to workers; 0 when nothing was repaid."),
    )
    delivered_on = models.DateField(_("delivered on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.TextField(
        _("verification"), blank=True, help_text=_("How the remedy was verified, and by whom.")
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(
        _("why it was not verified"),
        blank=True,
        help_text=_("The lead's reason, shown to the supplier."),
    )

    # Set per viewer by followups.selectors.deviations_for, from the rules in access.py.
    shown_verification: str

    class Meta:
        ordering = ["deviation", "delivered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (~Q(verification="") & Q(verified_on__isnull=False)),
                name="followups_remedy_verified_says_how",
            ),
        ]
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")

    def __str__(self) -> str:
        return f"{self.deviation}: {self.description[:50]}"


class Sanction(PublicModel):
    """A sanction under the clause: liquidated damages (vite), call-off stop, termination."""

    class Kind(models.TextChoices):
        VITE = "vite", _("liquidated damages (vite)")
        CALL_OFF_STOP = "call_off_stop", _("call-off stop")
        TERMINATION = "termination", _("termination")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="sanctions")
    deviation = models.ForeignKey(
        Deviation, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sanctions",
        verbose_name=_("contract"),
    )
    kind = models.CharField(_("sanction"), max_length=20, choices=Kind.choices)
    weeks = models.PositiveSmallIntegerField(_("started weeks"), null=True, blank=True)
    amount_sek = models.DecimalField(
        _("amount (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["followup", "decided_on", "pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.followup.reference}: {self.get_kind_display()}"


# --- reports, grievances, reminders ----------------------------------------------------------


class Report(PublicModel):
    """A zero-tolerance report from a supplier, or a grievance received under PR6."""

    class Kind(models.TextChoices):
        ZERO_TOLERANCE = "zero_tolerance", _("zero-tolerance report")
        GRIEVANCE = "grievance", _("grievance")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGED = "triaged", _("triaged into a case")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("supplier"),
    )
    zero_tolerance_item = models.ForeignKey(
        "requirements.ZeroToleranceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zero-tolerance deviation"),
    )
    area = models.CharField(
        _("area"), max_length=30, choices=SustainabilityArea.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    known_on = models.DateField(_("known to the supplier on"))
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("received through"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="new")
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.supplier}"


class Reminder(models.Model):
    """A reminder or escalation email that has been sent: the unique key makes it once only."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    due_date = models.DateField()
    recipients = models.JSONField(default=list)
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "due_date"], name="followups_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.due_date}"
