from django.urls import path

from hallbar.categories import views

app_name = "categories"
urlpatterns = [
    path("", views.category_list, name="category-list"),
    path("<uuid:public_id>/", views.category_detail, name="category-detail"),
    path("<uuid:public_id>/cpv/add/", views.category_cpv_add, name="category-cpv-add"),
    path("<uuid:public_id>/cpv/remove/", views.category_cpv_remove, name="category-cpv-remove"),
]
