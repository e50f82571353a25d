"""Who may see and change what in the training package: every visibility rule of the app.

- Everyone with a role takes the published modules written for them (and may open any published
  module); the secretariat writes modules, lessons and questions (the question bank of a draft: list, edit, delete), uploads images, assigns
  modules to roles and sees drafts.
- A person sees only their own attempts and certificates (the secretariat sees all); the public
  verification page shows only a certificate's name, module and date.
- Participation: the secretariat and the steering group see every region; a region's
  sustainability contact sees their own region(s); nobody else sees anyone's participation.
Missing and forbidden give the same 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from hallbar.organisations.models import Region, Role, User
from hallbar.training.models import (
    Attempt,
    Certificate,
    LessonImage,
    Module,
    ModuleStatus,
    Question,
)


def can_take_training(user: User) -> bool:
    """Return whether user has the training pages: anyone holding a role."""
    return user.is_authenticated and bool(user.roles)


def can_edit_training(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def modules_visible_to(user: User) -> QuerySet[Module]:
    """Return the module versions user may open: published ones; the secretariat sees all."""
    if not can_take_training(user):
        return Module.objects.none()
    if can_edit_training(user):
        return Module.objects.all()
    return Module.objects.filter(status=ModuleStatus.PUBLISHED)


def access_module(user: User, public_id) -> Module:
    module = modules_visible_to(user).filter(public_id=public_id).first()
    if module is None:
        raise Http404
    return module


def access_module_for_edit(user: User, public_id) -> Module:
    """Return a module user may change: a draft, for the secretariat."""
    if not can_edit_training(user):
        raise Http404
    module = Module.objects.filter(public_id=public_id, status=ModuleStatus.DRAFT).first()
    if module is None:
        raise Http404
    return module


def access_question_for_edit(user: User, public_id, question_id) -> Question:
    """Return a question of a draft module, for the secretariat."""
    module = access_module_for_edit(user, public_id)
    question = module.questions.filter(public_id=question_id).first()
    if question is None:
        raise Http404
    return question


def access_module_for_publish(user: User, public_id) -> Module:
    """Return a module version the secretariat may publish or start a new version of."""
    if not can_edit_training(user):
        raise Http404
    module = Module.objects.filter(public_id=public_id).first()
    if module is None:
        raise Http404
    return module


def access_image(user: User, public_id) -> LessonImage:
    """An image shows to whoever may open its module."""
    image = LessonImage.objects.filter(
        public_id=public_id, module__in=modules_visible_to(user)
    ).first()
    if image is None:
        raise Http404
    return image


def access_attempt(user: User, public_id) -> Attempt:
    """Return an attempt of user's own (the secretariat may read anyone's)."""
    if not can_take_training(user):
        raise Http404
    attempts = Attempt.objects.select_related("module")
    if not can_edit_training(user):
        attempts = attempts.filter(user=user)
    attempt = attempts.filter(public_id=public_id).first()
    if attempt is None:
        raise Http404
    return attempt


def access_certificate(user: User, public_id) -> Certificate:
    """Return a certificate of user's own (the secretariat may download anyone's)."""
    if not can_take_training(user):
        raise Http404
    certificates = Certificate.objects.select_related("module", "user")
    if not can_edit_training(user):
        certificates = certificates.filter(user=user)
    certificate = certificates.filter(public_id=public_id).first()
    if certificate is None:
        raise Http404
    return certificate


def verified_certificate(code: str) -> dict | None:
    """Return what the public verification page may show of the certificate with code: the
    name, the module and the date, and nothing else."""
    certificate = Certificate.objects.select_related("module").filter(code=code.upper()).first()
    if certificate is None:
        return None
    return {
        "name": certificate.holder_name,
        "module_sv": certificate.module.title_sv,
        "module_en": certificate.module.title_en,
        "issued_on": certificate.issued_on,
    }


def can_view_participation(user: User) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP)
        or bool(user.region_ids(Role.REGION_CONTACT))
    )


def participation_regions(user: User) -> QuerySet[Region]:
    """Return the regions whose participation user may see."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP):
        return Region.objects.all()
    return Region.objects.filter(pk__in=user.region_ids(Role.REGION_CONTACT))


def sees_all_regions(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP)
