"""Deactivate one person and replace their name, e-mail and username with a pseudonym."""

from django.core.management.base import BaseCommand, CommandError

from hallbar.organisations.personal_data import anonymise_user, get_user


class Command(BaseCommand):
    help = "Deactivate and anonymise a user, keeping the history readable (docs/personal-data.md)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why (kept in the audit log)")

    def handle(self, *args, **options):
        try:
            user = get_user(options["username"])
        except Exception as exc:
            raise CommandError(f"No user named {options['username']!r}.") from exc
        removed = anonymise_user(user, acting_user=None, reason=options["reason"])
        summary = ", ".join(f"{name} {count}" for name, count in removed.items())
        self.stdout.write(f"Anonymised user {user.pk} as {user.username} (removed: {summary}).")
