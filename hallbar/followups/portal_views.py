"""The supplier portal: a supplier contact sees only its own company's questionnaires, deviations
and action plans, answers with evidence, writes action plans and reports zero-tolerance
deviations."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallbar.core.forms import add_service_errors, flash_errors
from hallbar.core.sections import sections_for
from hallbar.followups import files, services
from hallbar.followups.access import (
    access_deviation_as_supplier,
    access_followup_as_supplier,
    can_report_remedy,
    can_use_portal,
    deviation_label_for,
    deviation_text_for,
    followups_visible_to,
    reports_visible_to,
    supplier_organisation_ids,
)
from hallbar.followups.deadlines import LIGHT_LABELS, case_light, supplier_lights
from hallbar.followups.forms import ReportForm, SupplierRemedyForm
from hallbar.followups.models import Action, Document, Report
from hallbar.followups.selectors import deviations_for, timeline
from hallbar.followups.states import State
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.suppliers.models import Supplier

MAX_NEW_ACTIONS = 3  # empty action rows offered per deviation


def _own_suppliers(user) -> list[Supplier]:
    if not can_use_portal(user):
        raise Http404
    return list(Supplier.objects.filter(organisation_id__in=supplier_organisation_ids(user)))


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    suppliers = _own_suppliers(request.user)
    followups = (
        followups_visible_to(request.user)
        .filter(supplier__in=suppliers)
        .select_related("supplier", "lead_region")
        .order_by("-year", "-reference")
    )
    lights = supplier_lights([s.pk for s in suppliers])
    for supplier in suppliers:
        supplier.light = lights.get(supplier.pk, "green")
    todo = [f for f in followups if f.status in {State.SENT, State.DEVIATIONS, State.ACTION_PLAN}]
    return render(
        request,
        "followups/portal_home.html",
        {
            "suppliers": suppliers,
            "followups": followups,
            "todo": todo,
            "reports": reports_visible_to(request.user).select_related("supplier"),
            "light_labels": LIGHT_LABELS,
            # sections of the apps above, e.g. the training offered while the company is followed up
            "sections": sections_for("portal:home", request, None),
        },
    )


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _answer_rows(followup, response, post=None, errors=None) -> list[dict]:
    """Return each question with its answer (the posted one while the form is being corrected),
    its evidence with dates, and its errors."""
    errors = errors or {}
    values = dict(response.answers.values_list("question_id", "value"))
    documents: dict[int | None, list[Document]] = {}
    for document in followup.documents.filter(purpose=Document.Purpose.EVIDENCE):
        documents.setdefault(document.question_id, []).append(document)
    rows = []
    for question in response.questionnaire.questions.select_related("requirement"):
        value = values.get(question.pk, "")
        if post is not None:
            value = post.get(f"q{question.pk}", value)
        rows.append(
            {
                "question": question,
                "value": value,
                "documents": documents.get(question.pk, []),
                "errors": errors.get(f"q{question.pk}", []),
            }
        )
    return rows


def case(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_as_supplier(request.user, public_id)
    followup = access.followup
    response = getattr(followup, "response", None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and "answers" in request.POST and response is not None:
        step = request.POST.get("answers")
        if step == "confirm":
            errors = _submit(request, followup)
            if not errors:
                return redirect("portal:receipt", public_id)
        else:
            # a submit saves the draft first, so that nothing the supplier gave is lost
            errors = _save_answers(request, followup)
            if not errors and step == "submit":
                errors = services.missing_answers(followup)
                if errors:
                    messages.error(
                        request,
                        _(
                            "Your answers and evidence are saved as a draft. Complete the "
                            "questions marked, then submit."
                        ),
                    )
                else:
                    return render(
                        request,
                        "followups/portal_confirm.html",
                        {
                            "followup": followup,
                            "response": response,
                            "rows": _answer_rows(followup, response),
                        },
                    )
            elif not errors:
                messages.success(request, _("Your draft has been saved."))
                return redirect("portal:case", public_id)
    rows = []
    if response is not None:
        rows = _answer_rows(
            followup, response, request.POST if request.method == "POST" else None, errors
        )
    deviations = deviations_for(access)
    plan = getattr(followup, "action_plan", None)
    plan_open = followup.status in {State.DEVIATIONS, State.ACTION_PLAN} and (
        plan is None or plan.status in {"draft", "rejected"}
    )
    for deviation in deviations:
        deviation.new_rows = range(MAX_NEW_ACTIONS) if deviation.is_open else range(0)
    return render(
        request,
        "followups/portal_case.html",
        {
            "followup": followup,
            "response": response,
            "rows": rows,
            "editable": followup.status == State.SENT,
            "general_errors": errors.get("__all__", []),
            "deviations": deviations,
            "plan": plan,
            "plan_open": plan_open,
            "events": timeline(access),
            "light": case_light(followup),
            "light_labels": LIGHT_LABELS,
            "accept": files.ACCEPT,
            "can_report_remedy": can_report_remedy(access),
        },
    )


def _save_answers(request: AuthenticatedHttpRequest, followup) -> dict[str, list[str]]:
    """Save the posted answers and evidence as a draft; return the errors by question."""
    questions = followup.response.questionnaire.questions.all()
    answers = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
    uploads = []
    for question in questions:
        upload = request.FILES.get(f"file{question.pk}")
        if upload is not None:
            uploads.append(
                (
                    question.pk,
                    upload,
                    _parse_date(request.POST.get(f"date{question.pk}", "")),
                    request.POST.get(f"secret{question.pk}") == "on",
                )
            )
    try:
        services.save_answers(
            followup, answers=answers, uploads=uploads, submit=False, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(
            request,
            _(
                "Some answers could not be saved; see the questions marked. The evidence that "
                "was accepted is kept: you do not need to upload it again."
            ),
        )
        if hasattr(error, "error_dict"):
            return error.message_dict
        return {"__all__": error.messages}
    return {}


def _submit(request: AuthenticatedHttpRequest, followup) -> dict[str, list[str]]:
    """Submit the saved answers, once the supplier has confirmed them."""
    try:
        services.save_answers(followup, answers={}, submit=True, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _("The answers could not be submitted; see the questions marked."))
        if hasattr(error, "error_dict"):
            return error.message_dict
        return {"__all__": error.messages}
    messages.success(request, _("Your answers have been submitted."))
    return {}


def receipt(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The receipt of submitted answers: a printable page with every answer, the evidence and
    the time of submission."""
    access = access_followup_as_supplier(request.user, public_id)
    followup = access.followup
    response = getattr(followup, "response", None)
    if response is None or response.submitted_at is None:
        raise Http404
    return render(
        request,
        "followups/portal_receipt.html",
        {
            "followup": followup,
            "response": response,
            "rows": _answer_rows(followup, response),
        },
    )


