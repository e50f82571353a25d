from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from hallbar.api.api import api


def _public(patterns):
    """Let the API answer unauthenticated calls itself (401 JSON), not with a login redirect."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        elif hasattr(pattern, "callback"):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


api_urls, api_app, api_namespace = api.urls
urlpatterns = [
    path("", include("hallbar.home.urls")),
    path("", include("hallbar.core.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("hallbar.organisations.account_urls")),
    path("account/tokens/", include("hallbar.api.urls")),
    path("regions/", include("hallbar.organisations.urls")),
    path("funding/", include("hallbar.funding.urls")),
    path("categories/", include("hallbar.categories.urls")),
    path("suppliers/", include("hallbar.suppliers.urls")),
    path("contracts/", include("hallbar.contracts.urls")),
    path("risk/", include("hallbar.risk.urls")),
    path("requirements/", include("hallbar.requirements.urls")),
    path("followups/", include("hallbar.followups.urls")),
    path("portal/", include("hallbar.followups.portal_urls")),
    path("", include("hallbar.reporting.public_urls")),  # results/figures/, datasets/
    path("results/", include("hallbar.followups.results_urls")),
    path("plans/", include("hallbar.planning.urls")),
    path("training/", include("hallbar.training.urls")),
    path("reporting/", include("hallbar.reporting.urls")),
    path("api/", (_public(api_urls), api_app, api_namespace)),
    path("admin/", admin.site.urls),
]
