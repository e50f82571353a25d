"""Tests of OCDS 1.1 release packages of contracts: build, validate offline, parse."""

import copy
import json
import os
import pickle
import socket
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from hallbar.contracts.ocds import (
    BuyerRef,
    ContractRecord,
    Issue,
    SupplierRef,
    build_release_package,
    parse_release_package,
    validate_release_package,
)
from hallbar.contracts.ocds.export import STATUS_TO_OCDS, contract_years, dotted_path, make_ocid
from hallbar.contracts.ocds.parse import STATUS_FROM_OCDS, contract_status_codes

PUBLISHED = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
STOCKHOLM = BuyerRef("01", "Region Stockholm", "2321000016")
NORRLAND = [
    BuyerRef("22", "Region Västernorrland"),
    BuyerRef("23", "Region Jämtland Härjedalen"),
    BuyerRef("24", "Region Västerbotten"),
]


@pytest.fixture(autouse=True, scope="module")
def _django_settings():
    """Give the lazy messages the settings they need, whether or not pytest-django runs.

    Under the project's pytest-django the settings are loaded already; run alone with
    ``-p no:django`` there are none, so configure the minimum, guarded so as not to override.
    """
    import django
    from django.apps import apps
    from django.conf import settings

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=False)
    if not apps.ready:
        django.setup()


@pytest.fixture(autouse=True)
def _english():
    """Compare messages in their English source, whatever the project's default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def no_network(monkeypatch):
    """Fail any attempt to resolve a host name or open a connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def make_records() -> list[ContractRecord]:
    return [
        ContractRecord(
            reference="RS-2023-0142",
            title="Sårvårdsprodukter",
            buyers=[STOCKHOLM],
            supplier=SupplierRef("Mölnlycke Health Care AB", org_number="5560160680"),
            category="Sårvård",
            cpv_code="33141110",
            annual_value_sek=Decimal("1234567.89"),
            start_date=date(2024, 1, 1),
            end_date=date(2025, 12, 31),
            status="active",
            clause_version="2023:1",
            clause_level="avancerad",
            production_countries=["CN", "MY"],
            public_id="6f1c2d3e-0000-4000-8000-000000000001",
            updated_at=datetime(2024, 5, 2, 9, 30, 15, tzinfo=UTC),
        ),
        # A joint procurement of three regions, a foreign supplier without an organisation
        # number, an open-ended contract.
        ContractRecord(
            reference="HSL 2022/77",
            title="Kirurgiska instrument",
            buyers=NORRLAND,
            supplier=SupplierRef(
                "Chirurgie Instrumente GmbH", vat_number="DE129273398", country="DE"
            ),
            category="Kirurgiska instrument",
            cpv_code="33169000",
            annual_value_sek=Decimal("500000"),
            start_date=date(2022, 3, 15),
            end_date=None,
            status="expired",
            clause_version="2021:2",
            clause_level="bas",
            production_countries=["PK"],
            updated_at=datetime(2024, 1, 10, 12, 0, tzinfo=UTC),
        ),
        ContractRecord(
            reference="2024-001",
            title="Undersökningshandskar",
            buyers=[BuyerRef("12", "Region Skåne")],
            supplier=SupplierRef("Gloves Sdn Bhd", country="MY"),
            category="Vårdnära papper och plast",
            cpv_code="18424300",
            annual_value_sek=Decimal("80000.50"),
            start_date=date(2024, 9, 1),
            end_date=date(2026, 8, 31),
            status="planned",
            updated_at=datetime(2024, 5, 30, 14, 0, 0, 123456, tzinfo=UTC),
        ),
        ContractRecord(
            reference="LOK-19",
            title="Lokalvård",
            buyers=[BuyerRef("03", "Region Uppsala")],
            supplier=SupplierRef("Städ & Service AB", org_number="5569112237"),
            category="Lokalvård",
            cpv_code="90919200",
            annual_value_sek=Decimal("2500000"),
            start_date=date(2019, 4, 1),
            end_date=date(2022, 3, 31),
            status="terminated",
            updated_at=datetime(2022, 1, 15, 10, 0, tzinfo=UTC),
        ),
    ]


