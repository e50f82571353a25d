"""Write the annual report of a year as PDF or HTML:

python manage.py annual_report --year 2026 --format pdf --out verksamhetsrapport-2026.pdf
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hallbar.reporting.annual_report import (
    LANGUAGES,
    build_report,
    check_year,
    report_document,
    report_pdf,
)


class Command(BaseCommand):
    help = "Write the annual report (verksamhetsrapport) of a year as PDF or HTML."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the report's year, e.g. 2026")
        parser.add_argument("--format", choices=["pdf", "html"], required=True)
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--language", choices=LANGUAGES, default="sv")

    def handle(self, *args, year, format, out, language, **options):
        with translation.override("en"):  # the command speaks English, like the others
            try:
                year = check_year(year)
            except ValueError as error:
                raise CommandError(str(error)) from None
        path = Path(out).expanduser()
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give the name of the file to write.")
        if not folder.is_dir():
            raise CommandError(f"The folder {folder} does not exist.")
        existed = path.exists()
        try:  # find out now, not after the report is made
            path.open("ab").close()
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        if not existed:
            path.unlink()
        started = time.monotonic()
        report = build_report(year, language)
        content = report_pdf(report) if format == "pdf" else report_document(report).encode()
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        self.stdout.write(
            f"Wrote the annual report {year} ({language}, {format}) to {path} "
            f"in {time.monotonic() - started:.1f} s"
        )
