"""The supplier journey in the supplier's language: pages, questions, timeline and mails.

dave (Globex, abroad) prefers English; charlie has not chosen (Swedish mails). The browser's
language does not decide for a person who has chosen.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from hallbar.core.countries import country_name
from hallbar.followups import services
from hallbar.followups.models import Question
from hallbar.followups.tests.conftest import later, open_case, record
from hallbar.organisations.models import Membership

pytestmark = pytest.mark.django_db

SWEDISH_MARKERS = re.compile(r"[åäöÅÄÖ]|\b(och|ska|leverantören|uppfyller|svara)\b", re.I)


def _globex_case(world, django_capture_on_commit_callbacks):
    followup = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_self_assessment(
            followup, due_date=later(20), acting_user=world.cast.secretariat
        )
    followup.refresh_from_db()
    return followup


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_supplier_abroad_reads_the_portal_in_english_whatever_the_browser(
    world, client, django_capture_on_commit_callbacks
):
    # Given a self-assessment sent to Globex, whose contact prefers English
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    client.force_login(world.cast.dave)
    # When dave opens the case with a Swedish browser
    response = client.get(
        reverse("portal:case", args=[followup.public_id]), HTTP_ACCEPT_LANGUAGE="sv"
    )
    html = response.content.decode()
    # Then the page, its questions, the requirement texts and the timeline are in English
    assert '<html lang="en">' in html
    main = _main(html)
    assert "PR1 Policy and responsibility: does the company meet the requirement?" in main
    assert "Answer due" in main and "Self-assessment" in main
    text = re.sub(r"<[^>]+>", " ", main)
    for name in (world.jamtland.name, world.supplier_b.name):
        text = text.replace(name, "")
    assert SWEDISH_MARKERS.search(text) is None, SWEDISH_MARKERS.search(text)


def test_the_portal_home_is_in_the_preferred_language(world, client):
    client.force_login(world.cast.dave)
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="en">' in html and "Supplier portal" in html


def test_each_mail_is_in_its_recipients_language_and_links_to_the_work(
    world, settings, django_capture_on_commit_callbacks
):
    settings.HALLBAR_BASE_URL = "https://hallbar.example.se"
    mail.outbox.clear()
    # When a self-assessment goes to Globex (English) and one to Medisupply (not chosen)
    globex = _globex_case(world, django_capture_on_commit_callbacks)
    medisupply = open_case(world)
    with (
        translation.override("en"),  # the sender's language does not matter
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_self_assessment(
            medisupply, due_date=later(20), acting_user=world.cast.secretariat
        )
    to_dave = next(m for m in mail.outbox if world.cast.dave.email in m.to)
    to_charlie = next(m for m in mail.outbox if world.cast.charlie.email in m.to)
    # Then dave's is in English, charlie's in Swedish, and each links to its portal page
    assert "self-assessment from the Swedish regions" in to_dave.subject
    assert "Log in to hallbar's supplier portal" in to_dave.body
    assert f"https://hallbar.example.se/portal/{globex.public_id}/" in to_dave.body
    assert f"https://hallbar.example.se/portal/{medisupply.public_id}/" in to_charlie.body
    assert world.cast.dave.email not in to_charlie.to


def test_a_deviation_mail_to_the_lead_links_to_the_case(world, django_capture_on_commit_callbacks):
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    from hallbar.followups.tests.conftest import answer_all

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(followup, world.cast.dave)
    to_lead = mail.outbox[-1]
    assert f"/followups/{followup.public_id}/" in to_lead.body
    assert to_lead.body.strip().splitlines()[-1].startswith("http://")


def test_the_timeline_is_read_in_each_readers_language(world, django_capture_on_commit_callbacks):
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    sent = followup.events.get(kind="status", to_status="sent")
    with translation.override("en"):
        english = sent.shown_message
    with translation.override("sv"):
        swedish = sent.shown_message
    assert english.startswith("Answer due ") and english != swedish


def test_choice_questions_show_the_readers_labels_and_store_one_value(
    world, django_capture_on_commit_callbacks
):
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    question = followup.response.questionnaire.questions.get(kind=Question.Kind.CHOICE)
    with translation.override("en"):
        labels = [str(label) for _value, label in question.shown_choices()]
    assert labels == ["tier 1", "tier 2", "raw material"]
    assert [value for value, _label in question.shown_choices()] == question.choices


def test_a_question_without_english_text_is_marked_missing(
    world, client, django_capture_on_commit_callbacks
):
    # Given a requirement whose English title was never written
    requirement = world.clause.process_requirements.get(number=2)
    type(requirement).objects.filter(pk=requirement.pk).update(title_en="")
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    question = followup.response.questionnaire.questions.get(requirement=requirement, position=3)
    assert question.text_en == "" and question.text
    client.force_login(world.cast.dave)
    main = _main(client.get(reverse("portal:case", args=[followup.public_id])).content.decode())
    # Then the English page says so, and does not show the Swedish question instead
    assert "No English text yet" in main
    assert question.text not in main


def test_country_names_follow_the_language():
    assert country_name("GB", "en") == "United Kingdom"
    assert country_name("GB", "sv") == "Förenade kungariket"
    with translation.override("sv"):
        assert country_name("DE") == "Tyskland"


def test_people_choose_their_language_and_the_secretariat_sets_a_contacts(world, client):
    charlie = world.cast.charlie
    client.force_login(charlie)
    response = client.post(reverse("account:language"), {"language": "en"})
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.language == "en"
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="en">' in html
    # the secretariat sets dave's language from his membership; a buyer may not
    membership = Membership.objects.get(user=world.cast.dave)
    url = reverse("account:person-language", args=[membership.public_id])
    client.force_login(world.cast.bob)
    assert client.get(url).status_code == 404
    assert client.post(url, {"language": "sv"}).status_code == 404
    client.force_login(world.cast.secretariat)
    assert client.post(url, {"language": "sv"}).status_code == 302
    world.cast.dave.refresh_from_db()
    assert world.cast.dave.language == "sv"


def test_the_language_switch_remembers_the_choice_for_a_signed_in_person(world, client):
    client.force_login(world.cast.alice)
    client.post(reverse("core:set-language"), {"language": "en", "next": "/"})
    world.cast.alice.refresh_from_db()
    assert world.cast.alice.language == "en"


def test_the_secretariat_sees_the_contacts_languages_on_the_supplier_page(world, client):
    client.force_login(world.cast.secretariat)
    url = reverse("suppliers:supplier-detail", args=[world.supplier_b.public_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    membership = Membership.objects.get(user=world.cast.dave)
    assert reverse("account:person-language", args=[membership.public_id]) in html
    client.force_login(world.cast.bob)
    assert "person-language" not in client.get(url).content.decode()
    assert str(membership.public_id) not in client.get(url).content.decode()


def test_the_lead_writes_to_the_supplier_abroad_and_the_supplier_reads_it(
    world, client, django_capture_on_commit_callbacks
):
    from hallbar.followups.tests.conftest import answer_all

    followup = _globex_case(world, django_capture_on_commit_callbacks)
    answer_all(followup, world.cast.dave)
    followup.refresh_from_db()
    verdicts = {r.pk: ("approved", "") for r in followup.clause.process_requirements.all()}
    services.assess(followup, verdicts=verdicts, acting_user=world.cast.contact_jamtland)
    record(
        world,
        followup,
        user=world.cast.contact_jamtland,
        pr=3,
        description="No action has been taken against the risks found in the supply chain.",
    )
    client.force_login(world.cast.dave)
    main = _main(client.get(reverse("portal:case", args=[followup.public_id])).content.decode())
    assert "PR3 Cease, prevent and mitigate" in main
    assert "What PR3 requires" in main
    assert "Deviation 1 (major): PR3." in main  # the timeline line, in English


def test_the_lead_is_told_which_language_the_supplier_reads(
    world, client, django_capture_on_commit_callbacks
):
    followup = _globex_case(world, django_capture_on_commit_callbacks)
    client.force_login(world.cast.contact_jamtland)
    html = client.get(
        reverse("followups:followup-detail", args=[followup.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The supplier reads" in html and "English" in html
