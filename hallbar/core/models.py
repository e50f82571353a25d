"""Shared model foundations: public ids in URLs and the audit history every service writes."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicModel(models.Model):
    """Give a model a UUID for URLs and creation/update timestamps."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class HistoryEntry(models.Model):
    """One change made through a service: who, when, what, on which object."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")
        IMPORTED = "imported", _("imported")
        LOADED = "loaded", _("loaded")
        RESTORED = "restored", _("restored")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_history_subject_idx")
        ]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ImportJob(PublicModel):
    """One upload of a file to import: validated first, then written all at once or not at all."""

    class Kind(models.TextChoices):
        CONTRACTS = "contracts", _("contracts")
        SUPPLIERS = "suppliers", _("suppliers")
        SPEND = "spend", _("invoice lines")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        VALIDATING = "validating", _("checking the rows")
        AWAITING_CONFIRMATION = "confirm", _("checked: waiting for your confirmation")
        IMPORTING = "importing", _("writing")
        REJECTED = "rejected", _("not imported: the file has errors")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("only if every row is valid")
        VALID_ONLY = "valid_only", _("import the valid rows, skip the bad ones")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500)
    region = models.ForeignKey(
        "organisations.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default="all")
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="pending")
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # what the importer needs besides the file, e.g. {"year": 2025} for spend; "review": stop
    # before writing until a person confirms the preview; "confirm": the preview's fingerprint
    # confirmed on the page, or true (the command's --confirm-shrink)
    options = models.JSONField(_("options"), default=dict, blank=True)
    issues = models.JSONField(default=list, blank=True)
    # what a commit replaces, computed after validation (dry runs too) by importers that can
    preview = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING}

    @property
    def awaits_confirmation(self) -> bool:
        return self.status == self.Status.AWAITING_CONFIRMATION

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class BackgroundJob(PublicModel):
    """One long action run by the task worker (a screening, a plan approval), with its progress.

    The app that owns the kind registers how to run it, its steps and who may see it
    (`hallbar.core.jobs.register_job_kind`); core knows none of them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    # what the job works on, e.g. a plan's public id: one job at a time per kind and subject
    subject = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="pending")
    params = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    total_steps = models.PositiveSmallIntegerField(default=1)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_steps:
            return 0
        return min(100, round(100 * max(self.step - 1, 0) / self.total_steps))


class WorkerHeartbeat(models.Model):
    """The last sign of life of one running task worker (`manage.py db_worker`).

    Each worker writes its row every HALLBAR_WORKER_HEARTBEAT_SECONDS from a thread of its own
    (hallbar.core.heartbeat) and deletes it when it stops; /healthz reads the newest.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id
