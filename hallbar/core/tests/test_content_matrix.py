"""The content-marker matrix: confidential material reaches only the people its rule names.

The access matrix (``test_access_matrix.py``) checks who gets which status. This module builds the
same world once (its ``_build_world``), adds a second audit firm and auditor (ragnar) and seeds a
unique marker in every confidential field: a grievance's text, a confidential deviation's
description and commitment, interview notes and report text of an audit, the name and content of
audit report files, a confidential (business-secret) evidence document, an internal case event
and the name, city and Open Supply Hub id of a tier-2 sub-supplier. The flows that seed them
send their mails (locmem backend), and so do the deadline reminders.

Then every case of the access matrix (every URL pattern, with every case's objects: pages, API
operations, CSV/XLSX/OCDS exports, downloads) plus cases for the seeded objects is fetched as
every member of the cast, ragnar and anonymously. A marker must reach exactly the users its rule
names: never anyone else (a leak), and everyone it names somewhere (so the sweep really reaches
the marker, and the rule is not kept by hiding the material from its own readers).

The same responses give the access matrix's statuses: each member of the cast (and nobody logged
in) gets the status its case names, and no GET writes a row. One sweep serves both checks: each
URL is fetched once per user, not once for the statuses and again for the markers.
"""

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from hallbar.core.tests import test_words as words
from hallbar.core.tests.test_access_matrix import (
    ANONYMOUS,
    CASES,
    EVERYONE,
    Case,
    World,
    _build_world,
    _case,
    _changed,
    _counts,
)
from hallbar.core.tests.worlds import rolled_back_world
from hallbar.followups import files
from hallbar.followups import services as followups
from hallbar.followups.deadlines import send_due_reminders
from hallbar.followups.models import Audit, CaseEvent, Deviation, Document, Report
from hallbar.followups.services.common import _document, _event
from hallbar.organisations.models import Organisation, Role, User
from hallbar.organisations.services import add_membership
from hallbar.organisations.tests.matrix import matrix_providers
from hallbar.suppliers.models import ProductionSite
from hallbar.suppliers.services import save_site
from hallbar.training.tests.matrix import training_world

pytestmark = pytest.mark.django_db

SECOND_FIRM = "Andra Revisionsbyrån AB"
USERS = (*EVERYONE, "ragnar", ANONYMOUS)

# --- the rules --------------------------------------------------------------------------------
# The lead of the case is the secretariat and Region Stockholm (alice); rolf ("auditor") made the
# office audit and ragnar (another firm) the factory audit of the same case; charlie is the
# supplier's contact. Steering, Jämtland (bob, contact_jamtland: a participating region), the
# area coordinator, dave, nobody and anonymous are outside every rule below.
LEAD = ("secretariat", "alice")
CASE_AUDITORS = ("auditor", "ragnar")


@dataclass(frozen=True)
class Marker:
    text: str
    readers: tuple[str, ...]  # who may read it
    rule: str
    # who must read it somewhere in the sweep (the control), when not every reader has a page
    # that shows it
    shown_to: tuple[str, ...] | None = None

    @property
    def expected(self) -> set[str]:
        return set(self.readers if self.shown_to is None else self.shown_to)


