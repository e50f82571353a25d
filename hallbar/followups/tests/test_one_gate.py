"""One rule per question: a list page, its export, the API and the navigation ask the same access
function, so each member of the cast gets the same answer from all of them, and the same rows.
Mail recipients come from the same rules. Every branch of the access functions this adds has a
case here."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from hallbar.categories.access import can_view_categories
from hallbar.contracts.access import can_list_contracts, sees_contract_internals
from hallbar.core.admin_site import can_use_admin
from hallbar.core.tests.worlds import rolled_back_world
from hallbar.demo.testing import make_cast
from hallbar.followups import access, services
from hallbar.followups.tests.conftest import build_world, open_case, to_assessed
from hallbar.home.context_processors import ENTRIES
from hallbar.organisations.models import Membership, Organisation, Region, Role, User
from hallbar.risk.access import can_run_screening, can_see_screening, spend_upload_region_ids
from hallbar.risk.models import ScreeningRow, ScreeningRun
from hallbar.suppliers.access import (
    can_list_suppliers,
    resolvable_spend_region_ids,
    sees_registry_internals,
)

pytestmark = pytest.mark.django_db

CAST = (
    "secretariat",
    "steering",
    "coordinator_a",
    "contact_jamtland",
    "alice",
    "bob",
    "auditor",
    "charlie",
    "dave",
    "nobody",
)
MEMBERS = {"secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob"}
SUPPLIER_CONTACTS = {"charlie", "dave"}
GRIEVANCE_MARKER = "GRIEVANCE-c41d: the night shift is locked in"


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The follow-up tests' world, built once for the module's 92 tests (about 0.15 s each) in a
    transaction rolled back at the end; each test's own changes are rolled back with the test."""
    yield from rolled_back_world(
        django_db_blocker,
        tmp_path_factory,
        "one-gate",
        lambda: build_world(make_cast()),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )


