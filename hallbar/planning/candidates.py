"""From the database to the planner's problem: candidates from the latest screening, history
from follow-up cases and other organisations' follow-ups (the reuse rule), populations.

The reuse rule: a supplier needs no new follow-up if one exists, by the cooperation or recorded
from another organisation (such as Adda), at the same or a higher clause level, with a similar
method, and less than three years old. "Similar method" is read as at least as thorough: a desk
follow-up (self-assessment, dialogue, traceability) serves a supplier whose risk is not critical;
a supplier with critical risk needs an earlier audit to be spared.

Escalation duties (docs/planning-model.md): open deviations or a zero-tolerance signal make the
next step a duty, which the reuse rule and a desk case in progress do not spare; an audit at that
step opened since the deviation was found does, and so does the secretariat's recorded waiver.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Q

from hallbar.contracts.models import Contract
from hallbar.followups.models import Audit, Deviation, FollowUp, Report
from hallbar.followups.states import State
from hallbar.organisations.models import AreaCategory, PopulationFigure, Region
from hallbar.planning.models import DutyWaiver, ExternalFollowUp
from hallbar.planning.solver import Candidate, FollowUpType, Problem, default_types
from hallbar.planning.solver.model import DEFAULT_CRITICAL_SHARE
from hallbar.requirements.models import LEVEL_RANK
from hallbar.risk.models import ScreeningRun
from hallbar.suppliers.models import Supplier

REUSE_YEARS = 3
METHOD_RANK = {
    "dialogue": 1,
    "self_assessment": 1,
    "traceability": 1,
    "office_audit": 2,
    "factory_audit": 3,
}
# Deviations that leave the supplier's follow-up unfinished.
UNRESOLVED = ["open", "planned", "not_remedied"]
AUDIT_STEP = {"office": 1, "factory": 2}
DUTY_STEP = {"office_audit": 1, "factory_audit": 2}
# A supplier is critical when its highest area score reaches this (the screening's 0–25 scale).
CRITICAL_SCORE = 20.0
# Cases that have been carried out (the supplier answered or was audited), cancelled ones not.
DONE_STATES = {
    State.ASSESSED,
    State.OFFICE_AUDIT,
    State.FACTORY_AUDIT,
    State.DEVIATIONS,
    State.ACTION_PLAN,
    State.VERIFIED,
    State.CLOSED,
}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class PastFollowUp:
    supplier_id: int
    by: str
    method: str
    clause_level: str
    performed_on: date
    reference: str = ""


def reusable(past: PastFollowUp, *, level: str, critical: bool, on: date) -> bool:
    """Return whether past spares the supplier a new follow-up (the reuse rule)."""
    return (
        LEVEL_RANK.get(past.clause_level, 0) >= LEVEL_RANK.get(level or "basic", 1)
        and METHOD_RANK.get(past.method, 0) >= (2 if critical else 1)
        and past.performed_on > years_before(on, REUSE_YEARS)
        and past.performed_on <= on
    )


def past_followups(supplier_ids, *, on: date, secretariat_name: str) -> dict[int, list]:
    """Return every follow-up of the suppliers carried out in the three years before on."""
    since = years_before(on, REUSE_YEARS)
    history: dict[int, list[PastFollowUp]] = defaultdict(list)
    cases = FollowUp.objects.filter(
        supplier_id__in=supplier_ids, status__in=DONE_STATES, updated_at__date__gt=since
    ).values_list("supplier_id", "followup_type", "clause_level", "updated_at", "reference")
    for supplier_id, method, level, when, reference in cases:
        history[supplier_id].append(
            PastFollowUp(supplier_id, secretariat_name, method, level, when.date(), reference)
        )
    external = ExternalFollowUp.objects.filter(
        supplier_id__in=supplier_ids, performed_on__gt=since
    ).values_list(
        "supplier_id", "organisation", "followup_type", "clause_level", "performed_on", "reference"
    )
    for supplier_id, by, method, level, performed_on, reference in external:
        history[supplier_id].append(
            PastFollowUp(supplier_id, by, method, level, performed_on, reference)
        )
    return history


def current_suppliers(supplier_ids) -> dict[int, int]:
    """Return {merged supplier: the current supplier it was merged into} for the ids given,
    following merges of merges (A into B, then B into C: A counts as C)."""
    into = dict(
        Supplier.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    result = {}
    for pk in supplier_ids:
        seen = {pk}
        current = pk
        while current in into and into[current] not in seen:
            current = into[current]
            seen.add(current)
        if current != pk:
            result[pk] = current
    return result


def populations(year: int) -> dict[str, int]:
    """Return each region's population at the latest reference date before the year."""
    # in date order, so that each region's latest figure is the one kept
    figures = PopulationFigure.objects.order_by("reference_date").values_list(
        "region__county_code", "population"
    )
    result = dict(figures.filter(reference_date__lt=date(year, 1, 1)))
    # no figure before the year: take the latest there is
    return result or dict(figures)


