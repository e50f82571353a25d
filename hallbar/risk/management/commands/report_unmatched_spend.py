"""Print each region's unmatched share of a year's stored spend (the matching's measurement).

Two figures per region: the share of spend whose lines were stored without a supplier key (as
the import or the demo wrote them), and the share still unmatched once today's rule is applied
to those lines, as the next screening does. Nothing is written.
"""

from decimal import Decimal

import duckdb
from django.core.management.base import BaseCommand, CommandError

from hallbar.risk.screening.engine import spend_source
from hallbar.risk.spend import spend_root, stored_partitions
from hallbar.risk.spend_matching import registry_spend_matcher


class Command(BaseCommand):
    help = "Print the share of a year's spend that no supplier fits, per region."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options) -> None:
        if not any(p.year == year for p in stored_partitions()):
            raise CommandError(f"No spend is stored for {year}.")
        con = duckdb.connect(":memory:")
        rows = con.sql(
            f"""SELECT region_code, supplier_key = '' AS unkeyed,
                   supplier_org_number, supplier_name, sum(amount_sek) AS spend
            FROM {spend_source(spend_root(), year)}
            GROUP BY ALL"""
        ).fetchall()
        matcher = registry_spend_matcher()
        totals: dict[str, list[Decimal]] = {}
        for region, unkeyed, org, name, spend in rows:
            sums = totals.setdefault(region, [Decimal(0)] * 4)
            sums[0] += spend
            if unkeyed:
                sums[1] += spend
                match = matcher.match(region, org, name)
                if not match.key:
                    sums[2] += spend
                    if match.ambiguous:
                        sums[3] += spend
        self.stdout.write("region  spend_sek  unkeyed_%  unmatched_%  ambiguous_%")
        grand = [sum((t[i] for t in totals.values()), Decimal(0)) for i in range(4)]
        for region, (total, unkeyed, unmatched, ambiguous) in [
            *sorted(totals.items()),
            ("all", grand),
        ]:
            share = [
                f"{100 * x / total:.1f}" if total else "-" for x in (unkeyed, unmatched, ambiguous)
            ]
            self.stdout.write(
                f"{region:<6}  {total:>14.2f}  {share[0]:>6}  {share[1]:>6}  {share[2]:>6}"
            )
