from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "hallbar.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from hallbar.contracts.personal_data import contracts_as_contact
        from hallbar.organisations.personal_data import register_exporter

        register_exporter("contracts_as_contact", contracts_as_contact)
        from hallbar.contracts.imports import ContractImporter
        from hallbar.contracts.views import import_result_context
        from hallbar.core.imports import ImportKind, register_import_kind
        from hallbar.core.models import ImportJob

        register_import_kind(
            ImportJob.Kind.CONTRACTS,
            ImportKind(
                importer=ContractImporter,
                list_url="contracts:contract-list",
                form_url="contracts:contract-import",
                summary_template="contracts/partials/import_result.html",
                summary_context=import_result_context,
            ),
        )
        from hallbar.contracts.views import supplier_contracts_section
        from hallbar.core.sections import Section, register_section

        register_section(
            "suppliers:supplier-detail",
            Section(
                slot="related",
                template="contracts/partials/supplier_contracts.html",
                context=supplier_contracts_section,
            ),
        )
        from hallbar.suppliers.merging import register_merge_mover

        # A merged supplier's contracts are the kept supplier's (docs/DESIGN.md, decision log).
        register_merge_mover("contracts", "contracts.Contract")
        from hallbar.contracts.search import more_contracts, search_contracts
        from hallbar.core.search import Searcher, register_searcher

        register_searcher(
            Searcher("contracts", _("Contracts"), search_contracts, more_contracts, order=20)
        )
