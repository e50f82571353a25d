"""Plan pages: proposals, their coverage, lead shares and value of coordination; changing,
approving and publishing a plan; other organisations' follow-ups for the reuse rule."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hallbar.core.charts import Bar, bar_chart
from hallbar.core.forms import add_service_errors, flash_errors
from hallbar.core.http import table_download
from hallbar.core.jobs import running_job, start_job
from hallbar.followups.models import FollowUpType
from hallbar.followups.services import find_suppliers
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Region
from hallbar.planning import services
from hallbar.planning.access import (
    access_plan,
    access_plan_for_write,
    can_approve_plans,
    can_edit_plans,
    can_record_external,
    can_view_plans,
    can_waive_duties,
)
from hallbar.planning.forms import (
    AddItemForm,
    ApproveForm,
    ExternalFollowUpForm,
    ItemForm,
    ProposeForm,
    WaiverForm,
)
from hallbar.planning.jobs import APPROVAL
from hallbar.planning.models import DutyWaiver, ExternalFollowUp, FollowUpPlan, PlanItem
from hallbar.planning.selectors import followed_up, plan_history, summary, supplier_matches
from hallbar.suppliers.models import Supplier

PAGE_SIZE = 50


def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_plans(request.user):
        raise Http404
    plans = FollowUpPlan.objects.select_related("created_by", "approved_by").annotate(
        item_count=Count("items")
    )
    return render(
        request,
        "planning/plan_list.html",
        {
            "plans": plans,
            "can_edit": can_edit_plans(request.user),
            "year": timezone.localdate().year,
        },
    )


def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_edit_plans(request.user):
        raise Http404
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.propose_plan(
                year=data["year"],
                budget_sek=data["budget_sek"],
                mode=data["mode"],
                rel_tol=float(data["rel_tol"] / Decimal(100)),
                abs_tol=float(data["abs_tol"]),
                area_capacity=form.capacities(),
                types=form.types(),
                minimum_audits=form.minimum_audits(),
                critical_share=float(data["critical_share"] / Decimal(100)),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The planner has proposed a plan."))
            return redirect("planning:plan-detail", plan.public_id)
    return render(request, "planning/plan_form.html", {"form": form})


def _percent(share: float) -> str:
    """Return a share as a percentage for the page, e.g. "1,2" in Swedish."""
    value = share * 100
    if 0 < value < 0.01:
        return _("less than 0.01")
    return number_format(value, decimal_pos=2 if value < 1 else 1, use_l10n=True)


def quality_sentence(result: dict) -> str:
    """Say in plain words how good the plan is and what the planner proved."""
    status = result.get("status", "")
    gap = result.get("gap") or 0.0
    if result.get("proven_optimal"):
        return _("This plan is the best possible within the budget and the rules (proven).")
    if status == "time_limit":
        return _(
            "This plan is at most %(gap)s %% from the best possible plan; the search stopped "
            "after %(seconds)s seconds."
        ) % {
            "gap": _percent(gap),
            "seconds": number_format(result.get("time_limit_s") or 0, decimal_pos=0),
        }
    if status == "heuristic":
        return _(
            "This is a quick plan: it is at most %(gap)s %% from the best possible plan. "
            "Propose it again with the search for the best plan to improve it."
        ) % {"gap": _percent(gap)}
    return _("This plan is at most %(gap)s %% from the best possible plan.") % {
        "gap": _percent(gap)
    }


def reason_text(item: PlanItem, plan: FollowUpPlan) -> str:
    """Say why a planned follow-up is in the plan, with the cases the reason rests on."""
    basis = item.basis or {}
    if item.reason == PlanItem.Reason.DUTY_DEVIATIONS:
        cases = ", ".join(basis.get("deviation_cases", [])) or "–"
        return _("Duty: open deviations from case %(cases)s call for the next step.") % {
            "cases": cases
        }
    if item.reason == PlanItem.Reason.DUTY_ZERO_TOLERANCE:
        sources = list(basis.get("signal_cases", []))
        sources += [
            _("report received %(date)s") % {"date": date.fromisoformat(day).isoformat()}
            for day in basis.get("signal_reports", [])
        ]
        return _("Duty: a zero-tolerance signal (%(sources)s) calls for a factory audit.") % {
            "sources": ", ".join(sources) or "–"
        }
    if item.reason == PlanItem.Reason.CRITICAL:
        return _("Critical risk: the supplier gets at least an office audit.")
    if item.reason == PlanItem.Reason.MINIMUM:
        count = (plan.minimum_audits or {}).get(item.followup_type, 0)
        return ngettext(
            "Needed to reach the strategy's least number of %(count)s %(type)s.",
            "Needed to reach the strategy's least number of %(count)s %(type)s.",
            count,
        ) % {"count": count, "type": item.get_followup_type_display()}
    if item.reason == PlanItem.Reason.BY_HAND or item.origin == PlanItem.Origin.ADDED:
        return _("Added by hand.")
    return _("Finds and remedies more risk for the money than other uses of the budget.")


def area_label(code: str) -> str:
    """Return a procurement area's name in the reader's language ("" for none)."""
    return _("Procurement area %(code)s") % {"code": code} if code and code != "–" else ""


def _region_names() -> dict[str, str]:
    return {r.county_code: r.name for r in Region.objects.select_related("organisation")}


def search_items(items, *, text: str = "", region: str = ""):
    """Return the plan's items whose supplier (name or identifier) or category matches text,
    and that the region leads or takes part in."""
    text = text.strip()
    if text:
        digits = text.replace("-", "").replace(" ", "")
        items = items.filter(
            Q(supplier__name__icontains=text)
            | Q(supplier__org_number__icontains=digits or text)
            | Q(supplier__vat_number__icontains=digits or text)
            | Q(supplier__other_id__icontains=text)
            | Q(category__name_sv__icontains=text)
            | Q(category__name_en__icontains=text)
        )
    if region:
        items = items.filter(
            Q(lead_region__county_code=region) | Q(participating__icontains=f'"{region}"')
        )
    return items


# What the plan page, its audits and its export read of an item and of the rows it points at.
# A plan has hundreds of items; the rest of those rows (timestamps, contacts) would be read and
# converted for nothing.
ITEM_FIELDS = (
    "plan_id",
    "supplier_id",
    "followup_type",
    "participating",
    "cost_sek",
    "exposure",
    "covered",
    "origin",
    "reason",
    "basis",
    "supplier__name",
    "supplier__org_number",
    "lead_region__county_code",
    "lead_region__organisation__name",
    "lead_area__code",
    "category__slug",
    "followup__public_id",
    "followup__reference",
)


def plan_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    plan, can_edit = access_plan(request.user, public_id)
    data = summary(plan)
    names = _region_names()
    all_items = plan.items.select_related(
        "supplier", "lead_region__organisation", "lead_area", "category", "followup"
    ).only(*ITEM_FIELDS)
    query = request.GET.get("q", "")
    region = request.GET.get("region", "")
    region = region if region in names else ""
    items = search_items(all_items, text=query, region=region)
    if (export := request.GET.get("format")) in {"csv", "xlsx"}:
        return _export(plan, items, export, names)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.why = reason_text(item, plan)
        item.participating_names = [names.get(code, code) for code in item.participating]
        item.area_name = area_label(item.lead_area.code if item.lead_area else "")
    items = all_items
    order = {reason: k for k, reason in enumerate(PlanItem.Reason.values)}
    audits = sorted(
        items.filter(followup_type__in=["office_audit", "factory_audit"]),
        key=lambda i: (order.get(i.reason, len(order)), -i.covered),
    )
    waivers = dict(
        DutyWaiver.objects.filter(
            year=plan.year, supplier_id__in=[i.supplier_id for i in audits if i.is_duty]
        ).values_list("supplier_id", "reason")
    )
    for item in audits:
        item.why = reason_text(item, plan)
        item.waiver = waivers.get(item.supplier_id, "")
    critical_left_out = list(
        Supplier.objects.filter(pk__in=[int(pk) for pk in plan.result.get("critical_left_out", [])])
        .order_by("name")
        .values_list("name", flat=True)
    )
    reused_names = dict(
        Supplier.objects.filter(pk__in=[r["supplier_id"] for r in plan.reused]).values_list(
            "pk", "name"
        )
    )
    reused = [{**r, "name": reused_names.get(r["supplier_id"], "")} for r in plan.reused]
    for row in data["areas"]:
        row["name"] = area_label(row["area"])
    for row in data["categories"]:
        row["area_name"] = area_label(row["area"])
    area_chart = bar_chart(
        [Bar(a["area"], a["share"] * 100, f"{a['share'] * 100:.0f} %") for a in data["areas"]],
        title=_("Share of the risk exposure covered, per procurement area"),
    )
    result = plan.result
    labels = dict(FollowUpType.choices)
    by_type = [(labels.get(name, name), count) for name, count in sorted(data["by_type"].items())]
    types = [
        {
            "label": labels.get(t.name, t.name),
            "cost_sek": t.cost_sek,
            "detection_percent": round(t.detection * 100, 1),
            "remedy_percent": round(t.remedy * 100, 1),
        }
        for t in services.types_from(plan.types)
    ]
    minimum = [
        (labels.get(name, name), count) for name, count in (plan.minimum_audits or {}).items()
    ]
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "data": data,
            "result": result,
            "quality": quality_sentence(result),
            "audits": audits,
            "critical_left_out": critical_left_out,
            "minimum": minimum,
            "critical_share_percent": plan.critical_share * 100,
            "can_waive": can_waive_duties(request.user)
            and plan.status == FollowUpPlan.Status.PROPOSED,
            "reused": reused,
            "by_type": by_type,
            "types": types,
            "rel_tol_percent": plan.rel_tol * 100,
            "area_chart": area_chart,
            "can_edit": can_edit and plan.status == FollowUpPlan.Status.PROPOSED,
            "can_approve": can_approve_plans(request.user)
            and plan.status == FollowUpPlan.Status.PROPOSED,
            "can_publish": can_edit and plan.status == FollowUpPlan.Status.APPROVED,
            "history": plan_history(plan),
            "approval_job": running_job(APPROVAL, str(plan.public_id)),
            "query": query,
            "region": region,
            "regions": sorted(names.items(), key=lambda pair: pair[1]),
            "searched": bool(query.strip() or region),
        },
    )


def _export(plan, items, export: str, names: dict[str, str]) -> HttpResponse:
    header = [
        "supplier",
        "org_number",
        "type",
        "lead_region",
        "lead_area",
        "category",
        "participating_regions",
        "cost_sek",
        "exposure",
        "covered",
        "origin",
        "case",
    ]
    rows = [
        [
            i.supplier.name,
            i.supplier.org_number,
            i.followup_type,
            i.lead_region.name,
            i.lead_area.code if i.lead_area else "",
            i.category.slug if i.category else "",
            ", ".join(names.get(code, code) for code in i.participating),
            i.cost_sek,
            round(i.exposure, 2),
            round(i.covered, 2),
            i.origin,
            i.followup.reference if i.followup else "",
        ]
        for i in items
    ]
    return table_download(
        header,
        rows,
        export=export,
        name=f"followup-plan-{plan.year}",
        sheet_title=f"Plan {plan.year}",
    )


def item_edit(request: AuthenticatedHttpRequest, public_id, item_id: int) -> HttpResponse:
    plan = access_plan_for_write(request.user, public_id)
    item = get_object_or_404(plan.items.select_related("supplier", "lead_region"), pk=item_id)
    form = ItemForm(
        request.POST or None,
        participating=item.participating,
        initial={"followup_type": item.followup_type, "lead_region": item.lead_region},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_item(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The planned follow-up has been changed."))
            return redirect("planning:plan-detail", plan.public_id)
    return render(
        request,
        "planning/item_form.html",
        {
            "plan": plan,
            "form": form,
            "item": item,
            "participating": [_region_names().get(code, code) for code in item.participating],
            "title": _("Change a planned follow-up"),
        },
    )


def item_remove(request: AuthenticatedHttpRequest, public_id, item_id: int) -> HttpResponse:
    plan = access_plan_for_write(request.user, public_id)
    item = get_object_or_404(plan.items.select_related("supplier"), pk=item_id)
    if request.method == "POST":
        try:
            services.remove_item(item, acting_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The follow-up has been removed from the plan."))
        return redirect("planning:plan-detail", plan.public_id)
    return render(request, "planning/item_remove.html", {"plan": plan, "item": item})


def item_add(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """Add a follow-up: search suppliers by part of the name or an identifier (a GET form, no
    JavaScript), choose one of the matches, its type and lead region."""
    plan = access_plan_for_write(request.user, public_id)
    text = (request.POST if request.method == "POST" else request.GET).get("supplier_q", "")
    matches = supplier_matches(text)
    form = AddItemForm(
        request.POST or None,
        matches=matches,
        initial={"supplier_q": text, "supplier": matches[0] if len(matches) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(
                plan,
                supplier=form.cleaned_data["supplier"],
                followup_type=form.cleaned_data["followup_type"],
                lead_region=form.cleaned_data["lead_region"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been added to the plan."))
            return redirect("planning:plan-detail", plan.public_id)
    return render(
        request,
        "planning/item_add.html",
        {
            "plan": plan,
            "form": form,
            "text": text,
            "matches": matches,
            "title": _("Add a follow-up to the plan"),
        },
    )


@require_POST
def duty_waive(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    plan = access_plan_for_write(request.user, public_id)
    if not can_waive_duties(request.user):
        raise Http404
    form = WaiverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the supplier should not get the audit."))
        return redirect("planning:plan-detail", plan.public_id)
    supplier = get_object_or_404(Supplier, pk=form.cleaned_data["supplier"])
    try:
        services.record_duty_waiver(
            plan, supplier=supplier, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _(
                "The reason is recorded: %(supplier)s has no duty in this year's proposals. "
                "You may now remove or change the audit."
            )
            % {"supplier": supplier.name},
        )
    return redirect("planning:plan-detail", plan.public_id)


def plan_approve(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """Show what is approved (follow-ups, cost, budget, regions) and ask for confirmation; a plan
    over its budget asks for the steering group's written decision. The approval runs in the
    background: the user follows it on the job page."""
    plan, _can_edit = access_plan(request.user, public_id)
    if not can_approve_plans(request.user):
        raise Http404
    if job := running_job(APPROVAL, str(plan.public_id)):
        return redirect("core:job", public_id=job.public_id)
    if plan.status != FollowUpPlan.Status.PROPOSED:
        messages.error(request, _("Only a proposed plan can be approved."))
        return redirect("planning:plan-detail", plan.public_id)
    data = summary(plan)
    budget = data["budget"]
    form = ApproveForm(
        request.POST if request.method == "POST" else None, over_budget=not budget.within
    )
    if request.method == "POST" and form.is_valid():
        decision = {
            "note": form.cleaned_data["note"],
            "decision_text": form.cleaned_data.get("decision_text", ""),
            "decision_date": form.cleaned_data.get("decision_date"),
            "decision_reference": form.cleaned_data.get("decision_reference", ""),
        }
        try:
            services.check_approval(
                plan,
                decision_text=decision["decision_text"],
                decision_date=decision["decision_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            day = decision["decision_date"]
            job = start_job(
                APPROVAL,
                acting_user=request.user,
                subject=str(plan.public_id),
                params={
                    **decision,
                    "plan": str(plan.public_id),
                    "decision_date": day.isoformat() if day else "",
                },
            )
            return redirect("core:job", public_id=job.public_id)
    leads = [row for row in data["leads"] if row["leads"]]
    return render(
        request,
        "planning/plan_approve.html",
        {
            "plan": plan,
            "form": form,
            "data": data,
            "budget": budget,
            "fairness": data["fairness"],
            "leads": leads,
            "by_type": _by_type(data),
        },
    )


def _by_type(data: dict) -> list[tuple[str, int]]:
    labels = dict(FollowUpType.choices)
    return [(labels.get(name, name), count) for name, count in sorted(data["by_type"].items())]


@require_POST
def plan_publish(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    plan = access_plan_for_write(request.user, public_id)
    try:
        services.publish_plan(plan, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The suppliers followed up this year are published."))
    return redirect("planning:plan-detail", plan.public_id)


def followed_up_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_plans(request.user):
        raise Http404
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() else timezone.localdate().year
    items = followed_up(year)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    names = _region_names()
    for item in page.object_list:
        item.participating_names = [names.get(code, code) for code in item.participating]
    return render(request, "planning/followed_up.html", {"page": page, "year": year})


def external_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_plans(request.user):
        raise Http404
    can_record = can_record_external(request.user)
    form = ExternalFollowUpForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            found, errors = find_suppliers([form.cleaned_data["supplier_text"]])
            if errors:
                form.add_error("supplier_text", errors)
            else:
                data = {k: v for k, v in form.cleaned_data.items() if k != "supplier_text"}
                try:
                    services.record_external_followup(
                        supplier=found[0], acting_user=request.user, **data
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The follow-up has been recorded."))
                    return redirect("planning:external-list")
    page = Paginator(ExternalFollowUp.objects.select_related("supplier"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "planning/external_list.html",
        {"page": page, "form": form if can_record else None},
    )
