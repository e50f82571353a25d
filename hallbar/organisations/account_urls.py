from django.urls import path

from hallbar.organisations import views

app_name = "account"
urlpatterns = [
    path("audit-log/", views.audit_log_list, name="audit-log-list"),
    path("language/", views.my_language, name="language"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", views.lockout_unlock, name="lockout-unlock"),
    path("people/<uuid:public_id>/language/", views.contact_language, name="person-language"),
]
