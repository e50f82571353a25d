"""Match spend lines to the supplier registry, and keep what is unmatched for people to resolve.

The rule lives in ``suppliers/matching/spend.py`` (Django-free); this module feeds it the
registry, the regions' recorded spellings and people's resolutions, and keeps one
``UnmatchedSpend`` row per region, year and identity on the invoices that no supplier (or more
than one) fits. The spend import, the demo spend and every screening go through it: the import
writes the keys it finds into the Parquet files, and each screening matches the lines still
without a key again, so a resolution or a newly registered supplier counts from the next
screening on without rewriting any file.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa

from hallbar.organisations.models import Region
from hallbar.suppliers.matching.spend import Registered, SpendMatch, SpendMatcher
from hallbar.suppliers.models import Supplier, SupplierName, UnmatchedSpend

TOP_NAMES = 10
IDENTIFIER_MAX = UnmatchedSpend._meta.get_field("identifier").max_length
NAME_MAX = UnmatchedSpend._meta.get_field("name").max_length


def registry_spend_matcher() -> SpendMatcher:
    """Return a matcher over the current registry, its spellings and the resolutions."""
    spellings: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for supplier_id, name, region in SupplierName.objects.filter(
        supplier__merged_into__isnull=True
    ).values_list("supplier_id", "name", "region__county_code"):
        spellings[supplier_id].append((name, region or ""))
    suppliers = [
        Registered(
            key=str(pk),
            name=name,
            country=country,
            org_number=org,
            vat_number=vat,
            other_id=other,
            spellings=tuple(spellings.get(pk, ())),
        )
        for pk, name, country, org, vat, other in Supplier.objects.current().values_list(
            "pk", "name", "country", "org_number", "vat_number", "other_id"
        )
    ]
    survivor = {
        pk: into
        for pk, into in Supplier.objects.filter(merged_into__isnull=False).values_list(
            "pk", "merged_into"
        )
        if into is not None
    }

    def current(pk: int) -> int:
        # a resolution to a supplier merged since then counts for the one it was merged into
        seen = set()
        while pk in survivor and pk not in seen:
            seen.add(pk)
            pk = survivor[pk]
        return pk

    resolutions = [
        (region, identifier, name, str(current(pk)))
        for region, identifier, name, pk in UnmatchedSpend.objects.filter(
            status=UnmatchedSpend.Status.RESOLVED, supplier__isnull=False
        ).values_list("region__county_code", "identifier", "name", "supplier_id")
    ]
    return SpendMatcher(suppliers, resolutions)


def match_lines(region_code: str, lines: Iterable[tuple[str, str]]) -> list[SpendMatch]:
    """Return the match of each (identifier, name) line of a region, in order."""
    matcher = registry_spend_matcher()
    return [matcher.match(region_code, org, name) for org, name in lines]


@dataclass
class _Group:
    spend: Decimal
    lines: int
    candidates: tuple[str, ...]


def _key(region_id: int, year: int, identifier: str, name: str) -> tuple[int, int, str, str]:
    return region_id, year, identifier[:IDENTIFIER_MAX], name[:NAME_MAX]


def replace_unmatched(
    scope: set[tuple[int, int]], groups: dict[tuple[int, int, str, str], _Group]
) -> dict[tuple[int, int, str, str], UnmatchedSpend]:
    """Make the open rows of the (region id, year) pairs in scope exactly ``groups``.

    Rows that are still open keep their id (links to them stay valid); rows that are gone are
    removed; resolved rows are never touched.
    """
    if not scope:
        return {}
    regions = {r for r, _y in scope}
    years = {y for _r, y in scope}
    existing = {
        (u.region_id, u.year, u.identifier, u.name): u
        for u in UnmatchedSpend.objects.filter(
            status=UnmatchedSpend.Status.OPEN, region_id__in=regions, year__in=years
        )
        if (u.region_id, u.year) in scope
    }
    gone = [u.pk for k, u in existing.items() if k not in groups]
    UnmatchedSpend.objects.filter(pk__in=gone).delete()
    changed, new = [], []
    for key, group in groups.items():
        candidates = [int(c) for c in group.candidates]
        row = existing.get(key)
        if row is None:
            region_id, year, identifier, name = key
            new.append(
                UnmatchedSpend(
                    region_id=region_id,
                    year=year,
                    identifier=identifier,
                    name=name,
                    spend_sek=group.spend,
                    lines=group.lines,
                    candidates=candidates,
                    ambiguous=bool(candidates),
                )
            )
        elif (row.spend_sek, row.lines, row.candidates) != (group.spend, group.lines, candidates):
            row.spend_sek, row.lines, row.candidates = group.spend, group.lines, candidates
            row.ambiguous = bool(candidates)
            changed.append(row)
    UnmatchedSpend.objects.bulk_update(
        changed, ["spend_sek", "lines", "candidates", "ambiguous"], batch_size=1000
    )
    UnmatchedSpend.objects.bulk_create(new, batch_size=1000)
    kept = {k: u for k, u in existing.items() if k in groups}
    kept.update({(u.region_id, u.year, u.identifier, u.name): u for u in new})
    return kept


def _top(rows: Iterable[UnmatchedSpend]) -> list[dict]:
    return [
        {
            "id": str(u.public_id),
            "name": u.name,
            "identifier": u.identifier,
            "spend_sek": f"{u.spend_sek:.2f}",
            "lines": u.lines,
            "ambiguous": u.ambiguous,
        }
        for u in sorted(rows, key=lambda u: (-u.spend_sek, u.name, u.identifier))[:TOP_NAMES]
    ]


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{(100 * part / whole) if whole else 0:.1f}"


def record_lines(
    lines: Iterable[tuple[str, int, str, str, Decimal, SpendMatch]],
) -> dict[str, dict]:
    """Keep the unmatched spend of the (region, year) pairs the lines cover; summarise it.

    ``lines`` are (region code, year, identifier, name, amount, match). The open rows of each
    (region, year) pair become exactly the lines' unmatched identities (an import replaces
    those partitions whole). Return, per region code, the spend, the unmatched and ambiguous
    spend, the unmatched share and the largest unmatched names.
    """
    region_ids = dict(Region.objects.values_list("county_code", "pk"))
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    groups: dict[tuple[int, int, str, str], _Group] = {}
    scope = set()
    for region_code, year, identifier, name, amount, match in lines:
        total = totals[region_code]
        total[0] += amount
        region_id = region_ids[region_code]
        scope.add((region_id, year))
        if match.key:
            continue
        total[1] += amount
        if match.ambiguous:
            total[2] += amount
        key = _key(region_id, year, identifier, name)
        group = groups.setdefault(key, _Group(Decimal(0), 0, match.candidates))
        group.spend += amount
        group.lines += 1
    rows = replace_unmatched(scope, groups)
    per_region: dict[int, list[UnmatchedSpend]] = defaultdict(list)
    for row in rows.values():
        per_region[row.region_id].append(row)
    return {
        code: {
            "spend_sek": f"{total:.2f}",
            "unmatched_spend_sek": f"{unmatched:.2f}",
            "unmatched_share_percent": _share(unmatched, total),
            "ambiguous_spend_sek": f"{ambiguous:.2f}",
            "unmatched_names": _top(per_region[region_ids[code]]),
        }
        for code, (total, unmatched, ambiguous) in totals.items()
    }


def record_import(region: Region, lines: list, matches: list[SpendMatch]) -> dict:
    """Keep the unmatched spend of an import's (region, year) pairs; return the summary.

    ``lines`` have ``invoice_date``, ``amount_sek``, ``supplier_org_number`` and
    ``supplier_name``; ``matches`` are their matches, in the same order.
    """
    code = region.county_code
    summary = record_lines(
        (
            code,
            line.invoice_date.year,
            line.supplier_org_number,
            line.supplier_name,
            line.amount_sek,
            match,
        )
        for line, match in zip(lines, matches, strict=True)
    )
    return summary.get(code) or {
        "spend_sek": "0.00",
        "unmatched_spend_sek": "0.00",
        "unmatched_share_percent": "0.0",
        "ambiguous_spend_sek": "0.00",
        "unmatched_names": [],
    }


class ScreeningMatcher:
    """The ``rematch`` of a screening run, and the record of what stayed unmatched."""

    def __init__(self) -> None:
        self.matcher = registry_spend_matcher()

    def __call__(self, pending: pa.Table) -> pa.Table:
        found: dict[str, list[str]] = defaultdict(list)
        for item in pending.to_pylist():
            match = self.matcher.match(
                item["region_code"], item["supplier_org_number"], item["supplier_name"]
            )
            if match.key:
                for column in ("region_code", "supplier_org_number", "supplier_name"):
                    found[column].append(item[column])
                found["supplier_key"].append(match.key)
        columns = ("region_code", "supplier_org_number", "supplier_name", "supplier_key")
        return pa.table({c: pa.array(found[c], pa.string()) for c in columns})

    def record(self, *, year: int, regions: list[str] | None, result) -> list[dict]:
        """Keep the year's unmatched spend as the screening found it; return it per region.

        Each region's entry: code, name, spend, unmatched spend and share, and the largest
        unmatched names with the id of their ``UnmatchedSpend`` row.
        """
        by_code = {r.county_code: r for r in Region.objects.select_related("organisation")}
        screened = regions if regions is not None else list(by_code)
        scope = {(by_code[c].pk, year) for c in screened if c in by_code}
        groups: dict[tuple[int, int, str, str], _Group] = {}
        for item in result.unmatched.to_pylist():
            region = by_code.get(item["region_code"])
            if region is None:
                continue
            match = self.matcher.match(
                item["region_code"], item["supplier_org_number"], item["supplier_name"]
            )
            key = _key(region.pk, year, item["supplier_org_number"], item["supplier_name"])
            group = groups.setdefault(key, _Group(Decimal(0), 0, match.candidates))
            group.spend += Decimal(item["spend_sek"]).quantize(Decimal("0.01"))
            group.lines += item["lines"]
        rows = replace_unmatched(scope, groups)
        per_region: dict[int, list[UnmatchedSpend]] = defaultdict(list)
        for row in rows.values():
            per_region[row.region_id].append(row)
        summary = []
        for item in result.region_totals.to_pylist():
            region = by_code.get(item["region_code"])
            total = Decimal(item["spend_sek"] or 0)
            unmatched = Decimal(item["unmatched_spend_sek"] or 0)
            summary.append(
                {
                    "code": item["region_code"],
                    "name": region.name if region else item["region_code"],
                    "spend_sek": f"{total:.2f}",
                    "unmatched_spend_sek": f"{unmatched:.2f}",
                    "unmatched_share_percent": _share(unmatched, total),
                    "names": _top(per_region.get(region.pk, [])) if region else [],
                }
            )
        return summary
