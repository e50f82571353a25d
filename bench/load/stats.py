"""Read locust's CSV statistics and print them as the load benchmark's table.

Independent of locust (only the CSV files it writes with ``--csv PREFIX``: PREFIX_stats.csv and
PREFIX_failures.csv), so that the parser is tested without locust installed.

Each request the locustfile makes is named by its page kind ("contracts list", "contract
detail", …), so a row of the stats file is one page kind. Locust rounds its percentiles (to the
millisecond under 100 ms, to 10 ms under 1 s, to 100 ms above) and writes "N/A" for a
percentile of no request.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# The target: a page's 95th percentile under load (issue 16).
TARGET_P95_MS = 150.0
# The trivial page measured in the same run; every p95 is also shown as a ratio to its p95,
# because absolute timings depend on the machine.
ANCHOR = "anchor /healthz"
AGGREGATED = "Aggregated"
# The logins happen while the users are started (all of them within USERS / spawn rate
# seconds) and hash a password on purpose (PBKDF2): shown, but not judged as pages.
LOGIN = "login"
LOGIN_PAGE = "login page"
NOT_JUDGED = {LOGIN, LOGIN_PAGE}
# The locustfile sends each page's request with the X-Request-ID bench.<kind>.<n>, which the
# server logs (hallbar.request, with duration_ms): the time spent in Django, without the wait
# for a free gunicorn worker that the client's time includes.
REQUEST_ID_PREFIX = "bench."


def slug(kind: str) -> str:
    """The page kind as it can stand in a request id ([A-Za-z0-9._-])."""
    return re.sub(r"[^A-Za-z0-9]+", "_", kind).strip("_")


def request_id(kind: str, number: int) -> str:
    return f"{REQUEST_ID_PREFIX}{slug(kind)}.{number}"


def server_times(lines: Iterable[str]) -> dict[str, list[float]]:
    """Return the server's durations (ms) of the bench's requests, by page kind's slug.

    Reads the JSON log lines of hallbar.request; the two requests of a followed redirect carry
    the same id and are added up. Other lines are skipped.
    """
    per_request: dict[str, float] = defaultdict(float)
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or record.get("logger") != "hallbar.request":
            continue
        identifier = str(record.get("request_id", ""))
        if identifier.startswith(REQUEST_ID_PREFIX) and "duration_ms" in record:
            per_request[identifier] += float(record["duration_ms"])
    by_kind: dict[str, list[float]] = defaultdict(list)
    for identifier, duration in per_request.items():
        by_kind[identifier[len(REQUEST_ID_PREFIX) :].rsplit(".", 1)[0]].append(duration)
    return dict(by_kind)


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (share 0.95 for p95); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class PageStats:
    """One page kind's figures from a locust run (times in milliseconds)."""

    name: str
    requests: int
    failures: int
    per_second: float | None
    median: float | None
    p50: float | None
    p95: float | None
    p99: float | None
    average: float | None
    maximum: float | None

    @property
    def over_target(self) -> bool:
        return self.p95 is not None and self.p95 > TARGET_P95_MS

    @property
    def judged(self) -> bool:
        return self.name not in NOT_JUDGED


@dataclass(frozen=True)
class Failure:
    """One kind of failed request: the method, the page kind, the error and how often."""

    method: str
    name: str
    error: str
    occurrences: int


def _number(text: str | None) -> float | None:
    text = (text or "").strip()
    if not text or text.upper() == "N/A":
        return None
    return float(text)


def _count(text: str | None) -> int:
    value = _number(text)
    return int(value) if value is not None else 0


def parse_stats(rows: Iterable[dict[str, str]]) -> tuple[list[PageStats], PageStats | None]:
    """Return the page kinds (sorted by name) and the aggregated row, from the stats CSV.

    Raises ValueError when a column this needs is missing (locust changed its format).
    """
    pages: list[PageStats] = []
    total: PageStats | None = None
    for row in rows:
        missing = {"Name", "Request Count", "Failure Count", "50%", "95%", "99%"} - row.keys()
        if missing:
            raise ValueError(f"locust's stats CSV lacks the columns {sorted(missing)}")
        stats = PageStats(
            name=row["Name"],
            requests=_count(row["Request Count"]),
            failures=_count(row["Failure Count"]),
            per_second=_number(row.get("Requests/s")),
            median=_number(row.get("Median Response Time")),
            p50=_number(row["50%"]),
            p95=_number(row["95%"]),
            p99=_number(row["99%"]),
            average=_number(row.get("Average Response Time")),
            maximum=_number(row.get("Max Response Time")),
        )
        if stats.name == AGGREGATED and not row.get("Type"):
            total = stats
        else:
            pages.append(stats)
    pages.sort(key=lambda page: page.name)
    return pages, total


