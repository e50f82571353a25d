"""The library's pages and API: list filters and paging, editing drafts, publishing, the diff."""

import re

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from hallbar.categories.models import Category
from hallbar.requirements.api import router
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion, Status
from hallbar.requirements.selectors import CriterionFilters, filter_criteria
from hallbar.requirements.services import create_criterion, publish_version

pytestmark = pytest.mark.django_db

LIST = reverse("requirements:criterion-list")


def _references(response) -> list[str]:
    return re.findall(r">(HU-[A-Z0-9-]+:\d+)</a>", response.content.decode())


# --- the criteria list ---------------------------------------------------------------------------


def test_list_shows_current_versions_by_default(library, cast, client_for):
    references = _references(client_for(cast.alice).get(LIST))
    assert "HU-TEX-01:2" in references and "HU-LAK-01:1" in references  # published and draft
    assert "HU-TEX-01:1" not in references  # superseded
    assert references == sorted(references)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "spearhead"}, {"HU-MT-01:1", "HU-PAP-01:1", "HU-LAK-01:1"}),
        ({"criterion_type": "qualification"}, {"HU-SYS-01:1", "HU-SYS-02:1"}),
        ({"area": "human_rights"}, {"HU-IT-02:1"}),
        ({"category": "laundry-and-textiles"}, {"HU-TEX-01:2", "HU-TEX-02:1"}),
        ({"status": "superseded"}, {"HU-TEX-01:1"}),
        ({"status": "draft"}, {"HU-LAK-01:1"}),
        ({"q": "konfliktmineraler"}, {"HU-IT-02:1"}),
        ({"q": "hu-tex"}, {"HU-TEX-01:2", "HU-TEX-02:1"}),
        ({"category": "it", "level": "basic"}, {"HU-IT-01:1"}),
    ],
)
def test_list_filters(library, cast, client_for, query, expected):
    response = client_for(cast.bob).get(LIST, query)
    assert response.status_code == 200
    assert set(_references(response)) == expected


def test_bad_filter_values_are_ignored_not_errors(library, cast, client_for):
    response = client_for(cast.alice).get(
        LIST, {"level": "nonsense", "category": "no-such", "sort": "evil", "page": "x"}
    )
    assert response.status_code == 200
    assert len(_references(response)) == 16


def test_sorting_by_level_and_descending(library, cast):
    criteria = Criterion.objects.all()
    by_level = filter_criteria(criteria, CriterionFilters(sort="level"))
    ranks = [c.level_rank for c in by_level]
    assert ranks == sorted(ranks)
    newest_first = list(filter_criteria(criteria, CriterionFilters(sort="-updated")))
    assert newest_first[0].updated_at >= newest_first[-1].updated_at


def test_list_is_paged(library, cast, client_for):
    # Given 30 more published criteria (46 current ones, 25 a page)
    for n in range(30):
        criterion = create_criterion(
            acting_user=cast.secretariat,
            identifier=f"HU-PAGE-{n:02d}",
            level="basic",
            criterion_type="award_criterion",
            area="environment",
            title=f"Sidkriterium {n}",
            requirement_text="Krav.",
        )
        publish_version(criterion, note="x", acting_user=cast.secretariat)
    client = client_for(cast.alice)
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(_references(first)) == 25 and len(_references(second)) == 21
    assert not set(_references(first)) & set(_references(second))
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    # the paging keeps the filters
    filtered = client.get(LIST, {"criterion_type": "award_criterion", "page": 2})
    assert "criterion_type=award_criterion" in filtered.content.decode()
    awards = Criterion.objects.filter(criterion_type="award_criterion").count()
    assert awards == 33 and len(_references(filtered)) == awards - 25
    # a page past the end shows the last page
    assert _references(client.get(LIST, {"page": 99})) == _references(second)


def test_list_query_count_does_not_grow_with_the_page(
    library, cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.alice)
    client.get(LIST)  # warm the session and the user's memberships
    with django_assert_max_num_queries(12):
        client.get(LIST, {"status": "all"})


def test_empty_states(cast, client_for):
    client = client_for(cast.secretariat)
    page = client.get(LIST).content.decode()
    assert "empty" in page and reverse("requirements:criterion-create") in page
    assert "empty" in client.get(LIST, {"q": "ingenting"}).content.decode()
    versions = client.get(reverse("requirements:code-list")).content.decode()
    assert reverse("requirements:code-create") in versions
    assert client.get(reverse("requirements:index")).status_code == 200


# --- editing and publishing through the pages ----------------------------------------------------

NEW_CRITERION = {
    "identifier": "hu-pap-02",
    "title": "Klorfritt blekt papper",
    "level": "basic",
    "criterion_type": "technical_specification",
    "area": "environment",
    "requirement_text": "Pappret ska vara blekt utan klorgas.",
    "rationale": "Klorblekning ger giftiga utsläpp.",
    "verification": "Produktblad.",
}


