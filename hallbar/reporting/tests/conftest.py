from hallbar.followups.tests.conftest import world  # noqa: F401 - fixture