def build(records: list[ContractRecord]) -> dict:
    return build_release_package(
        records,
        publisher_name="Hållbar upphandling, Sveriges regioner",
        published_date=PUBLISHED,
        uri="https://hallbar.example.se/ocds/contracts.json",
    )


def parse(package: dict | str) -> tuple[list[ContractRecord], list[Issue]]:
    data = package if isinstance(package, str) else json.dumps(package, ensure_ascii=False)
    return parse_release_package(data.encode(), filename="avtal.json")


def messages(issues: list[Issue]) -> dict[str, str]:
    return {issue.path: str(issue.message) for issue in issues}


# Building -------------------------------------------------------------------------------------


def test_built_package_is_valid_ocds_offline(no_network):
    # Given contracts incl. a joint procurement, a foreign supplier and an open-ended contract
    package = build(make_records())

    # When libcoveocds validates the package against the stored schema ZIP
    problems = validate_release_package(package)

    # Then it finds nothing, without touching the network
    assert problems == []


def test_built_package_shape():
    package = build(make_records())
    stockholm, joint, gloves, cleaning = package["releases"]

    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2024-06-01T08:00:00+00:00"
    assert [release["tag"] for release in package["releases"]] == [["contract"]] * 4
    assert stockholm["ocid"] == "ocds-hallbar-01-RS-2023-0142"
    assert stockholm["id"] == "ocds-hallbar-01-RS-2023-0142-20240502T093015Z"
    assert gloves["id"].endswith("-20240530T140000.123456Z")
    assert joint["ocid"] == "ocds-hallbar-22-HSL%202022%2F77"

    # The lead buyer is the procuring entity; the other regions are buyers.
    assert joint["buyer"] == {"id": "region-22", "name": "Region Västernorrland"}
    assert joint["tender"]["procuringEntity"] == joint["buyer"]
    assert [(p["id"], p["roles"]) for p in joint["parties"]] == [
        ("region-22", ["buyer", "procuringEntity"]),
        ("region-23", ["buyer"]),
        ("region-24", ["buyer"]),
        ("VAT-DE129273398", ["supplier"]),
    ]
    assert stockholm["parties"][0]["identifier"] == {
        "scheme": "SE-BLV",
        "id": "2321000016",
        "legalName": "Region Stockholm",
    }
    assert stockholm["parties"][1]["identifier"]["scheme"] == "SE-BLV"
    assert gloves["parties"][1]["address"] == {"countryName": "Malaysia"}
    assert stockholm["awards"][0]["suppliers"] == [
        {"id": "SE-BLV-5560160680", "name": "Mölnlycke Health Care AB"}
    ]

    contract = stockholm["contracts"][0]
    assert contract["status"] == "active"
    assert contract["period"] == {
        "startDate": "2024-01-01T00:00:00+01:00",
        "endDate": "2025-12-31T23:59:59+01:00",
    }
    # Two years at the annual value.
    assert contract["value"] == {"amount": 2469135.78, "currency": "SEK"}
    item = contract["items"][0]
    assert item["classification"] == {"scheme": "CPV", "id": "33141110"}
    assert item["unit"]["id"] == "ANN"
    assert item["unit"]["value"] == {"amount": 1234567.89, "currency": "SEK"}
    assert item["quantity"] == 2
    assert "Contract clause level: avancerad" in contract["description"]
    assert "Countries of production: CN, MY" in contract["description"]
    assert stockholm["tender"]["mainProcurementCategory"] == "goods"
    assert cleaning["tender"]["mainProcurementCategory"] == "services"

    # The open-ended contract has no total value and no end date.
    assert "value" not in joint["contracts"][0]
    assert "endDate" not in joint["contracts"][0]["period"]
    assert joint["contracts"][0]["status"] == "terminated"
    assert [r["contracts"][0]["status"] for r in (gloves, cleaning)] == ["pending", "terminated"]


