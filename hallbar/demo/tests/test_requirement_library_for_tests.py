"""The tests' fast requirement library (`demo.testing.requirement_library`) writes exactly the rows
the loader writes, and leaves the tables ready for the next row."""

import pytest

from hallbar.core.models import HistoryEntry
from hallbar.demo import testing
from hallbar.demo.requirements import load_requirement_library
from hallbar.requirements.models import CodeOfConduct, Criterion
from hallbar.requirements.services import create_code_draft

pytestmark = pytest.mark.django_db


# Set by the database when a row is written (auto_now): the time of that write
WRITTEN_AT = {"created_at", "updated_at", "at"}


def _rows() -> dict:
    """Every row of the library's tables, and the history's rows of the library, by content."""
    tables = {
        model._meta.label: [
            {k: v for k, v in row.items() if k not in WRITTEN_AT}
            for row in model._base_manager.order_by("pk").values()
        ]
        for model in testing._library_models()
    }
    columns = [
        f.attname for f in HistoryEntry._meta.concrete_fields if f.name not in WRITTEN_AT | {"id"}
    ]
    history = list(
        HistoryEntry.objects.filter(content_type__app_label="requirements")
        .order_by("pk")
        .values(*columns)
    )
    return {"tables": tables, "history": history}


def _empty_the_library() -> None:
    HistoryEntry.objects.filter(content_type__app_label="requirements").delete()
    for model in reversed(testing._library_models()):
        if model is CodeOfConduct or model._meta.label == "requirements.ContractClause":
            model._base_manager.update(based_on=None)
        model._base_manager.all().delete()


def test_the_fast_library_writes_the_loaders_rows_again(monkeypatch):
    monkeypatch.setattr(testing, "_recordings", {})
    # Given the loader's rows, recorded by the first load into the empty library
    summary = testing.requirement_library()
    assert summary == testing._recordings[next(iter(testing._recordings))].summary
    loaded = _rows()
    assert len(loaded["tables"]["requirements.Criterion"]) >= summary.criteria > 0
    assert loaded["history"]
    # When the library is emptied and loaded again
    _empty_the_library()
    assert testing._library_is_empty()
    assert testing.requirement_library() == summary
    # Then the same rows are there, with the same numbers
    assert _rows() == loaded
    # and a new row of each kind gets a number after them
    code = create_code_draft(acting_user=None, title="Uppförandekod 3")
    assert code.pk > max(row["id"] for row in loaded["tables"]["requirements.CodeOfConduct"])


def test_a_library_already_there_is_completed_by_the_loader():
    testing.requirement_library()
    Criterion.objects.filter(pk=Criterion.objects.order_by("pk").first().pk).delete()
    # the loader's own rule: what exists stays, what is missing is added (here: nothing)
    assert testing.requirement_library() == load_requirement_library()
