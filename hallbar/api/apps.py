from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hallbar.api"
    label = "api"
    verbose_name = "API"
