"""Category risk analyses through the services, the pages and the screening selector.

The hand-computed case is the worked example of docs/risk-method.md (section 12): examination
gloves made in Malaysia against the same gloves made in Sweden, with the same numbers.
"""

import hashlib
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.core.history import history_for
from hallbar.demo.risk import DEMO_ANALYSES, load_demo_analyses
from hallbar.demo.testing import requirement_library
from hallbar.organisations.models import Region
from hallbar.requirements.models import ContractClause
from hallbar.risk.access import (
    access_adjustment_for_write,
    access_analysis,
    access_analysis_for_write,
)
from hallbar.risk.method.reference import CPI_FILE, REFERENCE_DIR
from hallbar.risk.method.scoring import MethodParameters
from hallbar.risk.models import DataEdition, MethodSettings, RiskAnalysis
from hallbar.risk.selectors import (
    analysis_for_category,
    area_risk_rows_for_screening,
    latest_approved_analyses,
    screening_sources,
)
from hallbar.risk.services import (
    DRAFT_EXISTS,
    RATIONALE_REQUIRED,
    add_expert_adjustment,
    approve_analysis,
    create_analysis_draft,
    load_risk_reference,
    remove_expert_adjustment,
    save_method_settings,
    start_new_version,
    update_analysis_draft,
)
from hallbar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db

approx = pytest.approx
CPI_SHA256 = "aab0c40b56cc08b5cecb913871b19b62853a16ab3de54ad393d17db857e1166a"

# docs/risk-method.md, section 12: (inherent, scale, scope, irremediability) per area.
GLOVES = {
    "hr": {"inherent": 3, "scale": 4, "scope": 3, "irremediability": 2},
    "wr": {"inherent": 4, "scale": 5, "scope": 4, "irremediability": 3},
    "env": {"inherent": 3, "scale": 3, "scope": 3, "irremediability": 3},
    "be": {"inherent": 2, "scale": 3, "scope": 2, "irremediability": 1},
}
MEMBERS = ["secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob"]
READERS = [m for m in MEMBERS if m != "secretariat"]
OUTSIDERS = ["auditor", "charlie", "dave", "nobody"]


