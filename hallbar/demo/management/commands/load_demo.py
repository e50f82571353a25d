from contextlib import nullcontext
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from hallbar.core.clock import moved_clock
from hallbar.demo.national import DEMO_PASSWORD, load_demo
from hallbar.demo.second_factor import DEMO_TOTP_KEY
from hallbar.organisations.access import requires_second_factor
from hallbar.organisations.models import User


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date written as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Load the reference data and the demo data (users, decisions, budget, contracts, spend, "
        "follow-ups, plan), placed around today's date. Idempotent; meant for a fresh database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_day,
            help="Load the demo as if today were this day (YYYY-MM-DD); every timestamp the load "
            "writes is moved with it. The pages still compare with the real date.",
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="Load a smaller national picture (a fifth of the contracts, a tenth of the "
            "invoice lines), for tests.",
        )

    def handle(self, *args, **options):
        day = options.get("today")
        if isinstance(day, str):  # call_command(..., today="YYYY-MM-DD") skips the parser
            day = _day(day)
        # The demo's follow-ups would mail their made-up contacts: drop those mails.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            moved_clock(day) if day else nullcontext(),
        ):
            users = load_demo(small=options.get("small", False))
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        needing = {
            user.username
            for user in User.objects.filter(username__in=[spec.username for spec in users])
            if requires_second_factor(user)
        }
        for spec in users:
            where = spec.organisation + (f", area {spec.area}" if spec.area else "")
            code = "  + code" if spec.username in needing else ""
            self.stdout.write(f"  {spec.username:<24} {spec.role:<18} {where}{code}")
        if needing and settings.HALLBAR_MFA_REQUIRED:
            self.stdout.write(
                "Logins marked '+ code' also ask for a code from an authenticator app. Add the "
                f"demo key {DEMO_TOTP_KEY} to any authenticator app (time-based, 6 digits, "
                "30 seconds), or print the current code with `make demo-code` "
                "(manage.py demo_code)."
            )
