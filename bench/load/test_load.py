"""The load benchmark's parts that run without a server: the stats parser and the report (no
locust needed), the contract copies (a database), and the locustfile (only with locust)."""

import csv
import importlib.util
import io
import json
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bench.load.multiply import copy_public_id, copy_reference, multiply
from bench.load.stats import (
    ANCHOR,
    format_table,
    parse_failures,
    parse_stats,
    percentile,
    read_run,
    request_id,
    server_times,
)

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
STATS = f"""{HEADER}
GET,contracts list,120,2,83,90.5,35.1,400.2,28434.3,2.0,0.03,83,100,110,120,150,210,300,390,400,400,400
GET,{ANCHOR},40,0,5,6.1,2.0,30.0,120.0,0.7,0.0,5,6,7,8,10,14,20,30,30,30,30
GET,plan page,0,0,0,0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
,Aggregated,160,2,60,70.0,2.0,400.2,21000.0,2.7,0.03,60,90,100,110,140,200,290,390,400,400,400
"""
FAILURES = """Method,Name,Error,Occurrences,First Seen,Last Seen
GET,contracts list,HTTP 500,1,1,2
GET,contracts list,sent to the login page,3,1,2
"""


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_parse_stats_reads_pages_and_total():
    pages, total = parse_stats(_rows(STATS))
    assert [page.name for page in pages] == [ANCHOR, "contracts list", "plan page"]
    contracts = pages[1]
    assert (contracts.requests, contracts.failures) == (120, 2)
    assert (contracts.p50, contracts.p95, contracts.p99) == (83, 210, 390)
    assert contracts.per_second == 2.0
    assert contracts.over_target
    assert not pages[0].over_target
    # No request of a kind: locust writes N/A, which is no figure (and not over the target).
    assert pages[2].p95 is None and not pages[2].over_target
    assert total is not None and total.requests == 160


def test_parse_stats_refuses_a_changed_format():
    with pytest.raises(ValueError, match="95%"):
        parse_stats(_rows("Type,Name,Request Count,Failure Count,50%,99%\nGET,home,1,0,5,5\n"))


def test_failures_most_frequent_first():
    failures = parse_failures(_rows(FAILURES))
    assert [(f.error, f.occurrences) for f in failures] == [
        ("sent to the login page", 3),
        ("HTTP 500", 1),
    ]


def test_table_gives_ratios_to_the_anchor_and_names_pages_over_target(tmp_path):
    (tmp_path / "run_stats.csv").write_text(STATS)
    (tmp_path / "run_failures.csv").write_text(FAILURES)
    pages, total, failures = read_run(tmp_path / "run")
    lines = format_table(pages, total, failures)
    contracts = next(line for line in lines if line.startswith("contracts list"))
    # p95 210 ms against the anchor's 14 ms
    assert contracts.split()[-2:] == ["15.0", "OVER"]
    anchor = next(line for line in lines if line.startswith(ANCHOR))
    assert anchor.split()[-2:] == ["1.0", "ok"]
    assert "over the target p95 150 ms: contracts list" in lines
    assert any("3 × GET contracts list: sent to the login page" in line for line in lines)
    assert lines[-1].strip().startswith("1 × GET contracts list: HTTP 500")


def test_table_without_anchor_or_errors(tmp_path):
    (tmp_path / "run_stats.csv").write_text(
        "\n".join(line for line in STATS.splitlines() if ANCHOR not in line)
    )
    pages, total, failures = read_run(tmp_path / "run")  # no failures file: no failures
    lines = format_table(pages, total, failures)
    assert f"anchor: {ANCHOR} was not measured in this run: no ratios" in lines
    assert lines[-1] == "errors: none"


def test_logins_written_before_the_window_are_read_with_the_pages(tmp_path):
    # after the reset, the main file still names the login with no request
    (tmp_path / "run_stats.csv").write_text(
        STATS + "POST,login,0,0,0,0,0,0,0,0.0,0.0" + ",N/A" * 11
    )
    (tmp_path / "run_logins_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Max Response Time,Requests/s,50%,95%,99%\n"
        "POST,login,50,1,900,950.5,2100,N/A,900,2000,2100\n"
    )
    pages, _, _ = read_run(tmp_path / "run")
    [login] = [page for page in pages if page.name == "login"]
    assert (login.requests, login.failures, login.p95, login.per_second) == (50, 1, 2000, None)
    lines = format_table(pages, None, [])
    assert next(line for line in lines if line.startswith("login ")).endswith("(login)")
    assert "over the target p95 150 ms: contracts list" in lines


