"""The year's figures, national or for one region, computed from live data.

This module is the one place figures are defined: dashboards, the annual report, strategy
indicators, open data and the regions' digest all read them from `year_figures`. Each figure has
a stable key, a translated label, and its definition in words (shown beside it). Reporting only
reads: nothing here writes to the database.

Scope. "A region's follow-ups" are the cases in which the region buys from the supplier under a
contract in the case's scope (the case's contracts list the region among their buying regions),
whoever leads them. National figures count every case once. A region's figure carries the
national value beside it.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import CategoryPrioritisation
from hallbar.contracts.selectors import harmonisation
from hallbar.core.countries import country_name
from hallbar.followups.access import deviations_for_statistics
from hallbar.followups.deadlines import Light, supplier_lights
from hallbar.followups.models import Audit, Deviation, FollowUp, FollowUpType, Remedy
from hallbar.followups.states import OPEN_STATES, State
from hallbar.funding.selectors import Contribution, contributions_for_year
from hallbar.organisations.models import Region, Role
from hallbar.planning.models import FollowUpPlan, PlanItem
from hallbar.requirements.models import SustainabilityArea
from hallbar.requirements.selectors import current_clause
from hallbar.risk.models import RiskAnalysis
from hallbar.training.models import Certificate
from hallbar.training.selectors import participation

Number = int | Decimal | None


class Unit:
    COUNT = "count"
    SEK = "sek"
    DAYS = "days"
    PERCENT = "percent"
    SEK_PER_INHABITANT = "sek_per_inhabitant"


class Group:
    """The sections of a dashboard, in the order they are shown."""

    FOLLOWUPS = "followups"
    CASES = "cases"
    DEVIATIONS = "deviations"
    SUPPLIERS = "suppliers"
    CONTRACTS = "contracts"
    RISK = "risk"
    TRAINING = "training"
    FUNDING = "funding"
    COORDINATION = "coordination"
    REMEDY = "remedy"


GROUP_TITLES = {
    Group.FOLLOWUPS: _("Follow-ups planned and done"),
    Group.CASES: _("Cases"),
    Group.DEVIATIONS: _("Deviations"),
    Group.SUPPLIERS: _("Suppliers"),
    Group.CONTRACTS: _("Contracts"),
    Group.RISK: _("Risk assessments"),
    Group.TRAINING: _("Training"),
    Group.FUNDING: _("Funding and costs"),
    Group.COORDINATION: _("The value of coordination"),
    Group.REMEDY: _("Verified remedy"),
}


@dataclass(frozen=True)
class Definition:
    key: str
    label: str  # lazy translation
    definition: str  # lazy translation: how the figure is computed, in words
    unit: str = Unit.COUNT
    group: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure of a year: its value for the scope, and the national value beside it."""

    key: str
    label: str
    definition: str
    unit: str
    value: Number
    national: Number = None  # set on a region's figures; None on the national ones
    group: str = ""


@dataclass(frozen=True)
class Breakdown:
    """A table behind a chart: rows of (label, value), with the figure's definition."""

    key: str
    title: str
    definition: str
    unit: str
    rows: list[tuple[str, Number]] = field(default_factory=list)
    # On a region's breakdown: the national value of each row's label (None when it has none).
    national_rows: list[tuple[str, Number]] = field(default_factory=list)
    group: str = ""
    row_heading: str = ""  # what the rows are (e.g. "Area"), for the table's first column

    def national_value(self, label: str) -> Number:
        return dict(self.national_rows).get(label)


@dataclass(frozen=True)
class YearFigures:
    year: int
    region: Region | None
    figures: list[Figure]
    breakdowns: list[Breakdown]

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def value(self, key: str) -> Number:
        return self.figure(key).value

    def breakdown(self, key: str) -> Breakdown:
        for breakdown in self.breakdowns:
            if breakdown.key == key:
                return breakdown
        raise KeyError(key)

    def planned_and_done(self) -> list[tuple[str, Figure, Figure]]:
        """Return (type, planned, done) per type of the plan: self-assessments (done: answered),
        office audits and factory audits."""
        return [
            (str(FollowUpType(kind).label), self.figure(planned), self.figure(done))
            for kind, planned, done in PLANNED_AND_DONE
        ]

    def groups(self) -> list[tuple[str, str, list[Figure], list[Breakdown]]]:
        """Return (group, title, figures, breakdowns) per section, in the dashboard's order."""
        result = []
        for group, title in GROUP_TITLES.items():
            figures = [f for f in self.figures if f.group == group]
            breakdowns = [b for b in self.breakdowns if b.group == group]
            if figures or breakdowns:
                result.append((group, str(title), figures, breakdowns))
        return result