def test_release_ids_are_stable_and_change_with_the_contract():
    records = make_records()
    first = build(records)
    assert build(copy.deepcopy(records)) == first

    records[0].updated_at += timedelta(minutes=1)
    assert build(records)["releases"][0]["id"] != first["releases"][0]["id"]

    # Without a change time the id is a digest of the content.
    undated = [replace(record, updated_at=None) for record in make_records()]
    ids = [release["id"] for release in build(undated)["releases"]]
    assert ids == [release["id"] for release in build(undated)["releases"]]
    undated[0].title = "Sårvård"
    assert build(undated)["releases"][0]["id"] != ids[0]


def test_cpv_descriptions_are_used_when_given():
    package = build_release_package(
        make_records()[:1],
        publisher_name="P",
        published_date=PUBLISHED,
        uri="https://x.example/p.json",
        cpv_descriptions={"33141110": "Dressings"},
    )
    item = package["releases"][0]["contracts"][0]["items"][0]
    assert item["classification"]["description"] == "Dressings"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"status": "signed"}, "unknown status"),
        ({"cpv_code": "3314"}, "malformed CPV code"),
        ({"end_date": date(2023, 1, 1)}, "ends before it starts"),
        ({"updated_at": datetime(2024, 1, 1)}, "timezone-aware"),  # noqa: DTZ001 the naive value is the point
        ({"buyers": []}, "no buyer"),
    ],
)
def test_export_refuses_records_it_cannot_publish_correctly(change, error):
    with pytest.raises(ValueError, match=error):
        build([replace(make_records()[0], **change)])


def test_export_refuses_two_contracts_with_one_ocid():
    record = make_records()[0]
    with pytest.raises(ValueError, match="Two contracts"):
        build([record, replace(record, title="Again")])


def test_status_mappings_use_the_closed_codelist():
    codes = set(contract_status_codes())
    assert codes == {"pending", "active", "cancelled", "terminated"}
    assert set(STATUS_TO_OCDS.values()) <= codes
    assert set(STATUS_FROM_OCDS) == codes
    assert all(STATUS_TO_OCDS[status] == code for code, status in STATUS_FROM_OCDS.items())


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2024, 1, 1), date(2025, 12, 31), Decimal("2")),
        (date(2024, 3, 15), date(2025, 3, 14), Decimal("1")),
        (date(2024, 1, 1), date(2024, 6, 30), Decimal("0.5")),
        # Jan 31 plus a month is Feb 29, and one day is left.
        (date(2024, 1, 31), date(2024, 2, 29), Decimal("0.0861")),
        (date(2024, 1, 15), date(2024, 2, 10), Decimal("0.0739")),
        (date(2024, 1, 1), None, None),
    ],
)
def test_contract_years(start, end, years):
    assert contract_years(start, end) == years


def test_paths_and_ocids():
    assert (
        dotted_path("releases/3/contracts/0/value/amount")
        == "releases[3].contracts[0].value.amount"
    )
    assert dotted_path("") == ""
    assert make_ocid("ocds-abc123", "14", "VGR 2024/1") == "ocds-abc123-14-VGR%202024%2F1"


# Validation -----------------------------------------------------------------------------------


def test_validation_reports_schema_errors_and_closed_codelists(no_network):
    # Given a package with a bad status code, a release without ocid and a quoted amount
    package = build(make_records()[:3])
    package["releases"][0]["contracts"][0]["status"] = "signed"
    del package["releases"][1]["ocid"]
    package["releases"][2]["contracts"][0]["value"]["amount"] = "160001"

    # When it is validated
    problems = validate_release_package(package)

    # Then each problem is reported once, with its path
    assert len(problems) == 3, problems
    assert (
        "releases[0].contracts[0].status: 'signed' is not a code of the closed codelist "
        "contractStatus" in problems
    )
    assert "releases[1]: 'ocid' is missing but required" in problems
    assert any(
        p.startswith("releases[2].contracts[0].value.amount: 'amount' is not a number")
        for p in problems
    ), problems


