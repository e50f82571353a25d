"""Writes for organisations: reference data loading, users and memberships."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.categories.services import assign_default_cpv_codes, load_cpv_codes
from hallbar.core.history import record_change
from hallbar.organisations.models import (
    AreaCategory,
    AreaMembership,
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


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace("å", "a").replace("ä", "a").replace("ö", "o"))


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
    categories = 0
    with AREAS_FILE.open(encoding="utf-8") as handle:
        area_rows = list(csv.DictReader(handle))
    for row in area_rows:
        area, _created = ProcurementArea.objects.update_or_create(
            code=row["area"], defaults={"name": f"Upphandlingsregion {row['area']}"}
        )
        for code in row["lan_codes"].split(";"):
            AreaMembership.objects.get_or_create(
                area=area, region=regions_by_code[code], valid_from=AREAS_VALID_FROM
            )
        names = zip(
            row["prioritised_categories_sv"].split(";"),
            row["prioritised_categories_en"].split(";"),
            strict=True,
        )
        for name_sv, name_en in names:
            category, _created = Category.objects.update_or_create(
                slug=_slug(name_en), defaults={"name_sv": name_sv, "name_en": name_en}
            )
            AreaCategory.objects.get_or_create(
                area=area, category=category, valid_from=AREAS_VALID_FROM
            )
            CategoryPrioritisation.objects.get_or_create(
                category=category,
                first_year=PRIORITISED_YEARS[0],
                defaults={"last_year": PRIORITISED_YEARS[1]},
            )
            categories += 1
    load_cpv_codes()
    assign_default_cpv_codes()
    return LoadSummary(
        regions=len(rows),
        population_figures=populations,
        areas=len(area_rows),
        categories=categories,
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
