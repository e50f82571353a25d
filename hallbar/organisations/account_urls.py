from django.urls import path

from hallbar.organisations import views

app_name = "account"
urlpatterns = [
    path("audit-log/", views.audit_log_list, name="audit-log-list"),
    path("language/", views.my_language, name="language"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", views.lockout_unlock, name="lockout-unlock"),
    path("second-factor/", views.mfa_verify, name="mfa-verify"),
    path("second-factor/enrol/", views.mfa_enrol, name="mfa-enrol"),
    path("second-factor/recovery-codes/", views.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("second-factor/people/", views.mfa_people, name="mfa-people"),
    path("second-factor/reset/", views.mfa_reset, name="mfa-reset"),
    path("people/<uuid:public_id>/language/", views.contact_language, name="person-language"),
]