def test_validation_reports_more_kinds_of_problems(no_network):
    package = build(make_records()[:2])
    package["releases"][0]["date"] = "2024-13-45"
    package["releases"][1]["tag"] = ["contract", "signed"]
    package["releases"][1]["contracts"][0]["items"][0]["unit"]["value"]["currency"] = "SEKK"
    package["releases"][1]["ocid"] = "hallbar-22-1"

    problems = validate_release_package(package)

    assert sorted(problems) == sorted(
        [
            "releases[0].date: Date is not in the correct format",
            "releases[1].tag[1]: 'signed' is not a code of the closed codelist releaseTag",
            "releases[1].contracts[0].items[0].unit.value.currency: 'SEKK' is not a code of the "
            "closed codelist currency",
            "releases[1].ocid: the ocid 'hallbar-22-1' does not start with a prefix 'ocds-' "
            "followed by 6 letters or digits",
        ]
    )


def test_validation_never_fetches_extensions(no_network):
    # libcoveocds would download each extension; offline validation leaves them out.
    package = build(make_records()[:1])
    package["extensions"] = [
        "https://raw.githubusercontent.com/open-contracting-extensions/"
        "ocds_sustainability_extension/master/extension.json"
    ]
    package["releases"][0]["tender"]["hasSustainability"] = True

    assert validate_release_package(package) == []
    assert "extensions" in package


def test_validation_of_non_packages(no_network):
    assert validate_release_package([]) == ["(package): the release package must be a JSON object"]
    assert validate_release_package({}) == ["(package): the release package is empty"]
    assert "(package): 'releases' is missing but required" in validate_release_package({"uri": "x"})


# Parsing --------------------------------------------------------------------------------------


def test_round_trip_gives_equal_records():
    records = make_records()

    parsed, issues = parse(build(records))

    assert issues == []
    assert parsed == records


def test_round_trip_normalises_what_ocds_does_not_carry():
    record = replace(
        make_records()[0],
        cpv_code="33141110-4",
        updated_at=None,
        buyers=[BuyerRef("01", "Region Stockholm", "232100-0016")],
        supplier=SupplierRef("Mölnlycke Health Care AB", org_number="16556016-0680"),
    )

    [parsed], issues = parse(build([record]))

    assert issues == []
    # OCDS carries the CPV code without its check digit and organisation numbers as 10 digits;
    # a contract without a change time gets the package's date.
    assert parsed == replace(
        record,
        cpv_code="33141110",
        updated_at=PUBLISHED,
        buyers=[STOCKHOLM],
        supplier=SupplierRef("Mölnlycke Health Care AB", org_number="5560160680"),
    )


