"""Changes to follow-up plans: propose (run the planner), change, approve (open the cases),
publish; and record other organisations' follow-ups for the reuse rule."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.categories.models import Category
from hallbar.core.history import record_change
from hallbar.followups import services as followups
from hallbar.organisations.models import ProcurementArea, Region, User
from hallbar.organisations.services import SECRETARIAT_NAME
from hallbar.planning import solver
from hallbar.planning.candidates import Built, build_problem
from hallbar.planning.models import DutyWaiver, ExternalFollowUp, FollowUpPlan, PlanItem
from hallbar.suppliers.models import Supplier

NOT_PROPOSED = gettext_noop("Only a proposed plan can be changed.")
DUTY_NEEDS_WAIVER = gettext_noop(
    "This audit is a duty (%(reason)s). Record why the supplier should not get it before you "
    "remove it or change it to a lighter follow-up."
)


def types_from(data: list[dict] | None) -> list[solver.FollowUpType]:
    """Return the follow-up types of a plan; plans from before the value model kept only a
    coverage share, read as detection with everything detected remedied."""
    if not data:
        return solver.default_types()
    return [
        solver.FollowUpType(
            t["name"],
            float(t["cost_sek"]),
            float(t.get("detection", t.get("coverage", 0.0))),
            float(t.get("remedy", 1.0)),
        )
        for t in data
    ]


def _type_dicts(types: list[solver.FollowUpType]) -> list[dict]:
    return [
        {"name": t.name, "cost_sek": t.cost_sek, "detection": t.detection, "remedy": t.remedy}
        for t in types
    ]


def _duties_message(error: solver.DutiesDoNotFit) -> str:
    names = dict(
        Supplier.objects.filter(pk__in=[int(d[0]) for d in error.duties]).values_list("pk", "name")
    )
    labels = dict(PlanItem._meta.get_field("followup_type").flatchoices)
    listing = "; ".join(
        f"{names.get(int(pk), pk)}: {labels.get(kind, kind)} ({cost:,.0f} kr)".replace(",", " ")
        for pk, kind, cost in error.duties
    )
    return _(
        "The escalation duties do not fit in the budget or the areas' capacity: %(total)s kr for "
        "%(count)s audit(s) (%(listing)s). Raise the budget or the capacity, or record why a "
        "supplier should not get its audit."
    ) % {
        "total": f"{sum(d[2] for d in error.duties):,.0f}".replace(",", " "),
        "count": len(error.duties),
        "listing": listing,
    }


def run_planner(
    *,
    year: int,
    budget_sek: int,
    rel_tol: float = 0.10,
    abs_tol: float = 2.0,
    area_capacity: dict[str, int] | None = None,
    types: list[dict] | None = None,
    mode: str = "optimal",
    time_limit_s: float = solver.DEFAULT_TIME_LIMIT_S,
    on: date | None = None,
    minimum_audits: dict[str, int] | None = None,
    critical_share: float = solver.model.DEFAULT_CRITICAL_SHARE,
) -> tuple[Built, solver.Plan]:
    """Build the problem from the database and solve it; raise ValidationError on bad input."""
    if budget_sek < 0:
        raise ValidationError({"budget_sek": _("The budget cannot be negative.")})
    if rel_tol < 0 or abs_tol < 0:
        raise ValidationError(_("The tolerances cannot be negative."))
    built = build_problem(
        year=year,
        budget_sek=budget_sek,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        area_capacity=area_capacity,
        types=types_from(types),
        on=on,
        secretariat_name=SECRETARIAT_NAME,
        minimum_audits=minimum_audits,
        critical_share=critical_share,
    )
    if built.run is None:
        raise ValidationError(
            _("There is no risk screening to plan from. Run a screening of the spend first.")
        )
    try:
        result = solver.plan(built.problem, mode=mode, time_limit_s=time_limit_s)
    except solver.DutiesDoNotFit as error:
        raise ValidationError(_duties_message(error)) from None
    except solver.MinimumNotMet as error:
        if error.cause == "budget":
            message = _(
                "The audits still needed to reach the least number asked for cost %(cost)s kr, "
                "but only %(left)s kr are left after the duties. Lower the least number of "
                "audits or raise the budget."
            ) % {
                "cost": f"{error.cost:,.0f}".replace(",", " "),
                "left": f"{max(0.0, error.left):,.0f}".replace(",", " "),
            }
        else:
            message = _(
                "Too few suppliers may take the least number of audits asked for: an office "
                "audit needs an answered self-assessment or critical risk, a factory audit an "
                "earlier office audit or a zero-tolerance signal (or the area capacity is full). "
                "Lower the least number of audits."
            )
        raise ValidationError({"__all__": [message]}) from None
    except solver.ValidationError as error:
        raise ValidationError(error.messages) from None
    return built, result


def _result_json(result: solver.Plan) -> dict:
    data = result.to_dict()
    data.pop("choices")
    data.pop("reused")
    return data


@transaction.atomic
def propose_plan(
    *,
    year: int,
    budget_sek: int,
    acting_user: User | None,
    rel_tol: float = 0.10,
    abs_tol: float = 2.0,
    area_capacity: dict[str, int] | None = None,
    types: list[dict] | None = None,
    mode: str = "optimal",
    time_limit_s: float = solver.DEFAULT_TIME_LIMIT_S,
    minimum_audits: dict[str, int] | None = None,
    critical_share: float = solver.model.DEFAULT_CRITICAL_SHARE,
) -> FollowUpPlan:
    """Run the planner and store its proposal as a plan with one item per chosen follow-up,
    each with the reason it is there."""
    types = _type_dicts(types_from(types))
    minimum_audits = {k: v for k, v in (minimum_audits or {}).items() if v}
    built, result = run_planner(
        year=year,
        budget_sek=budget_sek,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        area_capacity=area_capacity,
        types=types,
        mode=mode,
        time_limit_s=time_limit_s,
        minimum_audits=minimum_audits,
        critical_share=critical_share,
    )
    plan = FollowUpPlan.objects.create(
        year=year,
        budget_sek=budget_sek,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        area_capacity=area_capacity or {},
        types=types,
        minimum_audits=minimum_audits,
        critical_share=critical_share,
        mode=mode,
        screening_run=built.run,
        result=_result_json(result),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    regions = {r.county_code: r for r in Region.objects.all()}
    areas = {a.code: a for a in ProcurementArea.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    candidates = {c.id: c for c in built.problem.candidates}
    exposure = {c.id: c.exposure for c in built.problem.candidates}
    problem_types = list(built.problem.types)
    items = []
    for choice in result.choices:
        facts = built.facts[choice.supplier_id]
        candidate = candidates[choice.supplier_id]
        items.append(
            PlanItem(
                plan=plan,
                supplier_id=facts.supplier_id,
                followup_type=choice.type,
                lead_region=regions[choice.lead_region],
                lead_area=areas.get(facts.area),
                category=categories.get(facts.category_key),
                participating=list(choice.participating_regions),
                cost_sek=round(choice.cost_sek),
                exposure=exposure[choice.supplier_id],
                covered=choice.covered_exposure,
                reason=choice.reason,
                basis={
                    "deviation_cases": facts.deviation_cases,
                    "signal_cases": facts.signal_cases,
                    "signal_reports": facts.signal_reports,
                    "known": candidate.known_detection(problem_types),
                    "weight": candidate.weight(built.problem.signal_weight),
                },
            )
        )
    PlanItem.objects.bulk_create(items, batch_size=1000)
    plan.proposal = [
        {
            "supplier_id": item.supplier_id,
            "type": item.followup_type,
            "lead_region": item.lead_region.county_code,
            "cost_sek": item.cost_sek,
            "covered": item.covered,
        }
        for item in items
    ]
    plan.reused = [
        {
            "supplier_id": facts.supplier_id,
            "by": facts.reused_by.by if facts.reused_by else "",
            "method": facts.reused_by.method if facts.reused_by else "",
            "performed_on": facts.reused_by.performed_on.isoformat() if facts.reused_by else "",
            "reference": facts.reused_by.reference if facts.reused_by else facts.in_progress,
            "in_progress": bool(facts.in_progress and not facts.reused_by),
        }
        for key, facts in built.facts.items()
        if facts.reused_by or facts.in_progress
    ]
    plan.save(update_fields=["proposal", "reused", "updated_at"])
    record_change(plan, action="created", acting_user=acting_user)
    return plan


def _check_proposed(plan: FollowUpPlan) -> None:
    if plan.status != FollowUpPlan.Status.PROPOSED:
        raise ValidationError(_(NOT_PROPOSED))


def _price(plan: FollowUpPlan, type_name: str, basis: dict | None = None) -> tuple[int, float]:
    """Return the plan's (cost in SEK, share of the exposure detected and remedied) of a
    follow-up type for a supplier of which ``basis`` tells what is known."""
    basis = basis or {}
    for kind in types_from(plan.types):
        if kind.name == type_name:
            new = max(0.0, kind.detection - float(basis.get("known", 0.0)))
            return round(kind.cost_sek), new * kind.remedy * float(basis.get("weight", 1.0))
    raise ValidationError({"followup_type": _("Unknown follow-up type.")})


AUDIT_RANK = {"office_audit": 1, "factory_audit": 2}


def _check_duty(item: PlanItem, followup_type: str | None) -> None:
    """Refuse to drop or lighten a duty unless the secretariat has recorded why not."""
    if not item.is_duty:
        return
    if followup_type and AUDIT_RANK.get(followup_type, 0) >= AUDIT_RANK.get(item.followup_type, 0):
        return
    if DutyWaiver.objects.filter(supplier_id=item.supplier_id, year=item.plan.year).exists():
        return
    raise ValidationError(_(DUTY_NEEDS_WAIVER) % {"reason": item.get_reason_display()})


@transaction.atomic
def change_item(
    item: PlanItem, *, followup_type: str, lead_region: Region, acting_user: User
) -> PlanItem:
    """Change a planned follow-up's type or lead region (people know what the planner cannot)."""
    _check_proposed(item.plan)
    if lead_region.county_code not in item.participating:
        raise ValidationError(
            {"lead_region": _("The lead must be one of the regions that buy from the supplier.")}
        )
    _check_duty(item, followup_type)
    before = {"type": item.followup_type, "lead": item.lead_region.county_code}
    item.followup_type = followup_type
    item.lead_region = lead_region
    item.cost_sek, coverage = _price(item.plan, followup_type, item.basis)
    item.covered = item.exposure * coverage
    if item.origin == PlanItem.Origin.PROPOSED:
        item.origin = PlanItem.Origin.CHANGED
    item.save()
    record_change(
        item.plan,
        action="updated",
        acting_user=acting_user,
        changes={
            "item": str(item.supplier),
            "type": [before["type"], followup_type],
            "lead": [before["lead"], lead_region.county_code],
        },
    )
    return item


