"""Two years of demo invoice lines for all 21 regions, consistent with the demo contracts.

Generated once with numpy from one seed and written straight to the Parquet store (the lines are
known to be valid); a second `load_demo` finds the partitions and does nothing. About 10 % of the
lines carry no organisation number and the name spelled in capitals, as some invoices have it.
The supplier keys are not taken from the contracts: every line goes through the same matching
rule as an imported file (`spend_matching.py`), and what stays unmatched is kept for review.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa

from hallbar.contracts.models import Contract
from hallbar.risk.screening.store import SPEND_SCHEMA, partitions, write_spend
from hallbar.risk.spend import spend_root
from hallbar.risk.spend_matching import record_lines, registry_spend_matcher

SEED = 7
YEARS = (2025, 2026)
LINES_PER_CONTRACT_YEAR = 60
UNMATCHED_SHARE = 0.10


def load_demo_spend() -> int:
    """Write the demo spend partitions unless they exist; return the number of lines written."""
    root = spend_root()
    have = {(p.region, p.year) for p in partitions(root)}
    if any(year in {y for _r, y in have} for year in YEARS):
        return 0
    contracts = list(
        Contract.objects.filter(start_date__year__lte=max(YEARS))
        .select_related("supplier", "category")
        .prefetch_related("regions")
        .order_by("pk")
    )
    rng = np.random.default_rng(SEED)
    columns: dict[str, list] = {name: [] for name in SPEND_SCHEMA.names}
    total = 0
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for contract in contracts:
            end = contract.end_date or last
            if contract.start_date > last or end < first or contract.status == "cancelled":
                continue
            regions = [r.county_code for r in contract.regions.all()]
            count = int(rng.poisson(LINES_PER_CONTRACT_YEAR))
            if not count:
                continue
            # Spread the annual value over the lines, with a few credit notes.
            shares = rng.dirichlet(np.ones(count))
            amounts = shares * float(contract.annual_value_sek) / max(len(regions), 1)
            credit = rng.random(count) < 0.02
            amounts[credit] *= -0.3
            days = rng.integers(0, (last - first).days + 1, count)
            unmatched = rng.random(count) < UNMATCHED_SHARE
            region_index = rng.integers(0, len(regions), count)
            name = contract.supplier.name
            for i in range(count):
                columns["region_code"].append(regions[region_index[i]])
                columns["invoice_date"].append(first + dt.timedelta(days=int(days[i])))
                columns["year"].append(year)
                columns["supplier_key"].append("")  # set below by the matching rule
                columns["supplier_org_number"].append(
                    "" if unmatched[i] else contract.supplier.org_number
                )
                columns["supplier_name"].append(name.upper() if unmatched[i] else name)
                columns["category_key"].append(contract.category.slug)
                columns["account"].append("4610")
                columns["amount_sek"].append(Decimal(f"{amounts[i]:.2f}"))
                columns["product_text"].append(contract.title)
            total += count
    matcher = registry_spend_matcher()
    matches = [
        matcher.match(region, org, name)
        for region, org, name in zip(
            columns["region_code"],
            columns["supplier_org_number"],
            columns["supplier_name"],
            strict=True,
        )
    ]
    columns["supplier_key"] = [m.key for m in matches]
    write_spend(root, pa.table(columns, schema=SPEND_SCHEMA))
    record_lines(
        zip(
            columns["region_code"],
            columns["year"],
            columns["supplier_org_number"],
            columns["supplier_name"],
            columns["amount_sek"],
            matches,
            strict=True,
        )
    )
    return total
