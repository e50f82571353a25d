from django.http import HttpResponse
from django.shortcuts import render

from hallbar.core.clock import demo_year
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.reporting.figures import year_figures


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The national dashboard of a year (a first version: the figures and their definitions)."""
    year = int(request.GET.get("year") or demo_year())
    return render(request, "reporting/dashboard.html", {"figures": year_figures(year)})