MARKERS = {
    marker.text: marker
    for marker in (
        Marker(
            "MKGRIEVANCE4e1f",
            LEAD,
            "A grievance's text (and the deviation it became): the lead only (the lead region "
            "and the secretariat); never the case's auditors (a deviation of no audit, and from "
            "a grievance), never the supplier, never another participating region (DESIGN 6, "
            "leak 1).",
        ),
        Marker(
            "MKCONFDEV8a2c",
            (*LEAD, "auditor"),
            "A confidential deviation found in rolf's office audit: the lead and rolf; not "
            "ragnar (another firm), not the supplier, which reads the lead's wording (leak 2, 3).",
        ),
        Marker(
            "MKCOMMIT5d7b",
            (*LEAD, "auditor"),
            "The commitment breached, named in that confidential deviation: the same rule; the "
            "supplier sees only the requirement or 'Code of Conduct' (deviation_label_for).",
        ),
        Marker(
            "MKWORDING3c9e",
            (*LEAD, "charlie"),
            "The lead's wording of the confidential deviation for the supplier: the supplier "
            "and the lead who writes it (the control: the supplier learns what to remedy).",
        ),
        Marker(
            "MKINTERVIEW6b0a",
            (*LEAD, "ragnar"),
            "Worker interview notes of ragnar's factory audit: the lead and ragnar.",
        ),
        Marker(
            "MKAUDITTEXT2f4d",
            (*LEAD, "ragnar"),
            "The report text of ragnar's factory audit: the lead and ragnar.",
        ),
        Marker(
            "MKFACTORYFILE7e3b",
            (*LEAD, "ragnar"),
            "The report file of ragnar's factory audit, its name and its content: the lead and "
            "ragnar; never rolf, whose firm did the office audit (leak 3).",
        ),
        Marker(
            "MKOFFICEFILE1a8c",
            (*LEAD, "auditor"),
            "The report file of rolf's office audit, name and content: the lead and rolf.",
        ),
        Marker(
            "MKSECRETDOC9d5e",
            (*LEAD, "charlie"),
            "A confidential evidence document (business secret), name and content: the lead "
            "(the lead region and the secretariat) and the supplier who gave it, as the portal "
            "promises it; not the case's auditors, not other participating regions.",
        ),
        Marker(
            "MKINTERNAL4b6f",
            LEAD,
            "An internal (confidential) case event: the lead only (DESIGN 6: confidential "
            "events are shown to the lead only).",
        ),
        Marker(
            "MKSUBNAME0c7a",
            (*LEAD, *CASE_AUDITORS, "charlie"),
            "A tier-2 sub-supplier's name: the secretariat, the lead of a case of the supplier, "
            "its assigned auditors and the supplier itself (leak 4).",
        ),
        Marker(
            "MKSUBCITY5e2d",
            (*LEAD, *CASE_AUDITORS, "charlie"),
            "The sub-supplier's city: the same rule as its name (only the registry's pages "
            "show it, which the auditors do not open).",
            shown_to=(*LEAD, "charlie"),
        ),
        Marker(
            "MKSUBOSH8f1b",
            (*LEAD, *CASE_AUDITORS, "charlie"),
            "The sub-supplier's Open Supply Hub id: the same rule as its city.",
            shown_to=(*LEAD, "charlie"),
        ),
    )
}
# Not confidential, and a control that participating regions still read the shared case.
ORDINARY = "MKORDINARY3a7c"
ORDINARY_READERS = (*LEAD, *CASE_AUDITORS, "charlie", "steering", "bob", "contact_jamtland")


def _pdf(name: str, marker: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% " + marker.encode() + b"\n%%EOF\n", content_type="application/pdf"
    )


@dataclass(repr=False)
class Seeded:
    world: World
    ragnar: object
    grievance: Report
    confidential_deviation: Deviation
    factory_audit: Audit
    factory_report: Document
    office_report: Document
    secret_document: Document
    sub_supplier: ProductionSite
    mails: list


