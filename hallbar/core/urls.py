from django.urls import path

from hallbar.core import views

app_name = "core"
urlpatterns = [
    path("language/", views.set_language, name="set-language"),
    path("healthz/", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
]

from hallbar.core import import_views  # noqa: E402

urlpatterns += [
    path("imports/<uuid:public_id>/", import_views.job_detail, name="import-job"),
    path(
        "imports/<uuid:public_id>/valid-rows/",
        import_views.job_import_valid_rows,
        name="import-job-valid-rows",
    ),
    path("imports/<uuid:public_id>/confirm/", import_views.job_confirm, name="import-job-confirm"),
]
