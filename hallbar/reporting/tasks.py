"""Background work of reporting: the monthly digest."""

from django_tasks import task

from hallbar.reporting.digest import Period, send_digests


@task()
def send_monthly_digest(period: str = "") -> int:
    """Send the digest of period ("YYYY-MM"; default: last month) to everyone due it; return
    how many were sent. Idempotent: run it daily or monthly, each person gets one per period."""
    return send_digests(Period.parse(period) if period else None).sent
