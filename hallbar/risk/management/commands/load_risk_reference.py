from django.core.management.base import BaseCommand

from hallbar.risk.services import load_risk_reference


class Command(BaseCommand):
    help = (
        "Register the editions of the shipped country data files (WGI, CPI, ILAB) with their "
        "checksums and licences. Idempotent; the files are only read."
    )

    def handle(self, *args, **options):
        for edition in load_risk_reference(acting_user=None):
            self.stdout.write(f"{edition.kind:<12} {edition.label:<36} {edition.filename}")
            self.stdout.write(f"{'':<12} sha256 {edition.sha256}")
        self.stdout.write(self.style.SUCCESS("Reference data editions registered."))