def test_parse_reads_a_third_party_package():
    # A package of another publisher: the region known only by its organisation number, a
    # release with two contracts, total values instead of annual ones, plain dates.
    package = {
        "uri": "https://upphandling.example.se/ocds/2024.json",
        "version": "1.1",
        "publishedDate": "2024-02-01T00:00:00Z",
        "publisher": {"name": "Region Stockholm"},
        "releases": [
            {
                "ocid": "ocds-xyz123-2023-55",
                "id": "2023-55-01",
                "date": "2024-01-31T16:00:00+01:00",
                "tag": ["award", "contract"],
                "initiationType": "tender",
                "parties": [
                    {
                        "id": "SE-BLV-2321000016",
                        "name": "Region Stockholm",
                        "identifier": {"scheme": "SE-BLV", "id": "232100-0016"},
                        "roles": ["buyer", "procuringEntity"],
                    },
                    {
                        "id": "GB-COH-01234567",
                        "name": "Medical Supplies Ltd",
                        "identifier": {"scheme": "GB-COH", "id": "01234567"},
                        "roles": ["supplier"],
                    },
                    {
                        "id": "s2",
                        "name": "Sjukvårdsartiklar AB",
                        "identifier": {"scheme": "SE-BLV", "id": "5560160680"},
                        "address": {"countryName": "Sverige"},
                        "roles": ["supplier"],
                    },
                ],
                "buyer": {"id": "SE-BLV-2321000016", "name": "Region Stockholm"},
                "tender": {
                    "id": "2023-55",
                    "title": "Förbrukningsmaterial",
                    "items": [
                        {
                            "id": "1",
                            "description": "Kompressionsprodukter",
                            "classification": {"scheme": "CPV", "id": "33141000-0"},
                        }
                    ],
                },
                "awards": [
                    {"id": 1, "suppliers": [{"id": "GB-COH-01234567"}]},
                    {"id": 2, "suppliers": [{"id": "s2", "name": "Sjukvårdsartiklar AB"}]},
                ],
                "contracts": [
                    {
                        "id": "2023-55-A",
                        "awardID": 1,
                        "status": "terminated",
                        "period": {"startDate": "2020-01-01", "endDate": "2023-12-31"},
                        "value": {"amount": 4000000, "currency": "SEK"},
                    },
                    {
                        "id": "2023-55-B",
                        "awardID": 2,
                        "title": "Förbrukningsmaterial, del B",
                        "status": "active",
                        "period": {"startDate": "2024-01-01T00:00:00+01:00"},
                        "items": [
                            {
                                "id": "b1",
                                "classification": {"scheme": "cpv", "id": "33141000"},
                                "unit": {"id": "ANN", "value": {"amount": 12.5, "currency": "SEK"}},
                            }
                        ],
                    },
                ],
            }
        ],
    }

    records, issues = parse(package)

    assert issues == []
    buyer = BuyerRef(code="", name="Region Stockholm", org_number="2321000016")
    assert records == [
        ContractRecord(
            reference="2023-55-A",
            title="Förbrukningsmaterial",
            buyers=[buyer],
            supplier=SupplierRef("Medical Supplies Ltd", org_number="01234567", country="GB"),
            category="Kompressionsprodukter",
            cpv_code="33141000",
            annual_value_sek=Decimal("1000000.00"),
            start_date=date(2020, 1, 1),
            end_date=date(2023, 12, 31),
            status="expired",
            updated_at=datetime(2024, 1, 31, 15, 0, tzinfo=UTC),
        ),
        ContractRecord(
            reference="2023-55-B",
            title="Förbrukningsmaterial, del B",
            buyers=[buyer],
            supplier=SupplierRef("Sjukvårdsartiklar AB", org_number="5560160680"),
            category="",
            cpv_code="33141000",
            annual_value_sek=Decimal("12.50"),
            start_date=date(2024, 1, 1),
            end_date=None,
            status="active",
            updated_at=datetime(2024, 1, 31, 15, 0, tzinfo=UTC),
        ),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            '{"releases": [\n  {"ocid": "x",}\n]}',
            "The file is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 2, column 16.",
        ),
        ("", "The file is not valid JSON: Expecting value at line 1, column 1."),
        ('{"releases": [NaN]}', "The file is not valid JSON: NaN is not a JSON number."),
        (
            "[1, 2]",
            "The file must hold a JSON object (an OCDS release package), not an array.",
        ),
    ],
)
def test_parse_reports_unreadable_files(data, message):
    records, issues = parse_release_package(data, filename="avtal.json")

    assert records == []
    assert [(i.filename, i.path, str(i.message)) for i in issues] == [("avtal.json", "", message)]


def test_parse_accepts_a_byte_order_mark():
    records, issues = parse_release_package(
        b"\xef\xbb\xbf" + json.dumps(build(make_records()[:1])).encode(), filename="a.json"
    )

    assert (len(records), issues) == (1, [])


