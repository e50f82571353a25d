"""The language switch, the health check and the search page (the start page is the home app's)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

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
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
