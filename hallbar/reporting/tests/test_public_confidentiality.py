"""Nothing confidential reaches a public page or file (issue 14, item 5).

Distinctive values are seeded in every confidential place of a published case (a confidential
deviation's description, the supplier's wording and the commitment, the supplier's name and
number, site and tier-2 sub-supplier names, cities and Open Supply Hub id, the audit report,
documents reviewed and interview notes, a grievance and its channel, remedy texts, a person's
name and e-mail, the case's contact e-mail), and an unpublished case. Then every public URL is
fetched anonymously, in Swedish and English, with every filter value and sort, and no response
may contain any seeded value or the unpublished case.
"""

import json

import pytest
from django.urls import get_resolver, reverse

from hallbar.followups.publication import PUBLIC_SORTS
from hallbar.reporting.opendata import DATASETS, FORMATS, figure_years
from hallbar.reporting.tests.public_world import SECRETS, make_public_world

pytestmark = pytest.mark.django_db

PUBLIC_NAMESPACES = ("results", "public")


def _public_url_names() -> set[str]:
    names = set()
    resolver = get_resolver()
    for namespace in PUBLIC_NAMESPACES:
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def _urls(world) -> dict[str, list[str]]:
    """Every public URL by name, with every filter value, sort and page."""
    list_url = reverse("results:list")
    queries = ["", "?page=2", "?category=", "?country=ZZ"]
    queries += [f"?category={c.slug}" for c in (world.category, world.other_category)]
    queries += ["?country=MY", "?country=TH", "?country=VN", f"?year={world.year}"]
    queries += [f"?year={world.year - 1}", f"?year={world.year}&country=TH&category=x"]
    queries += [f"?sort={p}{key}" for key in PUBLIC_SORTS for p in ("", "-")]
    figures_url = reverse("public:figures")
    return {
        "results:list": [list_url + q for q in queries],
        "results:detail": [
            reverse("results:detail", args=[f.public_id])
            for f in (world.published, world.published_clean)
        ],
        "public:figures": [figures_url] + [f"{figures_url}?year={year}" for year in figure_years()],
        "public:datasets": [reverse("public:datasets")],
        "public:dataset-file": [
            reverse("public:dataset-file", args=[name, file_format])
            for name in DATASETS
            for file_format in FORMATS
        ],
        "public:dcat": [reverse("public:dcat")],
    }


def _variants(text: str) -> set[str]:
    """The value as written, lower-cased, and as HTML and JSON would escape it."""
    return {
        text,
        text.lower(),
        text.replace("'", "&#x27;"),
        json.dumps(text, ensure_ascii=True)[1:-1],
    }


def test_every_public_url_is_fetched_here():
    expected = {
        "results:list",
        "results:detail",
        "public:figures",
        "public:datasets",
        "public:dataset-file",
        "public:dcat",
    }
    assert _public_url_names() == expected


def test_no_public_response_contains_a_confidential_value(cast, client):
    world = make_public_world(cast)
    urls = _urls(world)
    assert set(urls) == _public_url_names()
    forbidden = {key: _variants(value) for key, value in SECRETS.items()}
    checked = 0
    for language in ("sv", "en"):
        client.cookies["django_language"] = language
        for addresses in urls.values():
            for url in addresses:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (url, response.status_code)
                body = response.content.decode("utf-8-sig")
                lowered = body.lower()
                headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
                for key, variants in forbidden.items():
                    for variant in variants:
                        assert variant not in body and variant.lower() not in lowered, (
                            f"{key} ({variant!r}) in {url} [{language}]"
                        )
                        assert variant not in headers, (key, url)
                checked += 1
    assert checked == 2 * sum(len(addresses) for addresses in urls.values())


def test_published_cases_do_appear_and_unpublished_never(cast, client):
    """The sweep above is not vacuous: the published facts are there, the unpublished case not."""
    world = make_public_world(cast)
    page = client.get(reverse("results:list")).content.decode()
    assert world.published.reference in page and world.published_clean.reference in page
    for name in DATASETS:
        for file_format in FORMATS:
            body = client.get(reverse("public:dataset-file", args=[name, file_format]))
            assert world.unpublished.reference not in body.content.decode("utf-8-sig")
    rows = json.loads(client.get("/datasets/published-results.json").content)["rows"]
    assert {row["reference"] for row in rows} == {
        world.published.reference,
        world.published_clean.reference,
    }
    assert (
        client.get(reverse("results:detail", args=[world.unpublished.public_id])).status_code == 404
    )
    summary = client.get(reverse("results:detail", args=[world.published.public_id]))
    assert "Malaysia" in summary.content.decode()  # countries are published, names are not
