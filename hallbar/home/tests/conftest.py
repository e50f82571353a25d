"""The follow-up tests' small world, reused for the start pages."""

from hallbar.followups.tests.conftest import _english_messages, world  # noqa: F401
