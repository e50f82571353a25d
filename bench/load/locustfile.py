"""The users of the load benchmark (``python -m bench.load``; bench/README.md, "load").

Each simulated user logs in with one of the demo logins (password hallbar-demo; the bench
server runs with HALLBAR_MFA_REQUIRED=false, so no second factor is asked) and then walks the
pages of its role, one page per step with 1–3 s of think time between steps, round after round.
The pages to open next are found in the pages just read (a contract detail from the contracts
list, a plan from the plans list, …), as a person clicks. Every request is named by its page
kind, which is what the report groups by. Each round also asks for /healthz, the anchor.

With --measure-seconds N (headless), the users wait after their login until every user has
logged in; then the statistics are reset, the walks begin, and locust stops N seconds later.
The measured window thus holds no login storm (password hashing is slow on purpose); the
logins' own figures are written beside the CSV files as PREFIX_logins_stats.csv. -t should
then be a generous upper bound.

Run alone against a running server (e.g. `make serve-prod` with HALLBAR_MFA_REQUIRED=false):
    locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import csv
import itertools
import os
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import gevent
from gevent.event import Event
from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

from bench.load.stats import ANCHOR, LOGIN, LOGIN_PAGE, NOT_JUDGED, request_id

PASSWORD = os.environ.get("HALLBAR_BENCH_PASSWORD", "hallbar-demo")
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_requests = itertools.count(1)
# Users of one role take the demo logins of that role in turn.
_numbers: defaultdict[str, Iterator[int]] = defaultdict(itertools.count)


class _Start:
    """The users logged in so far, and the signal that all of them are (--measure-seconds)."""

    logged_in = 0
    everyone = Event()


@events.init_command_line_parser.add_listener
def _options(parser: Any, **_kwargs: Any) -> None:
    parser.add_argument(
        "--measure-seconds",
        type=int,
        default=0,
        help="hallbar: start the walks and the statistics once every user has logged in, and "
        "stop this many seconds later (0: walk right after each login, stop at -t)",
    )


def _write_logins(environment: Any, path: str) -> None:
    """Keep the logins' figures, which the reset before the measured window clears."""
    columns = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time"]
    columns += ["Average Response Time", "Max Response Time", "Requests/s", "50%", "95%", "99%"]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for (name, method), entry in sorted(environment.stats.entries.items()):
            if name not in NOT_JUDGED:
                continue
            percentiles = [
                entry.get_response_time_percentile(share) if entry.num_requests else "N/A"
                for share in (0.5, 0.95, 0.99)
            ]
            writer.writerow(
                [method, name, entry.num_requests, entry.num_failures]
                + [entry.median_response_time, entry.avg_response_time, entry.max_response_time]
                + ["N/A", *percentiles]
            )


def _logged_in(environment: Any) -> None:
    options = environment.parsed_options
    measure = getattr(options, "measure_seconds", 0) if options else 0
    if not measure:
        return
    _Start.logged_in += 1
    if _Start.logged_in >= options.num_users and not _Start.everyone.is_set():
        if options.csv_prefix:
            _write_logins(environment, f"{options.csv_prefix}_logins_stats.csv")
        environment.stats.reset_all()
        _Start.everyone.set()
        gevent.spawn_later(measure, environment.runner.quit)
    _Start.everyone.wait()


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
        number = next(_numbers[type(self).__name__])
        self.username = self.logins[number % len(self.logins)]
        # Each user chooses its links with its own generator: a run is reproducible in what
        # it asks for, not in when.
        self.random = random.Random(f"{self.username}/{number}")
        self.found: dict[str, list[str]] = {}
        self.login()
        _logged_in(self.environment)
        # Users who waited for each other would otherwise all ask for the same page at the same
        # moment: each starts at its own step of its walk, after its own think time. (A detail
        # step before its list has been read opens nothing in the first round.)
        walk = self.walk()
        start = self.random.randrange(len(walk))
        self.steps = itertools.cycle(walk[start:] + walk[:start])
        gevent.sleep(self.random.uniform(0, 3))

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
        # The id names the page kind in the server's log (its time in Django: bench.load.stats).
        headers = {"X-Request-ID": request_id(kind, next(_requests))}
        with self.client.get(url, name=kind, headers=headers, catch_response=True) as response:
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
