"""Reads for the plan pages: coverage per category and area, lead shares against population
shares, the value of coordination, and the proposal compared with the plan as people left it."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.history import ReadableEntry, each_side, history_for, readable_history
from hallbar.organisations.models import AreaCategory, Region
from hallbar.planning.candidates import populations
from hallbar.planning.models import FollowUpPlan, PlanItem
from hallbar.planning.solver import lead_bounds
from hallbar.suppliers.models import Supplier


@dataclass
class Coordination:
    coordinated: int
    uncoordinated: int
    cost_sek: int
    cost_avoided_sek: int


def coordination(items) -> Coordination:
    """Return how many follow-ups the regions would need alone, and what one for all saves."""
    coordinated = uncoordinated = cost = avoided = 0
    for item in items:
        regions = max(len(item["participating"]), 1)
        coordinated += 1
        uncoordinated += regions
        cost += item["cost_sek"]
        avoided += item["cost_sek"] * (regions - 1)
    return Coordination(coordinated, uncoordinated, cost, avoided)


def _item_rows(plan: FollowUpPlan) -> list[Mapping[str, Any]]:
    return list(
        plan.items.values(
            "supplier_id",
            "followup_type",
            "lead_region__county_code",
            "participating",
            "cost_sek",
            "covered",
            "exposure",
            "category__slug",
            "lead_area__code",
        )
    )


def coverage(
    plan: FollowUpPlan, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[dict], list[dict]]:
    """Return the covered share of the screened risk exposure per category and per area."""
    total_by_category: dict[str, float] = {}
    if plan.screening_run is not None:
        # summed in the database: the national rows of a run are many, their categories few
        total_by_category = dict(
            plan.screening_run.rows.filter(region_code="SE")
            .order_by()
            .values("category_key")
            .annotate(total=Sum("exposure"))
            .values_list("category_key", "total")
        )
    covered_by_category: dict[str, float] = defaultdict(float)
    count_by_category: dict[str, int] = defaultdict(int)
    for row in rows:
        covered_by_category[row["category__slug"] or ""] += row["covered"]
        count_by_category[row["category__slug"] or ""] += 1
    names = {c.slug: c.name for c in Category.objects.all()}
    on = f"{plan.year}-01-01"
    owners = {
        o.category.slug: o.area.code
        for o in AreaCategory.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("area", "category")
    }
    categories: list[dict[str, Any]] = []
    for key in sorted(
        set(total_by_category) | set(covered_by_category),
        key=lambda k: -total_by_category.get(k, 0),
    ):
        total = total_by_category.get(key, 0.0)
        categories.append(
            {
                "key": key,
                "name": names.get(key, key or "–"),
                "area": owners.get(key, ""),
                "count": count_by_category.get(key, 0),
                "covered": covered_by_category.get(key, 0.0),
                "total": total,
                "share": covered_by_category.get(key, 0.0) / total if total else 0.0,
            }
        )
    areas: dict[str, dict] = {}
    for row in categories:
        entry = areas.setdefault(
            row["area"] or "–",
            {"area": row["area"] or "–", "count": 0, "covered": 0.0, "total": 0.0},
        )
        entry["count"] += row["count"]
        entry["covered"] += row["covered"]
        entry["total"] += row["total"]
    for entry in areas.values():
        entry["share"] = entry["covered"] / entry["total"] if entry["total"] else 0.0
    return categories, sorted(areas.values(), key=lambda a: a["area"])


def lead_shares(plan: FollowUpPlan, rows: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Return each region's leads against its population share, with the allowed range."""
    population = populations(plan.year)
    total_people = sum(population.values()) or 1
    count = len(rows)
    bounds = lead_bounds(count, population, rel_tol=plan.rel_tol, abs_tol=plan.abs_tol)
    leads: dict[str, int] = defaultdict(int)
    for row in rows:
        leads[row["lead_region__county_code"]] += 1
    result = []
    for region in Region.objects.select_related("organisation").order_by("county_code"):
        code = region.county_code
        lo, hi = bounds.get(code, (0, 0))
        result.append(
            {
                "region": region,
                "leads": leads.get(code, 0),
                "lead_share": leads.get(code, 0) / count if count else 0.0,
                "population_share": population.get(code, 0) / total_people,
                "low": lo,
                "high": hi,
                "within": lo <= leads.get(code, 0) <= hi,
            }
        )
    return result


