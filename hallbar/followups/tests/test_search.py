"""The header search finds, for each role, what that role may see and nothing else: every kind's
hits come from its own app's list gate and visibility selector (core/search.py)."""

import pytest
from django.urls import reverse

from hallbar.core.search import search_all
from hallbar.followups import services
from hallbar.followups.tests.conftest import open_case

pytestmark = pytest.mark.django_db


def _titles(user, query) -> dict[str, list[str]]:
    return {group.key: [hit.title for hit in group.hits] for group in search_all(user, query)}


def _sent_case(world, supplier):
    followup = open_case(world, supplier=supplier)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    return followup


def test_org_number_in_any_format_finds_the_supplier_its_contracts_and_cases(world):
    case = _sent_case(world, world.supplier_a)
    for query in ("556000-0001", "5560000001", "SE556000000101", "16556000-0001", "556000"):
        found = _titles(world.cast.alice, query)
        assert found["suppliers"] == [world.supplier_a.name], query
        assert any(title.startswith("A-1") for title in found["contracts"]), query
        assert any(title.startswith(case.reference) for title in found["followups"]), query


def test_members_find_by_name_reference_and_category(world):
    case = _sent_case(world, world.supplier_b)
    found = _titles(world.cast.bob, "globex")
    assert found["suppliers"] == [world.supplier_b.name]
    assert [t.split()[0] for t in found["contracts"]] == ["B-1"]
    found = _titles(world.cast.secretariat, case.reference)
    assert [t.split()[0] for t in found["followups"]] == [case.reference]
    assert "categories" in _titles(world.cast.alice, "förbruknings") or _titles(
        world.cast.alice, "consumables"
    )


def test_a_supplier_contact_finds_only_its_own_company(world):
    own = _sent_case(world, world.supplier_a)
    other = _sent_case(world, world.supplier_b)
    charlie = world.cast.charlie
    # Its own company, contracts and sent cases (which open in the portal)
    found = _titles(charlie, "medisupply")
    assert found["suppliers"] == [world.supplier_a.name]
    assert found["followups"] == [f"{own.reference} {world.supplier_a.name}"]
    (group,) = [g for g in search_all(charlie, own.reference) if g.key == "followups"]
    assert group.hits[0].url == reverse("portal:case", args=[own.public_id])
    # Never another supplier, its contracts or its cases, by name, number or reference
    for query in ("globex", "GLOBEX-1", "B-1", other.reference):
        found = _titles(charlie, query)
        assert not found.get("suppliers") and not found.get("contracts"), query
        assert other.reference not in " ".join(found.get("followups", [])), query
    # Categories are the cooperation's working material
    assert "categories" not in _titles(charlie, "handskar")


def test_a_supplier_contact_does_not_find_a_planned_case(world):
    planned = open_case(world, supplier=world.supplier_a)  # not yet sent to the supplier
    assert "followups" not in _titles(world.cast.charlie, planned.reference)
    assert "followups" in _titles(world.cast.alice, planned.reference)


def test_an_auditor_finds_only_the_cases_of_its_audits_and_no_registry(world):
    case = _sent_case(world, world.supplier_a)
    found = _titles(world.cast.auditor, "medisupply")
    assert "suppliers" not in found and "contracts" not in found and "categories" not in found
    assert "followups" not in found or case.reference not in " ".join(found["followups"])


def test_a_user_without_a_role_finds_nothing(world):
    _sent_case(world, world.supplier_a)
    assert search_all(world.cast.nobody, "medisupply") == []


def test_the_search_page(world, client):
    _sent_case(world, world.supplier_a)
    client.force_login(world.cast.alice)
    page = client.get(reverse("core:search"), {"q": "medisupply"}).content.decode()
    assert world.supplier_a.name in page and 'role="search"' in page
    assert client.get(reverse("core:search"), {"q": "m"}).status_code == 200
