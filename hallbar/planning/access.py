"""Who may see and change follow-up plans. Missing and forbidden both give 404.

Every cooperation member reads the plans (the cooperation's work is shared); the secretariat
proposes, changes and publishes them; the steering group (or the secretariat) approves them.
Auditors and suppliers see none of it.
"""

from django.http import Http404

from hallbar.organisations.models import Role, User
from hallbar.planning.models import FollowUpPlan

# What a plan's pages and API never read of its screening run: its inputs, totals and SQL (about 100 kB
# of JSON and text in the demo), which the screening's own pages show
RUN_BODY = ("parameters", "editions", "totals", "sql")


def can_view_plans(user: User) -> bool:
    return user.is_authenticated and user.is_cooperation_member


def can_edit_plans(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def can_waive_duties(user: User) -> bool:
    """Only the secretariat may say why a supplier does not get the escalation it is due."""
    return user.is_authenticated and user.is_secretariat


def can_approve_plans(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP)


def can_record_external(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.AREA_COORDINATOR)


def access_plan(user: User, public_id) -> tuple[FollowUpPlan, bool]:
    """Return the plan and whether user may change it; 404 if missing or not visible."""
    if not can_view_plans(user):
        raise Http404
    try:
        plan = (
            FollowUpPlan.objects.select_related("screening_run")
            .defer(*(f"screening_run__{name}" for name in RUN_BODY))
            .get(public_id=public_id)
        )
    except (FollowUpPlan.DoesNotExist, ValueError):
        raise Http404 from None
    return plan, can_edit_plans(user)


def access_plan_for_write(user: User, public_id) -> FollowUpPlan:
    plan, can_edit = access_plan(user, public_id)
    if not can_edit:
        raise Http404
    return plan
