"""/healthz: 200 when the database, the task worker and the disk are fine, 503 naming the one
that is not; public, and it says nothing about the installation beyond the checks."""

import json
import logging
import time
from collections import namedtuple
from datetime import timedelta

import pytest
from django.db import DatabaseError, OperationalError
from django.urls import reverse
from django.utils import timezone

from hallbar.core import health, heartbeat
from hallbar.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

Usage = namedtuple("Usage", "total used free")
MB = 1024 * 1024


@pytest.fixture
def healthy(settings, monkeypatch):
    """A worker seen just now and plenty of disk (the test machine's own disk may be full)."""
    settings.HALLBAR_WORKER_STALE_SECONDS = 90
    settings.HALLBAR_MIN_FREE_DISK_MB = 1024
    monkeypatch.setattr(health.shutil, "disk_usage", lambda _path: Usage(0, 0, 5000 * MB))
    heartbeat.beat("worker-1", timezone.now())


def _get(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_all_ok_is_200_without_a_login(client, healthy):
    status, body = _get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["worker"]["status"] == "ok"
    assert 0 <= body["checks"]["worker"]["last_seen_seconds"] < 60
    assert body["checks"]["disk"] == {"status": "ok", "free_mb": 5000, "min_free_mb": 1024}
    assert reverse("core:healthz") == "/healthz"
    assert client.get("/healthz/").status_code == 200  # the old address still answers


def test_a_stale_heartbeat_is_503(client, healthy):
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(seconds=91))
    status, body = _get(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["worker"]["status"] == "fail"
    assert body["checks"]["worker"]["last_seen_seconds"] == 91
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["disk"]["status"] == "ok"


def test_no_worker_ever_seen_is_503(client, healthy):
    WorkerHeartbeat.objects.all().delete()
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["worker"] == {
        "status": "fail",
        "last_seen_seconds": None,
        "stale_after_seconds": 90,
    }


def test_the_newest_of_several_workers_counts(client, healthy):
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(hours=2))
    heartbeat.beat("worker-2", timezone.now())
    assert _get(client)[0] == 200


def test_too_little_disk_is_503(client, healthy, monkeypatch):
    monkeypatch.setattr(health.shutil, "disk_usage", lambda _path: Usage(0, 0, 1023 * MB))
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["disk"] == {"status": "fail", "free_mb": 1023, "min_free_mb": 1024}
    assert body["checks"]["worker"]["status"] == "ok"


def test_a_database_that_does_not_answer_is_503(client, healthy, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    # Only the health check's own connection use fails: the page must still answer (503).
    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    monkeypatch.setattr(heartbeat, "last_seen", broken_cursor)
    logging.getLogger("hallbar.core.health").disabled = True
    try:
        status, body = _get(client)
    finally:
        logging.getLogger("hallbar.core.health").disabled = False
    assert status == 503
    assert body["checks"]["database"] == {"status": "fail"}
    assert body["checks"]["worker"]["status"] == "fail"


def test_no_worker_is_needed_when_tasks_run_in_process(client, healthy, settings):
    WorkerHeartbeat.objects.all().delete()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    status, body = _get(client)
    assert status == 200
    assert body["checks"]["worker"] == {"status": "ok", "needed": False}


def test_the_report_reveals_nothing_else(client, healthy, settings):
    text = json.dumps(_get(client)[1])
    for secret in (settings.SECRET_KEY, str(settings.DATA_DIR), "worker-1", "sqlite", "postgres"):
        assert secret not in text
    assert client.get("/healthz")["Cache-Control"].startswith("max-age=0")


def _last_seen(worker_id: str):
    """Return the worker's last beat (None without a row), reading again while the beating
    thread holds the table: SQLite's shared in-memory test database locks a table while another
    connection writes it, and a read then fails at once instead of waiting."""
    for _ in range(100):
        try:
            return (
                WorkerHeartbeat.objects.filter(worker_id=worker_id)
                .values_list("last_seen_at", flat=True)
                .first()
            )
        except OperationalError:
            time.sleep(0.05)
    raise AssertionError("the heartbeat table stayed locked for 5 s")


def test_the_heartbeat_thread_beats_and_removes_its_row_when_stopping(settings, transactional_db):
    settings.HALLBAR_WORKER_HEARTBEAT_SECONDS = 1
    beating = heartbeat.Heartbeat("worker-thread")
    beating.start()
    try:
        for _ in range(50):
            if _last_seen("worker-thread") is not None:
                break
            beating._stopped.wait(0.1)
        first = _last_seen("worker-thread")
        assert first is not None
        beating._stopped.wait(1.5)
        assert _last_seen("worker-thread") > first
    finally:
        beating.stop()
    assert _last_seen("worker-thread") is None


def test_a_monitor_may_ask_over_plain_http_in_production(client, healthy, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
