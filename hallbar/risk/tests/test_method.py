"""Fast tests of the Django-free risk method: no database, only the shipped reference files.

The worked example of docs/risk-method.md (section 12) is asserted here with the same numbers
written out, so a change to the method that moves them must change the document as well.
"""

import ast
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import MappingProxyType

import pytest

from hallbar.risk.method import reference
from hallbar.risk.method.matrix import MatrixLabels, MatrixPoint, matrix_points, risk_matrix_svg
from hallbar.risk.method.reference import (
    CpiScore,
    CpiTable,
    IlabList,
    IlabListing,
    ReferenceData,
    WgiTable,
    WgiValue,
    edition_labels,
    iso2_to_iso3,
    iso3_to_iso2,
    load_cpi,
    load_ilab,
    load_reference,
    load_wgi,
    load_wgi_history,
)
from hallbar.risk.method.scoring import (
    AREA_RISK_COLUMNS,
    AREAS,
    AreaJudgement,
    AreaRiskRow,
    CategoryInput,
    ClauseCoverage,
    ExpertAdjustment,
    MethodParameters,
    MissingRationaleError,
    adjust_likelihood,
    area_risk_columns,
    area_risk_table,
    assess_category,
    candidate_goods,
    category_likelihood,
    country_likelihood,
    country_risk,
    exposure,
    ilab_match,
    leverage,
    likelihood_value,
    prioritisation_score,
    priority_class,
    risk_score,
    severity,
    steps_as_dicts,
)

METHOD_DIR = Path(reference.__file__).parent
CPI_SHA256 = "aab0c40b56cc08b5cecb913871b19b62853a16ab3de54ad393d17db857e1166a"

approx = pytest.approx

# The worked example of docs/risk-method.md, section 12.
GLOVES_JUDGEMENTS = {
    "hr": AreaJudgement(inherent=3, scale=4, scope=3, irremediability=2),
    "wr": AreaJudgement(inherent=4, scale=5, scope=4, irremediability=3),
    "env": AreaJudgement(inherent=3, scale=3, scope=3, irremediability=3),
    "be": AreaJudgement(inherent=2, scale=3, scope=2, irremediability=1),
}


def gloves(countries, **extra) -> CategoryInput:
    return CategoryInput(
        key="examination-gloves",
        name="Examination gloves",
        product="examination gloves",
        countries=tuple(countries),
        areas=extra.pop("areas", GLOVES_JUDGEMENTS),
        spend_share=0.06,
        buying_regions=21,
        clause=ClauseCoverage(avancerad=0.3, bas=0.5),
        **extra,
    )


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference()


def synthetic_reference(wgi=None, cpi=None, listings=()) -> ReferenceData:
    """Return a small hand-made reference: {iso3: {indicator: pct}} and {iso3: score}."""
    values = {}
    for iso3, indicators in (wgi or {}).items():
        for code, pct in indicators.items():
            values[(iso3, code)] = WgiValue(iso3, code, 2023, None, pct)
    return ReferenceData(
        wgi=WgiTable(
            year=2023,
            edition="WGI test",
            values=MappingProxyType(values),
            names=MappingProxyType({iso3: iso3 for iso3 in wgi or {}}),
        ),
        cpi=CpiTable(
            year=2024,
            edition="CPI test",
            scores=MappingProxyType(
                {iso3: CpiScore(iso3, iso3, 2024, score) for iso3, score in (cpi or {}).items()}
            ),
        ),
        ilab=IlabList(edition="ILAB test", listings=tuple(listings)),
    )


# ---------------------------------------------------------------------------------------------
# Reference readers


def test_reference_finds_sweden_cc_2023_and_cpi_2024():
    # When the shipped files are read with the defaults
    wgi, cpi = load_wgi(), load_cpi()
    # Then Sweden's Control of Corruption 2023 and CPI 2024 are as published
    assert wgi.get("SWE", "cc").estimate == 2.03
    assert wgi.get("SWE", "cc").percentile_rank == 97.6
    assert cpi.get("SWE").score == 80
    assert load_cpi(2023).get("SWE").score == 82
    assert cpi.get("DNK").score == 90
    assert cpi.get("BRN") is None  # Brunei has no 2024 score
    assert (wgi.edition, cpi.edition) == ("WGI 2024 update (data 2023)", "CPI 2024")