@transaction.atomic
def remove_item(item: PlanItem, *, acting_user: User) -> None:
    _check_proposed(item.plan)
    _check_duty(item, None)
    record_change(
        item.plan,
        action="updated",
        acting_user=acting_user,
        changes={"removed": str(item.supplier)},
    )
    item.delete()


@transaction.atomic
def add_item(
    plan: FollowUpPlan,
    *,
    supplier: Supplier,
    followup_type: str,
    lead_region: Region,
    acting_user: User,
) -> PlanItem:
    """Add a follow-up the planner did not choose."""
    _check_proposed(plan)
    if plan.items.filter(supplier=supplier).exists():
        raise ValidationError({"supplier": _("The supplier is already in the plan.")})
    participating = sorted(
        {r.county_code for r in followups.participating_regions(supplier)}
        | {lead_region.county_code}
    )
    exposure = 0.0
    category = None
    if plan.screening_run is not None:
        rows = plan.screening_run.rows.filter(region_code="SE", supplier_key=str(supplier.pk))
        exposure = sum(r.exposure for r in rows)
        top = rows.order_by("-exposure").first()
        category = Category.objects.filter(slug=top.category_key).first() if top else None
    cost_sek, coverage = _price(plan, followup_type)
    item = PlanItem.objects.create(
        plan=plan,
        supplier=supplier,
        followup_type=followup_type,
        lead_region=lead_region,
        lead_area=followups.lead_area_for(category, date(plan.year, 1, 1)),
        category=category,
        participating=participating,
        cost_sek=cost_sek,
        exposure=exposure,
        covered=exposure * coverage,
        origin=PlanItem.Origin.ADDED,
        reason=PlanItem.Reason.BY_HAND,
    )
    record_change(plan, action="updated", acting_user=acting_user, changes={"added": str(supplier)})
    return item


