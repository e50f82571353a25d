"""The demo load: deterministic, idempotent, with every role."""

import pytest
from django.core.management import call_command
from django.db import connection

from hallbar.demo.followups import _number
from hallbar.demo.national import DEMO_USERS
from hallbar.followups.models import FollowUp, Remedy
from hallbar.followups.selectors import remedy_country, verified_remedies
from hallbar.followups.tests.conftest import open_case, world  # noqa: F401 - the fixture
from hallbar.funding.models import BudgetLine, FeeDecision, RegionDecision
from hallbar.organisations.models import Membership, User

pytestmark = pytest.mark.django_db


def test_load_demo_is_deterministic_and_idempotent(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # never the developer's var/: the demo writes spend and files
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("load_demo", stdout=None)
    counts = [
        m.objects.count()
        for m in (User, Membership, FeeDecision, RegionDecision, BudgetLine, Remedy)
    ]
    # remedy: fees repaid to 38 workers and back pay, verified; one reported by Globex to verify
    verified = list(verified_remedies())
    assert len(verified) >= 2 and 38 in [r.people_reached for r in verified]
    assert all(len(remedy_country(r)) == 2 for r in verified)
    assert Remedy.objects.filter(
        status="reported", deviation__followup__supplier__name__startswith="Globex"
    ).exists()
    call_command("load_demo")
    assert counts == [
        m.objects.count()
        for m in (User, Membership, FeeDecision, RegionDecision, BudgetLine, Remedy)
    ]
    # the demo logins, and the training package's people who do not log in (demo/training.py)
    assert User.objects.exclude(username__startswith="utb.").count() == len(DEMO_USERS)
    assert not User.objects.filter(username__startswith="utb.").exclude(password__startswith="!")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "secretariat",
        "steering_group",
        "area_coordinator",
        "region_contact",
        "buyer",
        "auditor",
        "supplier_contact",
    }
    jamtland = RegionDecision.objects.get(reference="RS/29/2022")
    assert jamtland.annual_amount_sek == 131_418 and str(jamtland.decided_on) == "2022-04-06"
    assert User.objects.get(username="upphandlare.stockholm").check_password("hallbar-demo")
    _assert_training_spread()


def _assert_training_spread():
    """The training package: seven modules published in both languages, an image in a lesson,
    completions in every region and by an auditor and a supplier, not by everyone."""
    from django.urls import reverse

    from hallbar.organisations.models import Region
    from hallbar.training.models import Assignment, Certificate, LessonImage, Module

    published = list(Module.objects.published())
    assert len(published) >= 7
    for module in published:
        assert module.title_sv and module.title_en and module.title_sv != module.title_en
        lessons = list(module.lessons.all())
        assert len(lessons) >= 2
        assert all(lesson.body_sv and lesson.body_en for lesson in lessons)
        assert all(q.text_sv != q.text_en for q in module.questions.all())
    image = LessonImage.objects.get(name="fyra-steg.png")
    link = reverse("training:image", args=[image.public_id])
    showing = [
        lesson
        for lesson in image.module.lessons.all()
        if link in lesson.body_sv and link in lesson.body_en
    ]
    assert showing and image.module.status == "published"
    assert image.content_type == "image/png" and bytes(image.data).startswith(b"\x89PNG")
    assert any(len(m.lessons.all()) >= 3 for m in published)
    regions_done = set(Certificate.objects.values_list("region__county_code", flat=True))
    assert set(Region.objects.values_list("county_code", flat=True)) <= regions_done
    done = set(Certificate.objects.values_list("user__username", "module__key"))
    assert ("revisor", "deviations-sanctions") in done
    assert ("leverantor", "supplier-portal") in done
    # and some assignments are still open, the English supplier's among them
    assert Assignment.objects.filter(user__username="leverantor.globex").exists()
    assert not Certificate.objects.filter(user__username="leverantor.globex").exists()
    assert Assignment.objects.count() > Certificate.objects.count()


def _move_sequence(model, to: int) -> None:
    """Make the next row of model's table get a number after to, as rows made and rolled back
    (or deleted) by earlier work leave it."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, to])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, to])


def test_the_demo_numbers_its_cases_in_order_whatever_their_primary_keys(world):  # noqa: F811
    # Given a database whose follow-ups are numbered from 1 000 on
    _move_sequence(FollowUp, 1000)
    # When three cases are made
    cases = [open_case(world) for _ in range(3)]
    # Then the demo counts them 1, 2 and 3 (it picks each case's path by that number)
    assert cases[0].pk > 1000
    assert [_number(case) for case in cases] == [1, 2, 3]
