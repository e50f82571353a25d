from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: its users, its national picture and `load_demo`. It sits above every other app
    and may import any of them; no other app imports it (tests may)."""

    name = "hallbar.demo"
    label = "demo"
    verbose_name = _("Demo")
