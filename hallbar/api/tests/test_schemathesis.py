"""The API against its own OpenAPI schema: schemathesis generates calls for every operation.

The app runs in-process (WSGI) on the test database. Each role of the cast calls every
operation, reads and writes, with a read-write token of its own: the secretariat, a region
contact, a buyer, an auditor and a supplier contact. Every answer must be no server error, have
a status the schema documents, and a body that conforms to the schema of that status.

The run is bounded (``MAX_EXAMPLES`` generated calls per operation and role, no shrinking) and
records what it did in ``FIGURES``; a failure lists every operation and check that failed.
"""

from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from hallbar.api.tokens import create_token
from hallbar.core.clock import demo_today

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10
ROLES = ("secretariat", "contact_jamtland", "alice", "auditor", "charlie")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FIGURES: Counter = Counter()


@pytest.fixture
def wsgi_app(settings, tmp_path):
    """The project's WSGI app on the test database, whose transaction it must not close."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # As Django's test client does: a request's end would otherwise close the connection that
    # holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_operation(operation, headers: dict[str, str], failures: list[str], label: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        FIGURES["cases"] += 1
        response = case.call(headers=headers)
        FIGURES[f"status {response.status_code}"] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Exception as error:  # noqa: BLE001 - every failure is collected and reported below
        FIGURES["failures"] += 1
        failures.append(f"{label}: {type(error).__name__}\n{error}"[:3000])


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_to_the_schema_for_every_role(role, cast, wsgi_app):
    user = getattr(cast, role)
    secret = create_token(
        user=user,
        name="schemathesis",
        scope="read_write",
        expires_on=demo_today() + timedelta(days=30),  # not today: the run may pass midnight
    ).secret
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        _run_operation(operation, headers, failures, f"{role} {operation.label}")
    FIGURES["operations"] = operations
    print(f"schemathesis {role}: {dict(FIGURES)}")
    assert failures == [], "\n\n".join(failures)
    # every call was made as the role: the token was never refused
    assert FIGURES["status 401"] == 0
