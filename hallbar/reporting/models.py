"""Reporting's own rows. Reporting reads the other apps and writes only its own bookkeeping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
