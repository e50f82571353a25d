from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from hallbar.core import views

app_name = "core"
urlpatterns = [
    path("language/", views.set_language, name="set-language"),
    path("healthz/", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    # browsers ask for /favicon.ico on pages without a link tag (the API docs, files)
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
        name="favicon",
    ),
]

from hallbar.core import import_views  # noqa: E402

urlpatterns += [
    path("imports/<uuid:public_id>/", import_views.job_detail, name="import-job"),
    path(
        "imports/<uuid:public_id>/valid-rows/",
        import_views.job_import_valid_rows,
        name="import-job-valid-rows",
    ),
    path("imports/<uuid:public_id>/retry/", import_views.job_retry, name="import-job-retry"),
    path("imports/<uuid:public_id>/confirm/", import_views.job_confirm, name="import-job-confirm"),
]

from hallbar.core import job_views  # noqa: E402

urlpatterns += [path("jobs/<uuid:public_id>/", job_views.job_detail, name="job")]
