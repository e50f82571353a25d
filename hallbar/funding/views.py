"""Funding pages: contributions, fee decisions, the regions' decisions and the budget."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hallbar.core.charts import Bar, bar_chart
from hallbar.core.forms import add_service_errors
from hallbar.funding import exports
from hallbar.funding.access import (
    access_budget_line_for_write,
    access_invoice_choice_for_write,
    access_region_decision_for_write,
    can_choose_invoiced_amount,
    can_edit_budget,
    can_record_region_decision,
    require_funding_view,
)
from hallbar.funding.forms import BudgetLineForm, InvoiceChoiceForm, RegionDecisionForm
from hallbar.funding.models import InvoiceChoice
from hallbar.funding.selectors import (
    FIRST_YEAR,
    available_years,
    budget_lines,
    budget_years,
    contribution_for,
    contributions,
    fee_decisions,
    invoice_choice_history,
    invoiced_total,
    national_totals,
    region_decision_overview,
)
from hallbar.funding.services import (
    check_invoice_choice,
    choose_invoiced_amount,
    delete_budget_line,
    save_budget_line,
    save_region_decision,
)
from hallbar.organisations.access import access_region
from hallbar.organisations.http import AuthenticatedHttpRequest


def _year(request: AuthenticatedHttpRequest, default: int, last: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return min(max(year, FIRST_YEAR), last)


def _mkr(amount: int) -> str:
    return number_format(amount / 1_000_000, decimal_pos=1)


def contribution_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_funding_view(request.user)
    this_year = timezone.localdate().year
    last_year = max(this_year, 2025)
    year = _year(request, this_year, last_year)
    years = available_years(last_year)
    by_year = contributions(years)
    totals = national_totals(by_year)
    rows = by_year[year]
    export = request.GET.get("format")
    if export in exports.FORMATS:
        return exports.contributions_response(rows, year=year, file_format=export)
    matrix = [
        {"region": region_rows[0].region, "amounts": [c.amount_sek for c in region_rows]}
        for region_rows in zip(*(by_year[y] for y in years), strict=True)
    ]
    chart = bar_chart(
        [Bar(str(y), totals[y], _mkr(totals[y])) for y in years],
        title=_("National contributions per year, million kronor, %(first)s–%(last)s")
        % {"first": years[0], "last": years[-1]},
    )
    return render(
        request,
        "funding/contribution_list.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "total": totals[year],
            "invoiced": invoiced_total(rows),
            "can_choose": can_choose_invoiced_amount(request.user),
            "decision": rows[0].decision if rows else None,
            "matrix": matrix,
            "totals": [totals[y] for y in years],
            "chart": chart,
            "missing": [c for c in rows if c.is_missing],
        },
    )


def invoice_choice(request: AuthenticatedHttpRequest, county_code: str, year: int) -> HttpResponse:
    """Let the secretariat choose which amount a region is invoiced for a year, in two steps:
    the choice and its reason, then a confirmation showing what it replaces."""
    region = access_invoice_choice_for_write(request.user, county_code, year)
    contribution = contribution_for(region, year)
    other = (
        InvoiceChoice.Basis.DECIDED
        if contribution.invoiced_basis == InvoiceChoice.Basis.RULE
        else InvoiceChoice.Basis.RULE
    )
    form = InvoiceChoiceForm(
        request.POST if request.method == "POST" else None, initial={"basis": other}
    )
    proposed = None
    if request.method == "POST" and form.is_valid():
        basis = form.cleaned_data["basis"]
        try:
            if request.POST.get("confirm") == "1":
                choose_invoiced_amount(
                    region=region,
                    year=year,
                    basis=basis,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
                messages.success(
                    request,
                    _("The amount invoiced to %(region)s for %(year)s was recorded.")
                    % {"region": region.name, "year": year},
                )
                return redirect(f"{reverse('funding:contribution-list')}?year={year}")
            check_invoice_choice(contribution, basis)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            proposed = {
                "basis": basis,
                "label": InvoiceChoice.Basis(basis).label,
                "amount_sek": (
                    contribution.decided_sek
                    if basis == InvoiceChoice.Basis.DECIDED
                    else contribution.amount_sek
                ),
                "reason": form.cleaned_data["reason"],
            }
    return render(
        request,
        "funding/invoice_choice_form.html",
        {
            "region": region,
            "year": year,
            "c": contribution,
            "form": form,
            "proposed": proposed,
            "history": invoice_choice_history(region, year),
        },
    )


def fee_decision_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_funding_view(request.user)
    return render(request, "funding/fee_decision_list.html", {"decisions": fee_decisions()})


def region_decisions(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_funding_view(request.user)
    overview = region_decision_overview()
    status = request.GET.get("status", "")
    if status == "decided":
        overview = [o for o in overview if o.decision and o.decision.status == "approved"]
    elif status == "undecided":
        overview = [o for o in overview if not o.decision or o.decision.status != "approved"]
    approved = sum(
        1 for o in region_decision_overview() if o.decision and o.decision.status == "approved"
    )
    return render(
        request,
        "funding/region_decisions.html",
        {
            "overview": overview,
            "status": status,
            "approved": approved,
            "editable": {
                o.region.pk
                for o in overview
                if can_record_region_decision(request.user, o.region.pk)
            },
        },
    )


def region_decision_create(request: AuthenticatedHttpRequest, county_code: str) -> HttpResponse:
    region, _can_edit = access_region(request.user, county_code)
    if not can_record_region_decision(request.user, region.pk):
        raise Http404
    return _region_decision_form(request, region=region, decision=None)


def region_decision_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    decision = access_region_decision_for_write(request.user, public_id)
    return _region_decision_form(request, region=decision.region, decision=decision)


def _region_decision_form(request, *, region, decision) -> HttpResponse:
    form = RegionDecisionForm(request.POST or None, instance=decision, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            save_region_decision(
                region=region, decision=decision, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect("funding:region-decisions")
    return render(
        request,
        "funding/region_decision_form.html",
        {"form": form, "region": region, "decision": decision},
    )


def budget(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_funding_view(request.user)
    this_year = timezone.localdate().year
    year = _year(request, this_year, this_year + 2)
    years = available_years(this_year + 1)
    form = None
    if can_edit_budget(request.user):
        form = BudgetLineForm(request.POST or None, initial={"year": year})
        if request.method == "POST" and form.is_valid():
            try:
                line = save_budget_line(line=None, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The budget line was added."))
                return redirect(f"{request.path}?year={line.year}")
    elif request.method == "POST":
        raise Http404
    reconciliation = budget_years(years)
    return render(
        request,
        "funding/budget.html",
        {
            "year": year,
            "years": years,
            "lines": budget_lines(year),
            "current": next((b for b in reconciliation if b.year == year), None),
            "reconciliation": [b for b in reconciliation if b.total_sek or b.year >= 2023],
            "form": form,
            "can_edit": form is not None,
        },
    )


def budget_line_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    line = access_budget_line_for_write(request.user, public_id)
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        save_budget_line(line=line, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The budget line was saved."))
        return redirect(f"{reverse('funding:budget')}?year={line.year}")
    return render(request, "funding/budget_line_form.html", {"form": form, "line": line})


def budget_line_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    line = access_budget_line_for_write(request.user, public_id)
    if request.method == "POST":
        year = line.year
        delete_budget_line(line=line, acting_user=request.user)
        messages.success(request, _("The budget line was deleted."))
        return redirect(f"{reverse('funding:budget')}?year={year}")
    return render(request, "funding/budget_line_confirm_delete.html", {"line": line})


def region_funding_section(request: AuthenticatedHttpRequest, region) -> dict:
    """The funding section of the region page: the region's contributions and fee decisions."""
    by_year = contributions(available_years(timezone.localdate().year))
    return {
        "contributions": [
            next(c for c in rows if c.region.pk == region.pk)
            for _year, rows in sorted(by_year.items())
        ],
        "can_choose": can_choose_invoiced_amount(request.user),
        "decisions": region.fee_decisions.order_by("-decided_on"),
    }