def test_edition_labels():
    assert edition_labels() == {
        "wgi": "WGI 2024 update (data 2023)",
        "wgi_history": "WGI 2024 update (data 1996–2023)",
        "cpi": "CPI 2024",
        "ilab": "ILAB 2022",
    }
    assert load_reference().editions() == {
        "wgi": "WGI 2024 update (data 2023)",
        "cpi": "CPI 2024",
        "ilab": "ILAB 2022",
    }


def test_wide_wgi_file_agrees_with_the_long_file_for_2023():
    # Given the 2023 values from both shipped WGI files
    wide = load_wgi()
    history = load_wgi_history()
    # Then every economy and indicator has the same estimate and percentile rank
    assert len(wide.values) == 214 * 6
    for (iso3, code), value in wide.values.items():
        point = history.trend(iso3, code)[-1]
        assert point.year == 2023
        assert (point.estimate, point.percentile_rank) == (value.estimate, value.percentile_rank)


def test_wgi_for_an_earlier_year_and_its_history():
    assert load_wgi(2022).get("SWE", "cc").estimate == 2.06
    assert load_wgi(2022).edition == "WGI 2024 update (data 2022)"
    trend = load_wgi_history().trend("SWE", "cc")
    assert [p.year for p in trend][:3] == [1996, 1998, 2000]
    assert len(trend) == 25
    assert trend[-1].std_error == 0.17
    with pytest.raises(ValueError):
        load_wgi(1997)


def test_kosovo_keeps_its_world_bank_code():
    assert load_wgi().get("KSV", "cc").percentile_rank == 48.6
    assert load_cpi().get("KSV").score == 44


def test_iso_codes():
    assert iso2_to_iso3("se") == "SWE"
    assert iso2_to_iso3("MY") == "MYS"
    assert iso3_to_iso2("COD") == "CD"
    assert iso2_to_iso3("XK") == "KSV"
    assert iso3_to_iso2("KSV") == "XK"
    assert iso2_to_iso3("QQ") is None
    assert iso2_to_iso3("SWE") is None


def test_ilab_reader():
    ilab = load_ilab()
    assert len(ilab.listings) == 467
    gloves_my = ilab.find("rubber gloves", "MYS")
    assert (gloves_my.forced_labor, gloves_my.child_labor) == (True, False)
    assert ilab.find("Gloves", "CHN").forced_labor
    batteries = ilab.find("Lithium-Ion Batteries", "CHN")
    assert batteries.produced_with_listed_inputs
    assert batteries.input_country_iso3 == "COD"
    assert ilab.find("Gloves", "SWE") is None


def test_cpi_file_is_shipped_unmodified():
    # CC BY-ND: the file must stay byte-for-byte the copy described in SOURCES.md
    digest = hashlib.sha256((reference.REFERENCE_DIR / reference.CPI_FILE).read_bytes())
    assert digest.hexdigest() == CPI_SHA256


def test_method_package_imports_no_django():
    for path in METHOD_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "django" for name in names), path.name


# ---------------------------------------------------------------------------------------------
# Hand-computed cases


def test_country_risk_hand_computed():
    # Given a country with VA 40 and RL 60 (percentile ranks)
    data = synthetic_reference(wgi={"MYS": {"va": 40.0, "rl": 60.0}})
    # When the human-rights country risk is computed
    result = country_risk("hr", "MY", data)
    # Then it is 0.5 × (1 − 0.4) + 0.5 × (1 − 0.6) = 0.5, with one step per indicator
    assert result.value == approx(0.5)
    assert not result.renormalised and not result.no_data
    indicators = [s for s in result.explanation if s.kind == "indicator"]
    assert [(s.value, s.weight, s.source) for s in indicators] == [
        (40.0, 0.5, "WGI test"),
        (60.0, 0.5, "WGI test"),
    ]
    assert [s.contribution for s in indicators] == [approx(0.3), approx(0.2)]


def test_missing_indicator_renormalises_the_weights():
    # Given a country with Control of Corruption but no CPI score
    data = synthetic_reference(wgi={"MYS": {"cc": 70.0}}, cpi={})
    # When business ethics is scored
    result = country_risk("be", "MY", data)
    # Then CC takes all the weight: 1 − 0.7 = 0.3, and the explanation says why
    assert result.value == approx(0.3)
    assert result.renormalised
    missing = [s for s in result.explanation if s.kind == "missing"]
    assert missing[0].input.startswith("CPI score 2024")
    assert "spread over the others" in missing[0].note
    assert "re-normalised" in result.explanation[-1].note
    # And the real Brunei, without a CPI 2024 score, is scored on CC alone
    brunei = country_risk("be", "BN", load_reference())
    assert brunei.renormalised
    assert brunei.value == approx(1 - 0.887)


