"""The language switch, the health check and the search page (the start page is the home app's)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from hallbar.core.health import health
from hallbar.core.languages import save_preferred_language
from hallbar.core.search import MIN_QUERY_LENGTH, SEARCH_LIMIT, search_all


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie, also on the login page, and as
    the signed-in person's preferred language (their pages and mails follow it)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        save_preferred_language(request.user, language)
    return response


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Say whether the platform can serve: 200 when every check passes, 503 otherwise, for a
    load balancer or a monitor (no login; hallbar.core.health says what is checked)."""
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers that ask for /favicon.ico (the API docs, files) to the icon's static file,
    whose hashed name is known only once the static files' manifest is read."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def search(request: HttpRequest) -> HttpResponse:
    """Search everything this user may see (each app's registered searcher decides what)."""
    query = request.GET.get("q", "").strip()[:100]
    groups = search_all(request.user, query)
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "groups": groups,
            "too_short": bool(query) and len(query) < MIN_QUERY_LENGTH,
            "total": sum(len(group.hits) for group in groups),
            "truncated": any(group.truncated for group in groups),
            "limit": SEARCH_LIMIT,
        },
    )
