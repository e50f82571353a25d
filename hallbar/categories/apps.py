from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "hallbar.categories"
    label = "categories"
    verbose_name = _("Categories")

    def ready(self) -> None:
        from hallbar.categories.services import load_area_categories
        from hallbar.organisations.services import register_reference_loader

        register_reference_loader(load_area_categories)
        from hallbar.categories.search import search_categories
        from hallbar.core.search import Searcher, register_searcher

        register_searcher(Searcher("categories", _("Categories"), search_categories, order=40))
