"""Writes for categories: the CPV vocabulary, category CPV codes, prioritisation."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category, CategoryPrioritisation, CpvCode
from hallbar.core.history import record_change
from hallbar.organisations.models import AreaCategory, ProcurementArea
from hallbar.organisations.services import AREAS_VALID_FROM, PRIORITISED_YEARS, area_rows

CPV_FILE = Path(settings.BASE_DIR) / "referencedata" / "cpv_2008.csv"
NOT_ALLOWED = _("Only the secretariat changes categories.")

# The CPV codes each of the 2023–2025 prioritised categories covers (chosen by the project from the
# CPV 2008 vocabulary; the secretariat edits them on the category page).
CATEGORY_CPV = {
    "surgical-instruments": ["33169000"],
    "care-related-paper-and-plastic": ["33770000", "33198000", "33141000"],
    "basic-medical-equipment": ["33100000", "33124000"],
    "food-and-related-services": ["15000000"],
    "cleaning-services": ["90910000"],
    "nutrition": ["15880000"],
    "it": ["30200000", "30213100", "48000000"],
    "medical-technology-imaging-and-function": ["33110000"],
    "wound-care": ["33141110", "33141100"],
    "compression": ["33190000"],
    "dental-care": ["33130000"],
    "pharmaceuticals": ["33600000"],
    "general-consumables": ["33140000", "18424300", "33141420"],
    "incontinence-and-stoma": ["33141621", "33751000", "33141600"],
    "medical-technology": ["33190000", "33141620"],
    "laundry-and-textiles": ["98310000", "18100000", "33199000"],
}
# Categories regions buy that are not prioritised: contracts there need a needs assessment.
OTHER_CATEGORIES = [
    ("office-supplies", "Kontorsmaterial", "Office supplies", ["30190000"]),
    ("furniture", "Möbler", "Furniture", ["39100000"]),
    ("vehicles", "Fordon", "Vehicles", ["34100000"]),
]


def load_cpv_codes() -> int:
    """Load the CPV 2008 vocabulary once; return how many codes exist."""
    if CpvCode.objects.exists():
        return CpvCode.objects.count()
    with CPV_FILE.open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: int(r["level"]))
    CpvCode.objects.bulk_create(
        [
            CpvCode(
                code=row["code"],
                check_digit=row["check_digit"],
                level=int(row["level"]),
                parent_id=row["parent_code"] or None,
                label_sv=row["label_sv"],
                label_en=row["label_en"],
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return len(rows)


def assign_default_cpv_codes() -> None:
    """Give the known categories their CPV codes and add the non-prioritised demo categories."""
    for slug, name_sv, name_en, _codes in OTHER_CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name_sv": name_sv, "name_en": name_en})
    mapping = CATEGORY_CPV | {slug: codes for slug, _sv, _en, codes in OTHER_CATEGORIES}
    for category in Category.objects.filter(slug__in=mapping):
        if not category.cpv_codes.exists():
            # the stubs take integer keys only; a CPV code is its own primary key
            category.cpv_codes.set(mapping[category.slug])  # type: ignore[arg-type]


def _require_secretariat(user) -> None:
    if not (user and user.is_authenticated and user.is_secretariat):
        raise PermissionError(NOT_ALLOWED)


@transaction.atomic
def add_cpv_code(*, category: Category, code: str, acting_user) -> CpvCode:
    _require_secretariat(acting_user)
    cpv = CpvCode.objects.filter(code=code.split("-")[0].strip()).first()
    if cpv is None:
        raise ValidationError(_("%(code)s is not a CPV 2008 code."), params={"code": code})
    category.cpv_codes.add(cpv)
    record_change(
        category, action="updated", acting_user=acting_user, changes={"cpv_added": cpv.code}
    )
    return cpv


@transaction.atomic
def remove_cpv_code(*, category: Category, code: str, acting_user) -> None:
    _require_secretariat(acting_user)
    # the stubs take integer keys only; a CPV code is its own primary key
    category.cpv_codes.remove(code)  # type: ignore[arg-type]
    record_change(
        category, action="updated", acting_user=acting_user, changes={"cpv_removed": code}
    )


@transaction.atomic
def set_prioritisation(
    *, category: Category, first_year: int, last_year: int, acting_user
) -> CategoryPrioritisation:
    _require_secretariat(acting_user)
    row = CategoryPrioritisation(category=category, first_year=first_year, last_year=last_year)
    row.full_clean()
    row.save()
    record_change(
        category,
        action="updated",
        acting_user=acting_user,
        changes={"prioritised": f"{first_year}–{last_year}"},
    )
    return row


def _slug(text: str) -> str:
    return slugify(text.replace("å", "a").replace("ä", "a").replace("ö", "o"))


def load_area_categories() -> dict[str, int]:
    """Load the categories each procurement area owns and prioritises, and the CPV vocabulary.

    Part of organisations' load_reference_data (registered in CategoriesConfig.ready()), run after
    the areas exist. Idempotent.
    """
    categories = 0
    for row in area_rows():
        area = ProcurementArea.objects.get(code=row["area"])
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
    return {"categories": categories}