@dataclass
class SupplierFacts:
    """What the page and the plan items need about a candidate beyond the solver's view."""

    supplier_id: int
    category_key: str
    area: str
    level: str
    spend_by_region: dict[str, float] = field(default_factory=dict)
    reused_by: PastFollowUp | None = None
    in_progress: str = ""
    # The cases whose open deviations or zero-tolerance signals make a duty, and the waiver.
    deviation_cases: list[str] = field(default_factory=list)
    signal_cases: list[str] = field(default_factory=list)
    signal_reports: list[str] = field(default_factory=list)
    waiver: str = ""


@dataclass
class Built:
    problem: Problem
    facts: dict[str, SupplierFacts]
    run: ScreeningRun | None
    messages: list[str]


def latest_run(year: int) -> ScreeningRun | None:
    return (
        ScreeningRun.objects.filter(status=ScreeningRun.Status.DONE, year__lte=year)
        .order_by("-year", "-created_at")
        .first()
    )


def build_problem(
    *,
    year: int,
    budget_sek: float,
    run: ScreeningRun | None = None,
    rel_tol: float = 0.10,
    abs_tol: float = 2.0,
    area_capacity: dict[str, int] | None = None,
    types: list[FollowUpType] | None = None,
    on: date | None = None,
    secretariat_name: str = "Hållbar upphandling",
    minimum_audits: dict[str, int] | None = None,
    critical_share: float = DEFAULT_CRITICAL_SHARE,
) -> Built:
    """Build the year's planning problem from the screening run (the latest if none is given)."""
    on = on or date(year, 1, 1)
    run = run or latest_run(year)
    messages: list[str] = []
    exposure: dict[int, float] = defaultdict(float)
    best_category: dict[int, tuple[float, str]] = {}
    top_score: dict[int, float] = defaultdict(float)
    spend: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if run is not None:
        rows = run.rows.exclude(supplier_key="").values_list(
            "region_code",
            "category_key",
            "supplier_key",
            "spend_sek",
            "hr",
            "wr",
            "env",
            "be",
            "exposure",
        )
        for region, category, key, amount, hr, wr, env, be, value in rows.iterator(chunk_size=5000):
            if not key.isdigit():
                continue
            supplier_id = int(key)
            if region == "SE":
                exposure[supplier_id] += value
                if value > best_category.get(supplier_id, (-1.0, ""))[0]:
                    best_category[supplier_id] = (value, category)
                top_score[supplier_id] = max(top_score[supplier_id], hr, wr, env, be)
            else:
                spend[supplier_id][region] += float(amount)
    # Merged suppliers count as their survivor, through every later merge.
    merged = current_suppliers(list(exposure))
    for old, new in merged.items():
        exposure[new] += exposure.pop(old)
        best_category.setdefault(new, best_category.pop(old, (0.0, "")))
        top_score[new] = max(top_score[new], top_score.pop(old, 0.0))
        for region, regional in spend.pop(old, {}).items():
            spend[new][region] += regional
    # A run may name suppliers deleted since; plan only those that exist.
    existing = set(Supplier.objects.filter(pk__in=list(exposure)).values_list("pk", flat=True))
    supplier_ids = [pk for pk, value in exposure.items() if value > 0 and pk in existing]
    buyers: dict[int, set[str]] = defaultdict(set)
    levels: dict[int, str] = {}
    contracts = Contract.objects.filter(
        supplier_id__in=supplier_ids, status=Contract.Status.ACTIVE
    ).values_list("supplier_id", "regions__county_code", "clause_level")
    for supplier_id, region, level in contracts:
        if region:
            buyers[supplier_id].add(region)
        if level and LEVEL_RANK[level] > LEVEL_RANK.get(levels.get(supplier_id, ""), 0):
            levels[supplier_id] = level
    owners = {
        ownership.category.slug: ownership.area.code
        for ownership in AreaCategory.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("area", "category")
    }
    history = past_followups(supplier_ids, on=on, secretariat_name=secretariat_name)
    open_now = dict(
        FollowUp.objects.filter(supplier_id__in=supplier_ids, year=year)
        .exclude(status=State.CANCELLED)
        .values_list("supplier_id", "reference")
    )
    self_assessed = set(
        FollowUp.objects.filter(
            supplier_id__in=supplier_ids,
            response__status="submitted",
            status__in=DONE_STATES,
            updated_at__date__gt=years_before(on, REUSE_YEARS),
        ).values_list("supplier_id", flat=True)
    )
    office_audited = set(
        Audit.objects.filter(
            followup__supplier_id__in=supplier_ids,
            kind=Audit.Kind.OFFICE,
            status__in=[Audit.Status.PERFORMED, Audit.Status.REPORTED],
        ).values_list("followup__supplier_id", flat=True)
    ) | {pk for pk, items in history.items() for p in items if p.method == "office_audit"}
    self_assessed |= {
        pk for pk, items in history.items() for p in items if p.method == "self_assessment"
    }
    signals = set(
        Deviation.objects.filter(
            followup__supplier_id__in=supplier_ids,
            zero_tolerance=True,
            status__in=[Deviation.Status.OPEN, Deviation.Status.PLANNED],
        ).values_list("followup__supplier_id", flat=True)
    ) | set(
        Report.objects.filter(supplier_id__in=supplier_ids, kind="zero_tolerance")
        .exclude(status="dismissed")
        .values_list("supplier_id", flat=True)
    )
    # What triggers a duty, and since when: open deviations and zero-tolerance signals.
    triggered: dict[int, date] = {}
    deviation_cases: dict[int, set[str]] = defaultdict(set)
    signal_cases: dict[int, set[str]] = defaultdict(set)
    signal_reports: dict[int, set[str]] = defaultdict(set)
    for supplier_id, reference, zero_tolerance, found_on in Deviation.objects.filter(
        followup__supplier_id__in=supplier_ids, status__in=UNRESOLVED
    ).values_list("followup__supplier_id", "followup__reference", "zero_tolerance", "found_on"):
        (signal_cases if zero_tolerance else deviation_cases)[supplier_id].add(reference)
        triggered[supplier_id] = min(triggered.get(supplier_id, found_on), found_on)
    for supplier_id, received_on in (
        Report.objects.filter(supplier_id__in=supplier_ids, kind="zero_tolerance")
        .exclude(status="dismissed")
        .values_list("supplier_id", "received_on")
    ):
        signal_reports[supplier_id].add(received_on.isoformat())
        triggered[supplier_id] = min(triggered.get(supplier_id, received_on), received_on)
    # Audits opened since the trigger: the escalation is under way.
    escalated: dict[int, int] = defaultdict(int)
    for supplier_id, kind, created in Audit.objects.filter(
        followup__supplier_id__in=list(triggered)
    ).values_list("followup__supplier_id", "kind", "created_at"):
        if created.date() >= triggered[supplier_id]:
            escalated[supplier_id] = max(escalated[supplier_id], AUDIT_STEP.get(kind, 0))
    waivers = dict(
        DutyWaiver.objects.filter(supplier_id__in=list(triggered), year=year).values_list(
            "supplier_id", "reason"
        )
    )
    population = populations(year)
    candidates: list[Candidate] = []
    facts: dict[str, SupplierFacts] = {}
    no_contract = 0
    for supplier_id in sorted(supplier_ids):
        regions = buyers.get(supplier_id) or {
            r for r, amount in spend.get(supplier_id, {}).items() if amount > 0
        }
        regions = {r for r in regions if r in population}
        if not buyers.get(supplier_id):
            no_contract += 1
        if not regions:
            continue
        category = best_category.get(supplier_id, (0.0, ""))[1]
        area = owners.get(category, "")
        level = levels.get(supplier_id, "basic")
        critical = top_score.get(supplier_id, 0.0) >= CRITICAL_SCORE
        reused_by = next(
            (
                p
                for p in sorted(
                    history.get(supplier_id, []), key=lambda p: p.performed_on, reverse=True
                )
                if reusable(p, level=level, critical=critical, on=on)
            ),
            None,
        )
        in_progress = open_now.get(supplier_id, "")
        key = str(supplier_id)
        shares = {r: spend.get(supplier_id, {}).get(r, 0.0) for r in regions}
        candidate = Candidate(
            id=key,
            exposure=float(exposure[supplier_id]),
            area=area,
            regions=tuple(sorted(regions)),
            has_self_assessment=supplier_id in self_assessed,
            has_office_audit=supplier_id in office_audited,
            zero_tolerance_signal=supplier_id in signals,
            critical=critical,
            region_shares=shares if any(shares.values()) else None,
            open_deviations=bool(deviation_cases.get(supplier_id)),
            duty_waived=supplier_id in waivers,
        )
        duty = candidate.duty()
        if duty and escalated.get(supplier_id, 0) >= DUTY_STEP[duty]:
            duty = ""  # an audit at that step has been opened since
        # A duty is not spared by an earlier follow-up or a desk case in progress.
        candidates.append(replace(candidate, reused=not duty and bool(reused_by or in_progress)))
        facts[key] = SupplierFacts(
            supplier_id=supplier_id,
            category_key=category,
            area=area,
            level=level,
            spend_by_region=dict(spend.get(supplier_id, {})),
            reused_by=reused_by,
            in_progress=in_progress,
            deviation_cases=sorted(deviation_cases.get(supplier_id, ())),
            signal_cases=sorted(signal_cases.get(supplier_id, ())),
            signal_reports=sorted(signal_reports.get(supplier_id, ())),
            waiver=waivers.get(supplier_id, ""),
        )
    if run is None:
        messages.append("no_run")
    if no_contract:
        messages.append(f"no_contract:{no_contract}")
    problem = Problem(
        candidates=candidates,
        budget_sek=float(budget_sek),
        region_population={
            r.county_code: population.get(r.county_code, 0)
            for r in Region.objects.order_by("county_code")
            if population.get(r.county_code)
        },
        types=types or default_types(),
        area_capacity=area_capacity or {},
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        minimum_audits=minimum_audits or {},
        critical_share=critical_share,
    )
    return Built(problem=problem, facts=facts, run=run, messages=messages)
