from django.core.management.base import BaseCommand
from django.utils import translation

from hallbar.core.import_command import run_file_import
from hallbar.core.models import ImportJob


class Command(BaseCommand):
    help = "Import suppliers and production sites from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows even if some are bad"
        )
        parser.add_argument("--language", default="en", choices=["sv", "en"])

    def handle(self, *args, file, dry_run, valid_only, language, **options):
        with translation.override(language):
            run_file_import(
                self,
                kind=ImportJob.Kind.SUPPLIERS,
                path=file,
                dry_run=dry_run,
                valid_only=valid_only,
            )
