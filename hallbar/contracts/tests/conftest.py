import pytest

from hallbar.demo.testing import requirement_library


@pytest.fixture
def library(reference_data):
    requirement_library()


@pytest.fixture
def tasks_immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
