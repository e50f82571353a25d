from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "hallbar.risk"
    label = "risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from hallbar.core.cleanup import register_cleanup
        from hallbar.core.imports import ImportKind, register_import_kind
        from hallbar.core.jobs import register_job_kind
        from hallbar.core.models import ImportJob
        from hallbar.risk.jobs import SCREENING, SCREENING_JOB
        from hallbar.risk.spend import SpendImporter, clean_spend_temp

        register_job_kind(SCREENING, SCREENING_JOB)
        register_cleanup("spend", clean_spend_temp)

        register_import_kind(
            ImportJob.Kind.SPEND,
            ImportKind(
                importer=SpendImporter,
                list_url="risk:spend",
                preview_template="risk/partials/spend_preview.html",
                summary_template="risk/partials/spend_summary.html",
            ),
        )
