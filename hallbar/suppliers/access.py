"""Who may see and change suppliers. Missing and forbidden both give 404.

Every cooperation member reads the whole registry; a supplier contact sees only its own company;
auditors reach suppliers only through the audits assigned to them.

The registry is shared by all 21 regions, so changing a supplier is not for everyone who reads
it: the secretariat may change any supplier; a region's contacts, buyers and area coordinators
may change a supplier their region has an active contract with, or one that has no active
contract with any region yet (a supplier being registered before its first contract). Every
change is recorded in the supplier's history (`services.py`).

Sub-supplier names (sites of tier 2 and on) are confidential: the secretariat, the supplier's
own contacts and whoever an app above grants it to (the follow-up app grants the lead of a case of
the supplier and its assigned auditors: `register_supply_chain_grant`) read them; everyone else
sees the country and products only.

Unmatched spend (invoice lines that no supplier, or several, fit) is seen and resolved by the
secretariat for every region and by a region's sustainability contacts and buyers for their own
region: they upload its spend and know its invoices. Nobody else sees it.
"""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import Http404

from hallbar.organisations.models import Membership, Role, User
from hallbar.suppliers.models import ProductionSite, Supplier, SupplierQuerySet, UnmatchedSpend

EDIT_ROLES = (Role.SECRETARIAT, Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR)
REGION_EDIT_ROLES = (Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR)
SPEND_REGION_ROLES = (Role.REGION_CONTACT, Role.BUYER)

SupplyChainGrant = Callable[[User, Supplier], bool]
_supply_chain_grants: list[SupplyChainGrant] = []


def register_supply_chain_grant(grant: SupplyChainGrant) -> None:
    """Let an app above grant users the right to read a supplier's sub-supplier names."""
    if grant not in _supply_chain_grants:
        _supply_chain_grants.append(grant)


def can_edit_suppliers(user: User) -> bool:
    """Return whether user may register suppliers at all (and so see the edit links)."""
    return user.is_authenticated and user.has_role(*EDIT_ROLES)


def can_edit_supplier(user: User, supplier: Supplier) -> bool:
    """Return whether user may change this supplier: its details and production sites."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    regions = user.region_ids(*REGION_EDIT_ROLES)
    if not regions:
        return False
    active = supplier.contracts.filter(status="active")
    if active.filter(regions__in=regions).exists():
        return True
    return not active.exists()


def can_merge_suppliers(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def can_list_suppliers(user: User) -> bool:
    """Return whether user may list suppliers: the list page, its exports, the API's list and the
    navigation entry. The cooperation's members (the whole registry) and supplier contacts (their
    own company: ``suppliers_visible_to``)."""
    return user.is_authenticated and (
        user.is_cooperation_member or user.has_role(Role.SUPPLIER_CONTACT)
    )


def sees_registry_internals(user: User) -> bool:
    """Return whether user may see the registry's working material on a supplier: the names the
    regions' invoices use for it, open match reviews, merges and its history. The cooperation's
    members; not the supplier itself (page and API alike)."""
    return user.is_authenticated and user.is_cooperation_member


def resolvable_spend_region_ids(user: User) -> set[int] | None:
    """Return the regions whose unmatched spend user may resolve; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_secretariat:
        return None
    return user.region_ids(*SPEND_REGION_ROLES)


def suppliers_visible_to(user: User) -> SupplierQuerySet:
    """Return the suppliers user may see."""
    if not user.is_authenticated:
        return Supplier.objects.none()
    if user.is_cooperation_member:
        return Supplier.objects.all()
    return Supplier.objects.filter(organisation_id__in=user.organisation_ids(Role.SUPPLIER_CONTACT))


def access_supplier(user: User, public_id) -> tuple[Supplier, bool]:
    """Return the supplier and whether user may edit it; 404 if missing or not visible."""
    try:
        supplier = suppliers_visible_to(user).get(public_id=public_id)
    except (Supplier.DoesNotExist, ValueError):
        raise Http404 from None
    return supplier, can_edit_supplier(user, supplier)


def access_supplier_for_write(user: User, public_id) -> Supplier:
    supplier, can_edit = access_supplier(user, public_id)
    if not can_edit:
        raise Http404
    return supplier


def access_site_for_write(user: User, public_id, site_id) -> tuple[Supplier, ProductionSite]:
    """Return the supplier and its site for user to change; 404 if either is missing, user may
    not change the supplier, or the site is a sub-supplier whose name user may not read (the
    confirmation page names it)."""
    supplier = access_supplier_for_write(user, public_id)
    try:
        site = supplier.sites.get(public_id=site_id)
    except (ProductionSite.DoesNotExist, ValueError):
        raise Http404 from None
    if site.tier > 1 and not sees_sub_supplier_names(user, supplier):
        raise Http404
    return supplier, site


def sees_sub_supplier_names(user: User, supplier: Supplier) -> bool:
    """Return whether user may read the names of the supplier's sub-suppliers (tier 2 and on)."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    if supplier.organisation_id and supplier.organisation_id in user.organisation_ids(
        Role.SUPPLIER_CONTACT
    ):
        return True  # the supplier's own supply chain
    return any(grant(user, supplier) for grant in _supply_chain_grants)


def sites_for(user: User, supplier: Supplier, sites: Iterable[ProductionSite]) -> list:
    """Return the sites with what user may read of each: ``shown_name`` and ``shown_city`` are
    "" and ``shown_osh_id`` is "" where the site is a confidential sub-supplier."""
    names = None
    result = []
    for site in sites:
        if site.tier <= 1:
            visible = True
        else:
            if names is None:
                names = sees_sub_supplier_names(user, supplier)
            visible = names
        site.name_visible = visible
        site.shown_name = site.name if visible else ""
        site.shown_city = site.city if visible else ""
        site.shown_osh_id = site.osh_id if visible else ""
        result.append(site)
    return result


def unmatched_spend_visible_to(user: User) -> QuerySet[UnmatchedSpend]:
    """Return the unmatched spend user may see and resolve."""
    regions = resolvable_spend_region_ids(user)
    if regions is None:
        return UnmatchedSpend.objects.all()
    return UnmatchedSpend.objects.filter(region_id__in=regions)


def can_resolve_spend(user: User, region_id: int) -> bool:
    """Return whether user may match the unmatched spend of this region to a supplier."""
    regions = resolvable_spend_region_ids(user)
    return regions is None or region_id in regions


def can_see_unmatched_spend(user: User) -> bool:
    regions = resolvable_spend_region_ids(user)
    return regions is None or bool(regions)


def access_unmatched_spend_for_write(user: User, public_id) -> UnmatchedSpend:
    """Return the unmatched spend for user to resolve; 404 if missing or not user's region's."""
    try:
        return (
            unmatched_spend_visible_to(user)
            .select_related("region__organisation")
            .get(public_id=public_id)
        )
    except (UnmatchedSpend.DoesNotExist, ValueError):
        raise Http404 from None


def contacts_shown_to(user: User, supplier: Supplier) -> list:
    """Return the supplier's contacts in hallbar (memberships, with their preferred language)
    for the secretariat, which keeps them; nobody else reads this list here."""
    if not (user.is_authenticated and user.is_secretariat) or not supplier.organisation_id:
        return []
    return list(
        Membership.objects.filter(
            organisation_id=supplier.organisation_id,
            role=Role.SUPPLIER_CONTACT,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
