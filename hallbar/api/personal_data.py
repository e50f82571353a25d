"""The API's part of personal data: a person's tokens (never the secrets), removed on anonymising."""

from typing import Any

from hallbar.api.models import ApiToken


def _when(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def api_tokens(user) -> list[dict[str, Any]]:
    """Return user's API tokens without their secret or its hash."""
    return [
        {
            "name": t.name,
            "scope": t.scope,
            "begins_with": t.prefix,
            "created_at": _when(t.created_at),
            "expires_on": _when(t.expires_on),
            "last_used_at": _when(t.last_used_at),
            "revoked_at": _when(t.revoked_at),
        }
        for t in ApiToken.objects.filter(user=user).order_by("pk")
    ]


def remove_api_tokens(user) -> int:
    """Delete all of user's API tokens; return how many."""
    return ApiToken.objects.filter(user=user).delete()[0]
