from django.urls import path

from hallbar.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.region_list, name="region-list"),
    path("<str:county_code>/", views.region_detail, name="region-detail"),
]
