"""Writes for funding: one atomic function per change, each writing history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from hallbar.core.history import diff_fields, record_change
from hallbar.funding.access import (
    can_choose_invoiced_amount,
    can_edit_budget,
    can_record_region_decision,
)
from hallbar.funding.models import (
    BudgetLine,
    FeeComponent,
    FeeDecision,
    InvoiceChoice,
    RegionDecision,
)
from hallbar.funding.selectors import Contribution, contribution_for
from hallbar.organisations.models import Region, User

NOT_ALLOWED = _("You may not make this change.")
NO_DECIDED_AMOUNT = _(
    "The region has no approved decision stating an annual amount for this year: record the "
    "decision first."
)
NO_RULE_AMOUNT = _(
    "There is no amount by the rule for this year (no fee decision, or no population figure on "
    "the reference date)."
)
ALREADY_INVOICED = _("This amount is already the one invoiced; nothing was changed.")
GIVE_REASON = _("Give the reason for the choice, e.g. the decision it rests on.")
BUDGET_FIELDS = ["year", "kind", "description", "amount_sek"]
DECISION_FIELDS = [
    "reference",
    "decided_on",
    "decision_body",
    "status",
    "approves_programme",
    "annual_amount_sek",
    "from_year",
    "summary",
]


@transaction.atomic
def save_budget_line(*, line: BudgetLine | None, acting_user: User, **values) -> BudgetLine:
    """Create a budget line, or update line, from values (year, kind, description, amount_sek)."""
    if not can_edit_budget(acting_user):
        raise PermissionError(NOT_ALLOWED)
    before = model_to_dict(line, fields=BUDGET_FIELDS) if line else {}
    line = line or BudgetLine()
    for field in BUDGET_FIELDS:
        setattr(line, field, values[field])
    line.full_clean()
    line.save()
    record_change(
        line,
        action="updated" if before else "created",
        acting_user=acting_user,
        changes=diff_fields(before, model_to_dict(line, fields=BUDGET_FIELDS)),
    )
    return line


@transaction.atomic
def delete_budget_line(*, line: BudgetLine, acting_user: User) -> None:
    if not can_edit_budget(acting_user):
        raise PermissionError(NOT_ALLOWED)
    record_change(
        line,
        action="deleted",
        acting_user=acting_user,
        changes=model_to_dict(line, fields=BUDGET_FIELDS),
    )
    line.delete()


@transaction.atomic
def save_region_decision(
    *, region: Region, decision: RegionDecision | None, acting_user: User, **values
) -> RegionDecision:
    """Record or correct a region's decision on the programme and its fee."""
    if not can_record_region_decision(acting_user, region.pk):
        raise PermissionError(NOT_ALLOWED)
    before = model_to_dict(decision, fields=DECISION_FIELDS) if decision else {}
    decision = decision or RegionDecision(region=region)
    for field in DECISION_FIELDS:
        setattr(decision, field, values.get(field, getattr(decision, field)))
    if decision.status == RegionDecision.Status.APPROVED and not decision.decided_on:
        raise ValidationError({"decided_on": _("An approved decision needs its date.")})
    decision.full_clean()
    decision.save()
    record_change(
        decision,
        action="updated" if before else "created",
        acting_user=acting_user,
        changes=diff_fields(before, model_to_dict(decision, fields=DECISION_FIELDS)),
    )
    return decision


@transaction.atomic
def save_fee_decision(
    *,
    reference: str,
    decided_on: date,
    decision_body: str,
    from_year: int,
    population_rule: str,
    components: list[tuple[str, int, int]],
    population_reference_date: date | None = None,
    population_years_before: int | None = None,
    summary: str = "",
    acting_user: User | None,
) -> FeeDecision:
    """Create or replace the fee decision with reference; components are (purpose, öre, since)."""
    decision, created = FeeDecision.objects.update_or_create(
        reference=reference,
        defaults={
            "decided_on": decided_on,
            "decision_body": decision_body,
            "from_year": from_year,
            "population_rule": population_rule,
            "population_reference_date": population_reference_date,
            "population_years_before": population_years_before,
            "summary": summary,
        },
    )
    decision.full_clean()
    existing = {c.purpose: c for c in decision.components.all()}
    for purpose, ore, since in components:
        component = existing.pop(purpose, None) or FeeComponent(decision=decision, purpose=purpose)
        component.ore = ore
        component.since_year = since
        component.full_clean()
        component.save()
    for stale in existing.values():
        stale.delete()
    if created:
        record_change(decision, action="created", acting_user=acting_user)
    return decision


def check_invoice_choice(contribution: Contribution, basis: str) -> None:
    """Raise ValidationError unless basis can be invoiced for contribution and changes it."""
    if basis not in InvoiceChoice.Basis.values:
        raise ValidationError({"basis": _("Choose the amount by the rule or the decided one.")})
    if basis == InvoiceChoice.Basis.DECIDED and contribution.decided_sek is None:
        raise ValidationError({"basis": NO_DECIDED_AMOUNT})
    if basis == InvoiceChoice.Basis.RULE and contribution.amount_sek is None:
        raise ValidationError({"basis": NO_RULE_AMOUNT})
    if basis == contribution.invoiced_basis:
        raise ValidationError({"basis": ALREADY_INVOICED})


@transaction.atomic
def choose_invoiced_amount(
    *, region: Region, year: int, basis: str, reason: str, acting_user: User
) -> InvoiceChoice:
    """Record which amount region is invoiced for year: by the rule or as the region decided.

    History keeps who chose, when, the amount and basis before and after, and the reason.
    """
    if not can_choose_invoiced_amount(acting_user):
        raise PermissionError(NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": GIVE_REASON})
    choice = InvoiceChoice.objects.select_for_update().filter(region=region, year=year).first()
    contribution = contribution_for(region, year)
    check_invoice_choice(contribution, basis)
    before = {"basis": contribution.invoiced_basis, "invoiced_sek": contribution.invoiced_sek}
    created = choice is None
    choice = choice or InvoiceChoice(region=region, year=year)
    choice.basis = basis
    choice.reason = reason
    choice.recorded_by = acting_user
    choice.full_clean()
    choice.save()
    after = contribution_for(region, year)
    record_change(
        choice,
        action="created" if created else "updated",
        acting_user=acting_user,
        changes={
            "basis": [before["basis"], basis],
            "invoiced_sek": [before["invoiced_sek"], after.invoiced_sek],
            "reason": reason,
        },
    )
    return choice
