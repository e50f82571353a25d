"""Who may see and change organisations. Missing and forbidden both give 404."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from hallbar.organisations.models import DIGEST_ROLES, Membership, Region, Role, User

# The roles that read confidential material: the secretariat (every case), a region's
# sustainability contacts, buyers and area coordinators (they lead their region's and area's
# follow-up cases: confidential deviations, interview notes, audit reports, sub-supplier names)
# and third-party auditors (their audits' reports and findings). The steering group reads the
# cases but none of their confidential material; a supplier contact reads its own company's.
SECOND_FACTOR_ROLES = (
    Role.SECRETARIAT,
    Role.REGION_CONTACT,
    Role.BUYER,
    Role.AREA_COORDINATOR,
    Role.AUDITOR,
)


def can_view_cooperation(user: User) -> bool:
    """Return whether user may see the cooperation's shared pages (regions, areas, funding)."""
    return user.is_authenticated and (user.is_cooperation_member or user.is_superuser)


def access_region(user: User, county_code: str) -> tuple[Region, bool]:
    """Return the region and whether user may edit it; 404 when missing or not visible."""
    if not can_view_cooperation(user):
        raise Http404
    try:
        region = Region.objects.select_related("organisation").get(county_code=county_code)
    except Region.DoesNotExist:
        raise Http404 from None
    return region, user.is_secretariat


def may_set_language_of(actor: User, user: User) -> bool:
    """Return whether actor may change user's preferred language: the user, or the secretariat."""
    return actor.is_authenticated and (actor.pk == user.pk or actor.is_secretariat)


def receives_monthly_digest(user: User) -> bool:
    """Return whether user is one the monthly digest is for: a sustainability contact or buyer
    of a region (whether they have switched it off is ``User.monthly_digest``)."""
    return user.is_authenticated and bool(user.region_ids(*DIGEST_ROLES))


def may_set_monthly_digest_of(actor: User, user: User) -> bool:
    """Return whether actor may switch user's monthly digest on or off: the user only, and only
    if the digest is for them."""
    return actor.is_authenticated and actor.pk == user.pk and receives_monthly_digest(user)


def access_user_language(actor: User, membership_public_id) -> User:
    """Return the user of a membership whose language actor may change; 404 otherwise."""
    try:
        membership = Membership.objects.select_related("user").get(public_id=membership_public_id)
    except (Membership.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not may_set_language_of(actor, membership.user):
        raise Http404
    return membership.user


def can_manage_lockouts(user: User) -> bool:
    """Return whether user may see locked logins and unlock them: the secretariat."""
    return user.is_authenticated and (user.is_secretariat or user.is_superuser)


def requires_second_factor(user: User) -> bool:
    """Return whether user must confirm each login with a second factor (docs/DESIGN.md,
    "Authentication"): administrators (staff or superuser) and every holder of a role that reads
    confidential material (``SECOND_FACTOR_ROLES``). Whether it is demanded at all is the setting
    HALLBAR_MFA_REQUIRED; a strong login through the identity provider counts as one
    (``hallbar.organisations.mfa``)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES)


def users_requiring_second_factor() -> QuerySet[User]:
    """Return the active users for whom `requires_second_factor` holds, as one query."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(memberships__is_active=True, memberships__role__in=SECOND_FACTOR_ROLES)
        )
        .distinct()
    )


def can_reset_second_factors(user: User) -> bool:
    """Return whether user may see people's second factors and reset one: the secretariat."""
    return user.is_authenticated and (user.is_secretariat or user.is_superuser)


def can_view_audit_log(user: User) -> bool:
    """Return whether user may search and export the audit log: the secretariat."""
    return user.is_authenticated and (user.is_secretariat or user.is_superuser)
