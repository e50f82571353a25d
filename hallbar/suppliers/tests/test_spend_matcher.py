"""The spend matching rule on its own, without Django or a database."""

import pytest

from hallbar.suppliers.matching.spend import (
    Registered,
    SpendMatch,
    SpendMatcher,
    exact_name,
    identifier_keys,
)

REGISTRY = [
    Registered("1", "Nordic Care AB", "SE", org_number="5560360793"),
    Registered("2", "Nordic Care Oy", "FI", vat_number="FI20774740"),
    Registered("3", "Lindström Tvätt AB", "SE", spellings=(("Lindströms", "01"),)),
    Registered("4", "Tvätt-Lindström AB", "SE", spellings=(("Lindströms", "23"),)),
    Registered("5", "Globex Textiles Ltd", "CN", other_id="91310000MA1FL4"),
    Registered("6", "Nameless Care AB", "SE"),
]


@pytest.mark.parametrize(
    ("identifier", "keys"),
    [
        ("556036-0793", {"SE:5560360793"}),
        ("SE556036079301", {"SE:5560360793"}),
        ("se 5560360793 01", {"SE:5560360793"}),
        ("165560360793", {"SE:5560360793"}),
        ("FI20774740", {"FI:20774740", "VAT:FI20774740"}),
        ("DE 136 695 976", {"VAT:DE136695976"}),
        ("556036-0794", set()),  # wrong check digit
        ("SE556036079399", set()),  # not a Swedish VAT number
        ("", set()),
    ],
)
def test_identifier_keys_normalise_org_and_vat_numbers(identifier, keys):
    assert identifier_keys(identifier) == keys


def test_exact_name_keeps_the_legal_form():
    assert exact_name("  Nordic   CARE ab ") == exact_name("Nordic Care AB")
    assert exact_name("Nordic Care AB") != exact_name("Nordic Care Oy")


@pytest.mark.parametrize(
    ("region", "identifier", "name", "expected"),
    [
        ("01", "SE5560360793 01", "", SpendMatch("1", rule="identifier")),
        ("01", "FI 2077474-0", "Nordic Care AB", SpendMatch("2", rule="identifier")),
        ("01", "", "NORDIC CARE OY", SpendMatch("2", rule="name")),
        ("01", "", "Nordic Care Aktiebolag", SpendMatch("", ("1", "2"), "normalised_name")),
        # a region's own spelling first; elsewhere the spelling is shared and so ambiguous
        ("01", "", "lindströms", SpendMatch("3", rule="region_name")),
        ("23", "", "Lindströms", SpendMatch("4", rule="region_name")),
        ("14", "", "Lindströms", SpendMatch("", ("3", "4"), "other_region_name")),
        # an unverifiable id, compared letters and digits only
        ("01", "91310000-MA1FL4", "", SpendMatch("5", rule="identifier")),
        # a valid number nobody has: only suppliers without numbers may still be it by name
        ("01", "5566778899", "Nordic Care AB", SpendMatch()),
        ("01", "5566778899", "Nameless Care AB", SpendMatch("6", rule="name")),
        ("01", "", "Unknown AB", SpendMatch()),
    ],
)
def test_the_first_rule_that_finds_anything_decides(region, identifier, name, expected):
    assert SpendMatcher(REGISTRY).match(region, identifier, name) == expected


def test_a_resolution_beats_every_rule():
    matcher = SpendMatcher(REGISTRY, [("01", "556036-0793", "Nordic Care", "2")])
    assert matcher.match("01", "5560360793", "nordic care") == SpendMatch("2", rule="resolution")
    assert matcher.match("23", "5560360793", "nordic care").key == "1"
