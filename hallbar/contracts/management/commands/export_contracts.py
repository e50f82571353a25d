import json

from django.core.management.base import BaseCommand

from hallbar.contracts import exports
from hallbar.contracts.models import Contract


class Command(BaseCommand):
    help = "Export contracts as an OCDS 1.1 release package, CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["ocds", "csv", "xlsx"], required=True)
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--region", help="only the contracts this region buys under (county code)"
        )

    def handle(self, *args, format, out, region, **options):
        contracts = Contract.objects.order_by("lead_region__county_code", "reference")
        if region:
            contracts = contracts.filter(regions__county_code=region.zfill(2)).distinct()
        if format == "ocds":
            with open(out, "w", encoding="utf-8") as handle:
                json.dump(exports.ocds_package(contracts), handle, ensure_ascii=False)
        elif format == "csv":
            exports.write_contracts_csv(out, contracts)
        else:
            exports.write_contracts_xlsx(out, contracts)
        self.stdout.write(f"Wrote {contracts.count()} contracts to {out}")
