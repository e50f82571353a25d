"""API: follow-up cases, with the same access rules and filters as the pages (read-only)."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from hallbar.core.api_paging import BoundedPageNumberPagination
from hallbar.followups import services
from hallbar.followups.access import access_followup, can_list_followups, followups_visible_to
from hallbar.followups.deadlines import case_light
from hallbar.followups.selectors import (
    deviations_for,
    filter_followups,
    timeline,
    with_deviation_counts,
)

router = Router(tags=["follow-up"])


class FollowUpOut(Schema):
    public_id: UUID
    reference: str
    year: int
    supplier: str
    supplier_public_id: UUID
    type: str
    status: str
    lead_region_code: str
    lead_area: str | None
    clause_version: int
    clause_level: str
    due_date: date | None
    deviation_count: int

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_supplier_public_id(obj):
        return obj.supplier.public_id

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.followup_type

    @staticmethod
    def resolve_lead_region_code(obj) -> str:
        return obj.lead_region.county_code

    @staticmethod
    def resolve_lead_area(obj) -> str | None:
        return obj.lead_area.code if obj.lead_area else None

    @staticmethod
    def resolve_clause_version(obj) -> int:
        return obj.clause.version

    @staticmethod
    def resolve_deviation_count(obj) -> int:
        return getattr(obj, "deviation_count", 0)


class RemedyOut(Schema):
    description: str
    people_reached: int
    amount_repaid_sek: Decimal
    delivered_on: date
    status: str
    verification: str  # "" where the caller may not read it
    verified_on: date | None


class DeviationOut(Schema):
    number: int
    requirement: str | None
    commitment: str
    area: str
    severity: str
    zero_tolerance: bool
    status: str
    found_on: date
    plan_due: date
    closed_out_on: date | None
    remedies: list[RemedyOut]


class EventOut(Schema):
    at: str
    kind: str
    from_status: str
    to_status: str
    message: str


class FollowUpDetailOut(FollowUpOut):
    participating_region_codes: list[str]
    light: str
    deviations: list[DeviationOut]
    action_plan_status: str | None
    events: list[EventOut]

    @staticmethod
    def resolve_deviations(obj) -> list:
        return obj.deviations_seen

    @staticmethod
    def resolve_deviation_count(obj) -> int:
        return len(obj.deviations_seen)  # only those the caller may see

    @staticmethod
    def resolve_events(obj) -> list:
        return obj.events_seen


class FollowUpFilters(Schema):
    q: str | None = None
    status: str | None = None
    type: str | None = None
    year: int | None = None
    region: str | None = None
    overdue: str | None = None
    sort: str | None = None


@router.get("/", response=list[FollowUpOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def list_followups(request, filters: Query[FollowUpFilters]):
    """Return the cases the caller may see, filtered and sorted like the list page."""
    user = request.user
    if not can_list_followups(user):
        raise Http404
    params = {k: str(v) for k, v in filters.dict().items() if v}
    followups = filter_followups(followups_visible_to(user), params)
    return with_deviation_counts(followups, user).select_related("clause")


@router.get("/{public_id}", response=FollowUpDetailOut)
def get_followup(request, public_id: UUID):
    """Return one case with its deviations and timeline, as much as the caller may see: a
    supplier contact gets what its portal shows (the case page sends it there)."""
    access = access_followup(request.user, public_id)
    followup = access.followup
    plan = getattr(followup, "action_plan", None)
    followup.participating_region_codes = [
        r.county_code for r in services.participating_regions(followup.supplier)
    ]
    followup.light = case_light(followup)
    followup.action_plan_status = plan.status if plan else None
    followup.deviations_seen = [
        {
            "number": d.number,
            "requirement": d.requirement.code if d.requirement else None,
            "commitment": d.shown_commitment,
            "area": d.area,
            "severity": d.severity,
            "zero_tolerance": d.zero_tolerance,
            "status": d.status,
            "found_on": d.found_on,
            "plan_due": d.plan_due,
            "closed_out_on": d.closed_out_on,
            "remedies": [
                {
                    "description": r.description,
                    "people_reached": r.people_reached,
                    "amount_repaid_sek": r.amount_repaid_sek,
                    "delivered_on": r.delivered_on,
                    "status": r.status,
                    "verification": r.shown_verification,
                    "verified_on": r.verified_on,
                }
                for r in d.remedies_seen
            ],
        }
        for d in deviations_for(access)
    ]
    followup.events_seen = [
        {
            "at": e.at.isoformat(),
            "kind": e.kind,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "message": e.shown_message,  # in the caller's language
        }
        for e in timeline(access)
    ]
    return followup
