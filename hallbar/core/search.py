"""Search across the platform: core asks each app's registered searcher, and knows no app.

An app registers a searcher in its AppConfig.ready(). The searcher takes the user and the query
and returns the hits this user may see, reading through its own app's list gate and visibility
selector (``access.py``): the search page adds no visibility rule of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SEARCH_LIMIT = 20  # hits per kind; the kind's own list page has the rest
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Searcher:
    key: str
    label: Any  # a lazy translation: the heading of the kind's hits
    search: Callable[[Any, str, int], list[SearchHit]]  # (user, query, limit) -> hits
    more_url: Callable[[Any, str], str | None] = field(default=lambda user, query: None)
    order: int = 100


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: Any
    hits: list[SearchHit]
    more_url: str | None  # the kind's list page with the query, when there are more hits
    truncated: bool = False


_SEARCHERS: dict[str, Searcher] = {}


def register_searcher(searcher: Searcher) -> None:
    """Add (or replace, by key) a kind of thing the header's search finds."""
    _SEARCHERS[searcher.key] = searcher


def search_all(user, query: str, *, limit: int = SEARCH_LIMIT) -> list[SearchGroup]:
    """Return, per kind with hits, what user may see that matches query."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for searcher in sorted(_SEARCHERS.values(), key=lambda s: (s.order, s.key)):
        hits = searcher.search(user, query, limit + 1)
        if hits:
            truncated = len(hits) > limit
            more = searcher.more_url(user, query) if truncated else None
            groups.append(SearchGroup(searcher.key, searcher.label, hits[:limit], more, truncated))
    return groups
