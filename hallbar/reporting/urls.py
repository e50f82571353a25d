from django.urls import path

from hallbar.reporting import goal_views, report_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/<str:region>/", views.region_dashboard, name="region-dashboard"),
    path("annual-report/", report_views.annual_report, name="annual-report"),
    path(
        "annual-report/generate/",
        report_views.annual_report_generate,
        name="annual-report-generate",
    ),
    path(
        "annual-report/<uuid:public_id>/pdf/",
        report_views.annual_report_download,
        name="annual-report-download",
    ),
    # strategy goals (helper "goals")
    path("goals/", goal_views.period_list, name="period-list"),
    path("goals/new/", goal_views.period_create, name="period-create"),
    path("goals/<uuid:public_id>/", goal_views.period_detail, name="period-detail"),
    path("goals/<uuid:public_id>/edit/", goal_views.period_edit, name="period-edit"),
    path("goals/<uuid:public_id>/delete/", goal_views.period_delete, name="period-delete"),
    path("goals/<uuid:public_id>/goals/new/", goal_views.goal_create, name="goal-create"),
    path("goals/goal/<uuid:public_id>/edit/", goal_views.goal_edit, name="goal-edit"),
    path("goals/goal/<uuid:public_id>/delete/", goal_views.goal_delete, name="goal-delete"),
    path(
        "goals/goal/<uuid:public_id>/indicators/new/",
        goal_views.indicator_create,
        name="indicator-create",
    ),
    path(
        "goals/indicator/<uuid:public_id>/edit/",
        goal_views.indicator_edit,
        name="indicator-edit",
    ),
    path(
        "goals/indicator/<uuid:public_id>/delete/",
        goal_views.indicator_delete,
        name="indicator-delete",
    ),
    path(
        "goals/indicator/<uuid:public_id>/targets/",
        goal_views.indicator_targets,
        name="indicator-targets",
    ),
]
