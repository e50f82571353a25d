from django.urls import path

from hallbar.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual-report/", views.annual_report, name="annual-report"),
    path("annual-report/generate/", views.annual_report_generate, name="annual-report-generate"),
    path(
        "annual-report/<uuid:public_id>/pdf/",
        views.annual_report_download,
        name="annual-report-download",
    ),
]
