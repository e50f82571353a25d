"""The national training package: modules per audience, lessons, quizzes, certificates and
assignments (docs/DESIGN.md, "Training").

A ``Module`` is one version of a course, named across its versions by ``key``. Versions move
draft → published → superseded (as the requirement library's): only a draft is edited,
publishing a draft supersedes the published version of the same key, and a new version starts as
a copy of the published one with its lessons and questions. Completions count per key: a person
who passed version 1 has completed the module also after version 2 is published; the certificate
names the version that was passed.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel
from hallbar.organisations.models import Role


def english() -> bool:
    return (get_language() or "sv").startswith("en")


class Audience(models.TextChoices):
    """Who a module is written for. Buyers and contract managers hold the same role in the
    platform (``Role.BUYER``); they are kept apart here because their courses differ."""

    BUYER = "buyer", _("buyers")
    CONTRACT_MANAGER = "contract_manager", _("contract managers")
    REGION_CONTACT = "region_contact", _("region sustainability contacts")
    AREA_COORDINATOR = "area_coordinator", _("area coordinators")
    AUDITOR = "auditor", _("third-party auditors")
    SUPPLIER = "supplier", _("suppliers")


# The platform role whose holders a module for each audience is meant for.
AUDIENCE_ROLE = {
    Audience.BUYER: Role.BUYER,
    Audience.CONTRACT_MANAGER: Role.BUYER,
    Audience.REGION_CONTACT: Role.REGION_CONTACT,
    Audience.AREA_COORDINATOR: Role.AREA_COORDINATOR,
    Audience.AUDITOR: Role.AUDITOR,
    Audience.SUPPLIER: Role.SUPPLIER_CONTACT,
}


class TrainingArea(models.TextChoices):
    """The four areas of the Code of Conduct, keyed as the risk analyses key them."""

    HUMAN_RIGHTS = "hr", _("human rights")
    WORKERS_RIGHTS = "wr", _("workers' rights")
    ENVIRONMENT = "env", _("environment including climate")
    BUSINESS_ETHICS = "be", _("business ethics and anti-corruption")


class ModuleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class ModuleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModuleStatus.PUBLISHED)


class Module(PublicModel):
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Names the module across versions.")
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ModuleStatus.choices, default=ModuleStatus.DRAFT
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_sv = models.TextField(_("summary (Swedish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    audiences = models.JSONField(_("audiences"), default=list)
    areas = models.JSONField(
        _("areas"),
        default=list,
        blank=True,
        help_text=_("The Code of Conduct areas the module deepens; none for a general module."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=4, validators=[MinValueValidator(1)]
    )
    retake_wait_minutes = models.PositiveIntegerField(
        _("wait before a new attempt (minutes)"), default=60
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="training_module_key_version"),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status="published"),
                name="training_module_one_published",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="draft"), name="training_module_one_draft"
            ),
        ]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def title(self) -> str:
        return self.title_en if english() else self.title_sv

    @property
    def summary(self) -> str:
        return self.summary_en if english() else self.summary_sv

    def title_in(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_sv

    @property
    def is_draft(self) -> bool:
        return self.status == ModuleStatus.DRAFT

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]

    def area_labels(self) -> list[str]:
        labels = dict(TrainingArea.choices)
        return [str(labels[a]) for a in self.areas if a in labels]


class Lesson(PublicModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_sv = models.TextField(_("text (Swedish, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"))

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if english() else self.title_sv

    def body_in(self, language: str) -> str:
        return self.body_en if language.startswith("en") else self.body_sv


class LessonImage(PublicModel):
    """An image the secretariat uploaded for a module's lessons, kept in the database."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="images")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()

    class Meta:
        ordering = ["module", "name"]
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")

    def __str__(self) -> str:
        return self.name


class Question(PublicModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one right answer")
        MULTIPLE = "multiple", _("one or more right answers")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text_sv = models.TextField(_("question (Swedish)"))
    text_en = models.TextField(_("question (English)"))

    class Meta:
        ordering = ["module", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text_sv[:60]

    def text_in(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_sv


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text_sv = models.CharField(_("option (Swedish)"), max_length=300)
    text_en = models.CharField(_("option (English)"), max_length=300)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text_sv

    def text_in(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_sv


class Attempt(PublicModel):
    """One try at a module's quiz: the drawn questions and option orders, then the answers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    # [{"question": id, "options": [option ids in the order shown]}]
    draw = models.JSONField(default=list)
    # {"<question id>": [chosen option ids]}
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # percent right
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.user} {self.module.key} {self.created_at:%Y-%m-%d}"


def new_verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


class Certificate(PublicModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_certificates"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="certificates")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=20, unique=True, default=new_verification_code)
    holder_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    # The region the holder worked for when passing (participation per region), if any.
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=30, blank=True)
    issued_on = models.DateField()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class RoleAssignment(PublicModel):
    """The secretariat's decision that everyone holding role takes the module by due_date."""

    module_key = models.SlugField(max_length=80)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "module_key", "role"]
        constraints = [
            models.UniqueConstraint(fields=["module_key", "role"], name="training_role_assignment")
        ]
        verbose_name = _("assignment to a role")
        verbose_name_plural = _("assignments to roles")

    def __str__(self) -> str:
        return f"{self.module_key} → {self.role}"


class Assignment(PublicModel):
    """A module a person is to complete by a date, and why."""

    class Source(models.TextChoices):
        ROLE = "role", _("assigned to your role")
        CONTRACT = "contract", _("you are the contact of a contract in a prioritised category")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_assignments"
    )
    module_key = models.SlugField(max_length=80)
    due_date = models.DateField(_("due date"))
    source = models.CharField(max_length=10, choices=Source.choices)
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "module_key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module_key"], name="training_assignment_once")
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.user} {self.module_key} {self.due_date}"
