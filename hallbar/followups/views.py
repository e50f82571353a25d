"""Follow-up pages for the cooperation and auditors: cases, assessment, audits, deviations,
verification, sanctions, reports and grievances; and the public, anonymised results."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hallbar.contracts.access import sees_contract_internals
from hallbar.contracts.models import Contract
from hallbar.core import audit
from hallbar.core.forms import add_service_errors, flash_errors
from hallbar.core.history import history_for
from hallbar.core.http import table_download
from hallbar.followups import files, services
from hallbar.followups.access import (
    access_audit,
    access_deviation_for_manage,
    access_deviation_for_remedy,
    access_document,
    access_followup,
    access_followup_for_manage,
    access_remedy_for_review,
    access_report,
    audits_assigned_to,
    can_list_followups,
    can_list_own_audits,
    can_manage,
    can_open_followups,
    can_record_remedy,
    can_register_grievances,
    can_triage_reports,
    follows_cases_in_portal,
    followups_visible_to,
    reads_case_in_portal,
    reports_visible_to,
    sees_case_cost,
)
from hallbar.followups.deadlines import (
    LIGHT_LABELS,
    case_light,
    overdue_reasons,
    supplier_lights,
)
from hallbar.followups.forms import (
    AuditWorkForm,
    DeviationForm,
    GrievanceForm,
    OpenFollowUpForm,
    OrderAuditForm,
    ReasonForm,
    RejectRemedyForm,
    RemedyForm,
    SanctionForm,
    SendForm,
    SupplierDescriptionForm,
    TriageForm,
    VerifyRemedyForm,
)
from hallbar.followups.models import Action, Assessment, FollowUpType, Report
from hallbar.followups.publication import (
    PUBLIC_DEFAULT_SORT,
    PublicFilters,
    public_choices,
    public_record,
    public_results,
)
from hallbar.followups.selectors import (
    audits_for,
    deviations_for,
    documents_for,
    filter_followups,
    flagged_contracts,
    open_zero_tolerance,
    sites_for,
    supplier_languages,
    timeline,
    with_deviation_counts,
    with_lights,
)
from hallbar.followups.states import State, can_transition
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Region
from hallbar.suppliers import access as suppliers_access
from hallbar.suppliers.models import country_name

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from hallbar.followups.selectors import FollowUpWithCount

PAGE_SIZE = 50


# --- the list and the case --------------------------------------------------------------------


def followup_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_list_followups(user):
        raise Http404
    if follows_cases_in_portal(user):
        return redirect("portal:home")  # its cases, its to-do list; the API gives the same rows
    followups = with_deviation_counts(
        filter_followups(followups_visible_to(user), request.GET), user
    )
    if (export := request.GET.get("format")) in {"csv", "xlsx"}:
        return _export(followups, export)
    page = Paginator(followups, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_lights(page.object_list)
    return render(
        request,
        "followups/followup_list.html",
        {
            "page": page,
            "rows": rows,
            "params": request.GET,
            "statuses": State.choices,
            "types": FollowUpType.choices,
            "regions": Region.objects.select_related("organisation").order_by("county_code"),
            "can_open": can_open_followups(user),
            "can_triage": can_triage_reports(user) or can_register_grievances(user),
            "light_labels": LIGHT_LABELS,
        },
    )


def _export(followups: "QuerySet[FollowUpWithCount]", export: str) -> HttpResponse:
    rows = with_lights(followups)
    header = [
        "reference",
        "year",
        "supplier",
        "org_number",
        "type",
        "status",
        "lead_region",
        "lead_area",
        "due_date",
        "deviations",
        "light",
    ]
    data = [
        [
            f.reference,
            f.year,
            f.supplier.name,
            f.supplier.org_number,
            f.get_followup_type_display(),
            f.get_status_display(),
            f.lead_region.name,
            f.lead_area.code if f.lead_area else "",
            f.due_date.isoformat() if f.due_date else "",
            f.deviation_count,
            f.light,
        ]
        for f in rows
    ]
    stamp = timezone.localdate().isoformat()
    return table_download(
        header, data, export=export, name=f"followups-{stamp}", sheet_title="Uppföljningar"
    )


def followup_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_open_followups(request.user):
        raise Http404
    form = OpenFollowUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.open_followups(
                lines=data["suppliers"].splitlines(),
                year=data["year"],
                followup_type=data["followup_type"],
                lead_region=data["lead_region"],
                lead_area=data["lead_area"],
                cost_sek=data["cost_sek"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s case opened.", "%(count)s cases opened.", len(created))
                % {"count": len(created)},
            )
            if len(created) == 1:
                return redirect("followups:followup-detail", created[0].public_id)
            return redirect("followups:followup-list")
    return render(
        request,
        "followups/form_page.html",
        {"form": form, "title": _("Open follow-up cases"), "submit": _("Open")},
    )


def followup_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup(request.user, public_id)
    if reads_case_in_portal(request.user, access):
        return redirect("portal:case", public_id=access.followup.public_id)
    followup = access.followup
    response = getattr(followup, "response", None)
    answers = []
    if response is not None and (access.can_manage or followup.status not in {State.SENT}):
        values = dict(response.answers.values_list("question_id", "value"))
        for question in response.questionnaire.questions.select_related("requirement"):
            answers.append((question, values.get(question.pk, "")))
    assessments = {a.requirement_id: a for a in followup.assessments.select_related("requirement")}
    # each process requirement with its assessment, if any
    requirements = [
        (requirement, assessments.get(requirement.pk))
        for requirement in followup.clause.process_requirements.order_by("number")
    ]
    plan = getattr(followup, "action_plan", None)
    context = {
        "access": access,
        "followup": followup,
        "light": case_light(followup),
        "light_labels": LIGHT_LABELS,
        "overdue": overdue_reasons([followup]).get(followup.pk, []),
        "events": timeline(access),
        "answers": answers,
        "response": response,
        "requirements": requirements,
        "assessed": bool(assessments),
        "audits": audits_for(access),
        "deviations": deviations_for(access),
        "plan": plan,
        "documents": documents_for(access),
        "sanctions": followup.sanctions.select_related("deviation", "contract"),
        "participants": services.participating_regions(followup.supplier),
        "flagged": flagged_contracts(followup),
        "sites": sites_for(access),
        "can_publish": access.can_manage and services.can_publish(followup),
        "shows_cost": sees_case_cost(access),
        "history": history_for(followup)[:20] if access.can_manage else [],
    }
    if access.can_manage:
        context.update(
            {
                "send_form": SendForm() if followup.status == State.PLANNED else None,
                "can_assess": followup.status in {State.ANSWERED, State.ASSESSED},
                "can_return": followup.status == State.ANSWERED,
                "can_audit": followup.status
                in {State.PLANNED, State.ASSESSED, State.OFFICE_AUDIT, State.DEVIATIONS},
                "can_deviate": followup.status in services.DEVIATION_STATES,
                "can_close": can_transition(followup.status, State.CLOSED),
                "can_cancel": can_transition(followup.status, State.CANCELLED),
                "can_review_plan": plan is not None and plan.status == "submitted",
                "supplier_languages": supplier_languages(followup),
                "can_record_remedy": can_record_remedy(access),
            }
        )
    return render(request, "followups/followup_detail.html", context)


# --- the lead's moves -------------------------------------------------------------------------


@require_POST
def followup_send(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    else:
        try:
            services.send_self_assessment(
                access.followup, due_date=form.cleaned_data["due_date"], acting_user=request.user
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The self-assessment has been sent to the supplier."))
    return redirect("followups:followup-detail", public_id)


def followup_assess(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    followup = access.followup
    requirements = list(followup.clause.process_requirements.order_by("number"))
    existing = {a.requirement_id: a for a in followup.assessments.all()}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        verdicts = {
            r.pk: (request.POST.get(f"verdict-{r.pk}", ""), request.POST.get(f"comment-{r.pk}", ""))
            for r in requirements
        }
        try:
            services.assess(followup, verdicts=verdicts, acting_user=request.user)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect("followups:followup-detail", public_id)
    response = getattr(followup, "response", None)
    values = dict(response.answers.values_list("question_id", "value")) if response else {}
    rows = []
    for requirement in requirements:
        previous = existing.get(requirement.pk)
        questions = (
            [
                (q, values.get(q.pk, ""), list(q.documents.filter(followup=followup)))
                for q in requirement.questions.filter(questionnaire=followup.questionnaire)
            ]
            if response
            else []
        )
        rows.append(
            {
                "requirement": requirement,
                "verdict": request.POST.get(f"verdict-{requirement.pk}")
                or (previous.verdict if previous else ""),
                "comment": request.POST.get(f"comment-{requirement.pk}")
                or (previous.comment if previous else ""),
                "errors": errors.get(f"r{requirement.pk}", []),
                "questions": questions,
            }
        )
    return render(
        request,
        "followups/assess.html",
        {
            "followup": followup,
            "rows": rows,
            "verdicts": Assessment.Verdict.choices,
            "general_errors": errors.get("", []) + errors.get("__all__", []),
        },
    )


@require_POST
def followup_return(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    try:
        services.return_for_completion(
            access.followup, comment=request.POST.get("comment", ""), acting_user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The answers have been returned to the supplier."))
    return redirect("followups:followup-detail", public_id)


def _case_form_page(request, access, form_class, title, submit, run, **form_kwargs):
    form = form_class(request.POST or None, request.FILES or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("followups:followup-detail", access.followup.public_id)
    return render(
        request,
        "followups/form_page.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "followup": access.followup,
            "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
        },
    )


def deviation_supplier_text(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The lead writes what the supplier reads of a confidential or grievance-based deviation."""
    deviation = access_deviation_for_manage(request.user, public_id)
    access = access_followup_for_manage(request.user, deviation.followup.public_id)

    def run(data):
        services.set_supplier_description(deviation, text=data["text"], acting_user=request.user)
        messages.success(request, _("The description for the supplier has been saved."))

    return _case_form_page(
        request,
        access,
        SupplierDescriptionForm,
        _("Description for the supplier of deviation %(number)s") % {"number": deviation.number},
        _("Save"),
        run,
        initial={"text": deviation.supplier_description},
    )


