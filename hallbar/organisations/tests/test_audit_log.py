"""What the audit log records (logins, lockouts, roles, memberships, exports) and its page."""

import csv
import io

import pytest
from django.urls import reverse

from hallbar.core import audit
from hallbar.core.models import AuditEvent
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.organisations.models import Membership, Organisation, Role, User
from hallbar.organisations.services import add_membership

LOGIN = "/accounts/login/"
LOG = reverse("account:audit-log-list")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def _latest(kind: str, **filters) -> AuditEvent:
    event = AuditEvent.objects.filter(kind=kind, **filters).order_by("-sequence").first()
    assert event is not None, f"no {kind} entry"
    return event


def _log_in(client, username, password, address="192.0.2.10"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def test_a_login_is_recorded_with_the_person_and_address(cast, client):
    assert _log_in(client, "alice", CAST_PASSWORD, "198.51.100.4").status_code == 302
    event = _latest(audit.Kind.LOGIN)
    assert event.actor == cast.alice
    assert event.actor_name == "alice"
    assert event.client_address == "198.51.100.4"
    assert event.object_type == "organisations.user"


def test_a_failed_login_is_recorded_with_the_name_tried_and_no_actor(cast, client):
    before = AuditEvent.objects.filter(kind=audit.Kind.LOGIN_FAILED).count()
    assert _log_in(client, "alice", "wrong-password-123", "198.51.100.5").status_code == 200
    assert AuditEvent.objects.filter(kind=audit.Kind.LOGIN_FAILED).count() == before + 1
    event = _latest(audit.Kind.LOGIN_FAILED)
    assert event.actor is None
    assert event.object_label == "alice"
    assert event.detail == {"username": "alice"}
    assert event.client_address == "198.51.100.5"
    assert "wrong-password" not in str(event.detail)


def test_a_logout_is_recorded(cast, client):
    _log_in(client, "bob", CAST_PASSWORD)
    client.post(reverse("logout"))
    event = _latest(audit.Kind.LOGOUT)
    assert event.actor == cast.bob


def test_a_lockout_and_its_unlock_are_recorded(cast, client):
    for _ in range(5):
        _log_in(client, "alice", "wrong-password-123")
    lock = _latest(audit.Kind.LOCKOUT)
    assert lock.object_label == "alice"
    assert lock.detail["username"] == "alice"
    assert lock.detail["address"] == "192.0.2.10"
    client.force_login(cast.secretariat)
    client.post(reverse("account:lockout-unlock"), {"kind": "account", "value": "alice"})
    unlock = _latest(audit.Kind.UNLOCK)
    assert unlock.actor == cast.secretariat
    assert unlock.detail == {"unlocked": "account", "name": "alice", "failures": 5}


def test_a_role_change_in_the_admin_is_recorded_with_old_and_new(cast, client):
    membership = cast.alice.memberships.get(role=Role.BUYER)
    client.force_login(cast.secretariat)
    url = reverse("admin:organisations_membership_change", args=[membership.pk])
    response = client.post(
        url,
        {
            "user": cast.alice.pk,
            "organisation": membership.organisation_id,
            "role": Role.REGION_CONTACT,
            "area": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = _latest(audit.Kind.ROLE_CHANGED)
    assert event.actor == cast.secretariat
    assert event.object_type == "organisations.membership"
    assert event.object_id == str(membership.public_id)
    assert event.detail["before"]["role"] == Role.BUYER
    assert event.detail["after"]["role"] == Role.REGION_CONTACT
    assert event.detail["user"] == "alice"


def test_a_new_membership_names_the_acting_user(cast):
    firm = Organisation.objects.create(name="Granskarna AB", kind=Organisation.Kind.AUDIT_FIRM)
    person = User.objects.create_user(username="greta")
    membership = add_membership(
        user=person, organisation=firm, role=Role.AUDITOR, acting_user=cast.secretariat
    )
    event = _latest(audit.Kind.MEMBERSHIP_CHANGED, object_id=str(membership.public_id))
    assert event.actor == cast.secretariat
    assert event.detail["change"] == "created"
    assert event.detail["before"] is None
    assert event.detail["after"]["role"] == Role.AUDITOR
    assert event.detail["after"]["organisation"] == "Granskarna AB"


def test_a_removed_membership_and_a_deactivated_user_are_recorded(cast):
    membership = cast.bob.memberships.first()
    public_id = str(membership.public_id)
    with audit.acting_as(cast.secretariat):
        membership.delete()
        cast.bob.is_active = False
        cast.bob.save()
    removed = _latest(audit.Kind.MEMBERSHIP_CHANGED, object_id=public_id)
    assert removed.detail["change"] == "deleted"
    assert removed.actor == cast.secretariat
    deactivated = _latest(audit.Kind.USER_DEACTIVATED)
    assert deactivated.object_id == str(cast.bob.pk)
    assert deactivated.actor == cast.secretariat


def test_granting_superuser_status_is_a_role_change(cast):
    cast.bob.is_superuser = True
    cast.bob.save()
    event = _latest(audit.Kind.ROLE_CHANGED, object_id=str(cast.bob.pk))
    assert event.detail == {
        "before": {"is_staff": False, "is_superuser": False},
        "after": {"is_staff": False, "is_superuser": True},
    }


def test_saving_a_membership_unchanged_records_nothing(cast):
    membership = cast.alice.memberships.first()
    before = AuditEvent.objects.count()
    membership.save()
    assert AuditEvent.objects.count() == before


def test_a_csv_export_is_recorded_with_its_file_filters_and_rows(cast, client):
    client.force_login(cast.secretariat)
    response = client.get(reverse("suppliers:supplier-list") + "?format=csv&q=zz-none")
    assert response.status_code == 200
    event = _latest(audit.Kind.EXPORT)
    assert event.actor == cast.secretariat
    assert event.object_label == "suppliers.csv"
    assert event.detail["file"] == "suppliers.csv"
    assert event.detail["path"] == "/suppliers/?format=csv&q=zz-none"
    assert event.detail["rows"] == 0


# --- the page ----------------------------------------------------------------------------------


def test_the_secretariat_finds_entries_by_text_kind_and_actor(cast, client):
    audit.record(audit.Kind.DOWNLOAD, user=cast.auditor, object_label="MARKER-report-7.pdf")
    audit.record(audit.Kind.EXPORT, user=cast.alice, object_label="MARKER-contracts.csv")
    client.force_login(cast.secretariat)
    page = client.get(LOG + "?q=MARKER").content.decode()
    assert "MARKER-report-7.pdf" in page and "MARKER-contracts.csv" in page
    page = client.get(LOG + "?q=MARKER&kind=download").content.decode()
    assert "MARKER-report-7.pdf" in page and "MARKER-contracts.csv" not in page
    page = client.get(LOG + "?q=MARKER&actor=alice").content.decode()
    assert "MARKER-report-7.pdf" not in page and "MARKER-contracts.csv" in page
    page = client.get(LOG + "?object=report-7").content.decode()
    assert "MARKER-report-7.pdf" in page and "MARKER-contracts.csv" not in page
    page = client.get(LOG + "?q=MARKER&until=2000-01-01").content.decode()
    assert "MARKER-report-7.pdf" not in page and "No entry matches the search." in page


def test_the_sort_reverses(cast, client):
    audit.record(audit.Kind.EXPORT, user=cast.alice, object_label="SORT-a")
    audit.record(audit.Kind.EXPORT, user=cast.alice, object_label="SORT-b")
    client.force_login(cast.secretariat)
    newest_first = client.get(LOG + "?q=SORT-").content.decode()
    assert newest_first.index("SORT-b") < newest_first.index("SORT-a")
    oldest_first = client.get(LOG + "?q=SORT-&sort=at").content.decode()
    assert oldest_first.index("SORT-a") < oldest_first.index("SORT-b")
    by_object = client.get(LOG + "?q=SORT-&sort=-object").content.decode()
    assert by_object.index("SORT-b") < by_object.index("SORT-a")


def test_the_download_of_the_log_is_itself_recorded(cast, client):
    audit.record(audit.Kind.DOWNLOAD, user=cast.auditor, object_label="EXPORTED-9.pdf")
    client.force_login(cast.secretariat)
    response = client.get(LOG + "?format=csv&q=EXPORTED-9")
    assert response.status_code == 200
    # English CSV (the reader's language): commas
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "number"
    assert len(rows) == 2 and rows[1][7] == "EXPORTED-9.pdf"
    event = _latest(audit.Kind.EXPORT)
    assert event.object_label == "audit-log.csv"
    assert event.actor == cast.secretariat
    assert event.detail["rows"] == 1


@pytest.mark.parametrize("who", ["alice", "auditor", "charlie"])
def test_only_the_secretariat_sees_the_log(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(LOG).status_code == 404


def test_the_page_is_in_swedish_by_default(cast, client):
    client.cookies.pop("django_language", None)
    client.force_login(cast.secretariat)
    page = client.get(LOG).content.decode()
    assert "<h1>" in page
    assert client.get(LOG + "?since=not-a-date").status_code == 200


def test_memberships_are_recorded_on_any_path(cast):
    # the signal covers direct ORM writes too (admin inlines, commands)
    firm = Organisation.objects.create(name="Revisorerna AB", kind=Organisation.Kind.AUDIT_FIRM)
    person = User.objects.create_user(username="rut")
    membership = Membership.objects.create(user=person, organisation=firm, role=Role.AUDITOR)
    membership.is_active = False
    membership.save()
    event = _latest(audit.Kind.MEMBERSHIP_CHANGED, object_id=str(membership.public_id))
    assert event.detail["before"]["is_active"] is True
    assert event.detail["after"]["is_active"] is False


def test_a_login_that_cannot_be_recorded_does_not_stay_signed_in(cast, client):
    from unittest import mock

    with (
        mock.patch.object(AuditEvent, "save", side_effect=RuntimeError("log down")),
        pytest.raises(RuntimeError, match="log down"),
    ):
        _log_in(client, "alice", CAST_PASSWORD)
    assert "_auth_user_id" not in client.session
