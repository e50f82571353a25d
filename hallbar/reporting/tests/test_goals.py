"""Strategy goals: the models' rules, progress against targets, the pages' access, the loader."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import Region
from hallbar.reporting import figures, services
from hallbar.reporting.figures import Definition, Figure, Unit, YearFigures
from hallbar.reporting.goals import Status, assess, goal_progress
from hallbar.reporting.models import Direction, Goal, Indicator, IndicatorTarget, StrategyPeriod
from hallbar.reporting.strategy import load_strategy

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 2)  # day 183 of 365: half the year has gone by


def _period(start=2024, end=2026, **values) -> StrategyPeriod:
    return services.save_period(
        period=None,
        acting_user=None,
        name_sv=values.get("name_sv", "Strategi"),
        name_en=values.get("name_en", "Strategy"),
        kind=StrategyPeriod.Kind.STRATEGY,
        start_year=start,
        end_year=end,
        adopted_on=None,
        adopted_by_sv="",
        adopted_by_en="",
        vision_sv="",
        vision_en="",
    )


def _goal(period, title="Mål", position=1) -> Goal:
    return services.save_goal(
        goal=None,
        period=period,
        acting_user=None,
        position=position,
        title_sv=title,
        title_en=f"{title} (en)",
        description_sv="",
        description_en="",
        area_sv="",
        area_en="",
    )


def _indicator(goal, key, direction=Direction.HIGHER, targets=None) -> Indicator:
    indicator = services.save_indicator(
        indicator=None, goal=goal, acting_user=None, position=1, figure_key=key, direction=direction
    )
    if targets:
        services.set_targets(
            indicator=indicator,
            targets={y: Decimal(v) for y, v in targets.items()},
            acting_user=None,
        )
    return indicator


def _source(values: dict[tuple[int, str], int], national: dict | None = None):
    """A figure source giving values[(year, key)] for every defined key (None when absent)."""

    def source(year, region):
        rows = []
        for key, definition in figures.DEFINITIONS.items():
            rows.append(
                Figure(
                    key=key,
                    label=str(definition.label),
                    definition=str(definition.definition),
                    unit=definition.unit,
                    value=values.get((year, key)),
                    national=(national or {}).get((year, key)) if region else None,
                )
            )
        return YearFigures(year=year, region=region, figures=rows, breakdowns=[])

    return source


# --- the models' rules -----------------------------------------------------------------------


def test_a_target_outside_the_period_is_refused():
    # Given an indicator of a goal of the period 2024–2026
    indicator = _indicator(_goal(_period()), "followups_total")
    # When a target is set for 2027, or 2023
    for year in (2027, 2023):
        with pytest.raises(ValidationError) as error:
            services.set_targets(indicator=indicator, targets={year: Decimal(5)}, acting_user=None)
        assert "year" in error.value.message_dict
    # Then nothing is stored; a year within the period is accepted
    assert not IndicatorTarget.objects.exists()
    services.set_targets(indicator=indicator, targets={2026: Decimal(5)}, acting_user=None)
    assert IndicatorTarget.objects.get().year == 2026


def test_one_target_per_indicator_and_year():
    indicator = _indicator(_goal(_period()), "followups_total", targets={2025: 3})
    with pytest.raises(ValidationError):
        IndicatorTarget(indicator=indicator, year=2025, target_value=Decimal(4)).full_clean()
    # set_targets changes the existing one instead, and None removes it
    assert services.set_targets(indicator=indicator, targets={2025: Decimal(4)}, acting_user=None)
    assert indicator.targets.get().target_value == 4
    services.set_targets(indicator=indicator, targets={2025: None}, acting_user=None)
    assert not indicator.targets.exists()


def test_an_unknown_figure_key_is_refused():
    goal = _goal(_period())
    with pytest.raises(ValidationError) as error:
        services.save_indicator(
            indicator=None,
            goal=goal,
            acting_user=None,
            position=1,
            figure_key="no_such_figure",
            direction=Direction.HIGHER,
        )
    assert "figure_key" in error.value.message_dict
    assert not Indicator.objects.exists()


def test_a_period_ends_after_it_starts_and_keeps_its_targets_inside():
    with pytest.raises(ValidationError):
        _period(2026, 2024)
    period = _period(2024, 2026)
    _indicator(_goal(period), "followups_total", targets={2026: 3})
    period.end_year = 2025
    with pytest.raises(ValidationError):  # the 2026 target would fall outside
        period.full_clean()


# --- progress --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "direction", "unit", "year", "status"),
    [
        (12, 10, Direction.HIGHER, Unit.COUNT, 2025, Status.MET),
        (9, 10, Direction.HIGHER, Unit.COUNT, 2025, Status.NOT_MET),
        (3, 5, Direction.LOWER, Unit.COUNT, 2025, Status.MET),
        (6, 5, Direction.LOWER, Unit.COUNT, 2025, Status.NOT_MET),
        (None, 5, Direction.HIGHER, Unit.COUNT, 2025, Status.NO_VALUE),
        (5, None, Direction.HIGHER, Unit.COUNT, 2025, Status.NO_TARGET),
        # the current year, half gone: counts are projected to the whole year
        (10, 10, Direction.HIGHER, Unit.COUNT, 2026, Status.MET),
        (6, 10, Direction.HIGHER, Unit.COUNT, 2026, Status.ON_TRACK),  # about 12 by December
        (4, 10, Direction.HIGHER, Unit.COUNT, 2026, Status.BEHIND),  # about 8 by December
        (2, 5, Direction.LOWER, Unit.COUNT, 2026, Status.ON_TRACK),  # about 4 by December
        (3, 5, Direction.LOWER, Unit.COUNT, 2026, Status.BEHIND),  # about 6 by December
        (6, 5, Direction.LOWER, Unit.COUNT, 2026, Status.NOT_MET),  # already past it
        # shares are not projected
        (60, 50, Direction.HIGHER, Unit.PERCENT, 2026, Status.ON_TRACK),
        (40, 50, Direction.HIGHER, Unit.PERCENT, 2026, Status.BEHIND),
        (0, 5, Direction.HIGHER, Unit.COUNT, 2027, Status.NOT_BEGUN),
    ],
)
def test_assess(value, target, direction, unit, year, status):
    target = None if target is None else Decimal(target)
    assert assess(value, target, direction=direction, unit=unit, year=year, today=TODAY) == status


def test_goal_progress_judges_each_indicator_against_the_years_target(caplog):
    # Given a period 2024–2026 whose goal has a count where higher is better and one where
    # lower is better, and an indicator whose figure is no longer defined
    period = _period(2024, 2026)
    goal = _goal(period, "Följa upp")
    _indicator(goal, "followups_total", targets={2024: 8, 2025: 10})
    _indicator(goal, "summaries_published", Direction.LOWER, targets={2025: 3})
    Indicator.objects.create(goal=goal, position=3, figure_key="gone_figure")
    _period(2020, 2023)  # not active in 2025
    source = _source(
        {
            (2024, "followups_total"): 7,
            (2025, "followups_total"): 12,
            (2024, "summaries_published"): 2,
            (2025, "summaries_published"): 5,
        }
    )
    # When the progress of 2025 is read
    with caplog.at_level(logging.WARNING, logger="hallbar.reporting.goals"):
        progress = goal_progress(2025, today=TODAY, figures=source)
    # Then only the active period is there, and the unknown figure is left out with a warning
    assert [p.period for p in progress] == [period]
    rows = progress[0].goals[0].indicators
    assert [r.indicator.figure_key for r in rows] == ["followups_total", "summaries_published"]
    assert "gone_figure" in caplog.text
    followups, summaries = rows
    # 12 reaches 10: met; 5 is more than 3 where lower is better: not met
    assert (followups.value, followups.target, followups.status) == (12, 10, Status.MET)
    assert (summaries.value, summaries.target, summaries.status) == (5, 3, Status.NOT_MET)
    # the earlier year of the period is there with its value and target
    assert [(e.year, e.value, e.target) for e in followups.earlier] == [(2024, 7, 8)]
    assert [(e.year, e.value, e.target) for e in summaries.earlier] == [(2024, 2, None)]
    assert progress[0].met == 1 and progress[0].judged == 2
    assert followups.percent_of_target == 120


def test_a_regions_progress_judges_the_national_value():
    period = _period(2024, 2026)
    _indicator(_goal(period), "followups_total", targets={2025: 10})
    region = Region.objects.get(county_code="23")
    source = _source({(2025, "followups_total"): 2}, national={(2025, "followups_total"): 11})
    progress = goal_progress(2025, region, today=TODAY, figures=source)
    row = progress[0].indicators[0]
    assert (row.value, row.national, row.status) == (2, 11, Status.MET)
    # the partial shows both values, the region's first
    with translation.override("en"):
        html = render_to_string("reporting/partials/goal_progress.html", {"progress": progress})
    assert "Region Jämtland Härjedalen 2025" in html and "National 2025" in html
    assert html.index(">2<") < html.index(">11<")


def test_goal_progress_reads_the_live_figures():
    # Given no follow-ups at all, and a target of at most one follow-up in a past year
    period = _period(2024, 2026)
    _indicator(_goal(period), "followups_total", Direction.LOWER, targets={2025: 1})
    # Then the live figure (0) meets it
    row = goal_progress(2025, today=TODAY)[0].indicators[0]
    assert (row.value, row.status) == (0, Status.MET)


def test_the_partial_shows_words_numbers_and_a_chart(monkeypatch):
    monkeypatch.setitem(
        figures.DEFINITIONS,
        "share_test",
        Definition("share_test", "Andel testad", "Testandelen.", Unit.PERCENT),
    )
    period = _period(2024, 2026)
    goal = _goal(period, "Följa upp")
    _indicator(goal, "followups_total", targets={2025: 1000})
    _indicator(goal, "share_test", targets={2025: 50})
    source = _source({(2025, "followups_total"): 1500, (2025, "share_test"): 40})
    with translation.override("sv"):
        progress = goal_progress(2025, today=TODAY, figures=source)
        html = render_to_string("reporting/partials/goal_progress.html", {"progress": progress})
    assert "1\u202f500" in html or "1 500" in html  # grouped the Swedish way
    assert "40,0 %" in html and "150 %" in html  # the share, as dashboards write it; % of target
    assert "followups_total" not in html and "share_test" not in html  # no keys on the page
    assert 'data-status="met"' in html and 'data-status="not_met"' in html
    assert 'role="img"' in html  # the chart, with the same numbers in the table
    with translation.override("en"):
        html = render_to_string("reporting/partials/goal_progress.html", {"progress": progress})
    assert "1,500" in html and "Met" in html and "Not met" in html


def test_the_partial_shows_earlier_years_with_their_targets():
    period = _period(2024, 2026)
    _indicator(_goal(period), "followups_total", targets={2024: 8, 2025: 10})
    source = _source({(2024, "followups_total"): 7, (2025, "followups_total"): 12})
    with translation.override("en"):
        progress = goal_progress(2025, today=TODAY, figures=source)
        html = render_to_string("reporting/partials/goal_progress.html", {"progress": progress})
    assert '<th scope="col" class="num">2024</th>' in html
    assert "7<br><small>target 8</small>" in html


# --- access and pages ------------------------------------------------------------------------

READERS = ("secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob")
OUTSIDERS = ("auditor", "charlie", "dave", "nobody")


@pytest.fixture
def world(cast):
    period = _period(2024, 2026)
    goal = _goal(period, "Följa upp")
    indicator = _indicator(goal, "followups_total", targets={2025: 10})
    return period, goal, indicator


def _pages(period, goal, indicator) -> list[str]:
    return [
        reverse("reporting:period-create"),
        reverse("reporting:period-edit", args=[period.public_id]),
        reverse("reporting:period-delete", args=[period.public_id]),
        reverse("reporting:goal-create", args=[period.public_id]),
        reverse("reporting:goal-edit", args=[goal.public_id]),
        reverse("reporting:goal-delete", args=[goal.public_id]),
        reverse("reporting:indicator-create", args=[goal.public_id]),
        reverse("reporting:indicator-edit", args=[indicator.public_id]),
        reverse("reporting:indicator-delete", args=[indicator.public_id]),
        reverse("reporting:indicator-targets", args=[indicator.public_id]),
    ]


def test_the_cooperation_reads_and_only_the_secretariat_edits(cast, world, client_for):
    period, goal, indicator = world
    reading = [
        reverse("reporting:period-list"),
        reverse("reporting:period-detail", args=[period.public_id]),
    ]
    for name in READERS:
        client = client_for(getattr(cast, name))
        for url in reading:
            assert client.get(url).status_code == 200, (name, url)
        editing = client.get(reading[1]).content.decode()
        has_edit_links = reverse("reporting:goal-edit", args=[goal.public_id]) in editing
        assert has_edit_links == (name == "secretariat"), name
        for url in _pages(period, goal, indicator):
            expected = 200 if name == "secretariat" else 404
            assert client.get(url).status_code == expected, (name, url)
    for name in OUTSIDERS:
        client = client_for(getattr(cast, name))
        for url in reading + _pages(period, goal, indicator):
            assert client.get(url).status_code == 404, (name, url)


def test_nobody_but_the_secretariat_can_change_or_delete(cast, world, client_for):
    period, goal, indicator = world
    for name in ("steering", "alice", "charlie"):
        client = client_for(getattr(cast, name))
        response = client.post(
            reverse("reporting:period-delete", args=[period.public_id]), follow=False
        )
        assert response.status_code == 404
        response = client.post(
            reverse("reporting:indicator-targets", args=[indicator.public_id]),
            {"target_2025": "99"},
        )
        assert response.status_code == 404
    assert StrategyPeriod.objects.filter(pk=period.pk).exists()
    assert indicator.targets.get().target_value == 10
    # and the services refuse as well
    with pytest.raises(PermissionError):
        services.delete_goal(goal=goal, acting_user=cast.steering)
    with pytest.raises(PermissionError):
        services.save_period(period=period, acting_user=cast.alice, name_sv="X")


def test_the_secretariat_builds_a_period_and_the_history_keeps_it(cast, client_for):
    client = client_for(cast.secretariat)
    # The period
    response = client.post(
        reverse("reporting:period-create"),
        {
            "name_sv": "Plan 2026–2028",
            "name_en": "Plan 2026–2028",
            "kind": "strategic_plan",
            "start_year": "2026",
            "end_year": "2028",
            "adopted_on": "2025-10-30",
            "adopted_by_sv": "Styrgruppen",
            "adopted_by_en": "The steering group",
            "vision_sv": "",
            "vision_en": "",
        },
    )
    period = StrategyPeriod.objects.get(name_sv="Plan 2026–2028")
    assert response.status_code == 302 and period.adopted_on == date(2025, 10, 30)
    # A goal
    client.post(
        reverse("reporting:goal-create", args=[period.public_id]),
        {"position": "1", "title_sv": "Granska", "title_en": "Review"},
    )
    goal = period.goals.get()
    # The indicator form offers the figures by label, never by key
    form = client.get(reverse("reporting:indicator-create", args=[goal.public_id])).content.decode()
    with translation.override("sv"):
        label = str(figures.DEFINITIONS["followups_total"].label)
    assert f'<option value="followups_total">{label}</option>' in form
    assert ">followups_total<" not in form
    response = client.post(
        reverse("reporting:indicator-create", args=[goal.public_id]),
        {"figure_key": "followups_total", "direction": "higher", "position": "1"},
    )
    indicator = goal.indicators.get()
    # A target per year, in Swedish decimals; a blank year has none
    response = client.post(
        reverse("reporting:indicator-targets", args=[indicator.public_id]),
        {"target_2026": "12,5", "target_2027": "", "target_2028": "20"},
    )
    assert response.status_code == 302
    assert {t.year: t.target_value for t in indicator.targets.all()} == {
        2026: Decimal("12.5"),
        2028: Decimal(20),
    }
    # Editing the goal records what changed
    client.post(
        reverse("reporting:goal-edit", args=[goal.public_id]),
        {"position": "1", "title_sv": "Granska och säkerställa", "title_en": "Review"},
    )
    change = HistoryEntry.objects.filter(object_id=str(goal.pk), action="updated").get()
    assert change.changes["title_sv"] == ["Granska", "Granska och säkerställa"]
    assert change.actor == cast.secretariat
    # Deleting asks first: a GET deletes nothing
    delete = reverse("reporting:indicator-delete", args=[indicator.public_id])
    assert b'class="button--danger"' in client.get(delete).content
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    client.post(delete)
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    # The period page's history still tells of the deleted indicator, by its label
    page = client.get(reverse("reporting:period-detail", args=[period.public_id])).content
    text = page.decode()
    assert text.count("Granska och säkerställa") >= 1
    assert "followups_total" not in text
    assert HistoryEntry.objects.filter(action="deleted", changes__in_period=period.pk).count() == 1


# --- the loader ------------------------------------------------------------------------------


def test_load_strategy_is_idempotent_and_skips_undefined_figures(caplog, monkeypatch):
    # Given a figure the goals use that is not defined (whatever the figures module defines)
    monkeypatch.delitem(figures.DEFINITIONS, "training_certificates", raising=False)
    with caplog.at_level(logging.WARNING, logger="hallbar.reporting.strategy"):
        added = load_strategy()
    assert added > 0
    assert "training_certificates" in caplog.text
    counts = [m.objects.count() for m in (StrategyPeriod, Goal, Indicator, IndicatorTarget)]
    assert counts[0] == 3
    # the second load adds nothing
    assert load_strategy() == 0
    assert counts == [m.objects.count() for m in (StrategyPeriod, Goal, Indicator, IndicatorTarget)]
    plan = StrategyPeriod.objects.get(kind=StrategyPeriod.Kind.STRATEGIC_PLAN)
    assert (plan.start_year, plan.end_year, plan.adopted_on) == (2026, 2030, date(2025, 10, 30))
    assert "12.7" in plan.vision_sv and "12.7" in plan.vision_en
    assert {g.title_en for g in plan.goals.all()} >= {
        "Up-to-date sustainability risk assessments",
        "Coordinated and effective requirements",
        "Review and ensure compliance",
    }
    declaration = StrategyPeriod.objects.get(kind=StrategyPeriod.Kind.PROGRAMME_DECLARATION)
    assert "världsledande hållbar upphandling" in declaration.vision_sv
    assert {g.area_en for g in declaration.goals.all()} == {
        "Nationally coordinated contract follow-up",
        "Competence development",
        "Strategic communication",
    }
    # Every indicator's figure is defined, and every target lies in its period
    assert Indicator.objects.filter(figure_key="followups_total").count() == 3
    for indicator in Indicator.objects.select_related("goal__period"):
        assert indicator.figure_key in figures.DEFINITIONS
        assert indicator.targets.exists()
        for target in indicator.targets.all():
            assert indicator.goal.period.covers(target.year)

    # Once the figure is defined, a new load adds its indicators and targets (and nothing else)
    monkeypatch.setitem(
        figures.DEFINITIONS,
        "training_certificates",
        Definition("training_certificates", "Intyg", "Intyg utfärdade under året."),
    )
    assert load_strategy() > 0
    added = Indicator.objects.filter(figure_key="training_certificates")
    assert added.count() == 2
    assert {t.year for t in IndicatorTarget.objects.filter(indicator__in=added)} == set(
        range(2023, 2031)
    )
    assert StrategyPeriod.objects.count() == 3 and Goal.objects.count() == counts[1]
