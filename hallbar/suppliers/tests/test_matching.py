"""Unit tests of the supplier matching engine: no database, no Django."""

from __future__ import annotations

import random

import pytest
from stdnum import luhn

from bench.supplier_matching import pairwise_scores
from bench.supplier_matching.generate import generate
from hallbar.suppliers.matching import (
    ORG_NUMBER_INVALID_CHECKSUM,
    ORG_NUMBER_INVALID_FORMAT,
    VAT_INVALID_CHECKSUM,
    VAT_MISSING_COUNTRY,
    VAT_ORG_NUMBER_MISMATCH,
    InvalidIdentifier,
    Matcher,
    SupplierRecord,
    build_clusters,
    check_identifiers,
    cluster_records,
    format_org_number,
    identity_keys,
    match_records,
    name_score,
    normalise_name,
    normalise_org_number,
    normalise_vat,
    org_number_to_vat,
    vat_to_org_number,
)
from hallbar.suppliers.matching.names import legal_form_class


def org_number(body: str) -> str:
    """Return a valid Swedish organisation number starting with the 9 digits ``body``."""
    return body + luhn.calc_check_digit(body)


ORG_A = org_number("556036079")  # 5560360793
ORG_B = org_number("559123456")
ORG_C = org_number("556677889")


def record(
    key: str, name: str, country: str = "SE", org: str = "", vat: str = ""
) -> SupplierRecord:
    return SupplierRecord(key=key, name=name, country=country, org_number=org, vat_number=vat)


# Identifiers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["556036-0793", "5560360793", " 556036 0793 ", "16556036-0793", "SE556036079301"],
)
def test_org_number_spellings_normalise_to_ten_digits(written):
    assert normalise_org_number(written) == "5560360793"


@pytest.mark.parametrize(
    ("written", "message", "code"),
    [
        ("556036-0794", ORG_NUMBER_INVALID_CHECKSUM, "invalid_checksum"),
        ("556036-079", ORG_NUMBER_INVALID_FORMAT, "invalid_format"),
        ("55603A-0793", ORG_NUMBER_INVALID_FORMAT, "invalid_format"),
        ("000000-0000", ORG_NUMBER_INVALID_FORMAT, "invalid_format"),
    ],
)
def test_invalid_org_numbers_raise_a_constant_message(written, message, code):
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_org_number(written)
    assert caught.value.message == message
    assert caught.value.code == code
    assert str(caught.value) == message


def test_format_org_number_adds_the_hyphen():
    assert format_org_number("5560360793") == "556036-0793"


def test_swedish_vat_and_org_number_give_the_same_key():
    vat = org_number_to_vat(ORG_A)
    assert vat == f"SE{ORG_A}01"
    assert vat_to_org_number(vat) == ORG_A
    assert identity_keys(ORG_A, "", "SE") == {f"SE:{ORG_A}"}
    assert identity_keys("", vat, "SE") == {f"SE:{ORG_A}"}
    assert identity_keys("", f"se {ORG_A[:6]}-{ORG_A[6:]} 01", "") == {f"SE:{ORG_A}"}


def test_check_identifiers_rejects_a_vat_number_of_another_company():
    assert check_identifiers(ORG_A, f"SE{ORG_A}01", "SE") == (ORG_A, f"SE{ORG_A}01")
    with pytest.raises(InvalidIdentifier) as caught:
        check_identifiers(ORG_A, f"SE{ORG_B}01", "SE")
    assert caught.value.message == VAT_ORG_NUMBER_MISMATCH


def test_eu_vat_numbers_are_validated_and_compacted():
    assert normalise_vat("de 136 695 976") == "DE136695976"
    assert normalise_vat("136695976", "DE") == "DE136695976"
    assert normalise_vat("094259216", "GR") == "EL094259216"
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_vat("DE136695977")
    assert caught.value.message == VAT_INVALID_CHECKSUM
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_vat("136695976")
    assert caught.value.message == VAT_MISSING_COUNTRY


def test_other_countries_identifiers_are_kept_as_given():
    assert normalise_org_number(" 12-3456789 ", "US") == "12-3456789"
    assert normalise_vat(" 91440300MA5FXXXX1 ", "CN") == "91440300MA5FXXXX1"
    # Weak keys compare the compact form, so spacing does not matter...
    assert identity_keys("12-3456789", "", "US") == identity_keys("12 3456789", "", "US")
    # ...and placeholders are not identifiers at all.
    assert identity_keys("N/A", "", "US") == set()


def test_nordic_business_ids_and_their_vat_numbers_share_a_key():
    assert identity_keys("2077474-0", "", "FI") & identity_keys("", "FI20774740", "FI")
    assert identity_keys("923609016", "", "NO") == identity_keys("", "NO923609016MVA", "NO")
    assert identity_keys("13585628", "", "DK") & identity_keys("", "DK 13585628", "DK")


def test_invalid_identifiers_give_no_key_instead_of_an_error():
    assert identity_keys("556036-0794", "DE136695977", "SE") == set()


