"""Who may see and change contracts. Missing and forbidden both give 404.

Every cooperation member reads every contract; buyers and region contacts edit the contracts their
region leads; the secretariat edits all; a supplier contact sees only its own company's contracts.
"""

from django.db.models import QuerySet
from django.http import Http404

from hallbar.contracts.models import Contract
from hallbar.organisations.models import Region, Role, User

REGION_EDIT_ROLES = (Role.BUYER, Role.REGION_CONTACT)


def editable_region_ids(user: User) -> set[int] | None:
    """Return the regions whose contracts user may edit; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_secretariat:
        return None
    return user.region_ids(*REGION_EDIT_ROLES)


def can_edit_region_contracts(user: User, region: Region) -> bool:
    regions = editable_region_ids(user)
    return regions is None or region.pk in regions


def can_create_contracts(user: User) -> bool:
    regions = editable_region_ids(user)
    return regions is None or bool(regions)


def can_list_contracts(user: User) -> bool:
    """Return whether user may list contracts: the list page, its exports, the API's list and
    the navigation entry. The cooperation's members (every contract) and supplier contacts
    (their own company's: ``contracts_visible_to``)."""
    return user.is_authenticated and (
        user.is_cooperation_member or user.has_role(Role.SUPPLIER_CONTACT)
    )


def sees_contract_internals(user: User) -> bool:
    """Return whether user may see the cooperation's working material on a contract: its
    history and the zero-tolerance termination flag, which is the buyers' decision."""
    return user.is_authenticated and user.is_cooperation_member


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    if not user.is_authenticated:
        return Contract.objects.none()
    if user.is_cooperation_member:
        return Contract.objects.all()
    return Contract.objects.filter(
        supplier__organisation_id__in=user.organisation_ids(Role.SUPPLIER_CONTACT)
    )


def access_contract(user: User, public_id) -> tuple[Contract, bool]:
    try:
        contract = contracts_visible_to(user).select_related("lead_region").get(public_id=public_id)
    except (Contract.DoesNotExist, ValueError):
        raise Http404 from None
    return contract, can_edit_region_contracts(user, contract.lead_region)


def access_contract_for_write(user: User, public_id) -> Contract:
    contract, can_edit = access_contract(user, public_id)
    if not can_edit:
        raise Http404
    return contract
