from django.urls import path

from hallbar.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract-list"),
    path("new/", views.contract_create, name="contract-create"),
    path("import/", views.contract_import, name="contract-import"),
    path("import/template.<str:file_format>", views.import_template, name="contract-template"),
    path("harmonisation/", views.harmonisation_page, name="harmonisation"),
    path("<uuid:public_id>/", views.contract_detail, name="contract-detail"),
    path("<uuid:public_id>/edit/", views.contract_edit, name="contract-edit"),
    path("<uuid:public_id>/delete/", views.contract_delete, name="contract-delete"),
]
