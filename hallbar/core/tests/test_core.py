"""Login, language, health check, admin access."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_and_logout(cast, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "cast-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("home:start")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home:start")).status_code == 302


def test_wrong_password_is_refused_with_a_message(cast, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_password_reset_sends_an_email(cast, client):
    cast.alice.email = "alice@example.org"
    cast.alice.save()
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change(cast, client):
    client.force_login(cast.bob)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "cast-password-1",
            "new_password1": "a-Long-new-pass-42",
            "new_password2": "a-Long-new-pass-42",
        },
    )
    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.check_password("a-Long-new-pass-42")


def test_swedish_by_default_english_on_request(cast, client):
    client.force_login(cast.alice)
    assert '<html lang="sv">' in client.get(reverse("home:start")).content.decode()
    response = client.post(reverse("core:set-language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home:start")).content.decode()
    assert '<html lang="en">' in page
    assert "Welcome" in page


def test_language_switch_works_before_login(client):
    response = client.post(
        reverse("core:set-language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_health_check_is_public(client):
    # no worker runs in the tests: the check answers, without a login, that it is missing
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "ok"}


@pytest.mark.parametrize(
    "who, allowed", [("secretariat", True), ("alice", False), ("charlie", False)]
)
def test_admin_is_for_secretariat_administrators(cast, client_for, who, allowed):
    user = getattr(cast, who)
    user.is_staff = True  # even a staff flag does not open the admin without the secretariat role
    user.save()
    response = client_for(user).get("/admin/")
    assert (response.status_code == 200) is allowed
