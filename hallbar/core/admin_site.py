from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the mixin's super() is a ModelAdmin's (or an inline's) at run time
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


def can_use_admin(user) -> bool:
    """Return whether user may use the Django admin (and so sees its navigation entry)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "is_secretariat", False))
    )


def _secretariat(request) -> bool:
    user = request.user
    return can_use_admin(user) and not user.is_superuser


class SecretariatPermissions(_AdminBase):
    """The secretariat's staff read every model in the admin, and change only those whose admin
    says ``secretariat_may_change`` (people and their organisations: the platform's pages have no
    form for them). Everything else changes through the pages, whose services keep the history
    and rules. Superusers keep Django's own permissions."""

    # An admin class sets ``secretariat_may_change = True`` and may define
    # ``secretariat_may_change_object(obj)``; read with getattr because this mixin comes first.

    def has_module_permission(self, request) -> bool:
        return _secretariat(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _secretariat(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        if _secretariat(request):
            return self._secretariat_changes()
        return super().has_add_permission(request, *args)

    def _secretariat_changes(self, obj=None) -> bool:
        if not getattr(self, "secretariat_may_change", False):
            return False
        may_change_object = getattr(self, "secretariat_may_change_object", None)
        return obj is None or may_change_object is None or may_change_object(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if _secretariat(request):
            return self._secretariat_changes(obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if _secretariat(request):
            return self._secretariat_changes(obj)
        return super().has_delete_permission(request, obj)

    def get_inlines(self, request, obj):
        may_change = getattr(self, "secretariat_may_change", False)
        return [
            type(
                inline.__name__,
                (SecretariatPermissions, inline),
                {"secretariat_may_change": may_change},
            )
            for inline in super().get_inlines(request, obj)
        ]


class HallbarAdminSite(admin.AdminSite):
    """The Django admin, open only to the secretariat's administrators."""

    site_header = _("hallbar administration")
    site_title = _("hallbar administration")

    def has_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SecretariatPermissions):
            admin_class = type(admin_class.__name__, (SecretariatPermissions, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)
