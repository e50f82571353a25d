"""Remember each list page's filters; the security headers and the request body cap."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "list_filters"
NOT_REMEMBERED = ("format",)  # a download is not where the user was


class RememberListFiltersMiddleware:
    """Store the query string of every list page (a URL named ``*-list``) the user opens.

    The ``list_url`` template tag puts it back on the links to that list, also after the user
    has changed something on a detail page (where the referrer is the detail page itself).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and match is not None
            and (match.url_name or "").endswith("-list")
            and response.status_code == 200
            and hasattr(request, "session")
            and request.user.is_authenticated
            and not any(key in request.GET for key in NOT_REMEMBERED)
        ):
            remembered = request.session.get(SESSION_KEY, {})
            query = request.GET.urlencode()
            if remembered.get(match.view_name) != query:
                remembered[match.view_name] = query
                request.session[SESSION_KEY] = remembered
        return response


def remembered_query(request: HttpRequest, view_name: str) -> str:
    """Return the query string the user last had on the list view_name ("" if none)."""
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY, {}).get(view_name, "") if session is not None else ""


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY) with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than settings.HALLBAR_MAX_UPLOAD_MB (413).

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE caps form fields but not uploaded files; this caps the
    whole body before anything reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        limit = settings.HALLBAR_MAX_UPLOAD_MB * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("The request is too large: at most %(size)s MB can be sent at a time.") % {
                "size": settings.HALLBAR_MAX_UPLOAD_MB
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
