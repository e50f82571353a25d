"""`manage.py restore FILE`: an archive of `manage.py backup` into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hallbar.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this installation, which must be empty (a new database, "
        "migrated or not, and an empty data directory). The whole archive is checked against "
        "its checksums before anything is changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The archive written by `backup`.")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            restored = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the database and {restored.files} files of the backup made "
            f"{manifest.created_at} by hallbar {manifest.app_version}."
        )
        if restored.missing_migrations:
            self.stdout.write(
                f"The backup lacks {len(restored.missing_migrations)} migrations of this "
                "version: run `manage.py migrate` now."
            )
