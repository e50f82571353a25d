from django.urls import path

from hallbar.suppliers import views

app_name = "suppliers"
urlpatterns = [
    path("", views.supplier_list, name="supplier-list"),
    path("new/", views.supplier_create, name="supplier-create"),
    path("import/", views.supplier_import, name="supplier-import"),
    path("import/template.<str:file_format>", views.import_template, name="supplier-template"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<uuid:review_id>/", views.review_decide, name="review-decide"),
    path("unmatched-spend/", views.unmatched_spend_list, name="unmatched-spend-list"),
    path(
        "unmatched-spend/<uuid:public_id>/",
        views.unmatched_spend_resolve,
        name="unmatched-spend-resolve",
    ),
    path("merges/<uuid:merge_id>/undo/", views.merge_undo, name="merge-undo"),
    path("<uuid:public_id>/", views.supplier_detail, name="supplier-detail"),
    path("<uuid:public_id>/edit/", views.supplier_edit, name="supplier-edit"),
    path("<uuid:public_id>/merge/", views.supplier_merge, name="supplier-merge"),
    path("<uuid:public_id>/sites/new/", views.site_create, name="site-create"),
    path("<uuid:public_id>/sites/<uuid:site_id>/delete/", views.site_delete, name="site-delete"),
]
