import json

from django.core.management.base import BaseCommand

from hallbar.core.tabular import EscapedCsvWriter
from hallbar.training.selectors import report

FIELDS = ["region", "county_code", "role", "module", "module_key", "people", "completed"]


class Command(BaseCommand):
    help = (
        "Print the national training participation for a year: per region, role and module, "
        "the people concerned and how many completed the module that year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        rows = report(options["year"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"year": options["year"], "rows": rows}, ensure_ascii=False, indent=2)
            )
            return
        writer = EscapedCsvWriter(self.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
