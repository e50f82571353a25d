"""Writes of the training package: one atomic function per change (docs/DESIGN.md, "Training")."""

import random
import secrets
from datetime import date, datetime, timedelta
from functools import partial
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from hallbar.categories.selectors import prioritised_in
from hallbar.contracts.models import Contract
from hallbar.core.history import record_change
from hallbar.organisations.models import Organisation, Region, Role, User
from hallbar.risk.models import RiskAnalysis
from hallbar.training.models import (
    Assignment,
    Attempt,
    Audience,
    Certificate,
    Lesson,
    LessonImage,
    Module,
    ModuleStatus,
    Option,
    Question,
    RoleAssignment,
)

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
NOT_A_DRAFT = gettext_lazy("Only a draft can be changed.")
WAIT_BEFORE_RETAKE = gettext_lazy("You can take the quiz again from %(time)s.")
NO_QUESTIONS = gettext_lazy("The module has no questions yet.")
UNKNOWN_ANSWER = gettext_lazy(
    "The answers do not match the quiz. Open the quiz again and answer anew."
)
# The automatic assignments of a contract's contact are due this long after they are made.
CONTRACT_ASSIGNMENT_DAYS = 90


# --- modules, lessons, questions, images --------------------------------------------------------


@transaction.atomic
def save_module(*, module: Module, acting_user: User) -> Module:
    created = module.pk is None
    if not created and module.status != ModuleStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    module.full_clean()
    module.save()
    record_change(module, action="created" if created else "updated", acting_user=acting_user)
    return module


@transaction.atomic
def save_lesson(*, lesson: Lesson, acting_user: User) -> Lesson:
    if lesson.module.status != ModuleStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    created = lesson.pk is None
    lesson.full_clean()
    lesson.save()
    record_change(lesson, action="created" if created else "updated", acting_user=acting_user)
    return lesson


@transaction.atomic
def add_question(
    *,
    module: Module,
    kind: str,
    text_sv: str,
    text_en: str,
    options: list[tuple[str, str, bool]],
    acting_user: User,
) -> Question:
    """Add a question with its options (Swedish text, English text, right or not)."""
    if module.status != ModuleStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    _check_options(kind, options)
    question = Question(module=module, kind=kind, text_sv=text_sv, text_en=text_en)
    question.full_clean()
    question.save()
    Option.objects.bulk_create(
        [Option(question=question, text_sv=sv, text_en=en, is_correct=ok) for sv, en, ok in options]
    )
    record_change(question, action="created", acting_user=acting_user)
    return question


QUESTION_IN_USE = gettext_lazy(
    "The question has been drawn in a quiz attempt and can no longer be changed; add a new one."
)


def _check_question_change(question: Question) -> None:
    if question.module.status != ModuleStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    if any(d["question"] == question.pk for a in question.module.attempts.all() for d in a.draw):
        raise ValidationError(QUESTION_IN_USE)


def _check_options(kind: str, options: list[tuple[str, str, bool]]) -> None:
    right = sum(1 for _sv, _en, ok in options if ok)
    if len(options) < 2 or right < 1:
        raise ValidationError(_("Give at least two options and mark at least one as right."))
    if kind == Question.Kind.SINGLE and right != 1:
        raise ValidationError(_("A question with one right answer needs exactly one right option."))


@transaction.atomic
def update_question(
    *,
    question: Question,
    kind: str,
    text_sv: str,
    text_en: str,
    options: list[tuple[str, str, bool]],
    acting_user: User,
) -> Question:
    """Change a draft's question and replace its options (Swedish text, English text, right)."""
    _check_question_change(question)
    _check_options(kind, options)
    question.kind, question.text_sv, question.text_en = kind, text_sv, text_en
    question.full_clean()
    question.save(update_fields=["kind", "text_sv", "text_en", "updated_at"])
    question.options.all().delete()
    Option.objects.bulk_create(
        [Option(question=question, text_sv=sv, text_en=en, is_correct=ok) for sv, en, ok in options]
    )
    record_change(question, action="updated", acting_user=acting_user)
    return question


@transaction.atomic
def delete_question(*, question: Question, acting_user: User) -> None:
    _check_question_change(question)
    record_change(question, action="deleted", acting_user=acting_user)
    question.delete()