def test_login_is_not_judged_as_a_page():
    rows = _rows(STATS.replace("GET,plan page,0,0", "POST,login,10,0"))
    pages, total = parse_stats(rows)
    login = next(page for page in pages if page.name == "login")
    login = type(login)(**{**login.__dict__, "p95": 5000.0})
    lines = format_table([*pages[:-1], login], total, [])
    assert "over the target p95 150 ms: contracts list" in lines


def test_copies_are_deterministic():
    original = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert copy_public_id(original, 3) == copy_public_id(original, 3)
    assert len({copy_public_id(original, k) for k in range(1, 10)}) == 9
    assert copy_reference("ST-1", 2) == "ST-1~2"


@pytest.mark.django_db
def test_multiply_copies_contracts_with_their_regions(reference_data):
    from hallbar.categories.models import Category
    from hallbar.contracts.models import Contract
    from hallbar.organisations.models import Region
    from hallbar.suppliers.models import Supplier

    supplier = Supplier.objects.create(name="Kopia AB", country="SE")
    category = Category.objects.order_by("pk").first()
    stockholm, skane = Region.objects.get(county_code="01"), Region.objects.get(county_code="12")
    joint = Contract.objects.create(
        reference="ST-1",
        title="Handskar",
        lead_region=stockholm,
        supplier=supplier,
        category=category,
        annual_value_sek=Decimal("1000"),
        start_date=date(2024, 1, 1),
        status="active",
    )
    joint.regions.set([stockholm, skane])

    assert multiply(1, 3) == 2
    # From scale 3 to 4 copies only the original again, not the copies.
    assert multiply(3, 4) == 1
    copies = Contract.objects.exclude(pk=joint.pk).order_by("reference")
    assert [c.reference for c in copies] == ["ST-1~1", "ST-1~2", "ST-1~3"]
    for number, contract in enumerate(copies, start=1):
        assert contract.public_id == copy_public_id(joint.public_id, number)
        assert set(contract.regions.values_list("county_code", flat=True)) == {"01", "12"}
        assert (contract.title, contract.supplier_id, contract.start_date) == (
            "Handskar",
            supplier.pk,
            date(2024, 1, 1),
        )


LOCUSTFILE_CHECK = """
import json, uuid
from bench.load import locustfile as f
one, two = uuid.uuid4(), uuid.uuid4()
html = (
    f'<a href="/contracts/{one}/">a</a> <a href="/contracts/{one}/">again</a>'
    f'<a href="/contracts/{two}/edit/">edit</a> <a href="/plans/{two}/">plan</a>'
)
print(json.dumps({
    "roles": {c.__name__: c.weight for c in (f.Buyer, f.RegionContact, f.Secretariat, f.SupplierContact)},
    "abstract": f.DemoUser.abstract,
    "found": f.links(html, "/contracts/") == [f"/contracts/{one}/"],
}))
"""


def test_locustfile_imports_and_finds_links():
    # locust patches the standard library with gevent when imported: in a process of its own.
    if importlib.util.find_spec("locust") is None:
        pytest.skip("locust is not installed (the bench extra: make bench-load)")
    result = subprocess.run(
        [sys.executable, "-c", LOCUSTFILE_CHECK],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "roles": {"Buyer": 4, "RegionContact": 2, "Secretariat": 1, "SupplierContact": 2},
        "abstract": True,
        "found": True,
    }


def test_server_times_by_kind_add_up_a_redirect():
    def line(identifier, duration, logger="hallbar.request"):
        return json.dumps(
            {"logger": logger, "request_id": identifier, "path": "/x", "duration_ms": duration}
        )

    log = [
        line(request_id("contracts list", 1), 2.5),  # the redirect to ?region=…
        line(request_id("contracts list", 1), 40.0),  # the page
        line(request_id("contracts list", 2), 30.0),
        line(request_id(ANCHOR, 3), 4.0),
        line("9292c64344a049c1b6c500c0e5bda19a", 900.0),  # not the bench's
        line(request_id("home", 4), 999.0, logger="django.request"),
        "gunicorn says hello",
    ]
    times = server_times(log)
    assert times == {"contracts_list": [42.5, 30.0], "anchor_healthz": [4.0]}
    assert percentile([42.5, 30.0], 0.95) == 42.5
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([], 0.5) is None
    pages, total = parse_stats(_rows(STATS))
    lines = format_table(pages, total, [], times)
    assert "srv p95" in lines[0]
    contracts = next(line for line in lines if line.startswith("contracts list"))
    assert contracts.split()[-2:] == ["42", "OVER"]
    plan = next(line for line in lines if line.startswith("plan page"))
    assert plan.split()[-2:] == ["-", "ok"]
