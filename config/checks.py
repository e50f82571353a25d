"""Guards that keep a served platform from running with development settings."""

import sys

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

# The management commands that serve people or run their work: they refuse the placeholder key.
SERVING_COMMANDS = frozenset({"runserver", "db_worker"})


def uses_placeholder_secret_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.PLACEHOLDER_SECRET_KEY


def refuse_placeholder_secret_key() -> None:
    """Refuse to serve with the repository's placeholder SECRET_KEY unless DEBUG is on."""
    if uses_placeholder_secret_key():
        raise ImproperlyConfigured(
            "Set SECRET_KEY: the placeholder in config/settings.py is public. "
            "(`make run` creates a random key for the demo in var/demo-secret-key.)"
        )


def refuse_placeholder_secret_key_when_serving(argv: list[str] | None = None) -> None:
    """Refuse the placeholder key when manage.py starts a serving command (runserver, worker)."""
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and argv[0].endswith("manage.py") and argv[1] in SERVING_COMMANDS:
        refuse_placeholder_secret_key()


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """`check --deploy` fails while the public placeholder is the SECRET_KEY."""
    if uses_placeholder_secret_key():
        return [
            Error(
                "SECRET_KEY is the public placeholder from config/settings.py.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="hallbar.E001",
            )
        ]
    return []
