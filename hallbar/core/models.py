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


class AppendOnlyError(RuntimeError):
    """Raised on an attempt to change or remove an entry of the audit log."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only: entries cannot be removed.")

    # bulk writes skip the chain
    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are written one at a time by hallbar.core.audit.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")


class AuditEvent(models.Model):
    """One entry of the audit log: who saw or did what, when, from where (hallbar.core.audit).

    Append-only, and each entry carries the hash of the one before it, so that a changed or
    removed entry breaks the chain (`manage.py verify_audit_log`).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        LOCKOUT = "lockout", _("login locked")
        UNLOCK = "unlock", _("login unlocked")
        DOWNLOAD = "download", _("download")
        EXPORT = "export", _("export")
        TOKEN_USED = "token_used", _("API token used")
        ROLE_CHANGED = "role_changed", _("role changed")
        MEMBERSHIP_CHANGED = "membership_changed", _("membership changed")
        USER_DEACTIVATED = "user_deactivated", _("user deactivated")
        USER_REACTIVATED = "user_reactivated", _("user reactivated")
        RETENTION_APPLIED = "retention_applied", _("retention rules applied")

    # The position in the chain, from 1, without gaps.
    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"), db_index=True)
    # No database constraint and no cascade: removing a user must not touch the log (the
    # entry keeps the id and the name the user had).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    client_address = models.CharField(_("address"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_auditevent_object_idx")
        ]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self) -> str:
        return f"{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be removed.")


class AuditHead(models.Model):
    """The end of the audit chain: one row, locked while an entry is appended."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit log head")
        verbose_name_plural = _("audit log head")

    def __str__(self) -> str:
        return f"{self.sequence} {self.hash}"


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