def comparison(plan: FollowUpPlan, rows: Sequence[Mapping[str, Any]]) -> dict:
    """Compare the planner's proposal with the plan as people changed it."""
    proposed = {p["supplier_id"]: p for p in plan.proposal}
    current = {r["supplier_id"]: r for r in rows}
    changed = [
        pk
        for pk in set(proposed) & set(current)
        if proposed[pk]["type"] != current[pk]["followup_type"]
        or proposed[pk]["lead_region"] != current[pk]["lead_region__county_code"]
    ]
    return {
        "added": len(set(current) - set(proposed)),
        "removed": len(set(proposed) - set(current)),
        "changed": len(changed),
        "proposed_count": len(proposed),
        "current_count": len(current),
        "proposed_cost": sum(p["cost_sek"] for p in proposed.values()),
        "current_cost": sum(r["cost_sek"] for r in current.values()),
        "proposed_covered": sum(p["covered"] for p in proposed.values()),
        "current_covered": sum(r["covered"] for r in current.values()),
        "removed_ids": sorted(set(proposed) - set(current)),
    }


@dataclass
class BudgetState:
    cost_sek: int
    budget_sek: int

    @property
    def over_sek(self) -> int:
        return max(0, self.cost_sek - self.budget_sek)

    @property
    def left_sek(self) -> int:
        return max(0, self.budget_sek - self.cost_sek)

    @property
    def within(self) -> bool:
        return self.cost_sek <= self.budget_sek


@dataclass
class Fairness:
    """Whether every region leads a share of the follow-ups within its allowed range.

    One rule for the status and the table: both read the plan's follow-ups as they are now
    (`lead_shares`). The planner's verdict at the proposal (``result["fairness_feasible"]``) only
    says, in addition, that no assignment could have met the rule then."""

    met: bool
    outside: list  # the regions outside their range
    planner_could_not: bool


def fairness(plan: FollowUpPlan, leads: list[dict]) -> Fairness:
    outside = [row["region"] for row in leads if not row["within"]]
    return Fairness(
        met=not outside,
        outside=outside,
        planner_could_not=bool(outside) and not plan.result.get("fairness_feasible", True),
    )


def summary(plan: FollowUpPlan) -> dict:
    rows = _item_rows(plan)
    categories, areas = coverage(plan, rows)
    by_type: dict[str, int] = defaultdict(int)
    for row in rows:
        by_type[row["followup_type"]] += 1
    leads = lead_shares(plan, rows)
    return {
        "budget": BudgetState(sum(r["cost_sek"] for r in rows), plan.budget_sek),
        "fairness": fairness(plan, leads),
        "rows": rows,
        "coordination": coordination(rows),
        "categories": categories,
        "areas": areas,
        "leads": leads,
        "comparison": comparison(plan, rows),
        "by_type": dict(by_type),
        "covered": sum(r["covered"] for r in rows),
        "total_exposure": sum(c["total"] for c in categories),
    }


def followed_up(year: int):
    """Return the planned follow-ups of the year's published plans (shared with every region)."""
    return (
        PlanItem.objects.filter(plan__year=year, plan__status=FollowUpPlan.Status.PUBLISHED)
        .select_related("supplier", "lead_region", "category", "followup")
        .order_by("supplier__name")
    )


HISTORY_LABELS = {
    "status": _("status"),
    "cases": _("follow-up cases opened"),
    "approval_note": _("decision note"),
    "note": _("decision note"),
    "cost": _("cost of the plan (SEK)"),
    "budget_sek": _("budget (SEK)"),
    "over_budget_decision": _("steering group decision on the budget"),
    "decision_date": _("date of the decision"),
    "decision_reference": _("reference of the decision"),
    "item": _("planned follow-up"),
    "type": _("type"),
    "lead": _("lead region"),
    "added": _("added"),
    "removed": _("removed"),
    "duty waived": _("duty waived"),
    "why": _("why"),
}


def plan_history(plan: FollowUpPlan, limit: int = 30) -> list[ReadableEntry]:
    """Return the plan's latest history in words: statuses, types and regions by name."""
    statuses = dict(FollowUpPlan.Status.choices)
    types = dict(PlanItem._meta.get_field("followup_type").flatchoices)
    regions = {r.county_code: r.name for r in Region.objects.select_related("organisation")}
    return readable_history(
        history_for(plan)[:limit],
        FollowUpPlan,
        labels=HISTORY_LABELS,
        formatters={
            "status": each_side(lambda v: str(statuses.get(v, v))),
            "type": each_side(lambda v: str(types.get(v, v))),
            "lead": each_side(lambda v: regions.get(v, "" if v is None else str(v))),
        },
    )


SUPPLIER_MATCHES = 20


def supplier_matches(text: str):
    """Return the current suppliers (at most SUPPLIER_MATCHES, by name) whose name holds text or
    whose org number, VAT number or other id starts with it; none for an empty text."""
    text = text.strip()
    if not text:
        return Supplier.objects.none()
    digits = text.replace("-", "").replace(" ", "")
    found = Supplier.objects.current().filter(
        Q(name__icontains=text)
        | Q(org_number__startswith=digits or text)
        | Q(vat_number__istartswith=digits or text)
        | Q(other_id__istartswith=text)
    )
    first = list(found.order_by("name").values_list("pk", flat=True)[:SUPPLIER_MATCHES])
    return Supplier.objects.filter(pk__in=first).order_by("name")