def test_country_without_data_gets_the_flagged_default():
    data = synthetic_reference()
    result = country_risk("env", "MY", data)
    assert (result.value, result.no_data) == (0.5, True)
    assert "default" in result.explanation[-1].note
    unknown = country_risk("env", None, data, MethodParameters(no_data_country_risk=0.7))
    assert (unknown.value, unknown.no_data) == (0.7, True)
    with pytest.raises(ValueError, match="not an ISO"):
        country_risk("env", "ZZ", data)


def test_likelihood_formula_and_clamp():
    # L = 1 + 4 · clamp(0.6 c + 0.4 (x − 1)/4 + u, 0, 1)
    assert likelihood_value(0.5, 3) == approx(1 + 4 * (0.3 + 0.2))
    assert likelihood_value(0.0, 1) == 1.0
    assert likelihood_value(1.0, 5) == 5.0
    assert likelihood_value(0.9, 5, 0.55) == 5.0  # 1.29, clamped to 1
    assert likelihood_value(0.5, 3, params=MethodParameters(alpha=1.0)) == approx(3.0)
    with pytest.raises(ValueError):
        likelihood_value(0.5, 6)


def test_ilab_uplift_forced_and_child_labour_add_up_and_are_capped():
    # Given a good listed for both forced and child labour
    listing = IlabListing("Cotton", "Agriculture", "X", "PAK", True, True, True)
    data = synthetic_reference(listings=[listing])
    # When textiles made there are matched
    match = ilab_match("textiles", "PK", data.ilab)
    # Then both uplifts apply once: wr 0.30 + 0.25, hr 0.15 + 0.10
    assert match.forced_labour and match.child_labour
    assert match.uplift["wr"] == approx(0.55)
    assert match.uplift["hr"] == approx(0.25)
    assert match.uplift["env"] == match.uplift["be"] == 0
    big = MethodParameters(forced_labour_uplift={"wr": 0.8}, child_labour_uplift={"wr": 0.7})
    assert ilab_match("textiles", "PK", data.ilab, big).uplift["wr"] == 1.0


def test_input_derived_listing_takes_the_flags_of_its_input(ref):
    # Lithium-ion batteries from China are listed as made with DR Congo cobalt (child labour)
    match = ilab_match("laptop batteries", "CN", ref.ilab)
    assert match.child_labour and not match.forced_labour
    assert match.uplift["wr"] == approx(0.25)
    assert "Cobalt ore (heterogenite)" in match.explanation[0].note


def test_product_words_match_ilab_goods(ref):
    goods = ref.ilab.goods()
    assert set(candidate_goods("examination gloves", goods)) == {"Gloves", "Rubber Gloves"}
    assert set(candidate_goods("Undersökningshandskar", goods)) == {"Gloves", "Rubber Gloves"}
    assert set(candidate_goods("bricks", goods)) == {"Bricks", "Bricks (clay)"}
    assert "Surgical Instruments" in candidate_goods("surgical instruments", goods)
    assert "Cotton" in candidate_goods("cotton", goods)
    assert "Cotton" in candidate_goods("textiles", goods)
    assert "Cobalt ore (heterogenite)" in candidate_goods("cobalt", goods)
    assert candidate_goods("wound dressings", goods) == {}
    assert ilab_match("surgical instruments", "PK", ref.ilab).child_labour
    assert ilab_match("surgical instruments", "SE", ref.ilab).listings == ()


def test_explicit_ilab_goods_replace_the_synonym_map(ref):
    match = ilab_match("nitrile examination supplies", "MY", ref.ilab, goods=["Rubber Gloves"])
    assert match.forced_labour
    assert ilab_match("nitrile examination supplies", "MY", ref.ilab).listings == ()


