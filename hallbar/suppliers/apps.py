from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "hallbar.suppliers"
    label = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from hallbar.organisations.personal_data import register_exporter
        from hallbar.suppliers.personal_data import suppliers_as_contact

        register_exporter("suppliers_as_contact", suppliers_as_contact)
        from hallbar.core.imports import ImportKind, register_import_kind
        from hallbar.core.models import ImportJob
        from hallbar.suppliers.imports import SupplierImporter

        register_import_kind(
            ImportJob.Kind.SUPPLIERS,
            ImportKind(importer=SupplierImporter, list_url="suppliers:supplier-list"),
        )
        from hallbar.suppliers.merging import keep_on_merge, register_merge_mover
        from hallbar.suppliers.services import names_the_survivor_has

        # What a merge does with the registry's own rows (docs/DESIGN.md, decision log).
        register_merge_mover("sites", "suppliers.ProductionSite")
        register_merge_mover("names", "suppliers.SupplierName", stays=names_the_survivor_has)
        keep_on_merge(
            "suppliers.Supplier", "merged_into", "an earlier merge into the merged supplier"
        )
        keep_on_merge("suppliers.SupplierMerge", "survivor", "the record of the merge")
        keep_on_merge("suppliers.SupplierMerge", "merged", "the record of the merge")
        keep_on_merge(
            "suppliers.MatchReview", "supplier", "a judgement of two records; the pair's is closed"
        )
        keep_on_merge(
            "suppliers.MatchReview", "candidate", "a judgement of two records; the pair's is closed"
        )
        keep_on_merge(
            "suppliers.UnmatchedSpend",
            "supplier",
            "a person's resolution; spend matching follows merged_into to the survivor",
        )
        from hallbar.core.search import Searcher, register_searcher
        from hallbar.suppliers.search import more_suppliers, search_suppliers

        register_searcher(
            Searcher("suppliers", _("Suppliers"), search_suppliers, more_suppliers, order=10)
        )
