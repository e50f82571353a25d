import time

from django.core.management.base import BaseCommand

from hallbar.demo.second_factor import DEMO_TOTP_KEY, demo_code


class Command(BaseCommand):
    help = (
        "Print the code of the demo's published authenticator key (load_demo gives it to the "
        "demo logins that need a second factor), for testers without an authenticator app."
    )

    def handle(self, *args, **options):
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{demo_code()}  (valid for {left} more seconds; key {DEMO_TOTP_KEY})")