def test_parse_reports_non_utf8_bytes():
    records, issues = parse_release_package(b'{"releases": ["\xe5"]}', filename="a.json")

    assert records == []
    assert str(issues[0].message) == "The file is not UTF-8 text: invalid byte at position 15."


@pytest.mark.parametrize(
    ("package", "path", "message"),
    [
        (
            {"uri": "x"},
            "releases",
            "The file has no 'releases': it is not an OCDS release package.",
        ),
        (
            {"records": []},
            "records",
            "This is an OCDS record package; import a release package instead.",
        ),
        ({"releases": {}}, "releases", "'releases' must be an array, not an object."),
        ({"releases": [7]}, "releases[0]", "A release must be a JSON object, not a number."),
    ],
)
def test_parse_reports_packages_of_the_wrong_shape(package, path, message):
    records, issues = parse(package)

    assert records == []
    assert messages(issues) == {path: message}


def test_parse_reports_each_bad_field_with_its_path():
    # Given a package whose releases 1 to 3 are broken in different ways
    package = build(make_records())
    joint = package["releases"][1]
    joint["contracts"][0]["status"] = "signed"
    joint["contracts"][0]["items"][0]["classification"]["id"] = "3316900"
    del joint["contracts"][0]["period"]["startDate"]
    joint["parties"][1]["id"] = "region-99"
    gloves = package["releases"][2]
    gloves["date"] = "2024-05-30T14:00:00"
    gloves["parties"][1]["address"]["countryName"] = "Atlantis"
    cleaning = package["releases"][3]
    # A third party's total value, with a quoted amount and a foreign currency.
    for item in cleaning["contracts"][0]["items"] + cleaning["tender"]["items"]:
        del item["unit"]
    cleaning["contracts"][0]["value"] = {"amount": "7500000", "currency": "EUR"}
    cleaning["contracts"][0]["description"] += (
        "\nContract clause level: hög\nCountries of production: XX"
    )

    # When it is parsed
    records, issues = parse(package)

    # Then only the intact contract is read, and every problem names its place
    assert [record.reference for record in records] == ["RS-2023-0142"]
    assert {issue.filename for issue in issues} == {"avtal.json"}
    assert sorted((issue.path, str(issue.message)) for issue in issues) == [
        (
            "releases[1].contracts[0].items[0].classification.id",
            "3316900 is not a CPV code (8 digits, then maybe a check digit).",
        ),
        ("releases[1].contracts[0].period.startDate", "The contract's start date is missing."),
        (
            "releases[1].contracts[0].status",
            '"signed" is not a contract status; use one of pending, active, cancelled, terminated.',
        ),
        ("releases[1].parties[1].id", "99 is not the county code of a Swedish region."),
        ("releases[2].date", "The date and time must include a time zone."),
        (
            "releases[2].parties[1].address.countryName",
            "Unknown country Atlantis: give its English name.",
        ),
        (
            "releases[3].contracts[0].description",
            "Contract clause level must be bas or avancerad, not hög.",
        ),
        (
            "releases[3].contracts[0].description",
            "Countries of production: XX is not an ISO 3166-1 alpha-2 country code.",
        ),
        ("releases[3].contracts[0].value.amount", 'The amount must be a number, not "7500000".'),
        (
            "releases[3].contracts[0].value.currency",
            'The currency is "EUR"; only SEK is supported.',
        ),
    ]


def test_parse_refuses_an_amount_with_more_than_two_decimals():
    package = build(make_records())
    unit = package["releases"][0]["contracts"][0]["items"][0]["unit"]
    unit["value"]["amount"] = Decimal("2469135.785")
    records, issues = parse(
        json.dumps(package, default=str).replace('"2469135.785"', "2469135.785")
    )
    assert "RS-2023-0142" not in [record.reference for record in records]
    assert messages(issues) == {
        "releases[0].contracts[0].items[0].unit.value.amount": (
            "The amount 2469135.785 has more than two decimals."
        )
    }


