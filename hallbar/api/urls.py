from django.urls import path

from hallbar.api import views

app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="token-list"),
    path("<uuid:public_id>/revoke/", views.token_revoke, name="token-revoke"),
]
