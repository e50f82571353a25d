"""Start pages per role, login, language, admin access, demo data."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hallbar.core.demo import DEMO_USERS
from hallbar.funding.models import BudgetLine, FeeDecision, RegionDecision
from hallbar.organisations.models import Membership, User

pytestmark = pytest.mark.django_db


def test_start_page_for_a_buyer_points_to_region_and_contributions(fee_decisions, cast, client_for):
    page = client_for(cast.alice).get(reverse("core:home")).content.decode()
    assert "Region Stockholm" in page
    assert reverse("funding:contribution-list") in page
    assert reverse("funding:budget") not in page


def test_start_page_for_the_secretariat_says_budget_is_missing(fee_decisions, cast, client_for):
    page = client_for(cast.secretariat).get(reverse("core:home")).content.decode()
    assert "card--empty" in page
    assert reverse("funding:budget") in page


def test_start_page_for_a_supplier_shows_only_its_company(cast, client_for):
    page = client_for(cast.charlie).get(reverse("core:home")).content.decode()
    assert "Medisupply Sverige AB" in page
    assert "Globex" not in page
    assert reverse("organisations:region-list") not in page
    assert reverse("funding:contribution-list") not in page


def test_start_page_for_a_user_without_role(cast, client_for):
    page = client_for(cast.nobody).get(reverse("core:home")).content.decode()
    assert "card--empty" in page


def test_login_and_logout(cast, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "cast-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("core:home")).status_code == 302


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
    assert '<html lang="sv">' in client.get(reverse("core:home")).content.decode()
    response = client.post(reverse("core:set-language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in page
    assert "Welcome" in page


def test_language_switch_works_before_login(client):
    response = client.post(
        reverse("core:set-language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_health_check_is_public(client):
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


@pytest.mark.parametrize(
    "who, allowed", [("secretariat", True), ("alice", False), ("charlie", False)]
)
def test_admin_is_for_secretariat_administrators(cast, client_for, who, allowed):
    user = getattr(cast, who)
    user.is_staff = True  # even a staff flag does not open the admin without the secretariat role
    user.save()
    response = client_for(user).get("/admin/")
    assert (response.status_code == 200) is allowed


def test_load_demo_is_deterministic_and_idempotent(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # never the developer's var/: the demo writes spend and files
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("load_demo", stdout=None)
    counts = [
        m.objects.count() for m in (User, Membership, FeeDecision, RegionDecision, BudgetLine)
    ]
    call_command("load_demo")
    assert counts == [
        m.objects.count() for m in (User, Membership, FeeDecision, RegionDecision, BudgetLine)
    ]
    assert counts[0] == len(DEMO_USERS)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "secretariat",
        "steering_group",
        "area_coordinator",
        "region_contact",
        "buyer",
        "auditor",
        "supplier_contact",
    }
    jamtland = RegionDecision.objects.get(reference="RS/29/2022")
    assert jamtland.annual_amount_sek == 131_418 and str(jamtland.decided_on) == "2022-04-06"
    assert User.objects.get(username="upphandlare.stockholm").check_password("hallbar-demo")
