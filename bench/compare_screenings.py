"""Compare two ``risk_screen --format json`` outputs row by row.

``python -m bench.compare_screenings before.json after.json``: rows are matched on region ×
category × supplier × production country; prints how many rows (and how much spend) changed
their area risks, and how many changed priority class. Both files must hold the same rows.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

AREAS = ("hr", "wr", "env", "be")


def load(path: str) -> dict[tuple, dict]:
    rows: dict[tuple, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for row in json.load(handle)["rows"]:
            key = (row["region_code"], row["category"], row["supplier"], row["country"])
            if key in rows:
                raise SystemExit(f"{path}: two rows for {key}")
            rows[key] = row
    return rows


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    before, after = load(argv[0]), load(argv[1])
    if set(before) != set(after):
        raise SystemExit(f"the runs differ in {len(set(before) ^ set(after))} rows")
    changed = [k for k in before if any(abs(before[k][a] - after[k][a]) > 1e-9 for a in AREAS)]
    moved = [k for k in changed if before[k]["priority"] != after[k]["priority"]]
    spend = sum(row["spend_sek"] for row in before.values())

    def share(keys: list[tuple]) -> str:
        amount = sum(before[k]["spend_sek"] for k in keys)
        return (
            f"{len(keys)} / {len(before)} rows ({100 * len(keys) / len(before):.1f} %), "
            f"{amount:,.0f} / {spend:,.0f} kr ({100 * amount / spend:.1f} %)"
        )

    print("risks changed:", share(changed))
    print("class changed:", share(moved))
    print(
        "class moves:", dict(Counter((before[k]["priority"], after[k]["priority"]) for k in moved))
    )
    print("changed rows by country:", dict(Counter(k[3] for k in changed).most_common(10)))
    print(
        "total exposure: "
        f"{sum(r['exposure'] for r in before.values()):,.0f} → "
        f"{sum(r['exposure'] for r in after.values()):,.0f} kr"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
