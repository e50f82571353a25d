"""Apply the retention rules (run daily): remove old uploads, evidence files, interview notes."""

from django.core.management.base import BaseCommand

from hallbar.core.retention import apply_retention


class Command(BaseCommand):
    help = "Apply the retention rules for personal data and log what was removed."

    def handle(self, *args, **options):
        removed = apply_retention()
        for name, count in removed.items():
            self.stdout.write(f"{name}: {count} removed")
