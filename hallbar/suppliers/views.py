"""Supplier pages: the registry, a supplier, its sites, imports, the review queue and merges."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hallbar.core.exports import table_response
from hallbar.core.import_views import start_job
from hallbar.core.imports import create_job
from hallbar.core.models import ImportJob
from hallbar.core.sections import sections_for
from hallbar.organisations.forms import ImportForm
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.suppliers import merging, services
from hallbar.suppliers.access import (
    access_site_for_write,
    access_supplier,
    access_supplier_for_write,
    access_unmatched_spend_for_write,
    can_edit_suppliers,
    can_list_suppliers,
    can_merge_suppliers,
    can_see_unmatched_spend,
    contacts_shown_to,
    sees_registry_internals,
    sites_for,
    suppliers_visible_to,
    unmatched_spend_visible_to,
)
from hallbar.suppliers.forms import MergeForm, SiteForm, SupplierForm
from hallbar.suppliers.imports import template_rows
from hallbar.suppliers.models import (
    MatchReview,
    Supplier,
    SupplierMerge,
    UnmatchedSpend,
)
from hallbar.suppliers.selectors import filter_suppliers, supplier_history

EXPORT_COLUMNS = [
    "name",
    "country",
    "org_number",
    "vat_number",
    "other_id",
    "city",
    "dd_contact_name",
    "dd_contact_email",
    "dd_contact_phone",
    "contracts",
]


def supplier_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_list_suppliers(request.user):
        raise Http404
    suppliers = filter_suppliers(suppliers_visible_to(request.user), request.GET)
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        rows = (
            [
                s.name,
                s.country,
                s.identifier if s.org_number else "",
                s.vat_number,
                s.other_id,
                s.city,
                s.dd_contact_name,
                s.dd_contact_email,
                s.dd_contact_phone,
                s.contract_count,
            ]
            for s in suppliers.iterator(chunk_size=2000)
        )
        return table_response(
            EXPORT_COLUMNS, rows, file_format=export, name="suppliers", sheet_title="Leverantörer"
        )
    page = Paginator(suppliers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suppliers/supplier_list.html",
        {
            "page": page,
            "params": request.GET,
            "can_edit": can_edit_suppliers(request.user),
            "can_merge": can_merge_suppliers(request.user),
            "open_reviews": MatchReview.objects.filter(status="open").count()
            if can_merge_suppliers(request.user)
            else 0,
        },
    )


def supplier_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    supplier, can_edit = access_supplier(request.user, public_id)
    if supplier.merged_into is not None:
        messages.info(
            request,
            _("This supplier was merged into %(name)s.") % {"name": supplier.merged_into.name},
        )
    member = sees_registry_internals(request.user)
    return render(
        request,
        "suppliers/supplier_detail.html",
        {
            "supplier": supplier,
            "can_edit": can_edit,
            "can_merge": can_merge_suppliers(request.user),
            "names": supplier.names.select_related("region__organisation") if member else [],
            "sites": sites_for(request.user, supplier, supplier.sites.all()),
            "reviews": MatchReview.objects.filter(supplier=supplier, status="open").select_related(
                "candidate"
            )
            if member
            else [],
            "merges": SupplierMerge.objects.filter(survivor=supplier).select_related("merged")
            if member
            else [],
            "history": supplier_history(request.user, supplier) if member else [],
            "contacts": contacts_shown_to(request.user, supplier),
            # contracts and follow-up, which build on suppliers, add their sections
            "sections": sections_for("suppliers:supplier-detail", request, supplier),
        },
    )


def supplier_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_edit_suppliers(request.user):
        raise Http404
    return _supplier_form(request, None)


def supplier_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _supplier_form(request, access_supplier_for_write(request.user, public_id))


def _supplier_form(request, supplier):
    form = SupplierForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_supplier(
                supplier=supplier, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("The supplier was saved."))
            return redirect("suppliers:supplier-detail", public_id=saved.public_id)
    return render(request, "suppliers/supplier_form.html", {"form": form, "supplier": supplier})


def site_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    supplier = access_supplier_for_write(request.user, public_id)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_site(
                supplier=supplier, site=None, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The production site was added."))
            return redirect("suppliers:supplier-detail", public_id=supplier.public_id)
    return render(request, "suppliers/site_form.html", {"form": form, "supplier": supplier})


def site_delete(request: AuthenticatedHttpRequest, public_id, site_id) -> HttpResponse:
    supplier, site = access_site_for_write(request.user, public_id, site_id)
    if request.method == "POST":
        services.delete_site(site=site, acting_user=request.user)
        messages.success(request, _("The production site was removed."))
        return redirect("suppliers:supplier-detail", public_id=supplier.public_id)
    return render(
        request, "suppliers/site_confirm_delete.html", {"site": site, "supplier": supplier}
    )


def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_merge_suppliers(request.user):
        raise Http404
    reviews = (
        MatchReview.objects.filter(status="open")
        .select_related("supplier", "candidate")
        .order_by("-score", "pk")
    )
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    ambiguous = (
        unmatched_spend_visible_to(request.user)
        .filter(status=UnmatchedSpend.Status.OPEN)
        .filter(ambiguous=True)
        .select_related("region__organisation")
        .order_by("-spend_sek", "pk")
    )
    return render(
        request,
        "suppliers/review_queue.html",
        {"page": page, "ambiguous": ambiguous[:10], "ambiguous_count": ambiguous.count()},
    )


def unmatched_spend_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the open unmatched and ambiguous spend the user may resolve, largest first."""
    if not can_see_unmatched_spend(request.user):
        raise Http404
    items = (
        unmatched_spend_visible_to(request.user)
        .filter(status=UnmatchedSpend.Status.OPEN)
        .select_related("region__organisation")
    )
    regions = sorted(set(items.values_list("region__county_code", "region__organisation__name")))
    if region := request.GET.get("region"):
        items = items.filter(region__county_code=region)
    if year := request.GET.get("year", ""):
        items = items.filter(year=int(year)) if year.isdigit() else items.none()
    if request.GET.get("kind") == "ambiguous":
        items = items.filter(ambiguous=True)
    elif request.GET.get("kind") == "unknown":
        items = items.filter(ambiguous=False)
    if query := (request.GET.get("q") or "").strip():
        items = items.filter(Q(name__icontains=query) | Q(identifier__icontains=query))
    page = Paginator(items.order_by("-spend_sek", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suppliers/unmatched_spend_list.html",
        {"page": page, "params": request.GET, "regions": regions},
    )


def unmatched_spend_resolve(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """Match one unmatched identity on a region's invoices to a registry supplier."""
    item = access_unmatched_spend_for_write(request.user, public_id)
    if item.status != UnmatchedSpend.Status.OPEN:
        messages.info(request, _("This spend has already been matched to a supplier."))
        return redirect("suppliers:unmatched-spend-list")
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("supplier", "")
        supplier = (
            Supplier.objects.current().filter(public_id=chosen).first()
            if _is_uuid(chosen)
            else None
        )
        if supplier is None:
            error = _("Choose the supplier these invoice lines belong to.")
        else:
            try:
                services.resolve_unmatched_spend(
                    item=item, supplier=supplier, acting_user=request.user
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "The invoice lines were matched to %(name)s. The next screening counts "
                        "their spend for the supplier."
                    )
                    % {"name": supplier.name},
                )
                return redirect("suppliers:unmatched-spend-list")
    candidates = list(Supplier.objects.current().filter(pk__in=item.candidates))
    query = (request.GET.get("q") or "").strip()
    found = list(filter_suppliers(Supplier.objects.all(), {"q": query})[:20]) if query else []
    found = [s for s in found if s.pk not in set(item.candidates)]
    return render(
        request,
        "suppliers/unmatched_spend_resolve.html",
        {"item": item, "candidates": candidates, "found": found, "query": query, "error": error},
        status=400 if error else 200,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def review_decide(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    if not can_merge_suppliers(request.user) or request.method != "POST":
        raise Http404
    review = MatchReview.objects.filter(public_id=review_id).first()
    if review is None:
        raise Http404
    try:
        services.decide_review(
            review=review,
            same_company=request.POST.get("decision") == "same",
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your judgement was recorded."))
    return redirect("suppliers:review-queue")


def supplier_merge(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    if not can_merge_suppliers(request.user):
        raise Http404
    merged, _can_edit = access_supplier(request.user, public_id)
    form = MergeForm(request.POST or None, merged=merged)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                services.merge_suppliers(
                    survivor=form.cleaned_data["into"], merged=merged, acting_user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "The suppliers were merged. You can undo the merge on the kept supplier's page."
                    ),
                )
                return redirect(
                    "suppliers:supplier-detail", public_id=form.cleaned_data["into"].public_id
                )
        survivor = form.cleaned_data["into"]
        return render(
            request,
            "suppliers/supplier_merge.html",
            {
                "form": form,
                "merged": merged,
                "confirm": survivor,
                "moves": merging.preview(merged, survivor),
            },
        )
    return render(request, "suppliers/supplier_merge.html", {"form": form, "merged": merged})


def merge_undo(request: AuthenticatedHttpRequest, merge_id) -> HttpResponse:
    if not can_merge_suppliers(request.user):
        raise Http404
    merge = (
        SupplierMerge.objects.select_related("survivor", "merged")
        .filter(public_id=merge_id)
        .first()
    )
    if merge is None:
        raise Http404
    if request.method == "POST":
        try:
            services.undo_merge(merge=merge, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The merge was undone."))
        return redirect("suppliers:supplier-detail", public_id=merge.survivor.public_id)
    return render(request, "suppliers/merge_undo.html", {"merge": merge})


def supplier_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_edit_suppliers(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, with_region=False)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        job = create_job(
            kind=ImportJob.Kind.SUPPLIERS,
            uploaded=uploaded,
            filename=uploaded.name,
            acting_user=request.user,
            mode=form.mode,
            dry_run=form.cleaned_data["dry_run"],
        )
        start_job(job)
        return redirect("core:import-job", public_id=job.public_id)
    return render(request, "suppliers/supplier_import.html", {"form": form})


def import_template(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    if not can_edit_suppliers(request.user):
        raise Http404
    columns, rows = template_rows()
    return table_response(
        columns,
        rows,
        file_format="xlsx" if file_format == "xlsx" else "csv",
        name="leverantorer-mall",
        sheet_title="Leverantörer",
    )
