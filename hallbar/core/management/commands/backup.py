"""`manage.py backup --out FILE`: the database and the data directory in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hallbar.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent dump) and the data directory (Parquet spend, "
        "documents, uploads) to one .tar.gz archive with a manifest of checksums."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="The archive to write.")

    def handle(self, *args, out: Path, **options) -> None:
        try:
            manifest = make_backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(entry["size"] for entry in manifest.files)
        self.stdout.write(
            f"Backed up the {manifest.vendor} database and {len(manifest.files)} files "
            f"({size / 1e6:.1f} MB) of hallbar {manifest.app_version} to {out}."
        )
