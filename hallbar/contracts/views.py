"""Contract pages: list, detail, create/edit/delete, import, export, harmonisation."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallbar.categories.models import Category
from hallbar.contracts import exports
from hallbar.contracts.access import (
    access_contract,
    access_contract_for_write,
    can_create_contracts,
    can_list_contracts,
    contracts_visible_to,
    editable_region_ids,
    sees_contract_internals,
)
from hallbar.contracts.forms import ContractForm
from hallbar.contracts.import_template import contract_template_xlsx
from hallbar.contracts.imports import template_rows
from hallbar.contracts.models import Contract
from hallbar.contracts.selectors import (
    contract_history,
    default_harmonisation_year,
    filter_contracts,
    harmonisation,
    harmonisation_json,
    harmonisation_period,
    own_region_code,
)
from hallbar.contracts.services import delete_contract, save_contract
from hallbar.core.access import access_import_job
from hallbar.core.charts import Bar, bar_chart, short_region_name
from hallbar.core.exports import CSV, XLSX, attachment, table_response
from hallbar.core.import_views import start_job
from hallbar.core.imports import create_job
from hallbar.core.models import ImportJob
from hallbar.core.sections import sections_for
from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.forms import ImportForm
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Region
from hallbar.requirements.selectors import current_clause
from hallbar.suppliers.access import can_merge_suppliers, sites_for

PAGE_SIZE = 50


def contract_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_list_contracts(request.user):
        raise Http404
    if (
        "region" not in request.GET
        and "format" not in request.GET
        and "import" not in request.GET
        and (code := own_region_code(request.user))
    ):
        # Open on the user's own region; the filter stays in the URL, so "All" is remembered.
        # An import's result link lists exactly the contracts of that import.
        params = request.GET.copy()
        params["region"] = code
        return redirect(f"{request.path}?{params.urlencode()}")
    visible = contracts_visible_to(request.user)
    import_job, import_missing = None, False
    if request.GET.get("import"):
        try:
            import_job = access_import_job(request.user, request.GET["import"])
        except (Http404, ValidationError):
            import_missing = True
    contracts = filter_contracts(visible, request.GET, import_job=import_job)
    if import_missing:
        contracts = contracts.none()
    export = request.GET.get("format")
    if export in {"csv", "xlsx", "ocds"}:
        return export_response(contracts, export)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page": page,
            "params": request.GET,
            "regions": Region.objects.select_related("organisation").order_by("county_code"),
            "categories": Category.objects.order_by("name_sv"),
            "statuses": Contract.Status.choices,
            "can_create": can_create_contracts(request.user),
            "can_see_harmonisation": can_view_cooperation(request.user),
            "total": page.paginator.count,
            "import_job": import_job,
            "import_missing": import_missing,
        },
    )


def import_result_context(request: AuthenticatedHttpRequest, job: ImportJob) -> dict:
    """Say what a finished contract import did, in words, and where to go next."""
    summary = job.summary or {}
    created, updated = summary.get("created", 0), summary.get("updated", 0)
    unchanged, to_review = summary.get("unchanged", 0), summary.get("suppliers_to_review", 0)
    parts = [
        ngettext("%(count)s contract created", "%(count)s contracts created", created)
        % {"count": number_format(created, force_grouping=True)},
        ngettext("%(count)s updated", "%(count)s updated", updated)
        % {"count": number_format(updated, force_grouping=True)},
        ngettext("%(count)s unchanged", "%(count)s unchanged", unchanged)
        % {"count": number_format(unchanged, force_grouping=True)},
    ]
    return {
        "result_sentence": ", ".join(parts) + ".",
        "changed_count": created + updated,
        "imported_url": f"{reverse('contracts:contract-list')}?import={job.public_id}",
        "to_review": to_review,
        "review_url": reverse("suppliers:review-queue")
        if to_review and can_merge_suppliers(request.user)
        else "",
    }


def export_response(contracts, export: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if export == "ocds":
        import json

        package = exports.ocds_package(contracts)
        return attachment(
            json.dumps(package, ensure_ascii=False, indent=1).encode(),
            f"contracts-{stamp}.json",
            "application/json",
        )
    buffer = io.BytesIO()
    if export == "csv":
        exports.write_contracts_csv(buffer, contracts)
        return attachment(buffer.getvalue(), f"contracts-{stamp}.csv", CSV)
    exports.write_contracts_xlsx(buffer, contracts)
    return attachment(buffer.getvalue(), f"contracts-{stamp}.xlsx", XLSX)


def contract_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    contract, can_edit = access_contract(request.user, public_id)
    internals = sees_contract_internals(request.user)
    contract = (
        Contract.objects.select_related(
            "lead_region__organisation", "supplier", "category", "cpv", "clause"
        )
        .prefetch_related("regions__organisation", "supplier__sites")
        .get(pk=contract.pk)
    )
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "can_edit": can_edit,
            "history": contract_history(contract) if internals else [],
            "current_clause": current_clause(),
            "sites": sites_for(request.user, contract.supplier, contract.supplier.sites.all()),
            # follow-up, which builds on contracts, adds its alerts
            "sections": sections_for("contracts:contract-detail", request, contract),
        },
    )


def contract_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_contracts(request.user):
        raise Http404
    return _contract_form(request, None)


def contract_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _contract_form(request, access_contract_for_write(request.user, public_id))


def _contract_form(request: AuthenticatedHttpRequest, contract: Contract | None) -> HttpResponse:
    form = ContractForm(
        request.POST or None,
        instance=contract,
        editable_regions=editable_region_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_contract(
                contract=contract,
                regions=list(form.cleaned_data["regions"]),
                acting_user=request.user,
                **form.service_values(),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                target = field if field in form.fields else None
                for message in field_errors:
                    form.add_error(target, message)
        except PermissionError:
            raise Http404 from None
        else:
            messages.success(request, _("The contract was saved."))
            return redirect("contracts:contract-detail", public_id=saved.public_id)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": contract})


def contract_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    contract = access_contract_for_write(request.user, public_id)
    if request.method == "POST":
        delete_contract(contract=contract, acting_user=request.user)
        messages.success(request, _("The contract was deleted."))
        return redirect("contracts:contract-list")
    return render(request, "contracts/contract_confirm_delete.html", {"contract": contract})


def contract_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_contracts(request.user):
        raise Http404
    regions = editable_region_ids(request.user)
    # A buyer of one region imports for it: preselect it.
    initial = {"region": next(iter(regions))} if regions and len(regions) == 1 else {}
    form = ImportForm(
        request.POST or None, request.FILES or None, editable_regions=regions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        job = create_job(
            kind=ImportJob.Kind.CONTRACTS,
            uploaded=uploaded,
            filename=uploaded.name,
            acting_user=request.user,
            region=form.cleaned_data["region"],
            mode=form.mode,
            dry_run=form.cleaned_data["dry_run"],
        )
        start_job(job)
        return redirect("core:import-job", public_id=job.public_id)
    recent = ImportJob.objects.filter(kind=ImportJob.Kind.CONTRACTS, created_by=request.user)[:10]
    return render(request, "contracts/contract_import.html", {"form": form, "recent": recent})


def import_template(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    if not can_view_cooperation(request.user):
        raise Http404
    name = _("contract-template")
    if file_format == "xlsx":
        return attachment(contract_template_xlsx(), f"{name}.xlsx", XLSX)
    columns, rows = template_rows()
    return table_response(columns, rows, file_format="csv", name=name)


def harmonisation_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_cooperation(request.user):
        raise Http404
    this_year = timezone.localdate().year
    years = list(range(2016, this_year + 2))
    try:
        year = int(request.GET.get("year") or default_harmonisation_year(this_year))
    except ValueError:
        year = default_harmonisation_year(this_year)
    if not 1 <= year <= 9999:
        year = default_harmonisation_year(this_year)
    clause = current_clause()
    rows, national = harmonisation(year, clause.pk if clause else None)
    if request.GET.get("format") == "json":
        return JsonResponse(harmonisation_json(year, clause, rows, national))
    chart = bar_chart(
        [Bar(short_region_name(r.name), r.share * 100, f"{r.share * 100:.0f}") for r in rows],
        title=_(
            "Share of contracts in force in %(year)s in prioritised categories with clause %(version)s, per region (%%)"
        )
        % {"version": clause.version if clause else "–", "year": year},
        width=900,
    )
    return render(
        request,
        "contracts/harmonisation.html",
        {
            "rows": rows,
            "national": national,
            "clause": clause,
            "year": year,
            "period": harmonisation_period(year),
            "years": years if year in years else sorted({*years, year}),
            "chart": chart,
        },
    )


def supplier_contracts_section(request: AuthenticatedHttpRequest, supplier) -> dict:
    """The contracts section of the supplier page: the supplier's contracts this user may see."""
    contracts = (
        contracts_visible_to(request.user)
        .filter(supplier=supplier)
        .select_related("lead_region__organisation", "category")
        .order_by("-start_date")
    )
    return {"contracts": contracts[:100], "contract_count": contracts.count()}