# Names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mölnlycke Health Care AB", "MÖLNLYCKE HEALTH CARE AKTIEBOLAG"),
        ("Mölnlycke Health Care AB (publ)", "Moelnlycke Health-Care"),
        ("Aktiebolaget Volvo", "AB Volvo"),
        ("Oy Karl Fazer Ab", "Karl Fazer Oy"),
        ("Johansson & Söner HB", "Johansson och Söner Handelsbolag"),
        ("Lantmännen ek. för.", "LANTMÄNNEN EKONOMISK FÖRENING"),
        ("Siemens Healthcare GmbH", "Siemens Healthcare G.m.b.H."),
        ("Müller GmbH & Co. KG", "Mueller GmbH & Co KG"),
        ("Novo Nordisk A/S", "NOVO NORDISK AS"),
        (
            "Shenzhen Mindray Bio-Medical Electronics Co., Ltd.",
            "Shenzhen Mindray Bio Medical Electronics Company Limited",
        ),
        ("Sialkot Surgical (Pvt) Ltd", "Sialkot Surgical Pvt. Ltd."),
        ("Top Glove Sdn. Bhd.", "TOP GLOVE SDN BHD"),
        ("Ferrari S.p.A.", "Ferrari SpA"),
        ("Nowak Sp. z o.o.", "NOWAK SP. Z O. O."),
        ("Acme Inc.", "Acme Incorporated"),
        ("Acme Int'l Corp.", "ACME INTERNATIONAL CORPORATION"),
        ("Philips Nederland B.V.", "Philips Nederland BV"),
        ("Vinh Long Co., Ltd", "Cong ty TNHH Vinh Long"),
        ("Baxter Medical Sverige AB", "Baxter Medical AB"),
        ("H.M. Bygg AB", "H M Bygg"),
    ],
)
def test_legal_form_and_spelling_variants_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)
    assert normalise_name(a)  # never empty


def test_nordic_letters_stay_distinguishable_but_close():
    assert normalise_name("Malmö Järn & Åkeri") == "malmoe jaern aakeri"
    assert normalise_name("Håll AB") != normalise_name("Hall AB")
    assert normalise_name("Molnlycke") != normalise_name("Mölnlycke")
    assert name_score("Molnlycke Health Care AB", "Mölnlycke Health Care AB") >= 90


def test_leading_country_words_and_the_last_word_are_kept():
    assert normalise_name("Nordic Medical AB") == "nordic medical"
    assert normalise_name("SAS AB") == "sas"
    assert normalise_name("AB") == "ab"
    assert normalise_name("Bröderna Ek AB") == "broederna ek"


def test_legal_form_classes():
    assert legal_form_class("Procare HB") == "partnership"
    assert legal_form_class("Procare AB (publ)") == "private"
    assert legal_form_class("Müller GmbH & Co. KG") == "partnership"
    assert legal_form_class("Müller AG") == "public"
    assert legal_form_class("Procare") == ""


# Clustering ------------------------------------------------------------------------------------


def test_identifier_links_are_certain_whatever_the_names():
    clusters = cluster_records(
        [
            record("r1", "Mölnlycke Health Care AB", org=ORG_A),
            record("r2", "MHC", vat=f"SE{ORG_A}01"),
            record("r3", "Something else entirely", org=f"{ORG_A[:6]}-{ORG_A[6:]}"),
        ]
    )
    assert clusters == {"r1": "r1", "r2": "r1", "r3": "r1"}


def test_typo_and_legal_form_variant_merge_by_name():
    clusters = cluster_records(
        [
            record("r1", "Mölnlycke Health Care AB", org=ORG_A),
            record("r2", "MOLNLYCKE HELTH CARE AKTIEBOLAG"),
            record("r3", "Health Care Mölnlycke"),
        ]
    )
    assert set(clusters.values()) == {"r1"}


def test_different_identifiers_are_never_merged_by_name():
    result = build_clusters(
        [
            record("r1", "Nordic Medical AB", org=ORG_A),
            record("r2", "NORDIC MEDICAL AKTIEBOLAG", org=ORG_B),
            record("r3", "Nordic Medicall AB", org=ORG_C),
        ]
    )
    assert len(set(result.clusters.values())) == 3
    # Identical names go to review; a merely similar one with a third number does not.
    assert [(p.key_a, p.key_b) for p in result.review] == [("r1", "r2")]
    assert result.review[0].reason == "same name, different identifiers"


def test_a_row_without_identifier_cannot_bridge_two_identified_companies():
    clusters = cluster_records(
        [
            record("r1", "Nordic Medical AB", org=ORG_A),
            record("r2", "Nordic Medica AB", org=ORG_B),
            record("r3", "Nordic Medical AB"),
            record("r4", "Nordic Medica AB"),
        ]
    )
    assert clusters["r1"] != clusters["r2"]
    assert clusters["r3"] == clusters["r1"]
    assert clusters["r4"] == clusters["r2"]


