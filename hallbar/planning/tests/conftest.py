"""The planning tests' fixtures: the follow-up world and a screening run of its suppliers."""

from decimal import Decimal

import pytest

from hallbar.followups.tests.conftest import _english_messages, world  # noqa: F401 - fixtures
from hallbar.risk.models import ScreeningRow, ScreeningRun

YEAR = 2026


@pytest.fixture
def run(world):  # noqa: F811 - the imported fixture
    run = ScreeningRun.objects.create(year=YEAR - 1, status="done")
    rows = [
        # supplier, region, exposure, spend, scores
        (world.supplier_a, "SE", 900_000.0, 0, (10, 22, 5, 3)),  # critical (22 ≥ 20)
        (world.supplier_a, "01", 600_000.0, 700_000, (10, 22, 5, 3)),
        (world.supplier_a, "23", 300_000.0, 300_000, (10, 22, 5, 3)),
        (world.supplier_b, "SE", 400_000.0, 0, (8, 12, 5, 3)),
        (world.supplier_b, "23", 400_000.0, 500_000, (8, 12, 5, 3)),
    ]
    ScreeningRow.objects.bulk_create(
        ScreeningRow(
            run=run,
            region_code=region,
            category_key="general-consumables",
            supplier_key=str(supplier.pk),
            supplier_label=supplier.name,
            country="MY",
            spend_sek=Decimal(spend),
            hr=s[0],
            wr=s[1],
            env=s[2],
            be=s[3],
            exposure=exposure,
            priority="high",
        )
        for supplier, region, exposure, spend, s in rows
    )
    return run
