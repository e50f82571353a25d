"""One row per supplier and name without a region: removes the copies earlier imports of the
same file left (NULL regions escaped the unique constraint), then adds a partial constraint."""

from django.db import migrations, models
from django.db.models import Min


def remove_copies(apps, schema_editor):
    SupplierName = apps.get_model("suppliers", "SupplierName")
    keep = (
        SupplierName.objects.filter(region__isnull=True)
        .values("supplier_id", "name")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    SupplierName.objects.filter(region__isnull=True).exclude(pk__in=list(keep)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_user_monthly_digest"),
        ("suppliers", "0002_unmatched_spend"),
    ]

    operations = [
        migrations.RunPython(remove_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="suppliername",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", True)),
                fields=("supplier", "name"),
                name="suppliers_suppliername_unique_without_region",
            ),
        ),
    ]
