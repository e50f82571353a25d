from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "hallbar.reporting"
    label = "reporting"
    verbose_name = _("Results and reporting")

    def ready(self) -> None:
        from hallbar.core.jobs import register_job_kind
        from hallbar.reporting.jobs import ANNUAL_REPORT, ANNUAL_REPORT_JOB

        register_job_kind(ANNUAL_REPORT, ANNUAL_REPORT_JOB)
