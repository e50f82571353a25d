"""Spend and screening pages: upload invoice lines, run a screening, explore and export results."""

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ExpressionWrapper, F, FloatField, Sum
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hallbar.categories.models import Category
from hallbar.core.charts import Bar, bar_chart
from hallbar.core.countries import country_name
from hallbar.core.exports import table_response
from hallbar.core.import_views import start_job
from hallbar.core.imports import create_job
from hallbar.core.jobs import start_job as start_background_job
from hallbar.core.models import ImportJob
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Region
from hallbar.risk.access import (
    can_restore_spend,
    can_run_screening,
    require_screening_view,
    spend_upload_region_ids,
)
from hallbar.risk.forms import SpendImportForm
from hallbar.risk.jobs import SCREENING
from hallbar.risk.models import ScreeningRow, ScreeningRun
from hallbar.risk.models.analysis import Area
from hallbar.risk.runs import AREAS, priority_of
from hallbar.risk.selectors import analysis_for_category, row_country_explanation
from hallbar.risk.spend import (
    removed_partitions,
    restore_preview,
    restore_spend_partition,
    spend_versions,
    stored_partitions,
    template_rows,
)
from hallbar.suppliers.access import resolvable_spend_region_ids, sites_for
from hallbar.suppliers.models import Supplier

AREA_LABELS = {"hr": "MR", "wr": "AR", "env": "Miljö", "be": "AE"}
# the words of a risk class (and of a row's priority)
PRIORITY_WORDS = {
    "high": gettext_lazy("high"),
    "medium": gettext_lazy("medium"),
    "low": gettext_lazy("low"),
}
EXPORT_COLUMNS = [
    "region_code",
    "category",
    "supplier",
    "country",
    "spend_sek",
    "hr",
    "wr",
    "env",
    "be",
    "exposure",
    "priority",
]


def spend(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_screening_view(request.user)
    regions = spend_upload_region_ids(request.user)
    can_upload = regions is None or bool(regions)
    form = SpendImportForm(request.POST or None, request.FILES or None, editable_regions=regions)
    if request.method == "POST":
        if not can_upload:
            raise Http404
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            job = create_job(
                kind=ImportJob.Kind.SPEND,
                uploaded=uploaded,
                filename=uploaded.name,
                acting_user=request.user,
                region=form.cleaned_data["region"],
                mode=form.mode,
                dry_run=form.cleaned_data["dry_run"],
                # the page always shows what will be replaced and waits for a confirmation
                options={"year": form.cleaned_data["year"], "review": True},
            )
            start_job(job)
            return redirect("core:import-job", public_id=job.public_id)
    names = dict(Region.objects.values_list("county_code", "organisation__name"))
    can_restore = can_restore_spend(request.user)
    parts = [
        {
            "region": names.get(p.region, p.region),
            "code": p.region,
            "year": p.year,
            "rows": p.rows,
            "bytes": p.bytes,
            "versions": len(spend_versions(p.region, p.year)) if can_restore else 0,
        }
        for p in stored_partitions()
    ]
    removed = [
        {"region": names.get(code, code), "code": code, "year": year}
        for code, year in (removed_partitions() if can_restore else [])
    ]
    return render(
        request,
        "risk/spend.html",
        {
            "form": form,
            "can_upload": can_upload,
            "partitions": parts,
            "removed": removed,
            "can_restore": can_restore,
        },
    )


def spend_restore(request: AuthenticatedHttpRequest, region_code: str, year: int) -> HttpResponse:
    """Show what restoring a partition's previous version changes; restore it on POST."""
    if not can_restore_spend(request.user):
        raise Http404
    region = get_object_or_404(
        Region.objects.select_related("organisation"), county_code=region_code
    )
    preview = restore_preview(region.county_code, year) if 1900 <= year <= 2999 else None
    if preview is None:
        raise Http404
    if request.method == "POST":
        try:
            restore_spend_partition(region=region, year=year, acting_user=request.user)
        except LookupError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The previous version of %(region)s, %(year)s is restored. Restoring again undoes this."
                )
                % {"region": region.name, "year": year},
            )
        return redirect("risk:spend")
    return render(
        request,
        "risk/spend_restore.html",
        {
            "region": region,
            "year": year,
            "current": preview.current,
            "previous": preview.previous,
            "replaced_at": preview.replaced_at,
        },
    )


