"""The task worker's heartbeat: a row per running worker, refreshed by a thread of its own.

django-tasks-db records nothing about its workers until they claim a task, so an idle worker
and a dead one look the same. hallbar's `db_worker` (hallbar/core/management/commands) starts
`Heartbeat` beside the worker loop: it writes WorkerHeartbeat.last_seen_at every
HALLBAR_WORKER_HEARTBEAT_SECONDS and deletes its row when the worker stops. /healthz calls the
worker alive while the newest row is younger than HALLBAR_WORKER_STALE_SECONDS. The thread shows
that the process lives, not that a long task progresses (jobs report their own progress).
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from hallbar.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30


def heartbeat_seconds() -> int:
    return max(1, getattr(settings, "HALLBAR_WORKER_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


def stale_seconds() -> int:
    return getattr(settings, "HALLBAR_WORKER_STALE_SECONDS", 3 * heartbeat_seconds())


def beat(worker_id: str, started_at) -> None:
    """Record that the worker worker_id is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": timezone.now(), "started_at": started_at},
    )


def last_seen():
    """Return when the most recently seen worker was last seen (None if no worker ever was)."""
    newest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    return newest.last_seen_at if newest else None


def forget_stale_workers() -> None:
    """Delete the rows of workers not heard from for a day (killed without a goodbye)."""
    WorkerHeartbeat.objects.filter(last_seen_at__lt=timezone.now() - timedelta(days=1)).delete()


class Heartbeat(threading.Thread):
    """Beat for worker_id until stop(); then delete its row."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="hallbar-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            forget_stale_workers()
            while not self._stopped.is_set():
                try:
                    beat(self.worker_id, self.started_at)
                except DatabaseError:
                    logger.warning("The worker's heartbeat could not be written", exc_info=True)
                finally:
                    connection.close()  # this thread's own connection; none kept between beats
                self._stopped.wait(heartbeat_seconds())
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating and remove this worker's row (the worker is leaving)."""
        self._stopped.set()
        self.join(timeout=5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("The worker's heartbeat row could not be removed", exc_info=True)
