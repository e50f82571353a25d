"""Pages for regions and procurement areas, and the secretariat's account pages."""

import json

import requests
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect import views as allauth_oidc_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hallbar.core.exports import table_response
from hallbar.core.sections import sections_for
from hallbar.organisations import lockout, mfa, sso
from hallbar.organisations.access import (
    access_region,
    access_user_language,
    can_manage_lockouts,
    can_reset_second_factors,
    can_view_audit_log,
    can_view_cooperation,
    may_set_monthly_digest_of,
    requires_second_factor,
    users_requiring_second_factor,
)
from hallbar.organisations.forms import (
    AuditLogFilterForm,
    CodeForm,
    EnrolForm,
    LanguageForm,
    RegenerateCodesForm,
    ResetSecondFactorForm,
    SettingsForm,
)
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Membership, Role, User
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


# --- the second factor (hallbar.organisations.mfa) -------------------------------------------


def _with_next(name: str, request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return reverse(name) + ("?" + urlencode({"next": target}) if target else "")


def mfa_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the code that completes the login, then go where the person wanted."""
    user = request.user
    if not requires_second_factor(user):
        raise Http404
    if mfa.second_factor_given(request):
        return redirect(mfa.safe_next(request))
    if not mfa.has_second_factor(user):
        return redirect(_with_next("account:mfa-enrol", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(user, form.cleaned_data["code"])
        if check.accepted:
            mfa.complete_login(request, check.device)
            if check.used_recovery_code:
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it cannot be used again. You have "
                        "%(left)s left: make new ones under Second factor when they run low."
                    )
                    % {"left": left},
                )
            return redirect(mfa.safe_next(request))
        if check.wait_until is not None:
            form.add_error("code", mfa.wait_message(check))
        else:
            form.add_error(
                "code",
                _(
                    "That code is not right. Type the code your app shows now (a new one every "
                    "30 seconds), or a recovery code you have not used."
                ),
            )
    return render(
        request,
        "organisations/mfa_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


def mfa_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an authenticator app: a QR code and the key, confirmed with a first code; then the
    recovery codes, shown once."""
    user = request.user
    if not requires_second_factor(user):
        raise Http404
    if mfa.has_second_factor(user):
        if mfa.second_factor_given(request):
            return redirect("account:mfa-recovery-codes")
        return redirect(_with_next("account:mfa-verify", request))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request, code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "organisations/mfa_codes.html",
                {"codes": codes, "enrolled": True, "continue_url": mfa.safe_next(request)},
            )
        form.add_error(
            "code",
            _(
                "That code is not right. Check that the app shows hallbar's code for your "
                "account, and type the code it shows now."
            ),
        )
    device = mfa.pending_authenticator(request)
    return render(
        request,
        "organisations/mfa_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret": mfa.secret_of(device),
            "uri": device.config_url,
            "qr_code": mfa.qr_code_data_url(device.config_url),
        },
    )


def mfa_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own second factor: how many recovery codes are left; new ones on request."""
    user = request.user
    if not requires_second_factor(user):
        raise Http404
    device = mfa.authenticator_of(user)
    if device is None:
        return redirect("account:mfa-enrol")
    form = RegenerateCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.regenerate_recovery_codes(user)
        return render(
            request,
            "organisations/mfa_codes.html",
            {"codes": codes, "enrolled": False, "continue_url": reverse("home:start")},
        )
    return render(
        request,
        "organisations/mfa_recovery.html",
        {"form": form, "device": device, "left": mfa.recovery_codes_left(user)},
    )


def mfa_people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The secretariat's list of who needs a second factor and who has one."""
    if not can_reset_second_factors(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()
    has_device = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    people = (
        User.objects.filter(
            Q(pk__in=users_requiring_second_factor().values("pk")) | Q(totpdevice__confirmed=True)
        )
        .annotate(enrolled=has_device)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    return render(
        request,
        "organisations/mfa_people.html",
        {"people": people[:200], "query": query, "resets": mfa.latest_resets()},
    )


def mfa_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm, with a reason, and reset a person's second factor."""
    if not can_reset_second_factors(request.user):
        raise Http404
    username = request.POST.get("username") or request.GET.get("username", "")
    person = User.objects.filter(username=username).first() if username else None
    if person is None:
        raise Http404
    form = ResetSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.reset_second_factor(
                person, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The second factor of %(name)s is reset: they add an authenticator app "
                    "again at their next login."
                )
                % {"name": person},
            )
            return redirect("account:mfa-people")
    return render(
        request,
        "organisations/mfa_reset.html",
        {
            "form": form,
            "person": person,
            "enrolled": mfa.has_second_factor(person),
            "required": requires_second_factor(person),
            "history": mfa.second_factor_history(person),
        },
    )


class LoginView(auth_views.LoginView):
    """Django's login page, with a button per single sign-on provider.

    With password logins switched off (HALLBAR_PASSWORD_LOGIN=false) the form is hidden and a
    posted password is refused without being checked.
    """

    def post(self, request, *args, **kwargs):
        if not sso.password_login_enabled():
            return render(
                request,
                "registration/login.html",
                {"password_login_refused": True, "next": request.POST.get("next", "")},
                status=403,
            )
        return super().post(request, *args, **kwargs)


@login_not_required
def sso_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Start a login at a provider (allauth's view); if the provider cannot be reached, say so."""
    try:
        return allauth_oidc_views.login(request, provider_id)
    except (requests.RequestException, OAuth2Error, ValueError, KeyError) as error:
        return sso.login_failed_page(request, provider_id, error)


@login_not_required
def sso_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider's answer (allauth's callback, with the adapter that keeps the ID token)."""
    try:
        view = OAuth2CallbackView.adapter_view(sso.OAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


class LogoutView(auth_views.LogoutView):
    """Log out; after a single sign-on login, end the session at the provider too."""

    def post(self, request, *args, **kwargs):
        at_provider = sso.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if at_provider:
            return HttpResponseRedirect(at_provider)
        return response


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
