"""What /healthz checks: the database, the task worker's heartbeat, free space for the data.

Each check returns a small dict with "status" ("ok" or "fail") and numbers an operator can act
on; nothing names a host, a path, a version or a setting's value other than the thresholds.
"""

import logging
import shutil
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from hallbar.core import heartbeat

logger = logging.getLogger(__name__)

OK, FAIL = "ok", "fail"


def check_database() -> dict:
    """A SELECT 1 on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return {"status": FAIL}
    return {"status": OK}


def check_worker() -> dict:
    """The newest heartbeat of a task worker is younger than HALLBAR_WORKER_STALE_SECONDS."""
    if not str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db."):
        return {"status": OK, "needed": False}  # tasks run in the web process itself
    try:
        seen = heartbeat.last_seen()
    except DatabaseError:
        return {"status": FAIL, "last_seen_seconds": None}
    limit = heartbeat.stale_seconds()
    if seen is None:
        return {"status": FAIL, "last_seen_seconds": None, "stale_after_seconds": limit}
    age = max(0, round((timezone.now() - seen).total_seconds()))
    return {
        "status": OK if age <= limit else FAIL,
        "last_seen_seconds": age,
        "stale_after_seconds": limit,
    }


def check_disk() -> dict:
    """The data directory's file system has at least HALLBAR_MIN_FREE_DISK_MB free."""
    minimum = settings.HALLBAR_MIN_FREE_DISK_MB
    try:
        free_mb = shutil.disk_usage(settings.DATA_DIR).free // (1024 * 1024)
    except OSError:
        return {"status": FAIL, "free_mb": None, "min_free_mb": minimum}
    return {
        "status": OK if free_mb >= minimum else FAIL,
        "free_mb": free_mb,
        "min_free_mb": minimum,
    }


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "worker": check_worker,
    "disk": check_disk,
}


def health() -> tuple[bool, dict]:
    """Run every check; return whether all are ok and the report /healthz sends."""
    results = {name: check() for name, check in CHECKS.items()}
    healthy = all(result["status"] == OK for result in results.values())
    return healthy, {"status": OK if healthy else FAIL, "checks": results}
