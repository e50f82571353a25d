"""Who may see and revoke API tokens. Missing and forbidden both give 404.

Everyone signed in may make tokens for themselves: a token acts as its person, with exactly
that person's rights, so it gives nobody more than the pages do. Each person sees and revokes
their own tokens; the secretariat sees every token (never a secret: none is stored) and may
revoke any, so that the token of someone who has left, or one that leaked, can be stopped at
once without the owner.
"""

from django.db.models import QuerySet
from django.http import Http404

from hallbar.api.models import ApiToken
from hallbar.organisations.models import User


def can_make_tokens(user: User) -> bool:
    return user.is_authenticated and user.is_active


def sees_all_tokens(user: User) -> bool:
    """Return whether user sees (and may revoke) every person's tokens: the secretariat."""
    return user.is_authenticated and user.is_secretariat


def tokens_visible_to(user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    return tokens if sees_all_tokens(user) else tokens.filter(user=user)


def access_token_for_revoke(user: User, public_id) -> ApiToken:
    """Return the token user may revoke (an own token; any for the secretariat), else 404."""
    try:
        return tokens_visible_to(user).get(public_id=public_id)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404 from None
