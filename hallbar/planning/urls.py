from django.urls import path

from hallbar.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("followed-up/", views.followed_up_list, name="followed-up"),
    path("external/", views.external_list, name="external-list"),
    path("<uuid:public_id>/", views.plan_detail, name="plan-detail"),
    path("<uuid:public_id>/items/new/", views.item_add, name="item-add"),
    path("<uuid:public_id>/items/<int:item_id>/", views.item_edit, name="item-edit"),
    path("<uuid:public_id>/items/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    path("<uuid:public_id>/waivers/", views.duty_waive, name="duty-waive"),
    path("<uuid:public_id>/approve/", views.plan_approve, name="plan-approve"),
    path("<uuid:public_id>/publish/", views.plan_publish, name="plan-publish"),
]
