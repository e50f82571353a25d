"""Background tasks of follow-up: deadline checks (reminders before, escalation after)."""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hallbar.followups.deadlines import send_due_reminders

CHECK_HOUR = time(6, 0)


@task()
def check_case_deadlines(followup_id: int) -> int:
    """Send the reminders and escalations of one case due today; idempotent."""
    return send_due_reminders(timezone.localdate(), followup_id=followup_id)


@task()
def check_all_deadlines() -> int:
    """Send every reminder and escalation due today; idempotent (the daily sweep)."""
    return send_due_reminders(timezone.localdate())


def schedule_deadline_checks(followup, days: Iterable[date]) -> None:
    """Queue a deadline check for the case on each day (at 06:00); checks are idempotent."""
    today = timezone.localdate()
    moments = sorted(
        {
            timezone.make_aware(datetime.combine(day, CHECK_HOUR))
            for day in days
            if day is not None and day >= today
        }
    )

    def enqueue() -> None:
        if not check_case_deadlines.get_backend().supports_defer:
            return  # e.g. the immediate backend: the daily check_deadlines command covers it
        for moment in moments:
            check_case_deadlines.using(run_after=moment).enqueue(followup.pk)

    transaction.on_commit(enqueue)
