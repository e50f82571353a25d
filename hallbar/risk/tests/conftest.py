"""Fixtures shared by the risk tests: a private data directory and immediate tasks."""

import pytest


@pytest.fixture
def data_dir(settings, tmp_path):
    """Keep the spend store, uploads and versions of one test in its own directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return tmp_path


@pytest.fixture
def tasks_immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
