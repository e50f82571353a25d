"""The one-way architecture: core at the bottom, and what the apps above register with it.

The import-linter contracts (pyproject.toml) are checked by `make lint`, which `make test` runs
first: lint-imports configures logging when it starts, which turned off the loggers of the tests
after it when it ran inside the suite.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from hallbar.core.imports import ImportKind, import_kind, register_import_kind
from hallbar.core.models import ImportJob
from hallbar.core.sections import Section, register_section, sections_for


def test_core_imports_no_app():
    """core's own modules (not its tests) import nothing from another hallbar app."""
    core = Path(settings.BASE_DIR) / "hallbar" / "core"
    offenders = []
    for path in core.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = line.strip()
            if text.startswith(("from hallbar.", "import hallbar.")) and not text.startswith(
                ("from hallbar.core", "import hallbar.core")
            ):
                offenders.append(f"{path.relative_to(core)}:{number}: {text}")
    assert offenders == []


@pytest.mark.parametrize("kind", ImportJob.Kind.values)
def test_every_import_kind_is_registered_by_its_app(kind):
    spec = import_kind(kind)
    assert callable(spec.importer)
    assert hasattr(spec.importer(), "validate")
    assert ":" in spec.list_url


def test_an_unknown_import_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown import kind"):
        register_import_kind("nonsense", ImportKind(importer=object, list_url="home:start"))
    with pytest.raises(LookupError):
        import_kind("nonsense")


def test_sections_come_in_their_slots_and_order_and_may_stay_away():
    # Given a page with three registered sections, one of which has nothing for this request
    page = "test:layers-page"
    register_section(page, Section("main", "b.html", lambda request, obj: {"n": obj}, order=2))
    register_section(page, Section("main", "a.html", lambda request, obj: {"n": obj * 2}, order=1))
    register_section(page, Section("side", "c.html", lambda request, obj: None))
    # When the page asks for its sections
    slots = sections_for(page, RequestFactory().get("/"), 21)
    # Then they come by slot, in order, without the empty one
    assert list(slots) == ["main"]
    assert [(s.template, s.context) for s in slots["main"]] == [
        ("a.html", {"n": 42}),
        ("b.html", {"n": 21}),
    ]
    assert sections_for("test:no-such-page", RequestFactory().get("/"), 1) == {}


def test_the_supplier_and_contract_pages_have_their_higher_apps_sections():
    from hallbar.core.sections import _SECTIONS

    templates = {page: {s.template for s in sections} for page, sections in _SECTIONS.items()}
    assert {
        "followups/partials/supplier_followups.html",
        "contracts/partials/supplier_contracts.html",
    } <= templates["suppliers:supplier-detail"]
    assert (
        "followups/partials/contract_zero_tolerance.html" in templates["contracts:contract-detail"]
    )
    assert "funding/partials/region_funding.html" in templates["organisations:region-detail"]
