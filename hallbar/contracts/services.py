"""Writes for contracts, and the rules every contract must satisfy however it arrives."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.categories.selectors import is_prioritised
from hallbar.contracts.access import can_edit_region_contracts
from hallbar.contracts.models import Contract
from hallbar.core.history import diff_fields, record_change
from hallbar.organisations.models import Region, User

NOT_ALLOWED = _("You may not change contracts of this region.")
NEEDS_ASSESSMENT_REQUIRED = _(
    "The category is not prioritised in %(year)s: write the needs assessment "
    "(behövlighetsbedömning)."
)
LEVEL_WITHOUT_CLAUSE = _("Give the clause version, or leave the level empty.")
CLAUSE_WITHOUT_LEVEL = _("Give the clause level: bas or avancerad.")
END_BEFORE_START = _("The contract cannot end before it starts.")
LEAD_NOT_BUYING = _("The lead region must be one of the buying regions.")
CONTRACT_FIELDS = [
    "reference",
    "title",
    "lead_region",
    "supplier",
    "category",
    "cpv",
    "annual_value_sek",
    "start_date",
    "end_date",
    "status",
    "clause",
    "clause_level",
    "needs_assessment",
    "dd_contact_name",
    "dd_contact_email",
    "production_countries",
]


def contract_rule_errors(
    *,
    category: Category | None,
    start_date: date | None,
    end_date: date | None,
    needs_assessment: str,
    clause,
    clause_level: str,
    prioritised: bool | None = None,
) -> dict[str, object]:
    """Return {field: message} for every rule the values break (empty when they are fine).

    `prioritised` may be passed when the caller already knows it (bulk imports).
    """
    errors: dict[str, object] = {}
    if category is not None and start_date is not None:
        if prioritised is None:
            prioritised = is_prioritised(category, start_date.year)
        if not prioritised and not (needs_assessment or "").strip():
            errors["needs_assessment"] = NEEDS_ASSESSMENT_REQUIRED % {"year": start_date.year}
    if clause_level and clause is None:
        errors["clause"] = LEVEL_WITHOUT_CLAUSE
    if clause is not None and not clause_level:
        errors["clause_level"] = CLAUSE_WITHOUT_LEVEL
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = END_BEFORE_START
    return errors


@transaction.atomic
def save_contract(
    *,
    contract: Contract | None,
    regions: list[Region],
    acting_user: User,
    **values,
) -> Contract:
    """Create or update a contract; the acting user must be allowed to edit the lead region."""
    lead: Region = values["lead_region"]
    if not can_edit_region_contracts(acting_user, lead) or (
        contract is not None and not can_edit_region_contracts(acting_user, contract.lead_region)
    ):
        raise PermissionError(NOT_ALLOWED)
    errors = contract_rule_errors(
        category=values.get("category"),
        start_date=values.get("start_date"),
        end_date=values.get("end_date"),
        needs_assessment=values.get("needs_assessment", ""),
        clause=values.get("clause"),
        clause_level=values.get("clause_level", ""),
    )
    if lead not in regions:
        errors["regions"] = LEAD_NOT_BUYING
    if errors:
        raise ValidationError(errors)
    before = model_to_dict(contract, fields=CONTRACT_FIELDS) if contract else {}
    contract = contract or Contract(created_by=acting_user)
    for field in CONTRACT_FIELDS:
        if field in values:
            setattr(contract, field, values[field])
    if contract.annual_value_sek is not None:
        contract.annual_value_sek = Decimal(contract.annual_value_sek)
    contract.full_clean()
    contract.save()
    contract.regions.set(regions)
    record_change(
        contract,
        action="updated" if before else "created",
        acting_user=acting_user,
        changes=diff_fields(before, model_to_dict(contract, fields=CONTRACT_FIELDS)),
    )
    return contract


@transaction.atomic
def delete_contract(*, contract: Contract, acting_user: User) -> None:
    if not can_edit_region_contracts(acting_user, contract.lead_region):
        raise PermissionError(NOT_ALLOWED)
    record_change(
        contract,
        action="deleted",
        acting_user=acting_user,
        changes={"reference": contract.reference},
    )
    contract.delete()