def test_parse_reports_missing_parts():
    package = build(make_records()[:2])
    first, second = package["releases"]
    del first["contracts"]
    del second["buyer"]
    del second["tender"]["procuringEntity"]
    for party in second["parties"]:
        party["roles"] = ["supplier"] if party["id"].startswith("VAT") else []
    second["contracts"][0]["awardID"] = "nope"
    del second["contracts"][0]["status"]

    records, issues = parse(package)

    assert records == []
    assert messages(issues) == {
        "releases[0].contracts": "The release has no contract: export contracts with the tag "
        "'contract'.",
        "releases[1].buyer": "The release names no buyer: give 'buyer' or a party with the role "
        "'buyer'.",
        "releases[1].contracts[0].awardID": "No award has the id nope.",
        "releases[1].contracts[0].status": "The contract's status is missing.",
    }


def test_parse_reports_a_contract_listed_twice():
    package = build(make_records()[:1])
    package["releases"].append(copy.deepcopy(package["releases"][0]))

    records, issues = parse(package)

    assert len(records) == 1
    assert messages(issues) == {
        "releases[1].contracts[0].id": "The contract RS-2023-0142 of Region Stockholm is also at "
        "releases[0].contracts[0]."
    }


def test_parse_rejects_an_expired_status_on_an_active_contract():
    package = build(make_records()[1:2])
    package["releases"][0]["contracts"][0]["status"] = "active"

    records, issues = parse(package)

    assert records == []
    assert messages(issues) == {
        "releases[0].contracts[0].description": "Platform status expired does not match the "
        "contract status active."
    }


def test_messages_are_lazy_translatable_strings():
    from django.utils.functional import Promise

    _, issues = parse_release_package("[]", filename="a.json")

    assert isinstance(issues[0].message, Promise)
    assert "not an array" in str(issues[0].message)
    # Issues can travel to a background task and back.
    assert str(pickle.loads(pickle.dumps(issues[0])).message) == str(issues[0].message)


# Hostile shapes ---------------------------------------------------------------------------------


def test_a_file_of_millions_of_numbers_is_refused_before_it_is_built(monkeypatch):
    """5 million numbers in 10 MB: refused by the streaming count, json.loads never runs."""
    import hallbar.contracts.ocds.parse as parse_module

    def no_full_parse(*args, **kwargs):
        raise AssertionError("the whole file was parsed into memory")

    monkeypatch.setattr(parse_module.json, "loads", no_full_parse)
    data = b'{"releases": [' + b",".join([b"1"] * 5_000_000) + b"]}"
    records, issues = parse_release_package(data, filename="siffror.json")
    assert records == []
    assert [(i.filename, i.path) for i in issues] == [("siffror.json", "releases")]
    assert "more than 20000 entries in 'releases'" in str(issues[0].message)


def test_too_many_values_anywhere_are_refused(settings, monkeypatch):
    settings.HALLBAR_OCDS_MAX_VALUES = 1000
    records, issues = parse({"releases": [], "extra": list(range(1001))})
    assert records == []
    assert "more than 1000 JSON values" in messages(issues)[""]
    # At the limit the file is read (and its empty 'releases' reported as having no contract).
    records, issues = parse({"releases": [], "extra": list(range(990))})
    assert "JSON values" not in " ".join(messages(issues).values())


def test_deeply_nested_arrays_are_refused():
    data = '{"releases": [{"x": ' + "[" * 100_000 + "]" * 100_000 + "}]}"
    records, issues = parse(data)
    assert records == []
    assert "more than 32 levels deep" in messages(issues)[""]


def test_a_file_within_the_limits_is_read_as_before(settings):
    settings.HALLBAR_OCDS_MAX_RELEASES = len(make_records())
    records, issues = parse(build(make_records()))
    assert issues == [] and len(records) == len(make_records())
    settings.HALLBAR_OCDS_MAX_RELEASES = len(make_records()) - 1
    records, issues = parse(build(make_records()))
    assert records == [] and "entries in 'releases'" in messages(issues)["releases"]
