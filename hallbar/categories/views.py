"""Category pages: the list with owners and prioritisation, a category and its CPV picker."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallbar.categories import services
from hallbar.categories.access import access_category, can_view_categories
from hallbar.categories.models import Category
from hallbar.categories.selectors import search_cpv
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import AreaCategory


def category_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_categories(request.user):
        raise Http404
    today = timezone.localdate()
    categories = (
        Category.objects.annotate(contract_count=Count("contracts", distinct=True))
        .prefetch_related(
            "prioritisations",
            "cpv_codes",
            Prefetch(
                "ownerships",
                queryset=AreaCategory.objects.valid_on(today).select_related("area"),
                to_attr="current_owners",
            ),
        )
        .order_by("name_sv")
    )
    query = request.GET.get("q", "").strip()
    if query:
        categories = categories.filter(name_sv__icontains=query) | categories.filter(
            name_en__icontains=query
        )
    return render(
        request,
        "categories/category_list.html",
        {"categories": categories, "query": query, "year": today.year},
    )


def category_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    category, can_edit = access_category(request.user, public_id)
    query = request.GET.get("cpv", "").strip()
    return render(
        request,
        "categories/category_detail.html",
        {
            "category": category,
            "can_edit": can_edit,
            "codes": category.cpv_codes.order_by("code"),
            "owners": category.ownerships.select_related("area").order_by("-valid_from"),
            "prioritisations": category.prioritisations.order_by("-first_year"),
            "query": query,
            "results": search_cpv(query) if query else [],
        },
    )


@require_POST
def category_cpv_add(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    category, can_edit = access_category(request.user, public_id)
    if not can_edit:
        raise Http404
    try:
        cpv = services.add_cpv_code(
            category=category, code=request.POST.get("code", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(code)s was added.") % {"code": cpv.full_code})
    return redirect("categories:category-detail", public_id=category.public_id)


@require_POST
def category_cpv_remove(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    category, can_edit = access_category(request.user, public_id)
    if not can_edit:
        raise Http404
    services.remove_cpv_code(
        category=category, code=request.POST.get("code", ""), acting_user=request.user
    )
    messages.success(request, _("The CPV code was removed."))
    return redirect("categories:category-detail", public_id=category.public_id)
