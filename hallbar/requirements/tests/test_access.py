"""Who sees and changes what, for every member of the cast: missing or forbidden is 404."""

import uuid

import pytest
from django.http import Http404
from django.urls import reverse

from hallbar.requirements.access import access_code, access_criterion, access_version_for_write
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion

pytestmark = pytest.mark.django_db

MEMBERS = ["secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob"]
OUTSIDERS = ["charlie", "dave", "auditor"]
READERS = [m for m in MEMBERS if m != "secretariat"]


def _url(name, *args, query=""):
    return reverse(f"requirements:{name}", args=args) + query


def released_document_pages(library):
    """Pages about released code and clause versions: everyone with a role reads them."""
    return [
        _url("index"),
        _url("code-list"),
        _url("code-detail", library.code_v2.public_id),
        _url("code-detail", library.code_v1.public_id),
        _url(
            "code-diff",
            query=f"?from={library.code_v1.public_id}&to={library.code_v2.public_id}",
        ),
        _url("clause-list"),
        _url("clause-detail", library.clause_2024.public_id),
        _url("clause-detail", library.clause_2021.public_id),
        _url("clause-diff", query=f"?to={library.clause_2024.public_id}"),
    ]


def member_pages(library, drafts):
    """Pages only the cooperation reads: drafts and criteria."""
    return [
        _url("code-detail", drafts.code.public_id),
        _url("code-diff", query=f"?from={library.code_v2.public_id}&to={drafts.code.public_id}"),
        _url("clause-detail", drafts.clause.public_id),
        _url("criterion-list"),
        _url("criterion-list", query="?level=advanced&status=all&sort=-updated"),
        _url("criterion-detail", library.tex_v2.public_id),
        _url("criterion-detail", library.tex_v1.public_id),
        _url("criterion-detail", drafts.criterion.public_id),
        _url("criterion-diff", query=f"?to={library.tex_v2.public_id}"),
    ]


def edit_pages(library, drafts):
    """Pages only the secretariat opens."""
    return [
        _url("code-edit", drafts.code.public_id),
        _url("code-publish", drafts.code.public_id),
        _url("clause-edit", drafts.clause.public_id),
        _url("clause-publish", drafts.clause.public_id),
        _url("criterion-create"),
        _url("criterion-edit", drafts.criterion.public_id),
        _url("criterion-publish", drafts.criterion.public_id),
    ]


def test_secretariat_opens_every_page(library, drafts, cast, client_for):
    client = client_for(cast.secretariat)
    for url in (
        released_document_pages(library)
        + member_pages(library, drafts)
        + edit_pages(library, drafts)
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", READERS)
def test_cooperation_members_read_everything_but_edit_nothing(
    library, drafts, cast, client_for, who
):
    client = client_for(getattr(cast, who))
    for url in released_document_pages(library) + member_pages(library, drafts):
        assert client.get(url).status_code == 200, url
    for url in edit_pages(library, drafts):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x"}).status_code == 404, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_suppliers_and_auditors_read_released_code_and_clause_only(
    library, drafts, cast, client_for, who
):
    client = client_for(getattr(cast, who))
    for url in released_document_pages(library):
        assert client.get(url).status_code == 200, url
    for url in member_pages(library, drafts) + edit_pages(library, drafts):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_do_not_see_drafts_in_the_version_lists(library, drafts, cast, client_for, who):
    page = client_for(getattr(cast, who)).get(_url("code-list")).content.decode()
    assert str(library.code_v2.public_id) in page
    assert str(drafts.code.public_id) not in page
    index = client_for(getattr(cast, who)).get(_url("index")).content.decode()
    assert reverse("requirements:criterion-list") not in index


def test_nobody_gets_404_everywhere(library, drafts, cast, client_for):
    client = client_for(cast.nobody)
    for url in (
        released_document_pages(library)
        + member_pages(library, drafts)
        + edit_pages(library, drafts)
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login_page(library, client):
    response = client.get(_url("code-detail", library.code_v2.public_id))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["alice", "charlie", "auditor", "nobody"])
def test_lifecycle_actions_are_404_for_everyone_but_the_secretariat(
    library, drafts, cast, client_for, who
):
    client = client_for(getattr(cast, who))
    assert client.post(_url("code-new-version", drafts.code.public_id)).status_code == 404
    assert client.post(_url("criterion-new-version", library.tex_v2.public_id)).status_code == 404
    assert client.post(_url("code-create")).status_code == 404
    assert client.post(_url("clause-create")).status_code == 404
    assert (
        client.post(_url("code-publish", drafts.code.public_id), {"note": "x"}).status_code == 404
    )
    drafts.code.refresh_from_db()
    assert drafts.code.is_draft
    assert Criterion.objects.filter(identifier="HU-TEX-01").count() == 2


def test_unknown_ids_and_mixed_items_are_404(library, cast, client_for):
    client = client_for(cast.secretariat)
    missing = uuid.uuid4()
    assert client.get(_url("code-detail", missing)).status_code == 404
    assert client.get(_url("criterion-edit", missing)).status_code == 404
    assert client.get(_url("code-diff", query=f"?to={missing}")).status_code == 404
    assert client.get(_url("code-diff", query="?to=not-a-uuid")).status_code == 404
    assert client.get(_url("code-diff")).status_code == 404
    # a criterion id on the code's pages, and two different criteria in one diff
    assert client.get(_url("code-detail", library.tex_v2.public_id)).status_code == 404
    other = Criterion.objects.get(identifier="HU-TEX-02")
    query = f"?from={library.tex_v2.public_id}&to={other.public_id}"
    assert client.get(_url("criterion-diff", query=query)).status_code == 404


def test_access_functions_branch_by_branch(library, drafts, cast):
    code, can_edit = access_code(cast.secretariat, drafts.code.public_id)
    assert code == drafts.code and can_edit
    code, can_edit = access_code(cast.secretariat, library.code_v2.public_id)
    assert not can_edit  # published: never editable
    code, can_edit = access_code(cast.alice, drafts.code.public_id)
    assert not can_edit
    assert access_code(cast.charlie, library.code_v2.public_id) == (library.code_v2, False)
    with pytest.raises(Http404):
        access_code(cast.charlie, drafts.code.public_id)
    with pytest.raises(Http404):
        access_criterion(cast.auditor, library.tex_v2.public_id)
    with pytest.raises(Http404):
        access_code(cast.nobody, library.code_v2.public_id)
    with pytest.raises(Http404):
        access_version_for_write(cast.alice, ContractClause, drafts.clause.public_id)
    assert access_version_for_write(cast.secretariat, CodeOfConduct, library.code_v1.public_id)
