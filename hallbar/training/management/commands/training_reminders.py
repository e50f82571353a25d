from django.core.management.base import BaseCommand

from hallbar.training.services import send_overdue_reminders, sync_assignments


class Command(BaseCommand):
    help = (
        "Make the assignments the rules call for (roles, contracts in prioritised categories) "
        "and mail each person once about each overdue assignment. Run daily."
    )

    def handle(self, *args, **options):
        created = sync_assignments()
        reminded = send_overdue_reminders()
        self.stdout.write(f"{created} assignments made, {reminded} reminders sent.")
