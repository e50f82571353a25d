from hallbar.followups.tests.conftest import _english_messages, world  # noqa: F401 - fixtures
