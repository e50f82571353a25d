from django.urls import path

from hallbar.home import views

app_name = "home"
urlpatterns = [
    path("", views.start, name="start"),
]
