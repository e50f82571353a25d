"""No dead ends: the API docs load without a CDN, the secretariat's admin has something to do,
the project's own error pages, a favicon."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_docs_use_the_projects_own_static_files(client):
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # every script, style and link is the project's own: nothing from another host (a CDN). The
    # addresses are read from the attributes: the word "cdn" once turned up inside a CSRF token.
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and all(a.startswith(("/", "#")) for a in addresses), addresses
    assert "https://" not in page


def test_the_secretariat_manages_people_in_the_admin_and_reads_the_rest(cast, client_for):
    client = client_for(cast.secretariat)
    index = client.get("/admin/").content.decode()
    assert "organisations/user/" in index  # not "You don't have permission to view or edit"
    assert client.get("/admin/organisations/user/add/").status_code == 200
    assert client.get(f"/admin/organisations/user/{cast.alice.pk}/change/").status_code == 200
    # read-only elsewhere: the pages' services keep the rules and history of the domain
    assert client.get("/admin/categories/category/").status_code == 200
    assert client.get("/admin/categories/category/add/").status_code == 403


def test_the_secretariat_cannot_make_or_change_a_superuser(cast, client_for):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    client = client_for(cast.secretariat)
    assert client.get(f"/admin/organisations/user/{root.pk}/change/").status_code in (200, 403)
    assert client.post(f"/admin/organisations/user/{root.pk}/password/", {}).status_code == 403
    page = client.get(f"/admin/organisations/user/{cast.alice.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


@pytest.mark.parametrize("language", ["sv", "en"])
@override_settings(DEBUG=False)
def test_own_404_page_in_both_languages(client, cast, language):
    client.force_login(cast.alice)
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'lang="{language}"' in page and reverse("home:start") in page
    assert "URLconf" not in page


@pytest.mark.parametrize(
    ("language", "heading", "back"),
    [
        ("sv", "Inte tillåtet", "Tillbaka till startsidan"),
        ("en", "Not allowed", "Back to the start page"),
    ],
)
@override_settings(DEBUG=False)
def test_own_403_page_in_both_languages(cast, client_for, language, heading, back):
    # The secretariat reads categories in the admin but may not add one: refused, on our page
    client = client_for(cast.secretariat)
    client.cookies["django_language"] = language
    response = client.get("/admin/categories/category/add/")
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert f"<h1>{heading}</h1>" in page
    assert f'<a href="{reverse("home:start")}">{back}</a>' in page


def test_favicon_is_linked(client, cast):
    client.force_login(cast.alice)
    assert "favicon.svg" in client.get(reverse("home:start")).content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("sv", 'lang="sv"'), ("en", "Something went wrong")]
)
def test_own_500_page(rf, language, text):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        page = server_error(rf.get("/")).content.decode()
    assert text in page and 'href="/"' in page


def test_the_server_refuses_the_placeholder_secret_key_without_debug(settings):
    from django.core.exceptions import ImproperlyConfigured

    from config.checks import refuse_placeholder_secret_key

    settings.DEBUG = False
    settings.SECRET_KEY = settings.PLACEHOLDER_SECRET_KEY
    with pytest.raises(ImproperlyConfigured):
        refuse_placeholder_secret_key()
    settings.SECRET_KEY = "a-real-key-" * 5
    refuse_placeholder_secret_key()
