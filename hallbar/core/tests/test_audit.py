"""The audit log's chain: append-only, tamper-evident, linear under concurrent appends."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from hallbar.core import audit
from hallbar.core.models import AppendOnlyError, AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _append(count: int, kind: str = audit.Kind.EXPORT) -> list[AuditEvent]:
    return [
        audit.record(kind, object_type="file", object_label=f"file-{n}.csv", detail={"n": n})
        for n in range(count)
    ]


def _start() -> int:
    """The sequence number the next entry will get (other tests' logins may precede)."""
    head = AuditHead.objects.filter(pk=1).first()
    return (head.sequence if head else 0) + 1


def test_entries_are_chained_by_their_hashes():
    first = _start()
    events = _append(3)
    assert [e.sequence for e in events] == [first, first + 1, first + 2]
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert all(audit.compute_hash(e) == e.hash for e in events)
    report = audit.verify_chain()
    assert report.ok, report.problem
    assert report.checked == first + 2


def test_the_first_entry_follows_the_genesis_hash():
    events = _append(1)
    first = AuditEvent.objects.order_by("sequence").first()
    assert first is not None
    assert first.sequence == 1
    assert first.previous_hash == audit.GENESIS
    assert events


def test_record_names_the_actor_address_and_object_of_the_request(django_user_model):
    user = django_user_model.objects.create_user(username="auditor-x")
    request = RequestFactory().get("/x/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    event = audit.record(audit.Kind.DOWNLOAD, request=request, obj=user, detail={"why": "test"})
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == user
    assert event.actor_name == "auditor-x"
    assert event.client_address == "10.1.2.3"
    assert event.object_type == "organisations.user"
    assert event.object_id == str(user.pk)
    assert event.detail == {"why": "test"}
    assert audit.compute_hash(event) == event.hash  # the hash survives the round trip


def test_the_address_behind_proxies_is_the_one_the_trusted_proxy_saw(settings):
    settings.HALLBAR_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )
    assert audit.client_address(request) == "192.0.2.7"
    settings.HALLBAR_PROXY_COUNT = 0
    assert audit.client_address(request) == "10.0.0.1"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        audit.record("read_my_mind")


def test_the_orm_refuses_to_change_or_remove_an_entry():
    (event,) = _append(1)
    event.object_label = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(sequence=999999)])
    assert AuditEvent.objects.get(pk=event.pk).object_label == "file-0.csv"


def test_the_database_refuses_an_update_behind_the_orms_back():
    (event,) = _append(1)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_label = 'x' WHERE id = %s", [event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_a_delete_behind_the_orms_back():
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def _drop_trigger() -> None:
    """Do what an intruder with the database's owner rights would: switch the guard off.

    DDL is transactional on both databases: the test's rollback puts the trigger back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_append_only ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_append_only")


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_tampered_entry_is_detected_and_named():
    events = _append(5)
    assert audit.verify_chain().ok
    _drop_trigger()
    target = events[2]
    _raw(
        "UPDATE core_auditevent SET object_label = %s WHERE id = %s",
        ["innocent.csv", target.pk],
    )
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == target.sequence
    assert f"entry {target.sequence} was changed" in report.problem


def test_a_tampered_entry_whose_hash_was_recomputed_breaks_the_next_link():
    events = _append(3)
    _drop_trigger()
    target = events[1]
    target.actor_name = "someone-else"
    forged = audit.compute_hash(target)
    _raw(
        "UPDATE core_auditevent SET actor_name = %s, hash = %s WHERE id = %s",
        ["someone-else", forged, target.pk],
    )
    report = audit.verify_chain()
    assert report.broken_at == events[2].sequence
    assert "does not follow" in report.problem


def test_a_removed_middle_entry_is_detected():
    events = _append(5)
    _drop_trigger()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit.verify_chain()
    assert report.broken_at == events[2].sequence
    assert "missing" in report.problem


def test_removed_last_entries_are_detected_by_the_head():
    events = _append(3)
    _drop_trigger()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == events[2].sequence


def test_the_command_reports_a_sound_chain_and_fails_on_a_broken_one():
    events = _append(3)
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "intact" in out.getvalue()
    _drop_trigger()
    _raw("UPDATE core_auditevent SET kind = 'login' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"entry {events[1].sequence}"):
        call_command("verify_audit_log", stdout=StringIO())


def test_the_chain_stays_linear_after_many_appends():
    before = _start()
    _append(60)
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, before + 60))
    assert AuditEvent.objects.values("previous_hash").distinct().count() == before + 59
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need real transactions")
@pytest.mark.parametrize("head", ["made by the migration", "missing"])
def test_concurrent_appends_do_not_fork_the_chain(head):
    if head == "missing":  # as in a database emptied by a flush: the first appends make it
        assert not AuditEvent.objects.exists()
        AuditHead.objects.all().delete()
    else:
        AuditHead.objects.get_or_create(pk=1, defaults={"sequence": 0})
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                audit.record(audit.Kind.EXPORT, object_label=f"t{n}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = audit.verify_chain()
    assert report.ok, report.problem
    assert AuditEvent.objects.filter(object_label__startswith="t").count() == 40
    assert AuditEvent.objects.values("previous_hash").distinct().count() == report.checked
