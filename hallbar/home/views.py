"""The start page per role."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hallbar.followups.deadlines import LIGHT_LABELS
from hallbar.home.selectors import start_page_for
from hallbar.organisations.http import AuthenticatedHttpRequest


def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "home/start.html",
        {
            "start": start_page_for(request.user, year=today.year, today=today),
            "light_labels": LIGHT_LABELS,
        },
    )
