"""The tests' fast cast (`demo.testing.make_cast`) writes exactly the rows the services write, the
audit log's entries appended to a whole chain, and leaves the tables ready for the next row."""

import pytest
from django.db import transaction

from hallbar.core import audit
from hallbar.core.models import AuditEvent, HistoryEntry
from hallbar.demo import testing
from hallbar.organisations.models import Membership, Organisation, Role, User
from hallbar.organisations.services import add_membership

pytestmark = pytest.mark.django_db

# Set when a row is written (auto_now, the audit chain): the time and place of that write
WRITTEN = {"id", "created_at", "updated_at", "at", "sequence", "hash", "previous_hash"}


def _rows(since_history: int, since_audit: int, since_organisation: int) -> dict:
    def content(queryset) -> list[dict]:
        return [{k: v for k, v in row.items() if k not in WRITTEN} for row in queryset.values()]

    return {
        "users": list(User.objects.order_by("pk").values()),
        "memberships": content(Membership.objects.order_by("pk")),
        "membership numbers": list(Membership.objects.order_by("pk").values_list("pk", flat=True)),
        "organisations": list(
            Organisation.objects.filter(pk__gt=since_organisation)
            .order_by("pk")
            .values("pk", "public_id", "kind", "name")
        ),
        "history": content(HistoryEntry.objects.filter(pk__gt=since_history).order_by("pk")),
        "audit": content(AuditEvent.objects.filter(pk__gt=since_audit).order_by("pk")),
    }


def test_the_fast_cast_writes_the_services_rows_again(monkeypatch):
    monkeypatch.setattr(testing, "_cast_recordings", {})
    marks = (
        testing._last_pk(HistoryEntry),
        testing._last_pk(AuditEvent),
        testing._last_pk(Organisation),
    )
    # Given the services' rows, recorded when the cast is first made in an empty user table
    with transaction.atomic():
        made = testing.make_cast()
        assert list(testing._cast_recordings.values())[0] is not None
        created = _rows(*marks)
        transaction.set_rollback(True)
    assert created["users"] and created["memberships"] and created["audit"]
    assert not User.objects.exists()
    # When the cast is made again, without the services
    monkeypatch.setattr(testing, "ensure_user", lambda *a, **k: pytest.fail("not replayed"))
    cast = testing.make_cast()
    # Then the same rows are there, with the same numbers, and the audit chain is whole
    assert _rows(*marks) == created
    assert {k: u.pk for k, u in cast.everyone().items()} == {
        k: u.pk for k, u in made.everyone().items()
    }
    assert audit.verify_chain().ok, audit.verify_chain().problem
    assert cast.alice.check_password(testing.CAST_PASSWORD)
    # and the next rows follow them
    user = User.objects.create(username="newcomer")
    assert user.pk > max(u.pk for u in cast.everyone().values())
    organisation = Organisation.objects.create(kind=Organisation.Kind.AUDIT_FIRM, name="Ny firma")
    membership = add_membership(
        user=user, organisation=organisation, role=Role.AUDITOR, acting_user=None
    )
    assert membership.pk > max(created["membership numbers"])
    assert audit.verify_chain().ok


def test_a_cast_on_a_changed_database_is_made_by_the_services(monkeypatch):
    monkeypatch.setattr(testing, "_cast_recordings", {})
    with transaction.atomic():
        testing.make_cast()
        transaction.set_rollback(True)
    # An organisation more than when the cast was recorded: its numbers could collide
    Organisation.objects.create(kind=Organisation.Kind.AUDIT_FIRM, name="Ännu en firma")
    calls = []
    real = testing.ensure_user
    monkeypatch.setattr(testing, "ensure_user", lambda *a, **k: calls.append(1) or real(*a, **k))
    cast = testing.make_cast()
    assert len(calls) == len(testing.CAST)
    assert cast.nobody.username == "nobody" and audit.verify_chain().ok
