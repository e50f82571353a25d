"""manage.py cleanup: mark dead jobs failed, delete expired uploads and leftover temporary files."""

from django.core.management.base import BaseCommand

from hallbar.core.cleanup import run_cleanup


class Command(BaseCommand):
    help = (
        "Mark imports and jobs whose worker died as failed, delete uploaded import files older "
        "than HALLBAR_UPLOAD_RETENTION_DAYS and temporary folders of killed spend imports."
    )

    def handle(self, *args, **options) -> None:
        lines = run_cleanup()
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{len(lines)} item(s) cleaned up.")
