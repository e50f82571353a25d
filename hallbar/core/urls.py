from django.urls import path, re_path

from hallbar.core import views

app_name = "core"
urlpatterns = [
    path("language/", views.set_language, name="set-language"),
    # /healthz as monitors and load balancers ask for it, and /healthz/ as it always was
    re_path(r"^healthz/?$", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    # browsers ask for /favicon.ico on pages without a link tag (the API docs, files)
    path("favicon.ico", views.favicon, name="favicon"),
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
