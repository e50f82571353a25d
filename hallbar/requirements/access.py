"""Who may see and change the requirement library. Missing and forbidden both give 404.

The cooperation reads the whole library, drafts included (the steering group reviews them); only
the secretariat edits. Auditors and supplier contacts read the Code of Conduct and the contract
clause as released (the published version and the superseded ones that older contracts still
cite), never drafts and never the criteria.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from hallbar.organisations.access import can_view_cooperation
from hallbar.organisations.models import Role, User
from hallbar.requirements.models import (
    CodeOfConduct,
    ContractClause,
    Criterion,
    LibraryVersion,
)

# The items outside parties must know: they are bound by them.
SUPPLIER_FACING = (CodeOfConduct, ContractClause)


def can_read_library(user: User) -> bool:
    """Return whether user may read the whole library, drafts and criteria included."""
    return can_view_cooperation(user)


def can_edit_library(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def can_read_released_documents(user: User) -> bool:
    """Return whether user may read the released Code of Conduct and contract clause."""
    if can_read_library(user):
        return True
    return user.is_authenticated and user.has_role(Role.AUDITOR, Role.SUPPLIER_CONTACT)


def can_see_version(user: User, version: LibraryVersion) -> bool:
    if can_read_library(user):
        return True
    return (
        isinstance(version, SUPPLIER_FACING)
        and not version.is_draft
        and can_read_released_documents(user)
    )


def can_see_kind(user: User, model: type[LibraryVersion]) -> bool:
    """Return whether user may see any version of model's items at all."""
    if can_read_library(user):
        return True
    return model in SUPPLIER_FACING and can_read_released_documents(user)


def require_library_view(user: User) -> None:
    if not can_read_library(user):
        raise Http404


def require_kind_view(user: User, model: type[LibraryVersion]) -> None:
    if not can_see_kind(user, model):
        raise Http404


def require_library_edit(user: User) -> None:
    if not can_edit_library(user):
        raise Http404


def _get(model: type[LibraryVersion], public_id) -> LibraryVersion:
    try:
        return model.objects.get(public_id=public_id)
    except (model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_version(user: User, model: type[LibraryVersion], public_id) -> tuple:
    """Return (version, can_edit); 404 when it is missing or user may not see it."""
    if not can_see_kind(user, model):
        raise Http404
    version = _get(model, public_id)
    if not can_see_version(user, version):
        raise Http404
    return version, can_edit_library(user) and version.is_draft


def access_version_for_write(user: User, model: type[LibraryVersion], public_id):
    """Return the version for the secretariat to change; 404 for anyone else or when missing."""
    require_library_edit(user)
    return _get(model, public_id)


def access_code(user: User, public_id) -> tuple[CodeOfConduct, bool]:
    return access_version(user, CodeOfConduct, public_id)


def access_code_for_write(user: User, public_id) -> CodeOfConduct:
    return access_version_for_write(user, CodeOfConduct, public_id)


def access_clause(user: User, public_id) -> tuple[ContractClause, bool]:
    return access_version(user, ContractClause, public_id)


def access_clause_for_write(user: User, public_id) -> ContractClause:
    return access_version_for_write(user, ContractClause, public_id)


def access_criterion(user: User, public_id) -> tuple[Criterion, bool]:
    return access_version(user, Criterion, public_id)


def access_criterion_for_write(user: User, public_id) -> Criterion:
    return access_version_for_write(user, Criterion, public_id)


def can_download_version(user: User | AnonymousUser, version: LibraryVersion) -> bool:
    """Return whether user may download the version as a file for tender documents.

    A released Code of Conduct or contract clause (published, or superseded and still cited by
    older contracts) is a public document: anyone may download it, signed in or not. A draft is
    the library's working material: only those who read drafts.
    """
    if not isinstance(version, SUPPLIER_FACING):
        return False
    return not version.is_draft or (isinstance(user, User) and can_read_library(user))


def access_version_for_download(user: User | AnonymousUser, model: type[LibraryVersion], public_id):
    """Return the version to download; 404 when it is missing or user may not download it."""
    version = _get(model, public_id)
    if not can_download_version(user, version):
        raise Http404
    return version
