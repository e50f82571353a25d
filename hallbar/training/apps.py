from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "hallbar.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from hallbar.organisations.personal_data import register_exporter
        from hallbar.training.personal_data import training_record

        register_exporter("training", training_record)
        from hallbar.core.sections import Section, register_section
        from hallbar.training.views import portal_training_section, region_training_section

        # The region page shows the region's training to those who may see its participation.
        register_section(
            "organisations:region-detail",
            Section(
                slot="main",
                template="training/partials/region_training.html",
                context=region_training_section,
                order=200,
            ),
        )
        # The supplier portal offers the supplier modules while the company is followed up.
        register_section(
            "portal:home",
            Section(
                slot="main",
                template="training/partials/portal_offer.html",
                context=portal_training_section,
            ),
        )