def test_expert_adjustment_requires_a_rationale(ref):
    # Given a computed likelihood
    computed = country_likelihood(
        "wr", "MY", inherent=4, product="examination gloves", reference=ref
    )
    # When an expert replaces it without a rationale, then it is refused
    with pytest.raises(MissingRationaleError, match="rationale"):
        adjust_likelihood(computed, value=3, rationale="   ")
    with pytest.raises(MissingRationaleError):
        ExpertAdjustment(likelihood=3, rationale="")
    with pytest.raises(ValueError):
        ExpertAdjustment(likelihood=6, rationale="audited")
    # When it comes with a rationale, then it replaces L and the explanation keeps both
    adjusted = adjust_likelihood(
        computed, value=3, rationale="Factory audit 2024 found no debt bondage.", author="A"
    )
    assert (adjusted.value, adjusted.computed) == (3.0, approx(4.378))
    steps = {s.kind: s for s in adjusted.explanation}
    assert steps["computed"].value == approx(4.378)
    assert steps["adjustment"].value == 3
    assert "Factory audit 2024" in steps["adjustment"].note


def test_category_adjustment_replaces_the_mean_and_country_adjustment_the_country(ref):
    # Given gloves from Malaysia and Sweden, half each
    kwargs = {"inherent": 4, "product": "examination gloves", "reference": ref}
    countries = [("MY", 1), ("SE", 1)]
    # When Malaysia's likelihood is set to 3 by an expert
    by_country = category_likelihood(
        "wr",
        countries,
        adjustments=[ExpertAdjustment(3, "Own audit of the two sites", country_iso2="MY")],
        **kwargs,
    )
    # Then the mean uses 3 for Malaysia
    assert by_country.value == approx(0.5 * 3 + 0.5 * 2.314)
    # When the category's likelihood is set instead, the mean is replaced, parts kept
    whole = category_likelihood(
        "wr", countries, adjustments=[ExpertAdjustment(2, "Supplier switched")], **kwargs
    )
    assert (whole.value, whole.computed) == (2.0, approx(0.5 * 4.378 + 0.5 * 2.314))
    assert [p.value for p in whole.parts] == [approx(4.378), approx(2.314)]


def test_severity_is_the_mean_of_three_whole_numbers():
    result = severity("env", scale=5, scope=4, irremediability=3)
    assert result.value == 4
    assert [s.value for s in result.explanation][:3] == [5, 4, 3]
    for bad in (0, 6, 2.5, True):
        with pytest.raises(ValueError):
            severity("env", scale=bad, scope=3, irremediability=3)
    with pytest.raises(ValueError):
        severity("xx", scale=3, scope=3, irremediability=3)


def test_risk_and_priority_class_boundaries():
    assert risk_score(3.0, 5.0) == 15
    assert priority_class(15) == "high"
    assert priority_class(14.99) == "medium"
    assert priority_class(8) == "medium"
    assert priority_class(7.99) == "low"
    assert priority_class(25) == "high"


def test_leverage_and_prioritisation_hand_computed():
    # Given 3 % of national spend, 7 buying regions, everything under the clause at bas
    result = leverage(spend_share=0.03, buying_regions=7, clause=ClauseCoverage(bas=1.0))
    # Then leverage = 1 + 4 (0.4 × 0.3 + 0.3 × 1/3 + 0.3 × 0.5) = 2.48
    assert result.value == approx(2.48)
    assert [s.contribution for s in result.explanation[:3]] == [
        approx(0.12),
        approx(0.1),
        approx(0.15),
    ]
    assert leverage(spend_share=0.5, buying_regions=21, clause=ClauseCoverage(1.0)).value == 5
    assert leverage(spend_share=0, buying_regions=0, clause=ClauseCoverage()).value == 1
    assert prioritisation_score(10, 5) == approx(13)
    assert prioritisation_score(15, 1) == approx(13.5)
    with pytest.raises(ValueError):
        leverage(spend_share=0.1, buying_regions=22, clause=ClauseCoverage())
    with pytest.raises(ValueError):
        ClauseCoverage(avancerad=0.7, bas=0.5)


def test_parameters_are_validated():
    with pytest.raises(ValueError):
        MethodParameters(alpha=1.5)
    with pytest.raises(ValueError):
        MethodParameters(leverage_weight_spend=0.5)
    with pytest.raises(ValueError):
        MethodParameters(area_indicators={"hr": (("va", 1.0),)})
    with pytest.raises(ValueError):
        MethodParameters(medium_threshold=16)


# ---------------------------------------------------------------------------------------------
# The worked example of docs/risk-method.md, section 12


