from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "hallbar.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from hallbar.suppliers.merging import register_merge_mover

        # A merged supplier's contracts are the kept supplier's (docs/DESIGN.md, decision log).
        register_merge_mover("contracts", "contracts.Contract")
