"""The demo does not age: every date it invents is placed around the day it is loaded."""

from datetime import date, timedelta

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hallbar.categories.selectors import prioritised_in
from hallbar.contracts.models import Contract
from hallbar.core.clock import demo_today, demo_year, moved_clock
from hallbar.demo.national import budget_years, prioritisation_periods
from hallbar.followups.deadlines import due_items
from hallbar.followups.models import Deviation, FollowUp
from hallbar.followups.selectors import filter_followups
from hallbar.funding.models import BudgetLine
from hallbar.organisations.models import Membership, User
from hallbar.planning.models import FollowUpPlan
from hallbar.risk.models import ScreeningRun
from hallbar.risk.screening.store import partitions
from hallbar.risk.spend import spend_root
from hallbar.suppliers.models import Supplier

HALF_YEAR = timedelta(days=183)


@pytest.fixture
def demo_dirs(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # never the developer's var/: the demo writes spend and files
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _counts() -> dict[str, int]:
    models = (User, Membership, BudgetLine, Contract, Supplier, FollowUp, Deviation, FollowUpPlan)
    return {model.__name__: model.objects.count() for model in models} | {
        "ScreeningRun": ScreeningRun.objects.count(),
        "spend lines": sum(p.rows for p in partitions(spend_root())),
    }


# --- the clock and the date rules ----------------------------------------------------------------


def test_moved_clock_moves_today_and_now_and_puts_them_back():
    real = timezone.localdate()
    with moved_clock(date(2031, 3, 15)):
        assert demo_today() == date(2031, 3, 15) == timezone.localdate()
        assert demo_year() == 2031
        first = timezone.now()
        assert timezone.now() >= first  # the time of day keeps running
    assert timezone.localdate() == real


@pytest.mark.parametrize(
    "day, periods",
    [
        (date(2025, 6, 1), []),  # the real 2023–2025 period is reference data
        (date(2026, 1, 1), [(2026, 2028)]),
        (date(2026, 12, 4), [(2026, 2028)]),
        (date(2029, 1, 1), [(2026, 2028), (2029, 2031)]),
        (date(2031, 3, 15), [(2026, 2028), (2029, 2031)]),
    ],
)
def test_the_demo_prioritisation_periods_follow_the_real_one_up_to_today(day, periods):
    assert prioritisation_periods(day) == periods


def test_the_demo_budget_covers_the_two_years_before_this_one_and_the_next():
    assert list(budget_years(date(2031, 3, 15))) == [2029, 2030, 2031, 2032]
    assert list(budget_years(date(2024, 5, 1))) == [2023, 2024, 2025]  # none before the fee


def test_load_demo_rejects_a_today_that_is_not_a_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo", today="15/03/2031")


# --- the whole demo on two days ------------------------------------------------------------------


def _assert_placed_around(day: date) -> None:
    """Check every demo date against day; call it with the clock at day."""
    year = day.year
    # Prioritisation: the 16 real categories are prioritised this year.
    assert prioritised_in(year).count() == 16
    # Budget: this year's and next year's, and the plan is this year's with this year's budget.
    assert {year, year + 1} <= set(BudgetLine.objects.values_list("year", flat=True))
    plan = FollowUpPlan.objects.get()
    line = BudgetLine.objects.get(year=year, description__startswith="Revisioner")
    assert (plan.year, plan.budget_sek) == (year, line.amount_sek)
    # Spend: the last full year and this year up to today; the screening runs on the full year.
    stored = partitions(spend_root())
    assert {p.year for p in stored} == {year - 1, year}
    latest = max(pc.max(pq.read_table(p.path, columns=["invoice_date"])[0]).as_py() for p in stored)
    assert date(year, 1, 1) <= latest <= day
    assert ScreeningRun.objects.get().year == year - 1
    assert plan.screening_run is not None
    assert plan.screening_run.year == year - 1
    # Contracts: some have ended, many are active, some end within six months, some start later.
    contracts = Contract.objects.all()
    assert contracts.filter(status="expired", end_date__lt=day).exists()
    assert not contracts.filter(status="expired", end_date__gte=day).exists()
    assert not contracts.filter(status="active", end_date__lt=day).exists()
    assert not contracts.filter(status="active", start_date__gt=day).exists()
    assert not contracts.filter(status="planned", start_date__lte=day).exists()
    ending_soon = contracts.filter(
        status="active", end_date__gte=day, end_date__lte=day + HALF_YEAR
    )
    assert ending_soon.count() >= 10
    assert contracts.filter(status="active", end_date__gt=day + HALF_YEAR).count() >= 200
    assert min(c.start_date for c in contracts).year == year - 7
    # Follow-ups: this year's cases; overdue items stay overdue, upcoming ones stay upcoming.
    assert FollowUp.objects.filter(year=year).count() >= 18
    assert FollowUp.objects.filter(year=year - 1).count() == 1  # Medisupply's closed case
    overdue = filter_followups(FollowUp.objects.all(), {"overdue": "1"})
    assert overdue.filter(status="sent", due_date__lt=day).exists()  # a late answer
    assert overdue.filter(deviations__plan_due__lt=day).exists()  # a late action plan
    assert overdue.filter(deviations__actions__deadline__lt=day).exists()  # a late action
    upcoming = Deviation.objects.get(followup__supplier__name="Globex Textiles Ltd")
    assert upcoming.plan_due == day + timedelta(days=5)
    dues = due_items(day)
    assert any(d.escalation for d in dues) and any(not d.escalation for d in dues)
    # The services' own timestamps are on the demo's side of the clock too.
    latest_event = max(FollowUp.objects.values_list("updated_at", flat=True))
    assert timezone.localtime(latest_event).date() == day


@pytest.mark.parametrize("day", [date(2026, 12, 4), date(2031, 3, 15)])
def test_the_demo_is_placed_around_the_day_it_is_loaded_and_loads_once(db, demo_dirs, day):
    # Given a fresh database, when the (small) demo is loaded as if today were day
    call_command("load_demo", today=day.isoformat(), small=True, stdout=None)
    with moved_clock(day):
        # then every invented date is relative to day
        _assert_placed_around(day)
        counts = _counts()
        # and a second load the same day duplicates nothing.
        call_command("load_demo", small=True, stdout=None)
        assert _counts() == counts


def test_load_demo_on_a_later_day_crashes_on_nothing_and_duplicates_nothing(db, demo_dirs):
    # Given the demo loaded on 4 December 2026
    call_command("load_demo", today="2026-12-04", small=True, stdout=None)
    before = _counts()
    # when load_demo runs again on the same database in 2028
    call_command("load_demo", today="2028-02-01", small=True, stdout=None)
    after = _counts()
    # then the contracts, cases and plan are left as they were (the demo is for a fresh
    # database); only the new period's prioritisations, budgets and spend years are added.
    for name in ("User", "Membership", "Contract", "Supplier", "FollowUp", "FollowUpPlan"):
        assert after[name] == before[name], name
    assert prioritised_in(2028).count() == 16
    assert set(BudgetLine.objects.values_list("year", flat=True)) == {
        2024,
        2025,
        2026,
        2027,
        2028,
        2029,
    }
    assert {p.year for p in partitions(spend_root())} == {2025, 2026, 2027, 2028}
