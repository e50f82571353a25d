"""Print every region's contribution for a year as JSON, CSV or a table: the amount by the rule,
the amount the region's own decision states, their difference, and the amount invoiced."""

import json

from django.core.management.base import BaseCommand, CommandError

from hallbar.core.tabular import EscapedCsvWriter
from hallbar.funding.exports import HEADERS, contribution_record, contribution_rows
from hallbar.funding.selectors import contributions_for_year, invoiced_total


class Command(BaseCommand):
    help = "Print each region's contribution to the national secretariat for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, year: int, format: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year must be between 2000 and 2100, not {year}")
        rows = contributions_for_year(year)
        if not rows:
            raise CommandError("No regions are loaded: run `python manage.py load_reference_data`.")
        if rows[0].decision is None:
            raise CommandError(f"No fee decision applies to {year}.")
        if format == "json":
            self.stdout.write(
                json.dumps([contribution_record(c) for c in rows], ensure_ascii=False, indent=2)
            )
        elif format == "csv":
            writer = EscapedCsvWriter(self.stdout)
            writer.writerow(HEADERS)
            writer.writerows(contribution_rows(rows))
        else:
            self._table(rows, year)
        missing = [c.region.county_code for c in rows if c.is_missing]
        if missing:
            self.stderr.write(
                f"No population figure on the reference date for: {', '.join(missing)}"
            )

    def _table(self, rows, year):
        def kr(value, signed=False):
            if value is None:
                return "–"
            text = f"{value:,}".replace(",", " ")
            return f"+{text}" if signed and value > 0 else text

        total = invoiced_total(rows)
        self.stdout.write(
            f"Contributions {year} — decision {rows[0].decision.reference}, "
            f"{rows[0].rate_sek} kr per inhabitant, population on {rows[0].reference_date}"
        )
        self.stdout.write(
            f"{'code':<5}{'region':<32}{'population':>12}{'by rule (kr)':>14}"
            f"{'decided (kr)':>14}{'difference':>12}{'invoiced (kr)':>15}  basis"
        )
        for c in rows:
            self.stdout.write(
                f"{c.region.county_code:<5}{c.region.name:<32}{kr(c.population):>12}"
                f"{kr(c.amount_sek):>14}{kr(c.decided_sek):>14}"
                f"{kr(c.difference_sek, signed=True):>12}{kr(c.invoiced_sek):>15}"
                f"  {c.invoiced_basis}"
            )
        self.stdout.write(
            f"{'':<5}{'Total':<32}{'':>12}{kr(total.rule_sek):>14}{'':>14}"
            f"{kr(total.difference_sek, signed=True):>12}{kr(total.invoiced_sek):>15}"
        )