def test_secretariat_writes_edits_and_publishes_a_criterion(library, cast, client_for):
    client = client_for(cast.secretariat)
    it = Category.objects.get(slug="it")
    # When she writes a new criterion
    response = client.post(
        reverse("requirements:criterion-create"), {**NEW_CRITERION, "categories": [it.pk]}
    )
    criterion = Criterion.objects.get(identifier="HU-PAP-02")
    assert response.status_code == 302 and criterion.is_draft and criterion.version == 1
    # And edits the draft (the identifier cannot change)
    edit = reverse("requirements:criterion-edit", args=[criterion.public_id])
    client.post(edit, {**NEW_CRITERION, "identifier": "HU-OTHER-01", "title": "Klorfritt papper"})
    criterion.refresh_from_db()
    assert (criterion.identifier, criterion.title) == ("HU-PAP-02", "Klorfritt papper")
    assert not criterion.categories.exists()
    # Then publishing asks for confirmation and a note first
    publish = reverse("requirements:criterion-publish", args=[criterion.public_id])
    confirm = client.get(publish)
    assert confirm.status_code == 200 and 'name="note"' in confirm.content.decode()
    refused = client.post(publish, {"note": ""})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    criterion.refresh_from_db()
    assert criterion.is_draft
    assert client.post(publish, {"note": "Första versionen."}).status_code == 302
    criterion.refresh_from_db()
    assert criterion.status == Status.PUBLISHED and criterion.change_note == "Första versionen."


def test_duplicate_identifier_is_refused_with_a_message(library, cast, client_for):
    response = client_for(cast.secretariat).post(
        reverse("requirements:criterion-create"), {**NEW_CRITERION, "identifier": "HU-TEX-01"}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Criterion.objects.filter(identifier="HU-TEX-01").count() == 2


def test_editing_a_published_version_is_refused(library, cast, client_for):
    client = client_for(cast.secretariat)
    edit = reverse("requirements:criterion-edit", args=[library.tex_v2.public_id])
    response = client.post(edit, {**NEW_CRITERION, "title": "Ändrad"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "requirements:criterion-detail", args=[library.tex_v2.public_id]
    )
    library.tex_v2.refresh_from_db()
    assert library.tex_v2.title != "Ändrad"
    publish = reverse("requirements:code-publish", args=[library.code_v2.public_id])
    assert client.post(publish, {"note": "x"}).status_code == 302
    library.code_v2.refresh_from_db()
    assert library.code_v2.change_note != "x"


def test_new_version_from_the_detail_page_then_publish_supersedes(library, cast, client_for):
    client = client_for(cast.secretariat)
    detail = client.get(reverse("requirements:clause-detail", args=[library.clause_2024.public_id]))
    new_version = reverse("requirements:clause-new-version", args=[library.clause_2024.public_id])
    assert new_version in detail.content.decode()
    response = client.post(new_version)
    draft = ContractClause.objects.drafts().get()
    assert response["Location"] == reverse("requirements:clause-edit", args=[draft.public_id])
    # a second click does not start a second draft
    client.post(new_version)
    assert ContractClause.objects.drafts().count() == 1
    client.post(
        reverse("requirements:clause-publish", args=[draft.public_id]), {"note": "Nytt vite."}
    )
    library.clause_2024.refresh_from_db()
    assert library.clause_2024.status == Status.SUPERSEDED


def _formset_post(form_html: str) -> dict:
    """Return the POST data a browser would send for the form's inputs, selects and textareas."""
    data: dict = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form_html):
        data[name] = value
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form_html, re.S
    ):
        data[name] = body.strip()
    for name, body in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form_html, re.S
    ):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    data.pop("language", None)
    data.pop("next", None)
    return data


def test_secretariat_edits_the_code_draft_rows(library, drafts, cast, client_for):
    client = client_for(cast.secretariat)
    edit = reverse("requirements:code-edit", args=[drafts.code.public_id])
    data = _formset_post(client.get(edit).content.decode())
    rows = int(data["commitments-TOTAL_FORMS"])
    # add a commitment in an empty extra row and delete the first zero-tolerance deviation
    data[f"commitments-{rows - 1}-area"] = "environment"
    data[f"commitments-{rows - 1}-text"] = "Leverantören minskar sin vattenanvändning."
    data["zero-0-DELETE"] = "on"
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    code = CodeOfConduct.objects.get(pk=drafts.code.pk)
    assert code.commitments.filter(text__contains="vattenanvändning").exists()
    assert not code.zero_tolerance_items.filter(key="child-labour").exists()
    assert code.commitments.count() == library.code_v2.commitments.count() + 1
    # the published version is untouched
    assert library.code_v2.zero_tolerance_items.filter(key="child-labour").exists()


