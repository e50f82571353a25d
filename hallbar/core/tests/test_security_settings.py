"""Fail-closed production settings, the security headers and the request body cap.

The suite runs with config.settings_test (plain http). The production defaults are read in a
separate Python process with config.settings and a production-like environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.checks import refuse_placeholder_secret_key_when_serving

ROOT = Path(__file__).resolve().parents[3]
A_KEY = "k3y-for-the-production-settings-test-" + "x7Q2vR9pL" * 3


def _production_env(tmp_path, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HALLBAR_", "SECURE_", "SESSION_", "LOGIN_", "DJANGO_"))
        and k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DATABASE_CONN_MAX_AGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        HALLBAR_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="hallbar.example.se",
    )
    env.update(extra)
    return env


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "SESSION_COOKIE_AGE")}))
"""


def test_production_defaults_are_https_only(tmp_path):
    result = _run(_production_env(tmp_path, SECRET_KEY=A_KEY), "-c", READ_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "SESSION_COOKIE_AGE": 12 * 3600,
    }


def test_the_plain_http_opt_out_and_the_session_limits_from_the_environment(tmp_path):
    env = _production_env(
        tmp_path,
        SECRET_KEY=A_KEY,
        HALLBAR_PLAIN_HTTP="true",
        SESSION_IDLE_MINUTES="10",
        SESSION_MAX_HOURS="8",
    )
    result = _run(env, "-c", READ_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert not values["SESSION_COOKIE_SECURE"] and not values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert (values["SESSION_IDLE_MINUTES"], values["SESSION_MAX_HOURS"]) == (10, 8)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY=A_KEY)
    result = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_a_secret_key(tmp_path):
    result = _run(_production_env(tmp_path), "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "hallbar.E001" in result.stdout + result.stderr


def test_the_web_server_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(_production_env(tmp_path), "-c", "import config.wsgi")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY" in result.stderr
    result = _run(_production_env(tmp_path, SECRET_KEY=A_KEY), "-c", "import config.wsgi")
    assert result.returncode == 0, result.stderr


def test_runserver_and_the_worker_refuse_the_placeholder(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.DEBUG = False
    settings.SECRET_KEY = settings.PLACEHOLDER_SECRET_KEY
    for command in ("runserver", "db_worker"):
        with pytest.raises(ImproperlyConfigured):
            refuse_placeholder_secret_key_when_serving(["manage.py", command])
    refuse_placeholder_secret_key_when_serving(["manage.py", "migrate"])  # tools still run
    settings.DEBUG = True
    refuse_placeholder_secret_key_when_serving(["manage.py", "runserver"])


# --- headers and body cap (the test settings) ----------------------------------------------------


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_security_headers_on_the_login_page(client):
    _assert_security_headers(client.get("/accounts/login/"))


def test_security_headers_on_a_signed_in_page(cast, client):
    client.force_login(cast.alice)
    response = client.get(reverse("contracts:contract-list"), follow=True)
    assert response.status_code == 200
    _assert_security_headers(response)


def test_hsts_on_https_requests_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
        if settings.SECURE_HSTS_PRELOAD
        else "max-age=31536000; includeSubDomains"
    )


def test_a_request_body_over_the_cap_is_refused(cast, client, settings):
    settings.HALLBAR_MAX_UPLOAD_MB = 1
    client.force_login(cast.alice)
    big = b"x" * (1024 * 1024 + 1)
    response = client.post("/accounts/login/", data=big, content_type="application/octet-stream")
    assert response.status_code == 413
    small = client.post(reverse("core:set-language"), {"language": "en", "next": "/"})
    assert small.status_code == 302


def test_form_fields_are_capped_too():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.HALLBAR_MAX_UPLOAD_MB >= 50  # the largest file an import page accepts


READ_PRODUCTION = """
import json, django
django.setup()
from django.conf import settings as s
from django.db import connection
print(json.dumps({
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    "conn_health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"],
    "log_format": s.LOG_FORMAT,
}))
"""


def test_production_keeps_connections_and_hashes_static_names(tmp_path):
    result = _run(_production_env(tmp_path, SECRET_KEY=A_KEY), "-c", READ_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "conn_max_age": 60,
        "conn_health_checks": True,
        "log_format": "json",
    }


def test_collectstatic_hashes_the_projects_static_files(tmp_path):
    # Every file static/ refers to (CSS url(), source maps) must exist, or collectstatic fails.
    # The admin's and django-ninja's files are left out to keep this quick: they ship hashed.
    env = _production_env(tmp_path, SECRET_KEY=A_KEY)
    result = _run(
        env, "manage.py", "collectstatic", "--noinput", "-v", "0", "-i", "admin", "-i", "ninja"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/hallbar.css"]
    assert hashed.startswith("css/hallbar.") and hashed != "css/hallbar.css"
    assert (tmp_path / "staticfiles" / (hashed + ".gz")).exists()
    result = _run(
        env,
        "-c",
        "import django; django.setup(); from django.templatetags.static import static; "
        "print(static('css/hallbar.css'))",
    )
    assert result.stdout.strip() == "/static/" + hashed, result.stderr
