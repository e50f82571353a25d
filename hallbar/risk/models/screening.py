"""Data editions and screening runs: every run keeps its parameters, editions and result rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hallbar.core.models import PublicModel


class DataEdition(models.Model):
    """An edition of a reference file (WGI, CPI, ILAB, CPV) as loaded, with its checksum."""

    class Kind(models.TextChoices):
        WGI = "wgi", _("World Bank governance indicators")
        WGI_HISTORY = "wgi_history", _("World Bank governance indicators, history")
        CPI = "cpi", _("Corruption Perceptions Index")
        ILAB = "ilab", _("ILAB list of goods made with child or forced labour")
        CPV = "cpv", _("CPV vocabulary")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("edition"), max_length=100)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    licence = models.CharField(_("licence"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "sha256"], name="risk_dataedition_unique_file")
        ]
        verbose_name = _("data edition")
        verbose_name_plural = _("data editions")

    def __str__(self) -> str:
        return self.label


class ScreeningRun(PublicModel):
    """One screening of a year's spend against the risk tables."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="running")
    parameters = models.JSONField(_("parameters"), default=dict)
    editions = models.JSONField(_("data editions"), default=dict)
    totals = models.JSONField(_("totals"), default=dict)
    sql = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")

    def __str__(self) -> str:
        return f"{self.year} ({self.created_at:%Y-%m-%d %H:%M})"


class ScreeningRow(models.Model):
    """One result row: a region (or SE, nationally) × category × supplier × production country."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="rows")
    region_code = models.CharField(_("region"), max_length=2, db_index=True)
    category_key = models.CharField(_("category"), max_length=80, db_index=True)
    supplier_key = models.CharField(_("supplier"), max_length=80)
    supplier_label = models.CharField(_("supplier"), max_length=300)
    country = models.CharField(_("country"), max_length=2)
    spend_sek = models.DecimalField(_("spend (SEK)"), max_digits=16, decimal_places=2)
    hr = models.FloatField(_("human rights"))
    wr = models.FloatField(_("workers' rights"))
    env = models.FloatField(_("environment"))
    be = models.FloatField(_("business ethics"))
    exposure = models.FloatField(_("exposure"), db_index=True)
    priority = models.CharField(_("priority"), max_length=10)

    class Meta:
        ordering = ["-exposure", "pk"]
        indexes = [
            models.Index(
                fields=["run", "region_code", "-exposure"], name="risk_row_run_region_idx"
            ),
        ]
        verbose_name = _("screening row")
        verbose_name_plural = _("screening rows")

    def __str__(self) -> str:
        return f"{self.region_code} {self.category_key} {self.supplier_label} {self.country}"