def test_worked_example_workers_rights_step_by_step(ref):
    # Malaysia
    my = country_likelihood("wr", "MY", inherent=4, product="examination gloves", reference=ref)
    assert [s.value for s in my.explanation if s.kind == "indicator"] == [67.5, 51.0]
    assert [s.contribution for s in my.explanation if s.kind == "indicator"] == [
        approx(0.1625),
        approx(0.245),
    ]
    assert my.country_risk.value == approx(0.4075)
    steps = {s.kind: s for s in my.explanation}
    assert steps["country_risk"].contribution == approx(0.2445)
    assert steps["inherent"].contribution == approx(0.3)
    assert [listing.good for listing in my.ilab.listings] == ["Rubber Gloves"]
    assert steps["ilab"].value == "forced labour"
    assert steps["uplift"].value == approx(0.30)
    assert steps["combined"].value == approx(0.8445)
    assert my.value == approx(4.378)
    # Sweden
    se = country_likelihood("wr", "SE", inherent=4, product="examination gloves", reference=ref)
    assert [s.value for s in se.explanation if s.kind == "indicator"] == [93.4, 97.1]
    assert se.country_risk.value == approx(0.0475)
    assert {s.kind: s for s in se.explanation}["combined"].value == approx(0.3285)
    assert se.ilab.listings == ()
    assert se.value == approx(2.314)
    # Severity, risk and class
    sev = severity("wr", scale=5, scope=4, irremediability=3)
    assert sev.value == 4
    assert risk_score(my.value, sev.value) == approx(17.512)
    assert risk_score(se.value, sev.value) == approx(9.256)
    assert priority_class(17.512) == "high"
    assert priority_class(9.256) == "medium"


def test_worked_example_all_areas(ref):
    expected = {
        "MY": {
            "hr": (3.378, 10.134, "medium"),
            "wr": (4.378, 17.512, "high"),
            "env": (2.3664, 7.0992, "low"),
            "be": (2.4584, 4.9168, "low"),
        },
        "SE": {
            "hr": (1.914, 5.742, "low"),
            "wr": (2.314, 9.256, "medium"),
            "env": (1.9188, 5.7564, "low"),
            "be": (1.6688, 3.3376, "low"),
        },
    }
    country_risks = {
        "MY": {"hr": 0.4075, "env": 0.236, "be": 0.441},
        "SE": {"hr": 0.0475, "env": 0.0495, "be": 0.112},
    }
    for iso2, areas in expected.items():
        result = assess_category(gloves([(iso2, 1.0)]), ref)
        for area, (lik, risk, klass) in areas.items():
            got = result.areas[area]
            assert (got.likelihood.value, got.risk, got.priority_class) == (
                approx(lik),
                approx(risk),
                klass,
            ), (iso2, area)
        for area, value in country_risks[iso2].items():
            assert result.areas[area].likelihood.parts[0].country_risk.value == approx(value)
    assert assess_category(gloves([("MY", 1.0)]), ref).priority_class == "high"


def test_worked_example_ilab_listed_country_scores_higher_on_workers_rights(ref):
    malaysia = assess_category(gloves([("MY", 1.0)]), ref).areas["wr"]
    sweden = assess_category(gloves([("SE", 1.0)]), ref).areas["wr"]
    assert malaysia.risk > sweden.risk
    assert malaysia.likelihood.parts[0].ilab.forced_labour
    assert not sweden.likelihood.parts[0].ilab.listings


def test_worked_example_several_production_countries(ref):
    # 60 % of spend from Malaysia, 40 % from Thailand (weights in kronor work the same)
    result = assess_category(gloves([("MY", 6_000_000), ("TH", 4_000_000)]), ref).areas["wr"]
    thailand = result.likelihood.parts[1]
    assert thailand.country_risk.value == approx(0.5335)
    assert thailand.value == approx(3.4804)
    assert result.likelihood.value == approx(4.01896)
    assert result.risk == approx(16.07584)
    shares = [s for s in result.likelihood.explanation if s.kind == "country_share"]
    assert [(s.weight, s.contribution) for s in shares] == [
        (approx(0.6), approx(2.6268)),
        (approx(0.4), approx(1.39216)),
    ]


def test_worked_example_leverage_prioritisation_and_exposure(ref):
    result = assess_category(gloves([("MY", 1.0)]), ref)
    assert result.leverage.value == approx(3.82)
    assert result.areas["wr"].prioritisation == approx(20.699184)
    assert result.prioritisation == approx(20.699184)
    sweden = assess_category(gloves([("SE", 1.0)]), ref)
    assert sweden.areas["wr"].prioritisation == approx(10.940592)
    risks = {area: result.areas[area].risk for area in AREAS}
    exp = exposure(40_000_000, risks)
    assert exp.total == approx(28_019_200)
    assert dict(exp.per_area) == {
        "hr": approx(16_214_400),
        "wr": approx(28_019_200),
        "env": approx(11_358_720),
        "be": approx(7_866_880),
    }
    assert "workers' rights" in exp.explanation[-1].note


