from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "hallbar.organisations"
    label = "organisations"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from hallbar.core.languages import register_language_preference
        from hallbar.organisations import (  # noqa: F401 - signal receivers
            audit,
            mfa,
            sessions,
        )
        from hallbar.organisations.services import set_preferred_language

        register_language_preference(
            read=lambda user: getattr(user, "language", ""),
            save=lambda user, language: set_preferred_language(
                user, language=language, acting_user=user
            ),
        )
