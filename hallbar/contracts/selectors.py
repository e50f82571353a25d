"""Reads for contracts: filtered lists, the contract page, and the harmonisation index."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from hallbar.categories.models import CategoryPrioritisation
from hallbar.categories.selectors import prioritised_in
from hallbar.contracts.models import Contract
from hallbar.core.history import ReadableEntry, each_side, history_for, readable_history
from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import Region, Role, User
from hallbar.requirements.models import ClauseLevel
from hallbar.suppliers.models import country_name

SORTS = {
    "reference": "reference",
    "title": "title",
    "supplier": "supplier__name",
    "value": "annual_value_sek",
    "start": "start_date",
    "end": "end_date",
    "region": "lead_region__county_code",
}


def bought_by(contracts: QuerySet[Contract], region_ids) -> QuerySet[Contract]:
    """Keep the contracts that any of the regions (ids) buys under.

    A subquery, not a join over the regions: a contract bought by two of them comes once, with
    no DISTINCT (which sorted every contract on PostgreSQL). By id, not by county code: the
    database's statistics know how many contracts a region id has, so for a large region it
    walks an index in the list's order and stops at the page's last row. region_ids must hold
    the ids themselves (a list or set), not a subquery: the database plans with the values it
    is given.
    """
    joint = Contract.regions.through.objects.filter(region_id__in=region_ids)
    return contracts.filter(pk__in=joint.values("contract_id"))


def participating_regions(supplier) -> list[Region]:
    """Return every region with an active contract with the supplier."""
    return list(
        Region.objects.filter(
            contracts__supplier=supplier, contracts__status=Contract.Status.ACTIVE
        )
        .distinct()
        .select_related("organisation")
        .order_by("county_code")
    )


# The roles whose daily work is one region's contracts: their list opens on that region.
OWN_REGION_ROLES = (Role.BUYER, Role.REGION_CONTACT)


def own_region_code(user: User) -> str:
    """Return the county code of the one region whose contracts user works with, or ""."""
    regions = user.region_ids(*OWN_REGION_ROLES) if user.is_authenticated else set()
    if len(regions) != 1:
        return ""
    return Region.objects.filter(pk__in=regions).values_list("county_code", flat=True).first() or ""


def contracts_of_import(job) -> QuerySet[Contract]:
    """Return the contracts an import job created or updated (by their history entries)."""
    ids = (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contract),
            changes__import__job=job.pk,
        )
        .annotate(contract_id=Cast("object_id", IntegerField()))
        .values("contract_id")
    )
    return Contract.objects.filter(pk__in=ids)


def filter_contracts(
    queryset: QuerySet[Contract], params, *, import_job=None
) -> QuerySet[Contract]:
    """Apply the list's search, filters and sort from request parameters.

    `import_job` (resolved by the view through its access gate) keeps the contracts that
    import created or updated.
    """
    if import_job is not None:
        queryset = queryset.filter(pk__in=contracts_of_import(import_job).values("pk"))
    query = (params.get("q") or "").strip()
    if query:
        queryset = queryset.filter(
            Q(reference__icontains=query)
            | Q(title__icontains=query)
            | Q(supplier__name__icontains=query)
            | Q(supplier__org_number__icontains=query.replace("-", ""))
        )
    if region := params.get("region"):  # a code no region has: no contract
        ids = list(Region.objects.filter(county_code=region).values_list("pk", flat=True))
        queryset = bought_by(queryset, ids)
    if status := params.get("status"):
        queryset = queryset.filter(status=status)
    if category := params.get("category"):
        queryset = queryset.filter(category__slug=category)
    if level := params.get("level"):
        queryset = queryset.filter(clause_level="" if level == "none" else level)
    if supplier := params.get("supplier"):
        queryset = queryset.filter(supplier__public_id=supplier)
    sort = params.get("sort") or "-start"
    field = SORTS.get(sort.lstrip("-"), "start_date")
    ordering = f"-{field}" if sort.startswith("-") else field
    return queryset.select_related("lead_region__organisation", "supplier", "category").order_by(
        ordering, "pk"
    )


def default_harmonisation_year(today_year: int) -> int:
    """Return this year, or the latest earlier year in which some category was prioritised."""
    latest = (
        CategoryPrioritisation.objects.filter(first_year__lte=today_year)
        .order_by("-last_year")
        .values_list("last_year", flat=True)
        .first()
    )
    return min(today_year, latest) if latest else today_year


def harmonisation_period(year: int) -> tuple[date, date]:
    """Return the first and last day of year: the period the harmonisation index counts."""
    return date(year, 1, 1), date(year, 12, 31)


def contracts_in_force(year: int) -> QuerySet[Contract]:
    """Return the contracts in force at some time in year, judged by their dates.

    A contract is in force from its start date to its end date (no end date: until further
    notice), or to the day a termination was decided if that came first. Status does not
    decide, because it says how things stand today: a contract that expired last year still
    counts for last year, a planned one counts from the year it starts. Only a cancelled
    contract, which never came into force, never counts.
    """
    first, last = harmonisation_period(year)
    contracts = (
        Contract.objects.exclude(status=Contract.Status.CANCELLED)
        .filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
    )
    for terminated_on in _TERMINATION_DATES:
        contracts = contracts.alias(terminated_on=terminated_on()).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=first)
        )
    return contracts


# Follow-up, which builds on contracts, decides terminations (a sanction) and registers here, from
# its AppConfig.ready(), an expression for the day the contract in OuterRef("pk") was terminated.
_TERMINATION_DATES: list[Callable[[], Subquery]] = []


def register_termination_date(expression: Callable[[], Subquery]) -> None:
    """Register an expression for the day a contract was terminated (None: not terminated)."""
    _TERMINATION_DATES.append(expression)


@dataclass(frozen=True)
class HarmonisationRow:
    code: str
    name: str
    contracts: int
    current_clause: int
    bas: int
    avancerad: int

    @property
    def share(self) -> float:
        return self.current_clause / self.contracts if self.contracts else 0.0


def harmonisation(
    year: int, current_clause_id: int | None
) -> tuple[list[HarmonisationRow], HarmonisationRow]:
    """Return per region and nationally the contracts in force in year in categories
    prioritised in year, and how many carry the current clause version, and at which level.

    A joint procurement counts for every buying region, and once nationally.
    """
    base = contracts_in_force(year).filter(category__in=prioritised_in(year))
    current = Q(clause_id=current_clause_id) if current_clause_id else Q(pk__in=[])
    aggregates = {
        "contracts": Count("pk", distinct=True),
        "current_clause": Count("pk", filter=current, distinct=True),
        "bas": Count("pk", filter=current & Q(clause_level=ClauseLevel.BASIC), distinct=True),
        "avancerad": Count(
            "pk", filter=current & Q(clause_level=ClauseLevel.ADVANCED), distinct=True
        ),
    }
    # the counts per region (the rows' TypedDict misses the **aggregates, hence Any)
    per_region: dict[str, Mapping[str, Any]] = {
        row["regions__county_code"]: row
        for row in base.values("regions__county_code").annotate(**aggregates)
    }
    rows = []
    for region in Region.objects.select_related("organisation").order_by("county_code"):
        data = per_region.get(region.county_code, {})
        rows.append(
            HarmonisationRow(
                region.county_code,
                region.name,
                data.get("contracts", 0),
                data.get("current_clause", 0),
                data.get("bas", 0),
                data.get("avancerad", 0),
            )
        )
    national = base.aggregate(**aggregates)
    return rows, HarmonisationRow("SE", "", **national)


def harmonisation_json(year, clause, rows, national) -> dict:
    """Return the index as JSON-ready values, with the period whose contracts were counted."""

    def item(row):
        return {
            "contracts_in_prioritised_categories": row.contracts,
            "with_current_clause": row.current_clause,
            "share": round(row.share, 4),
            "bas": row.bas,
            "avancerad": row.avancerad,
        }

    first, last = harmonisation_period(year)
    return {
        "year": year,
        "counted_from": first.isoformat(),
        "counted_to": last.isoformat(),
        "current_clause_version": clause.version if clause else None,
        "national": item(national),
        "regions": [{"region_code": r.code, "region_name": r.name, **item(r)} for r in rows],
    }


def contract_history(contract: Contract, *, limit: int = 20) -> list[ReadableEntry]:
    """Return the contract's latest history entries in words (imports named, values formatted)."""

    def countries(codes) -> str:
        return ", ".join(country_name(code) for code in codes or []) or "–"

    return readable_history(
        history_for(contract)[:limit],
        Contract,
        formatters={"production_countries": each_side(countries)},
    )
