"""Send the monthly digest of last month (or --period); run it daily or monthly (cron).

Each person gets one digest a period, so running it again, or beside the task, is safe.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hallbar.reporting.digest import Period, send_digests


class Command(BaseCommand):
    help = "Send the monthly digest to the regions' sustainability contacts and buyers."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="the month, YYYY-MM (default: last month)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show who would get what; send nothing"
        )

    def handle(self, *args, **options):
        period = None
        if options["period"]:
            try:
                period = Period.parse(options["period"])
            except ValueError:
                raise CommandError("--period must be YYYY-MM") from None
        run = send_digests(period, dry_run=options["dry_run"])
        for digest in run.digests:
            with translation.override("en"):
                self.stdout.write(
                    f"{digest.user.email} ({digest.user.mail_language}): "
                    f"{len(digest.results)} results, "
                    f"{len(digest.deviations) + sum(c.count for c in digest.deviations_by_area)} "
                    f"new deviations, "
                    f"{len(digest.closures) + sum(c.count for c in digest.closures_by_area)} "
                    "closed out"
                )
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run for {run.period}: {len(run.digests)} digests would be sent, "
                f"{run.nothing_new} people have nothing new; nothing was sent."
            )
        else:
            self.stdout.write(
                f"{run.sent} digests sent for {run.period}, {run.nothing_new} people had nothing "
                f"new, {run.already_sent} had it already, {run.failed} failed (tried again on "
                "the next run)."
            )
