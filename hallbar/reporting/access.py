"""Who may see and change what in reporting: every visibility rule of the app.

Missing and forbidden give the same 404.
"""

from django.http import Http404

from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Region, Role, User
from hallbar.reporting.models import Goal, Indicator, StrategyPeriod

# ---- the annual report (verksamhetsrapport) ----------------------------------------------------
# Every member of the cooperation (the secretariat, the steering group, the area coordinators,
# the regions' contacts and buyers) reads the report's HTML page and downloads its PDF: the
# report holds only the year's aggregated figures. Generating the PDF runs a background job and
# is the work of those who present the report: the secretariat and the steering group.
# Auditors, supplier contacts and users without a role see nothing of it.


def can_read_annual_report(user: User) -> bool:
    """Return whether user may read the annual report (its page and its PDF)."""
    return can_view_cooperation(user)


def can_generate_annual_report(user: User) -> bool:
    """Return whether user may start the generation of the report's PDF."""
    return user.is_authenticated and (
        user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP) or user.is_superuser
    )


def require_annual_report_read(user: User) -> None:
    if not can_read_annual_report(user):
        raise Http404


def require_annual_report_generate(user: User) -> None:
    if not can_generate_annual_report(user):
        raise Http404


# ---- end of the annual report ------------------------------------------------------------------


# --- strategy goals (helper "goals") ---------------------------------------------------------
# The cooperation's people (secretariat, steering group, area coordinators, region contacts,
# buyers) read the strategy periods, goals, indicators and targets; only the secretariat
# changes them. Auditors, supplier contacts and people without a role see nothing.


def can_view_goals(user: User) -> bool:
    return can_view_cooperation(user)


def can_edit_goals(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def require_goals_view(user: User) -> None:
    if not can_view_goals(user):
        raise Http404


def require_goals_edit(user: User) -> None:
    if not can_edit_goals(user):
        raise Http404


def access_period(user: User, public_id) -> StrategyPeriod:
    """Return the strategy period user may read, or raise 404."""
    require_goals_view(user)
    period = StrategyPeriod.objects.filter(public_id=public_id).first()
    if period is None:
        raise Http404
    return period


def access_period_for_write(user: User, public_id) -> StrategyPeriod:
    require_goals_edit(user)
    return access_period(user, public_id)


def access_goal_for_write(user: User, public_id) -> Goal:
    require_goals_edit(user)
    goal = Goal.objects.select_related("period").filter(public_id=public_id).first()
    if goal is None:
        raise Http404
    return goal


def access_indicator_for_write(user: User, public_id) -> Indicator:
    require_goals_edit(user)
    indicator = (
        Indicator.objects.select_related("goal", "goal__period").filter(public_id=public_id).first()
    )
    if indicator is None:
        raise Http404
    return indicator


# --- end of strategy goals -------------------------------------------------------------------


# --- dashboards ------------------------------------------------------------------------------
# The dashboards are for the people of the cooperation (secretariat, steering group, area
# coordinators, region contacts, buyers): every one of them sees the national figures and every
# region's. Auditors and supplier contacts see no dashboard. The figures are aggregates: no
# confidential text reaches them, but a confidential deviation still counts in them.


def can_view_dashboards(user: User) -> bool:
    """Return whether user may see the national and the regions' dashboards."""
    return can_view_cooperation(user)


def require_dashboards(user: User) -> None:
    if not can_view_dashboards(user):
        raise Http404


def access_region_dashboard(user: User, region_key: str) -> Region:
    """Return the region whose dashboard user asks for, by county code (or id); 404 otherwise."""
    require_dashboards(user)
    regions = Region.objects.select_related("organisation")
    region = regions.filter(county_code=region_key).first()
    if region is None and region_key.isdigit():
        region = regions.filter(pk=int(region_key)).first()
    if region is None:
        raise Http404
    return region
