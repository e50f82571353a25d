"""Pages for regions and procurement areas, and the secretariat's account pages."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hallbar.core.exports import table_response
from hallbar.core.sections import sections_for
from hallbar.organisations import lockout
from hallbar.organisations.access import (
    access_region,
    access_user_language,
    can_manage_lockouts,
    can_view_audit_log,
    can_view_cooperation,
    may_set_monthly_digest_of,
)
from hallbar.organisations.forms import AuditLogFilterForm, LanguageForm, SettingsForm
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Membership, Role
from hallbar.organisations.selectors import (
    AUDIT_DEFAULT_SORT,
    areas_on,
    filter_audit_events,
    regions_with_latest_population,
)
from hallbar.organisations.services import set_monthly_digest, set_preferred_language

COOKIE_AGE = 365 * 24 * 3600

SORTS = {
    "code": lambda r: r.county_code,
    "name": lambda r: r.name,
    "population": lambda r: r.latest_population.population if r.latest_population else 0,
    "area": lambda r: r.area.code if r.area else "",
}


def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_cooperation(request.user):
        raise Http404
    regions = regions_with_latest_population()
    query = request.GET.get("q", "").strip()
    if query:
        regions = [
            r
            for r in regions
            if query.casefold() in r.name.casefold() or query.casefold() in r.county_name.casefold()
        ]
    sort = request.GET.get("sort", "code")
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["code"])
    regions.sort(key=key, reverse=descending)
    total = sum(r.latest_population.population for r in regions if r.latest_population)
    return render(
        request,
        "organisations/region_list.html",
        {
            "regions": regions,
            "areas": areas_on(timezone.localdate()),
            "query": query,
            "sort": sort,
            "total_population": total,
        },
    )


def region_detail(request: AuthenticatedHttpRequest, county_code: str) -> HttpResponse:
    region, can_edit = access_region(request.user, county_code)
    memberships = (
        Membership.objects.filter(organisation=region.organisation, is_active=True)
        .exclude(role=Role.SUPPLIER_CONTACT)
        .select_related("user", "area")
        .order_by("role", "user__last_name")
    )
    return render(
        request,
        "organisations/region_detail.html",
        {
            "region": region,
            "can_edit": can_edit,
            "populations": region.populations.order_by("-reference_date"),
            "areas": region.area_memberships.select_related("area").order_by("-valid_from"),
            "sections": sections_for("organisations:region-detail", request, region),
            "memberships": memberships,
        },
    )


# Marks a form that showed the digest box: an unticked box is then a choice, not an absence.
DIGEST_SHOWN = "monthly_digest_shown"


def _language_page(request: AuthenticatedHttpRequest, user, *, own: bool) -> HttpResponse:
    """The language page; for a person's own account also the monthly digest (their settings)."""
    with_digest = may_set_monthly_digest_of(request.user, user)
    form_class = SettingsForm if with_digest else LanguageForm
    form = form_class(
        request.POST or None,
        initial={"language": user.language, "monthly_digest": user.monthly_digest},
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        set_preferred_language(user, language=language, acting_user=request.user)
        if with_digest and DIGEST_SHOWN in request.POST:
            set_monthly_digest(
                user, enabled=form.cleaned_data["monthly_digest"], acting_user=request.user
            )
        if own:
            # The page after the redirect is already in the chosen language.
            translation.activate(language or translation.get_language())
        messages.success(
            request,
            _("Your settings were saved.")
            if with_digest
            else _("The preferred language was saved."),
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = request.path
        response = redirect(target or request.path)
        if own and language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=COOKIE_AGE)
        return response
    return render(
        request,
        "organisations/language_form.html",
        {
            "form": form,
            "person": user,
            "own": own,
            "with_digest": with_digest,
            "digest_shown": DIGEST_SHOWN,
            "next": request.GET.get("next", ""),
        },
    )


def my_language(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's own preferred language."""
    return _language_page(request, request.user, own=True)


def contact_language(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The secretariat sets the preferred language of a person (by one of their memberships)."""
    user = access_user_language(request.user, public_id)
    return _language_page(request, user, own=user.pk == request.user.pk)


def _lock_from_query(request: AuthenticatedHttpRequest):
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    value = request.POST.get("value") or request.GET.get("value", "")
    return lockout.find_lock(kind, value)


def lockout_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The secretariat's list of locked accounts and addresses, and the latest unlocks."""
    if not can_manage_lockouts(request.user):
        raise Http404
    return render(
        request,
        "organisations/lockout_list.html",
        {
            "locks": lockout.current_locks(),
            "unlocks": lockout.unlock_history(),
            "account_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT,
            "minutes": int(lockout.cool_off().total_seconds() // 60),
        },
    )


def lockout_unlock(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm, then unlock one account or address."""
    if not can_manage_lockouts(request.user):
        raise Http404
    lock = _lock_from_query(request)
    if lock is None:
        messages.info(request, _("That login is no longer locked."))
        return redirect("account:lockout-list")
    if request.method == "POST":
        lockout.unlock(lock, acting_user=request.user)
        if lock.is_account:
            text = _("The account %(name)s is unlocked.") % {"name": lock.value}
        else:
            text = _("The address %(name)s is unlocked.") % {"name": lock.value}
        messages.success(request, text)
        return redirect("account:lockout-list")
    return render(request, "organisations/lockout_unlock.html", {"lock": lock})


AUDIT_EXPORT_COLUMNS = [
    "number",
    "time",
    "kind",
    "actor",
    "actor_id",
    "object_type",
    "object_id",
    "object",
    "address",
    "detail",
    "hash",
]


def audit_log_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The secretariat searches, sorts, pages through and downloads the audit log."""
    if not can_view_audit_log(request.user):
        raise Http404
    form = AuditLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort") or AUDIT_DEFAULT_SORT
    events = filter_audit_events(filters, sort)
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        rows = (
            [
                event.sequence,
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.kind,
                event.actor_name,
                event.actor_id,
                event.object_type,
                event.object_id,
                event.object_label,
                event.client_address,
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
                event.hash,
            ]
            for event in events.iterator(chunk_size=2000)
        )
        # table_response writes the export itself to the audit log
        return table_response(
            AUDIT_EXPORT_COLUMNS, rows, file_format=export, name="audit-log", sheet_title="Audit"
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.detail_text = json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
    return render(
        request,
        "organisations/audit_log_list.html",
        {"form": form, "page": page, "params": request.GET, "filtered": bool(filters)},
    )
