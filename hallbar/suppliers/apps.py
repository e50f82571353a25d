from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "hallbar.suppliers"
    label = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from hallbar.core.imports import ImportKind, register_import_kind
        from hallbar.core.models import ImportJob
        from hallbar.suppliers.imports import SupplierImporter

        register_import_kind(
            ImportJob.Kind.SUPPLIERS,
            ImportKind(importer=SupplierImporter, list_url="suppliers:supplier-list"),
        )
