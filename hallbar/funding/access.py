"""Who may see and change funding. Missing and forbidden both give 404."""

from django.http import Http404

from hallbar.funding.models import BudgetLine, RegionDecision
from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Region, Role, User

#: The years for which the secretariat may choose which amount is invoiced.
INVOICE_YEARS = range(2016, 2101)


def can_view_funding(user: User) -> bool:
    """Return whether user may see contributions, decisions and the budget."""
    return can_view_cooperation(user)


def can_edit_budget(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def can_choose_invoiced_amount(user: User) -> bool:
    """Return whether user may choose which amount a region is invoiced: the secretariat only."""
    return user.is_authenticated and user.is_secretariat


def access_invoice_choice_for_write(user: User, county_code: str, year: int) -> Region:
    """Return the region whose invoiced amount for year user may choose, or raise 404."""
    if not can_choose_invoiced_amount(user) or year not in INVOICE_YEARS:
        raise Http404
    try:
        return Region.objects.select_related("organisation").get(county_code=county_code)
    except Region.DoesNotExist:
        raise Http404 from None


def can_record_region_decision(user: User, region_id: int) -> bool:
    """Return whether user may record decisions for the region: the secretariat or its contact."""
    if not user.is_authenticated:
        return False
    return user.is_secretariat or region_id in user.region_ids(Role.REGION_CONTACT)


def require_funding_view(user: User) -> None:
    if not can_view_funding(user):
        raise Http404


def access_budget_line_for_write(user: User, public_id) -> BudgetLine:
    if not can_edit_budget(user):
        raise Http404
    try:
        return BudgetLine.objects.get(public_id=public_id)
    except (BudgetLine.DoesNotExist, ValueError):
        raise Http404 from None


def access_region_decision_for_write(user: User, public_id) -> RegionDecision:
    try:
        decision = RegionDecision.objects.select_related("region").get(public_id=public_id)
    except (RegionDecision.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_record_region_decision(user, decision.region_id):
        raise Http404
    return decision
