"""The API's page numbers: bounded, so that a huge or odd number is a 422, never a 500.

Ninja's ``PageNumberPagination`` accepts any page number of at least 1; the database is then
asked for an offset such as 922337203685477581 × 50, which overflows its 64-bit integers (an
``OverflowError`` on SQLite, a ``DataError`` on PostgreSQL). Every paged list of the API uses
:class:`BoundedPageNumberPagination` instead: the page and the page size have upper bounds, so
a number out of range is refused by validation with the field named, like any other bad value.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class BoundedPageNumberPagination(PageNumberPagination):
    """Page-number paging whose page (1 to MAX_PAGE) and page size (1 to the paginator's
    maximum) are checked before any query runs."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
