"""The production web server: gunicorn loads config/gunicorn.conf.py and serves the platform,
with its JSON request log, in a separate process with the production settings."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")
A_KEY = "k3y-for-the-gunicorn-test-" + "Zr8wQ1nT" * 4


def _env(tmp_path, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HALLBAR_", "SECURE_", "DJANGO_", "GUNICORN_"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=A_KEY,
        HALLBAR_DATA_DIR=str(tmp_path),
        HALLBAR_PLAIN_HTTP="true",
        HALLBAR_STATIC_MANIFEST="false",
        HALLBAR_LOG_FORMAT="json",
    )
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_configuration_loads_the_application(tmp_path):
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = subprocess.run(
        [str(GUNICORN), "--print-config", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=_env(tmp_path, WEB_CONCURRENCY="3"),
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    settings = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    assert settings["workers                            "].strip() == "3"
    assert settings["wsgi_app                           "].strip() == "config.wsgi:application"


def test_the_configuration_refuses_the_placeholder_key(tmp_path):
    env = _env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stdout + result.stderr


def test_gunicorn_serves_the_health_check_and_logs_json(tmp_path):
    # Given gunicorn on a free port with an empty SQLite database (not migrated: no worker table)
    port = _free_port()
    env = _env(tmp_path, HALLBAR_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "probe-1"}
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(request, timeout=30)
                raise AssertionError("the health check passed without a task worker")
            except urllib.error.HTTPError as error:
                response = error
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.3)
        # Then the platform answers through gunicorn: the database is fine, no worker is seen
        assert response.code == 503
        body = json.loads(response.read())
        assert body["checks"]["database"] == {"status": "ok"}
        assert body["checks"]["worker"]["status"] == "fail"
        assert response.headers["X-Request-ID"] == "probe-1"
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    # and the request is one JSON line of the log, with gunicorn's own lines in JSON too
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    requests = [e for e in entries if e["logger"] == "hallbar.request"]
    assert [(e["method"], e["path"], e["status"], e["request_id"]) for e in requests] == [
        ("GET", "/healthz", 503, "probe-1")
    ]
    assert requests[0]["user_id"] is None and requests[0]["duration_ms"] > 0
    assert any(e["logger"] == "gunicorn.error" for e in entries)
