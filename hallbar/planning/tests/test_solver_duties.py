"""Duties, critical audits, minimum audits, the value model and the proof of optimality, on
small instances whose answer is known; no database."""

import pytest

from hallbar.planning.solver import (
    CRITICAL,
    DUTY_DEVIATIONS,
    DUTY_ZERO_TOLERANCE,
    FACTORY_AUDIT,
    MINIMUM,
    OFFICE_AUDIT,
    SELF_ASSESSMENT,
    Candidate,
    DutiesDoNotFit,
    Problem,
    ValidationError,
    default_types,
    plan,
)

from .test_solver_selection import brute_force, random_problem

REGIONS = {"01": 2_450_000, "23": 130_000}
COST = {t.name: t.cost_sek for t in default_types()}


def supplier(name: str, exposure: float = 100.0, **flags) -> Candidate:
    return Candidate(id=name, exposure=exposure, area="A", regions=("01",), **flags)


def problem(candidates, budget: float, **fields) -> Problem:
    return Problem(candidates=candidates, budget_sek=budget, region_population=REGIONS, **fields)


def many_fresh(count: int = 40) -> list[Candidate]:
    """Suppliers nobody has followed up: a self-assessment is the best buy for each."""
    return [supplier(f"f{i}", exposure=100.0 - i) for i in range(count)]


@pytest.mark.parametrize("mode", ["interactive", "optimal"])
def test_without_duties_the_linear_model_buys_only_desk_follow_ups(mode):
    # Given many equal suppliers and a budget for a few dozen self-assessments
    result = plan(problem(many_fresh(), 120_000), mode=mode)

    # Then no audit is chosen: that is why audits must be duties, minimums or critical
    assert result.choices
    assert not any(ch.type in (OFFICE_AUDIT, FACTORY_AUDIT) for ch in result.choices)


@pytest.mark.parametrize("mode", ["interactive", "optimal"])
def test_open_deviations_and_zero_tolerance_signals_get_the_next_step(mode):
    # Given a supplier whose self-assessment left open deviations, one with a zero-tolerance
    # signal and one whose office audit left open deviations, among many fresh suppliers
    candidates = [
        *many_fresh(),
        supplier("dev", exposure=1.0, has_self_assessment=True, open_deviations=True),
        supplier("zt", exposure=1.0, zero_tolerance_signal=True),
        supplier(
            "dev2", exposure=1.0, has_self_assessment=True, has_office_audit=True,
            open_deviations=True,
        ),
    ]  # fmt: skip

    # When the year is planned with room for more than the duties
    result = plan(problem(candidates, 400_000), mode=mode)

    # Then each gets the next step of the escalation, and the plan says why
    chosen = {ch.supplier_id: ch for ch in result.choices}
    assert chosen["dev"].type == OFFICE_AUDIT and chosen["dev"].reason == DUTY_DEVIATIONS
    assert chosen["zt"].type == FACTORY_AUDIT and chosen["zt"].reason == DUTY_ZERO_TOLERANCE
    assert chosen["dev2"].type == FACTORY_AUDIT and chosen["dev2"].reason == DUTY_DEVIATIONS
    assert result.total_cost_sek <= 400_000


@pytest.mark.parametrize("budget", range(0, 200_001, 5_000))
def test_a_plan_without_an_audit_is_impossible_when_duties_exist(budget):
    # Given a duty (open deviations) among suppliers that self-assessments would serve better
    candidates = [
        *many_fresh(),
        supplier("dev", exposure=0.1, has_self_assessment=True, open_deviations=True),
    ]

    # When planned at any budget: either the plan has the audit, or there is no plan
    try:
        result = plan(problem(candidates, float(budget)), mode="optimal")
    except DutiesDoNotFit as error:
        # Then the refusal names every duty and its cost
        assert budget < COST[OFFICE_AUDIT]
        assert error.duties == [("dev", OFFICE_AUDIT, COST[OFFICE_AUDIT])]
        return
    assert budget >= COST[OFFICE_AUDIT]
    assert any(ch.type in (OFFICE_AUDIT, FACTORY_AUDIT) for ch in result.choices)
    assert result.proven_optimal


def test_a_waived_duty_is_no_duty():
    # Given the same supplier, with the secretariat's reason why not recorded
    waived = supplier("dev", exposure=0.1, has_self_assessment=True, open_deviations=True,
                      duty_waived=True)  # fmt: skip

    # When planned on a budget below an office audit
    result = plan(problem([*many_fresh(), waived], 30_000), mode="optimal")

    # Then the plan is made, without an audit
    assert not any(ch.type in (OFFICE_AUDIT, FACTORY_AUDIT) for ch in result.choices)
    assert waived.duty() == ""


