from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "hallbar.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from hallbar.contracts.imports import ContractImporter
        from hallbar.core.imports import ImportKind, register_import_kind
        from hallbar.core.models import ImportJob

        register_import_kind(
            ImportJob.Kind.CONTRACTS,
            ImportKind(importer=ContractImporter, list_url="contracts:contract-list"),
        )
