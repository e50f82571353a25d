"""API: the criteria (filtered and paged), the contract clause and the Code of Conduct in force."""

from datetime import datetime
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from hallbar.core.api_paging import MAX_PAGE
from hallbar.requirements.access import can_read_library, require_kind_view
from hallbar.requirements.models import (
    CodeOfConduct,
    ContractClause,
    CriterionLevel,
    CriterionType,
    SustainabilityArea,
)
from hallbar.requirements.selectors import (
    CriterionFilters,
    criteria_page,
    current_clause,
    published_code,
)

router = Router(tags=["requirements"])

# The choices' values, which pydantic checks and the schema lists; a type checker cannot build a
# Literal from run-time values, so to it they are strings.
if TYPE_CHECKING:
    LevelValue: TypeAlias = str
    TypeValue: TypeAlias = str
    AreaValue: TypeAlias = str
else:
    LevelValue = Literal[tuple(CriterionLevel.values)]
    TypeValue = Literal[tuple(CriterionType.values)]
    AreaValue = Literal[tuple(SustainabilityArea.values)]


class CriterionOut(Schema):
    reference: str = Field(..., description="identifier:version, e.g. HU-TEX-01:2")
    identifier: str
    version: int
    status: str
    level: str
    criterion_type: str
    area: str
    title: str
    requirement_text: str
    rationale: str
    verification: str
    categories: list[str] = Field(..., description="category codes (slugs)")
    published_at: datetime | None


class CriterionPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[CriterionOut]


class CriterionQuery(Schema):
    q: str = Field("", max_length=100, description="words in the identifier, title or text")
    level: LevelValue | None = None
    criterion_type: TypeValue | None = None
    area: AreaValue | None = None
    category: str = Field("", max_length=80, description="a category code (slug)")
    status: Literal["current", "published", "draft", "superseded", "all"] = "published"
    sort: Literal["identifier", "title", "level", "type", "area", "-updated"] = "identifier"
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=100)


class ProcessRequirementOut(Schema):
    code: str
    title: str
    basic_text: str
    advanced_text: str
    # the English texts beside the Swedish ones ("" when not written yet)
    title_en: str = ""
    basic_text_en: str = ""
    advanced_text_en: str = ""


class ClauseOut(Schema):
    version: int
    title: str
    published_at: datetime | None
    change_note: str
    introduction: str
    reporting_days: int
    reporting_text: str
    follow_up_text: str
    vite_per_week_sek: int
    vite_cap_weeks: int
    max_vite_sek: int
    sanctions_text: str
    termination_text: str
    immediate_termination_text: str
    process_requirements: list[ProcessRequirementOut]
    title_en: str = ""
    change_note_en: str = ""
    introduction_en: str = ""
    reporting_text_en: str = ""
    follow_up_text_en: str = ""
    sanctions_text_en: str = ""
    termination_text_en: str = ""
    immediate_termination_text_en: str = ""


class CommitmentOut(Schema):
    area: str
    text: str
    text_en: str = ""


class InstrumentOut(Schema):
    reference: str
    title: str
    area: str
    reference_en: str = ""
    title_en: str = ""


class ZeroToleranceOut(Schema):
    key: str
    title: str
    description: str
    area: str
    title_en: str = ""
    description_en: str = ""


class CodeOut(Schema):
    version: int
    title: str
    published_at: datetime | None
    change_note: str
    introduction: str
    commitments: list[CommitmentOut]
    instruments: list[InstrumentOut]
    zero_tolerance_deviations: list[ZeroToleranceOut]
    title_en: str = ""
    change_note_en: str = ""
    introduction_en: str = ""


CLAUSE_OUT_FIELDS = [
    "version",
    "title",
    "published_at",
    "change_note",
    "introduction",
    "reporting_days",
    "reporting_text",
    "follow_up_text",
    "vite_per_week_sek",
    "vite_cap_weeks",
    "sanctions_text",
    "termination_text",
    "immediate_termination_text",
    "title_en",
    "change_note_en",
    "introduction_en",
    "reporting_text_en",
    "follow_up_text_en",
    "sanctions_text_en",
    "termination_text_en",
    "immediate_termination_text_en",
]


def _criterion_out(criterion) -> dict:
    return {
        "reference": criterion.reference,
        "identifier": criterion.identifier,
        "version": criterion.version,
        "status": criterion.status,
        "level": criterion.level,
        "criterion_type": criterion.criterion_type,
        "area": criterion.area,
        "title": criterion.title,
        "requirement_text": criterion.requirement_text,
        "rationale": criterion.rationale,
        "verification": criterion.verification,
        "categories": sorted(c.slug for c in criterion.categories.all()),
        "published_at": criterion.published_at,
    }


@router.get("/criteria", response=CriterionPageOut)
def list_criteria(request, filters: Query[CriterionQuery]):
    """Return a page of criteria (published ones unless status says otherwise)."""
    if not can_read_library(request.user):
        raise Http404
    page = criteria_page(
        request.user,
        CriterionFilters(
            q=filters.q,
            level=filters.level or "",
            criterion_type=filters.criterion_type or "",
            area=filters.area or "",
            category=filters.category,
            status=filters.status,
            sort=filters.sort,
        ),
        filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "page_size": filters.page_size,
        "items": [_criterion_out(c) for c in page.object_list],
    }


@router.get("/clause/current", response=ClauseOut)
def get_current_clause(request):
    """Return the contract clause version in force, with PR1–PR7 at both levels."""
    require_kind_view(request.user, ContractClause)
    clause = current_clause()
    if clause is None:
        raise Http404
    return {
        **{field: getattr(clause, field) for field in CLAUSE_OUT_FIELDS},
        "max_vite_sek": int(clause.max_vite),
        "process_requirements": [
            {
                "code": pr.code,
                "title": pr.title,
                "basic_text": pr.basic_text,
                "advanced_text": pr.advanced_text,
                "title_en": pr.title_en,
                "basic_text_en": pr.basic_text_en,
                "advanced_text_en": pr.advanced_text_en,
            }
            for pr in clause.process_requirements.all()
        ],
    }


@router.get("/code/current", response=CodeOut)
def get_current_code(request):
    """Return the Code of Conduct in force: commitments, instruments, zero-tolerance list."""
    require_kind_view(request.user, CodeOfConduct)
    code = published_code()
    if code is None:
        raise Http404
    return {
        "version": code.version,
        "title": code.title,
        "published_at": code.published_at,
        "change_note": code.change_note,
        "introduction": code.introduction,
        "title_en": code.title_en,
        "change_note_en": code.change_note_en,
        "introduction_en": code.introduction_en,
        "commitments": [
            {"area": c.area, "text": c.text, "text_en": c.text_en} for c in code.commitments.all()
        ],
        "instruments": [
            {
                "reference": i.reference,
                "reference_en": i.reference_en,
                "title": i.title,
                "title_en": i.title_en,
                "area": i.area,
            }
            for i in code.instruments.all()
        ],
        "zero_tolerance_deviations": [
            {
                "key": z.key,
                "title": z.title,
                "title_en": z.title_en,
                "description": z.description,
                "description_en": z.description_en,
                "area": z.area,
            }
            for z in code.zero_tolerance_items.all()
        ],
    }
