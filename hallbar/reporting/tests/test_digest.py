"""The monthly digest: the right items for each region, in the period, in each reader's language,
once a period, never a confidential deviation's text.

The world (follow-up's test world): Medisupply (supplier A) has an active joint contract with
Stockholm and Jämtland, and an expired one with Skåne; Globex (supplier B) an active contract with
Jämtland only. alice buys for Stockholm; bob buys for Jämtland and reads English; åsa is
Jämtland's sustainability contact. The period is last month.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from hallbar.followups.models import Deviation
from hallbar.followups.tests import conftest as followups_conftest
from hallbar.followups.tests.conftest import open_case
from hallbar.organisations.models import Membership, Role, User
from hallbar.reporting.digest import Period, build_digest, send_digests
from hallbar.reporting.formatting import format_figure
from hallbar.reporting.models import DigestDelivery
from hallbar.reporting.tasks import send_monthly_digest

# The follow-ups' world (the cast with cases), not the figures' world of reporting's conftest.
world = followups_conftest.world

pytestmark = pytest.mark.django_db

BASE = "https://hallbar.example.se"
SECRET = "SECRET-WORKER-NAMED-MARKER"
URL = re.compile(r"https?://[^\s\"<>]+")


def _moment(day: date) -> datetime:
    """Noon of day, local time."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _deviation(followup, number, requirement, **fields):
    defaults = {
        "area": "workers_rights",
        "severity": "major",
        "description": f"Deviation text {followup.reference}-{number}",
        "source": "assessment",
        "found_on": timezone.localdate() - timedelta(days=60),
        "plan_due": timezone.localdate() + timedelta(days=30),
    }
    defaults.update(fields)
    return Deviation.objects.create(
        followup=followup, number=number, requirement=requirement, **defaults
    )


@pytest.fixture
def scene(world, settings):
    """Cases and deviations in, before and after the period, whose right digest is known."""
    settings.HALLBAR_BASE_URL = BASE
    period = Period.before(timezone.localdate())
    inside = _moment(period.first + timedelta(days=9))
    before = _moment(period.first - timedelta(days=5))
    after = _moment(period.last + timedelta(days=1))
    cast = world.cast
    User.objects.filter(pk=cast.bob.pk).update(language="en")
    # Medisupply's case led by Stockholm, its result published in the period
    a1 = open_case(world, lead_region=world.stockholm)
    # Globex's case led by Jämtland, published in the period: Stockholm does not buy from Globex
    b1 = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    # Another Medisupply case, published before the period
    a2 = open_case(world, lead_region=world.stockholm)
    type(a1).objects.filter(pk__in=[a1.pk, b1.pk]).update(published_at=inside)
    type(a1).objects.filter(pk=a2.pk).update(published_at=before)
    pr1 = a1.clause.process_requirements.get(number=1)
    pr2 = a1.clause.process_requirements.get(number=2)
    open_dev = _deviation(a1, 1, pr1)
    secret = _deviation(
        a1,
        2,
        None,
        commitment=f"Forced overtime reported by {SECRET}",
        description=f"{SECRET} told the auditor",
        area="human_rights",
        confidential=True,
        source="grievance",
    )
    closed = _deviation(
        a1, 3, pr2, status="remedied", closed_out_on=period.first + timedelta(days=20)
    )
    late = _deviation(a1, 4, pr1)  # recorded after the period: next month's digest
    old_closure = _deviation(a2, 1, pr1, status="remedied", closed_out_on=before.date())
    globex_dev = _deviation(b1, 1, pr1, area="environment")
    Deviation.objects.filter(pk__in=[open_dev.pk, secret.pk, globex_dev.pk]).update(
        created_at=inside
    )
    Deviation.objects.filter(pk__in=[closed.pk, old_closure.pk]).update(created_at=before)
    Deviation.objects.filter(pk=late.pk).update(created_at=after)
    # A Skåne buyer: Skåne's only contract with Medisupply has expired
    skane_buyer = User.objects.create(username="sven", email="sven@demo.hallbar.invalid")
    Membership.objects.create(
        user=skane_buyer, organisation=world.skane.organisation, role=Role.BUYER
    )
    mail.outbox.clear()
    return {
        "world": world,
        "period": period,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "skane_buyer": skane_buyer,
    }


def _to(user):
    found = [m for m in mail.outbox if m.to == [user.email]]
    assert len(found) <= 1, f"{user} got {len(found)} digests"
    return found[0] if found else None


