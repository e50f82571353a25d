"""Who may see and change the risk analyses. Missing and forbidden both give 404.

Every member of the cooperation reads the analyses (drafts included: the steering group and the
areas review them), the method settings and the data editions; only the secretariat creates,
edits drafts, adjusts, approves and changes the method's parameters, and only the secretariat
restores the earlier version of a spend partition and runs a screening. The spend pages and the
screening runs are for every member; a region's contacts and buyers upload its spend. Auditors, supplier contacts and users
without a role see nothing of it.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Role, User
from hallbar.risk.models import LikelihoodAdjustment, RiskAnalysis


def can_read_analyses(user: User) -> bool:
    """Return whether user may read the risk analyses, the method settings and the editions."""
    return can_view_cooperation(user)


def can_edit_analyses(user: User) -> bool:
    """Return whether user may create, edit and approve analyses and change the method."""
    return user.is_authenticated and user.is_secretariat


def can_see_screening(user: User) -> bool:
    """Return whether user may see the spend pages and the screening runs, their rows and
    exports: every member of the cooperation (the regions' spend is shared within it)."""
    return can_view_cooperation(user)


def can_run_screening(user: User) -> bool:
    """Return whether user may start a screening run."""
    return user.is_authenticated and user.is_secretariat


def spend_upload_region_ids(user: User) -> set[int] | None:
    """Return the regions whose spend user may upload; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_secretariat:
        return None
    return user.region_ids(Role.BUYER, Role.REGION_CONTACT)


def require_screening_view(user: User) -> None:
    if not can_see_screening(user):
        raise Http404


def can_restore_spend(user: User) -> bool:
    """Return whether user may put back the earlier version of a spend partition."""
    return user.is_authenticated and user.is_secretariat


def require_risk_view(user: User) -> None:
    if not can_read_analyses(user):
        raise Http404


def require_risk_edit(user: User) -> None:
    if not can_edit_analyses(user):
        raise Http404


def _get_analysis(public_id) -> RiskAnalysis:
    try:
        return RiskAnalysis.objects.select_related(
            "category", "approved_by", "created_by", "method_settings"
        ).get(public_id=public_id)
    except (RiskAnalysis.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_analysis(user: User, public_id) -> tuple[RiskAnalysis, bool]:
    """Return (analysis, can_edit); 404 when it is missing or user may not read it."""
    require_risk_view(user)
    analysis = _get_analysis(public_id)
    return analysis, can_edit_analyses(user) and analysis.is_draft


def access_analysis_for_write(user: User, public_id) -> RiskAnalysis:
    """Return the analysis for the secretariat to change; 404 for anyone else or when missing."""
    require_risk_edit(user)
    return _get_analysis(public_id)


def access_adjustment_for_write(user: User, public_id) -> LikelihoodAdjustment:
    """Return an expert adjustment for the secretariat to remove; 404 otherwise."""
    require_risk_edit(user)
    try:
        return LikelihoodAdjustment.objects.select_related("analysis__category").get(
            public_id=public_id
        )
    except (LikelihoodAdjustment.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
