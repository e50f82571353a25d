from django.urls import path

from hallbar.requirements import views

app_name = "requirements"
urlpatterns = [
    path("", views.index, name="index"),
    path("code/", views.code_list, name="code-list"),
    path("code/new/", views.code_create, name="code-create"),
    path("code/diff/", views.code_diff, name="code-diff"),
    path("code/<uuid:public_id>/", views.code_detail, name="code-detail"),
    path("code/<uuid:public_id>/edit/", views.code_edit, name="code-edit"),
    path(
        "code/<uuid:public_id>/download/<str:language>.<str:file_format>",
        views.code_download,
        name="code-download",
    ),
    path("code/<uuid:public_id>/publish/", views.code_publish, name="code-publish"),
    path("code/<uuid:public_id>/new-version/", views.code_new_version, name="code-new-version"),
    path("clause/", views.clause_list, name="clause-list"),
    path("clause/new/", views.clause_create, name="clause-create"),
    path("clause/diff/", views.clause_diff, name="clause-diff"),
    path("clause/<uuid:public_id>/", views.clause_detail, name="clause-detail"),
    path("clause/<uuid:public_id>/edit/", views.clause_edit, name="clause-edit"),
    path(
        "clause/<uuid:public_id>/download/<str:language>.<str:file_format>",
        views.clause_download,
        name="clause-download",
    ),
    path("clause/<uuid:public_id>/publish/", views.clause_publish, name="clause-publish"),
    path(
        "clause/<uuid:public_id>/new-version/",
        views.clause_new_version,
        name="clause-new-version",
    ),
    path("criteria/", views.criterion_list, name="criterion-list"),
    path("criteria/new/", views.criterion_create, name="criterion-create"),
    path("criteria/diff/", views.criterion_diff, name="criterion-diff"),
    path("criteria/<uuid:public_id>/", views.criterion_detail, name="criterion-detail"),
    path("criteria/<uuid:public_id>/edit/", views.criterion_edit, name="criterion-edit"),
    path("criteria/<uuid:public_id>/publish/", views.criterion_publish, name="criterion-publish"),
    path(
        "criteria/<uuid:public_id>/new-version/",
        views.criterion_new_version,
        name="criterion-new-version",
    ),
]
