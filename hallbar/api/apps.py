from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hallbar.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from hallbar.api.personal_data import api_tokens, remove_api_tokens
        from hallbar.organisations.personal_data import register_anonymiser, register_exporter

        register_exporter("api_tokens", api_tokens)
        register_anonymiser(remove_api_tokens)
