"""Pages of the training package. Access → form → service → redirect; every gate is in access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallbar.core import audit
from hallbar.core.charts import Bar, bar_chart
from hallbar.core.http import attachment, table_download
from hallbar.core.markdown import render_authored
from hallbar.organisations.models import Region, Role
from hallbar.training import access, selectors, services
from hallbar.training.certificates import certificate_pdf
from hallbar.training.forms import (
    ImageForm,
    LessonForm,
    ModuleForm,
    PublishForm,
    QuestionForm,
    RoleAssignmentForm,
    options_text,
)
from hallbar.training.models import (
    Attempt,
    Lesson,
    Module,
    ModuleStatus,
    Option,
    Question,
    RoleAssignment,
)


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _gate(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- taking the training ---------------------------------------------------------------------


def index(request):
    _gate(access.can_take_training(request.user))
    rows = selectors.my_modules(request.user)
    return render(
        request,
        "training/index.html",
        {
            "rows": rows,
            "completed": sum(1 for r in rows if r.certificate),
            "assigned": sum(1 for r in rows if r.assignment),
            "can_edit": access.can_edit_training(request.user),
            "can_view_participation": access.can_view_participation(request.user),
        },
    )


def module_detail(request, public_id):
    module = access.access_module(request.user, public_id)
    certificate = (
        request.user.training_certificates.filter(module__key=module.key)
        .select_related("module")
        .first()
    )
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "lessons": list(module.lessons.all()),
            "certificate": certificate,
            "can_edit": access.can_edit_training(request.user) and module.is_draft,
            "wait_until": services.next_attempt_at(request.user, module),
            "question_count": module.questions.count(),
        },
    )


def lesson(request, public_id, position):
    module = access.access_module(request.user, public_id)
    lessons = list(module.lessons.all())
    index = next((i for i, item in enumerate(lessons) if item.position == position), None)
    if index is None:
        raise Http404
    current = lessons[index]
    return render(
        request,
        "training/lesson.html",
        {
            "module": module,
            "lesson": current,
            "body": render_authored(current.body_in(_language())),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "number": index + 1,
            "count": len(lessons),
        },
    )


def _quiz_items(attempt: Attempt, language: str) -> list[dict]:
    """Return the drawn questions with their options in the drawn order: texts and the
    attempt's option tokens (the page names options by token, never by id), never whether an
    option is right."""
    questions = Question.objects.in_bulk([d["question"] for d in attempt.draw])
    options = Option.objects.in_bulk([o for d in attempt.draw for o in d["options"]])
    tokens = services.option_tokens(attempt)
    items = []
    for number, (drawn, token_of) in enumerate(zip(attempt.draw, tokens, strict=True), start=1):
        question = questions[drawn["question"]]
        items.append(
            {
                "number": number,
                "name": f"q{question.pk}",
                "text": question.text_in(language),
                "multiple": question.kind == Question.Kind.MULTIPLE,
                "options": [
                    {"id": pk, "token": token_of[pk], "text": options[pk].text_in(language)}
                    for pk in drawn["options"]
                ],
            }
        )
    return items


def quiz(request, public_id):
    """GET shows the open attempt's questions (or a button to start one); POST starts an
    attempt ("start") or submits the open one. Starting is a POST: a GET never writes."""
    module = access.access_module(request.user, public_id)
    if module.status != ModuleStatus.PUBLISHED and not access.can_edit_training(request.user):
        raise Http404
    attempt = Attempt.objects.filter(
        user=request.user, module=module, submitted_at__isnull=True
    ).first()
    if request.method == "POST":
        if "start" in request.POST:
            try:
                services.start_attempt(user=request.user, module=module)
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect("training:module", module.public_id)
            return redirect("training:quiz", module.public_id)
        if attempt is None:
            return redirect("training:module", module.public_id)
        chosen = {
            str(d["question"]): request.POST.getlist(f"q{d['question']}") for d in attempt.draw
        }
        try:
            answers = services.answers_from_tokens(attempt, chosen)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return render(
                request,
                "training/quiz.html",
                {
                    "module": module,
                    "attempt": attempt,
                    "items": _quiz_items(attempt, _language()),
                    "wait_until": None,
                },
                status=400,
            )
        attempt = services.submit_attempt(
            attempt=attempt, answers=answers, acting_user=request.user
        )
        return redirect("training:attempt", attempt.public_id)
    return render(
        request,
        "training/quiz.html",
        {
            "module": module,
            "attempt": attempt,
            "items": _quiz_items(attempt, _language()) if attempt else [],
            "wait_until": None if attempt else services.next_attempt_at(request.user, module),
        },
    )


def attempt_result(request, public_id):
    attempt = access.access_attempt(request.user, public_id)
    if attempt.submitted_at is None:
        return redirect("training:quiz", attempt.module.public_id)
    language = _language()
    items = _quiz_items(attempt, language)
    right = {
        o.pk
        for o in Option.objects.filter(
            question_id__in=[d["question"] for d in attempt.draw], is_correct=True
        )
    }
    for item, drawn in zip(items, attempt.draw, strict=True):
        chosen = set(attempt.answers.get(str(drawn["question"]), []))
        for option in item["options"]:
            option["chosen"] = option["id"] in chosen
            option["right"] = option["id"] in right
        item["correct"] = chosen == {o["id"] for o in item["options"] if o["right"]}
    certificate = getattr(attempt, "certificate", None) if attempt.passed else None
    return render(
        request,
        "training/attempt.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "items": items,
            "certificate": certificate,
            "wait_until": services.next_attempt_at(attempt.user, attempt.module),
        },
    )


def certificate_download(request, public_id):
    certificate = access.access_certificate(request.user, public_id)
    pdf = certificate_pdf(
        certificate, language=_language(), base_url=request.build_absolute_uri("/")
    )
    return attachment(
        pdf,
        f"certificate-{certificate.code}.pdf",
        "application/pdf",
        kind=audit.Kind.DOWNLOAD,
        obj=certificate,
    )


@login_not_required
def verify(request, code):
    if request.method != "GET":
        return HttpResponse(status=405)
    found = access.verified_certificate(code)
    return render(
        request,
        "training/verify.html",
        {
            "found": found,
            "code": code,
            "module_title": (found["module_en"] if _language() == "en" else found["module_sv"])
            if found
            else "",
        },
        status=200 if found else 404,
    )


def image(request, public_id):
    picture = access.access_image(request.user, public_id)
    response = HttpResponse(bytes(picture.data), content_type=picture.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- the secretariat's pages ---------------------------------------------------------------------


def manage(request):
    _gate(access.can_edit_training(request.user))
    modules = list(Module.objects.all())
    by_key: dict[str, list[Module]] = {}
    for module in modules:
        by_key.setdefault(module.key, []).append(module)
    form = RoleAssignmentForm(modules=Module.objects.published())
    if request.method == "POST":
        form = RoleAssignmentForm(request.POST, modules=Module.objects.published())
        if form.is_valid():
            try:
                services.assign_to_role(**form.cleaned_data, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The module is assigned."))
                return redirect("training:manage")
    titles = {m.key: m.title for m in modules if m.status == ModuleStatus.PUBLISHED}
    return render(
        request,
        "training/manage.html",
        {
            "groups": sorted(by_key.values(), key=lambda versions: versions[0].order),
            "form": form,
            "role_assignments": [
                (a, titles.get(a.module_key, "")) for a in RoleAssignment.objects.all()
            ],
        },
    )


def module_create(request):
    _gate(access.can_edit_training(request.user))
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.save_module(module=form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("training:module", module.public_id)
    return render(request, "training/form.html", {"form": form, "title": _("New module")})


def module_edit(request, public_id):
    module = access.access_module_for_edit(request.user, public_id)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_module(module=form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("training:module", module.public_id)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Edit the module"), "module": module},
    )


def lesson_edit(request, public_id, lesson_id=None):
    module = access.access_module_for_edit(request.user, public_id)
    instance = (
        get_object_or_404(Lesson, module=module, public_id=lesson_id)
        if lesson_id
        else Lesson(module=module, position=module.lessons.count() + 1)
    )
    form = LessonForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_lesson(lesson=form.save(commit=False), acting_user=request.user)
        return redirect("training:module", module.public_id)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": _("Edit the lesson") if lesson_id else _("New lesson"),
            "module": module,
            "markdown_help": True,
            "images": list(module.images.all()),
        },
    )


def question_create(request, public_id):
    module = access.access_module_for_edit(request.user, public_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(module=module, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("training:module", module.public_id)
    return render(
        request, "training/form.html", {"form": form, "title": _("New question"), "module": module}
    )


def question_list(request, public_id):
    module = access.access_module_for_edit(request.user, public_id)
    return render(
        request,
        "training/questions.html",
        {"module": module, "questions": list(module.questions.prefetch_related("options"))},
    )


def question_edit(request, public_id, question_id):
    question = access.access_question_for_edit(request.user, public_id, question_id)
    module = question.module
    initial = {
        "kind": question.kind,
        "text_sv": question.text_sv,
        "text_en": question.text_en,
        "options": options_text(question),
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(
                question=question, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("training:questions", module.public_id)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Edit the question"), "module": module},
    )


def question_delete(request, public_id, question_id):
    question = access.access_question_for_edit(request.user, public_id, question_id)
    module = question.module
    if request.method == "POST":
        try:
            services.delete_question(question=question, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The question is deleted."))
        return redirect("training:questions", module.public_id)
    return render(
        request,
        "training/question_confirm_delete.html",
        {"module": module, "question": question, "text": question.text_in(_language())},
    )


def image_upload(request, public_id):
    module = access.access_module_for_edit(request.user, public_id)
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            picture = services.upload_image(
                module=module,
                name=upload.name,
                data=upload.read(services.MAX_IMAGE_BYTES + 1),
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error("image", error)
        else:
            messages.success(
                request,
                _("The image is uploaded. Show it in a lesson with: %(markdown)s")
                % {"markdown": f"![…]({reverse('training:image', args=[picture.public_id])})"},
            )
            return redirect("training:module", module.public_id)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Upload an image"), "module": module, "multipart": True},
    )


@require_POST
def module_publish(request, public_id):
    module = access.access_module_for_edit(request.user, public_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_module(
                module=module,
                change_note=form.cleaned_data["change_note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            services.sync_assignments()
            messages.success(request, _("The module is published."))
    else:
        messages.error(request, _("Say briefly what changed."))
    return redirect("training:module", module.public_id)


@require_POST
def module_new_version(request, public_id):
    module = access.access_module_for_publish(request.user, public_id)
    draft = services.start_new_version(module, acting_user=request.user)
    return redirect("training:module", draft.public_id)


# --- participation ---------------------------------------------------------------------------


def participation(request):
    _gate(access.can_view_participation(request.user))
    regions = access.participation_regions(request.user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    rows = selectors.participation(regions, year=year)
    modules = selectors.published_modules()
    role_labels = dict(Role.choices)
    table = [
        {
            "region": row.region,
            "role": str(role_labels[role]),
            "module": module,
            "cell": row.cells[(role, module.key)],
        }
        for row in rows
        for role in selectors.REGION_ROLES
        for module in modules
        if (role, module.key) in row.cells
    ]
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        return table_download(
            [_("Region"), _("Role"), _("Module"), _("People"), _("Completed")],
            [
                (
                    r["region"].name,
                    r["role"],
                    r["module"].title,
                    r["cell"].people,
                    r["cell"].completed,
                )
                for r in table
            ],
            export=export,
            name="training-participation",
            sheet_title=_("Participation"),
        )
    national = access.sees_all_regions(request.user)
    chart = None
    if national:
        chart = bar_chart(
            [
                Bar(
                    label=row.region.county_code,
                    value=round(row.assigned_share * 100),
                    display="–" if row.assigned_percent is None else f"{row.assigned_percent} %",
                )
                for row in rows
            ],
            title=_("Share of assigned modules completed, per region (county code)"),
        )
    return render(
        request,
        "training/participation.html",
        {
            "rows": rows,
            "table": table,
            "national": national,
            "chart": chart,
            "untrained": selectors.untrained_contracts(regions),
            "year": year,
            "today": timezone.localdate(),
        },
    )


def portal_training_section(request, _page_object) -> dict | None:
    """The supplier portal's training section: the supplier modules offered while the company is
    followed up (``selectors.supplier_module_offer``), titled in the reader's language."""
    modules = selectors.supplier_module_offer(request.user)
    if not modules:
        return None
    language = get_language() or "sv"
    return {"modules": [(module, module.title_in(language)) for module in modules]}


def region_training_section(request, region) -> dict | None:
    """The region page's training section: the region's assigned modules and how many are
    completed, for those who may see the region's participation."""
    if not access.participation_regions(request.user).filter(pk=region.pk).exists():
        return None
    regions = Region.objects.filter(pk=region.pk)
    return {
        "row": selectors.participation(regions)[0],
        "untrained": len(selectors.untrained_contracts(regions)),
    }
