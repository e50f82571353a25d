"""Reads for funding: contributions per region and year, budget reconciliation."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Sum
from django_stubs_ext import StrOrPromise

from hallbar.core.history import history_for
from hallbar.funding.calculation import contribution_sek, difference_sek, invoiced_sek
from hallbar.funding.models import (
    BudgetLine,
    FeeComponent,
    FeeDecision,
    InvoiceChoice,
    RegionDecision,
)
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
    region_decision: RegionDecision | None = None
    choice: InvoiceChoice | None = None

    @property
    def rate_sek(self) -> str | None:
        return None if self.rate_ore is None else f"{self.rate_ore / 100:.2f}"

    @property
    def is_missing(self) -> bool:
        return self.amount_sek is None

    @property
    def decided_sek(self) -> int | None:
        """Return the annual amount the region's own decision states for this year, if any."""
        return self.region_decision.annual_amount_sek if self.region_decision else None

    @property
    def difference_sek(self) -> int | None:
        """Return the decided amount minus the amount by the rule (None without a decision)."""
        return difference_sek(rule_sek=self.amount_sek, decided_sek=self.decided_sek)

    @property
    def invoiced_basis(self) -> str:
        return self.choice.basis if self.choice else InvoiceChoice.Basis.RULE

    @property
    def invoiced_basis_label(self) -> StrOrPromise:
        return InvoiceChoice.Basis(self.invoiced_basis).label

    @property
    def invoiced_sek(self) -> int | None:
        return invoiced_sek(
            rule_sek=self.amount_sek, decided_sek=self.decided_sek, basis=self.invoiced_basis
        )


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
    stated = _decided_amounts(years, decisions)
    choices = {
        (c.region_id, c.year): c
        for c in InvoiceChoice.objects.filter(year__in=years).select_related("recorded_by")
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
            rows.append(
                Contribution(
                    region,
                    year,
                    decision,
                    rate,
                    ref,
                    count,
                    amount,
                    region_decision=stated.get((region.pk, year)),
                    choice=choices.get((region.pk, year)),
                )
            )
        result[year] = rows
    return result


def _decided_amounts(
    years: list[int], decisions: list[FeeDecision]
) -> dict[tuple[int, int], RegionDecision]:
    """Return, per (region id, year), the region's approved decision stating its annual amount.

    A region's decision states an amount a year from its first year for as long as the fee
    decision in force that year stays in force: a later fee decision is a new fee, on which the
    region has not decided. Of several such decisions the one with the latest first year (then
    the latest decision date) applies.
    """
    stated = RegionDecision.objects.filter(
        status=RegionDecision.Status.APPROVED,
        annual_amount_sek__isnull=False,
        from_year__isnull=False,
        from_year__lte=max(years, default=0),
    ).order_by("region_id", "from_year", "decided_on", "pk")
    result: dict[tuple[int, int], RegionDecision] = {}
    for region_decision in stated:
        from_year = region_decision.from_year
        if from_year is None:  # excluded by the filter above
            continue
        fee = decision_for_year(from_year, decisions)
        for year in years:
            if year >= from_year and decision_for_year(year, decisions) == fee:
                result[(region_decision.region_id, year)] = region_decision
    return result


def contributions_for_year(year: int) -> list[Contribution]:
    return contributions([year])[year]


def contribution_for(region: Region, year: int) -> Contribution:
    """Return the region's contribution for year, with its decided and invoiced amounts."""
    return next(c for c in contributions_for_year(year) if c.region.pk == region.pk)


def national_totals(by_year: dict[int, list[Contribution]]) -> dict[int, int]:
    """Return the sum of the known contributions by the rule per year."""
    return {year: sum(c.amount_sek or 0 for c in rows) for year, rows in by_year.items()}


@dataclass(frozen=True)
class InvoicedTotal:
    rule_sek: int
    invoiced_sek: int

    @property
    def difference_sek(self) -> int:
        """Return what is invoiced minus what the rule gives (negative: invoiced less)."""
        return self.invoiced_sek - self.rule_sek


def invoiced_total(rows: list[Contribution]) -> InvoicedTotal:
    """Return the year's sum of invoiced amounts beside the sum by the rule."""
    return InvoicedTotal(
        rule_sek=sum(c.amount_sek or 0 for c in rows),
        invoiced_sek=sum(c.invoiced_sek or 0 for c in rows),
    )


@dataclass(frozen=True)
class InvoiceChoiceChange:
    at: datetime
    actor: object
    old_label: StrOrPromise
    new_label: StrOrPromise
    old_sek: int | None
    new_sek: int | None
    reason: str


def _basis_label(code) -> StrOrPromise:
    return InvoiceChoice.Basis(code).label if code in InvoiceChoice.Basis.values else "–"


def invoice_choice_history(region: Region, year: int) -> list[InvoiceChoiceChange]:
    """Return the recorded changes of which amount is invoiced to region for year, newest first."""
    choice = InvoiceChoice.objects.filter(region=region, year=year).first()
    if choice is None:
        return []
    changes = []
    for entry in history_for(choice):
        basis = entry.changes.get("basis") or [None, None]
        amounts = entry.changes.get("invoiced_sek") or [None, None]
        changes.append(
            InvoiceChoiceChange(
                at=entry.at,
                actor=entry.actor,
                old_label=_basis_label(basis[0]),
                new_label=_basis_label(basis[1]),
                old_sek=amounts[0],
                new_sek=amounts[1],
                reason=entry.changes.get("reason", ""),
            )
        )
    return changes


def available_years(last_year: int) -> list[int]:
    return list(range(FIRST_YEAR, last_year + 1))


@dataclass(frozen=True)
class BudgetYear:
    """A year's budget beside the contributions: what is invoiced, and what the rule gives.

    The budget is reconciled against what the regions are invoiced (the rule's amount, or a
    region's decided amount where the secretariat chose it): that is the money the secretariat
    has. The rule's total is shown beside it.
    """

    year: int
    posts_sek: int
    activities_sek: int
    contributions_sek: int  # invoiced
    rule_sek: int = 0

    @property
    def total_sek(self) -> int:
        return self.posts_sek + self.activities_sek

    @property
    def difference_sek(self) -> int:
        """Return invoiced contributions minus budget: positive a surplus, negative a shortfall."""
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
    by_year = contributions(years)
    result = []
    for year in years:
        total = invoiced_total(by_year.get(year, []))
        result.append(
            BudgetYear(
                year=year,
                posts_sek=sums[year].get(BudgetLine.Kind.POST, 0),
                activities_sek=sums[year].get(BudgetLine.Kind.ACTIVITY, 0),
                contributions_sek=total.invoiced_sek,
                rule_sek=total.rule_sek,
            )
        )
    return result


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
