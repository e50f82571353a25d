"""Single sign-on URLs: django-allauth's openid_connect views, wrapped by hallbar's.

The names are allauth's own (it reverses them): sso/oidc/<provider>/login/ and its callback,
which is the redirect URI to register with each provider.
"""

from django.urls import path

from hallbar.organisations import views

urlpatterns = [
    path("oidc/<str:provider_id>/login/", views.sso_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        views.sso_callback,
        name="openid_connect_callback",
    ),
]
