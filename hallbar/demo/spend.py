"""Demo invoice lines for all 21 regions, consistent with the demo contracts: the last full year
and the current year up to today (`spend_years`), so that the screening has a full year to run on.

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
from hallbar.core.clock import demo_today
from hallbar.risk.screening.store import SPEND_SCHEMA, partitions, write_spend
from hallbar.risk.spend import spend_root
from hallbar.risk.spend_matching import record_lines, registry_spend_matcher

SEED = 7
LINES_PER_CONTRACT_YEAR = 60
UNMATCHED_SHARE = 0.10
# Invoices also come from small local firms that are not in the registry (the rule cannot match
# them, so they show as unmatched spend to resolve); a separate random stream keeps the rest of
# the demo as it was.
LOCAL_SHARE = 0.03
LOCAL_NAMES = (
    "Norrlands Städ & Service AB",
    "Kalmar Sjukvårdsmaterial HB",
    "Mälardalens Förbrukning AB",
    "Gotlands Textiltvätt AB",
    "Västkustens Emballage AB",
    "Skånsk Labbutrustning AB",
    "Dalarnas Rehabteknik AB",
    "Lapplands Transport & Logistik AB",
)


def spend_years(today: dt.date) -> tuple[int, int]:
    """Return the demo's spend years: the last full year and the current one."""
    return (today.year - 1, today.year)


def load_demo_spend(*, lines_per_contract_year: int = LINES_PER_CONTRACT_YEAR) -> int:
    """Write the demo spend partitions unless they exist; return the number of lines written.

    Nothing is written when either year already has spend (a second run, or a run on a later
    day of the same year); a run in a later year writes the years that have none.
    """
    today = demo_today()
    years = spend_years(today)
    root = spend_root()
    have = {p.year for p in partitions(root)}
    if any(year in have for year in years):
        return 0
    contracts = list(
        Contract.objects.filter(start_date__lte=today)
        .select_related("supplier", "category")
        .prefetch_related("regions")
        .order_by("pk")
    )
    rng = np.random.default_rng(SEED)
    columns: dict[str, list] = {name: [] for name in SPEND_SCHEMA.names}
    total = 0
    for year in years:
        # The current year only up to today: no invoice is dated in the future.
        first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
        elapsed = ((last - first).days + 1) / ((dt.date(year, 12, 31) - first).days + 1)
        for contract in contracts:
            end = contract.end_date or last
            if contract.start_date > last or end < first or contract.status == "cancelled":
                continue
            regions = [r.county_code for r in contract.regions.all()]
            count = int(rng.poisson(lines_per_contract_year * elapsed))
            if not count:
                continue
            # Spread the value of the elapsed part of the year over the lines, with a few credit
            # notes.
            shares = rng.dirichlet(np.ones(count))
            value = float(contract.annual_value_sek) * elapsed
            amounts = shares * value / max(len(regions), 1)
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
    local = np.random.default_rng(SEED + 1)
    for i in np.flatnonzero(local.random(total) < LOCAL_SHARE).tolist():
        columns["supplier_org_number"][i] = ""
        columns["supplier_name"][i] = LOCAL_NAMES[int(local.integers(0, len(LOCAL_NAMES)))]
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
