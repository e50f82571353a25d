"""The start page per role, the language switch and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from hallbar.core.selectors import start_page_for


def home(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return render(request, "core/home.html", {"start": start_page_for(request.user, year=year)})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie, also on the login page."""
    return django_set_language(request)


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