OVER_BUDGET_NEEDS_DECISION = gettext_noop(
    "The plan costs %(total)s kr, %(over)s kr more than the budget of %(budget)s kr. Approving "
    "it needs the steering group's written decision and its date."
)
APPROVAL_STEPS = 2


def plan_cost(plan: FollowUpPlan) -> int:
    """Return what the plan's follow-ups cost together, in SEK."""
    return sum(plan.items.values_list("cost_sek", flat=True))


def _sek(amount: int) -> str:
    return number_format(amount, force_grouping=True)


def check_approval(
    plan: FollowUpPlan, *, decision_text: str = "", decision_date: date | None = None
) -> None:
    """Refuse to approve a plan that is not proposed, or that costs more than its budget
    without the steering group's written decision and its date."""
    _check_proposed(plan)
    total = plan_cost(plan)
    if total > plan.budget_sek and not (decision_text.strip() and decision_date):
        raise ValidationError(
            _(OVER_BUDGET_NEEDS_DECISION)
            % {
                "total": _sek(total),
                "over": _sek(total - plan.budget_sek),
                "budget": _sek(plan.budget_sek),
            }
        )


def approve_plan(
    plan: FollowUpPlan,
    *,
    acting_user: User,
    note: str = "",
    decision_text: str = "",
    decision_date: date | None = None,
    decision_reference: str = "",
    progress: Callable[[int], None] | None = None,
) -> FollowUpPlan:
    """Approve the plan and open one follow-up case per planned follow-up, all or nothing.

    A plan over its budget is approved only with the steering group's written decision (text
    and date, a reference if there is one), which is kept on the plan and in its history.
    ``progress(step)`` (1 to APPROVAL_STEPS) is called outside the transaction."""
    report = progress or (lambda step: None)
    report(1)
    check_approval(plan, decision_text=decision_text, decision_date=decision_date)
    report(2)
    with transaction.atomic():
        plan = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
        check_approval(plan, decision_text=decision_text, decision_date=decision_date)
        total = plan_cost(plan)
        over = total > plan.budget_sek
        items = list(plan.items.select_related("supplier", "lead_region", "lead_area"))
        cases = followups.open_followups_in_bulk(
            [
                followups.CaseSpec(
                    supplier=item.supplier,
                    followup_type=item.followup_type,
                    lead_region=item.lead_region,
                    lead_area=item.lead_area,
                    cost_sek=item.cost_sek,
                )
                for item in items
            ],
            year=plan.year,
            acting_user=acting_user,
        )
        by_supplier = {case.supplier_id: case for case in cases}
        for item in items:
            item.followup = by_supplier[item.supplier_id]
        PlanItem.objects.bulk_update(items, ["followup"], batch_size=500)
        plan.status = FollowUpPlan.Status.APPROVED
        plan.approved_by = acting_user
        plan.approved_at = timezone.now()
        plan.approval_note = note.strip()
        plan.over_budget_decision = decision_text.strip() if over else ""
        plan.decision_date = decision_date if over else None
        plan.decision_reference = decision_reference.strip() if over else ""
        plan.save(
            update_fields=[
                "status",
                "approved_by",
                "approved_at",
                "approval_note",
                "over_budget_decision",
                "decision_date",
                "decision_reference",
                "updated_at",
            ]
        )
        changes: dict = {"status": ["proposed", "approved"], "cases": len(cases)}
        if plan.approval_note:
            changes["approval_note"] = plan.approval_note
        if over:
            changes.update(
                cost=total,
                budget_sek=plan.budget_sek,
                over_budget_decision=plan.over_budget_decision,
                decision_date=decision_date.isoformat() if decision_date else "",
                decision_reference=plan.decision_reference,
            )
        record_change(plan, action="updated", acting_user=acting_user, changes=changes)
    return plan


