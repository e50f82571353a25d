"""Opening, closing, cancelling and publishing follow-up cases."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.contracts.models import Contract
from hallbar.core.deferred import choice_of, deferred, render
from hallbar.core.history import record_change, record_changes
from hallbar.followups import notifications
from hallbar.followups.models import (
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


@dataclass(frozen=True)
class CaseSpec:
    """What opening one case needs (the rest comes from the supplier's active contracts)."""

    supplier: Supplier
    followup_type: str
    lead_region: Region
    lead_area: ProcurementArea | None = None
    cost_sek: int = 0


def _new_case(
    spec: CaseSpec,
    *,
    year: int,
    reference: str,
    contracts: list[Contract],
    acting_user: Any,
    clause: ContractClause | None = None,
    clause_level: str = "",
) -> FollowUp:
    """Return an unsaved case of the spec, its clause, level and category from the contracts."""
    supplier = spec.supplier
    if supplier.merged_into_id:
        raise ValidationError(
            _("%(name)s has been merged into another supplier.") % {"name": supplier}
        )
    if clause is None:
        clauses = [c.clause for c in contracts if c.clause is not None]
        clause = max(clauses, key=lambda c: c.version) if clauses else current_clause()
    if clause is None:
        raise ValidationError(_(NO_CLAUSE))
    if not clause_level:
        levels = [c.clause_level for c in contracts if c.clause_level]
        clause_level = max(levels, key=lambda lv: LEVEL_RANK[lv]) if levels else "basic"
    category = max(contracts, key=lambda c: c.annual_value_sek).category if contracts else None
    lead_area = spec.lead_area or lead_area_for(category, date(year, 1, 1))
    contact = supplier.dd_contact_email or next(
        (c.dd_contact_email for c in contracts if c.dd_contact_email), ""
    )
    return FollowUp(
        reference=reference,
        year=year,
        supplier=supplier,
        followup_type=spec.followup_type,
        lead_region=spec.lead_region,
        lead_area=lead_area,
        category=category,
        clause=clause,
        clause_level=clause_level,
        cost_sek=spec.cost_sek,
        contact_email=contact,
        opened_by=acting_user if getattr(acting_user, "pk", None) else None,
    )


def _opened_message(followup: FollowUp) -> dict:
    return deferred(
        gettext_noop("%(type)s of %(supplier)s, led by %(region)s."),
        type=choice_of(followup, "followup_type"),
        supplier=followup.supplier.name,
        region=followup.lead_region.name,
    )


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
    contracts = list(
        Contract.objects.filter(supplier=supplier, status=ACTIVE).select_related(
            "clause", "category"
        )
    )
    followup = _new_case(
        CaseSpec(supplier, followup_type, lead_region, lead_area, cost_sek),
        year=year,
        reference=next_reference(year),
        contracts=contracts,
        acting_user=acting_user,
        clause=clause,
        clause_level=clause_level,
    )
    followup.full_clean()
    followup.save()
    followup.contracts.set(contracts)
    followup.sites.set(list(sites) or list(supplier.sites.all()))
    _event(
        followup,
        CaseEvent.Kind.OPENED,
        acting_user=acting_user,
        message=_opened_message(followup),
        visible_to_supplier=False,
    )
    record_change(followup, action="created", acting_user=acting_user)
    return followup


@transaction.atomic
def open_followups_in_bulk(
    specs: list[CaseSpec], *, year: int, acting_user: User | None
) -> list[FollowUp]:
    """Open many planned cases at once (an approved plan): the same cases open_followup makes,
    written with a handful of bulk statements instead of a dozen queries per case."""
    supplier_ids = [spec.supplier.pk for spec in specs]
    contracts: dict[int, list[Contract]] = defaultdict(list)
    for contract in Contract.objects.filter(
        supplier_id__in=supplier_ids, status=ACTIVE
    ).select_related("clause", "category"):
        contracts[contract.supplier_id].append(contract)
    sites: dict[int, list[int]] = defaultdict(list)
    for site_id, supplier_id in ProductionSite.objects.filter(
        supplier_id__in=supplier_ids
    ).values_list("pk", "supplier_id"):
        sites[supplier_id].append(site_id)
    first = int(next_reference(year).rsplit("-", 1)[1])
    cases = []
    for number, spec in enumerate(specs, start=first):
        case = _new_case(
            spec,
            year=year,
            reference=f"UF-{year}-{number:04d}",
            contracts=contracts[spec.supplier.pk],
            acting_user=acting_user,
        )
        case.clean_fields()
        cases.append(case)
    FollowUp.objects.bulk_create(cases, batch_size=500)
    cases = list(
        FollowUp.objects.filter(reference__in=[c.reference for c in cases])
        .select_related("supplier", "lead_region__organisation")
        .order_by("reference")
    )
    by_supplier = {case.supplier_id: case for case in cases}
    FollowUp.contracts.through.objects.bulk_create(
        [
            FollowUp.contracts.through(followup_id=case.pk, contract_id=contract.pk)
            for supplier_id, case in by_supplier.items()
            for contract in contracts[supplier_id]
        ],
        batch_size=1000,
    )
    FollowUp.sites.through.objects.bulk_create(
        [
            FollowUp.sites.through(followup_id=case.pk, productionsite_id=site_id)
            for supplier_id, case in by_supplier.items()
            for site_id in sites[supplier_id]
        ],
        batch_size=1000,
    )
    actor = acting_user if getattr(acting_user, "pk", None) else None
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                followup=case,
                kind=CaseEvent.Kind.OPENED,
                actor=actor,
                message=render(_opened_message(case)),
                text=_opened_message(case),
                visible_to_supplier=False,
            )
            for case in cases
        ],
        batch_size=1000,
    )
    record_changes(cases, action="created", acting_user=acting_user)
    return cases


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
        followup, deferred(gettext_noop("%(ref)s is closed"), ref=followup.reference)
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
    if plan is not None and plan.submitted_at:
        return True  # submitted once (a plan sent back for revision still exists)
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
