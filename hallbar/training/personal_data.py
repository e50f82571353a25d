"""The training part of a person's export: their attempts and certificates."""

from typing import Any

from hallbar.training.models import Attempt, Certificate


def _when(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def training_record(user) -> dict[str, list[dict[str, Any]]]:
    """Return user's training attempts (score, passed) and certificates."""
    attempts = Attempt.objects.filter(user=user).select_related("module").order_by("pk")
    certificates = Certificate.objects.filter(user=user).select_related("module").order_by("pk")
    return {
        "attempts": [
            {
                "module": str(a.module),
                "started": _when(a.created_at),
                "submitted": _when(a.submitted_at),
                "score": a.score,
                "passed": a.passed,
            }
            for a in attempts
        ],
        "certificates": [
            {
                "module": str(c.module),
                "code": c.code,
                "holder_name": c.holder_name,
                "organisation_name": c.organisation_name,
                "role": c.role,
                "issued_on": _when(c.issued_on),
            }
            for c in certificates
        ],
    }
