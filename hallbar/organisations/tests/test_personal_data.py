"""One person's data: the export, and anonymising a person while the history stays readable."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hallbar.api.models import ApiToken
from hallbar.api.tokens import create_token
from hallbar.core import audit
from hallbar.core.models import AuditEvent, HistoryEntry
from hallbar.organisations.models import User
from hallbar.organisations.personal_data import anonymise_user, export_personal_data
from hallbar.suppliers.services import save_supplier

pytestmark = pytest.mark.django_db

EMAIL = "eva.ek@region.example.se"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def eva(cast):
    """A coordinator with a name, an e-mail, a membership, a token, a second factor, a change."""
    user = cast.alice
    user.first_name, user.last_name, user.email = "Eva", "Ekström", EMAIL
    user.save()
    return user


@pytest.fixture
def supplier(eva):
    # Eva made the supplier (a history entry by her) and is its due-diligence contact.
    supplier = save_supplier(supplier=None, acting_user=eva, name="Kontaktbolaget AB", country="SE")
    supplier.dd_contact_name = "Eva Ekström"
    supplier.dd_contact_email = EMAIL.upper()
    supplier.dd_contact_phone = "+46 70 123 45 67"
    supplier.save()
    return supplier


def test_the_export_holds_the_persons_record_and_never_a_token_secret(
    eva, supplier, cast, tmp_path
):
    new = create_token(
        user=eva, name="Min rapport", scope="read", expires_on=timezone.localdate() + timedelta(30)
    )
    audit.record(audit.Kind.LOGIN, user=eva, obj=eva)
    save_supplier(supplier=None, acting_user=cast.secretariat, name="Någon annans AB", country="SE")

    out = tmp_path / "eva.json"
    call_command("export_personal_data", eva.username, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)

    assert data["user"]["email"] == EMAIL
    assert data["user"]["last_name"] == "Ekström"
    assert {m["role"] for m in data["memberships"]} == {m.role for m in eva.memberships.all()}
    made = [e["object"] for e in data["history_entries_made"]]
    assert "Kontaktbolaget AB" in made
    assert "Någon annans AB" not in made
    assert any(e["kind"] == "login" and e["by"] == eva.username for e in data["audit_log"])
    assert [s["name"] for s in data["suppliers_as_contact"]] == ["Kontaktbolaget AB"]
    assert data["suppliers_as_contact"][0]["dd_contact_phone"] == "+46 70 123 45 67"
    assert data["contracts_as_contact"] == []
    assert data["training"] == {"attempts": [], "certificates": []}
    assert [t["name"] for t in data["api_tokens"]] == ["Min rapport"]
    assert new.secret not in text
    assert new.token.secret_hash not in text
    # The export itself is in the audit log.
    assert AuditEvent.objects.filter(kind=audit.Kind.EXPORT, object_id=str(eva.pk)).exists()


def test_anonymising_keeps_the_history_readable_under_a_pseudonym(
    eva, supplier, cast, client, client_for
):
    create_token(user=eva, name="t", scope="read", expires_on=timezone.localdate() + timedelta(9))
    TOTPDevice.objects.create(user=eva, name="phone", confirmed=True)
    client_for(eva)
    assert Session.objects.count() == 1
    client.logout()
    client.force_login(eva)  # a live session to be removed

    call_command("anonymise_user", eva.username, "--reason", "Left the region 2026")

    eva = User.objects.get(pk=eva.pk)
    assert eva.username == f"removed-user-{eva.pk}"
    assert str(eva) == f"Borttagen användare {eva.pk}"  # in the platform's language, Swedish
    assert eva.email == ""
    assert not eva.is_active
    assert not eva.has_usable_password()
    row = " ".join(str(v) for v in User.objects.filter(pk=eva.pk).values().get().values())
    assert "Ekström" not in row and EMAIL not in row and "alice" not in row
    assert not TOTPDevice.objects.filter(user=eva).exists()
    assert not ApiToken.objects.filter(user=eva).exists()
    assert not Session.objects.exists()
    # Foreign keys are kept: the supplier's history still names the change's author.
    assert HistoryEntry.objects.filter(actor=eva, object_repr="Kontaktbolaget AB").exists()
    event = AuditEvent.objects.filter(kind=audit.Kind.USER_DEACTIVATED).latest("sequence")
    assert event.object_id == str(eva.pk)
    assert event.detail["reason"] == "Left the region 2026"
    assert event.detail["removed"]["remove_api_tokens"] == 1
    assert HistoryEntry.objects.filter(
        object_id=str(eva.pk), changes__anonymised="Left the region 2026"
    ).exists()

    page = client_for(cast.secretariat).get(
        reverse("suppliers:supplier-detail", args=[supplier.public_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Borttagen användare {eva.pk}" in html
    assert "Ekström" in html  # still the supplier's own contact field, not the user row
    assert ">Eva Ekström<" not in html


def test_the_pseudonym_is_stored_in_the_platform_s_language_whoever_anonymises(eva):
    from django.utils import translation

    with translation.override("en"):
        anonymise_user(eva, acting_user=None, reason="test")
    eva.refresh_from_db()
    assert eva.first_name == "Borttagen användare"
    assert export_personal_data(eva)["user"]["email"] == ""
