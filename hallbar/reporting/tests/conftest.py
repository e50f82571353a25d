import pytest

from hallbar.followups.tests.conftest import world  # noqa: F401 - fixture


@pytest.fixture
def data_dir(settings, tmp_path):
    """Keep the generated reports of one test in its own directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return tmp_path
