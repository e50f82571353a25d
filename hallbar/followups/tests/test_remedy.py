"""Remedy delivered to the people a deviation harmed: the lead records it verified, the supplier
reports it in the portal and the lead verifies or rejects it; who sees it; the reporting selector.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from hallbar.core.history import history_for
from hallbar.demo.national import AUDIT_FIRM
from hallbar.followups import services
from hallbar.followups.access import (
    access_deviation_as_supplier,
    access_deviation_for_remedy,
    access_followup,
    access_remedy_for_review,
    remedies_visible_to,
)
from hallbar.followups.models import CaseEvent, Remedy
from hallbar.followups.selectors import (
    deviations_for,
    remedy_country,
    timeline,
    verified_remedies,
)
from hallbar.followups.tests.conftest import answer_all, open_case, record, to_assessed
from hallbar.organisations.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db


def _today() -> date:
    return timezone.localdate()


def _deviation(world, lead_region=None, **options):
    case = open_case(world, lead_region=lead_region or world.stockholm)
    followup = to_assessed(world, case, verdict="deviation")
    return record(world, followup, **options)


def _record(world, deviation, **options):
    values = {
        "description": "Recruitment fees repaid to the workers.",
        "people_reached": 38,
        "amount_repaid_sek": Decimal("152000"),
        "delivered_on": _today() - timedelta(days=3),
        "verification": "Bank transfers checked; 10 workers interviewed by the audit firm.",
    }
    values.update(options)
    return services.record_remedy(deviation, acting_user=world.cast.alice, **values)


def _report(world, deviation, user=None, **options):
    values = {
        "description": "Wages withheld were paid back.",
        "people_reached": 12,
        "amount_repaid_sek": Decimal("8400.50"),
        "delivered_on": _today() - timedelta(days=10),
    }
    values.update(options)
    return services.report_remedy(deviation, acting_user=user or world.cast.charlie, **values)


def _second_firm_auditor() -> User:
    firm = Organisation.objects.create(name="Andra Revisionsbyrån AB", kind="audit_firm")
    user = User.objects.create_user(username="ragnar", first_name="Ragnar")
    Membership.objects.create(user=user, organisation=firm, role=Role.AUDITOR)
    return user


# --- the service rules -------------------------------------------------------------------------


def test_the_lead_records_remedy_verified_with_timeline_and_history(world):
    deviation = _deviation(world)
    remedy = _record(world, deviation)
    remedy.refresh_from_db()
    assert remedy.status == Remedy.Status.VERIFIED
    assert remedy.verified_on == _today() and remedy.verified_by == world.cast.alice
    assert remedy.people_reached == 38 and remedy.amount_repaid_sek == Decimal("152000")
    event = CaseEvent.objects.filter(followup=deviation.followup, kind="remedy").get()
    assert "38 people reached" in event.shown_message
    assert "152,000" in event.shown_message or "152 000" in event.shown_message
    assert history_for(remedy).get().action == "created"


def test_remedy_values_are_checked_with_clear_messages(world):
    deviation = _deviation(world)
    with pytest.raises(ValidationError) as error:
        _record(
            world,
            deviation,
            description="  ",
            people_reached=-1,
            amount_repaid_sek=Decimal("-5"),
            delivered_on=_today() + timedelta(days=1),
            verification="",
        )
    errors = error.value.message_dict
    assert errors["description"] == ["Describe the remedy that was delivered."]
    assert errors["people_reached"] == ["The number of people reached cannot be negative."]
    assert errors["amount_repaid_sek"] == ["The amount repaid cannot be negative."]
    assert errors["delivered_on"] == ["The delivery date cannot be in the future."]
    assert errors["verification"] == ["Say how the remedy was verified, and by whom."]
    # the lead's record needs the verification even when everything else is right
    with pytest.raises(ValidationError) as error:
        _record(world, deviation, verification=" ")
    assert set(error.value.message_dict) == {"verification"}
    with pytest.raises(ValidationError) as error:
        _report(world, deviation, delivered_on=None)
    assert error.value.message_dict["delivered_on"] == ["Give the date the remedy was delivered."]
    # today is not the future; nothing repaid is allowed (remedy is not only money)
    remedy = _report(world, deviation, delivered_on=_today(), amount_repaid_sek=None)
    assert remedy.amount_repaid_sek == 0
    assert not Remedy.objects.filter(status="verified").exists()


def test_the_supplier_reports_and_the_lead_verifies_once(world, django_capture_on_commit_callbacks):
    deviation = _deviation(world, lead_region=world.jamtland)
    _in_english(world.cast.contact_jamtland, world.cast.charlie)
    with django_capture_on_commit_callbacks(execute=True):
        remedy = _report(world, deviation)
    assert remedy.status == Remedy.Status.REPORTED and remedy.reported_by == world.cast.charlie
    assert remedy.verified_on is None
    # the lead region's contacts are told there is remedy to verify
    told = [m.to for m in mail.outbox if "remedy to verify" in m.subject]
    assert told == [[world.cast.contact_jamtland.email]]
    with pytest.raises(ValidationError) as error:
        services.verify_remedy(remedy, acting_user=world.cast.alice, verification="")
    assert error.value.message_dict["verification"] == [
        "Say how the remedy was verified, and by whom."
    ]
    services.verify_remedy(
        remedy, acting_user=world.cast.alice, verification="Payslips checked by Alice."
    )
    remedy.refresh_from_db()
    assert remedy.status == "verified" and remedy.verified_by == world.cast.alice
    assert remedy.verified_on == _today()
    with pytest.raises(ValidationError):
        services.reject_remedy(remedy, acting_user=world.cast.alice, reason="Too late")
    kinds = list(
        CaseEvent.objects.filter(followup=deviation.followup, kind="remedy").values_list(
            "message", flat=True
        )
    )
    assert len(kinds) == 2 and "verified" in kinds[1]
    assert [h.action for h in history_for(remedy)] == ["updated", "created"]


def test_the_lead_rejects_with_a_reason_the_supplier_is_told(
    world, django_capture_on_commit_callbacks
):
    deviation = _deviation(world)
    remedy = _report(world, deviation)
    with pytest.raises(ValidationError) as error:
        services.reject_remedy(remedy, acting_user=world.cast.alice, reason="")
    assert error.value.message_dict["reason"] == [
        "Say why the remedy is not verified: the supplier reads it."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_remedy(
            remedy, acting_user=world.cast.alice, reason="No payment records were sent."
        )
    remedy.refresh_from_db()
    assert (
        remedy.status == "rejected" and remedy.rejection_reason == "No payment records were sent."
    )
    assert remedy.verified_on is None
    assert any("No payment records were sent." in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.verify_remedy(remedy, acting_user=world.cast.alice, verification="x")


def test_no_remedy_on_a_cancelled_case(world):
    deviation = _deviation(world)
    services.cancel_followup(
        deviation.followup, reason="Avtalet upphörde.", acting_user=world.cast.alice
    )
    deviation.refresh_from_db()
    with pytest.raises(ValidationError):
        _record(world, deviation)
    with pytest.raises(ValidationError):
        _report(world, deviation)
    with pytest.raises(Http404):
        access_deviation_for_remedy(world.cast.alice, deviation.public_id)


# --- who sees and who may act -------------------------------------------------------------------


def test_only_the_lead_records_and_reviews_and_only_the_supplier_reports(world):
    deviation = _deviation(world)
    remedy = _report(world, deviation)
    assert access_deviation_for_remedy(world.cast.alice, deviation.public_id)[1] == deviation
    assert access_remedy_for_review(world.cast.secretariat, remedy.public_id)[1] == remedy
    for name in ("bob", "steering", "auditor", "charlie", "dave", "nobody"):
        user = getattr(world.cast, name)
        with pytest.raises(Http404):
            access_deviation_for_remedy(user, deviation.public_id)
        with pytest.raises(Http404):
            access_remedy_for_review(user, remedy.public_id)
    assert access_deviation_as_supplier(world.cast.charlie, deviation.public_id)[1] == deviation
    for name in ("dave", "alice", "bob", "nobody"):
        with pytest.raises(Http404):
            access_deviation_as_supplier(getattr(world.cast, name), deviation.public_id)
    with pytest.raises(Http404):
        access_deviation_for_remedy(world.cast.alice, "not-a-uuid")


def test_a_confidential_deviations_remedy_follows_the_deviation(world, client):
    # Given a confidential deviation found in rolf's audit, and an audit by another firm
    followup = to_assessed(world, open_case(world), verdict="deviation")
    ragnar = _second_firm_auditor()
    rolf_audit = services.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    followup.refresh_from_db()
    services.order_audit(
        followup,
        kind="factory",
        firm=ragnar.memberships.get().organisation,
        auditor=ragnar,
        sites=[world.site_a1],
        acting_user=world.cast.alice,
    )
    followup.refresh_from_db()
    hidden = record(
        world,
        followup,
        pr=2,
        confidential=True,
        audit=rolf_audit,
        source="audit",
        description="Witness statement",
        supplier_description="Repay the recruitment fees.",
    )
    shared = record(world, followup, pr=3)
    secret = _record(
        world,
        hidden,
        description="REMEDY-7c1 fees repaid",
        verification="VERIFY-9f2 interviews with named workers",
    )
    _record(world, shared, description="REMEDY-open toilets repaired", people_reached=0)

    def seen(user) -> dict[str, str]:
        access = access_followup(user, followup.public_id)
        return {
            r.description: r.shown_verification
            for d in deviations_for(access)
            for r in d.remedies_seen
        }

    # Then the lead and rolf see it with its verification; the supplier sees it without
    assert "REMEDY-7c1 fees repaid" in seen(world.cast.alice)
    assert seen(world.cast.auditor)["REMEDY-7c1 fees repaid"].startswith("VERIFY-9f2")
    assert seen(world.cast.charlie)["REMEDY-7c1 fees repaid"] == ""
    # and a participating region's buyer and the other firm's auditor do not see it
    for user in (world.cast.bob, ragnar):
        assert set(seen(user)) == {"REMEDY-open toilets repaired"}
        assert not remedies_visible_to(user).filter(pk=secret.pk).exists()
    # The list form agrees with the per-case rule for everyone
    for user in [*world.cast.everyone().values(), ragnar]:
        listed = set(remedies_visible_to(user).values_list("description", flat=True))
        try:
            assert listed == set(seen(user))
        except Http404:
            assert listed == set()

    # The API's case answers the same
    def api(user) -> str:
        client.force_login(user)
        return client.get(f"/api/followups/{followup.public_id}").content.decode()

    assert "REMEDY-7c1" in api(world.cast.alice) and "VERIFY-9f2" in api(world.cast.alice)
    assert "REMEDY-7c1" in api(world.cast.charlie) and "VERIFY-9f2" not in api(world.cast.charlie)
    assert "REMEDY-7c1" not in api(world.cast.bob) and "REMEDY-open" in api(world.cast.bob)
    # the remedy events of the confidential deviation are the lead's only
    assert timeline(access_followup(world.cast.alice, followup.public_id)).filter(
        kind="remedy", confidential=True
    )
    assert not timeline(access_followup(world.cast.bob, followup.public_id)).filter(
        kind="remedy", confidential=True
    )


def test_pages_give_404_to_others(world, client_for):
    # Given a Globex case led by Jämtland (Stockholm has no contract with Globex)
    followup = to_assessed_globex(
        world, open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    )
    deviation = record(world, followup, user=world.cast.contact_jamtland)
    remedy = _report(world, deviation, user=world.cast.dave)
    ragnar = _second_firm_auditor()
    urls = [
        reverse("followups:remedy-create", args=[deviation.public_id]),
        reverse("followups:remedy-review", args=[remedy.public_id]),
        reverse("portal:remedy-report", args=[deviation.public_id]),
    ]
    # Then another region's buyer, an auditor of another firm and another supplier get 404
    for user in (world.cast.alice, world.cast.auditor, ragnar, world.cast.charlie):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"decision": "verify", "verification": "x"}).status_code == 404
    assert Remedy.objects.get().status == "reported"
    # and the lead and the supplier get their pages
    assert client_for(world.cast.contact_jamtland).get(urls[0]).status_code == 200
    assert client_for(world.cast.contact_jamtland).get(urls[1]).status_code == 200
    assert client_for(world.cast.dave).get(urls[2]).status_code == 200


# --- through the pages -------------------------------------------------------------------------


def _in_english(*users) -> None:
    """The pages below are read in English (their messages are asserted in English)."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def test_the_lead_records_remedy_through_the_page(world, client_for):
    deviation = _deviation(world)
    _in_english(world.cast.alice)
    client = client_for(world.cast.alice)
    case = client.get(reverse("followups:followup-detail", args=[deviation.followup.public_id]))
    url = reverse("followups:remedy-create", args=[deviation.public_id])
    assert url in case.content.decode()
    # a wrong entry shows the messages beside the fields and saves nothing
    wrong = client.post(
        url,
        {
            "description": "",
            "people_reached": "-3",
            "amount_repaid_sek": "-1",
            "delivered_on": (_today() + timedelta(days=2)).isoformat(),
            "verification": "",
        },
    )
    page = wrong.content.decode()
    assert wrong.status_code == 200 and not Remedy.objects.exists()
    for message in (
        "Describe the remedy that was delivered.",
        "The number of people reached cannot be negative.",
        "The amount repaid cannot be negative.",
        "The delivery date cannot be in the future.",
        "Say how the remedy was verified, and by whom.",
    ):
        assert message in page
    done = client.post(
        url,
        {
            "description": "Recruitment fees repaid",
            "people_reached": "38",
            "amount_repaid_sek": "152000",
            "delivered_on": _today().isoformat(),
            "verification": "Receipts checked by the audit firm.",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith(f"#dev-{deviation.pk}")
    remedy = Remedy.objects.get()
    assert remedy.status == "verified" and remedy.amount_repaid_sek == 152000
    case = client.get(done["Location"]).content.decode()
    assert "Recruitment fees repaid" in case and "Receipts checked by the audit firm." in case


def test_the_portal_report_then_the_leads_verify_and_reject(world, client_for):
    deviation = _deviation(world)
    _in_english(world.cast.charlie, world.cast.alice, world.cast.contact_jamtland)
    supplier = client_for(world.cast.charlie)
    portal_case = reverse("portal:case", args=[deviation.followup.public_id])
    url = reverse("portal:remedy-report", args=[deviation.public_id])
    assert url in supplier.get(portal_case).content.decode()
    # the form has no verification field: the supplier reports, the lead verifies
    form = supplier.get(url).content.decode()
    assert 'name="verification"' not in form
    wrong = supplier.post(url, {"description": "", "delivered_on": ""})
    assert "Describe the remedy that was delivered." in wrong.content.decode()
    for description in ("First remedy", "Second remedy"):
        sent = supplier.post(
            url,
            {
                "description": description,
                "people_reached": "5",
                "amount_repaid_sek": "1200",
                "delivered_on": _today().isoformat(),
            },
        )
        assert sent.status_code == 302
    first, second = Remedy.objects.order_by("pk")
    assert first.status == second.status == "reported"
    assert "Waiting for the lead region" in supplier.get(portal_case).content.decode()

    lead = client_for(world.cast.alice)
    case = lead.get(reverse("followups:followup-detail", args=[deviation.followup.public_id]))
    review = reverse("followups:remedy-review", args=[first.public_id])
    assert review in case.content.decode()
    assert "cannot be changed afterwards" in lead.get(review).content.decode()
    # verifying needs how and by whom
    missing = lead.post(review, {"decision": "verify", "verification": ""})
    assert "Say how the remedy was verified, and by whom." in missing.content.decode()
    ok = lead.post(review, {"decision": "verify", "verification": "Bank slips checked by Alice."})
    assert ok.status_code == 302
    first.refresh_from_db()
    assert first.status == "verified" and first.verified_by == world.cast.alice
    # the review page of a verified remedy has nothing left to confirm
    assert 'value="verify"' not in lead.get(review).content.decode()
    reject = reverse("followups:remedy-review", args=[second.public_id])
    lead.post(reject, {"decision": "reject", "reason": "REASON-41: no receipts were sent."})
    second.refresh_from_db()
    assert second.status == "rejected"
    # the supplier reads the reason and the verification of its (ordinary) deviation
    shown = client_for(world.cast.charlie).get(portal_case).content.decode()
    assert "REASON-41: no receipts were sent." in shown
    assert "Bank slips checked by Alice." in shown
    texts = [e.shown_message for e in CaseEvent.objects.filter(kind="remedy").order_by("pk")]
    assert len(texts) == 4 and "REASON-41" in texts[-1]


# --- the reporting selector --------------------------------------------------------------------


def test_verified_remedies_by_delivery_year_and_region(world):
    this_year = _today().year
    # Medisupply's case: its contract is Stockholm's and Jämtland's; Globex's: Jämtland's only
    medisupply = _deviation(world, site=world.site_a1)
    medisupply.followup.contracts.set([world.contract_a])
    globex_case = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    globex_case.contracts.set([world.contract_b])
    globex_case = to_assessed_globex(world, globex_case)
    globex = record(world, globex_case, user=world.cast.contact_jamtland)
    now = _record(world, medisupply, people_reached=38, amount_repaid_sek=Decimal("152000"))
    last_year = _record(
        world,
        medisupply,
        people_reached=4,
        delivered_on=date(this_year - 1, 12, 20),  # verified this year, delivered last year
    )
    abroad = services.record_remedy(
        globex,
        acting_user=world.cast.contact_jamtland,
        description="Back pay",
        people_reached=7,
        amount_repaid_sek=Decimal("900"),
        delivered_on=_today(),
        verification="Checked.",
    )
    _report(world, medisupply)  # reported, not verified: never counted
    rejected = _report(world, medisupply)
    services.reject_remedy(rejected, acting_user=world.cast.alice, reason="No proof.")

    assert set(verified_remedies()) == {now, last_year, abroad}
    assert set(verified_remedies(year=this_year)) == {now, abroad}
    assert set(verified_remedies(year=this_year - 1)) == {last_year}
    assert set(verified_remedies(region=world.stockholm)) == {now, last_year}
    assert set(verified_remedies(year=this_year, region=world.jamtland)) == {now, abroad}
    assert set(verified_remedies(region=world.skane)) == set()
    assert not verified_remedies(region=world.jamtland.pk).filter(pk=rejected.pk)
    # the country: the deviation's site, else the supplier's
    assert remedy_country(now) == "MY"
    assert remedy_country(abroad) == "GB"


def to_assessed_globex(world, followup):
    """Move a Globex case (led by Jämtland) to assessed with a deviation found on PR1."""
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.dave)
    followup.refresh_from_db()
    services.assess(
        followup,
        verdicts={
            r.pk: ("deviation" if r.number == 1 else "approved", "No policy.")
            for r in followup.clause.process_requirements.all()
        },
        acting_user=world.cast.contact_jamtland,
    )
    followup.refresh_from_db()
    return followup


# --- in a real browser ---------------------------------------------------------------------------


def _look(page, problems: list[str], name: str) -> None:
    """axe-core and the width at desktop and mobile size (screenshots with HALLBAR_SHOTS)."""
    from hallbar.core.tests.browser import check_page

    problems += check_page(page, "remedy", name)


def _as(page, username: str) -> None:
    from hallbar.core.tests.browser import login
    from hallbar.demo.testing import CAST_PASSWORD

    page.context.clear_cookies()
    login(page, username, CAST_PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lead_records_and_suppliers_report_remedy_in_a_browser(page, world):
    from playwright.sync_api import expect

    problems: list[str] = []
    deviation = _deviation(world)  # Medisupply, led by Stockholm (alice); charlie reads Swedish
    followup = deviation.followup
    globex = record(
        world,
        to_assessed_globex(
            world, open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
        ),
        user=world.cast.contact_jamtland,
    )  # Globex, led by Jämtland (asa); dave reads English

    # The lead records remedy delivered from the case page, first with a date in the future
    _as(page, "alice")
    page.goto(f"/followups/{followup.public_id}/")
    _look(page, problems, "case")
    page.locator(f"a[href='/followups/deviations/{deviation.public_id}/remedy/']").click()
    expect(page.locator("#id_description")).to_be_visible()
    _look(page, problems, "lead-form")
    page.locator("#id_description").fill("Rekryteringsavgifter återbetalade")
    page.locator("#id_people_reached").fill("38")
    page.locator("#id_amount_repaid_sek").fill("152000")
    page.locator("#id_delivered_on").fill((_today() + timedelta(days=5)).isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _look(page, problems, "lead-form-errors")
    assert not Remedy.objects.exists()
    page.locator("#id_delivered_on").fill(_today().isoformat())
    page.locator("#id_verification").fill("Kvitton granskade av revisionsbyrån.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("td", has_text="Kvitton granskade av revisionsbyrån.")).to_be_visible()
    assert Remedy.objects.get().status == "verified"

    # The supplier reports remedy in the portal, in Swedish
    _as(page, "charlie")
    page.goto(f"/portal/{followup.public_id}/")
    expect(page.locator("td", has_text="Rekryteringsavgifter återbetalade")).to_be_visible()
    _look(page, problems, "portal-sv")
    page.locator(f"a[href='/portal/deviations/{deviation.public_id}/remedy/']").click()
    expect(page.locator("#id_description")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#id_verification").count() == 0
    _look(page, problems, "portal-form-sv")
    page.locator("#id_description").fill("Innehållna löner utbetalda")
    page.locator("#id_people_reached").fill("12")
    page.locator("#id_amount_repaid_sek").fill("8 400,50")  # as a Swede writes it
    page.locator("#id_delivered_on").fill(_today().isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("td", has_text="Innehållna löner utbetalda")).to_be_visible()
    reported = Remedy.objects.get(status="reported")
    assert reported.amount_repaid_sek == Decimal("8400.50")

    # and in English
    _as(page, "dave")
    page.goto(f"/portal/deviations/{globex.public_id}/remedy/")
    expect(page.locator("#id_description")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Report remedy delivered" in page.locator("h1").inner_text()
    _look(page, problems, "portal-form-en")
    page.locator("#id_description").fill("Recruitment fees repaid")
    page.locator("#id_people_reached").fill("-2")
    page.locator("#id_delivered_on").fill(_today().isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("The number of people reached cannot be negative.")).to_be_visible()
    page.locator("#id_people_reached").fill("14")
    page.locator("#id_amount_repaid_sek").fill("42,000.00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("td", has_text="Recruitment fees repaid")).to_be_visible()
    expect(page.get_by_text("Waiting for the lead region's verification.")).to_be_visible()
    _look(page, problems, "portal-en")
    assert Remedy.objects.get(deviation=globex).amount_repaid_sek == Decimal("42000")

    # The lead verifies Medisupply's report after checking it
    _as(page, "alice")
    page.goto(f"/followups/{followup.public_id}/")
    page.locator(f"a[href='/followups/remedies/{reported.public_id}/review/']").click()
    expect(page.locator("#id_verification")).to_be_visible()
    _look(page, problems, "review")
    page.locator("#id_verification").fill("Lönebesked granskade av Alice.")
    page.locator("button[name=decision][value=verify]").click()
    expect(page.locator("td", has_text="Lönebesked granskade av Alice.")).to_be_visible()
    _look(page, problems, "case-with-remedies")
    reported.refresh_from_db()
    assert reported.status == "verified"

    # Jämtland rejects Globex's, and dave reads why, in English
    _as(page, "asa")
    remedy = Remedy.objects.get(deviation=globex)
    page.goto(f"/followups/remedies/{remedy.public_id}/review/")
    page.locator("#id_reason").fill("Send the bank transfer records, please.")
    page.locator("button[name=decision][value=reject]").click()
    expect(page.locator("td", has_text="Send the bank transfer records, please.")).to_be_visible()
    _as(page, "dave")
    page.goto(f"/portal/{globex.followup.public_id}/")
    expect(page.locator("td", has_text="Send the bank transfer records, please.")).to_be_visible()
    expect(page.locator(".badge", has_text="not verified")).to_be_visible()
    assert problems == []
