"""The follow-up case's states and the moves between them (plain Python, no database).

The normal path is planned → sent → answered → assessed → office audit → factory audit →
deviations → action plan → verified → closed. The process allows shortcuts and escalations: a case
with no deviations closes after its assessment or audit; a critical risk starts with an office
audit; a zero-tolerance signal goes straight to a factory audit; an answer can be returned for
completion; an action plan that is not enough goes back to the deviations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PLANNED = "planned", _("planned")
    SENT = "sent", _("self-assessment sent")
    ANSWERED = "answered", _("answered")
    ASSESSED = "assessed", _("assessed")
    OFFICE_AUDIT = "office_audit", _("office audit")
    FACTORY_AUDIT = "factory_audit", _("factory audit")
    DEVIATIONS = "deviations", _("deviations found")
    ACTION_PLAN = "action_plan", _("action plan")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATES = frozenset(State) - {State.CLOSED, State.CANCELLED}

# Every allowed move: from → to. The services add the conditions (who, and what must exist).
TRANSITIONS: dict[str, frozenset[str]] = {
    State.PLANNED: frozenset(
        {State.SENT, State.OFFICE_AUDIT, State.FACTORY_AUDIT, State.CANCELLED}
    ),
    State.SENT: frozenset({State.ANSWERED, State.CANCELLED}),
    State.ANSWERED: frozenset({State.SENT, State.ASSESSED, State.DEVIATIONS, State.CANCELLED}),
    State.ASSESSED: frozenset(
        {State.OFFICE_AUDIT, State.FACTORY_AUDIT, State.DEVIATIONS, State.CLOSED, State.CANCELLED}
    ),
    State.OFFICE_AUDIT: frozenset(
        {State.FACTORY_AUDIT, State.DEVIATIONS, State.CLOSED, State.CANCELLED}
    ),
    State.FACTORY_AUDIT: frozenset({State.DEVIATIONS, State.CLOSED, State.CANCELLED}),
    State.DEVIATIONS: frozenset({State.ACTION_PLAN, State.FACTORY_AUDIT, State.CANCELLED}),
    State.ACTION_PLAN: frozenset({State.DEVIATIONS, State.VERIFIED}),
    State.VERIFIED: frozenset({State.CLOSED, State.DEVIATIONS}),
    State.CLOSED: frozenset(),
    State.CANCELLED: frozenset(),
}


class TransitionError(ValueError):
    """A move the process does not allow from the case's current state."""


def check_transition(current: str, target: str) -> None:
    """Raise TransitionError unless the process allows moving from current to target."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("A case that is “%(current)s” cannot become “%(target)s”.")
            % {"current": State(current).label, "target": State(target).label}
        )


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
