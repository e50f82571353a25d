"""Background work of the training package: the daily assignment sync and overdue reminders."""

from django_tasks import task

from hallbar.training.services import send_overdue_reminders, sync_assignments


@task()
def sync_and_remind() -> int:
    """Make the assignments the rules call for, then remind about the overdue ones (once)."""
    sync_assignments()
    return send_overdue_reminders()