def test_secretariat_edits_the_clause_parameters(library, drafts, cast, client_for):
    client = client_for(cast.secretariat)
    edit = reverse("requirements:clause-edit", args=[drafts.clause.public_id])
    data = _formset_post(client.get(edit).content.decode())
    data.update({"reporting_days": "7", "vite_per_week_sek": "15000", "vite_cap_weeks": "12"})
    assert client.post(edit, data).status_code == 302
    clause = ContractClause.objects.get(pk=drafts.clause.pk)
    assert (clause.reporting_days, clause.vite_per_week_sek, clause.vite_cap_weeks) == (
        7,
        15_000,
        12,
    )
    assert clause.process_requirements.count() == 7


def test_diff_page_marks_changes_with_ins_del_and_text(library, cast, client_for):
    client = client_for(cast.alice)
    url = reverse("requirements:clause-diff")
    query = {"from": library.clause_2021.public_id, "to": library.clause_2024.public_id}
    page = client.get(url, query).content.decode()
    assert "<del>" in page and "<ins>" in page
    assert 'class="visually-hidden">[' in page  # the change is said in words, not only shown
    assert page.count("<tr>") > 10
    only_changes = client.get(url, {**query, "changes": "1"}).content.decode()
    assert only_changes.count("<tr>") < page.count("<tr>")
    # the order of the two versions does not matter: the older is always on the left
    swapped = client.get(
        url, {"from": library.clause_2024.public_id, "to": library.clause_2021.public_id}
    ).content.decode()
    table = re.compile(r"<table aria-describedby.*?</table>", re.S)
    assert table.search(swapped).group(0) == table.search(page).group(0)


def test_diff_with_only_one_version_redirects(library, cast, client_for):
    client = client_for(cast.alice)
    lonely = Criterion.objects.get(identifier="HU-IT-01")
    response = client.get(reverse("requirements:criterion-diff"), {"to": lonely.public_id})
    assert response.status_code == 302


def test_clause_page_shows_parameters_and_vite_table(library, cast, client_for):
    page = (
        client_for(cast.charlie)
        .get(reverse("requirements:clause-detail", args=[library.clause_2024.public_id]))
        .content.decode()
    )
    assert "PR7" in page and "14" in page
    assert "100\u202f000 kr" in page or "100 000 kr" in page  # the cap: 10 weeks × 10 000 kr
    assert "history" not in page  # outsiders do not see the internal history


# --- API ---------------------------------------------------------------------------------------

api = TestClient(router)


def test_api_lists_published_criteria_with_filters_and_paging(library, cast):
    response = api.get("/criteria?category=laundry-and-textiles", user=cast.alice)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and [c["reference"] for c in body["items"]] == [
        "HU-TEX-01:2",
        "HU-TEX-02:1",
    ]
    assert body["items"][0]["categories"] == ["laundry-and-textiles"]
    paged = api.get("/criteria?page_size=5&page=2", user=cast.alice).json()
    assert (paged["count"], paged["pages"], paged["page"], len(paged["items"])) == (15, 3, 2, 5)
    drafts = api.get("/criteria?status=draft", user=cast.alice).json()
    assert [c["reference"] for c in drafts["items"]] == ["HU-LAK-01:1"]


def test_api_rejects_bad_filters_with_the_field(library, cast):
    response = api.get("/criteria?level=nonsense", user=cast.alice)
    assert response.status_code == 422
    assert "level" in str(response.json())


@pytest.mark.parametrize("who", ["charlie", "auditor", "nobody"])
def test_api_criteria_are_for_the_cooperation_only(library, cast, who):
    assert api.get("/criteria", user=getattr(cast, who)).status_code == 404


@pytest.mark.parametrize("who", ["alice", "charlie", "auditor"])
def test_api_current_clause_and_code(library, cast, who):
    user = getattr(cast, who)
    clause = api.get("/clause/current", user=user).json()
    assert (clause["version"], clause["reporting_days"], clause["max_vite_sek"]) == (
        2024,
        14,
        100_000,
    )
    assert [pr["code"] for pr in clause["process_requirements"]] == [f"PR{n}" for n in range(1, 8)]
    code = api.get("/code/current", user=user).json()
    assert code["version"] == 2 and len(code["zero_tolerance_deviations"]) == 7


def test_api_current_documents_are_404_for_nobody(library, cast):
    assert api.get("/clause/current", user=cast.nobody).status_code == 404
    assert api.get("/code/current", user=cast.nobody).status_code == 404


def test_api_current_documents_are_404_when_none_is_published(cast):
    assert api.get("/clause/current", user=cast.alice).status_code == 404
    assert api.get("/code/current", user=cast.charlie).status_code == 404
