"""Navigation entries for the signed-in user, so every page shows only what this person may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hallbar.funding.access import can_view_funding
from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("home:start"), _("Start"), "home:start")]
    if can_view_cooperation(user):
        items.append((reverse("organisations:region-list"), _("Regions"), "organisations:region"))
    if user.is_cooperation_member or user.has_role(Role.SUPPLIER_CONTACT):
        items.append((reverse("contracts:contract-list"), _("Contracts"), "contracts:"))
        items.append((reverse("suppliers:supplier-list"), _("Suppliers"), "suppliers:"))
    if user.is_cooperation_member:
        items.append((reverse("categories:category-list"), _("Categories"), "categories:"))
        items.append((reverse("risk:index"), _("Risk"), "risk:"))
    if user.is_cooperation_member or user.has_role(Role.AUDITOR):
        items.append((reverse("followups:followup-list"), _("Follow-up"), "followups:"))
    if user.is_cooperation_member:
        items.append((reverse("planning:plan-list"), _("Plan"), "planning:"))
    if user.has_role(Role.SUPPLIER_CONTACT):
        items.append((reverse("portal:home"), _("Supplier portal"), "portal:"))
    if user.is_cooperation_member or user.has_role(Role.SUPPLIER_CONTACT, Role.AUDITOR):
        items.append((reverse("requirements:index"), _("Requirements"), "requirements:"))
    if can_view_funding(user):
        items.append((reverse("funding:contribution-list"), _("Funding"), "funding:"))
    if user.is_staff and (user.is_secretariat or user.is_superuser):
        items.append((reverse("admin:index"), _("Administration"), "admin:"))
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {"url": url, "label": label, "current": current.startswith(prefix)}
            for url, label, prefix in items
        ]
    }
