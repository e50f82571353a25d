"""Remedy delivered to the people a deviation harmed: recorded by the lead (verified at once), or
reported by the supplier and then verified or rejected by the lead. Only verified remedy counts
in the dashboards and the annual report (selectors.verified_remedies)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

from hallbar.core.deferred import deferred, deferred_plural
from hallbar.core.history import record_change
from hallbar.followups import notifications
from hallbar.followups.models import CaseEvent, Deviation, Remedy
from hallbar.followups.services.common import _event, _locked, _today
from hallbar.followups.states import State
from hallbar.organisations.models import User

DESCRIBE = gettext_noop("Describe the remedy that was delivered.")
NEGATIVE_PEOPLE = gettext_noop("The number of people reached cannot be negative.")
NEGATIVE_AMOUNT = gettext_noop("The amount repaid cannot be negative.")
NO_DATE = gettext_noop("Give the date the remedy was delivered.")
FUTURE_DATE = gettext_noop("The delivery date cannot be in the future.")
SAY_HOW = gettext_noop("Say how the remedy was verified, and by whom.")
SAY_WHY = gettext_noop("Say why the remedy is not verified: the supplier reads it.")
CANCELLED = gettext_noop("Remedy is not recorded on a cancelled case.")
NOT_REPORTED = gettext_noop(
    "Only remedy reported by the supplier and not yet reviewed is reviewed."
)

# makemessages finds plural forms only in ngettext calls: these mark the timeline lines that
# deferred_plural stores (core.deferred renders them in each reader's language).
ngettext_lazy(
    "Remedy for deviation %(number)s recorded and verified: %(count)s person reached, "
    "%(amount)s kr repaid.",
    "Remedy for deviation %(number)s recorded and verified: %(count)s people reached, "
    "%(amount)s kr repaid.",
)
ngettext_lazy(
    "Remedy for deviation %(number)s reported by the supplier: %(count)s person reached, "
    "%(amount)s kr repaid.",
    "Remedy for deviation %(number)s reported by the supplier: %(count)s people reached, "
    "%(amount)s kr repaid.",
)


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValidationError({"amount_repaid_sek": _("Give the amount in kronor.")}) from None


def _clean(
    *,
    description: str,
    people_reached: int | None,
    amount_repaid_sek,
    delivered_on: date | None,
) -> tuple[str, int, Decimal, date]:
    """Return the remedy's values checked; raise every problem at once, by field."""
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if not description:
        errors.setdefault("description", []).append(_(DESCRIBE))
    people = int(people_reached or 0)
    if people < 0:
        errors.setdefault("people_reached", []).append(_(NEGATIVE_PEOPLE))
    amount = _amount(amount_repaid_sek)
    if amount < 0:
        errors.setdefault("amount_repaid_sek", []).append(_(NEGATIVE_AMOUNT))
    if delivered_on is None:
        errors.setdefault("delivered_on", []).append(_(NO_DATE))
    elif delivered_on > _today():
        errors.setdefault("delivered_on", []).append(_(FUTURE_DATE))
    if errors:
        raise ValidationError(errors)
    assert delivered_on is not None  # checked above
    return description, people, amount, delivered_on


def _shown_amount(amount: Decimal) -> int | Decimal:
    """Whole kronor without decimals on the timeline."""
    return int(amount) if amount == amount.to_integral_value() else amount


def _check_case(deviation: Deviation) -> None:
    followup = _locked(deviation.followup)
    if followup.status == State.CANCELLED:
        raise ValidationError(_(CANCELLED))


def _values(remedy: Remedy) -> dict:
    return {
        "description": remedy.description,
        "people_reached": remedy.people_reached,
        "amount_repaid_sek": str(remedy.amount_repaid_sek),
        "delivered_on": remedy.delivered_on,
        "status": remedy.status,
    }


@transaction.atomic
def record_remedy(
    deviation: Deviation,
    *,
    acting_user: User,
    description: str,
    people_reached: int | None,
    amount_repaid_sek,
    delivered_on: date | None,
    verification: str,
) -> Remedy:
    """The lead records remedy delivered, with how and by whom it was verified: it is verified."""
    _check_case(deviation)
    verification = (verification or "").strip()
    try:
        description, people, amount, day = _clean(
            description=description,
            people_reached=people_reached,
            amount_repaid_sek=amount_repaid_sek,
            delivered_on=delivered_on,
        )
    except ValidationError as error:
        errors = error.message_dict
        if not verification:
            errors.setdefault("verification", []).append(_(SAY_HOW))
        raise ValidationError(errors) from None
    if not verification:
        raise ValidationError({"verification": _(SAY_HOW)})
    remedy = Remedy(
        deviation=deviation,
        description=description,
        people_reached=people,
        amount_repaid_sek=amount,
        delivered_on=day,
        status=Remedy.Status.VERIFIED,
        reported_by=acting_user,
        verification=verification,
        verified_on=_today(),
        verified_by=acting_user,
    )
    remedy.full_clean(exclude=["deviation"])
    remedy.save()
    record_change(remedy, action="created", acting_user=acting_user, changes=_values(remedy))
    _event(
        deviation.followup,
        CaseEvent.Kind.REMEDY,
        acting_user=acting_user,
        message=deferred_plural(
            "Remedy for deviation %(number)s recorded and verified: %(count)s person reached, "
            "%(amount)s kr repaid.",
            "Remedy for deviation %(number)s recorded and verified: %(count)s people reached, "
            "%(amount)s kr repaid.",
            people,
            number=str(deviation.number),
            amount=_shown_amount(amount),
        ),
        confidential=deviation.confidential,
    )
    return remedy


