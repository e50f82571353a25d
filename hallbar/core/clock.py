"""The demo's today, and a clock that can be moved to another day.

Every date the demo invents is derived from `demo_today()`, so that the demo shows a live year
whenever it is loaded. `moved_clock(day)` runs code as if today were day (the time of day keeps
running): `load_demo --today` and the tests use it, so that the services' own timestamps
(`timezone.now()`, `auto_now`) and the pages' "today" agree with the demo's dates.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from unittest import mock

from django.utils import timezone


def demo_today() -> date:
    """Return the day the demo is placed around: today, in the current time zone."""
    return timezone.localdate()


def demo_year() -> int:
    """Return the demo's current year."""
    return demo_today().year


@contextmanager
def moved_clock(day: date) -> Iterator[None]:
    """Run the block as if today were day: `timezone.now()` is shifted by whole local days."""
    real_now = timezone.now
    offset = day - timezone.localdate(real_now())

    def now() -> datetime:
        # Shift the local wall-clock time, so that the local date is day even across DST changes.
        local = timezone.localtime(real_now()).replace(tzinfo=None) + offset
        return timezone.make_aware(local).astimezone(UTC)

    # Django's fields (auto_now), `localdate()` and the project all call `timezone.now` through
    # the module, so replacing the module attribute moves every one of them.
    with mock.patch.object(timezone, "now", now):
        yield
