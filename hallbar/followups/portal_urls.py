from django.urls import path

from hallbar.followups import portal_views

app_name = "portal"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("report/", portal_views.report_create, name="report-create"),
    path("actions/<uuid:public_id>/done/", portal_views.action_done, name="action-done"),
    path("deviations/<uuid:public_id>/remedy/", portal_views.remedy_report, name="remedy-report"),
    path("<uuid:public_id>/", portal_views.case, name="case"),
    path("<uuid:public_id>/receipt/", portal_views.receipt, name="receipt"),
    path("<uuid:public_id>/plan/", portal_views.plan_save, name="plan-save"),
]
