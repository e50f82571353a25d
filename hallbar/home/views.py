"""The start page per role."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hallbar.followups.deadlines import LIGHT_LABELS
from hallbar.home.selectors import start_page_for


def start(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "home/start.html",
        {
            "start": start_page_for(request.user, year=today.year, today=today),
            "light_labels": LIGHT_LABELS,
        },
    )
