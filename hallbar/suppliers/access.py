"""Who may see and change suppliers. Missing and forbidden both give 404.

Every cooperation member reads the whole registry; a supplier contact sees only its own company;
auditors reach suppliers only through the audits assigned to them (a later issue).

Unmatched spend (invoice lines that no supplier, or several, fit) is seen and resolved by the
secretariat for every region and by a region's sustainability contacts and buyers for their own
region: they upload its spend and know its invoices. Nobody else sees it.
"""

from django.db.models import QuerySet
from django.http import Http404

from hallbar.organisations.models import Role, User
from hallbar.suppliers.models import Supplier, UnmatchedSpend

EDIT_ROLES = (Role.SECRETARIAT, Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR)
SPEND_REGION_ROLES = (Role.REGION_CONTACT, Role.BUYER)


def can_edit_suppliers(user: User) -> bool:
    return user.is_authenticated and user.has_role(*EDIT_ROLES)


def can_merge_suppliers(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def suppliers_visible_to(user: User) -> QuerySet[Supplier]:
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
    return supplier, can_edit_suppliers(user)


def access_supplier_for_write(user: User, public_id) -> Supplier:
    supplier, can_edit = access_supplier(user, public_id)
    if not can_edit:
        raise Http404
    return supplier


def unmatched_spend_visible_to(user: User) -> QuerySet[UnmatchedSpend]:
    """Return the unmatched spend user may see and resolve."""
    if not user.is_authenticated:
        return UnmatchedSpend.objects.none()
    if user.is_secretariat:
        return UnmatchedSpend.objects.all()
    return UnmatchedSpend.objects.filter(region_id__in=user.region_ids(*SPEND_REGION_ROLES))


def can_resolve_spend(user: User, region_id: int) -> bool:
    """Return whether user may match the unmatched spend of this region to a supplier."""
    return user.is_authenticated and (
        user.is_secretariat or region_id in user.region_ids(*SPEND_REGION_ROLES)
    )


def can_see_unmatched_spend(user: User) -> bool:
    return user.is_authenticated and (
        user.is_secretariat or bool(user.region_ids(*SPEND_REGION_ROLES))
    )


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
