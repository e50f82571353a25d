"""Write everything the platform holds about one person to a JSON file (GDPR access request)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from hallbar.core import audit
from hallbar.core.models import AuditEvent
from hallbar.organisations.personal_data import export_personal_data, get_user


class Command(BaseCommand):
    help = "Export one person's personal data as JSON (docs/personal-data.md)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--out", required=True, help="the JSON file to write")

    def handle(self, *args, **options):
        try:
            user = get_user(options["username"])
        except Exception as exc:
            raise CommandError(f"No user named {options['username']!r}.") from exc
        data = export_personal_data(user)
        out = Path(options["out"])
        out.write_text(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        audit.record(
            AuditEvent.Kind.EXPORT,
            obj=user,
            detail={"export": "personal_data", "file": out.name},
        )
        self.stdout.write(f"Wrote the personal data of user {user.pk} to {out}.")
