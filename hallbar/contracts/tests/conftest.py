import pytest

from hallbar.demo.requirements import load_requirement_library


@pytest.fixture
def library(reference_data):
    load_requirement_library()


@pytest.fixture
def tasks_immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
