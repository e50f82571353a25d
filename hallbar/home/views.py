"""The start page per role."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hallbar.home.selectors import start_page_for


def start(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return render(request, "home/start.html", {"start": start_page_for(request.user, year=year)})
