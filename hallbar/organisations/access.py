"""Who may see and change organisations. Missing and forbidden both give 404."""

from django.http import Http404

from hallbar.organisations.models import Region, User


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
