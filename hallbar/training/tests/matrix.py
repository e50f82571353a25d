"""The training package's cases of the access matrix (``hallbar/core/tests/test_access_matrix.py``).

The training objects are made the first time a case asks for them, inside the matrix's world
(whose transaction is rolled back at the end): the published package, a draft of one module
with a lesson and an image, alice's passed attempt and its certificate (a fixed code, so that
the public verification URL names no object).
"""

from dataclasses import dataclass

from hallbar.demo.training import load_training_package
from hallbar.training import services
from hallbar.training.models import Attempt, Certificate, LessonImage, Module, Option

VERIFY_CODE = "TEST-CODE-2345"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class TrainingWorld:
    module: Module  # published
    draft: Module
    lesson_draft: object
    question_draft: object  # a question of the draft
    question_to_delete: object  # another, which the delete page's writer deletes
    image: LessonImage  # of the published module
    attempt: Attempt  # alice's, passed
    certificate: Certificate


def training_world(world) -> TrainingWorld:
    cached = getattr(world, "_training", None)
    if cached:
        return cached
    cast = world.cast
    modules = {m.key: m for m in load_training_package(acting_user=cast.secretariat)}
    module = modules["why-sustainable-procurement"]
    image = LessonImage.objects.create(
        module=module, name="bild.png", content_type="image/png", data=PNG
    )
    draft = services.start_new_version(modules["contract-clause"], acting_user=cast.secretariat)
    question_to_delete = services.add_question(
        module=draft,
        kind="single",
        text_sv="Att ta bort?",
        text_en="To delete?",
        options=[("Ja", "Yes", True), ("Nej", "No", False)],
        acting_user=cast.secretariat,
    )
    attempt = services.start_attempt(user=cast.alice, module=module)
    right = {
        str(d["question"]): list(
            Option.objects.filter(question_id=d["question"], is_correct=True).values_list(
                "pk", flat=True
            )
        )
        for d in attempt.draw
    }
    attempt = services.submit_attempt(attempt=attempt, answers=right, acting_user=cast.alice)
    certificate = attempt.certificate
    certificate.code = VERIFY_CODE
    certificate.save(update_fields=["code"])
    built = TrainingWorld(
        module=module,
        draft=draft,
        lesson_draft=draft.lessons.first(),
        question_draft=draft.questions.exclude(pk=question_to_delete.pk).first(),
        question_to_delete=question_to_delete,
        image=image,
        attempt=attempt,
        certificate=certificate,
    )
    world._training = built
    return built


def _ids(*attributes):
    return lambda w: tuple(getattr(training_world(w), a).public_id for a in attributes)


def training_cases(case, post_only, *, everyone, secretariat):
    """Return the training cases, made with the matrix's own case helpers."""
    with_role = tuple(who for who in everyone if who != "nobody")
    own = ("secretariat", "alice")
    participation = ("secretariat", "steering", "contact_jamtland")
    module = _ids("module")
    draft = _ids("draft")
    lesson = {"position": 1, "title_sv": "T", "title_en": "T", "body_sv": "x", "body_en": "y"}
    return [
        case("training:index", readers=with_role),
        case("training:module", module, variant="published", readers=with_role),
        case("training:module", draft, variant="draft", readers=secretariat),
        case("training:lesson", lambda w: (*module(w), 1), readers=with_role),
        case("training:quiz", module, readers=with_role, writers=with_role),
        case("training:attempt", _ids("attempt"), readers=own),
        case("training:certificate", _ids("certificate"), readers=own),
        case("training:verify", [VERIFY_CODE], readers=everyone),
        case("training:image", _ids("image"), readers=with_role),
        case("training:manage", readers=secretariat, writers=secretariat),
        case("training:module-create", readers=secretariat, writers=secretariat),
        case("training:module-edit", draft, readers=secretariat, writers=secretariat),
        case(
            "training:lesson-create", draft, readers=secretariat, writers=secretariat, data=lesson
        ),
        case(
            "training:lesson-edit",
            lambda w: (training_world(w).draft.public_id, training_world(w).lesson_draft.public_id),
            readers=secretariat,
            writers=secretariat,
            data=lesson,
        ),
        case("training:question-create", draft, readers=secretariat, writers=secretariat),
        case("training:questions", draft, readers=secretariat),
        case(
            "training:question-edit",
            _ids("draft", "question_draft"),
            readers=secretariat,
            writers=secretariat,
        ),
        case(
            "training:question-delete",
            _ids("draft", "question_to_delete"),
            readers=secretariat,
            writers=secretariat,
        ),
        case("training:image-upload", draft, readers=secretariat, writers=secretariat),
        post_only("training:module-publish", draft, writers=secretariat),
        post_only("training:module-new-version", module, writers=secretariat),
        case("training:participation", readers=participation),
        case(
            "training:participation",
            variant="csv",
            query="?format=csv",
            readers=participation,
        ),
    ]
