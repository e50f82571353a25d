from django.urls import path

from hallbar.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/<str:region>/", views.region_dashboard, name="region-dashboard"),
]