DEFINITIONS: dict[str, Definition] = {}
# The types the annual plan plans, with the figures of what was planned and what was done.
PLANNED_AND_DONE = [
    (FollowUpType.SELF_ASSESSMENT, "self_assessments_planned", "self_assessments_answered"),
    (FollowUpType.OFFICE_AUDIT, "office_audits_planned", "office_audits_done"),
    (FollowUpType.FACTORY_AUDIT, "factory_audits_planned", "factory_audits_done"),
]
BREAKDOWNS: dict[str, Definition] = {}

REGION_SCOPE = _(
    "A region's follow-ups are the cases in which the region buys from the supplier under a "
    "contract in the case's scope, whoever leads them."
)


def _define(key: str, label, definition, unit: str = Unit.COUNT, group: str = "") -> Definition:
    DEFINITIONS[key] = Definition(key, label, definition, unit, group)
    return DEFINITIONS[key]


def _define_breakdown(key: str, title, definition, unit: str = Unit.COUNT, group: str = ""):
    BREAKDOWNS[key] = Definition(key, title, definition, unit, group)
    return BREAKDOWNS[key]


# --- the scope: one year, national or one region -------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), ROUND_HALF_UP)


class Scope:
    """The data of one year, for the whole cooperation (region None) or one region's share."""

    def __init__(self, year: int, region: Region | None) -> None:
        self.year = year
        self.region = region

    # the cases
    def all_cases(self) -> QuerySet[FollowUp]:
        """Return the scope's cases of every year (a region's: those it buys under)."""
        cases = FollowUp.objects.all()
        if self.region is not None:
            cases = cases.filter(
                pk__in=FollowUp.objects.filter(contracts__regions=self.region).values("pk")
            )
        return cases

    def cases(self) -> QuerySet[FollowUp]:
        return self.all_cases().filter(year=self.year)

    def live_cases(self) -> QuerySet[FollowUp]:
        """Return the year's cases that were not cancelled."""
        return self.cases().exclude(status=State.CANCELLED)

    @cached_property
    def case_costs(self) -> dict[int, tuple[int, int]]:
        """Return case id -> (cost: the case's own plus its audits', buying regions)."""
        rows = self.live_cases().annotate(
            regions=Count("contracts__regions", distinct=True),
        )
        audit_costs = dict(
            Audit.objects.filter(followup__in=self.live_cases())
            .values("followup_id")
            .annotate(total=Sum("cost_sek"))
            .values_list("followup_id", "total")
        )
        return {
            case.pk: (case.cost_sek + (audit_costs.get(case.pk) or 0), case.regions)
            for case in rows
        }

    # the plan
    @cached_property
    def plan_items(self) -> list[PlanItem]:
        plan = (
            FollowUpPlan.objects.filter(
                year=self.year,
                status__in=[FollowUpPlan.Status.APPROVED, FollowUpPlan.Status.PUBLISHED],
            )
            .order_by("-approved_at", "-created_at")
            .first()
        )
        if plan is None:
            return []
        items = list(plan.items.all())
        if self.region is not None:
            items = [i for i in items if self.region.county_code in (i.participating or [])]
        return items

    def planned(self, followup_type: str) -> int:
        return sum(1 for item in self.plan_items if item.followup_type == followup_type)

    def audits_done(self, kind: str) -> int:
        return Audit.objects.filter(
            followup__in=self.cases(),
            kind=kind,
            status__in=[Audit.Status.PERFORMED, Audit.Status.REPORTED],
        ).count()

    # deviations
    def deviations(self) -> QuerySet[Deviation]:
        """Return the scope's deviations of cases that were not cancelled (any year's case): an
        aggregate, so confidential ones count too (``deviations_for_statistics``)."""
        return deviations_for_statistics(
            Deviation.objects.filter(followup__in=self.all_cases().exclude(status=State.CANCELLED))
        )

    def deviations_found(self) -> QuerySet[Deviation]:
        return self.deviations().filter(found_on__year=self.year)

    def median_days_to_close_out(self) -> Decimal | None:
        days = [
            (closed - found).days
            for found, closed in self.deviations()
            .filter(closed_out_on__year=self.year)
            .values_list("found_on", "closed_out_on")
            if closed is not None
        ]
        if not days:
            return None
        return Decimal(str(statistics.median(days))).quantize(Decimal("0.1"), ROUND_HALF_UP)

    # suppliers
    @cached_property
    def lights(self) -> dict[int, str]:
        supplier_ids = set(self.live_cases().values_list("supplier_id", flat=True))
        return supplier_lights(supplier_ids)

    def suppliers_with(self, light: str) -> int:
        return sum(1 for value in self.lights.values() if value == light)

    # contracts
    @cached_property
    def harmonisation_index(self) -> Decimal | None:
        clause = current_clause()
        rows, national = harmonisation(self.year, clause.pk if clause else None)
        if self.region is not None:
            national = next(r for r in rows if r.code == self.region.county_code)
        return _percent(national.current_clause, national.contracts)

    # risk assessments (national: a region's value is the cooperation's)
    @cached_property
    def risk_analyses_current(self) -> Decimal | None:
        prioritised = set(
            CategoryPrioritisation.objects.filter(
                first_year__lte=self.year, last_year__gte=self.year
            ).values_list("category_id", flat=True)
        )
        end = date(self.year, 12, 31)
        start = date(self.year - RISK_ANALYSIS_YEARS + 1, 1, 1)
        current = set(
            RiskAnalysis.objects.filter(
                category_id__in=prioritised,
                status__in=[RiskAnalysis.Status.APPROVED, RiskAnalysis.Status.SUPERSEDED],
                approved_at__date__gte=start,
                approved_at__date__lte=end,
            ).values_list("category_id", flat=True)
        )
        return _percent(len(current), len(prioritised))

    # training
    def certificates(self) -> QuerySet[Certificate]:
        certificates = Certificate.objects.filter(issued_on__year=self.year)
        if self.region is not None:
            certificates = certificates.filter(region=self.region)
        return certificates

    @cached_property
    def training_completion(self) -> Decimal | None:
        regions = Region.objects.all()
        if self.region is not None:
            regions = regions.filter(pk=self.region.pk)
        rows = participation(regions, year=self.year)
        return _percent(sum(r.assigned_completed for r in rows), sum(r.assigned for r in rows))

    # funding
    @cached_property
    def contributions(self) -> list[Contribution]:
        rows = contributions_for_year(self.year)
        if self.region is not None:
            rows = [c for c in rows if c.region.pk == self.region.pk]
        return rows

    def invoiced(self) -> int:
        return sum(c.invoiced_sek or 0 for c in self.contributions)

    def cost_per_inhabitant(self) -> Decimal | None:
        known = [c for c in self.contributions if c.invoiced_sek is not None and c.population]
        population = sum(c.population or 0 for c in known)
        if not population:
            return None
        invoiced = sum(c.invoiced_sek or 0 for c in known)
        return (Decimal(invoiced) / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def followup_cost(self) -> int:
        return sum(cost for cost, _regions in self.case_costs.values())

    def cost_per_followup(self) -> Decimal | None:
        if not self.case_costs:
            return None
        return _whole(Decimal(self.followup_cost()) / len(self.case_costs))

    # coordination
    @cached_property
    def avoided(self) -> tuple[int, int]:
        """Return (follow-ups avoided, kronor avoided) by the definitions below."""
        if self.region is None:
            count = kronor = 0
            for cost, regions in self.case_costs.values():
                extra = max(regions - 1, 0)
                count += extra
                kronor += extra * cost
            return count, kronor
        led_elsewhere = set(
            self.live_cases().exclude(lead_region=self.region).values_list("pk", flat=True)
        )
        costs = [cost for pk, (cost, _r) in self.case_costs.items() if pk in led_elsewhere]
        return len(costs), sum(costs)

    # remedy
    @cached_property
    def remedies(self) -> list[Remedy]:
        remedies = Remedy.objects.filter(
            status=Remedy.Status.VERIFIED, delivered_on__year=self.year
        ).select_related("deviation__site", "deviation__followup__supplier")
        if self.region is not None:
            remedies = remedies.filter(deviation__followup__in=self.all_cases())
        return list(remedies)

    def remedy_rows(self, by: str, amount: str) -> list[tuple[str, Number]]:
        totals: dict[str, int | Decimal] = defaultdict(int)
        for remedy in self.remedies:
            deviation = remedy.deviation
            if by == "area":
                label = str(SustainabilityArea(deviation.area).label)
            else:
                code = (
                    deviation.site.country
                    if deviation.site is not None and deviation.site.country
                    else deviation.followup.supplier.country
                )
                label = country_name(code) if code else str(_("country not known"))
            totals[label] += getattr(remedy, amount)
        ordered = sorted(totals.items(), key=lambda row: (-row[1], row[0]))
        return [(label, value) for label, value in ordered]


# --- the figures -----------------------------------------------------------------------------

F = Group.FOLLOWUPS
_define(
    "followups_total",
    _("Follow-ups in the year"),
    _("Follow-up cases of the year, of every type and status."),
    group=F,
)
_define(
    "self_assessments_planned",
    _("Self-assessments planned"),
    _(
        "Self-assessments in the year's approved follow-up plan (the latest approved or "
        "published plan of the year). A region's: the planned follow-ups in which it participates."
    ),
    group=F,
)
_define(
    "self_assessments_sent",
    _("Self-assessments sent"),
    _("Cases of the year whose self-assessment questionnaire has been sent to the supplier."),
    group=F,
)
_define(
    "self_assessments_answered",
    _("Self-assessments answered"),
    _("Cases of the year whose supplier has submitted its answers (at least once)."),
    group=F,
)
_define(
    "office_audits_planned",
    _("Office audits planned"),
    _(
        "Office audits in the year's approved follow-up plan. A region's: the planned "
        "follow-ups in which it participates."
    ),
    group=F,
)
_define(
    "office_audits_done",
    _("Office audits done"),
    _("Office audits of the year's cases that have been performed (performed or reported)."),
    group=F,
)
_define(
    "factory_audits_planned",
    _("Factory audits planned"),
    _(
        "Factory audits in the year's approved follow-up plan. A region's: the planned "
        "follow-ups in which it participates."
    ),
    group=F,
)
_define(
    "factory_audits_done",
    _("Factory audits done"),
    _("Factory audits of the year's cases that have been performed (performed or reported)."),
    group=F,
)
C = Group.CASES
_define(
    "cases_open",
    _("Open cases"),
    _("Cases of the year that are neither closed nor cancelled today."),
    group=C,
)
_define(
    "cases_closed_remedied",
    _("Cases closed after remediation"),
    _("Closed cases of the year that had deviations, every one of them remedied (closed out)."),
    group=C,
)
_define(
    "summaries_published",
    _("Summaries published"),
    _("Follow-ups of the year whose anonymised summary has been published."),
    group=C,
)
D = Group.DEVIATIONS
_define(
    "deviations_found",
    _("Deviations found"),
    _(
        "Deviations found in the year (by the date they were found), in cases that were not "
        "cancelled, whatever the case's year. Confidential deviations count too."
    ),
    group=D,
)
_define(
    "deviations_median_days",
    _("Median days to close out a deviation"),
    _(
        "For the deviations closed out (släckt) in the year: the median number of days from "
        "the day the deviation was found to the day it was closed out."
    ),
    Unit.DAYS,
    group=D,
)
S = Group.SUPPLIERS
_LIGHTS = {
    Light.GREEN: (_("Suppliers with a green light"), _("green")),
    Light.YELLOW: (_("Suppliers with a yellow light"), _("yellow")),
    Light.RED: (_("Suppliers with a red light"), _("red")),
}
_LIGHT_DEFINITION = _(
    "Suppliers with a case of the year that was not cancelled, by their traffic light today, "
    "judged from the deviations of all their cases: red = not remedied in time or not enough; "
    "yellow = being remedied; green = none, or all remedied."
)
for _light, (_label, _word) in _LIGHTS.items():
    _define(f"suppliers_{_light}", _label, _LIGHT_DEFINITION, group=S)
_define(
    "harmonisation_index",
    _("Harmonisation index"),
    _(
        "The share of the contracts in force in the year in categories prioritised in the year "
        "that carry the current contract clause. A joint procurement counts for every buying "
        "region, and once nationally."
    ),
    Unit.PERCENT,
    group=Group.CONTRACTS,
)
RISK_ANALYSIS_YEARS = 3  # a risk analysis is up to date for three years
_define(
    "risk_analyses_current",
    _("Prioritised categories with a current risk analysis"),
    _(
        "The share of the categories prioritised in the year that have a risk analysis approved "
        "in the year or the two years before it (a version approved then and replaced later "
        "counts too). Risk analyses are national: a region's value is the cooperation's."
    ),
    Unit.PERCENT,
    group=Group.RISK,
)
T = Group.TRAINING
_define(
    "training_certificates",
    _("Training certificates issued"),
    _(
        "Certificates issued in the year for passed training modules. A region's: those whose "
        "holder worked for the region when passing."
    ),
    group=T,
)
_define(
    "training_completion",
    _("Assigned training completed"),
    _(
        "Of the modules assigned to the people holding a role in a region (buyers, region "
        "contacts, area coordinators), the share completed with a certificate issued in the year."
    ),
    Unit.PERCENT,
    group=T,
)
M = Group.FUNDING
_define(
    "contributions_invoiced",
    _("Contributions invoiced"),
    _(
        "The regions' contributions to the cooperation for the year, as invoiced: by the fee "
        "decision's rule (rate × population at the reference date) or the region's own decided "
        "amount, as the secretariat chose. A region's: its own contribution."
    ),
    Unit.SEK,
    group=M,
)
_define(
    "cost_per_inhabitant",
    _("Cost per inhabitant"),
    _(
        "The contributions invoiced divided by the population the contributions are computed "
        "from (the fee decision's reference date), over the regions with a known population."
    ),
    Unit.SEK_PER_INHABITANT,
    group=M,
)
_define(
    "followup_cost",
    _("Cost of follow-up"),
    _(
        "The cost of the year's cases that were not cancelled: each case's own cost plus the "
        "cost of its audits."
    ),
    Unit.SEK,
    group=M,
)
_define(
    "cost_per_followup",
    _("Cost per follow-up"),
    _(
        "The cost of follow-up (each case's own cost plus its audits' cost) divided by the "
        "number of the year's cases that were not cancelled, rounded to whole kronor."
    ),
    Unit.SEK,
    group=M,
)
V = Group.COORDINATION
_define(
    "followups_avoided",
    _("Follow-ups avoided"),
    _(
        "Nationally: for each case of the year that was not cancelled, the number of regions "
        "buying from the supplier under the case's contracts, less one: the follow-ups the "
        "regions would have made one by one. A region's: its cases of the year that another "
        "region led, which it would otherwise have made itself."
    ),
    group=V,
)
_define(
    "sek_avoided",
    _("Kronor avoided"),
    _(
        "Each follow-up avoided valued at its case's cost (the case's own cost plus its "
        "audits' cost), summed."
    ),
    Unit.SEK,
    group=V,
)
R = Group.REMEDY
_REMEDY = _(
    "Verified remedy delivered in the year (by its delivery date) for deviations of the scope's "
    "cases; remedy reported by a supplier counts only once the lead has verified it."
)
_define("remedy_people", _("People reached by remedy"), _REMEDY, group=R)
_define("remedy_sek", _("Kronor repaid"), _REMEDY, Unit.SEK, group=R)


COMPUTE: dict[str, Callable[[Scope], Number]] = {
    "followups_total": lambda s: s.cases().count(),
    "self_assessments_planned": lambda s: s.planned(FollowUpType.SELF_ASSESSMENT),
    "self_assessments_sent": lambda s: s.cases().filter(sent_at__isnull=False).count(),
    "self_assessments_answered": lambda s: (
        s.cases().filter(response__submitted_at__isnull=False).count()
    ),
    "office_audits_planned": lambda s: s.planned(FollowUpType.OFFICE_AUDIT),
    "office_audits_done": lambda s: s.audits_done(Audit.Kind.OFFICE),
    "factory_audits_planned": lambda s: s.planned(FollowUpType.FACTORY_AUDIT),
    "factory_audits_done": lambda s: s.audits_done(Audit.Kind.FACTORY),
    "cases_open": lambda s: s.cases().filter(status__in=OPEN_STATES).count(),
    "cases_closed_remedied": lambda s: (
        s.cases()
        .filter(status=State.CLOSED)
        .annotate(
            found=Count("deviations", distinct=True),
            unremedied=Count(
                "deviations",
                filter=~Q(deviations__status=Deviation.Status.REMEDIED),
                distinct=True,
            ),
        )
        .filter(found__gt=0, unremedied=0)
        .count()
    ),
    "summaries_published": lambda s: s.cases().filter(published_at__isnull=False).count(),
    "deviations_found": lambda s: s.deviations_found().count(),
    "deviations_median_days": lambda s: s.median_days_to_close_out(),
    "suppliers_green": lambda s: s.suppliers_with(Light.GREEN),
    "suppliers_yellow": lambda s: s.suppliers_with(Light.YELLOW),
    "suppliers_red": lambda s: s.suppliers_with(Light.RED),
    "harmonisation_index": lambda s: s.harmonisation_index,
    "risk_analyses_current": lambda s: s.risk_analyses_current,
    "training_certificates": lambda s: s.certificates().count(),
    "training_completion": lambda s: s.training_completion,
    "contributions_invoiced": lambda s: s.invoiced(),
    "cost_per_inhabitant": lambda s: s.cost_per_inhabitant(),
    "followup_cost": lambda s: s.followup_cost(),
    "cost_per_followup": lambda s: s.cost_per_followup(),
    "followups_avoided": lambda s: s.avoided[0],
    "sek_avoided": lambda s: s.avoided[1],
    "remedy_people": lambda s: sum(r.people_reached for r in s.remedies),
    "remedy_sek": lambda s: sum((r.amount_repaid_sek for r in s.remedies), Decimal(0)),
}


# --- the breakdowns --------------------------------------------------------------------------


def _deviations_by_area(scope: Scope) -> list[tuple[str, Number]]:
    counts = dict(
        scope.deviations_found().values("area").annotate(n=Count("pk")).values_list("area", "n")
    )
    return [(str(label), counts.get(value, 0)) for value, label in SustainabilityArea.choices]


def _deviations_by_requirement(scope: Scope) -> list[tuple[str, Number]]:
    english = (get_language() or "sv").startswith("en")
    counts: dict[int | None, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for deviation in scope.deviations_found().select_related("requirement"):
        requirement = deviation.requirement
        if requirement is None:
            counts[None] += 1
            continue
        counts[requirement.number] += 1
        title = (requirement.title_en if english else "") or requirement.title
        titles.setdefault(requirement.number, f"PR{requirement.number} {title}")
    rows: list[tuple[str, Number]] = [(titles[n], counts[n]) for n in sorted(titles)]
    if counts.get(None):
        rows.append((str(_("a Code of Conduct commitment (no process requirement)")), counts[None]))
    return rows


def _certificates_by_role(scope: Scope) -> list[tuple[str, Number]]:
    counts = dict(
        scope.certificates().values("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    labels = dict(Role.choices)
    ordered = sorted(
        ((str(labels.get(role, _("no role"))), n) for role, n in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return [(label, n) for label, n in ordered]


_define_breakdown(
    "followups_by_type",
    _("Cases of the year by type"),
    _("Follow-up cases of the year, of every status, by the type of follow-up."),
    group=F,
)
_define_breakdown(
    "deviations_by_area",
    _("Deviations found by area"),
    _(
        "Deviations found in the year, in cases that were not cancelled, by the Code of "
        "Conduct area they concern. Confidential deviations count too."
    ),
    group=D,
)
_define_breakdown(
    "deviations_by_requirement",
    _("Deviations found by process requirement"),
    _(
        "Deviations found in the year, in cases that were not cancelled, by the process "
        "requirement breached (PR1–PR7 of the contract clause), or a Code of Conduct commitment "
        "when no process requirement applies. Confidential deviations count too."
    ),
    group=D,
)
_define_breakdown("suppliers_by_light", _("Suppliers by traffic light"), _LIGHT_DEFINITION, group=S)
_define_breakdown(
    "certificates_by_role",
    _("Training certificates by role"),
    _("Certificates issued in the year, by the holder's role when passing."),
    group=T,
)
_define_breakdown("remedy_people_by_area", _("People reached by remedy, by area"), _REMEDY, group=R)
_define_breakdown("remedy_sek_by_area", _("Kronor repaid, by area"), _REMEDY, Unit.SEK, group=R)
_define_breakdown(
    "remedy_people_by_country",
    _("People reached by remedy, by country"),
    _(
        "Verified remedy delivered in the year, by the country of the deviation's production "
        "site, or of the supplier when the deviation names no site."
    ),
    group=R,
)
_define_breakdown(
    "remedy_sek_by_country",
    _("Kronor repaid, by country"),
    _(
        "Verified amounts repaid in the year, by the country of the deviation's production "
        "site, or of the supplier when the deviation names no site."
    ),
    Unit.SEK,
    group=R,
)


def _by_type(scope: Scope) -> list[tuple[str, Number]]:
    counts = dict(
        scope.cases()
        .values("followup_type")
        .annotate(n=Count("pk"))
        .values_list("followup_type", "n")
    )
    return [(str(label), counts.get(value, 0)) for value, label in FollowUpType.choices]


ROW_HEADINGS = {
    "followups_by_type": _("Type of follow-up"),
    "deviations_by_area": _("Area"),
    "deviations_by_requirement": _("Process requirement"),
    "suppliers_by_light": _("Traffic light"),
    "certificates_by_role": _("Role"),
    "remedy_people_by_area": _("Area"),
    "remedy_sek_by_area": _("Area"),
    "remedy_people_by_country": _("Country"),
    "remedy_sek_by_country": _("Country"),
}

BREAKDOWN_ROWS: dict[str, Callable[[Scope], list[tuple[str, Number]]]] = {
    "followups_by_type": _by_type,
    "deviations_by_area": _deviations_by_area,
    "deviations_by_requirement": _deviations_by_requirement,
    "suppliers_by_light": lambda s: [
        (str(word).capitalize(), s.suppliers_with(light)) for light, (_l, word) in _LIGHTS.items()
    ],
    "certificates_by_role": _certificates_by_role,
    "remedy_people_by_area": lambda s: s.remedy_rows("area", "people_reached"),
    "remedy_sek_by_area": lambda s: s.remedy_rows("area", "amount_repaid_sek"),
    "remedy_people_by_country": lambda s: s.remedy_rows("country", "people_reached"),
    "remedy_sek_by_country": lambda s: s.remedy_rows("country", "amount_repaid_sek"),
}


def year_figures(
    year: int, region: Region | None = None, *, national: "YearFigures | None" = None
) -> YearFigures:
    """Return every figure of year, for region (with the national value beside) or national.

    national: the year's national figures when the caller has them already (a table of every
    region computes them once, not once per region).
    """
    if national is not None and (national.year != year or national.region is not None):
        raise ValueError("national must be the national figures of the same year")
    scope = Scope(year, region)
    nation = Scope(year, None) if region is not None and national is None else None
    known = {f.key: f.value for f in national.figures} if national is not None else {}
    known_rows = {b.key: b.rows for b in national.breakdowns} if national is not None else {}
    figures = []
    for key, definition in DEFINITIONS.items():
        compute = COMPUTE[key]
        figures.append(
            Figure(
                key=key,
                label=str(definition.label),
                definition=str(definition.definition),
                unit=definition.unit,
                value=compute(scope),
                national=(
                    known[key]
                    if key in known and region is not None
                    else compute(nation)
                    if nation is not None
                    else None
                ),
                group=definition.group,
            )
        )
    breakdowns = []
    for key, definition in BREAKDOWNS.items():
        rows = BREAKDOWN_ROWS[key](scope)
        if region is not None and key in known_rows:
            national_rows = list(known_rows[key])
        else:
            national_rows = BREAKDOWN_ROWS[key](nation) if nation is not None else []
        if region is not None:
            # the region's table lists the national rows it lacks, at zero
            labels = {label for label, _value in rows}
            rows = rows + [(label, 0) for label, _value in national_rows if label not in labels]
        breakdowns.append(
            Breakdown(
                key=key,
                title=str(definition.label),
                definition=str(definition.definition),
                unit=definition.unit,
                rows=rows,
                national_rows=national_rows,
                group=definition.group,
                row_heading=str(ROW_HEADINGS.get(key, "")),
            )
        )
    return YearFigures(year=year, region=region, figures=figures, breakdowns=breakdowns)


def figure_values(year: int, region: Region | None, keys: Iterable[str]) -> dict[str, Number]:
    """Return the value of each figure of keys in year, for region or national: only those
    figures, computed as `year_figures` computes them (a table with a row per region shows a
    few columns, and needs neither the other figures nor the breakdowns)."""
    scope = Scope(year, region)
    return {key: COMPUTE[key](scope) for key in keys}


def region_scope_definition() -> str:
    """Return, in words, which follow-ups are a region's (shown on a region's dashboard)."""
    return str(REGION_SCOPE)
