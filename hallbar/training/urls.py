from django.urls import path

from hallbar.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("modules/<uuid:public_id>/", views.module_detail, name="module"),
    path("modules/<uuid:public_id>/lessons/<int:position>/", views.lesson, name="lesson"),
    path("modules/<uuid:public_id>/quiz/", views.quiz, name="quiz"),
    path("attempts/<uuid:public_id>/", views.attempt_result, name="attempt"),
    path("certificates/<uuid:public_id>/pdf/", views.certificate_download, name="certificate"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("images/<uuid:public_id>/", views.image, name="image"),
    path("manage/", views.manage, name="manage"),
    path("manage/modules/new/", views.module_create, name="module-create"),
    path("manage/modules/<uuid:public_id>/edit/", views.module_edit, name="module-edit"),
    path("manage/modules/<uuid:public_id>/lessons/new/", views.lesson_edit, name="lesson-create"),
    path(
        "manage/modules/<uuid:public_id>/lessons/<uuid:lesson_id>/edit/",
        views.lesson_edit,
        name="lesson-edit",
    ),
    path(
        "manage/modules/<uuid:public_id>/questions/new/",
        views.question_create,
        name="question-create",
    ),
    path("manage/modules/<uuid:public_id>/questions/", views.question_list, name="questions"),
    path(
        "manage/modules/<uuid:public_id>/questions/<uuid:question_id>/edit/",
        views.question_edit,
        name="question-edit",
    ),
    path(
        "manage/modules/<uuid:public_id>/questions/<uuid:question_id>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path("manage/modules/<uuid:public_id>/images/new/", views.image_upload, name="image-upload"),
    path("manage/modules/<uuid:public_id>/publish/", views.module_publish, name="module-publish"),
    path(
        "manage/modules/<uuid:public_id>/new-version/",
        views.module_new_version,
        name="module-new-version",
    ),
    path("participation/", views.participation, name="participation"),
]
