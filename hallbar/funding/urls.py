from django.urls import path

from hallbar.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.contribution_list, name="contribution-list"),
    path("fee-decisions/", views.fee_decision_list, name="fee-decision-list"),
    path("region-decisions/", views.region_decisions, name="region-decisions"),
    path(
        "region-decisions/new/<str:county_code>/",
        views.region_decision_create,
        name="region-decision-create",
    ),
    path(
        "region-decisions/<uuid:public_id>/edit/",
        views.region_decision_edit,
        name="region-decision-edit",
    ),
    path(
        "invoiced/<str:county_code>/<int:year>/",
        views.invoice_choice,
        name="invoicechoice-edit",
    ),
    path("budget/", views.budget, name="budget"),
    path("budget/<uuid:public_id>/edit/", views.budget_line_edit, name="budgetline-edit"),
    path("budget/<uuid:public_id>/delete/", views.budget_line_delete, name="budgetline-delete"),
]
