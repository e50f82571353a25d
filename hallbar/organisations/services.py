"""Writes for organisations: reference data loading, users and memberships."""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hallbar.core import audit
from hallbar.core.history import record_change
from hallbar.organisations.models import (
    AreaMembership,
    Language,
    Membership,
    Organisation,
    PopulationFigure,
    ProcurementArea,
    Region,
    User,
)

REFERENCE_DIR = Path(settings.BASE_DIR) / "referencedata"
REGIONS_FILE = REFERENCE_DIR / "swedish_regions.csv"
AREAS_FILE = REFERENCE_DIR / "procurement_areas_2023.csv"
POPULATION_SOURCE = "SCB BE0101 via Eurostat demo_r_pjanaggr3"
SECRETARIAT_NAME = "Regionernas kansli för hållbar upphandling"
AREAS_VALID_FROM = date(2023, 1, 1)
PRIORITISED_YEARS = (2023, 2025)


@dataclass(frozen=True)
class LoadSummary:
    regions: int
    population_figures: int
    areas: int
    categories: int


# The apps built on organisations add their part of the reference data (categories: the areas'
# prioritised categories and the CPV vocabulary) from their AppConfig.ready(). Each loader runs
# after the regions and areas, in the same transaction, and returns what it loaded by kind.
_REFERENCE_LOADERS: list[Callable[[], dict[str, int]]] = []


def register_reference_loader(loader: Callable[[], dict[str, int]]) -> None:
    """Run loader as part of load_reference_data (idempotent, like every loader)."""
    _REFERENCE_LOADERS.append(loader)


def area_rows() -> list[dict[str, str]]:
    """Return the rows of the procurement areas file (areas, their counties and categories)."""
    with AREAS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data(*, acting_user: User | None = None) -> LoadSummary:
    """Create or update the secretariat, the 21 regions, their populations, areas and categories.

    Idempotent: running it again changes nothing when the files have not changed.
    """
    Organisation.objects.get_or_create(kind=Organisation.Kind.SECRETARIAT, name=SECRETARIAT_NAME)
    populations = 0
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        organisation, _created = Organisation.objects.get_or_create(
            kind=Organisation.Kind.REGION, name=row["region_name"]
        )
        region, created = Region.objects.update_or_create(
            county_code=row["lan_code"],
            defaults={
                "organisation": organisation,
                "county_name": row["county_name"],
                "iso_code": row["iso_3166_2"],
                "nuts3_code": row["nuts3_code"],
            },
        )
        if created:
            record_change(region, action="loaded", acting_user=acting_user)
        for column, value in row.items():
            if not column.startswith("population_") or not value:
                continue
            year, month, day = (int(part) for part in column.removeprefix("population_").split("_"))
            PopulationFigure.objects.update_or_create(
                region=region,
                reference_date=date(year, month, day),
                defaults={"population": int(value), "source": POPULATION_SOURCE},
            )
            populations += 1

    regions_by_code = {r.county_code: r for r in Region.objects.all()}
    areas = area_rows()
    for row in areas:
        area, _created = ProcurementArea.objects.update_or_create(
            code=row["area"], defaults={"name": f"Upphandlingsregion {row['area']}"}
        )
        for code in row["lan_codes"].split(";"):
            AreaMembership.objects.get_or_create(
                area=area, region=regions_by_code[code], valid_from=AREAS_VALID_FROM
            )
    loaded: dict[str, int] = {}
    for loader in _REFERENCE_LOADERS:
        for key, count in loader().items():
            loaded[key] = loaded.get(key, 0) + count
    return LoadSummary(
        regions=len(rows),
        population_figures=populations,
        areas=len(areas),
        categories=loaded.get("categories", 0),
    )


@transaction.atomic
def add_membership(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    area: ProcurementArea | None = None,
    acting_user: User | None,
) -> Membership:
    """Give user a role in organisation; validate the role against the organisation kind."""
    with audit.acting_as(acting_user):
        return _add_membership(
            user=user, organisation=organisation, role=role, area=area, acting_user=acting_user
        )


def _add_membership(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    area: ProcurementArea | None,
    acting_user: User | None,
) -> Membership:
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role, area=area)
        membership.full_clean()
        membership.save()
        record_change(
            membership,
            action="created",
            acting_user=acting_user,
            changes={"role": role, "organisation": str(organisation)},
        )
    elif membership.area != area or not membership.is_active:
        membership.area = area
        membership.is_active = True
        membership.full_clean()
        membership.save(update_fields=["area", "is_active", "updated_at"])
        record_change(membership, action="updated", acting_user=acting_user)
    user.__dict__.pop("active_memberships", None)
    user.__dict__.pop("roles", None)
    return membership


@transaction.atomic
def set_preferred_language(user: User, *, language: str, acting_user: User | None) -> User:
    """Set the language user reads pages and mails in (blank: not chosen); history records it."""
    if language not in {"", *Language.values}:
        raise ValidationError({"language": _("Choose Swedish or English.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.language == language:
        return user
    before = user.language
    user.language = language
    user.save(update_fields=["language"])
    record_change(
        user, action="updated", acting_user=acting_user, changes={"language": [before, language]}
    )
    return user


@transaction.atomic
def set_monthly_digest(user: User, *, enabled: bool, acting_user: User | None) -> User:
    """Switch the monthly digest e-mail on or off for user; history records it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.monthly_digest == enabled:
        return user
    user.monthly_digest = enabled
    user.save(update_fields=["monthly_digest"])
    record_change(
        user,
        action="updated",
        acting_user=acting_user,
        changes={"monthly_digest": [not enabled, enabled]},
    )
    return user