def test_explanations_are_plain_serialisable_steps(ref):
    result = assess_category(gloves([("MY", 1.0)]), ref).areas["wr"]
    rows = steps_as_dicts(result.explanation)
    assert set(rows[0]) == {"kind", "input", "value", "source", "weight", "contribution", "note"}
    sources = {row["source"] for row in rows}
    assert {"WGI 2024 update (data 2023)", "ILAB 2022", "secretariat assessment"} <= sources
    assert [row["kind"] for row in rows][-1] == "prioritisation"


# ---------------------------------------------------------------------------------------------
# Screening table and exposure


def test_area_risk_table_rows_per_category_and_country(ref):
    # Given the gloves category with an expert adjustment for Malaysia's workers' rights
    judgements = dict(GLOVES_JUDGEMENTS)
    judgements["wr"] = AreaJudgement(
        4, 5, 4, 3, adjustments=(ExpertAdjustment(2, "Audited, remedied", country_iso2="MY"),)
    )
    category = gloves([("MY", 1.0), ("SE", 1.0)], areas=judgements)
    # When the table is built for the category's own countries and for a given list
    own = area_risk_table([category], reference=ref)
    given = area_risk_table([category], ["se", "TH", "SE"], reference=ref)
    # Then there is one row per country, Malaysia with the adjusted likelihood
    assert [(r.category_key, r.country_iso2) for r in own] == [
        ("examination-gloves", "MY"),
        ("examination-gloves", "SE"),
    ]
    assert own[0].wr == approx(2 * 4)
    assert own[0].hr == approx(10.134)
    assert own[1].risks == {
        "hr": approx(5.742),
        "wr": approx(9.256),
        "env": approx(5.7564),
        "be": approx(3.3376),
    }
    assert [r.country_iso2 for r in given] == ["SE", "TH"]
    columns = area_risk_columns(own)
    assert tuple(columns) == AREA_RISK_COLUMNS
    assert columns["country_iso2"] == ["MY", "SE"]
    # And the unknown-country row (default country risk 0.5) can serve as the default row
    unknown = area_risk_table([category], [None], reference=ref)
    assert unknown[0].country_iso2 is None
    assert unknown[0].wr == approx((1 + 4 * (0.6 * 0.5 + 0.4 * 0.75)) * 4)
    columns = area_risk_columns(unknown + own, country_column="country", unknown_country="")
    assert list(columns) == ["category_key", "country", "hr", "wr", "env", "be"]
    assert columns["country"] == ["", "MY", "SE"]


def test_exposure_definition():
    row = AreaRiskRow("c", "MY", hr=10.0, wr=20.0, env=5.0, be=25.0)
    result = exposure(1000.0, row)
    assert result.total == 1000.0
    assert dict(result.per_area) == {"hr": 400.0, "wr": 800.0, "env": 200.0, "be": 1000.0}
    with pytest.raises(ValueError):
        exposure(1000.0, {"hr": 26.0})
    with pytest.raises(ValueError):
        exposure(1000.0, {"xx": 2.0})


# ---------------------------------------------------------------------------------------------
# Matrix


