from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def can_use_admin(user) -> bool:
    """Return whether user may use the Django admin (and so sees its navigation entry)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "is_secretariat", False))
    )


class HallbarAdminSite(admin.AdminSite):
    """The Django admin, open only to the secretariat's administrators."""

    site_header = _("hallbar administration")
    site_title = _("hallbar administration")

    def has_permission(self, request) -> bool:
        return can_use_admin(request.user)
