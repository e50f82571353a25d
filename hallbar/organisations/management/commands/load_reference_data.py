from django.core.management.base import BaseCommand

from hallbar.organisations.services import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the regions, populations, procurement areas and categories shipped in referencedata/."
    )

    def handle(self, *args, **options):
        summary = load_reference_data()
        self.stdout.write(
            f"Reference data: {summary.regions} regions, {summary.population_figures} population "
            f"figures, {summary.areas} procurement areas, {summary.categories} categories."
        )