@transaction.atomic
def publish_plan(plan: FollowUpPlan, *, acting_user: User) -> FollowUpPlan:
    """Publish "suppliers followed up this year" to every region."""
    if plan.status != FollowUpPlan.Status.APPROVED:
        raise ValidationError(_("Only an approved plan can be published."))
    plan.status = FollowUpPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    record_change(
        plan,
        action="updated",
        acting_user=acting_user,
        changes={"status": ["approved", "published"]},
    )
    return plan


@transaction.atomic
def record_external_followup(*, acting_user: User, **fields) -> ExternalFollowUp:
    """Record a follow-up by another organisation so that the reuse rule can count it."""
    external = ExternalFollowUp(recorded_by=acting_user, **fields)
    if external.performed_on and external.performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("The date cannot be in the future.")})
    external.full_clean()
    external.save()
    record_change(external, action="created", acting_user=acting_user)
    return external


@transaction.atomic
def record_duty_waiver(
    plan: FollowUpPlan, *, supplier: Supplier, reason: str, acting_user: User
) -> DutyWaiver:
    """Record why a supplier does not get the audit its escalation duty calls for this year.

    The duty is gone from the next proposal of the year's plans, and the planned audit may then
    be removed or changed by hand."""
    _check_proposed(plan)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the supplier should not get the audit.")})
    if not plan.items.filter(
        supplier=supplier,
        reason__in=[PlanItem.Reason.DUTY_ZERO_TOLERANCE, PlanItem.Reason.DUTY_DEVIATIONS],
    ).exists():
        raise ValidationError(_("The supplier has no escalation duty in this plan."))
    waiver, created = DutyWaiver.objects.update_or_create(
        supplier=supplier,
        year=plan.year,
        defaults={"reason": reason, "recorded_by": acting_user},
    )
    waiver.full_clean()
    record_change(
        waiver,
        action="created" if created else "updated",
        acting_user=acting_user,
        changes={"reason": reason},
    )
    record_change(
        plan,
        action="updated",
        acting_user=acting_user,
        changes={"duty waived": str(supplier), "why": reason},
    )
    return waiver


