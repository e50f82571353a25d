"""Remember each list page's filters; the security headers, the request body cap and the
request log."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hallbar.core.logs import request_id_var

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


REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_logger = logging.getLogger("hallbar.request")


class RequestLogMiddleware:
    """Give each request an id and log one line for it: method, path, status, duration, user.

    The id is the X-Request-ID the reverse proxy sent (nginx's $request_id, deploy/nginx) when
    it is a plain token, a new one otherwise; it is sent back in the response's X-Request-ID
    and carried by every log line written while the request runs (hallbar.core.logs). The
    query string is not logged: it may hold search terms about people.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers[REQUEST_ID_HEADER] = request_id
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
