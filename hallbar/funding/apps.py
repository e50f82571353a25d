from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "hallbar.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from hallbar.core.sections import Section, register_section
        from hallbar.funding.views import region_funding_section

        register_section(
            "organisations:region-detail",
            Section(
                slot="main",
                template="funding/partials/region_funding.html",
                context=region_funding_section,
            ),
        )