@require_POST
def plan_save(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    access = access_followup_as_supplier(request.user, public_id)
    followup = access.followup
    deviations = {str(d.pk): d for d in followup.deviations.all()}
    actions = []
    for key, deviation in deviations.items():
        for index in range(MAX_NEW_ACTIONS + 20):
            prefix = f"d{key}-{index}-"
            description = request.POST.get(prefix + "description", "").strip()
            if not description:
                continue
            actions.append(
                {
                    "deviation": deviation,
                    "description": description,
                    "owner": request.POST.get(prefix + "owner", ""),
                    "deadline": _parse_date(request.POST.get(prefix + "deadline", "")),
                }
            )
    submit = request.POST.get("plan") == "submit"
    try:
        services.save_action_plan(
            followup, actions=actions, submit=submit, acting_user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Your action plan has been submitted.")
            if submit
            else _("Your draft has been saved."),
        )
    return redirect("portal:case", public_id)


@require_POST
def action_done(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("plan__followup"), public_id=public_id)
    access = access_followup_as_supplier(request.user, action.plan.followup.public_id)
    try:
        services.report_action_done(
            action,
            note=request.POST.get("note", ""),
            evidence=request.FILES.get("evidence"),
            document_date=_parse_date(request.POST.get("document_date", "")),
            acting_user=request.user,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The action has been reported done."))
    return redirect("portal:case", access.followup.public_id)


def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    suppliers = _own_suppliers(request.user)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                kind=Report.Kind.ZERO_TOLERANCE,
                supplier=suppliers[0],
                zero_tolerance_item=data["zero_tolerance_item"],
                description=data["description"],
                known_on=data["known_on"],
                country=data["country"].upper(),
                attachment=data["attachment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The report has been sent to the secretariat."))
            return redirect("portal:home")
    return render(
        request,
        "followups/form_page.html",
        {
            "form": form,
            "title": _("Report a zero-tolerance deviation"),
            "intro": _(
                "The contract clause obliges the supplier to report zero-tolerance deviations "
                "in its supply chain to the regions promptly."
            ),
            "submit": _("Send the report"),
            "multipart": True,
        },
    )


def remedy_report(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The supplier reports remedy delivered to the people a deviation harmed; the lead region
    verifies it."""
    access, deviation = access_deviation_as_supplier(request.user, public_id)
    form = SupplierRemedyForm(request.POST or None)
    back = reverse("portal:case", args=[access.followup.public_id])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_remedy(
                deviation,
                acting_user=request.user,
                description=data["description"],
                people_reached=data["people_reached"],
                amount_repaid_sek=data["amount_repaid_sek"],
                delivered_on=data["delivered_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. The lead region will verify the remedy you reported.")
            )
            return redirect(back + f"#dev-{deviation.pk}")
    return render(
        request,
        "followups/remedy_form.html",
        {
            "form": form,
            "title": _("Report remedy delivered"),
            "intro": _(
                "Tell the regions what was done for the people the deviation harmed: for "
                "example recruitment fees repaid to workers. The lead region verifies it."
            ),
            "submit": _("Report the remedy"),
            "followup": access.followup,
            "deviation": deviation,
            "deviation_label": deviation_label_for(access, deviation),
            "deviation_text": deviation_text_for(access, deviation),
            "back": back,
            "portal": True,
        },
    )
