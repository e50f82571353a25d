"""Who may see the dashboards. Missing and forbidden both give 404.

The dashboards are for the people of the cooperation (secretariat, steering group, area
coordinators, region contacts, buyers): every one of them sees the national figures and every
region's. Auditors and supplier contacts work with the cooperation but are not part of it, and
see no dashboard. The figures are aggregates: no confidential text reaches them, but a
confidential deviation still counts in them.
"""

from django.http import Http404

from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Region, User


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
