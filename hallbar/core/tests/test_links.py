"""On the demo, as each role: no link on the role's pages leads to a 404 or a server error.

From the start page, two steps along every link of the page's main part and its wide menu (the
menu's pages and their links), at most MAX_LINKS_PER_ROLE links a role. The pages work without
JavaScript, so their links are all in the markup: the crawl reads it through the test client,
without a browser (test_browser_lists.py checks the same roles' pages in one).
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from hallbar.core.tests.test_browser_lists import ROLES, SKIPPED
from hallbar.organisations.models import User

pytestmark = pytest.mark.django_db

MAX_LINKS_PER_ROLE = 150
MAX_REDIRECTS = 5


class _Links(HTMLParser):
    """The href of every link inside <main> or the wide main menu (nav.main-nav--wide)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._open: list[bool] = []  # per open element: is it <main> or the wide menu

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and any(self._open) and values.get("href"):
            self.links.append(values["href"])
        if tag in {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}:
            return
        classes = (values.get("class") or "").split()
        self._open.append(tag == "main" or (tag == "nav" and "main-nav--wide" in classes))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _get(client: Client, url: str):
    """Return the response at the end of url's redirects (at most MAX_REDIRECTS), and its URL."""
    response = client.get(url)
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in {301, 302, 303, 307, 308}:
            break
        url = urljoin(url, response["Location"])
        response = client.get(url)
    return response, url


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # never the developer's var/: the demo writes spend and files
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("load_demo", small=True, stdout=None)


def test_the_link_reader_finds_the_links_of_main_and_the_wide_menu_only():
    html = (
        '<header><a href="/skip">x</a><nav class="main-nav main-nav--compact"><a href="/c">c</a>'
        '</nav><nav class="main-nav main-nav--wide"><a href="/wide">w</a><img src="i.png"></nav>'
        '</header><main><p>Text <a href="/one">1</a><br></p><a>no href</a>'
        '<table><tr><td><a href="/two?q=1">2</a></td></tr></table></main>'
        '<footer><a href="/footer">f</a></footer>'
    )
    assert links_of(html) == ["/wide", "/one", "/two?q=1"]


def test_no_link_on_a_roles_pages_leads_to_a_dead_end(demo):
    problems = []
    for role, username in ROLES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        # From the start page, two steps along every link (the menu's pages and their links)
        seen: set[str] = set()
        frontier = ["/"]
        # each link's page, fetched to check the link, is then read for its own links
        fetched: dict[str, tuple] = {}
        for depth in range(2):
            found = []
            for url in frontier:
                response, url = fetched.pop(url, None) or _get(client, url)
                assert response.status_code == 200, f"{role}: {url} ({response.status_code})"
                for href in links_of(response.content.decode()):
                    parts = urlsplit(urljoin(url, href))
                    if parts.netloc not in {"", "testserver"} or any(s in href for s in SKIPPED):
                        continue
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    if target not in seen and len(seen) < MAX_LINKS_PER_ROLE:
                        seen.add(target)
                        found.append((url, target))
            next_frontier = []
            for source, target in found:
                response, url = _get(client, target)
                if response.status_code >= 400:
                    problems.append(f"{role}: {source} links to {target} ({response.status_code})")
                elif depth == 0:
                    fetched[target] = response, url
                    next_frontier.append(target)
            frontier = next_frontier
        assert len(seen) > 5, f"{role}: the crawl found only {sorted(seen)}"
    assert not problems, "\n".join(problems)
