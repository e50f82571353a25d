"""django-tasks-db's `db_worker`, with a heartbeat that /healthz reads (hallbar.core.heartbeat).

This command takes the place of django-tasks-db's own: django_tasks_db comes after hallbar.core
in INSTALLED_APPS, and Django runs the first app's command of a name.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from hallbar.core.heartbeat import Heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run the background task worker (django-tasks-db), recording a heartbeat."

    def handle(self, *args, **options) -> None:
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
