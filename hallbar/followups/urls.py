from django.urls import path

from hallbar.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="followup-list"),
    path("new/", views.followup_create, name="followup-create"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report-detail"),
    path("audits/", views.audit_list, name="audit-list"),
    path("audits/<uuid:public_id>/", views.audit_detail, name="audit-detail"),
    path("documents/<uuid:public_id>/", views.document_download, name="document-download"),
    path("actions/<uuid:public_id>/verify/", views.action_verify, name="action-verify"),
    path("<uuid:public_id>/", views.followup_detail, name="followup-detail"),
    path("<uuid:public_id>/send/", views.followup_send, name="followup-send"),
    path("<uuid:public_id>/assess/", views.followup_assess, name="followup-assess"),
    path("<uuid:public_id>/return/", views.followup_return, name="followup-return"),
    path("<uuid:public_id>/deviations/new/", views.deviation_create, name="deviation-create"),
    path(
        "deviations/<uuid:public_id>/supplier-text/",
        views.deviation_supplier_text,
        name="deviation-supplier-text",
    ),
    path("deviations/<uuid:public_id>/remedy/", views.remedy_create, name="remedy-create"),
    path("remedies/<uuid:public_id>/review/", views.remedy_review, name="remedy-review"),
    path("<uuid:public_id>/audits/new/", views.audit_order, name="audit-order"),
    path("<uuid:public_id>/sanctions/new/", views.sanction_create, name="sanction-create"),
    path("<uuid:public_id>/plan-review/", views.plan_review, name="plan-review"),
    path("<uuid:public_id>/close/", views.followup_close, name="followup-close"),
    path("<uuid:public_id>/cancel/", views.followup_cancel, name="followup-cancel"),
    path("<uuid:public_id>/publish/", views.followup_publish, name="followup-publish"),
]
