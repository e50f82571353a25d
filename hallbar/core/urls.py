from django.urls import path

from hallbar.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set-language"),
    path("healthz/", views.healthz, name="healthz"),
]
