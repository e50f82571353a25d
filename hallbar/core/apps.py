from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "hallbar.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The deploy checks (SECRET_KEY) and the refusal to serve with the placeholder key.
        from config.checks import refuse_placeholder_secret_key_when_serving

        refuse_placeholder_secret_key_when_serving()

        # Text longer than its column is refused on SQLite as PostgreSQL refuses it.
        from django.db.models.signals import pre_save

        from hallbar.core.limits import check_lengths

        pre_save.connect(check_lengths, dispatch_uid="hallbar-check-lengths")


class HallbarAdminConfig(admin_apps.AdminConfig):
    """The Django admin with hallbar's site, which only the secretariat may enter."""

    default = False
    default_site = "hallbar.core.admin_site.HallbarAdminSite"