def _html(message) -> str:
    return message.alternatives[0][0]


def test_each_person_reads_their_regions_suppliers_items_of_the_period(scene):
    world, a1, a2, b1 = scene["world"], scene["a1"], scene["a2"], scene["b1"]
    # When the digest of last month is sent
    run = send_digests(scene["period"])
    # Then alice (Stockholm), bob and åsa (Jämtland) get one each; the Skåne buyer, whose
    # region buys nothing from these suppliers now, gets none
    alice, bob = _to(world.cast.alice), _to(world.cast.bob)
    asa = _to(world.cast.contact_jamtland)
    assert alice and bob and asa
    assert _to(scene["skane_buyer"]) is None
    assert run.sent == 3
    # Stockholm reads Medisupply's result and deviations, nothing of Globex
    assert f"{BASE}/results/{a1.public_id}/" in alice.body
    assert b1.reference not in alice.body and world.supplier_b.name not in alice.body
    # Jämtland buys from both: both results, Globex's deviation too
    assert f"{BASE}/results/{b1.public_id}/" in bob.body
    assert f"{b1.reference}-1" in bob.body
    for message in (alice, bob):
        # recorded in the period: 1 (and 2, below); closed out in the period: 3
        assert f"{a1.reference}-1" in message.body
        assert f"{a1.reference}-3" in message.body
        # not in the period: the result published before, the deviation recorded after,
        # the closure before
        assert f"/results/{a2.public_id}/" not in message.body
        assert f"{a1.reference}-4" not in message.body
        assert f"{a2.reference}-1" not in message.body


def test_a_confidential_deviation_is_counted_by_area_for_its_readers_and_never_described(scene):
    world, a1 = scene["world"], scene["a1"]
    send_digests(scene["period"])
    bob, alice = _to(world.cast.bob), _to(world.cast.alice)
    # bob (Jämtland) may not see the confidential deviation of Stockholm's case: the digest is a
    # per-case view, so he does not learn that it exists, not even as a count by area
    for text in (bob.body, _html(bob)):
        assert "confidential deviation" not in text
        assert "human rights" not in text
    assert f"{a1.reference}-2" not in bob.body
    with translation.override("en"):
        assert build_digest(world.cast.bob, scene["period"]).deviations_by_area == []
    # alice's region leads the case and may read it on the case page, but a mail leaves hallbar:
    # she reads only the count by area
    assert f"{a1.reference}-2" not in alice.body
    with translation.override("en"):
        digest = build_digest(world.cast.alice, scene["period"])
    assert [(c.area, c.count) for c in digest.deviations_by_area] == [("human rights", 1)]
    assert [d.reference for d in digest.deviations] == [f"{a1.reference}-1"]
    # Nobody's mail carries the confidential text or its source, nor any deviation's description
    for message in mail.outbox:
        for text in (message.subject, message.body, _html(message)):
            assert SECRET not in text
            assert "Deviation text" not in text


def test_who_switched_it_off_gets_nothing(scene, client):
    world = scene["world"]
    # Given åsa switches the digest off on her settings page (the language stays as it was)
    client.force_login(world.cast.contact_jamtland)
    page = client.get(reverse("account:language")).content.decode()
    assert 'name="monthly_digest"' in page and "checked" in page
    response = client.post(
        reverse("account:language"), {"language": "", "monthly_digest_shown": "1"}
    )
    assert response.status_code == 302
    world.cast.contact_jamtland.refresh_from_db()
    assert world.cast.contact_jamtland.monthly_digest is False
    # When the digest is sent, then she gets none; the others still do
    send_digests(scene["period"])
    assert _to(world.cast.contact_jamtland) is None
    assert _to(world.cast.bob) is not None


def test_the_language_form_alone_does_not_switch_the_digest_off(world, client):
    # A post that did not show the box (the secretariat's form, an old page) leaves it on
    client.force_login(world.cast.alice)
    client.post(reverse("account:language"), {"language": "en"})
    world.cast.alice.refresh_from_db()
    assert world.cast.alice.language == "en" and world.cast.alice.monthly_digest is True
    # and a supplier contact, for whom there is no digest, is not offered one
    client.force_login(world.cast.charlie)
    assert 'name="monthly_digest"' not in client.get(reverse("account:language")).content.decode()


