"""Opening, closing, cancelling and publishing follow-up cases."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hallbar.contracts.models import Contract
from hallbar.core.history import record_change
from hallbar.followups import notifications
from hallbar.followups.models import (
    ActionPlan,
    CaseEvent,
    Deviation,
    FollowUp,
)
from hallbar.followups.services.common import (
    ACTIVE,
    NO_CLAUSE,
    _event,
    _locked,
    _move,
)
from hallbar.followups.states import State
from hallbar.organisations.models import ProcurementArea, Region, User
from hallbar.requirements.models import LEVEL_RANK, ContractClause
from hallbar.requirements.selectors import current_clause
from hallbar.suppliers.models import ProductionSite, Supplier


def participating_regions(supplier: Supplier) -> list[Region]:
    """Return every region with an active contract with the supplier."""
    return list(
        Region.objects.filter(contracts__supplier=supplier, contracts__status=ACTIVE)
        .distinct()
        .select_related("organisation")
        .order_by("county_code")
    )


def next_reference(year: int) -> str:
    prefix = f"UF-{year}-"
    last = (
        FollowUp.objects.filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def lead_area_for(category, on: date) -> ProcurementArea | None:
    if category is None:
        return None
    ownership = (
        category.ownerships.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("area")
        .order_by("-valid_from")
        .first()
    )
    return ownership.area if ownership else None


@transaction.atomic
def open_followup(
    *,
    supplier: Supplier,
    year: int,
    followup_type: str,
    lead_region: Region,
    acting_user: User | None,
    lead_area: ProcurementArea | None = None,
    clause: ContractClause | None = None,
    clause_level: str = "",
    cost_sek: int = 0,
    sites: Iterable[ProductionSite] = (),
) -> FollowUp:
    """Open a planned case for the supplier, in scope every active contract it has."""
    if supplier.merged_into_id:
        raise ValidationError(
            _("%(name)s has been merged into another supplier.") % {"name": supplier}
        )
    contracts = list(
        Contract.objects.filter(supplier=supplier, status=ACTIVE).select_related(
            "clause", "category"
        )
    )
    if clause is None:
        clauses = [c.clause for c in contracts if c.clause_id]
        clause = max(clauses, key=lambda c: c.version) if clauses else current_clause()
    if clause is None:
        raise ValidationError(_(NO_CLAUSE))
    if not clause_level:
        levels = [c.clause_level for c in contracts if c.clause_level]
        clause_level = max(levels, key=lambda lv: LEVEL_RANK[lv]) if levels else "basic"
    category = max(contracts, key=lambda c: c.annual_value_sek).category if contracts else None
    if lead_area is None:
        lead_area = lead_area_for(category, date(year, 1, 1))
    contact = supplier.dd_contact_email or next(
        (c.dd_contact_email for c in contracts if c.dd_contact_email), ""
    )
    followup = FollowUp(
        reference=next_reference(year),
        year=year,
        supplier=supplier,
        followup_type=followup_type,
        lead_region=lead_region,
        lead_area=lead_area,
        category=category,
        clause=clause,
        clause_level=clause_level,
        cost_sek=cost_sek,
        contact_email=contact,
        opened_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    followup.full_clean()
    followup.save()
    followup.contracts.set(contracts)
    followup.sites.set(list(sites) or list(supplier.sites.all()))
    _event(
        followup,
        CaseEvent.Kind.OPENED,
        acting_user=acting_user,
        message=_("%(type)s of %(supplier)s, led by %(region)s.")
        % {
            "type": followup.get_followup_type_display(),
            "supplier": supplier.name,
            "region": lead_region.name,
        },
        visible_to_supplier=False,
    )
    record_change(followup, action="created", acting_user=acting_user)
    return followup


def find_suppliers(lines: Iterable[str]) -> tuple[list[Supplier], list[str]]:
    """Resolve one supplier per line (org number, VAT number, other id or exact name)."""
    found: list[Supplier] = []
    errors: list[str] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        digits = text.replace("-", "").replace(" ", "")
        candidates = Supplier.objects.current().filter(
            Q(org_number=digits)
            | Q(org_number=text)
            | Q(vat_number__iexact=digits)
            | Q(other_id__iexact=text)
            | Q(name__iexact=text)
        )
        matches = list(candidates[:2])
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif not matches:
            errors.append(
                _("Line %(line)s: no supplier “%(text)s”.") % {"line": number, "text": text}
            )
        else:
            errors.append(
                _("Line %(line)s: “%(text)s” matches several suppliers; give the org number.")
                % {"line": number, "text": text}
            )
    return found, errors


@transaction.atomic
def open_followups(*, lines: Iterable[str], acting_user: User, **options: Any) -> list[FollowUp]:
    """Open one case per supplier in lines; all or nothing."""
    suppliers, errors = find_suppliers(lines)
    if errors:
        raise ValidationError(errors)
    if not suppliers:
        raise ValidationError(_("Give at least one supplier."))
    return [open_followup(supplier=s, acting_user=acting_user, **options) for s in suppliers]


@transaction.atomic
def close_followup(followup: FollowUp, *, acting_user: User, note: str = "") -> FollowUp:
    """Close the case: after verification, or after an assessment or audit with no deviations."""
    followup = _locked(followup)
    if followup.deviations.exclude(status=Deviation.Status.REMEDIED).exists():
        raise ValidationError(_("The case has deviations that are not remedied."))
    after_finding = {State.ASSESSED, State.OFFICE_AUDIT, State.FACTORY_AUDIT}
    if followup.status in after_finding and followup.deviations.exists():
        raise ValidationError(_("Verify the action plan before closing."))
    _move(followup, State.CLOSED, acting_user=acting_user, message=note.strip())
    notifications.on_commit_notify_participants(
        followup, _("%(ref)s is closed") % {"ref": followup.reference}
    )
    return followup


@transaction.atomic
def cancel_followup(followup: FollowUp, *, reason: str, acting_user: User) -> FollowUp:
    followup = _locked(followup)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is cancelled.")})
    _move(followup, State.CANCELLED, acting_user=acting_user, message=reason.strip())
    return followup


def can_publish(followup: FollowUp) -> bool:
    """A summary is published once an action plan exists (or the case closed without deviations)."""
    plan = getattr(followup, "action_plan", None)
    if plan is not None and plan.status in {
        ActionPlan.Status.SUBMITTED,
        ActionPlan.Status.ACCEPTED,
    }:
        return True
    if plan is not None and plan.submitted_at:
        return True
    return followup.status == State.CLOSED and not followup.deviations.exists()


@transaction.atomic
def publish_summary(followup: FollowUp, *, acting_user: User) -> FollowUp:
    """Publish the case's anonymised summary (built from its data, never from free text)."""
    from hallbar.followups.publication import build_summary

    followup = _locked(followup)
    if not can_publish(followup):
        raise ValidationError(_("A summary is published only once an action plan exists."))
    followup.summary = build_summary(followup)
    followup.published_at = timezone.now()
    followup.save(update_fields=["summary", "published_at", "updated_at"])
    _event(followup, CaseEvent.Kind.PUBLISHED, acting_user=acting_user)
    return followup