def test_similar_looking_but_unrelated_names_are_not_merged():
    result = build_clusters([record("r1", "Nordic Medical AB"), record("r2", "Nordic Dental AB")])
    assert result.clusters["r1"] != result.clusters["r2"]
    assert name_score("Nordic Medical AB", "Nordic Dental AB") < 85


def test_other_legal_form_or_country_is_another_company():
    clusters = cluster_records(
        [
            record("r1", "Procare Software AB"),
            record("r2", "Procare Software HB"),
            record("r3", "Procare Software AS", country="NO"),
            record("r4", "Procare Software"),
        ]
    )
    assert len({clusters["r1"], clusters["r2"], clusters["r3"]}) == 3
    assert clusters["r4"] in (clusters["r1"], clusters["r2"])


def test_unverified_ids_link_when_equal_and_only_hold_back_fuzzy_merges():
    clusters = cluster_records(
        [
            record("r1", "Diarion Surgical (Pvt) Ltd", "PK", org="1927203-2"),
            record("r2", "Completely Renamed", "PK", org="1927203 2"),
            record("r3", "DIARION SURGICAL", "PK", org="843634317"),
            record("r4", "Diarion Surgiccal (Pvt) Ltd", "PK", org="0320593-7"),
        ]
    )
    assert clusters["r2"] == clusters["r1"]  # same id
    assert clusters["r3"] == clusters["r1"]  # same name, other id
    assert clusters["r4"] != clusters["r1"]  # similar name, other id: review


def test_blank_country_means_sweden():
    clusters = cluster_records(
        [record("r1", "Vesus AB", org=ORG_A), record("r2", "VESUS AKTIEBOLAG", country="")]
    )
    assert clusters["r2"] == clusters["r1"]


def test_clusters_do_not_depend_on_input_order():
    rows = [row.record for row in generate(300, seed=5).rows]
    first = cluster_records(rows)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert cluster_records(shuffled) == first
    assert all(cluster <= key for key, cluster in first.items())


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        cluster_records([record("r1", "A AB"), record("r1", "B AB")])


# Matcher ---------------------------------------------------------------------------------------

REGISTRY = [
    record("s1", "Mölnlycke Health Care AB", org=ORG_A),
    record("s2", "Nordic Medical AB", org=ORG_B),
    record("s3", "Medicom AB"),
    record("s4", "Medicon AB"),
    record("s5", "Siemens Healthcare GmbH", "DE", vat="DE136695976"),
]


@pytest.mark.parametrize(
    ("incoming", "decision", "candidate"),
    [
        (record("i1", "MHC", vat=f"SE{ORG_A}01"), "identifier", "s1"),
        (record("i2", "Molnlycke Helth Care", country=""), "name", "s1"),
        (record("i3", "Nordic Medical Aktiebolag", org=ORG_C), "review", "s2"),
        (record("i4", "Nordic Medicall AB", org=ORG_C), "new", ""),
        (record("i5", "Nordic Dental AB"), "new", ""),
        (record("i6", "Medico AB"), "review", "s3"),
        (record("i7", "Siemens Healthcare G.m.b.H.", "DE"), "name", "s5"),
        (record("i8", "Siemens Healthcare AB"), "new", ""),
    ],
)
def test_matcher_decisions(incoming, decision, candidate):
    [result] = match_records([incoming], REGISTRY)
    assert (result.incoming_key, result.decision, result.candidate_key) == (
        incoming.key,
        decision,
        candidate,
    )
    assert 0 <= result.score <= 100
    assert result.reason


def test_matcher_keeps_input_order_and_is_repeatable():
    incoming = [record(f"i{n}", name) for n, name in enumerate(["Medicom", "X AB", "Mölnlycke"])]
    matcher = Matcher(REGISTRY)
    first = matcher.match_many(incoming)
    assert [r.incoming_key for r in first] == ["i0", "i1", "i2"]
    assert matcher.match_many(list(reversed(incoming))) == list(reversed(first))


# Benchmark -------------------------------------------------------------------------------------


def test_pairwise_scores_count_pairs_from_cluster_sizes():
    # Truth {a,b,c} {d}; predicted {a,b} {c,d}: 3 true pairs, 2 predicted, 1 correct.
    scores = pairwise_scores(["x", "x", "x", "y"], ["p", "p", "q", "q"])
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (3, 2, 1)
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(1 / 3)


def test_generator_is_deterministic():
    a, b = generate(200, seed=3), generate(200, seed=3)
    assert [r.record for r in a.rows] == [r.record for r in b.rows]
    assert [r.record for r in generate(200, seed=4).rows] != [r.record for r in a.rows]


def test_small_benchmark_meets_its_targets():
    # Quality only: its speed is measured against an anchor in bench/supplier_matching.
    data = generate(500, seed=2025)
    result = build_clusters([row.record for row in data.rows])
    scores = pairwise_scores(
        [row.supplier_id for row in data.rows],
        [result.clusters[row.record.key] for row in data.rows],
    )
    assert scores.precision >= 0.98
    assert scores.recall >= 0.95
