from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hallbar.core.import_command import run_file_import
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region


class Command(BaseCommand):
    help = (
        "Import a region's invoice lines (CSV or XLSX) into the spend store, replacing its years."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help="county code of the region, e.g. 01")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid lines even if some are bad"
        )
        parser.add_argument("--language", default="en", choices=["sv", "en"])

    def handle(self, *args, file, region, dry_run, valid_only, language, **options):
        target = Region.objects.filter(county_code=region.zfill(2)).first()
        if target is None:
            raise CommandError(f"--region {region}: no region has this county code")
        with translation.override(language):
            run_file_import(
                self,
                kind=ImportJob.Kind.SPEND,
                path=file,
                region=target,
                dry_run=dry_run,
                valid_only=valid_only,
            )