@pytest.fixture(autouse=True)
def english(settings):
    """Read the messages and pages in English (the source language), whatever the default."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def consumables(cast) -> Category:
    return Category.objects.get(slug="general-consumables")


def gloves(category, countries, *, user=None, product="examination gloves") -> RiskAnalysis:
    return create_analysis_draft(
        category=category,
        product=product,
        judgements=GLOVES,
        countries=countries,
        acting_user=user,
    )


@pytest.fixture
def approved(consumables, cast) -> RiskAnalysis:
    draft = gloves(consumables, [("MY", 1)], user=cast.secretariat)
    return approve_analysis(draft, note="First analysis", acting_user=cast.secretariat)


@pytest.fixture
def draft(approved, cast) -> RiskAnalysis:
    return start_new_version(approved, acting_user=cast.secretariat)


def _area(analysis, area):
    return analysis.results["areas"][area]


# ---------------------------------------------------------------------------------------------
# The hand-computed case


def test_gloves_made_in_malaysia_score_higher_on_workers_rights_than_in_sweden(consumables, cast):
    # Given the gloves of the worked example, made in Malaysia
    analysis = gloves(consumables, [("MY", 1)], user=cast.secretariat)
    # Then the service stores the numbers the method document predicts
    wr = _area(analysis, "wr")
    assert wr["likelihood"] == approx(4.378)
    assert wr["severity"] == approx(4)
    assert wr["risk"] == approx(17.512)
    assert wr["class"] == "high"
    expected = {"hr": (10.134, "medium"), "env": (7.0992, "low"), "be": (4.9168, "low")}
    for area, (risk, klass) in expected.items():
        assert _area(analysis, area)["risk"] == approx(risk)
        assert _area(analysis, area)["class"] == klass
    assert analysis.results["priority_class"] == "high"
    # And the explanation names the indicator, its value and its edition
    steps = wr["steps"]
    rule_of_law = next(s for s in steps if s["input"].startswith("WGI Rule of Law"))
    assert (rule_of_law["value"], rule_of_law["source"]) == (67.5, "WGI 2024 update (data 2023)")
    assert rule_of_law["contribution"] == approx(0.1625)
    uplift = next(s for s in steps if s["kind"] == "uplift")
    assert (uplift["value"], uplift["source"]) == (approx(0.30), "ILAB 2022")
    assert any("Rubber Gloves" in s["input"] for s in steps if s["kind"] == "ilab")
    # And the editions and parameters used are stored with it
    assert analysis.editions["cpi"] == {
        "label": "CPI 2024",
        "file": CPI_FILE,
        "sha256": CPI_SHA256,
    }
    assert analysis.parameters["settings_version"] is None
    assert analysis.parameters["values"]["alpha"] == 0.6
    assert analysis.countries == [{"country": "MY", "weight": 1.0}]

    # When the same gloves are made in Sweden instead
    update_analysis_draft(
        analysis, judgements=GLOVES, countries=[("SE", 100)], acting_user=cast.secretariat
    )
    analysis.refresh_from_db()
    # Then workers' rights fall to medium: 2.314 × 4 = 9.256
    assert _area(analysis, "wr")["likelihood"] == approx(2.314)
    assert _area(analysis, "wr")["risk"] == approx(9.256)
    assert _area(analysis, "wr")["class"] == "medium"
    assert _area(analysis, "hr")["risk"] == approx(5.742)
    assert _area(analysis, "env")["risk"] == approx(5.7564)
    assert _area(analysis, "be")["risk"] == approx(3.3376)
    # And the history says what moved
    change = history_for(analysis).first().changes
    assert change["countries"] == ["MY 100 %", "SE 100 %"]
    assert change["R wr"] == [17.51, 9.26]


def test_countries_and_leverage_come_from_the_active_contracts(consumables, cast):
    # Given the clause in force and active contracts: gloves from Malaysia (6 MSEK, advanced
    # clause, regions 01 and 03) and Thailand (4 MSEK, basic, region 23), an expired contract
    # and another category's contract (90 MSEK)
    requirement_library()
    clause = ContractClause.objects.published().get()
    supplier = Supplier.objects.create(name="Glove Co", country="MY")
    regions = {r.county_code: r for r in Region.objects.filter(county_code__in=["01", "03", "23"])}

    def contract(reference, value, countries, *, category=consumables, status="active", **extra):
        return Contract.objects.create(
            reference=reference,
            title=reference,
            lead_region=regions[extra.pop("lead", "01")],
            supplier=supplier,
            category=category,
            annual_value_sek=Decimal(value),
            start_date=date(2024, 1, 1),
            status=status,
            production_countries=countries,
            **extra,
        )

    contract("A", 6_000_000, ["MY"], clause=clause, clause_level="advanced").regions.set(
        [regions["01"], regions["03"]]
    )
    contract("B", 4_000_000, ["TH"], clause=clause, clause_level="basic", lead="23").regions.set(
        [regions["23"]]
    )
    contract("C", 50_000_000, ["CN"], status="expired")
    other = Category.objects.get(slug="it")
    contract("D", 90_000_000, ["CN"], category=other).regions.set([regions["01"]])
    # When the secretariat creates the analysis without naming countries
    analysis = gloves(consumables, None, user=cast.secretariat)
    # Then the countries are weighted by annual value: 60 % Malaysia, 40 % Thailand
    assert analysis.countries == [
        {"country": "MY", "weight": 0.6},
        {"country": "TH", "weight": 0.4},
    ]
    assert analysis.countries_source == "contracts"
    # And workers' rights are the spend-weighted mean of the document: L = 4.01896, R = 16.07584
    assert _area(analysis, "wr")["likelihood"] == approx(4.01896)
    assert _area(analysis, "wr")["risk"] == approx(16.07584)
    # And leverage: s = min(1, 0.1/0.1) = 1, r = 3/21, k = 0.6 + 0.5 × 0.4 = 0.8
    inputs = analysis.leverage_inputs
    assert inputs["spend_share"] == approx(0.1)
    assert inputs["buying_regions"] == 3
    assert (inputs["clause_advanced_share"], inputs["clause_basic_share"]) == (0.6, 0.4)
    assert inputs["clause_version"] == clause.version
    leverage = 1 + 4 * (0.4 * 1 + 0.3 * 3 / 21 + 0.3 * 0.8)
    assert analysis.results["leverage"]["value"] == approx(leverage)
    assert _area(analysis, "wr")["prioritisation"] == approx(16.07584 * (0.8 + 0.1 * leverage))
    # And the per-country rows keep each country's risk
    rows = {row["country"]: row for row in analysis.results["countries"]}
    assert rows["MY"]["areas"]["wr"]["risk"] == approx(17.512)
    assert rows["TH"]["areas"]["wr"]["risk"] == approx(3.4804 * 4)
    assert rows["MY"]["ilab_goods"] == ["Rubber Gloves"]


def test_a_category_without_contracts_has_an_unknown_country(consumables, cast):
    analysis = gloves(consumables, None, user=cast.secretariat)
    assert analysis.countries == [{"country": "", "weight": 1.0}]
    row = analysis.results["countries"][0]
    assert row["no_data"] is True
    # L = 1 + 4 × (0.6 × 0.5 + 0.4 × 0.75) = 3.4 for workers' rights
    assert _area(analysis, "wr")["likelihood"] == approx(3.4)


# ---------------------------------------------------------------------------------------------
# Lifecycle


def test_approving_supersedes_the_approved_version(approved, draft, cast):
    # Given version 1 approved and version 2 started from it
    assert (approved.version, draft.version) == (1, 2)
    assert draft.based_on == approved
    assert draft.judgements == approved.judgements
    # When version 2 is approved
    approve_analysis(draft, note="New judgements", acting_user=cast.secretariat)
    approved.refresh_from_db()
    draft.refresh_from_db()
    # Then version 1 is superseded and version 2 is the one in force
    assert approved.status == "superseded"
    assert approved.superseded_at is not None
    assert (draft.status, draft.approved_by, draft.change_note) == (
        "approved",
        cast.secretariat,
        "New judgements",
    )
    assert list(latest_approved_analyses()) == [draft]
    assert history_for(approved).first().changes["event"] == "superseded"


def test_only_drafts_are_edited_and_approval_needs_a_note(approved, cast, consumables):
    with pytest.raises(ValidationError, match="Only a draft can be edited"):
        update_analysis_draft(
            approved, judgements=GLOVES, countries=[("SE", 1)], acting_user=cast.secretariat
        )
    with pytest.raises(ValidationError, match="Only a draft can be edited"):
        add_expert_adjustment(
            approved, area="wr", likelihood=3, rationale="Audits", acting_user=cast.secretariat
        )
    with pytest.raises(ValidationError, match="Only a draft can be approved"):
        approve_analysis(approved, note="again", acting_user=cast.secretariat)
    draft = start_new_version(approved, acting_user=cast.secretariat)
    with pytest.raises(ValidationError) as error:
        start_new_version(approved, acting_user=cast.secretariat)
    assert error.value.messages == [str(DRAFT_EXISTS)]
    with pytest.raises(ValidationError):
        gloves(consumables, [("MY", 1)], user=cast.secretariat)
    with pytest.raises(ValidationError, match="Say briefly what changed"):
        approve_analysis(draft, note="  ", acting_user=cast.secretariat)
    with pytest.raises(ValidationError, match="A new version starts from the approved"):
        start_new_version(draft, acting_user=cast.secretariat)


def test_only_the_secretariat_writes(consumables, cast):
    for name in READERS + OUTSIDERS:
        with pytest.raises(PermissionError):
            gloves(consumables, [("MY", 1)], user=getattr(cast, name))
    assert not RiskAnalysis.objects.exists()


def test_inputs_are_validated(consumables, cast):
    with pytest.raises(ValidationError, match="whole number from 1 to 5"):
        create_analysis_draft(
            category=consumables,
            judgements={**GLOVES, "wr": {**GLOVES["wr"], "scale": 6}},
            countries=[("MY", 1)],
            acting_user=cast.secretariat,
        )
    for countries, message in [
        ([("XX", 1)], "not an ISO 3166-1 country code"),
        ([("MY", 1), ("my", 2)], "more than once"),
        ([("MY", -1)], "must be a number ≥ 0"),
        ([("MY", 0)], "at least one production country"),
    ]:
        with pytest.raises(ValidationError, match=message):
            gloves(consumables, countries, user=cast.secretariat)


def test_expert_adjustment_needs_a_rationale_and_is_explained(draft, cast):
    # When an adjustment comes without a rationale
    with pytest.raises(ValidationError) as error:
        add_expert_adjustment(
            draft, area="wr", likelihood="4.8", rationale="  ", acting_user=cast.secretariat
        )
    # Then it is refused with a message on the rationale
    assert error.value.message_dict == {"rationale": [str(RATIONALE_REQUIRED)]}
    with pytest.raises(ValidationError, match="not one of the analysis's production countries"):
        add_expert_adjustment(
            draft,
            area="wr",
            likelihood=3,
            rationale="Audited",
            country="TH",
            acting_user=cast.secretariat,
        )
    with pytest.raises(ValidationError, match="from 1 to 5"):
        add_expert_adjustment(
            draft, area="wr", likelihood=6, rationale="x", acting_user=cast.secretariat
        )
    # When it comes with one
    adjustment = add_expert_adjustment(
        draft,
        area="wr",
        likelihood="4.8",
        rationale="Recent audits found recruitment fees at two glove factories.",
        acting_user=cast.secretariat,
    )
    draft.refresh_from_db()
    # Then the likelihood is the expert's and the explanation keeps both values and the reason
    wr = _area(draft, "wr")
    assert (wr["likelihood"], wr["likelihood_computed"], wr["adjusted"]) == (
        4.8,
        approx(4.378),
        True,
    )
    assert wr["risk"] == approx(4.8 * 4)
    step = next(s for s in wr["steps"] if s["kind"] == "adjustment")
    assert "recruitment fees" in step["note"]
    assert "Karin" in step["input"]
    change = history_for(draft).first().changes
    assert (change["event"], change["likelihood"]) == ("adjusted", [4.378, 4.8])
    # And a new version copies it, and removing it restores the computed value
    remove_expert_adjustment(adjustment, acting_user=cast.secretariat)
    draft.refresh_from_db()
    assert _area(draft, "wr")["likelihood"] == approx(4.378)


def test_adjustments_are_copied_to_a_new_version(approved, cast):
    draft = start_new_version(approved, acting_user=cast.secretariat)
    add_expert_adjustment(
        draft,
        area="be",
        likelihood=2,
        rationale="Anti-bribery programme verified",
        country="MY",
        acting_user=cast.secretariat,
    )
    approve_analysis(draft, note="Adjusted", acting_user=cast.secretariat)
    third = start_new_version(draft, acting_user=cast.secretariat)
    assert [(a.area, a.country, a.likelihood) for a in third.adjustments.all()] == [
        ("be", "MY", Decimal("2.00"))
    ]
    country_row = third.results["countries"][0]
    assert country_row["areas"]["be"]["likelihood"] == 2.0
    # A country with an adjustment cannot be removed while the adjustment stands
    with pytest.raises(ValidationError, match="remove the adjustment"):
        update_analysis_draft(
            third, judgements=GLOVES, countries=[("SE", 1)], acting_user=cast.secretariat
        )


# ---------------------------------------------------------------------------------------------
# Method settings


def test_new_parameters_apply_to_drafts_not_to_approved_analyses(approved, cast):
    # Given new parameters with α = 0.5
    settings = save_method_settings(
        parameters=MethodParameters(alpha=0.5),
        note="Judgement weighs more",
        acting_user=cast.secretariat,
    )
    assert settings.version == 1
    assert history_for(settings).first().changes["alpha"] == [0.6, 0.5]
    # When a new version is started
    draft = start_new_version(approved, acting_user=cast.secretariat)
    # Then it uses them: L = 1 + 4 × (0.5 × 0.4075 + 0.5 × 0.75 + 0.3) = 4.515
    assert _area(draft, "wr")["likelihood"] == approx(4.515)
    assert draft.method_settings == settings
    # And the approved analysis keeps the numbers it was approved with
    approved.refresh_from_db()
    assert _area(approved, "wr")["likelihood"] == approx(4.378)
    with pytest.raises(PermissionError):
        save_method_settings(parameters=MethodParameters(), note="x", acting_user=cast.alice)
    with pytest.raises(ValidationError):
        save_method_settings(parameters=MethodParameters(), note=" ", acting_user=cast.secretariat)


def test_method_settings_form_saves_a_version_and_validates(cast, client_for):
    client = client_for(cast.secretariat)
    url = reverse("risk:method-settings-edit")
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data |= {"alpha": "0.7", "note": "More weight on the country data"}
    bad = client.post(url, data | {"leverage_weight_spend": "0.5"})
    assert bad.status_code == 200
    assert "The three leverage weights must sum to 1." in bad.context["form"].non_field_errors()
    response = client.post(url, data)
    assert response.status_code == 302
    saved = MethodSettings.objects.get()
    assert saved.method_parameters().alpha == 0.7
    assert saved.method_parameters().area_indicators["be"] == (("cc", 0.5), ("cpi", 0.5))
    assert saved.created_by == cast.secretariat


# ---------------------------------------------------------------------------------------------
# Access


def read_pages(analysis) -> list[str]:
    return [
        reverse("risk:index"),
        reverse("risk:analysis-detail", args=[analysis.public_id]),
        reverse("risk:method-settings"),
        reverse("risk:data-editions"),
    ]


def edit_pages(analysis) -> list[str]:
    return [
        reverse("risk:analysis-create"),
        reverse("risk:analysis-edit", args=[analysis.public_id]),
        reverse("risk:analysis-adjust", args=[analysis.public_id]),
        reverse("risk:analysis-approve", args=[analysis.public_id]),
        reverse("risk:method-settings-edit"),
    ]


def test_secretariat_opens_every_page(draft, cast, client_for):
    client = client_for(cast.secretariat)
    for url in read_pages(draft) + edit_pages(draft):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", READERS)
def test_cooperation_members_read_but_change_nothing(who, draft, approved, cast, client_for):
    user = getattr(cast, who)
    client = client_for(user)
    for url in read_pages(draft) + read_pages(approved):
        assert client.get(url).status_code == 200, url
    for url in edit_pages(draft):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("risk:analysis-new-version", args=[approved.public_id])).status_code
        == 404
    )
    assert client.post(reverse("risk:data-editions-load")).status_code == 404
    analysis, can_edit = access_analysis(user, draft.public_id)
    assert (analysis, can_edit) == (draft, False)
    with pytest.raises(Http404):
        access_analysis_for_write(user, draft.public_id)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_auditors_suppliers_and_nobody_get_404(who, draft, cast, client_for):
    user = getattr(cast, who)
    client = client_for(user)
    for url in read_pages(draft) + edit_pages(draft):
        assert client.get(url).status_code == 404, url
    with pytest.raises(Http404):
        access_analysis(user, draft.public_id)


def test_missing_and_forbidden_look_the_same(draft, cast, client_for):
    adjustment = add_expert_adjustment(
        draft, area="hr", likelihood=3, rationale="Checked", acting_user=cast.secretariat
    )
    missing = uuid.uuid4()
    for bad in (missing, "not-a-uuid"):
        with pytest.raises(Http404):
            access_analysis(cast.secretariat, bad)
        with pytest.raises(Http404):
            access_adjustment_for_write(cast.secretariat, bad)
    assert access_analysis(cast.secretariat, draft.public_id) == (draft, True)
    assert access_adjustment_for_write(cast.secretariat, adjustment.public_id) == adjustment
    with pytest.raises(Http404):
        access_adjustment_for_write(cast.alice, adjustment.public_id)
    client = client_for(cast.secretariat)
    assert client.get(reverse("risk:analysis-detail", args=[missing])).status_code == 404
    client = client_for(cast.bob)
    url = reverse("risk:adjustment-delete", args=[adjustment.public_id])
    assert client.post(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(draft, client):
    response = client.get(reverse("risk:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------
# Pages


def test_index_shows_the_empty_state_then_the_heat_map(cast, consumables, client_for):
    client = client_for(cast.secretariat)
    empty = client.get(reverse("risk:index")).content.decode()
    assert "Create the first analysis" in empty
    approve_analysis(
        gloves(consumables, [("MY", 1)], user=cast.secretariat),
        note="First",
        acting_user=cast.secretariat,
    )
    client = client_for(cast.alice)
    page = client.get(reverse("risk:index")).content.decode()
    assert "Create the first analysis" not in page
    assert "examination gloves" in page
    assert "17.5" in page  # workers' rights R
    assert "high" in page


def test_index_query_count_stays_flat(cast, client_for, django_assert_max_num_queries):
    load_demo_analyses()
    client = client_for(cast.alice)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("risk:index")).status_code == 200


def test_detail_page_shows_matrix_explanation_and_approve_button(draft, cast, client_for):
    page = client_for(cast.secretariat).get(reverse("risk:analysis-detail", args=[draft.public_id]))
    html = page.content.decode()
    assert 'role="img"' in html
    assert "WGI 2024 update (data 2023)" in html
    assert reverse("risk:analysis-approve", args=[draft.public_id]) in html
    reader = client_for(cast.alice).get(reverse("risk:analysis-detail", args=[draft.public_id]))
    assert reverse("risk:analysis-approve", args=[draft.public_id]) not in reader.content.decode()


def test_create_form_validates_then_creates(cast, consumables, client_for):
    client = client_for(cast.secretariat)
    url = reverse("risk:analysis-create")
    # When the judgements are missing and a country line is wrong
    response = client.post(url, {"category": consumables.slug, "countries": "Malaysia sixty"})
    # Then the form says what to fix and nothing is created
    assert response.status_code == 200
    assert "countries" in response.context["form"].errors
    assert all(form.errors for _code, _label, form in response.context["areas"])
    assert not RiskAnalysis.objects.exists()
    # When everything is given
    data = {
        "category": consumables.slug,
        "product": "examination gloves",
        "countries": "MY 60\nTH 40",
    }
    for area, values in GLOVES.items():
        data |= {f"{area}-{field}": value for field, value in values.items()}
    response = client.post(url, data)
    # Then the draft exists and the page shows it
    analysis = RiskAnalysis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("risk:analysis-detail", args=[analysis.public_id])
    assert analysis.countries_source == "entered"
    assert _area(analysis, "wr")["risk"] == approx(16.07584)
    # And an unknown ILAB good is refused by the edit form
    edit = reverse("risk:analysis-edit", args=[analysis.public_id])
    response = client.post(edit, {**data, "ilab_goods": "Unobtainium"})
    assert "ilab_goods" in response.context["form"].errors


def test_adjust_and_approve_pages(draft, cast, client_for):
    client = client_for(cast.secretariat)
    adjust = reverse("risk:analysis-adjust", args=[draft.public_id])
    response = client.post(adjust, {"area": "wr", "likelihood": "4.5", "rationale": ""})
    assert response.status_code == 200
    assert str(RATIONALE_REQUIRED) in response.content.decode()
    response = client.post(
        adjust, {"area": "wr", "country": "MY", "likelihood": "4.5", "rationale": "Audit 2025"}
    )
    assert response.status_code == 302
    approve = reverse("risk:analysis-approve", args=[draft.public_id])
    assert client.post(approve, {"note": ""}).status_code == 200
    assert client.post(approve, {"note": "Audit findings"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_approved
    assert client.get(reverse("risk:analysis-edit", args=[draft.public_id])).status_code == 302


# ---------------------------------------------------------------------------------------------
# Screening rows


def test_screening_rows_from_approved_analyses_and_defaults(approved, cast, consumables):
    # Given the approved gloves analysis (Malaysia) and a second approved product of the category
    second = create_analysis_draft(
        category=consumables,
        product="syringes",
        judgements={area: {**GLOVES[area], "inherent": 5} for area in GLOVES},
        countries=[("SE", 1)],
        acting_user=cast.secretariat,
    )
    approve_analysis(second, note="First", acting_user=cast.secretariat)
    # When the screening asks for its risk table, with Viet Nam seen in the suppliers' sites
    columns = area_risk_rows_for_screening(countries=["vn"])
    # Then the columns are exactly the engine's
    assert list(columns) == ["category_key", "country", "hr", "wr", "env", "be"]
    rows = {
        (key, country): dict(zip(["hr", "wr", "env", "be"], values, strict=True))
        for key, country, *values in zip(*columns.values(), strict=True)
    }
    assert len(rows) == len(columns["category_key"])  # one row per category and country
    # And the gloves' Malaysian row is the approved analysis's
    assert rows[("general-consumables", "MY")]["wr"] == approx(17.512)
    # And each country takes the highest risk of the category's products
    syringes_se_wr = (1 + 4 * (0.6 * 0.0475 + 0.4 * 1)) * 4
    assert rows[("general-consumables", "SE")]["wr"] == approx(syringes_se_wr)
    assert ("general-consumables", "VN") in rows
    # And every category has its default row (country "")
    slugs = set(Category.objects.values_list("slug", flat=True))
    assert {key for key, country in rows if country == ""} == slugs
    # And a category without an approved analysis uses the default inputs: L = 3, S = 3
    assert rows[("nutrition", "")] == approx({"hr": 9.0, "wr": 9.0, "env": 9.0, "be": 9.0})
    sources = screening_sources()
    assert [a["product"] for a in sources["analyses"]] == ["examination gloves", "syringes"]
    assert "nutrition" in sources["parameters"]["default_input_categories"]
    assert "general-consumables" not in sources["parameters"]["default_input_categories"]
    assert analysis_for_category("general-consumables") == approved
    assert analysis_for_category("nutrition") is None
    with pytest.raises(ValueError):
        area_risk_rows_for_screening(countries=["XX"])


def test_screening_rows_ignore_drafts(draft, cast):
    add_expert_adjustment(
        draft, area="wr", likelihood=1, rationale="Only a draft", acting_user=cast.secretariat
    )
    columns = area_risk_rows_for_screening()
    index = list(zip(columns["category_key"], columns["country"], strict=True)).index(
        ("general-consumables", "MY")
    )
    assert columns["wr"][index] == approx(17.512)


# ---------------------------------------------------------------------------------------------
# Reference editions and demo


def test_load_risk_reference_is_idempotent_and_leaves_the_cpi_file_alone(db, capsys):
    path = REFERENCE_DIR / CPI_FILE
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    call_command("load_risk_reference")
    call_command("load_risk_reference")
    assert "CPI 2024" in capsys.readouterr().out
    assert DataEdition.objects.count() == 4
    cpi = DataEdition.objects.get(kind="cpi")
    assert (cpi.label, cpi.filename, cpi.sha256) == ("CPI 2024", CPI_FILE, CPI_SHA256)
    assert "CC BY-ND 4.0" in cpi.licence
    assert set(DataEdition.objects.values_list("kind", flat=True)) == {
        "wgi",
        "wgi_history",
        "cpi",
        "ilab",
    }
    assert load_risk_reference() == list(DataEdition.objects.order_by("pk"))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before == CPI_SHA256


def test_demo_analyses_are_approved_deterministic_and_idempotent(cast):
    created = load_demo_analyses()
    assert len(created) == 16 == len(DEMO_ANALYSES)
    assert all(a.is_approved for a in created)
    first = {a.category.slug: a.results for a in created}
    assert load_demo_analyses() == []
    assert RiskAnalysis.objects.count() == 16
    gloves_analysis = RiskAnalysis.objects.get(category__slug="general-consumables")
    assert gloves_analysis.product == "examination gloves"
    assert first["general-consumables"] == gloves_analysis.results
    pharma = RiskAnalysis.objects.get(category__slug="pharmaceuticals")
    assert _area(pharma, "env")["adjusted"]
    classes = {a.results["priority_class"] for a in created}
    assert classes <= {"high", "medium", "low"} and len(classes) > 1
