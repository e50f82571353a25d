from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "hallbar.core"
    label = "core"
    verbose_name = _("Core")


class HallbarAdminConfig(admin_apps.AdminConfig):
    """The Django admin with hallbar's site, which only the secretariat may enter."""

    default = False
    default_site = "hallbar.core.admin_site.HallbarAdminSite"
