from django.urls import path

from hallbar.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.index, name="index"),
    path("analyses/new/", views.analysis_create, name="analysis-create"),
    path("analyses/<uuid:public_id>/", views.analysis_detail, name="analysis-detail"),
    path("analyses/<uuid:public_id>/edit/", views.analysis_edit, name="analysis-edit"),
    path("analyses/<uuid:public_id>/adjust/", views.analysis_adjust, name="analysis-adjust"),
    path("analyses/<uuid:public_id>/approve/", views.analysis_approve, name="analysis-approve"),
    path(
        "analyses/<uuid:public_id>/new-version/",
        views.analysis_new_version,
        name="analysis-new-version",
    ),
    path("adjustments/<uuid:public_id>/delete/", views.adjustment_delete, name="adjustment-delete"),
    path("method/", views.method_settings, name="method-settings"),
    path("method/description/", views.method_document, name="method-document"),
    path("method/edit/", views.method_settings_edit, name="method-settings-edit"),
    path("data/", views.data_editions, name="data-editions"),
    path("data/load/", views.data_editions_load, name="data-editions-load"),
]

# Spend and screening pages.
from hallbar.risk.screening_views import SCREENING_URLS  # noqa: E402

urlpatterns += [path(route, view, name=name) for route, view, name in SCREENING_URLS]
