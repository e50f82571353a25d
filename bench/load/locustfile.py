"""The users of the load benchmark (``python -m bench.load``; bench/README.md, "load").

Each simulated user logs in with one of the demo logins (password hallbar-demo; the bench
server runs with HALLBAR_MFA_REQUIRED=false, so no second factor is asked) and then walks the
pages of its role, one page per step with 1–3 s of think time between steps, round after round.
The pages to open next are found in the pages just read (a contract detail from the contracts
list, a plan from the plans list, …), as a person clicks. Every request is named by its page
kind, which is what the report groups by. Each round also asks for /healthz, the anchor.

Run alone against a running server (e.g. `make serve-prod` with HALLBAR_MFA_REQUIRED=false):
    locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import itertools
import os
import random
import re
from collections.abc import Callable

from locust import between
from locust.contrib.fasthttp import FastHttpUser

from bench.load.stats import ANCHOR, LOGIN, LOGIN_PAGE

PASSWORD = os.environ.get("HALLBAR_BENCH_PASSWORD", "hallbar-demo")
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Users of one role take the demo logins of that role in turn.
_numbers = itertools.count()


def links(html: str, prefix: str) -> list[str]:
    """Return the distinct links to an object's page under prefix (e.g. "/contracts/")."""
    pattern = re.compile(rf'href="({re.escape(prefix)}{_UUID}/)"')
    return sorted(set(pattern.findall(html)))


class DemoUser(FastHttpUser):
    """A signed-in user walking the pages of its role; subclasses name the logins and pages."""

    abstract = True
    wait_time = between(1, 3)
    logins: tuple[str, ...] = ()

    def on_start(self) -> None:
        number = next(_numbers)
        self.username = self.logins[number % len(self.logins)]
        # Each user chooses its links with its own generator: a run is reproducible in what
        # it asks for, not in when.
        self.random = random.Random(f"{self.username}/{number}")
        self.found: dict[str, list[str]] = {}
        self.login()
        self.steps = itertools.cycle(self.walk())

    def login(self) -> None:
        page = self.client.get("/accounts/login/", name=LOGIN_PAGE)
        token = _CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=LOGIN,
            catch_response=True,
        ) as response:
            # A successful login answers with the start page (after the redirect); a failed one
            # shows the form again.
            if 'name="password"' in (response.text or ""):
                response.failure(f"{self.username} was not logged in")

    def walk(self) -> list[Callable[[], None]]:
        raise NotImplementedError

    def page(self, url: str, kind: str, *, find: str = "") -> None:
        """Open url as a page of this kind; remember the object links under `find`."""
        with self.client.get(url, name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/login/" in str(response.url or ""):
                response.failure("sent to the login page")
            elif find:
                self.found[find] = links(response.text or "", find)

    def detail(self, prefix: str, kind: str) -> None:
        """Open one of the objects last found under prefix (nothing if none was found)."""
        if candidates := self.found.get(prefix):
            self.page(self.random.choice(candidates), kind)

    def anchor(self) -> None:
        self.page("/healthz", ANCHOR)

    def contracts(self) -> list[Callable[[], None]]:
        """The contracts list as it opens, its second page and one contract from it."""

        # Region users are sent on to their own region's list (?region=…, one redirect, timed
        # with the page); suppliers' short lists answer page 2 with their last page.
        return [
            lambda: self.page("/contracts/", "contracts list", find="/contracts/"),
            lambda: self.page("/contracts/?page=2", "contracts list page 2"),
            lambda: self.detail("/contracts/", "contract detail"),
        ]

    def api(self) -> None:
        self.page("/api/contracts/", "contracts API")

    def home(self) -> None:
        self.page("/", "home")

    def suppliers(self) -> None:
        self.page("/suppliers/", "supplier list")

    def plans(self) -> list[Callable[[], None]]:
        return [
            lambda: self.page("/plans/", "plan list", find="/plans/"),
            lambda: self.detail("/plans/", "plan page"),
        ]

    def followups(self) -> list[Callable[[], None]]:
        return [
            lambda: self.page("/followups/", "follow-up list", find="/followups/"),
            lambda: self.detail("/followups/", "follow-up case"),
        ]

    def run_step(self) -> None:
        next(self.steps)()

    tasks = [run_step]


class Buyer(DemoUser):
    """A region's buyer: its region's contracts first, suppliers, the plan, its follow-ups."""

    weight = 4
    logins: tuple[str, ...] = ("upphandlare.stockholm", "upphandlare.jamtland", "upphandlare.skane")

    def walk(self) -> list[Callable[[], None]]:
        return [
            self.home,
            self.anchor,
            *self.contracts(),
            self.suppliers,
            *self.plans(),
            *self.followups(),
            self.api,
        ]


class RegionContact(Buyer):
    """A region's contact person: the same pages as a buyer."""

    weight = 2
    logins = ("kontakt.jamtland", "kontakt.vgr")


class Secretariat(DemoUser):
    """The secretariat: every region's contracts, and the risk screening's runs too."""

    weight = 1
    logins = ("kansli",)

    def walk(self) -> list[Callable[[], None]]:
        return [
            self.home,
            self.anchor,
            *self.contracts(),
            self.suppliers,
            *self.plans(),
            *self.followups(),
            lambda: self.page("/risk/screening/", "screening list", find="/risk/screening/"),
            lambda: self.detail("/risk/screening/", "screening run"),
            self.api,
        ]


class SupplierContact(DemoUser):
    """A supplier's contact: the portal's cases, its own contracts and its supplier page."""

    weight = 2
    logins = ("leverantor", "leverantor.globex")

    def walk(self) -> list[Callable[[], None]]:
        return [
            self.home,
            self.anchor,
            lambda: self.page("/portal/", "portal home", find="/portal/"),
            lambda: self.detail("/portal/", "portal case"),
            *self.contracts(),
            self.suppliers,
            self.api,
        ]
