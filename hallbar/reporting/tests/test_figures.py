"""The year's figures on a world where each right answer is known by construction (conftest)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation

from hallbar.funding.selectors import contributions_for_year
from hallbar.organisations.models import Region
from hallbar.reporting.figures import DEFINITIONS, year_figures
from hallbar.reporting.tests.conftest import YEAR
from hallbar.training.models import Assignment, Attempt, Certificate, Module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_national_figures_of_the_year(world):
    figures = year_figures(YEAR)
    expected = {
        "followups_total": 3,  # the cancelled case counts as a case of the year
        "self_assessments_planned": 1,  # from the approved plan, not the proposed one
        "self_assessments_sent": 1,
        "self_assessments_answered": 1,
        "office_audits_planned": 1,
        "office_audits_done": 1,  # an assigned audit is not done
        "factory_audits_planned": 1,
        "factory_audits_done": 1,
        "cases_open": 1,
        "cases_closed_remedied": 1,
        "summaries_published": 1,
        "deviations_found": 2,  # the confidential one counts
        "deviations_median_days": Decimal("15.0"),  # 10 and 20 (found the year before)
        "suppliers_green": 1,
        "suppliers_yellow": 0,
        "suppliers_red": 1,
        "harmonisation_index": Decimal("50.0"),
        "followup_cost": 65_000,  # 10 000 + 5 000 + 20 000 + 30 000; not the cancelled case
        "cost_per_followup": Decimal("32500"),
        "followups_avoided": 1,  # A-1 has two buying regions
        "sek_avoided": 15_000,
        "remedy_people": 45,  # not the merely reported remedy, not next year's
        "remedy_sek": Decimal("12000.50"),
    }
    assert {key: figures.value(key) for key in expected} == expected
    assert all(f.national is None for f in figures.figures)


def test_every_figure_has_a_definition_and_a_value_key():
    for key, definition in DEFINITIONS.items():
        assert definition.key == key
        assert len(str(definition.definition)) > 30, key


def test_a_regions_figures_carry_the_national_value_beside(world):
    stockholm = year_figures(YEAR, world.stockholm)
    jamtland = year_figures(YEAR, world.jamtland)
    # Stockholm buys only under A-1: case 1 and (last year's) case 3
    assert stockholm.value("followups_total") == 1
    assert stockholm.figure("followups_total").national == 3
    assert stockholm.value("office_audits_planned") == 0
    assert stockholm.value("self_assessments_planned") == 1
    assert stockholm.value("deviations_found") == 1
    assert stockholm.figure("deviations_found").national == 2
    assert stockholm.value("suppliers_red") == 0
    assert stockholm.value("harmonisation_index") == Decimal("100.0")
    assert stockholm.value("followups_avoided") == 0  # it led the case it shares
    assert stockholm.value("cost_per_followup") == Decimal("15000")
    assert stockholm.value("remedy_people") == 40
    # Jämtland buys under A-1 and B-1, and did not lead case 1
    assert jamtland.value("followups_total") == 2
    assert jamtland.value("cases_open") == 1
    assert jamtland.value("office_audits_planned") == 1
    assert jamtland.value("factory_audits_planned") == 1
    assert jamtland.value("followups_avoided") == 1
    assert jamtland.value("sek_avoided") == 15_000
    assert jamtland.value("harmonisation_index") == Decimal("50.0")
    assert jamtland.value("remedy_people") == 45
    # Skåne's only case was cancelled, and it has no contract in a prioritised category
    skane = year_figures(YEAR, world.skane)
    assert skane.value("followups_total") == 1
    assert skane.value("cost_per_followup") is None
    assert skane.value("harmonisation_index") is None


def test_breakdowns_by_area_requirement_light_and_remedy(world):
    figures = year_figures(YEAR)
    by_area = dict(figures.breakdown("deviations_by_area").rows)
    assert by_area == {
        "human rights": 0,
        "workers' rights": 1,
        "environment including climate": 1,
        "business ethics and anti-corruption": 0,
    }
    by_requirement = figures.breakdown("deviations_by_requirement").rows
    assert [value for _label, value in by_requirement] == [1, 1]
    assert by_requirement[0][0].startswith("PR3 ")
    assert by_requirement[1][0] == "a Code of Conduct commitment (no process requirement)"
    assert dict(figures.breakdown("suppliers_by_light").rows) == {
        "Green": 1,
        "Yellow": 0,
        "Red": 1,
    }
    assert figures.breakdown("remedy_people_by_country").rows == [
        ("Malaysia", 40),  # the deviation's site
        ("United Kingdom", 5),  # no site: the supplier's country
    ]
    assert dict(figures.breakdown("remedy_sek_by_area").rows) == {
        "workers' rights": Decimal("12000.50"),
        "environment including climate": Decimal("0"),
    }
    assert dict(figures.breakdown("followups_by_type").rows)["factory audit"] == 1


def test_a_regions_breakdown_lists_the_national_rows_beside(world):
    stockholm = year_figures(YEAR, world.stockholm)
    countries = stockholm.breakdown("remedy_people_by_country")
    assert countries.rows == [("Malaysia", 40), ("United Kingdom", 0)]
    assert countries.national_value("United Kingdom") == 5
    assert countries.national_value("Malaysia") == 40


def test_the_year_boundary(world):
    # Last year: case 3's deviation was found then, but closed out this YEAR
    before = year_figures(YEAR - 1)
    assert before.value("deviations_found") == 1
    assert before.value("deviations_median_days") is None
    assert before.value("followups_total") == 1
    # The next year: only the remedy delivered on 2 January
    after = year_figures(YEAR + 1)
    assert after.value("remedy_people") == 7
    assert after.value("followups_total") == 0
    assert after.value("cost_per_followup") is None
    assert after.value("self_assessments_planned") == 0  # no approved plan


def test_remedy_counts_only_when_verified(world):
    world.d1.remedies.filter(status="verified").update(status="rejected")
    assert year_figures(YEAR).value("remedy_people") == 5
    world.d1.remedies.filter(status="reported").update(
        status="verified", verification="Besök", verified_on=date(YEAR, 7, 1)
    )
    assert year_figures(YEAR).value("remedy_people") == 105


def test_training_certificates_per_region(world):
    module = Module.objects.create(
        key="grund", title_sv="Grund", title_en="Basics", status="published"
    )
    for user, region, day in [
        (world.cast.bob, world.jamtland, date(YEAR, 3, 1)),
        (world.cast.alice, world.stockholm, date(YEAR, 4, 1)),
        (world.cast.contact_jamtland, world.jamtland, date(YEAR + 1, 1, 1)),
    ]:
        attempt = Attempt.objects.create(user=user, module=module, passed=True)
        Certificate.objects.create(
            user=user,
            module=module,
            attempt=attempt,
            holder_name=str(user),
            region=region,
            role="buyer",
            issued_on=day,
        )
        Assignment.objects.create(user=user, module_key="grund", due_date=day, source="role")
    assert year_figures(YEAR).value("training_certificates") == 2
    # assigned to three; completed in YEAR by bob and alice (Åsa passed the year after)
    assert year_figures(YEAR).value("training_completion") == Decimal("66.7")
    assert year_figures(YEAR, world.jamtland).value("training_completion") == Decimal("50.0")
    jamtland = year_figures(YEAR, world.jamtland)
    assert jamtland.value("training_certificates") == 1
    assert jamtland.figure("training_certificates").national == 2
    assert year_figures(YEAR).breakdown("certificates_by_role").rows == [
        ("Buyer / contract manager", 2)
    ]


def test_funding_jamtland_2023(fee_decisions):
    jamtland = Region.objects.get(county_code="23")
    figures = year_figures(2023, jamtland)
    # the rule: 100 öre × the population on 2021-12-31 (docs/DESIGN.md)
    assert figures.value("contributions_invoiced") == 132_054
    assert figures.value("cost_per_inhabitant") == Decimal("1.00")
    national = sum(c.invoiced_sek or 0 for c in contributions_for_year(2023))
    assert figures.figure("contributions_invoiced").national == national
    assert year_figures(2023).value("cost_per_inhabitant") == Decimal("1.00")


def test_planned_and_done_by_type(world):
    rows = year_figures(YEAR, world.stockholm).planned_and_done()
    assert [(kind, p.value, d.value, p.national, d.national) for kind, p, d in rows] == [
        ("self-assessment", 1, 1, 1, 1),
        ("office audit", 0, 1, 1, 1),  # not planned with Stockholm, but done in case 1
        ("factory audit", 0, 0, 1, 1),  # case 2's is Globex's, bought by Jämtland only
    ]


def test_risk_analyses_up_to_date_are_a_share_of_the_prioritised_categories(world):
    from datetime import datetime

    from django.utils import timezone

    from hallbar.categories.models import Category, CategoryPrioritisation
    from hallbar.risk.models import RiskAnalysis

    def at(year: int, month: int, day: int) -> datetime:
        return datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())

    prioritised = Category.objects.get(slug="testkategori")
    # Given a second category prioritised in the year, and a third prioritised the year before
    second = Category.objects.create(slug="andra", name_sv="Andra", name_en="Second")
    CategoryPrioritisation.objects.create(category=second, first_year=YEAR, last_year=YEAR + 1)
    earlier = Category.objects.create(slug="tidigare", name_sv="Tidigare", name_en="Earlier")
    CategoryPrioritisation.objects.create(category=earlier, first_year=YEAR - 1, last_year=YEAR - 1)
    # (the reference data prioritises categories of its own: count them all)
    count = (
        CategoryPrioritisation.objects.filter(first_year__lte=YEAR, last_year__gte=YEAR)
        .values("category")
        .distinct()
        .count()
    )
    one = (Decimal(100) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)
    # with no approved analysis, nothing is up to date
    assert year_figures(YEAR).value("risk_analyses_current") == Decimal("0.0")
    # When the first has an analysis approved two years before (replaced since: still counts),
    # the second one approved three years before (too old), and a draft of this year
    RiskAnalysis.objects.create(
        category=prioritised,
        version=1,
        status="superseded",
        approved_at=at(YEAR - 2, 1, 1),
        superseded_at=at(YEAR, 2, 1),
        change_note="Första",
    )
    RiskAnalysis.objects.create(
        category=second,
        version=1,
        status="approved",
        approved_at=at(YEAR - 3, 12, 31),
        change_note="Första",
    )
    RiskAnalysis.objects.create(category=second, version=2, status="draft")
    RiskAnalysis.objects.create(
        category=earlier, version=1, status="approved", approved_at=at(YEAR, 6, 1), change_note="x"
    )
    # Then one of the year's prioritised categories is up to date, for a region too
    figures = year_figures(YEAR, Region.objects.get(county_code="23"))
    assert figures.value("risk_analyses_current") == one
    assert figures.figure("risk_analyses_current").national == one
    # and an analysis approved after the year does not count in it
    RiskAnalysis.objects.filter(category=second, version=1).update(
        status="superseded", superseded_at=at(YEAR + 1, 1, 2)
    )
    RiskAnalysis.objects.filter(category=second, version=2).update(
        status="approved", approved_at=at(YEAR + 1, 1, 2), change_note="Andra"
    )
    assert year_figures(YEAR).value("risk_analyses_current") == one
