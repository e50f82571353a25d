"""The lifecycle draft → published → superseded, history, vite, the diff and the demo loader."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from hallbar.categories.models import Category
from hallbar.core.history import history_for
from hallbar.demo.requirements import load_requirement_library
from hallbar.requirements.diff import (
    ADDED,
    CHANGED,
    EQUAL,
    REMOVED,
    mark_language,
    side_by_side,
)
from hallbar.requirements.models import (
    CodeOfConduct,
    ContractClause,
    Criterion,
    Status,
)
from hallbar.requirements.selectors import (
    change_log,
    criteria_for_category,
    current_clause,
    published_code,
    version_diff,
)
from hallbar.requirements.services import (
    CLAUSE_INCOMPLETE,
    CODE_INCOMPLETE,
    DRAFT_EXISTS,
    ONLY_DRAFTS_EDITABLE,
    ONLY_FROM_PUBLISHED,
    create_clause_draft,
    create_code_draft,
    create_criterion,
    publish_version,
    start_new_version,
    update_clause_draft,
    update_code_draft,
    update_criterion_draft,
)

CRITERION = {
    "level": "basic",
    "criterion_type": "technical_specification",
    "area": "environment",
    "title": "Miljömärkt papper",
    "requirement_text": "Papperet ska vara miljömärkt.",
    "rationale": "",
    "verification": "Certifikat.",
}


def _criterion(cast, identifier="HU-TST-01", **values):
    return create_criterion(
        acting_user=cast.secretariat, identifier=identifier, **{**CRITERION, **values}
    )


# --- lifecycle ----------------------------------------------------------------------------------


def test_publishing_supersedes_the_previous_published_version(cast):
    # Given a published criterion
    first = _criterion(cast)
    publish_version(first, note="Första versionen.", acting_user=cast.secretariat)
    # When a new version is started and published
    second = start_new_version(first, acting_user=cast.secretariat)
    assert second.is_draft and second.version == 2 and second.reference == "HU-TST-01:2"
    publish_version(second, note="Skärpt krav.", acting_user=cast.secretariat)
    # Then the first is superseded and the second is the only published version
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.superseded_at is not None
    assert second.status == Status.PUBLISHED and second.change_note == "Skärpt krav."
    assert second.published_by == cast.secretariat
    assert list(Criterion.objects.published().values_list("version", flat=True)) == [2]


def test_publishing_one_item_leaves_other_items_alone(cast):
    a = publish_version(_criterion(cast, "HU-TST-01"), note="a", acting_user=cast.secretariat)
    b = publish_version(_criterion(cast, "HU-TST-02"), note="b", acting_user=cast.secretariat)
    a.refresh_from_db()
    assert a.is_published and b.is_published


def test_publishing_needs_a_note(cast):
    draft = _criterion(cast)
    with pytest.raises(ValidationError) as error:
        publish_version(draft, note="   ", acting_user=cast.secretariat)
    assert "note" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.is_draft


def test_only_drafts_are_published_or_edited(library, cast):
    published = library.tex_v2
    with pytest.raises(ValidationError):
        publish_version(published, note="igen", acting_user=cast.secretariat)
    with pytest.raises(ValidationError) as error:
        update_criterion_draft(published, acting_user=cast.secretariat, categories=[], **CRITERION)
    assert error.value.messages == [str(ONLY_DRAFTS_EDITABLE)]
    published.refresh_from_db()
    assert published.title != CRITERION["title"]


def test_editing_published_code_and_clause_is_refused(library, cast):
    with pytest.raises(ValidationError):
        update_code_draft(
            library.code_v2,
            acting_user=cast.secretariat,
            title="Ändrad",
            commitments=[],
            instruments=[],
            zero_tolerance=[],
        )
    with pytest.raises(ValidationError):
        update_clause_draft(
            library.clause_2021, acting_user=cast.secretariat, process_requirements=[], title="x"
        )
    library.code_v2.refresh_from_db()
    assert library.code_v2.commitments.count() > 0 and library.code_v2.title != "Ändrad"


def test_new_version_copies_the_published_one_with_its_rows(library, cast):
    # When a new version of the code is started
    draft = start_new_version(library.code_v2, acting_user=cast.secretariat)
    # Then it is a draft numbered 3, based on version 2, with the same content
    assert (draft.version, draft.status, draft.based_on) == (3, Status.DRAFT, library.code_v2)
    assert draft.document_lines() == library.code_v2.document_lines()
    assert draft.zero_tolerance_items.count() == library.code_v2.zero_tolerance_items.count()
    # And the published version is untouched and still in force
    assert published_code() == library.code_v2


def test_new_clause_version_copies_parameters_and_process_requirements(library, cast):
    draft = start_new_version(library.clause_2024, acting_user=cast.secretariat)
    assert draft.version >= 2025
    assert (draft.reporting_days, draft.vite_per_week_sek, draft.vite_cap_weeks) == (14, 10_000, 10)
    assert [pr.code for pr in draft.process_requirements.all()] == [f"PR{n}" for n in range(1, 8)]
    assert current_clause() == library.clause_2024


def test_new_criterion_version_copies_categories(library, cast):
    draft = start_new_version(library.tex_v2, acting_user=cast.secretariat)
    assert draft.reference == "HU-TEX-01:3"
    assert set(draft.categories.all()) == set(library.tex_v2.categories.all())


def test_new_version_only_from_the_published_one_and_only_one_draft(library, cast):
    with pytest.raises(ValidationError) as error:
        start_new_version(library.code_v1, acting_user=cast.secretariat)
    assert error.value.messages == [str(ONLY_FROM_PUBLISHED)]
    start_new_version(library.code_v2, acting_user=cast.secretariat)
    with pytest.raises(ValidationError) as error:
        start_new_version(library.code_v2, acting_user=cast.secretariat)
    assert error.value.messages == [str(DRAFT_EXISTS)]
    assert CodeOfConduct.objects.drafts().count() == 1


def test_the_database_refuses_two_published_versions(library):
    with pytest.raises(IntegrityError), transaction.atomic():
        CodeOfConduct.objects.filter(pk=library.code_v1.pk).update(status=Status.PUBLISHED)


def test_incomplete_code_and_clause_cannot_be_published(cast):
    code = create_code_draft(acting_user=cast.secretariat, title="Kod")
    with pytest.raises(ValidationError) as error:
        publish_version(code, note="x", acting_user=cast.secretariat)
    assert error.value.messages == [str(CODE_INCOMPLETE)]
    clause = create_clause_draft(
        acting_user=cast.secretariat,
        title="Villkor",
        version=2030,
        reporting_days=14,
        vite_per_week_sek=1000,
        vite_cap_weeks=4,
        process_requirements=[
            {"number": 1, "title": "Policy", "basic_text": "b", "advanced_text": "a"}
        ],
    )
    with pytest.raises(ValidationError) as error:
        publish_version(clause, note="x", acting_user=cast.secretariat)
    assert error.value.messages == [str(CLAUSE_INCOMPLETE)]


@pytest.mark.parametrize("who", ["alice", "steering", "contact_jamtland", "charlie", "auditor"])
def test_only_the_secretariat_may_change_the_library(library, cast, who):
    user = getattr(cast, who)
    draft = library.criterion_draft
    with pytest.raises(PermissionError):
        create_criterion(acting_user=user, identifier="HU-X-01", **CRITERION)
    with pytest.raises(PermissionError):
        update_criterion_draft(draft, acting_user=user, categories=[], **CRITERION)
    with pytest.raises(PermissionError):
        publish_version(draft, note="x", acting_user=user)
    with pytest.raises(PermissionError):
        start_new_version(library.code_v2, acting_user=user)
    assert not Criterion.objects.filter(identifier="HU-X-01").exists()
    assert CodeOfConduct.objects.drafts().count() == 0


# --- history and change log -----------------------------------------------------------------------


def test_services_write_history_and_publishing_records_the_note(cast):
    criterion = _criterion(cast)
    update_criterion_draft(
        criterion,
        acting_user=cast.secretariat,
        categories=[Category.objects.get(slug="it")],
        **{**CRITERION, "title": "Miljömärkt kopieringspapper"},
    )
    publish_version(criterion, note="Titel förtydligad.", acting_user=cast.secretariat)
    actions = [(e.action, e.actor) for e in history_for(criterion)]
    assert actions == [("updated", cast.secretariat)] * 2 + [("created", cast.secretariat)]
    published, edited, _created = history_for(criterion)
    assert published.changes["status"] == ["draft", "published"]
    assert published.changes["change_note"] == "Titel förtydligad."
    assert edited.changes["title"] == ["Miljömärkt papper", "Miljömärkt kopieringspapper"]
    assert edited.changes["categories"] == ["", "it"]
    with translation.override("en"):
        log = change_log(criterion)
    assert [entry.summary for entry in log] == ["Published", "Draft edited", "Draft created"]


def test_superseding_is_in_the_history_of_the_old_version(library):
    entry = history_for(library.tex_v1).first()
    assert entry.changes == {"status": ["published", "superseded"], "superseded_by": "HU-TEX-01:2"}


# --- vite ----------------------------------------------------------------------------------------


# The demo values: 10 000 kr per started week for at most 10 weeks (2024), 5 000 kr and 8 (2021).
CLAUSE_2024 = ContractClause(version=2024, vite_per_week_sek=10_000, vite_cap_weeks=10)
CLAUSE_2021 = ContractClause(version=2021, vite_per_week_sek=5_000, vite_cap_weeks=8)


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [(0, 0), (1, 10_000), (3, 30_000), (10, 100_000), (11, 100_000), (52, 100_000)],
)
def test_vite_is_per_started_week_and_capped(weeks, expected):
    assert CLAUSE_2024.vite_for(weeks) == Decimal(expected)
    assert isinstance(CLAUSE_2024.vite_for(weeks), Decimal)


def test_started_weeks_and_vite_for_days_late():
    assert [ContractClause.started_weeks(d) for d in (0, 1, 7, 8, 14, 15)] == [0, 1, 1, 2, 2, 3]
    assert CLAUSE_2021.vite_for(ContractClause.started_weeks(8)) == Decimal(10_000)
    assert CLAUSE_2021.max_vite == Decimal(40_000)
    with pytest.raises(ValueError):
        CLAUSE_2021.vite_for(-1)
    with pytest.raises(ValueError):
        ContractClause.started_weeks(-1)


# --- diff ----------------------------------------------------------------------------------------


def test_side_by_side_pairs_changed_lines_and_marks_words():
    old = ["Rubrik", "Rapportera inom 30 dagar", "Borttagen rad", "Slut"]
    new = ["Rubrik", "Rapportera inom 14 dagar", "Slut", "Ny rad"]
    result = side_by_side(old, new)
    assert [row.kind for row in result.rows] == [EQUAL, CHANGED, REMOVED, EQUAL, ADDED]
    changed = result.rows[1]
    assert [(s.text, s.change) for s in changed.left] == [
        ("Rapportera inom ", EQUAL),
        ("30", REMOVED),
        (" dagar", EQUAL),
    ]
    assert [(s.text, s.change) for s in changed.right if s.change != EQUAL] == [("14", ADDED)]
    assert (result.rows[2].left_number, result.rows[2].right_number) == (3, None)
    assert (result.rows[4].left_number, result.rows[4].right_number) == (None, 4)
    assert (result.changed, result.added, result.removed) == (1, 1, 1)
    assert len(result.changes_only()) == 3


def test_lines_in_another_language_are_marked_on_their_side():
    result = mark_language(
        side_by_side(["Nivå: bas", "Krav A"], ["Nivå: bas", "Krav B", "Ny rad"]),
        {"Krav A", "Krav B"},
        "sv",
    )
    marks = [(row.left_lang, row.right_lang) for row in result.rows]
    assert marks == [("", ""), ("sv", "sv"), ("", "")]


def test_identical_versions_have_no_changes():
    result = side_by_side(["a", "b"], ["a", "b"])
    assert result.identical and result.changes_only() == []


def test_version_diff_of_the_demo_clauses_shows_the_new_parameters(library):
    result = version_diff(library.clause_2021, library.clause_2024)
    removed = {s.text for row in result.rows for s in row.left if s.is_removed}
    added = {s.text for row in result.rows for s in row.right if s.is_added}
    assert "30" in removed and "14" in added
    # the liquidated damages, grouped the Swedish way (a thin space between thousands)
    changed = [
        ("".join(s.text for s in row.left), "".join(s.text for s in row.right))
        for row in result.rows
        if row.kind == CHANGED
    ]
    assert any("5\u202f000 kr" in old and "10\u202f000 kr" in new for old, new in changed)


def test_version_diff_of_the_codes_shows_the_added_conventions(library):
    result = version_diff(library.code_v1, library.code_v2)
    added_lines = ["".join(s.text for s in row.right) for row in result.rows if row.kind == ADDED]
    assert any("ILO 155" in line for line in added_lines)
    assert any("Allvarlig miljöskada" in line for line in added_lines)


def test_the_comparison_is_in_the_readers_language_and_marks_a_missing_english_text(library):
    # Given the second code without the English text of one of its commitments
    missing = library.code_v2.commitments.order_by("position", "id").first()
    swedish_text = missing.text
    type(missing).objects.filter(pk=missing.pk).update(text_en="")
    # When an English reader compares the two codes
    with translation.override("en"):
        result = version_diff(library.code_v1, library.code_v2)
    old = ["".join(s.text for s in row.left) for row in result.rows]
    new = ["".join(s.text for s in row.right) for row in result.rows]
    # Then both versions read in English: titles, commitments, the headings
    assert library.code_v1.title_en in old and library.code_v2.title_en in new
    assert library.code_v1.title not in old + new
    assert "Instruments cited" in new and "Zero-tolerance deviations" in new
    # and the commitment without an English text is marked missing, not shown in Swedish
    assert "• No English text yet" in new
    assert f"• {swedish_text}" not in new
    # A Swedish reader reads the Swedish texts
    with translation.override("sv"):
        result = version_diff(library.code_v1, library.code_v2)
    new = ["".join(s.text for s in row.right) for row in result.rows]
    assert library.code_v2.title in new and f"• {swedish_text}" in new


# --- demo loader and selectors ------------------------------------------------------------------


def test_demo_library_is_complete(library):
    assert published_code() == library.code_v2
    assert library.code_v1.status == Status.SUPERSEDED
    assert current_clause() == library.clause_2024
    assert library.clause_2021.status == Status.SUPERSEDED
    assert (library.clause_2024.reporting_days, library.clause_2024.vite_per_week_sek) == (
        14,
        10_000,
    )
    references = {i.reference for i in library.code_v2.instruments.all()}
    assert {f"ILO {n}" for n in (29, 87, 98, 100, 105, 111, 138, 182, 155, 187)} <= references
    assert {"child-labour", "forced-labour", "threat-to-life-and-health", "bribery"} <= set(
        library.code_v2.zero_tolerance_items.values_list("key", flat=True)
    )
    assert Criterion.objects.values("identifier").distinct().count() >= 15
    assert library.tex_v2.reference == "HU-TEX-01:2" and library.tex_v1.status == "superseded"
    assert library.criterion_draft.is_draft
    assert library.code_v1.published_at.year == 2018
    assert library.code_v1.superseded_at == library.code_v2.published_at
    # every criterion is linked to at least one prioritised category
    assert not Criterion.objects.filter(categories=None).exists()


def test_demo_loader_is_idempotent(library):
    def snapshot():
        return [
            sorted(model.objects.values_list("version", "status", "published_at"))
            for model in (CodeOfConduct, ContractClause)
        ] + [
            sorted(Criterion.objects.values_list("identifier", "version", "status", "title")),
            sorted(Criterion.categories.through.objects.values_list("criterion_id", "category_id")),
        ]

    before = snapshot()
    summary = load_requirement_library()
    assert snapshot() == before
    assert (summary.codes, summary.clauses, summary.criteria) == (2, 2, 16)


def test_criteria_for_category(library):
    textiles = Category.objects.get(slug="laundry-and-textiles")
    assert [c.reference for c in criteria_for_category(textiles)] == ["HU-TEX-01:2", "HU-TEX-02:1"]
    assert [c.reference for c in criteria_for_category(textiles, level="basic")] == ["HU-TEX-02:1"]