def deviation_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """Record a deviation: the lead, or the assigned auditor recording a finding directly."""
    access = access_followup(request.user, public_id)
    if not (access.can_manage or access.is_auditor):
        raise Http404

    def run(data):
        audit = data["audit"]
        if access.is_auditor and not access.can_manage:
            audit = audit or access.followup.audits.filter(auditor=request.user).first()
            if audit is None or audit.auditor_id != request.user.pk:
                raise ValidationError({"audit": _("Choose your audit.")})
        services.record_deviation(
            access.followup,
            acting_user=request.user,
            requirement=data["requirement"],
            commitment=data["commitment"],
            area=data["area"],
            severity=data["severity"],
            description=data["description"],
            source="audit" if access.is_auditor and not access.can_manage else data["source"],
            site=data["site"],
            audit=audit,
            found_on=data["found_on"],
            zero_tolerance=data["zero_tolerance"],
            confidential=data["confidential"],
            supplier_description=data["supplier_description"],
        )
        messages.success(request, _("The deviation has been recorded."))

    return _case_form_page(
        request,
        access,
        DeviationForm,
        _("Record a deviation"),
        _("Record"),
        run,
        followup=access.followup,
    )


def remedy_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The lead records remedy delivered on a deviation, verified (with how and by whom)."""
    access, deviation = access_deviation_for_remedy(request.user, public_id)
    form = RemedyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_remedy(
                deviation,
                acting_user=request.user,
                description=data["description"],
                people_reached=data["people_reached"],
                amount_repaid_sek=data["amount_repaid_sek"],
                delivered_on=data["delivered_on"],
                verification=data["verification"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The remedy has been recorded as verified."))
            return redirect(_deviation_anchor(access.followup.public_id, deviation))
    return render(
        request,
        "followups/remedy_form.html",
        {
            "form": form,
            "title": _("Record remedy delivered"),
            "submit": _("Record as verified"),
            "followup": access.followup,
            "deviation": deviation,
            "deviation_label": deviation.label,
            "deviation_text": deviation.description,
            "back": reverse("followups:followup-detail", args=[access.followup.public_id]),
        },
    )


def _deviation_anchor(followup_id, deviation) -> str:
    return reverse("followups:followup-detail", args=[followup_id]) + f"#dev-{deviation.pk}"


def remedy_review(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The lead verifies remedy the supplier reported (how and by whom) or rejects it (why)."""
    access, remedy = access_remedy_for_review(request.user, public_id)
    verify_form = VerifyRemedyForm(
        request.POST if request.POST.get("decision") == "verify" else None
    )
    reject_form = RejectRemedyForm(
        request.POST if request.POST.get("decision") == "reject" else None
    )
    if request.method == "POST":
        form = verify_form if request.POST.get("decision") == "verify" else reject_form
        if form.is_bound and form.is_valid():
            try:
                if form is verify_form:
                    services.verify_remedy(
                        remedy,
                        acting_user=request.user,
                        verification=form.cleaned_data["verification"],
                    )
                    messages.success(request, _("The remedy is verified."))
                else:
                    services.reject_remedy(
                        remedy, acting_user=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request, _("The remedy is not verified; the supplier is told why.")
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_deviation_anchor(access.followup.public_id, remedy.deviation))
    return render(
        request,
        "followups/remedy_review.html",
        {
            "followup": access.followup,
            "remedy": remedy,
            "deviation": remedy.deviation,
            "verify_form": verify_form,
            "reject_form": reject_form,
            "open": remedy.status == remedy.Status.REPORTED,
        },
    )


