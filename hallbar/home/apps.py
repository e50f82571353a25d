from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The start page and the navigation: they show what every app offers, so they sit at the top
    and may import any app; no app imports them."""

    name = "hallbar.home"
    label = "home"
    verbose_name = _("Start page")
