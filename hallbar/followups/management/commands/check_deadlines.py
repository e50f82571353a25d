"""Send the follow-up reminders and escalations due today (or on --date); run it daily.

Reminders already sent are never sent again, so running it twice, or beside the queued checks,
is safe.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hallbar.followups.deadlines import send_due_reminders


class Command(BaseCommand):
    help = "Send the follow-up reminders and escalations that are due."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to check, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        day = timezone.localdate()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        sent = send_due_reminders(day)
        self.stdout.write(f"{sent} reminders sent for {day.isoformat()}")
