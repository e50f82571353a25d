"""The steering group's start-page figure is an aggregate: it counts every deviation, confidential
ones included (``followups.access.deviations_for_statistics``), while the case list, a per-case
view, counts for the steering group only the deviations it may see."""

import pytest
from django.utils import timezone

from hallbar.followups.access import counted_deviations
from hallbar.followups.models import FollowUp
from hallbar.home.selectors import key_figures_for
from hallbar.home.tests.conftest import open_case, record, to_assessed

pytestmark = pytest.mark.django_db


def test_the_steering_figure_counts_every_deviation_and_the_case_list_what_it_may_see(world):
    followup = to_assessed(world, open_case(world), verdict="deviation")
    before = followup.deviations.count()
    record(world, followup, description="ordinary")
    record(world, followup, description="secret", confidential=True, supplier_description="x")
    steering = world.cast.steering
    # the aggregate: every deviation of the year's cases
    cards = key_figures_for(steering, year=timezone.localdate().year)
    deviations = next(card for card in cards if str(card.title) == "Deviations")
    assert deviations.figure == str(before + 2)
    # the per-case view: not the confidential one
    from django.db.models import Count

    listed = FollowUp.objects.filter(pk=followup.pk).annotate(
        n=Count("deviations", filter=counted_deviations(steering), distinct=True)
    )
    assert listed.get().n == before + 1
