import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hallbar.contracts.selectors import (
    default_harmonisation_year,
    harmonisation,
    harmonisation_json,
    harmonisation_period,
)
from hallbar.requirements.selectors import current_clause


class Command(BaseCommand):
    help = "Print the harmonisation index: contracts in force in the year in prioritised categories with the current clause."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, format, year, **options):
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"--year must be between 2000 and 2100, not {year}")
        year = year or default_harmonisation_year(timezone.localdate().year)
        clause = current_clause()
        rows, national = harmonisation(year, clause.pk if clause else None)
        if format == "json":
            self.stdout.write(
                json.dumps(
                    harmonisation_json(year, clause, rows, national), ensure_ascii=False, indent=2
                )
            )
            return
        first, last = harmonisation_period(year)
        self.stdout.write(
            f"Harmonisation {year}, clause version {clause.version if clause else '–'}; "
            f"contracts in force {first.isoformat()} – {last.isoformat()}"
        )
        for r in [*rows, national]:
            self.stdout.write(
                f"{r.code:<4}{r.name:<32}{r.current_clause:>7}/{r.contracts:<7}{r.share:>7.1%}  bas {r.bas:<6} avancerad {r.avancerad}"
            )