def image_type(data: bytes) -> str | None:
    """Return the image type the bytes show (PNG or JPEG that Pillow can read), or None."""
    kind = next((t for magic, t in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return kind


@transaction.atomic
def upload_image(*, module: Module, name: str, data: bytes, acting_user: User) -> LessonImage:
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."))
    kind = image_type(data)
    if kind is None:
        raise ValidationError(_("Upload a PNG or JPEG image."))
    image = LessonImage.objects.create(
        module=module, name=name[:200] or "image", content_type=kind, data=data
    )
    record_change(image, action="created", acting_user=acting_user)
    return image


@transaction.atomic
def publish_module(*, module: Module, change_note: str, acting_user: User) -> Module:
    """Publish a draft; the published version of the same module is superseded."""
    if module.status != ModuleStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    if not change_note.strip():
        raise ValidationError(_("Say briefly what changed."))
    if not module.questions.exists():
        raise ValidationError(NO_QUESTIONS)
    now = timezone.now()
    Module.objects.filter(key=module.key, status=ModuleStatus.PUBLISHED).update(
        status=ModuleStatus.SUPERSEDED
    )
    module.status = ModuleStatus.PUBLISHED
    module.change_note = change_note.strip()[:300]
    module.published_at = now
    module.save(update_fields=["status", "change_note", "published_at", "updated_at"])
    record_change(
        module, action="updated", acting_user=acting_user, changes={"status": "published"}
    )
    return module


@transaction.atomic
def start_new_version(module: Module, *, acting_user: User) -> Module:
    """Return the draft of module's key, made as a copy of module if there is none."""
    draft = Module.objects.filter(key=module.key, status=ModuleStatus.DRAFT).first()
    if draft:
        return draft
    latest = Module.objects.filter(key=module.key).order_by("-version").first()
    if latest is None:  # module itself has the key, so this means it was never saved
        raise ValueError(f"Module {module.key!r} has no saved version to copy.")
    lessons = list(module.lessons.all())
    questions = list(module.questions.prefetch_related("options"))
    images = list(module.images.all())
    draft = module
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.public_id = Module._meta.get_field("public_id").default()
    draft.version = latest.version + 1
    draft.status = ModuleStatus.DRAFT
    draft.change_note = ""
    draft.published_at = None
    draft.save()
    # The copies of the images get new addresses; the lessons' links are moved to them, so that
    # the new version's lessons show its own images (the old version's stop showing to learners
    # once it is superseded).
    moved: dict[str, str] = {}
    for image in images:
        image_copy = LessonImage.objects.create(
            module=draft, name=image.name, content_type=image.content_type, data=image.data
        )
        moved[reverse("training:image", args=[image.public_id])] = reverse(
            "training:image", args=[image_copy.public_id]
        )

    def relinked(body: str) -> str:
        for old, new in moved.items():
            body = body.replace(old, new)
        return body

    for lesson in lessons:
        Lesson.objects.create(
            module=draft,
            position=lesson.position,
            title_sv=lesson.title_sv,
            title_en=lesson.title_en,
            body_sv=relinked(lesson.body_sv),
            body_en=relinked(lesson.body_en),
        )
    for question in questions:
        copy = Question.objects.create(
            module=draft, kind=question.kind, text_sv=question.text_sv, text_en=question.text_en
        )
        Option.objects.bulk_create(
            [
                Option(question=copy, text_sv=o.text_sv, text_en=o.text_en, is_correct=o.is_correct)
                for o in question.options.all()
            ]
        )
    record_change(draft, action="created", acting_user=acting_user)
    return draft


# --- quizzes -----------------------------------------------------------------------------------


def next_attempt_at(user: User, module: Module) -> datetime | None:
    """Return when user may start a new attempt at module's quiz (None: now)."""
    last = (
        Attempt.objects.filter(user=user, module__key=module.key, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .first()
    )
    if last is None or last.passed or last.submitted_at is None:
        return None
    at = last.submitted_at + timedelta(minutes=module.retake_wait_minutes)
    return at if at > timezone.now() else None


@transaction.atomic
def start_attempt(*, user: User, module: Module, rng: random.Random | None = None) -> Attempt:
    """Return user's open attempt at module, or draw a new one: questions and option orders."""
    open_attempt = Attempt.objects.filter(
        user=user, module=module, submitted_at__isnull=True
    ).first()
    if open_attempt:
        return open_attempt
    wait = next_attempt_at(user, module)
    if wait is not None:
        raise ValidationError(
            WAIT_BEFORE_RETAKE,
            params={"time": timezone.localtime(wait).strftime("%Y-%m-%d %H:%M")},
        )
    questions = list(module.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError(NO_QUESTIONS)
    rng = rng or random.SystemRandom()
    drawn = rng.sample(questions, min(module.questions_per_attempt, len(questions)))
    draw = []
    for question in drawn:
        options = [o.pk for o in question.options.all()]
        rng.shuffle(options)
        draw.append({"question": question.pk, "options": options, "tokens": _tokens(len(options))})
    return Attempt.objects.create(user=user, module=module, draw=draw)


def _tokens(count: int) -> list[str]:
    """Return count distinct random tokens: what the quiz page names the options by, so that
    neither their database ids (which rise in the order written) nor anything else on the page
    tells a right option from a wrong one."""
    tokens: list[str] = []
    while len(tokens) < count:
        token = secrets.token_urlsafe(6)
        if token not in tokens:
            tokens.append(token)
    return tokens


def option_tokens(attempt: Attempt) -> list[dict[int, str]]:
    """Return, per drawn question, each option's token (made and saved now for an attempt drawn
    before the tokens were introduced)."""
    if any(len(d.get("tokens", [])) != len(d["options"]) for d in attempt.draw):
        for drawn in attempt.draw:
            drawn["tokens"] = _tokens(len(drawn["options"]))
        attempt.save(update_fields=["draw", "updated_at"])
    return [dict(zip(d["options"], d["tokens"], strict=True)) for d in attempt.draw]


def answers_from_tokens(attempt: Attempt, chosen: dict[str, list[str]]) -> dict[str, list[int]]:
    """Return the option ids that chosen (question id → option tokens, as submitted) names.

    A token that is not one of the question's in this attempt is refused (ValidationError):
    a forged or stale form is not scored."""
    answers: dict[str, list[int]] = {}
    for drawn, tokens in zip(attempt.draw, option_tokens(attempt), strict=True):
        by_token = {token: pk for pk, token in tokens.items()}
        submitted = chosen.get(str(drawn["question"]), [])
        if any(token not in by_token for token in submitted):
            raise ValidationError(UNKNOWN_ANSWER)
        answers[str(drawn["question"])] = sorted({by_token[token] for token in submitted})
    return answers


def score_answers(attempt: Attempt, answers: dict[str, list[int]]) -> int:
    """Return the percentage of drawn questions answered exactly right."""
    right_options: dict[int, set[int]] = {
        o.question_id: set()
        for o in Option.objects.filter(question_id__in=[d["question"] for d in attempt.draw])
    }
    for option in Option.objects.filter(
        question_id__in=[d["question"] for d in attempt.draw], is_correct=True
    ):
        right_options[option.question_id].add(option.pk)
    right = sum(
        1
        for d in attempt.draw
        if set(answers.get(str(d["question"]), [])) == right_options.get(d["question"], set())
    )
    return round(100 * right / len(attempt.draw)) if attempt.draw else 0


@transaction.atomic
def submit_attempt(
    *, attempt: Attempt, answers: dict[str, list[int]], acting_user: User
) -> Attempt:
    """Record the answers, score them, and issue a certificate on a pass."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        return attempt
    allowed = {str(d["question"]): set(d["options"]) for d in attempt.draw}
    clean = {
        q: sorted({int(o) for o in answers.get(q, []) if int(o) in allowed[q]}) for q in allowed
    }
    attempt.answers = clean
    attempt.score = score_answers(attempt, clean)
    attempt.passed = attempt.score >= attempt.module.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "score", "passed", "submitted_at", "updated_at"])
    record_change(
        attempt,
        action="created",
        acting_user=acting_user,
        changes={"score": attempt.score, "passed": attempt.passed},
    )
    if attempt.passed:
        issue_certificate(attempt)
    return attempt


def _holder(user: User) -> tuple[str, Region | None, str]:
    """Return the organisation's name, region and role the certificate records for user."""
    memberships = user.active_memberships
    preferred: list[str] = [
        Role.BUYER,
        Role.REGION_CONTACT,
        Role.AREA_COORDINATOR,
        Role.SECRETARIAT,
    ]
    memberships = sorted(
        memberships,
        key=lambda m: preferred.index(m.role) if m.role in preferred else len(preferred),
    )
    if not memberships:
        return "", None, ""
    membership = memberships[0]
    organisation = membership.organisation
    region = organisation.region if organisation.kind == Organisation.Kind.REGION else None
    return organisation.name, region, membership.role


def issue_certificate(attempt: Attempt) -> Certificate:
    organisation, region, role = _holder(attempt.user)
    return Certificate.objects.create(
        user=attempt.user,
        module=attempt.module,
        attempt=attempt,
        holder_name=attempt.user.get_full_name() or attempt.user.username,
        organisation_name=organisation,
        region=region,
        role=role,
        issued_on=timezone.localdate(attempt.submitted_at),
    )


# --- assignments -------------------------------------------------------------------------------


@transaction.atomic
def assign_to_role(
    *, module_key: str, role: str, due_date: date, acting_user: User
) -> RoleAssignment:
    """Assign a module to everyone holding role, by due_date (a later call moves the date)."""
    if not Module.objects.filter(key=module_key, status=ModuleStatus.PUBLISHED).exists():
        raise ValidationError(_("Only a published module can be assigned."))
    assignment, _created = RoleAssignment.objects.update_or_create(
        module_key=module_key, role=role, defaults={"due_date": due_date, "created_by": acting_user}
    )
    record_change(assignment, action="created", acting_user=acting_user)
    sync_assignments()
    return assignment


def contract_contacts(year: int) -> list[tuple[User, Contract, set[str]]]:
    """Return (contact, contract, high-risk areas) for every active contract in a category
    prioritised in year.

    The contract's contact is the buyer who registered it (``Contract.created_by``) if they
    still hold the buyer role in one of the contract's buying regions; the platform has no other
    named contact on the buying side (``dd_contact_*`` are the supplier's). The areas are those
    the category's approved risk analyses class as high.
    """
    prioritised = prioritised_in(year)
    contracts = (
        Contract.objects.filter(
            status=Contract.Status.ACTIVE, category__in=prioritised, created_by__isnull=False
        )
        .select_related("created_by", "category")
        .prefetch_related("regions")
    )
    high: dict[int, set[str]] = {}
    for analysis in RiskAnalysis.objects.approved().filter(category__in=prioritised):
        areas = (analysis.results or {}).get("areas", {})
        high.setdefault(analysis.category_id, set()).update(
            area for area, result in areas.items() if result.get("class") == "high"
        )
    rows = []
    for contract in contracts:
        contact = contract.created_by
        if contact is None or not contact.is_active:
            continue
        regions = contact.region_ids(Role.BUYER)
        if not regions & {r.pk for r in contract.regions.all()}:
            continue
        rows.append((contact, contract, high.get(contract.category_id, set())))
    return rows


@transaction.atomic
def sync_assignments(*, today: date | None = None) -> int:
    """Create the assignments the rules call for; return how many were created.

    - Every active holder of a role with a RoleAssignment gets that module, due on its date.
    - The contact of an active contract in a prioritised category gets the published buyer and
      contract-manager modules that deepen an area the category's risk analysis classes high,
      due CONTRACT_ASSIGNMENT_DAYS later.
    An existing assignment is kept as it is (an earlier date is not moved).
    """
    today = today or timezone.localdate()
    existing = set(Assignment.objects.values_list("user_id", "module_key"))
    new: list[Assignment] = []

    def add(user_id: int, key: str, due: date, source: str, contract=None) -> None:
        if (user_id, key) in existing:
            return
        existing.add((user_id, key))
        new.append(
            Assignment(
                user_id=user_id, module_key=key, due_date=due, source=source, contract=contract
            )
        )

    for role_assignment in RoleAssignment.objects.all():
        holders = User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role=role_assignment.role
        ).distinct()
        for user_id in holders.values_list("pk", flat=True):
            add(
                user_id,
                role_assignment.module_key,
                role_assignment.due_date,
                Assignment.Source.ROLE,
            )

    buyer_modules = [
        m
        for m in Module.objects.published()
        if set(m.audiences) & {Audience.BUYER, Audience.CONTRACT_MANAGER} and m.areas
    ]
    due = today + timedelta(days=CONTRACT_ASSIGNMENT_DAYS)
    for contact, contract, areas in contract_contacts(today.year):
        for module in buyer_modules:
            if set(module.areas) & areas:
                add(contact.pk, module.key, due, Assignment.Source.CONTRACT, contract)
    Assignment.objects.bulk_create(new)
    return len(new)


def completed_keys(user: User) -> set[str]:
    return set(
        Certificate.objects.filter(user=user).values_list("module__key", flat=True).distinct()
    )


def module_url(module: Module) -> str:
    """Return the absolute address of a module's page, for mails (settings.HALLBAR_BASE_URL)."""
    return settings.HALLBAR_BASE_URL + reverse("training:module", args=[module.public_id])


def send_overdue_reminders(*, today: date | None = None) -> int:
    """Mail each person once about each overdue assignment not yet completed, in the person's
    language (``User.mail_language``) with an absolute link to the module; return how many
    assignments were reminded about. Run daily by the ``training_reminders`` command (cron)."""
    today = today or timezone.localdate()
    overdue = Assignment.objects.filter(
        due_date__lt=today, reminded_at__isnull=True
    ).select_related("user")
    titles = {m.key: m for m in Module.objects.published()}
    count = 0
    for assignment in overdue:
        user = assignment.user
        if assignment.module_key in completed_keys(user) or not user.email:
            continue
        module = titles.get(assignment.module_key)
        if module is None:
            continue
        language = user.mail_language
        with override(language):
            title = module.title_in(language)
            subject = _("Training overdue: %(module)s") % {"module": title}
            body = _(
                "The training module %(module)s was to be completed by %(due)s. "
                "You find it under Training in hallbar:"
            ) % {"module": title, "due": date_format(assignment.due_date, "DATE_FORMAT")}
            body += "\n\n" + module_url(module) + "\n"
        with transaction.atomic():
            updated = Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if updated:
                transaction.on_commit(partial(send_mail, subject, body, None, [user.email]))
                count += 1
    return count
