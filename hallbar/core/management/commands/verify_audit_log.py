"""Walk the audit log's hash chain; fail naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from hallbar.core.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Check that no entry of the audit log was changed, removed or inserted: recompute each "
        "entry's hash and its link to the one before. Exits non-zero at the first broken entry."
    )

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"The audit log is broken at entry {report.broken_at}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"The audit log is intact: {report.checked} entries checked.")
        )
