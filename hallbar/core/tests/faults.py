"""Fault injection for the import tests: a fault at a chosen call, and a worker killed mid-run.

`inject` makes the n-th call of a function raise (an exception at a chosen row, a lost database
connection). `KilledWorker` runs the queued import in a real `db_worker` child process
(hallbar/core/tests/fault_child.py), which stops at the n-th call of a function and says so;
the test then kills it with SIGKILL. The child uses the test database: PostgreSQL's directly (the
test must be transactional, so that what it set up is committed); SQLite's lives in memory, so
it is copied to a file for the child and copied back when the child is dead.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

CHILD = Path(__file__).with_name("fault_child.py")
#: How long the child may take to reach the chosen call (start-up included).
REACH_SECONDS = 60


def at_call(original: Callable, n: int, action: Callable[[], None]) -> Callable:
    """Return original with action run before its n-th call (counting from 1)."""
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            action()
        return original(*args, **kwargs)

    return wrapper


def inject(monkeypatch, target: Any, name: str, n: int, error: BaseException) -> None:
    """Make the n-th call of target.name raise error (the calls before it run as usual)."""

    def fail() -> None:
        raise error

    monkeypatch.setattr(target, name, at_call(getattr(target, name), n, fail))


class KilledWorker:
    """A db_worker child process that stops at the n-th call of ``module:attribute`` (an
    attribute may be ``Class.method``), to be killed there.

    ``start`` runs the child on the queued tasks; ``wait_until_stopped`` returns what the child
    had written when it reached the call (counts, see fault_child.py); ``kill``
    sends SIGKILL and, on SQLite, brings the child's database back into the test's.
    """

    def __init__(self, tmp_path: Path, stop_at: str, n: int, *, set_first: str = "") -> None:
        self.tmp_path = tmp_path
        self.set_first = set_first
        self.flag = tmp_path / "reached"
        self.stop_at = stop_at
        self.n = n
        self.sqlite_file: Path | None = None
        self.process: subprocess.Popen | None = None

    def _database_url(self) -> str:
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            self.sqlite_file = self.tmp_path / "child.sqlite3"
            target = sqlite3.connect(self.sqlite_file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.sqlite_file}"
        assert connection.vendor == "postgresql", connection.vendor
        user = quote(db["USER"], safe="") + (
            f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        )
        host = db["HOST"] or "localhost"
        return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": self._database_url(),
            "HALLBAR_DATA_DIR": str(settings.DATA_DIR),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "FAULT_STOP_AT": self.stop_at,
            "FAULT_AT": str(self.n),
            "FAULT_FLAG": str(self.flag),
            "FAULT_SET": self.set_first,
        }
        env.setdefault("SECRET_KEY", "x" * 60)
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def wait_until_stopped(self) -> dict:
        assert self.process is not None
        deadline = time.monotonic() + REACH_SECONDS
        while not self.flag.exists() or not self.flag.read_text().endswith("\n"):
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode() if self.process.stdout else ""
                raise AssertionError(f"the child ended before the fault:\n{output}")
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("the child never reached the fault")
            time.sleep(0.02)
        return json.loads(self.flag.read_text())

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert self.process.returncode == -signal.SIGKILL
        if self.process.stdout:
            self.process.stdout.close()
        if self.sqlite_file is not None:
            # What a restarted server would find on disk: the committed state only.
            source = sqlite3.connect(self.sqlite_file)
            source.backup(connection.connection)
            source.close()