def spend_template(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    require_screening_view(request.user)
    columns, rows = template_rows()
    return table_response(
        columns,
        rows,
        file_format="xlsx" if file_format == "xlsx" else "csv",
        name="fakturarader-mall",
        sheet_title="Fakturarader",
    )


def screening_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_screening_view(request.user)
    years = sorted({p.year for p in stored_partitions()}, reverse=True)
    return render(
        request,
        "risk/screening_list.html",
        {
            "runs": ScreeningRun.objects.select_related("started_by")[:50],
            "years": years,
            "can_run": can_run_screening(request.user),
        },
    )


@require_POST
def screening_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_run_screening(request.user):
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose a year."))
        return redirect("risk:screening-list")
    if year not in {p.year for p in stored_partitions()}:
        messages.error(request, _("No spend is stored for %(year)s.") % {"year": year})
        return redirect("risk:screening-list")
    job = start_background_job(
        SCREENING, acting_user=request.user, params={"year": year}, subject=str(year)
    )
    return redirect("core:job", public_id=job.public_id)


def _heat_cell(value: float, words: Mapping[str, str]) -> tuple[float, str, str]:
    """Return a heat-map cell: the spend-weighted risk R, its class and the class in words."""
    level = priority_of(value)
    return value, level, words[level]


def _filtered_rows(run: ScreeningRun, params):
    rows = run.rows.all()
    region = params.get("region") or "SE"
    rows = rows.filter(region_code=region)
    if category := params.get("category"):
        rows = rows.filter(category_key=category)
    if priority := params.get("priority"):
        rows = rows.filter(priority=priority)
    if query := (params.get("q") or "").strip():
        rows = rows.filter(supplier_label__icontains=query)
    return rows.order_by("-exposure", "pk"), region


def screening_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    require_screening_view(request.user)
    run = get_object_or_404(ScreeningRun, public_id=public_id)
    rows, region = _filtered_rows(run, request.GET)
    if request.GET.get("format") in {"xlsx", "csv"}:
        return _export(run, rows, request.GET["format"])
    names = {c.slug: c.name for c in Category.objects.all()}
    national = run.rows.filter(region_code="SE")
    # Heat map: per category, the spend-weighted mean risk of each area, and the exposure.
    weighted = {
        area: Sum(
            ExpressionWrapper(Cast("spend_sek", FloatField()) * F(area), output_field=FloatField())
        )
        for area in AREAS
    }
    # the classes in words, translated once for the page
    words = {level: str(text) for level, text in PRIORITY_WORDS.items()}
    heat = []
    for row in (
        national.values("category_key")
        .annotate(total=Sum("exposure"), spend=Sum(Cast("spend_sek", FloatField())), **weighted)
        .order_by("-total")
    ):
        # the values and sums (the row's TypedDict misses the **weighted sums, hence Any)
        item: Mapping[str, Any] = row
        spend_total = item["spend"] or 1.0
        heat.append(
            {
                "key": item["category_key"],
                "name": names.get(item["category_key"], item["category_key"]),
                "exposure": item["total"],
                "areas": [_heat_cell((item[area] or 0) / spend_total, words) for area in AREAS],
            }
        )
    chart = bar_chart(
        [
            Bar(h["name"][:12], h["exposure"], number_format(h["exposure"] / 1e6, decimal_pos=1))
            for h in heat[:10]
        ],
        title=_("Risk exposure by category, million kronor (top 10)"),
        width=900,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        # names for the reader, never the category's key or a bare country code
        row.category_name = names.get(row.category_key, row.category_key)
        row.country_name = country_name(row.country) if row.country else ""
        row.priority_words = words.get(row.priority, row.priority)
    return render(
        request,
        "risk/screening_detail.html",
        {
            "run": run,
            "page": page,
            "params": request.GET,
            "region": region,
            "regions": Region.objects.select_related("organisation").order_by("county_code"),
            "categories": Category.objects.order_by("name_sv"),
            "category_names": names,
            "heat": heat,
            "chart": chart,
            "unmatched": _unmatched_by_region(run, request.user),
            # the editions of the reference data the run used (its analyses are listed apart)
            "edition_labels": [
                e["label"]
                for e in (run.editions or {}).values()
                if isinstance(e, dict) and e.get("label")
            ],
        },
    )


def _unmatched_by_region(run: ScreeningRun, user) -> list[dict[str, Any]]:
    """Return the run's regions with their five largest unmatched names, each with the link to
    match it to a supplier where the user may (suppliers.access.resolvable_spend_region_ids)."""
    resolvable = resolvable_spend_region_ids(user)
    codes = set(
        Region.objects.filter(pk__in=resolvable or ()).values_list("county_code", flat=True)
    )
    list_url = reverse("suppliers:unmatched-spend-list")
    regions = []
    for region in (run.totals or {}).get("regions", []):
        may_resolve = resolvable is None or region.get("code") in codes
        names = [
            {
                "label": name.get("name") or name.get("identifier"),
                # the identifier beside a name; alone, it is the label
                "identifier": name.get("identifier") if name.get("name") else "",
                "spend_sek": name.get("spend_sek"),
                "ambiguous": name.get("ambiguous"),
                "resolve_url": reverse("suppliers:unmatched-spend-resolve", args=[name["id"]])
                if may_resolve
                else "",
            }
            for name in region.get("names", [])[:5]
        ]
        all_url = f"{list_url}?{urlencode({'region': region.get('code'), 'year': run.year})}"
        regions.append({**region, "names": names, "all_url": all_url if may_resolve else ""})
    return regions


def screening_row(request: AuthenticatedHttpRequest, public_id, row_id: int) -> HttpResponse:
    require_screening_view(request.user)
    run = get_object_or_404(ScreeningRun, public_id=public_id)
    row = get_object_or_404(ScreeningRow, run=run, pk=row_id)
    supplier = (
        Supplier.objects.filter(pk=row.supplier_key).first() if row.supplier_key.isdigit() else None
    )
    # sub-supplier names (tier 2 and on) follow the registry's rule, as on the supplier's page
    sites = (
        sites_for(request.user, supplier, supplier.sites.order_by("tier", "name"))
        if supplier
        else []
    )
    labels = dict(Area.choices)
    return render(
        request,
        "risk/screening_row.html",
        {
            "run": run,
            "row": row,
            "supplier": supplier,
            "sites": sites,
            "category": Category.objects.filter(slug=row.category_key).first(),
            "analysis": analysis_for_category(row.category_key),
            "areas": [(labels[a], getattr(row, a)) for a in AREAS],
            "country": row_country_explanation(run, row),
            "country_name": country_name(row.country) if row.country else "",
        },
    )


def _export(run, rows, file_format: str) -> HttpResponse:
    data = (
        [
            r.region_code,
            r.category_key,
            r.supplier_label,
            r.country,
            r.spend_sek,
            r.hr,
            r.wr,
            r.env,
            r.be,
            r.exposure,
            r.priority,
        ]
        for r in rows.iterator(chunk_size=2000)
    )
    return table_response(
        EXPORT_COLUMNS,
        data,
        file_format="csv" if file_format == "csv" else "xlsx",
        name=f"screening-{run.year}-{timezone.localdate()}",
        sheet_title=f"Screening {run.year}",
    )


SCREENING_URLS: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("spend/", spend, "spend"),
    ("spend/template.<str:file_format>", spend_template, "spend-template"),
    ("spend/<str:region_code>/<int:year>/restore/", spend_restore, "spend-restore"),
    ("screening/", screening_list, "screening-list"),
    ("screening/run/", screening_start, "screening-start"),
    ("screening/<uuid:public_id>/", screening_detail, "screening-detail"),
    ("screening/<uuid:public_id>/rows/<int:row_id>/", screening_row, "screening-row"),
]
