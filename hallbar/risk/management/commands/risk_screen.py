"""Run a screening of a year's spend and print its rows as JSON or CSV."""

import json

from django.core.management.base import BaseCommand, CommandError

from hallbar.core.tabular import EscapedCsvWriter
from hallbar.risk.runs import run_screening
from hallbar.risk.spend import stored_partitions

FIELDS = [
    "category",
    "supplier",
    "region_code",
    "country",
    "spend_sek",
    "hr",
    "wr",
    "env",
    "be",
    "exposure",
    "priority",
]


class Command(BaseCommand):
    help = (
        "Screen the stored spend of a year against the category risk analyses and print the rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--region", action="append", help="county code; repeat for several (default: all)"
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="print the pooled national rows (region SE) only",
        )
        parser.add_argument(
            "--limit", type=int, default=0, help="print at most this many rows (0: all)"
        )

    def handle(self, *args, year, format, region, national, limit, **options):
        if not any(p.year == year for p in stored_partitions()):
            raise CommandError(f"No spend is stored for {year}: import invoice lines first.")
        try:
            run = run_screening(year=year, regions=[r.zfill(2) for r in region] if region else None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        rows = run.rows.order_by("-exposure", "pk")
        rows = rows.filter(region_code="SE") if national else rows.exclude(region_code="SE")
        if limit:
            rows = rows[:limit]
        records = (
            {
                "category": r.category_key,
                "supplier": r.supplier_label,
                "region_code": r.region_code,
                "country": r.country,
                "spend_sek": float(r.spend_sek),
                "hr": round(r.hr, 4),
                "wr": round(r.wr, 4),
                "env": round(r.env, 4),
                "be": round(r.be, 4),
                "exposure": round(r.exposure, 2),
                "priority": r.priority,
            }
            for r in rows.iterator(chunk_size=5000)
        )
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "run": str(run.public_id),
                        "year": year,
                        "totals": {
                            k: v
                            for k, v in run.totals.items()
                            if k not in ("categories", "suppliers")
                        },
                        "rows": list(records),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            writer = EscapedCsvWriter(self.stdout, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(records)
