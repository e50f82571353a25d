"""Query counts of the follow-up list and the plan page do not grow with their rows."""

import pytest
from django.urls import reverse

from hallbar.core.tests.test_query_budgets import assert_flat
from hallbar.followups.tests.conftest import open_case, record, to_assessed
from hallbar.planning.models import FollowUpPlan, PlanItem

pytestmark = pytest.mark.django_db


def test_the_case_list_is_flat(world, client, django_assert_max_num_queries):
    for _ in range(3):
        record(world, to_assessed(world, open_case(world)))
    client.force_login(world.cast.alice)

    def grow():
        for _ in range(12):
            open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)

    assert_flat(client, reverse("followups:followup-list"), 10, grow, django_assert_max_num_queries)


def test_the_plan_page_is_flat(world, client, django_assert_max_num_queries):
    plan = FollowUpPlan.objects.create(year=2026, budget_sek=10**6)

    def add(supplier, n):
        PlanItem.objects.create(
            plan=plan,
            supplier=supplier,
            followup_type="dialogue",
            lead_region=world.jamtland,
            participating=["01", "23"][: 1 + n % 2],
            cost_sek=4000,
            exposure=10.0,
            covered=3.0,
        )

    add(world.supplier_a, 0)
    client.force_login(world.cast.alice)

    def grow():
        from hallbar.suppliers.models import Supplier

        for n in range(30):
            add(Supplier.objects.create(name=f"S{n}", country="SE", other_id=f"S{n}"), n)

    url = reverse("planning:plan-detail", args=[plan.public_id])
    assert_flat(client, url, 16, grow, django_assert_max_num_queries)
