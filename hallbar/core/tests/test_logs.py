"""Structured logs: a request id per request, one log line per request, JSON lines."""

import json
import logging

import pytest

from hallbar.core.logs import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(caplog):
    """Capture hallbar.request's records with the request id the console handler adds."""
    caplog.set_level(logging.INFO, logger="hallbar.request")
    request_ids = RequestIdFilter()  # as on the console handler of the settings
    caplog.handler.addFilter(request_ids)
    yield caplog
    caplog.handler.removeFilter(request_ids)


def _lines(caplog):
    return [r for r in caplog.records if r.name == "hallbar.request"]


def test_each_request_gets_an_id_and_a_log_line(client, cast, request_log):
    client.force_login(cast.alice)
    first = client.get("/healthz?secret=query")
    second = client.get("/healthz")
    ids = first["X-Request-ID"], second["X-Request-ID"]
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    line = _lines(request_log)[0]
    assert (line.method, line.path, line.status) == ("GET", "/healthz", 503)
    assert line.user_id == cast.alice.pk
    assert line.duration_ms >= 0
    assert "secret" not in line.getMessage()


def test_anonymous_requests_log_no_user(client, request_log):
    client.get("/accounts/login/")
    assert _lines(request_log)[0].user_id is None


def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token(client, request_log):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.XYZ_9"})
    assert response["X-Request-ID"] == "abc-123.XYZ_9"
    assert _lines(request_log)[0].request_id == "abc-123.XYZ_9"
    forged = client.get("/healthz", headers={"X-Request-ID": 'x"\n{"level":"ERROR"}'})
    assert forged["X-Request-ID"] != 'x"\n{"level":"ERROR"}'
    assert len(forged["X-Request-ID"]) == 32


def test_records_logged_during_a_request_carry_its_id(client, request_log, monkeypatch):
    seen = []
    from hallbar.core import views

    real = views.health

    def spying_health():
        record = logging.LogRecord("x", logging.INFO, "", 0, "inside", (), None)
        RequestIdFilter().filter(record)
        seen.append(record.request_id)
        return real()

    monkeypatch.setattr(views, "health", spying_health)
    response = client.get("/healthz")
    assert seen == [response["X-Request-ID"]]
    assert request_id_var.get() == "-"  # reset after the request


def test_the_json_formatter_writes_one_object_a_line():
    formatter = JsonFormatter()
    record = logging.LogRecord("hallbar.request", logging.INFO, "", 0, "GET %s", ("/x",), None)
    record.status = 200
    record.request_id = "r1"
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /x"
    assert entry["level"] == "INFO" and entry["logger"] == "hallbar.request"
    assert entry["status"] == 200 and entry["request_id"] == "r1"
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_commands_log_to_standard_error_so_their_output_stays_clean(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HALLBAR_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="k3y-for-the-log-stream-test-" + "pQ7sW2xZ" * 4,
        HALLBAR_DATA_DIR=str(tmp_path),
        HALLBAR_LOG_FORMAT="json",
    )
    code = "import logging; logging.getLogger('hallbar.x').warning('careful'); print('[1, 2]')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [1, 2]
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "WARNING",
        "hallbar.x",
        "careful",
    )