def _seed(world: World) -> Seeded:
    """Seed the markers through the services (as the people who would write them)."""
    cast = world.cast
    followup = world.followup
    firm = Organisation.objects.create(name=SECOND_FIRM, kind=Organisation.Kind.AUDIT_FIRM)
    ragnar = User.objects.create_user(
        username="ragnar", first_name="Ragnar", email="ragnar@andra-revision.invalid"
    )
    add_membership(user=ragnar, organisation=firm, role=Role.AUDITOR, acting_user=None)
    sub_supplier = save_site(
        supplier=world.supplier_a,
        site=None,
        acting_user=cast.secretariat,
        name="MKSUBNAME0c7a Latex Co",
        country="TH",
        city="MKSUBCITY5e2d",
        products="latex",
        tier=2,
        osh_id="MKSUBOSH8f1b",
    )
    followup.sites.add(sub_supplier)
    # A grievance, triaged into the case with the lead's wording for the supplier.
    grievance = followups.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        description="MKGRIEVANCE4e1f: a worker in line 4 paid a recruitment fee",
        known_on=date(2025, 1, 5),
        area="workers_rights",
        acting_user=cast.secretariat,
    )
    followups.triage_report(
        grievance,
        followup=followup,
        supplier_description="Review your recruitment practices.",
        acting_user=cast.secretariat,
    )
    followup.refresh_from_db()
    confidential_deviation = followups.record_deviation(
        followup,
        acting_user=cast.alice,
        area="human_rights",
        severity="critical",
        description="MKCONFDEV8a2c: locked exits in building B",
        commitment="MKCOMMIT5d7b: safe exits",
        source="audit",
        audit=world.audit,
        confidential=True,
        site=sub_supplier,
        supplier_description="MKWORDING3c9e: keep every exit unlocked",
    )
    followups.record_deviation(
        followup,
        acting_user=cast.alice,
        requirement=followup.clause.process_requirements.order_by("number").last(),
        area="environment",
        severity="minor",
        description="MKORDINARY3a7c: no chemicals register",
        source="assessment",
        site=sub_supplier,
    )
    followup.refresh_from_db()
    factory_audit = followups.order_audit(
        followup,
        kind="factory",
        firm=firm,
        auditor=ragnar,
        sites=[sub_supplier],
        acting_user=cast.alice,
    )
    today = timezone.localdate()
    followups.save_audit(
        factory_audit,
        acting_user=ragnar,
        documents_reviewed="Payroll",
        interviews="MKINTERVIEW6b0a: twelve workers interviewed",
        report="MKAUDITTEXT2f4d: exits locked at night",
        performed_date=today,
        report_file=_pdf("MKFACTORYFILE7e3b.pdf", "MKFACTORYFILE7e3b"),
        finish=True,
    )
    followups.save_audit(
        world.audit,
        acting_user=cast.auditor,
        documents_reviewed="Policies",
        interviews="",
        report="",
        performed_date=today,
        report_file=_pdf("MKOFFICEFILE1a8c.pdf", "MKOFFICEFILE1a8c"),
    )
    # A business secret the supplier gave as evidence, marked confidential.
    stored = files.store_upload(
        _pdf("MKSECRETDOC9d5e.pdf", "MKSECRETDOC9d5e"), folder=str(followup.public_id)
    )
    secret_document = _document(
        followup,
        stored,
        purpose=Document.Purpose.EVIDENCE,
        document_date=today,
        confidential=True,
        acting_user=cast.charlie,
    )
    _event(
        followup,
        CaseEvent.Kind.AUDIT,
        acting_user=cast.alice,
        message="MKINTERNAL4b6f: the lead's internal note",
        confidential=True,
    )
    # The plan is not enough; then every reminder and escalation due a year on (they mail the
    # supplier, the lead and the secretariat).
    followups.review_action_plan(
        followup, accept=False, comment="Cover every deviation.", acting_user=cast.alice
    )
    send_due_reminders(today + timedelta(days=365))
    grievance.refresh_from_db()
    return Seeded(
        world=world,
        ragnar=ragnar,
        grievance=grievance,
        confidential_deviation=confidential_deviation,
        factory_audit=factory_audit,
        factory_report=Document.objects.get(audit=factory_audit),
        office_report=Document.objects.get(audit=world.audit),
        secret_document=secret_document,
        sub_supplier=sub_supplier,
        mails=[],
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the access matrix's world and the markers once; roll them back afterwards."""

    def build():
        world = _build_world()
        mail.outbox = []
        # The services mail on commit: run those callbacks as a commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            built = _seed(world)
        built.mails = list(mail.outbox)
        return built

    yield from rolled_back_world(
        django_db_blocker,
        tmp_path_factory,
        "content-matrix",
        build,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # the access matrix's single sign-on provider, so that its URLs answer
        SOCIALACCOUNT_PROVIDERS=matrix_providers(),
    )


# --- what is fetched --------------------------------------------------------------------------


def _seeded_ids(*attributes: str):
    return lambda w: tuple(getattr(SEEDED[0], a).public_id for a in attributes)


# The seeded objects are not attributes of the access matrix's World: content cases reach them
# through SEEDED, set once the module's data exists. Their statuses are not checked here (readers
# stay empty): what matters is which markers each user is served.
SEEDED: list[Seeded] = []
CONTENT_CASES = [
    _case("followups:audit-detail", _seeded_ids("factory_audit"), variant="factory", readers=()),
    _case(
        "followups:document-download",
        _seeded_ids("factory_report"),
        variant="factory-report",
        readers=(),
    ),
    _case(
        "followups:document-download",
        _seeded_ids("office_report"),
        variant="office-report",
        readers=(),
    ),
    _case(
        "followups:document-download",
        _seeded_ids("secret_document"),
        variant="secret",
        readers=(),
    ),
    _case("followups:report-detail", _seeded_ids("grievance"), variant="grievance", readers=()),
    _case(
        "followups:deviation-supplier-text",
        _seeded_ids("confidential_deviation"),
        variant="confidential",
        readers=(),
    ),
    _case(
        "suppliers:site-delete",
        lambda w: (w.supplier_a.public_id, SEEDED[0].sub_supplier.public_id),
        variant="sub-supplier",
        readers=(),
    ),
    _case("followups:followup-list", variant="csv", query="?format=csv", readers=()),
    _case("suppliers:supplier-list", variant="xlsx", query="?format=xlsx", readers=()),
    _case(
        "contracts:contract-list",
        variant="xlsx",
        query=lambda w: f"?format=xlsx&q={w.supplier_a.name}",
        readers=(),
    ),
    _case(
        "contracts:contract-list",
        variant="ocds-a",
        query=lambda w: f"?format=ocds&q={w.supplier_a.name}",
        readers=(),
    ),
]
# Every case of the access matrix (POST-only views answer GET with an empty 405), and the seeded
# objects' own.
SWEPT: list[Case] = CASES + CONTENT_CASES
# The pages whose words test_words checks (its PAGES); the sweep checks them in Swedish.
WORD_PAGES = {case.id for case in words.PAGES}


def _body(response) -> bytes:
    """Return all a user is served: the headers (a download's file name) and the body, with an
    XLSX's (zipped) sheets unpacked."""
    # The test client closes the response (a streamed one once read to its end); closing it here
    # would also close the database connection, and with it the module's transaction.
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
    parts = [headers, body]
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    return b"\n".join(parts)


def _found(text: bytes) -> set[str]:
    return {m for m in (*MARKERS, ORDINARY) if m.encode() in text}


@dataclass(frozen=True)
class Answer:
    """What one user was served at one URL."""

    status: int
    location: str
    markers: frozenset[str]


@dataclass
class Sweep:
    answers: dict[str, dict[str, Answer]]  # case id → who → what they were served
    changed: dict[str, dict[str, tuple[int, int]]]  # case id → the row counts its GETs changed
    findings: dict[str, words.Findings]  # who → what the words check found on their pages
    pages_read: dict[str, int]  # who → how many HTML pages the words check read

    def sightings(self, marker: str) -> dict[str, set[str]]:
        """Return who was served the marker → on which cases' URLs."""
        seen: dict[str, set[str]] = defaultdict(set)
        for case_id, answers in self.answers.items():
            for who, answer in answers.items():
                if marker in answer.markers:
                    seen[who].add(case_id)
        return seen


@pytest.fixture(scope="module")
def sweep(seeded, django_db_blocker) -> Sweep:
    """Fetch every swept URL as every user once, URL by URL: the statuses of the access matrix's
    cases, the markers and the words of the Swedish pages come from the same requests.

    Each user is logged in once (a login costs more than most pages); the client then carries
    that user's session key. Each URL's round of requests runs in a savepoint that is rolled
    back, as a test of its own would be, after counting the rows it changed.
    """
    SEEDED[:] = [seeded]
    users = {**seeded.world.cast.everyone(), "ragnar": seeded.ragnar}
    answers: dict[str, dict[str, Answer]] = {}
    changed: dict[str, dict[str, tuple[int, int]]] = {}
    with django_db_blocker.unblock():
        # The training pages' objects, made now rather than on the first training URL: the
        # words check needs every text people typed in before the first page is read.
        training_world(seeded.world)
        texts = words.typed_texts()
        findings = {who: words.Findings(texts) for who in words.READERS}
        pages_read = dict.fromkeys(words.READERS, 0)
        keys = {}
        for who in USERS:
            if who != ANONYMOUS:
                login = Client()
                login.force_login(users[who])
                keys[who] = login.cookies[settings.SESSION_COOKIE_NAME].value
        connection.check_constraints()  # once, not in every test's teardown (rolled_back_world)
        client = Client()
        for case in SWEPT:
            url = case.url(seeded.world)
            with transaction.atomic():
                before = _counts()
                answers[case.id] = {}
                for who in USERS:
                    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
                    if who != ANONYMOUS:
                        client.cookies[settings.SESSION_COOKIE_NAME] = keys[who]
                    response = client.get(url)
                    if case.id in WORD_PAGES and who in findings and case.expected_get(who) == 200:
                        pages_read[who] += words.read_page(findings[who], who, "sv", url, response)
                    answers[case.id][who] = Answer(
                        response.status_code,
                        response.get("Location", ""),
                        frozenset(_found(_body(response))),
                    )
                changed[case.id] = _changed(before, _counts())
                transaction.set_rollback(True)
    return Sweep(answers, changed, findings, pages_read)


# --- the tests --------------------------------------------------------------------------------


def test_the_sweep_covers_every_url_pattern_and_the_seeded_objects(seeded):
    # every case of the access matrix (which has one for every URL pattern) is swept
    assert {c.id for c in CASES} <= {c.id for c in SWEPT}
    assert len({c.id for c in SWEPT}) == len(SWEPT)
    # every marker was seeded where the rule's readers would look for it
    followup = seeded.world.followup
    assert seeded.grievance.followup_id == followup.pk
    assert seeded.factory_audit.auditor == seeded.ragnar
    assert seeded.factory_report.confidential and seeded.secret_document.confidential


@pytest.mark.parametrize("marker", sorted(MARKERS), ids=lambda m: m)
def test_a_confidential_marker_reaches_exactly_the_readers_its_rule_names(marker, sweep):
    rule = MARKERS[marker]
    seen = sweep.sightings(marker)
    # Then nobody outside the rule was served it, on any page, API operation or export
    leaks = {who: sorted(urls) for who, urls in seen.items() if who not in rule.readers}
    assert leaks == {}, f"{marker} leaked. Rule: {rule.rule}"
    # and each reader the rule names reads it somewhere (the sweep reached it)
    assert set(seen) == rule.expected, f"{marker}: {rule.rule}"


def test_an_ordinary_deviation_is_shared_with_every_participant(sweep):
    assert set(sweep.sightings(ORDINARY)) == set(ORDINARY_READERS)


@pytest.mark.parametrize("who", words.READERS)
def test_pages_speak_swedish_without_code_words(who, sweep):
    """test_words.py's check of the Swedish pages, on the pages the sweep fetched (it checks the
    English ones itself)."""
    findings = sweep.findings[who]
    assert sweep.pages_read[who] or who == "nobody"
    assert not findings.found, (
        f"{len(findings.found)} findings as {who} (sv):\n{words.report(findings)}"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_get_gives_each_role_its_status_and_changes_nothing(case, sweep):
    """The access matrix's statuses, from the same requests (the seeded objects change none)."""
    answers = sweep.answers[case.id]
    wrong = []
    for who in (*EVERYONE, ANONYMOUS):
        # When the user (or nobody logged in) opened the URL
        answer, expected = answers[who], case.expected_get(who)
        # Then the status is the expected one: the page, 404, or the login page
        if answer.status != expected:
            wrong.append(f"{who}: {answer.status}, expected {expected}")
        elif (
            who == ANONYMOUS
            and expected == 302
            and not answer.location.startswith(reverse(settings.LOGIN_URL))
        ):
            wrong.append(f"{who}: redirected to {answer.location}, not to the login")
    assert wrong == [], f"GET {case.url(SEEDED[0].world)}"
    # and nothing was written
    assert sweep.changed[case.id] == {}, f"GET {case.url(SEEDED[0].world)} changed data"


def test_no_mail_carries_a_marker_to_anyone_outside_its_rule(seeded) -> None:
    users = {**seeded.world.cast.everyone(), "ragnar": seeded.ragnar}
    by_address = {user.email: who for who, user in users.items() if user.email}
    reached: dict[str, set[str]] = defaultdict(set)
    leaks = []
    for message in seeded.mails:
        text = "\n".join(
            [message.subject, message.body, *(str(a[0]) for a in message.alternatives or [])]
        ).encode()
        markers = _found(text)
        for address in [*message.to, *message.cc, *message.bcc]:
            who = by_address.get(address, f"outsider <{address}>")
            reached[who].add(message.subject)
            leaks += [
                (marker, who, message.subject)
                for marker in markers
                if marker in MARKERS and who not in MARKERS[marker].readers
            ]
    # The flows that seeded the markers mailed the supplier, the secretariat and the new
    # auditor (the cast has no contact of the lead region), and the reminders a year on escalated
    # to the supplier and the secretariat
    assert {"charlie", "secretariat", "ragnar"} <= set(reached), reached
    assert len(reached["secretariat"]) > 1 and len(reached["charlie"]) > 2, reached
    assert leaks == []
