"""Screening runs: join the stored spend with the risk tables in DuckDB and keep every result.

Each run stores its parameters, the data editions it used, the SQL that ran, and one row per
region × category × supplier × production country (and the national pool, region "SE"), so that
each row can be opened later to show its inputs.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

import pyarrow as pa
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from hallbar.contracts.models import Contract
from hallbar.risk.method.reference import iso2_to_iso3
from hallbar.risk.models import DataEdition, ScreeningRow, ScreeningRun
from hallbar.risk.screening.engine import STORED_COLUMNS, screen
from hallbar.risk.spend import spend_root
from hallbar.risk.spend_matching import ScreeningMatcher
from hallbar.suppliers.models import ProductionSite, Supplier

HIGH, MEDIUM = 15.0, 8.0


def _plain(value):
    """Return value with Decimals and dates as JSON-ready text (for the run's stored totals)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


AREAS = ("hr", "wr", "env", "be")


def priority_of(risk: float | None) -> str:
    """Return the priority class of the highest area risk R (1–25), as the method defines it."""
    if risk is None:
        return "low"
    if risk >= HIGH:
        return "high"
    return "medium" if risk >= MEDIUM else "low"


def _known(code: str) -> str:
    """Return an ISO 3166-1 alpha-2 code in upper case, or "" (unknown) when it is not one."""
    code = (code or "").strip().upper()
    return code if iso2_to_iso3(code) else ""


def _even_split(countries: set[str]) -> list[tuple[str, float]]:
    chosen = sorted(countries)
    return [(country, 1 / len(chosen)) for country in chosen]


def _value_shares(contracts: list[tuple[list[str], Decimal]]) -> list[tuple[str, float]]:
    """Return (country, share) from (countries, annual value) pairs: each contract's value split
    evenly over its countries, shares summing to 1 (each contract counts once if all are 0)."""
    if not any(value for _countries, value in contracts):
        contracts = [(countries, Decimal(1)) for countries, _value in contracts]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for countries, value in contracts:
        for country in countries:
            totals[country] += Decimal(value or 0) / len(countries)
    grand = sum(totals.values())
    return [(country, float(totals[country] / grand)) for country in sorted(totals)]


def supplier_countries_table() -> pa.Table:
    """Return each supplier's production countries with their weights, for the engine.

    A supplier with production sites: the countries of its lowest tier (tier 1 when known), in
    equal shares, for every category. A supplier without sites: the countries named by its active
    contracts, per category (rows for the contract's category) and over all its contracts
    (category "", for spend in other categories), shares by annual value. A code that is not an
    ISO 3166-1 alpha-2 code counts as an unknown country (""). Suppliers with neither are left
    out: the engine prices their spend as "no known country".
    """
    by_tier: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for supplier_id, country, tier in ProductionSite.objects.filter(
        supplier__merged_into__isnull=True
    ).values_list("supplier_id", "country", "tier"):
        by_tier[supplier_id][tier].add(_known(country))
    rows: list[tuple[int, str, str, float]] = []
    for supplier_id, tiers in by_tier.items():
        for country, weight in _even_split(tiers[min(tiers)]):
            rows.append((supplier_id, "", country, weight))
    contracts: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for supplier_id, slug, countries, value in (
        Contract.objects.filter(status=Contract.Status.ACTIVE, supplier__merged_into__isnull=True)
        .exclude(supplier_id__in=list(by_tier))
        .values_list("supplier_id", "category__slug", "production_countries", "annual_value_sek")
    ):
        codes = sorted({_known(code) for code in countries or [] if (code or "").strip()})
        if codes:
            contracts[supplier_id][slug].append((codes, value))
            contracts[supplier_id][""].append((codes, value))
    for supplier_id, by_category in contracts.items():
        for slug, pairs in by_category.items():
            for country, weight in _value_shares(pairs):
                rows.append((supplier_id, slug, country, weight))
    return pa.table(
        {
            "supplier_key": [str(row[0]) for row in rows],
            "category_key": [row[1] for row in rows],
            "country": [row[2] for row in rows],
            "weight": [row[3] for row in rows],
        },
        schema=pa.schema(
            [
                ("supplier_key", pa.string()),
                ("category_key", pa.string()),
                ("country", pa.string()),
                ("weight", pa.float64()),
            ]
        ),
    )


def risk_table(countries: Iterable[str] = ()) -> tuple[pa.Table, dict]:
    """Return the area risk table and what it was built from.

    ``countries``: the production countries of the screened suppliers; each is scored for every
    category from its own indicators, whether or not the category's analysis lists it.
    """
    from hallbar.risk.selectors import area_risk_rows_for_screening, screening_sources

    columns = area_risk_rows_for_screening(countries=countries)
    return pa.table(columns), screening_sources(countries=countries)


SCREENING_STEPS = 4


def run_screening(
    *,
    year: int,
    acting_user=None,
    regions: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScreeningRun:
    """Screen the year's spend, store the run and its rows, and return the run.

    The reading and the join run outside any transaction, so that ``progress(step)`` (steps 1 to
    SCREENING_STEPS) is seen while they run; the run and its rows are written all at once."""
    report = progress or (lambda step: None)
    report(1)
    countries = supplier_countries_table()
    report(2)
    table, sources = risk_table(sorted({c for c in countries["country"].to_pylist() if c}))
    report(3)
    # lines stored without a supplier are matched again under today's registry and resolutions
    matcher = ScreeningMatcher()
    result = screen(
        spend_root(),
        year=year,
        risk_table=table,
        supplier_countries=countries,
        regions=regions,
        rematch=matcher,
        # only the columns a ScreeningRow keeps leave DuckDB
        row_columns=STORED_COLUMNS,
    )
    report(4)
    with transaction.atomic():
        return _store_run(
            year=year,
            regions=regions,
            result=result,
            sources=sources,
            matcher=matcher,
            acting_user=acting_user,
        )


def _store_run(*, year, regions, result, sources, matcher, acting_user) -> ScreeningRun:
    by_region = matcher.record(year=year, regions=regions, result=result)
    names = dict(Supplier.objects.values_list("pk", "name"))
    run = ScreeningRun.objects.create(
        year=year,
        status=ScreeningRun.Status.DONE,
        parameters=_plain({"regions": regions or "all", **sources.get("parameters", {})}),
        editions={
            **{e.kind: {"label": e.label, "sha256": e.sha256} for e in DataEdition.objects.all()},
            "analyses": sources.get("analyses", []),
        },
        sql=result.sql,
        started_by=acting_user if getattr(acting_user, "pk", None) else None,
        finished_at=timezone.now(),
    )
    rows = []
    for source in (result.rows, result.national):
        for item in source.to_pylist():
            risks = [item[a] for a in AREAS]
            bucket = item["supplier_bucket"] or ""
            # Matched spend is bucketed by the registry supplier's id; the rest by org no. or name.
            supplier_key = bucket if bucket.isdigit() else ""
            label = (
                names.get(int(supplier_key), supplier_key)
                if supplier_key.isdigit()
                else bucket.split(":", 1)[-1] or "?"
            )
            rows.append(
                ScreeningRow(
                    run=run,
                    region_code=item["region_code"],
                    category_key=item["category_key"],
                    supplier_key=supplier_key or bucket[:80],
                    supplier_label=label[:300],
                    country=item["country"] or "",
                    spend_sek=Decimal(item["spend_sek"]).quantize(Decimal("0.01")),
                    hr=item["hr"] or 0,
                    wr=item["wr"] or 0,
                    env=item["env"] or 0,
                    be=item["be"] or 0,
                    exposure=item["exposure"] or 0,
                    priority=priority_of(max((r for r in risks if r is not None), default=None)),
                )
            )
    ScreeningRow.objects.bulk_create(rows, batch_size=2000)
    run.totals = _plain(
        {
            "lines": result.lines,
            "spend_sek": f"{result.total_spend_sek:.2f}",
            "unmatched_spend_sek": f"{result.unmatched_spend_sek:.2f}",
            "unmatched_share_percent": round(100 * float(result.unmatched_share or 0), 1),
            "rows": len(rows),
            # per region: unmatched share and the largest unmatched names to resolve
            "regions": by_region,
            "categories": result.categories.slice(0, 50).to_pylist(),
            "suppliers": [
                {
                    **s,
                    "label": names.get(int(s["supplier_key"]), "")
                    if str(s.get("supplier_key", "")).isdigit()
                    else "",
                }
                for s in result.suppliers.slice(0, 100).to_pylist()
            ],
        }
    )
    run.save(update_fields=["totals"])
    return run
