from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "hallbar.reporting"
    label = "reporting"
    verbose_name = _("Results and reporting")

    def ready(self) -> None:
        from hallbar.core.cleanup import register_cleanup
        from hallbar.core.jobs import register_job_kind
        from hallbar.reporting.jobs import ANNUAL_REPORT, ANNUAL_REPORT_JOB, clean_partial_reports

        register_job_kind(ANNUAL_REPORT, ANNUAL_REPORT_JOB)
        # What a killed report job left behind (`manage.py cleanup`).
        register_cleanup("annual-report PDFs", clean_partial_reports)
