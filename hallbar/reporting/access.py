"""Who may see the results and reports. Missing and forbidden both give 404.

Other parts of reporting add their rules here too, each in its own block.
"""

from django.http import Http404

from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Role, User

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
