"""API: follow-up plans and their planned follow-ups (read-only), for cooperation members."""

from datetime import datetime
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema

from hallbar.planning.access import access_plan, can_view_plans
from hallbar.planning.models import FollowUpPlan
from hallbar.planning.selectors import summary

router = Router(tags=["follow-up plan"])


class PlanOut(Schema):
    public_id: UUID
    year: int
    status: str
    budget_sek: int
    created_at: datetime
    approved_at: datetime | None


class PlanItemOut(Schema):
    supplier_id: int
    type: str
    lead_region_code: str
    participating_region_codes: list[str]
    cost_sek: int
    covered_exposure: float


class PlanDetailOut(PlanOut):
    coordinated_count: int
    uncoordinated_count: int
    cost_avoided_sek: int
    cost_sek: int
    optimality_gap: float | None
    proven_optimal: bool | None
    followups: list[PlanItemOut]


@router.get("/", response=list[PlanOut])
def list_plans(request):
    if not can_view_plans(request.user):
        raise Http404
    return FollowUpPlan.objects.all()


@router.get("/{public_id}", response=PlanDetailOut)
def get_plan(request, public_id: UUID):
    plan, _can_edit = access_plan(request.user, public_id)
    data = summary(plan)
    coordination = data["coordination"]
    return {
        **PlanOut.from_orm(plan).dict(),
        "coordinated_count": coordination.coordinated,
        "uncoordinated_count": coordination.uncoordinated,
        "cost_avoided_sek": coordination.cost_avoided_sek,
        "cost_sek": coordination.cost_sek,
        "optimality_gap": plan.result.get("gap"),
        "proven_optimal": plan.result.get("proven_optimal"),
        "followups": [
            {
                "supplier_id": row["supplier_id"],
                "type": row["followup_type"],
                "lead_region_code": row["lead_region__county_code"],
                "participating_region_codes": row["participating"],
                "cost_sek": row["cost_sek"],
                "covered_exposure": row["covered"],
            }
            for row in data["rows"]
        ],
    }
