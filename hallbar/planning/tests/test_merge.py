"""A supplier merge moves everything that follows the company: cases, reports, planned
follow-ups, other organisations' follow-ups and waived duties; the planner then applies the reuse
rule to the kept supplier, and undo moves back exactly what the merge moved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hallbar.core.history import history_for
from hallbar.followups.models import FollowUp, Report
from hallbar.followups.services import submit_report
from hallbar.followups.tests.conftest import open_case
from hallbar.planning import services
from hallbar.planning.candidates import build_problem
from hallbar.planning.models import DutyWaiver, FollowUpPlan, PlanItem
from hallbar.suppliers.models import Supplier, SupplierMerge
from hallbar.suppliers.services import merge_suppliers, undo_merge

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(world):
    """Globex registered a second time (by another region's import): the record to hide."""
    return Supplier.objects.create(name="Globex Ltd (UK)", country="GB", other_id="GLOBEX-UK")


def _plan(year, status, *suppliers, world):
    plan = FollowUpPlan.objects.create(year=year, budget_sek=100_000, status=status)
    for supplier in suppliers:
        PlanItem.objects.create(
            plan=plan,
            supplier=supplier,
            followup_type="self_assessment",
            lead_region=world.jamtland,
            participating=["23"],
            cost_sek=15_000,
            exposure=1.0,
            covered=0.5,
        )
    return plan


@pytest.fixture
def hidden_history(world, duplicate):
    """The duplicate has a case in progress, a grievance, a planned follow-up, Adda's audit
    and a waived duty: all of it about Globex."""
    secretariat = world.cast.secretariat
    case = open_case(world, supplier=duplicate, lead_region=world.jamtland)
    report = submit_report(
        kind="grievance",
        supplier=duplicate,
        description="Övertid utan ersättning.",
        known_on=timezone.localdate(),
        acting_user=secretariat,
    )
    item = _plan(YEAR - 1, "approved", duplicate, world=world).items.get()
    external = services.record_external_followup(
        acting_user=secretariat,
        supplier=duplicate,
        organisation="Adda",
        followup_type="office_audit",
        clause_level="basic",
        performed_on=date(YEAR - 1, 5, 1),
        reference="ADDA-2025-17",
    )
    waiver = DutyWaiver.objects.create(supplier=duplicate, year=YEAR, reason="Planen godkänd.")
    return {"case": case, "report": report, "item": item, "external": external, "waiver": waiver}


def _candidate(built, supplier):
    return next(c for c in built.problem.candidates if c.id == str(supplier.pk))


def _suppliers(rows):
    return {key: type(obj).objects.get(pk=obj.pk).supplier_id for key, obj in rows.items()}


def test_a_merge_moves_everything_and_the_planner_reuses_the_hidden_suppliers_follow_ups(
    world, run, duplicate, hidden_history
):
    globex = world.supplier_b
    # Given: before the merge the planner sees nothing done for Globex and proposes it
    before = build_problem(year=YEAR, budget_sek=100_000, run=run)
    assert not _candidate(before, globex).reused
    assert globex.pk in {
        i.supplier_id
        for i in services.propose_plan(
            year=YEAR, budget_sek=100_000, acting_user=world.cast.secretariat
        ).items.all()
    }
    FollowUpPlan.objects.filter(status="proposed").delete()
    # and the survivor has a report of its own that the merge must not touch
    own_report = submit_report(
        kind="grievance",
        supplier=globex,
        description="Egen anmälan.",
        known_on=timezone.localdate(),
        acting_user=world.cast.secretariat,
    )

    # When the duplicate is merged into Globex
    merge = merge_suppliers(survivor=globex, merged=duplicate, acting_user=world.cast.secretariat)

    # Then (a) everything about the company is on Globex, and the merge recorded exactly that
    assert set(_suppliers(hidden_history).values()) == {globex.pk}
    assert merge.moved["followups"] == [hidden_history["case"].pk]
    assert merge.moved["reports"] == [hidden_history["report"].pk]
    assert merge.moved["plan_items"] == [hidden_history["item"].pk]
    assert merge.moved["external_followups"] == [hidden_history["external"].pk]
    assert merge.moved["duty_waivers"] == [hidden_history["waiver"].pk]
    # each moved row says so in its history, and so do both suppliers
    case_history = history_for(hidden_history["case"]).first()
    assert case_history.changes["supplier"] == [duplicate.name, globex.name]
    assert case_history.actor == world.cast.secretariat
    assert history_for(hidden_history["external"]).filter(changes__has_key="merge").exists()
    assert "followups: 1" in history_for(globex).first().changes["moved"]
    assert history_for(duplicate).first().changes["merged_into"] == globex.name

    # And (b) the planner applies the reuse rule to Globex: Adda's audit and the case in
    # progress spare it, so no second follow-up is proposed
    built = build_problem(year=YEAR, budget_sek=100_000, run=run)
    candidate = _candidate(built, globex)
    assert candidate.reused
    facts = built.facts[candidate.id]
    assert facts.reused_by.reference == "ADDA-2025-17"
    assert facts.in_progress == hidden_history["case"].reference
    plan = services.propose_plan(year=YEAR, budget_sek=100_000, acting_user=world.cast.secretariat)
    assert not plan.items.filter(supplier=globex).exists()
    assert not plan.items.filter(supplier=duplicate).exists()
    plan.delete()

    # When the merge is undone
    undo_merge(merge=merge, acting_user=world.cast.secretariat)

    # Then (c) exactly what moved is back on the duplicate; Globex keeps its own report
    assert set(_suppliers(hidden_history).values()) == {duplicate.pk}
    assert Report.objects.get(pk=own_report.pk).supplier == globex
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None
    assert SupplierMerge.objects.get(pk=merge.pk).undone_at is not None
    assert history_for(hidden_history["case"]).first().changes["supplier"] == [
        globex.name,
        duplicate.name,
    ]
    assert "followups: 1" in history_for(globex).first().changes["moved_back"]
    assert not _candidate(build_problem(year=YEAR, budget_sek=100_000, run=run), globex).reused


def test_undo_leaves_what_was_added_to_the_survivor_since(world, duplicate, hidden_history):
    globex = world.supplier_b
    merge = merge_suppliers(survivor=globex, merged=duplicate, acting_user=world.cast.secretariat)
    # a report about Globex received after the merge
    later = submit_report(
        kind="grievance",
        supplier=globex,
        description="Ny anmälan.",
        known_on=timezone.localdate(),
        acting_user=world.cast.secretariat,
    )
    undo_merge(merge=merge, acting_user=world.cast.secretariat)
    assert Report.objects.get(pk=later.pk).supplier == globex
    assert Report.objects.get(pk=hidden_history["report"].pk).supplier == duplicate


def test_a_proposed_plan_holding_both_refuses_the_merge_and_changes_nothing(world, duplicate):
    globex = world.supplier_b
    _plan(YEAR, "proposed", globex, duplicate, world=world)
    case = open_case(world, supplier=duplicate, lead_region=world.jamtland)

    with pytest.raises(ValidationError) as raised:
        merge_suppliers(survivor=globex, merged=duplicate, acting_user=world.cast.secretariat)

    assert raised.value.messages == [
        f"Both suppliers are in the proposed follow-up plan for {YEAR}. Remove one of them from "
        "that plan, then merge them."
    ]
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None
    assert FollowUp.objects.get(pk=case.pk).supplier == duplicate
    assert not SupplierMerge.objects.exists()


def test_an_approved_plan_holding_both_keeps_both_items_and_the_cases_move(world, duplicate):
    globex = world.supplier_b
    plan = _plan(YEAR - 1, "approved", globex, duplicate, world=world)
    kept_item = plan.items.get(supplier=duplicate)
    case = open_case(world, supplier=duplicate, lead_region=world.jamtland)

    merge = merge_suppliers(survivor=globex, merged=duplicate, acting_user=world.cast.secretariat)

    assert PlanItem.objects.get(pk=kept_item.pk).supplier == duplicate  # one item per plan
    assert merge.moved["plan_items"] == []
    assert FollowUp.objects.get(pk=case.pk).supplier == globex
    undo_merge(merge=merge, acting_user=world.cast.secretariat)
    assert FollowUp.objects.get(pk=case.pk).supplier == duplicate


def test_waivers_of_the_same_year_the_survivors_stands(world, duplicate):
    globex = world.supplier_b
    own = DutyWaiver.objects.create(supplier=globex, year=YEAR, reason="Revision beställd.")
    theirs = DutyWaiver.objects.create(supplier=duplicate, year=YEAR, reason="Planen godkänd.")
    earlier = DutyWaiver.objects.create(supplier=duplicate, year=YEAR - 1, reason="Ny leverantör.")

    merge = merge_suppliers(survivor=globex, merged=duplicate, acting_user=world.cast.secretariat)

    assert merge.moved["duty_waivers"] == [earlier.pk]
    assert DutyWaiver.objects.get(pk=theirs.pk).supplier == duplicate
    assert DutyWaiver.objects.get(pk=own.pk).supplier == globex
    assert DutyWaiver.objects.get(pk=earlier.pk).supplier == globex


def test_a_merge_of_a_merge_counts_for_the_current_supplier_and_undoes_in_order(
    world, run, duplicate
):
    globex, secretariat = world.supplier_b, world.cast.secretariat
    third = Supplier.objects.create(name="Globex Nordic", country="GB", other_id="GLOBEX-N")
    # the screening saw the duplicate's spend under its own key
    row = run.rows.filter(supplier_key=str(globex.pk)).first()
    row.pk, row.supplier_key, row.exposure = None, str(duplicate.pk), 123.0
    row.save()
    first = merge_suppliers(survivor=third, merged=duplicate, acting_user=secretariat)
    second = merge_suppliers(survivor=globex, merged=third, acting_user=secretariat)

    # The duplicate's exposure counts for Globex, and no merged supplier is a candidate
    built = build_problem(year=YEAR, budget_sek=100_000, run=run)
    ids = {c.id for c in built.problem.candidates}
    assert str(duplicate.pk) not in ids and str(third.pk) not in ids
    assert _candidate(built, globex).exposure == pytest.approx(400_000.0 + 123.0)

    # The earlier merge cannot be undone while its survivor is merged into another
    with pytest.raises(ValidationError, match="Undo that merge first"):
        undo_merge(merge=first, acting_user=secretariat)
    undo_merge(merge=second, acting_user=secretariat)
    undo_merge(merge=first, acting_user=secretariat)
    assert Supplier.objects.current().filter(pk__in=[duplicate.pk, third.pk]).count() == 2


def test_the_merge_page_says_what_moves_and_a_refusal_in_words(
    world, duplicate, hidden_history, client
):
    globex = world.supplier_b
    url = reverse("suppliers:supplier-merge", args=[duplicate.public_id])
    client.force_login(world.cast.secretariat)

    # The confirmation step lists what moves, in the page's language
    page = client.post(url, {"into": globex.name}, HTTP_ACCEPT_LANGUAGE="sv")
    text = page.content.decode()
    moves = text[text.index('data-testid="merge-moves"') :]
    for line in ("Uppföljningar: 1", "Anmälningar: 1", "Planerade uppföljningar: 1",
                 "Uppföljningar gjorda av andra organisationer: 1",
                 "Undantagna skyldigheter: 1"):  # fmt: skip
        assert line in moves
    assert "followups:" not in text and "plan_items" not in text
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None

    # A merge that a proposed plan holding both refuses says why and changes nothing
    _plan(YEAR, "proposed", globex, duplicate, world=world)
    page = client.post(url, {"into": globex.name, "confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert f"Both suppliers are in the proposed follow-up plan for {YEAR}." in (
        page.content.decode()
    )
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None
    assert FollowUp.objects.get(pk=hidden_history["case"].pk).supplier == duplicate