@pytest.fixture
def world(_module_world, db):
    """A copy of the module's world for each test: a test that changes an object in memory (and
    the row, rolled back) leaves the next test the objects as built."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def cast(world):
    return world.cast


@pytest.fixture
def cases(world):
    """Case A of Medisupply (Stockholm leads, Jämtland buys too), sent, with an office audit
    assigned to rolf; case B of Globex (Jämtland leads), planned, so dave does not see it yet."""
    case_a = to_assessed(world, open_case(world))
    services.order_audit(
        case_a,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        acting_user=world.cast.secretariat,
    )
    case_b = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    return case_a, case_b


def _gate(response) -> str:
    """Return what a page answered: open, sent to the portal (allowed) or not found."""
    if response.status_code == 200:
        return "open"
    if response.status_code == 302 and response["Location"].startswith(reverse("portal:home")):
        return "portal"
    assert response.status_code == 404, response.status_code
    return "closed"


def _api_gate(response) -> str:
    assert response.status_code in {200, 404}, response.status_code
    return "open" if response.status_code == 200 else "closed"


def _login(client, world, who):
    client.logout()
    client.force_login(getattr(world.cast, who))
    return client


# --- the lists: page, export and API give the same answer and the same rows --------------------


@pytest.mark.parametrize("who", CAST)
def test_the_case_list_page_its_export_and_the_api_agree(who, world, cases, client):
    client = _login(client, world, who)
    # When the person opens the case list, its export and the API's list
    page = client.get(reverse("followups:followup-list"))
    export = client.get(reverse("followups:followup-list") + "?format=csv")
    api = client.get(reverse("api:list_followups"))
    # Then all three let it in or none does (a supplier contact's list is its portal)
    allowed = _gate(page) != "closed"
    assert allowed == (_api_gate(api) == "open") == (_gate(export) != "closed")
    assert allowed == access.can_list_followups(getattr(world.cast, who))
    if not allowed:
        return
    # and they list the same cases
    if _gate(page) == "portal":
        assert who in SUPPLIER_CONTACTS
        page = client.get(page["Location"])
        listed = {f.reference for f in page.context["followups"]}
    else:
        listed = {f.reference for f in page.context["rows"]}
        exported = export.content.decode("utf-8-sig").strip().splitlines()[1:]
        assert {line.split(";")[0] for line in exported} == listed  # Swedish CSV
    assert {item["reference"] for item in api.json()["items"]} == listed


@pytest.mark.parametrize("who", CAST)
def test_a_case_page_and_the_api_agree(who, world, cases, client):
    case_a, case_b = cases
    client = _login(client, world, who)
    for case in (case_a, case_b):
        page = client.get(reverse("followups:followup-detail", args=[case.public_id]))
        api = client.get(reverse("api:get_followup", args=[case.public_id]))
        assert (_gate(page) != "closed") == (_api_gate(api) == "open"), case.reference


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize("kind", ["contract", "supplier"])
def test_the_contract_and_supplier_lists_their_exports_and_the_api_agree(kind, who, world, client):
    client = _login(client, world, who)
    list_url = reverse(f"{kind}s:{kind}-list")
    # every region: a buyer's or region contact's contract list otherwise opens on its region
    page = client.get(list_url + ("?region=" if kind == "contract" else ""))
    export = client.get(list_url + "?format=csv")
    api = client.get(reverse(f"api:list_{kind}s"))
    gate = can_list_contracts if kind == "contract" else can_list_suppliers
    allowed = gate(getattr(world.cast, who))
    assert (_gate(page) == "open") == (_api_gate(api) == "open") == allowed
    assert (_gate(export) == "open") == allowed
    if allowed:
        shown = {str(obj.public_id) for obj in page.context["page"].paginator.object_list}
        assert {item["public_id"] for item in api.json()["items"]} == shown
        assert export.content.decode("utf-8-sig").count("\n") == len(shown) + 1


@pytest.mark.parametrize("who", CAST)
def test_contract_and_supplier_pages_and_the_api_agree(who, world, client):
    client = _login(client, world, who)
    for kind, obj in (
        ("contract", world.contract_a),
        ("contract", world.contract_b),
        ("supplier", world.supplier_a),
        ("supplier", world.supplier_b),
    ):
        page = client.get(reverse(f"{kind}s:{kind}-detail", args=[obj.public_id]))
        api = client.get(reverse(f"api:get_{kind}", args=[obj.public_id]))
        assert _gate(page) == _api_gate(api), f"{kind} {obj}"


@pytest.mark.parametrize("who", CAST)
def test_the_supplier_page_and_the_api_show_the_regions_spellings_to_the_same_people(
    who, world, client
):
    world.supplier_a.names.create(name="MEDISUPPLY SVERIGE AKTIEBOLAG", region=world.stockholm)
    client = _login(client, world, who)
    page = client.get(reverse("suppliers:supplier-detail", args=[world.supplier_a.public_id]))
    api = client.get(reverse("api:get_supplier", args=[world.supplier_a.public_id]))
    if page.status_code == 404:
        assert api.status_code == 404
        return
    on_page = "MEDISUPPLY SVERIGE AKTIEBOLAG" in page.content.decode()
    in_api = "MEDISUPPLY SVERIGE AKTIEBOLAG" in api.json()["names"]
    assert on_page == in_api == sees_registry_internals(getattr(world.cast, who))


# --- the navigation shows an entry exactly when its page opens ---------------------------------


@pytest.mark.parametrize("who", CAST)
def test_the_navigation_shows_each_entry_exactly_when_its_page_opens(who, world, client):
    client = _login(client, world, who)
    shown = {item["url"] for item in client.get(reverse("home:start")).context["nav_items"]}
    wrong = []
    for name, _label, _prefix, _gate_function in ENTRIES:
        url = reverse(name)
        response = client.get(url)
        if response.status_code == 302 and response["Location"].split("?")[0] == url:
            # the same page with its default filter in the URL (a buyer's own region)
            response = client.get(response["Location"])
        opens = response.status_code == 200
        if opens != (url in shown):
            wrong.append(f"{name}: page {'opens' if opens else 'closed'}, entry {url in shown}")
    assert wrong == []


# --- a supplier's view of a case is the same in the portal and the API -------------------------


def _grievance_case(world):
    services.send_self_assessment(open_case(world), acting_user=world.cast.secretariat)
    report = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        description=GRIEVANCE_MARKER,
        known_on=date(2025, 1, 5),
        area="workers_rights",
        acting_user=world.cast.secretariat,
    )
    services.triage_report(report, lead_region=world.stockholm, acting_user=world.cast.secretariat)
    report.refresh_from_db()
    return report.followup


def test_the_api_does_not_tell_the_supplier_that_a_deviation_came_from_a_grievance(world, client):
    # Given a grievance triaged into Medisupply's case: its commitment names the source
    followup = _grievance_case(world)
    deviation = followup.deviations.get()
    assert "Grievance" in deviation.commitment
    url = reverse("api:get_followup", args=[followup.public_id])
    # When the supplier reads the case in the API
    served = _login(client, world, "charlie").get(url)
    # Then, as in its portal, it learns of the deviation but not its source or the worker's words
    assert served.json()["deviations"][0]["number"] == deviation.number
    assert served.json()["deviations"][0]["commitment"] == ""
    assert "Grievance" not in served.content.decode()
    assert GRIEVANCE_MARKER not in served.content.decode()
    # and the lead reads the commitment
    lead = _login(client, world, "alice").get(url).json()
    assert lead["deviations"][0]["commitment"] == deviation.commitment


def test_the_supplier_is_mailed_nothing_of_a_grievance(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        followup = _grievance_case(world)
    to_supplier = [m for m in mail.outbox if world.cast.charlie.email in m.to]
    assert to_supplier, "the supplier is told of the case"
    for message in mail.outbox:
        assert GRIEVANCE_MARKER not in message.subject + message.body
    assert followup.deviations.exists()


def test_the_api_counts_only_the_deviations_the_caller_may_see(world, cases, client):
    case_a, _case_b = cases
    from hallbar.followups.tests.conftest import record

    record(world, case_a)
    record(world, case_a, pr=2, confidential=True)
    url = reverse("api:get_followup", args=[case_a.public_id])
    assert _login(client, world, "alice").get(url).json()["deviation_count"] == 2
    bob = _login(client, world, "bob").get(url).json()
    assert bob["deviation_count"] == len(bob["deviations"]) == 1


# --- the screening pages follow the registry's rule for sub-supplier names ---------------------


def test_a_screening_row_shows_sub_supplier_names_only_to_those_the_registry_allows(world, client):
    run = ScreeningRun.objects.create(year=2024, status="done", started_by=world.cast.secretariat)
    row = ScreeningRow.objects.create(
        run=run,
        region_code="SE",
        category_key="general-consumables",
        supplier_key=str(world.supplier_a.pk),
        supplier_label=world.supplier_a.name,
        country="MY",
        spend_sek=Decimal("1000.00"),
        hr=3.0,
        wr=3.0,
        env=3.0,
        be=3.0,
        exposure=1000.0,
        priority="high",
    )
    url = reverse("risk:screening-row", args=[run.public_id, row.pk])
    # When a buyer of another region opens the row: the tier-1 site, not the sub-supplier
    page = _login(client, world, "bob").get(url).content.decode()
    assert world.site_a1.name in page
    assert world.site_a2.name not in page
    # and the secretariat reads both; a supplier contact does not see screenings at all
    assert world.site_a2.name in _login(client, world, "secretariat").get(url).content.decode()
    assert _login(client, world, "charlie").get(url).status_code == 404


# --- mail recipients come from the access rules ------------------------------------------------


def test_each_recipient_may_see_the_case_it_is_told_of(world, cases):
    case_a, case_b = cases
    cast = world.cast
    assert set(access.supplier_contacts_of(case_a)) == {cast.charlie}
    assert set(access.supplier_contacts_of(case_b)) == {cast.dave}
    assert set(access.lead_contacts_of(case_b)) == {cast.contact_jamtland}
    assert set(access.participants_of(case_a)) == {cast.alice, cast.bob, cast.contact_jamtland}
    assert set(access.participants_of(case_b)) == {cast.bob, cast.contact_jamtland}
    assert set(access.secretariat_users()) == {cast.secretariat}
    for case in (case_a, case_b):
        visible = lambda user, case=case: access.followups_visible_to(user).filter(pk=case.pk)  # noqa: E731
        for user in access.supplier_contacts_of(case):
            assert access.is_supplier_of(user, case)
        for user in access.lead_contacts_of(case):
            assert access.can_manage(user, case)
        for user in access.participants_of(case):
            assert visible(user).exists()


def test_a_lead_area_coordinator_is_told_and_leads(world):
    case = open_case(world, lead_area=world.cast.coordinator_a.active_memberships[0].area)
    assert world.cast.coordinator_a in set(access.lead_contacts_of(case))
    assert access.can_manage(world.cast.coordinator_a, case)


def test_no_mail_reaches_a_deactivated_user_or_a_supplier_without_an_organisation(world, cases):
    case_a, _case_b = cases
    world.cast.bob.is_active = False
    world.cast.bob.save(update_fields=["is_active"])
    assert world.cast.bob not in set(access.participants_of(case_a))
    world.supplier_a.organisation = None
    world.supplier_a.save(update_fields=["organisation"])
    case_a.refresh_from_db()
    assert list(access.supplier_contacts_of(case_a)) == []


# --- every branch of the new access functions --------------------------------------------------


def _expect(names, who) -> bool:
    return who in names


GATES = [
    (access.can_list_followups, MEMBERS | {"auditor"} | SUPPLIER_CONTACTS),
    (access.can_use_portal, SUPPLIER_CONTACTS),
    (access.follows_cases_in_portal, SUPPLIER_CONTACTS),
    (can_list_contracts, MEMBERS | SUPPLIER_CONTACTS),
    (can_list_suppliers, MEMBERS | SUPPLIER_CONTACTS),
    (sees_contract_internals, MEMBERS),
    (sees_registry_internals, MEMBERS),
    (can_see_screening, MEMBERS),
    (can_view_categories, MEMBERS),
    (can_run_screening, {"secretariat"}),
    (can_use_admin, {"secretariat"}),
]


@pytest.mark.parametrize("gate, allowed", GATES, ids=lambda value: getattr(value, "__name__", ""))
def test_each_gate_for_the_cast_and_anonymous(gate, allowed, cast):
    for who in CAST:
        assert gate(getattr(cast, who)) == _expect(allowed, who), who
    assert gate(AnonymousUser()) is False


@pytest.mark.parametrize("function", [spend_upload_region_ids, resolvable_spend_region_ids])
def test_the_regions_whose_spend_each_person_uploads_and_resolves(function, cast):
    code = {r.pk: r.county_code for r in Region.objects.all()}
    regions = {who: function(getattr(cast, who)) for who in CAST}
    assert regions.pop("secretariat") is None  # every region
    assert {code[pk] for pk in regions.pop("alice")} == {"01"}
    assert {code[pk] for pk in regions.pop("bob")} == {"23"}
    assert {code[pk] for pk in regions.pop("contact_jamtland")} == {"23"}
    assert all(found == set() for found in regions.values()), regions
    assert function(AnonymousUser()) == set()


def test_a_supplier_contact_who_also_works_in_the_cooperation_keeps_the_case_pages(world, cases):
    case_a, _case_b = cases
    charlie = User.objects.get(pk=world.cast.charlie.pk)  # roles are cached per instance
    # Given the plain supplier contact reads the case in the portal, and the lead in the case file
    assert access.reads_case_in_portal(charlie, access.case_access(charlie, case_a))
    alice = world.cast.alice
    assert not access.reads_case_in_portal(alice, access.case_access(alice, case_a))
    # When charlie also becomes a buyer in Region Skåne
    Membership.objects.create(
        user=charlie,
        organisation=Organisation.objects.get(region__county_code="12"),
        role=Role.BUYER,
    )
    charlie = User.objects.get(pk=charlie.pk)
    # Then the case file is for it too, not only the portal
    assert access.can_use_portal(charlie)
    assert not access.follows_cases_in_portal(charlie)
    assert not access.reads_case_in_portal(charlie, access.case_access(charlie, case_a))


def test_the_admin_is_for_staff_of_the_secretariat_and_superusers(cast):
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    assert can_use_admin(root)
    cast.bob.is_staff = True  # staff without the secretariat role
    assert not can_use_admin(cast.bob)
    cast.secretariat.is_active = False
    assert not can_use_admin(cast.secretariat)
