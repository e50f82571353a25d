"""Sections that an app higher up adds to a page of an app below it.

An app's pages must not import the apps built on it (DESIGN.md §3): the supplier page does not
import follow-up, the region page does not import funding. Instead the app above registers a
section for the page in its AppConfig.ready(), and the page renders every section its slot holds.
A section's `context(request, obj)` applies that app's own access rules and returns the context
its template reads as `section`, or None when there is nothing to show this user.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    slot: str  # the place on the page, named by the page's template
    template: str
    # called with the page's request (each app's own request type) and the page's object
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict[str, Any]


_SECTIONS: dict[str, list[Section]] = defaultdict(list)


def register_section(page: str, section: Section) -> None:
    """Add section to page (a URL name such as "suppliers:supplier-detail")."""
    _SECTIONS[page].append(section)
    _SECTIONS[page].sort(key=lambda s: s.order)


def sections_for(page: str, request: HttpRequest, obj: Any) -> dict[str, list[RenderedSection]]:
    """Return the sections to show on page for obj, by slot, in their order."""
    slots: dict[str, list[RenderedSection]] = defaultdict(list)
    for section in _SECTIONS.get(page, []):
        context = section.context(request, obj)
        if context is not None:
            slots[section.slot].append(RenderedSection(section.template, context))
    return dict(slots)