def audit_order(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)

    def run(data):
        services.order_audit(
            access.followup,
            kind=data["kind"],
            firm=data["firm"],
            auditor=data["auditor"],
            sites=data["sites"],
            planned_date=data["planned_date"],
            cost_sek=data["cost_sek"],
            critical=data["critical"],
            zero_tolerance_signal=data["zero_tolerance_signal"],
            acting_user=request.user,
        )
        messages.success(request, _("The audit has been assigned."))

    return _case_form_page(
        request,
        access,
        OrderAuditForm,
        _("Order an audit"),
        _("Assign"),
        run,
        followup=access.followup,
    )


def sanction_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)

    def run(data):
        sanction = services.record_sanction(
            access.followup,
            kind=data["kind"],
            deviation=data["deviation"],
            contract=data["contract"],
            decided_on=data["decided_on"],
            note=data["note"],
            acting_user=request.user,
        )
        messages.success(
            request, _("Sanction recorded: %(s)s.") % {"s": sanction.get_kind_display()}
        )

    return _case_form_page(
        request,
        access,
        SanctionForm,
        _("Record a sanction"),
        _("Record"),
        run,
        followup=access.followup,
    )


@require_POST
def plan_review(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    try:
        services.review_action_plan(
            access.followup,
            accept=request.POST.get("decision") == "accept",
            comment=request.POST.get("comment", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The review of the action plan has been saved."))
    return redirect("followups:followup-detail", public_id)


@require_POST
def action_verify(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("plan__followup"), public_id=public_id)
    access = access_followup_for_manage(request.user, action.plan.followup.public_id)
    try:
        services.verify_action(
            action,
            accepted=request.POST.get("decision") == "verify",
            verification=request.POST.get("verification", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The verification has been saved."))
    return redirect("followups:followup-detail", access.followup.public_id)


@require_POST
def followup_close(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    try:
        services.close_followup(
            access.followup, note=request.POST.get("note", ""), acting_user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The case is closed."))
    return redirect("followups:followup-detail", public_id)


def followup_cancel(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)

    def run(data):
        services.cancel_followup(access.followup, reason=data["reason"], acting_user=request.user)
        messages.success(request, _("The case is cancelled."))

    return _case_form_page(
        request, access, ReasonForm, _("Cancel the case?"), _("Cancel the case"), run
    )


@require_POST
def followup_publish(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_for_manage(request.user, public_id)
    try:
        services.publish_summary(access.followup, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The anonymised summary is published."))
    return redirect("followups:followup-detail", public_id)


# --- audits and documents ----------------------------------------------------------------------


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The auditor's own audits: open ones first, then the reported, each with site and date."""
    if not can_list_own_audits(request.user):
        raise Http404
    audits = (
        audits_assigned_to(request.user)
        .select_related("followup__supplier", "firm")
        .prefetch_related("sites")
        .order_by("planned_date", "created_at")
    )
    open_audits = [a for a in audits if a.status != a.Status.REPORTED]
    reported = [a for a in audits if a.status == a.Status.REPORTED]
    return render(
        request, "followups/audit_list.html", {"open_audits": open_audits, "reported": reported}
    )


def audit_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    audit, can_edit = access_audit(request.user, public_id)
    form = AuditWorkForm(request.POST or None, request.FILES or None, instance=audit)
    if request.method == "POST" and can_edit and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_audit(
                audit,
                acting_user=request.user,
                documents_reviewed=data["documents_reviewed"],
                interviews=data["interviews"],
                report=data["report"],
                performed_date=data["performed_date"],
                report_file=data["report_file"],
                finish="finish" in request.POST,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The audit has been saved."))
            return redirect("followups:audit-detail", public_id)
    followup = audit.followup
    return render(
        request,
        "followups/audit_detail.html",
        {
            "audit": audit,
            "followup": followup,
            "form": form,
            "can_edit": can_edit,
            "sites": suppliers_access.sites_for(request.user, followup.supplier, audit.sites.all()),
            "reports": audit.report_documents.all(),
            "findings": audit.deviations.all(),
            "can_record": followup.status in services.DEVIATION_STATES,
            # the lead goes back to the case; the auditor to the list of its audits
            "lead": can_manage(request.user, followup),
        },
    )


def document_download(request: AuthenticatedHttpRequest, public_id) -> FileResponse:
    document = access_document(request.user, public_id)
    try:
        path = files.absolute_path(document.stored_path)
        handle = path.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    try:
        # recorded before a byte is served: a download that cannot be logged does not happen
        audit.record(
            audit.Kind.DOWNLOAD,
            request=request,
            obj=document,
            object_label=document.filename,
            detail={
                "file": document.filename,
                "purpose": document.purpose,
                "confidential": document.confidential,
                "sha256": document.sha256,
                "followup": str(document.followup.public_id) if document.followup else None,
            },
        )
    except Exception:
        handle.close()
        raise
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- reports and grievances --------------------------------------------------------------------


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (can_triage_reports(user) or can_register_grievances(user)):
        raise Http404
    form = GrievanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suppliers, errors = services.find_suppliers([data["supplier"]])
        if errors:
            form.add_error("supplier", errors)
        else:
            try:
                report = services.submit_report(
                    kind=Report.Kind.GRIEVANCE,
                    supplier=suppliers[0],
                    description=data["description"],
                    known_on=data["known_on"],
                    area=data["area"],
                    country=data["country"].upper(),
                    channel=data["channel"],
                    acting_user=user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The grievance has been registered."))
                if can_triage_reports(user):
                    return redirect("followups:report-detail", report.public_id)
                return redirect("followups:report-list")
    reports = reports_visible_to(user).select_related("supplier", "followup")
    if status := request.GET.get("status"):
        reports = reports.filter(status=status)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/report_list.html",
        {"page": page, "form": form, "params": request.GET, "statuses": Report.Status.choices},
    )


def report_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    report, can_triage = access_report(request.user, public_id)
    form = TriageForm(request.POST or None)
    if request.method == "POST":
        if not can_triage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.triage_report(
                    report,
                    dismiss=data["decision"] == "dismiss",
                    note=data["note"],
                    lead_region=data["lead_region"],
                    supplier_description=data["supplier_description"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report has been triaged."))
                return redirect("followups:report-detail", public_id)
    return render(
        request,
        "followups/report_detail.html",
        {
            "report": report,
            "form": form if can_triage and report.status == "new" else None,
            "late": services.report_is_late(report),
            "documents": report.documents.all(),
            "portal": follows_cases_in_portal(request.user),
        },
    )


# --- public results ----------------------------------------------------------------------------


@login_not_required
def results_list(request: HttpRequest) -> HttpResponse:
    """The published, anonymised summaries: filtered by year, category and country, sorted."""
    filters = PublicFilters.from_params(request.GET)
    page = Paginator(public_results(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    choices = public_choices()
    return render(
        request,
        "followups/results_list.html",
        {
            "page": page,
            "records": [public_record(f) for f in page.object_list],
            "filters": filters,
            "years": choices["years"],
            "categories": sorted(choices["categories"], key=lambda category: category.name),
            "countries": sorted(
                ((code, country_name(code)) for code in choices["countries"]),
                key=lambda pair: pair[1],
            ),
            "default_sort": PUBLIC_DEFAULT_SORT,
        },
    )


@login_not_required
def results_detail(request: HttpRequest, public_id) -> HttpResponse:
    followup = get_object_or_404(public_results(), public_id=public_id)
    return render(
        request,
        "followups/results_detail.html",
        {"followup": followup, "record": public_record(followup)},
    )


def supplier_followups_section(request: AuthenticatedHttpRequest, supplier) -> dict:
    """The follow-up section of the supplier page: its light and the cases this user may see."""
    return {
        "followups": followups_visible_to(request.user)
        .filter(supplier=supplier)
        .select_related("lead_region__organisation")
        .order_by("-year", "-reference")[:20],
        "light": supplier_lights([supplier.pk])[supplier.pk],
        "light_labels": LIGHT_LABELS,
        "portal": follows_cases_in_portal(request.user),
    }


def contract_zero_tolerance_alert(request: AuthenticatedHttpRequest, contract) -> dict | None:
    """The contract page's alert: an open zero-tolerance deviation flags an active contract."""
    if (
        sees_contract_internals(request.user)
        and contract.status == Contract.Status.ACTIVE
        and open_zero_tolerance(contract)
    ):
        return {}
    return None