def test_risk_matrix_svg_is_well_formed_and_accessible(ref):
    # Given the four areas of gloves from Malaysia and a title that needs escaping
    points = matrix_points(assess_category(gloves([("MY", 1.0)]), ref))
    title = 'Examination gloves <Malaysia> & "co"'
    # When the matrix is drawn
    svg = risk_matrix_svg(points, title=title, id_prefix="gloves 1")
    # Then it parses as XML, has role img, the title and a description with the numbers
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "gloves-1-title gloves-1-desc"
    assert root.find("svg:title", ns).text == title
    assert "Workers' rights: likelihood 4.38, severity 4.00, risk 17.5 (high)" in (
        root.find("svg:desc", ns).text
    )
    texts = [el.text for el in root.iter("{http://www.w3.org/2000/svg}text")]
    # 25 cells labelled with their number and their class, and the four area labels
    assert texts.count("high") == 6 and texts.count("medium") == 7 and texts.count("low") == 12
    assert {"HR", "WR", "ENV", "BE"} <= set(texts)
    assert "25" in texts and "1" in texts
    # And point labels with markup are escaped, translated labels are used
    svg = risk_matrix_svg(
        [MatrixPoint("<b>", 6, 0)],
        title="t",
        labels=MatrixLabels(
            likelihood="Sannolikhet",
            severity="Allvarlighetsgrad",
            classes={"low": "låg", "medium": "medel", "high": "hög"},
        ),
    )
    texts = [el.text for el in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "<b>" in texts and "Sannolikhet" in texts and "hög" in texts


# ---------------------------------------------------------------------------------------------
# The worked examples of docs/risk-method.md, section 13: a production country the category's
# analysis does not list is scored from its own indicators; only no known country gets the default

METHOD_DOC = Path(__file__).resolve().parents[3] / "docs" / "risk-method.md"
SECTION_13_COLUMNS = ("c_hr", "c_wr", "c_env", "c_be", "hr", "wr", "env", "be")


def section_13_table() -> dict[str, dict]:
    """Return the results table of the method document's section 13, keyed by country ("" none).

    Read from the document itself, so that the tests and the page cannot drift apart.
    """
    text = METHOD_DOC.read_text(encoding="utf-8")
    section = text.split("\n## 13.", 1)[1]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 12 or cells[0] in {"line", "---"}:
            continue
        line_id, country, *numbers, klass, exposure_kr = cells
        rows["" if country == "none" else country] = {
            "line": line_id,
            **dict(zip(SECTION_13_COLUMNS, map(float, numbers), strict=True)),
            "class": klass,
            "exposure": float(exposure_kr.replace(" ", "")),
        }
    return rows


def test_section_13_table_is_read_from_the_document():
    rows = section_13_table()
    assert [(r["line"], country) for country, r in rows.items()] == [
        ("A", "SE"),
        ("B", "CN"),
        ("C", ""),
        ("D", "FO"),
    ]
    # the same numbers as the document's text, so a parse that reads nothing cannot pass
    assert (rows["CN"]["wr"], rows["CN"]["class"], rows["CN"]["exposure"]) == (20, "high", 800_000)
    assert (rows[""]["wr"], rows[""]["exposure"]) == (13.6, 544_000)


def test_worked_example_countries_the_analysis_does_not_list(ref):
    # Given the gloves category whose analysis lists only Malaysia
    category = gloves([("MY", 1.0)])
    expected = section_13_table()
    # When the screening's risk table is built for Sweden, China, the Faroe Islands and no
    # known country (None: the category's default row)
    rows = area_risk_table([category], ["SE", "CN", "FO", None], reference=ref)
    by_country = {row.country_iso2 or "": row for row in rows}
    for country, want in expected.items():
        row = by_country[country]
        # Then each country's risks are the document's, from its own indicators
        assert row.risks == {a: approx(want[a]) for a in AREAS}, country
        for area in AREAS:
            assert country_risk(area, country or None, ref).value == approx(want[f"c_{area}"])
        highest = max(row.risks.values())
        assert priority_class(highest) == want["class"], country
        assert exposure(1_000_000, row).total == approx(want["exposure"]), country
    # And Sweden's row is section 12's Swedish column, China's wr is clamped at L = 5
    sweden = assess_category(gloves([("SE", 1.0)]), ref)
    assert by_country["SE"].risks == {a: approx(sweden.areas[a].risk) for a in AREAS}
    china_wr = country_likelihood(
        "wr", "CN", inherent=4, product="examination gloves", reference=ref
    )
    assert china_wr.ilab.forced_labour and china_wr.value == approx(5)


def test_known_country_without_indicator_values_gets_the_flagged_default(ref):
    # Given the Faroe Islands: an ISO 3166-1 code without WGI or CPI values in the editions
    assert iso2_to_iso3("FO") == "FRO"
    for area in AREAS:
        result = country_risk(area, "FO", ref)
        # Then every area uses the default, flagged, and the explanation says why
        assert (result.value, result.no_data) == (0.5, True)
        assert "no indicator value" in result.explanation[-1].note
        assert "Faroe Islands (FO)" in result.explanation[-1].input
        assert all(s.kind == "missing" for s in result.explanation[:-1])
    # And the unknown country says that it is unknown
    assert "production country unknown" in country_risk("hr", None, ref).explanation[-1].note
