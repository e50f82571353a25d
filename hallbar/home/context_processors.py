"""Navigation entries for the signed-in user, so every page shows only what this person may use.

Each entry asks the same access function as the page it links to: an entry is shown exactly
when its page opens (``hallbar/followups/tests/test_one_gate.py`` checks this for the cast).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hallbar.categories.access import can_view_categories
from hallbar.contracts.access import can_list_contracts
from hallbar.core.admin_site import can_use_admin
from hallbar.followups.access import can_list_followups, can_use_portal, follows_cases_in_portal
from hallbar.funding.access import can_view_funding
from hallbar.organisations.access import (
    can_manage_lockouts,
    can_reset_second_factors,
    can_view_cooperation,
    requires_second_factor,
)
from hallbar.organisations.mfa import second_factor_pending
from hallbar.planning.access import can_view_plans
from hallbar.requirements.access import can_see_kind
from hallbar.requirements.models import CodeOfConduct
from hallbar.risk.access import can_read_analyses
from hallbar.suppliers.access import can_list_suppliers
from hallbar.training.access import can_take_training

# (URL name, label, the prefix of the view names that mark it current, the page's gate)
ENTRIES = [
    ("home:start", _("Start"), "home:start", lambda user: True),
    ("organisations:region-list", _("Regions"), "organisations:region", can_view_cooperation),
    ("contracts:contract-list", _("Contracts"), "contracts:", can_list_contracts),
    ("suppliers:supplier-list", _("Suppliers"), "suppliers:", can_list_suppliers),
    ("categories:category-list", _("Categories"), "categories:", can_view_categories),
    ("risk:index", _("Risk"), "risk:", can_read_analyses),
    (
        "followups:followup-list",
        _("Follow-up"),
        "followups:",
        # a supplier contact's case list is its portal, which has its own entry
        lambda user: can_list_followups(user) and not follows_cases_in_portal(user),
    ),
    ("planning:plan-list", _("Plan"), "planning:", can_view_plans),
    ("portal:home", _("Supplier portal"), "portal:", can_use_portal),
    (
        "requirements:index",
        _("Requirements"),
        "requirements:",
        lambda user: can_see_kind(user, CodeOfConduct),
    ),
    ("funding:contribution-list", _("Funding"), "funding:", can_view_funding),
    ("training:index", _("Training"), "training:", can_take_training),
    # the dashboards' gate (reporting.access.can_view_dashboards) is the cooperation's; home and
    # reporting are siblings, so the entry asks the same function rather than importing reporting
    ("reporting:dashboard", _("Results"), "reporting:", can_view_cooperation),
    ("admin:index", _("Administration"), "admin:", can_use_admin),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if second_factor_pending(request):
        # Until the second factor is given no other page opens: offer none.
        return {"nav_items": [], "second_factor_pending": True}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {"url": reverse(name), "label": label, "current": current.startswith(prefix)}
            for name, label, prefix, gate in ENTRIES
            if gate(user)
        ],
        "can_manage_lockouts": can_manage_lockouts(user),
        "can_reset_second_factors": can_reset_second_factors(user),
        "has_second_factor_page": requires_second_factor(user),
    }