def test_running_twice_sends_once(scene):
    # When the job runs twice (the task, then the command)
    assert send_monthly_digest.call(scene["period"].key) == 3
    first = len(mail.outbox)
    call_command("send_digest", "--period", scene["period"].key)
    # Then nobody gets a second digest of the period
    assert len(mail.outbox) == first == 3
    assert DigestDelivery.objects.filter(period=scene["period"].key).count() == 3
    assert send_digests(scene["period"]).already_sent == 0  # they are no longer due at all


def test_a_dry_run_sends_and_records_nothing(scene, capsys):
    call_command("send_digest", "--period", scene["period"].key, "--dry-run")
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()
    assert "3 digests would be sent" in capsys.readouterr().out


def test_a_period_with_nothing_new_sends_nothing(scene):
    # Two years back nothing happened: no mail, even though the figures exist
    quiet = Period.before(scene["period"].first.replace(year=scene["period"].year - 2))
    run = send_digests(quiet)
    assert run.sent == 0 and run.nothing_new == 4 and mail.outbox == []


def test_each_reads_their_own_language(scene):
    world, period = scene["world"], scene["period"]
    send_digests(period)
    bob, alice = _to(world.cast.bob), _to(world.cast.alice)
    with translation.override("en"):
        english_month = formats.date_format(period.first, "F Y")
    with translation.override("sv"):
        swedish_month = formats.date_format(period.first, "F Y")
    # bob prefers English: subject, text and figures' labels in English
    assert bob.subject == f"hallbar: what is new for your region in {english_month}"
    assert '<html lang="en">' in _html(bob)
    assert "Follow-ups in the year" in bob.body and "Published results" in bob.body
    # alice has not chosen: Swedish (the month in Swedish; the wording once translated)
    assert swedish_month in alice.subject
    assert '<html lang="sv">' in _html(alice)


def test_every_link_is_absolute(scene):
    send_digests(scene["period"])
    for message in mail.outbox:
        links = URL.findall(message.body) + re.findall(r'href="([^"]+)"', _html(message))
        assert len(links) >= 6
        assert all(link.startswith(BASE + "/") for link in links), links
        # ends with the settings page where the digest is switched off
        assert f"{BASE}{reverse('account:language')}" in links


def test_the_figures_are_the_regions_with_the_national_beside(scene):
    world = scene["world"]
    with translation.override("en"):
        digest = build_digest(world.cast.bob, scene["period"])
    (block,) = digest.figures
    assert block.region == world.jamtland.name
    labels = {line.label: line for line in block.lines}
    # the period's year: Jämtland buys from both suppliers; nationally the cases are the same
    followups = labels["Follow-ups in the year"]
    year_cases = type(scene["a1"]).objects.filter(year=scene["period"].year).count()
    assert followups.national == str(year_cases)


def test_figures_are_written_in_the_readers_language():
    with translation.override("sv"):
        assert format_figure(1234567, "sek") == "1\u202f234\u202f567 kr"
        assert format_figure(None, "count") == "–"
    with translation.override("en"):
        assert format_figure(1234567, "sek") == "1,234,567 kr"
        assert format_figure(3, "days") == "3 days"
        assert format_figure(1, "days") == "1 day"


def test_the_period_is_the_month_before_and_must_be_yyyy_mm(world):
    assert Period.before(date(2027, 1, 15)).key == "2026-12"
    assert Period.parse("2026-02").last.day == 28
    for bad in ("2026-13", "2026-2", "26-02", "x"):
        with pytest.raises(ValueError):
            Period.parse(bad)
    with pytest.raises(CommandError):
        call_command("send_digest", "--period", "2026/11")


def test_an_inactive_region_membership_gets_no_digest(scene):
    world = scene["world"]
    Membership.objects.filter(user=world.cast.alice).update(is_active=False)
    # alice is no longer a Stockholm buyer
    send_digests(scene["period"])
    assert _to(world.cast.alice) is None
    assert _to(world.cast.bob) is not None


def test_a_refused_mail_is_tried_again_on_the_next_run(scene, monkeypatch):
    # Given the mail server refuses bob's digest
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send
    bob = scene["world"].cast.bob

    def send(message, *args, **kwargs):
        if message.to == [bob.email]:
            raise OSError("refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    run = send_digests(scene["period"])
    # Then the others get theirs, and bob's is not recorded as sent
    assert (run.sent, run.failed) == (2, 1)
    assert not DigestDelivery.objects.filter(user=bob).exists()
    # When the server accepts again, the next run sends bob's only
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert send_digests(scene["period"]).sent == 1
    assert _to(bob) is not None