# --- supplier merges (registered in apps.py; suppliers/merging.py runs them) --------------------

PLAN_HOLDS_BOTH = gettext_noop(
    "Both suppliers are in the proposed follow-up plan for %(year)s. Remove one of them from "
    "that plan, then merge them."
)


def merge_refusal(merged: Supplier, survivor: Supplier) -> str | None:
    """Refuse a merge while a proposed plan holds both suppliers: a plan has one item per
    supplier, and people must say which of the two planned follow-ups is meant."""
    years = sorted(
        set(
            PlanItem.objects.filter(
                plan__status=FollowUpPlan.Status.PROPOSED,
                supplier=merged,
                plan__items__supplier=survivor,
            ).values_list("plan__year", flat=True)
        )
    )
    return _(PLAN_HOLDS_BOTH) % {"year": years[0]} if years else None


def plan_items_staying(rows, survivor: Supplier) -> list[int]:
    """Return the merged supplier's items in approved plans that also hold the survivor: they
    stay as approved (one item per supplier and plan); their cases move all the same."""
    return list(rows.filter(plan__items__supplier=survivor).values_list("pk", flat=True))


def waivers_staying(rows, survivor: Supplier) -> list[int]:
    """Return the merged supplier's waivers of a year the survivor has its own waiver for:
    the survivor's stands (one per supplier and year), so that year's duty stays waived."""
    years = DutyWaiver.objects.filter(supplier=survivor).values("year")
    return list(rows.filter(year__in=years).values_list("pk", flat=True))