@transaction.atomic
def report_remedy(
    deviation: Deviation,
    *,
    acting_user: User,
    description: str,
    people_reached: int | None,
    amount_repaid_sek,
    delivered_on: date | None,
) -> Remedy:
    """The supplier reports remedy delivered; the lead then verifies or rejects it."""
    _check_case(deviation)
    description, people, amount, day = _clean(
        description=description,
        people_reached=people_reached,
        amount_repaid_sek=amount_repaid_sek,
        delivered_on=delivered_on,
    )
    remedy = Remedy(
        deviation=deviation,
        description=description,
        people_reached=people,
        amount_repaid_sek=amount,
        delivered_on=day,
        status=Remedy.Status.REPORTED,
        reported_by=acting_user,
    )
    remedy.full_clean(exclude=["deviation"])
    remedy.save()
    record_change(remedy, action="created", acting_user=acting_user, changes=_values(remedy))
    followup = deviation.followup
    _event(
        followup,
        CaseEvent.Kind.REMEDY,
        acting_user=acting_user,
        message=deferred_plural(
            "Remedy for deviation %(number)s reported by the supplier: %(count)s person "
            "reached, %(amount)s kr repaid.",
            "Remedy for deviation %(number)s reported by the supplier: %(count)s people "
            "reached, %(amount)s kr repaid.",
            people,
            number=str(deviation.number),
            amount=_shown_amount(amount),
        ),
        confidential=deviation.confidential,
    )
    notifications.on_commit_notify_lead(
        followup,
        deferred(
            gettext_noop("%(ref)s: the supplier has reported remedy to verify."),
            ref=followup.reference,
        ),
    )
    return remedy


def _locked_remedy(remedy: Remedy) -> Remedy:
    locked = (
        Remedy.objects.select_for_update().select_related("deviation__followup").get(pk=remedy.pk)
    )
    if locked.status != Remedy.Status.REPORTED:
        raise ValidationError(_(NOT_REPORTED))
    return locked


@transaction.atomic
def verify_remedy(remedy: Remedy, *, acting_user: User, verification: str) -> Remedy:
    """The lead verifies remedy the supplier reported, saying how and by whom."""
    verification = (verification or "").strip()
    if not verification:
        raise ValidationError({"verification": _(SAY_HOW)})
    remedy = _locked_remedy(remedy)
    remedy.status = Remedy.Status.VERIFIED
    remedy.verification = verification
    remedy.verified_on = _today()
    remedy.verified_by = acting_user
    remedy.rejection_reason = ""
    remedy.full_clean(exclude=["deviation"])
    remedy.save(
        update_fields=[
            "status",
            "verification",
            "verified_on",
            "verified_by",
            "rejection_reason",
            "updated_at",
        ]
    )
    record_change(
        remedy,
        action="updated",
        acting_user=acting_user,
        changes={
            "status": [Remedy.Status.REPORTED, Remedy.Status.VERIFIED],
            "verification": ["", verification],
        },
    )
    deviation = remedy.deviation
    _event(
        deviation.followup,
        CaseEvent.Kind.REMEDY,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("Remedy for deviation %(number)s verified."),
            number=str(deviation.number),
        ),
        confidential=deviation.confidential,
    )
    return remedy


@transaction.atomic
def reject_remedy(remedy: Remedy, *, acting_user: User, reason: str) -> Remedy:
    """The lead does not verify remedy the supplier reported; the supplier reads the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(SAY_WHY)})
    remedy = _locked_remedy(remedy)
    remedy.status = Remedy.Status.REJECTED
    remedy.rejection_reason = reason
    remedy.save(update_fields=["status", "rejection_reason", "updated_at"])
    record_change(
        remedy,
        action="updated",
        acting_user=acting_user,
        changes={
            "status": [Remedy.Status.REPORTED, Remedy.Status.REJECTED],
            "rejection_reason": ["", reason],
        },
    )
    deviation = remedy.deviation
    followup = deviation.followup
    _event(
        followup,
        CaseEvent.Kind.REMEDY,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("Remedy for deviation %(number)s not verified: %(reason)s"),
            number=str(deviation.number),
            reason=reason,
        ),
        confidential=deviation.confidential,
    )
    notifications.on_commit_notify_supplier(
        followup,
        deferred(
            gettext_noop("%(ref)s: the remedy you reported is not verified"),
            ref=followup.reference,
        ),
        reason,
    )
    return remedy
