from django.urls import path

from hallbar.followups import views

app_name = "results"

urlpatterns = [
    path("", views.results_list, name="list"),
    path("<uuid:public_id>/", views.results_detail, name="detail"),
]
