from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path

from hallbar.api.api import api
from hallbar.organisations import views as organisations_views


def _public(patterns):
    """Let the API answer unauthenticated calls itself (401 JSON), not with a login redirect."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        elif hasattr(pattern, "callback"):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


def _only_with_password_login(patterns):
    """Answer 404 from the password pages when password logins are switched off.

    Login and logout are hallbar's own views (organisations.views), listed before these.
    """
    patterns = [p for p in patterns if p.name not in {"login", "logout"}]
    for pattern in patterns:
        view = pattern.callback

        def guarded(request, *args, _view=view, **kwargs):
            if not settings.HALLBAR_PASSWORD_LOGIN:
                raise Http404
            return _view(request, *args, **kwargs)

        guarded.__dict__.update(view.__dict__)
        pattern.callback = guarded
    return patterns


auth_urls = import_module("django.contrib.auth.urls")
api_urls, api_app, api_namespace = api.urls
urlpatterns = [
    path("", include("hallbar.home.urls")),
    path("", include("hallbar.core.urls")),
    path("accounts/login/", organisations_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", organisations_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include(_only_with_password_login(list(auth_urls.urlpatterns)))),
    # Single sign-on (OpenID Connect): sso/oidc/<provider>/login/ and its callback
    path("sso/", include("hallbar.organisations.sso_urls")),
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
