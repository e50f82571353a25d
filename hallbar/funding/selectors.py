"""Reads for funding: contributions per region and year, budget reconciliation."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Sum

from hallbar.funding.calculation import contribution_sek
from hallbar.funding.models import BudgetLine, FeeComponent, FeeDecision, RegionDecision
from hallbar.organisations.models import PopulationFigure, Region

FIRST_YEAR = 2016


@dataclass(frozen=True)
class Contribution:
    region: Region
    year: int
    decision: FeeDecision | None
    rate_ore: int | None
    reference_date: date | None
    population: int | None
    amount_sek: int | None

    @property
    def rate_sek(self) -> str | None:
        return None if self.rate_ore is None else f"{self.rate_ore / 100:.2f}"

    @property
    def is_missing(self) -> bool:
        return self.amount_sek is None


def fee_decisions() -> list[FeeDecision]:
    """Return every fee decision with its components, oldest first."""
    return list(
        FeeDecision.objects.prefetch_related(
            Prefetch("components", queryset=FeeComponent.objects.order_by("since_year"))
        ).order_by("from_year")
    )


def decision_for_year(year: int, decisions: list[FeeDecision]) -> FeeDecision | None:
    """Return the decision in force in year: the latest one applying from year or earlier."""
    in_force = [d for d in decisions if d.from_year <= year]
    return in_force[-1] if in_force else None


def contributions(years: list[int]) -> dict[int, list[Contribution]]:
    """Return each year's contributions, one per region in county-code order.

    A region without a population figure on the decision's reference date gets a contribution
    with no amount rather than a guessed one.
    """
    decisions = fee_decisions()
    regions = list(Region.objects.select_related("organisation").order_by("county_code"))
    wanted_dates = set()
    plan: dict[int, tuple[FeeDecision | None, date | None]] = {}
    for year in years:
        decision = decision_for_year(year, decisions)
        ref = decision.reference_date_for(year) if decision else None
        plan[year] = (decision, ref)
        if ref:
            wanted_dates.add(ref)
    population = {
        (p.region_id, p.reference_date): p.population
        for p in PopulationFigure.objects.filter(reference_date__in=wanted_dates)
    }
    result: dict[int, list[Contribution]] = {}
    for year in years:
        decision, ref = plan[year]
        rate = decision.rate_ore if decision else None
        rows = []
        for region in regions:
            count = population.get((region.pk, ref)) if ref else None
            amount = (
                contribution_sek(rate_ore=rate, population=count)
                if rate is not None and count is not None
                else None
            )
            rows.append(Contribution(region, year, decision, rate, ref, count, amount))
        result[year] = rows
    return result


def contributions_for_year(year: int) -> list[Contribution]:
    return contributions([year])[year]


def national_totals(by_year: dict[int, list[Contribution]]) -> dict[int, int]:
    """Return the sum of the known contributions per year."""
    return {year: sum(c.amount_sek or 0 for c in rows) for year, rows in by_year.items()}


def available_years(last_year: int) -> list[int]:
    return list(range(FIRST_YEAR, last_year + 1))


@dataclass(frozen=True)
class BudgetYear:
    year: int
    posts_sek: int
    activities_sek: int
    contributions_sek: int

    @property
    def total_sek(self) -> int:
        return self.posts_sek + self.activities_sek

    @property
    def difference_sek(self) -> int:
        """Return contributions minus budget: positive is a surplus, negative a shortfall."""
        return self.contributions_sek - self.total_sek


def budget_years(years: list[int]) -> list[BudgetYear]:
    """Return the secretariat budget per year reconciled against the contributions."""
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        BudgetLine.objects.filter(year__in=years)
        .values("year", "kind")
        .annotate(total=Sum("amount_sek"))
    ):
        sums[row["year"]][row["kind"]] = row["total"]
    totals = national_totals(contributions(years))
    return [
        BudgetYear(
            year=year,
            posts_sek=sums[year].get(BudgetLine.Kind.POST, 0),
            activities_sek=sums[year].get(BudgetLine.Kind.ACTIVITY, 0),
            contributions_sek=totals[year],
        )
        for year in years
    ]


def budget_lines(year: int) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(year=year).order_by("kind", "description"))


@dataclass(frozen=True)
class RegionDecisionStatus:
    region: Region
    decision: RegionDecision | None


def region_decision_overview() -> list[RegionDecisionStatus]:
    """Return every region with its latest decision (None when it has not decided)."""
    latest: dict[int, RegionDecision] = {}
    for decision in RegionDecision.objects.order_by("region_id", "-decided_on"):
        latest.setdefault(decision.region_id, decision)
    return [
        RegionDecisionStatus(region, latest.get(region.pk))
        for region in Region.objects.select_related("organisation").order_by("county_code")
    ]