@pytest.mark.parametrize("mode", ["interactive", "optimal"])
def test_the_minimum_audits_of_the_strategy_are_met(mode):
    # Given suppliers that have answered a self-assessment (so an office audit is allowed),
    # and fresh ones, and a strategy of at least 2 office audits and 1 factory audit
    candidates = [
        *many_fresh(),
        *(supplier(f"sa{i}", exposure=50.0 - i, has_self_assessment=True) for i in range(5)),
        supplier("oa", exposure=10.0, has_self_assessment=True, has_office_audit=True),
    ]
    minimum = {OFFICE_AUDIT: 2, FACTORY_AUDIT: 1}

    # When planned
    result = plan(problem(candidates, 300_000, minimum_audits=minimum), mode=mode)

    # Then there are at least that many audits of each type, the most valuable ones, and each
    # says it is there for the minimum
    types = [ch.type for ch in result.choices]
    assert types.count(OFFICE_AUDIT) >= 2 and types.count(FACTORY_AUDIT) >= 1
    audits = {ch.supplier_id: ch for ch in result.choices if ch.type in (OFFICE_AUDIT,)}
    assert {"sa0", "sa1"} <= set(audits)
    assert all(ch.reason == MINIMUM for ch in result.choices if ch.type != SELF_ASSESSMENT)
    if mode == "optimal":
        assert result.proven_optimal


def test_a_minimum_that_cannot_be_met_is_refused_with_the_reason():
    # Given no supplier that may take a factory audit
    with pytest.raises(ValidationError, match="minimum audits"):
        plan(problem(many_fresh(5), 500_000, minimum_audits={FACTORY_AUDIT: 1}))
    # And a minimum that the budget cannot pay for
    with pytest.raises(ValidationError, match="minimum audits cost 90000 SEK"):
        plan(problem(many_fresh(5), 50_000, minimum_audits={OFFICE_AUDIT: 2}))


@pytest.mark.parametrize("mode", ["interactive", "optimal"])
def test_critical_suppliers_get_an_office_audit_while_the_budget_allows(mode):
    # Given three critical suppliers among fresh ones, and a budget share for critical audits
    # of 100 000 SEK: two office audits
    candidates = [
        *many_fresh(),
        supplier("c1", exposure=30.0, critical=True),
        supplier("c2", exposure=20.0, critical=True),
        supplier("c3", exposure=10.0, critical=True),
    ]

    # When planned
    result = plan(problem(candidates, 200_000, critical_share=0.5), mode=mode)

    # Then the two with the highest exposure get (at least) an office audit because they are
    # critical, and the third is named as left out
    chosen = {ch.supplier_id: ch for ch in result.choices}
    for name in ("c1", "c2"):
        assert chosen[name].type in (OFFICE_AUDIT, FACTORY_AUDIT)
        assert chosen[name].reason == CRITICAL
    assert result.critical_left_out == ["c3"]
    assert chosen.get("c3") is None or chosen["c3"].reason != CRITICAL


def test_value_counts_only_what_is_not_yet_known():
    types = default_types()
    by_name = {t.name: t for t in types}
    fresh = supplier("f", exposure=100.0)
    answered = supplier("a", exposure=100.0, has_self_assessment=True)
    flagged = supplier("d", exposure=100.0, has_self_assessment=True, open_deviations=True)

    # A self-assessment detects 25 % and gets 60 % of that remedied: 15
    assert fresh.value(by_name[SELF_ASSESSMENT], types, 2.0) == pytest.approx(15.0)
    # Asking the same questions again finds nothing new
    assert answered.value(by_name[SELF_ASSESSMENT], types, 2.0) == 0.0
    # An office audit finds 55 % − 25 % already known, 80 % remedied: 24
    assert answered.value(by_name[OFFICE_AUDIT], types, 2.0) == pytest.approx(24.0)
    # A known deviation doubles the expected risk
    assert flagged.value(by_name[OFFICE_AUDIT], types, 2.0) == pytest.approx(48.0)


def _greedy_is_not_optimal():
    for seed in range(200):
        candidate = random_problem(seed, suppliers=7, duties=False)
        quick = plan(candidate, mode="interactive")
        if quick.gap > 1e-6:
            return candidate
    raise AssertionError("no instance where greedy leaves a gap")


def test_optimal_mode_proves_optimality_or_states_its_proven_gap():
    # Given a small instance where greedy is not provably optimal, and its optimum by enumeration
    instance = _greedy_is_not_optimal()
    optimum = brute_force(instance)

    # When the exact search runs, it proves the optimum ...
    proven = plan(instance, mode="optimal", time_limit_s=10)
    assert proven.status == "optimal" and proven.proven_optimal
    assert proven.objective == pytest.approx(optimum, rel=1e-9)
    assert proven.time_limit_s == 10

    # ... and when it has no time at all, it keeps the greedy plan and says how far it may be
    stopped = plan(instance, mode="optimal", time_limit_s=0)
    assert stopped.status == "time_limit" and not stopped.proven_optimal
    assert stopped.gap > 0
    assert stopped.upper_bound >= optimum - 1e-9
    assert stopped.gap == pytest.approx(
        (stopped.upper_bound - stopped.objective) / stopped.upper_bound
    )
