from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hallbar.core.import_command import run_file_import
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.risk.spend import describe_preview, restore_spend_partition


class Command(BaseCommand):
    help = (
        "Import a region's invoice lines of one year (CSV or XLSX) into the spend store, "
        "replacing that year's partition; or, with --undo, put back the version it replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the file to import (not with --undo)")
        parser.add_argument("--region", required=True, help="county code of the region, e.g. 01")
        parser.add_argument(
            "--year",
            required=True,
            type=int,
            help="the year the file covers; a line dated in another year is an error",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid lines even if some are bad"
        )
        parser.add_argument(
            "--confirm-shrink",
            action="store_true",
            help="replace the partition even if it loses more than half of its lines or kronor",
        )
        parser.add_argument(
            "--undo",
            action="store_true",
            help="restore the version of the partition that the last import replaced "
            "(run it again to undo the undo)",
        )
        parser.add_argument("--language", default="en", choices=["sv", "en"])

    def handle(self, *args, file, region, year, dry_run, valid_only, confirm_shrink, undo, **o):
        target = Region.objects.filter(county_code=region.zfill(2)).first()
        if target is None:
            raise CommandError(f"--region {region}: no region has this county code")
        if not 1900 <= year <= 2999:
            raise CommandError(f"--year {year}: not a year")
        with translation.override(o["language"]):
            if undo:
                if file:
                    raise CommandError("--undo takes no file")
                self._undo(target, year)
                return
            if not file:
                raise CommandError("give the file to import (or --undo)")
            run_file_import(
                self,
                kind=ImportJob.Kind.SPEND,
                path=file,
                region=target,
                dry_run=dry_run,
                valid_only=valid_only,
                options={"year": year, **({"confirm": True} if confirm_shrink else {})},
                describe_preview=describe_preview,
            )

    def _undo(self, region: Region, year: int) -> None:
        try:
            details = restore_spend_partition(region=region, year=year, acting_user=None)
        except LookupError as error:
            raise CommandError(str(error)) from None
        (before, after), (sek_before, sek_after) = details["lines"], details["spend_sek"]
        self.stdout.write(
            f"Restored region {region.county_code}, {year}: the version replaced at "
            f"{details['version_replaced_at']}; {before} lines, {sek_before} SEK "
            f"-> {after} lines, {sek_after} SEK. Run the same command again to undo this."
        )
