"""Background tasks of follow-up: deadline checks (reminders before, escalation after)."""

from django.utils import timezone
from django_tasks import task

from hallbar.followups.deadlines import send_due_reminders


@task()
def check_case_deadlines(followup_id: int) -> int:
    """Send the reminders and escalations of one case due today; idempotent."""
    return send_due_reminders(timezone.localdate(), followup_id=followup_id)


@task()
def check_all_deadlines() -> int:
    """Send every reminder and escalation due today; idempotent (the daily sweep)."""
    return send_due_reminders(timezone.localdate())
