"""Guards that keep a served platform from running with development settings."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_placeholder_secret_key() -> None:
    """Refuse to serve with the repository's placeholder SECRET_KEY unless DEBUG is on."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.PLACEHOLDER_SECRET_KEY:
        raise ImproperlyConfigured(
            "Set SECRET_KEY: the placeholder in config/settings.py is public. "
            "(`make run` creates a random key for the demo in var/demo-secret-key.)"
        )