def parse_failures(rows: Iterable[dict[str, str]]) -> list[Failure]:
    """Return the failures CSV's rows, the most frequent first."""
    failures = [
        Failure(
            method=row.get("Method", ""),
            name=row.get("Name", ""),
            error=row.get("Error", ""),
            occurrences=_count(row.get("Occurrences")),
        )
        for row in rows
    ]
    failures.sort(key=lambda failure: (-failure.occurrences, failure.name, failure.error))
    return failures


def read_run(prefix: Path) -> tuple[list[PageStats], PageStats | None, list[Failure]]:
    """Read PREFIX_stats.csv, PREFIX_failures.csv and PREFIX_logins_stats.csv (the last two
    may be missing)."""
    with Path(f"{prefix}_stats.csv").open(newline="", encoding="utf-8") as file:
        pages, total = parse_stats(csv.DictReader(file))
    logins_path = Path(f"{prefix}_logins_stats.csv")
    if logins_path.exists():  # the locustfile's --measure-seconds: logins before the window
        with logins_path.open(newline="", encoding="utf-8") as file:
            logins, _ = parse_stats(csv.DictReader(file))
        # The main file keeps the logins' emptied rows after the reset: the file above has them.
        kept = [page for page in pages if page.judged]
        pages = sorted([*kept, *logins], key=lambda page: page.name)
    failures_path = Path(f"{prefix}_failures.csv")
    failures: list[Failure] = []
    if failures_path.exists():
        with failures_path.open(newline="", encoding="utf-8") as file:
            failures = parse_failures(csv.DictReader(file))
    return pages, total, failures


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _server_p95(
    page: PageStats, total: PageStats | None, server: Mapping[str, Sequence[float]]
) -> float | None:
    if page is total:
        return percentile([value for values in server.values() for value in values], 0.95)
    return percentile(server.get(slug(page.name), []), 0.95)


def format_table(
    pages: Sequence[PageStats],
    total: PageStats | None,
    failures: Sequence[Failure],
    server: Mapping[str, Sequence[float]] | None = None,
) -> list[str]:
    """Return the lines of the report: one line per page kind, the anchor ratios, the verdict.

    With `server` (server_times), each page kind also gets the p95 of its time in Django.
    """
    anchor = next((page for page in pages if page.name == ANCHOR), None)
    anchor_p95 = anchor.p95 if anchor and anchor.p95 else None
    width = max([len("page kind"), *(len(page.name) for page in pages)])
    lines = [
        f"{'page kind':<{width}}  {'requests':>8}  {'fail':>4}  {'req/s':>5}  "
        f"{'p50 ms':>6}  {'p95 ms':>6}  {'p99 ms':>6}  {'p95/anchor':>10}  "
        + (f"{'srv p95':>7}  " if server is not None else "")
        + "target"
    ]
    for page in [*pages, *([total] if total else [])]:
        ratio = f"{page.p95 / anchor_p95:.1f}" if anchor_p95 and page.p95 is not None else "-"
        name = "all pages" if page is total else page.name
        if page is total:
            verdict = ""
        elif not page.judged:
            verdict = "(login)"
        else:
            verdict = "OVER" if page.over_target else "ok"
        lines.append(
            f"{name:<{width}}  {page.requests:>8}  {page.failures:>4}  "
            f"{_rate(page.per_second):>5}  {_ms(page.p50):>6}  "
            f"{_ms(page.p95):>6}  {_ms(page.p99):>6}  {ratio:>10}  "
            + (f"{_ms(_server_p95(page, total, server)):>7}  " if server is not None else "")
            + verdict
        )
    if server is not None:
        lines.append(
            "srv p95: the time in Django from the server's log (without the wait for a worker)"
        )
    if anchor_p95:
        lines.append(f"anchor: {ANCHOR}, p95 {anchor_p95:.0f} ms in this run")
    else:
        lines.append(f"anchor: {ANCHOR} was not measured in this run: no ratios")
    over = [page.name for page in pages if page.over_target and page.judged]
    lines.append(
        f"over the target p95 {TARGET_P95_MS:.0f} ms: " + (", ".join(over) if over else "none")
    )
    if failures:
        lines.append("errors:")
        lines.extend(
            f"  {failure.occurrences:>6} × {failure.method} {failure.name}: {failure.error}"
            for failure in failures
        )
    else:
        lines.append("errors: none")
    return lines
