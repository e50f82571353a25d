from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from hallbar.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the reference data and the demo data (users, decisions, budget). Idempotent."

    def handle(self, *args, **options):
        # The demo's follow-ups would mail their made-up contacts: drop those mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            users = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in users:
            where = spec.organisation + (f", area {spec.area}" if spec.area else "")
            self.stdout.write(f"  {spec.username:<24} {spec.role:<18} {where}")
