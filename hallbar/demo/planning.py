"""The demo's screening run and a proposed follow-up plan for this year. Idempotent."""

from hallbar.core.clock import demo_year
from hallbar.funding.models import BudgetLine
from hallbar.planning.models import FollowUpPlan
from hallbar.planning.services import propose_plan
from hallbar.risk.models import ScreeningRun

DEFAULT_BUDGET = 3_300_000
BUDGET_LINE = "Revisioner och uppföljningar (medfinansiering)"


def load_demo_plan(*, spend_year: int) -> FollowUpPlan | None:
    """Screen the demo spend (if no run exists) and propose this year's plan (if none exists)."""
    if FollowUpPlan.objects.exists():
        return None
    if not ScreeningRun.objects.filter(status="done").exists():
        from hallbar.risk.runs import run_screening

        run_screening(year=spend_year)
    year = demo_year()
    lines = BudgetLine.objects.filter(description=BUDGET_LINE)
    line = lines.filter(year=year).first() or lines.order_by("-year").first()
    return propose_plan(
        year=year,
        budget_sek=line.amount_sek if line else DEFAULT_BUDGET,
        acting_user=None,
    )
