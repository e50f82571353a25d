"""Every relation to a supplier is either moved by a merge or kept with the merged supplier, by
the app that owns it: a new foreign key to Supplier without that decision fails here."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from hallbar.suppliers import merging
from hallbar.suppliers.models import Supplier


def test_every_relation_to_a_supplier_is_moved_or_kept_by_a_merge():
    assert merging.unaccounted_fields() == []


def test_the_movers_that_issue_11_names_are_registered():
    movers = {(m.model, m.field): m.label for m in merging.merge_movers()}
    assert movers == {
        ("contracts.Contract", "supplier"): "contracts",
        ("followups.FollowUp", "supplier"): "followups",
        ("followups.Report", "supplier"): "reports",
        ("planning.PlanItem", "supplier"): "plan_items",
        ("planning.ExternalFollowUp", "supplier"): "external_followups",
        ("planning.DutyWaiver", "supplier"): "duty_waivers",
        ("suppliers.ProductionSite", "supplier"): "sites",
        ("suppliers.SupplierName", "supplier"): "names",
    }
    assert not set(movers) & set(merging.kept_on_merge())


def test_no_mover_or_kept_entry_names_a_relation_that_does_not_exist():
    existing = set(merging.supplier_fields())
    assert {(m.model, m.field) for m in merging.merge_movers()} <= existing
    assert set(merging.kept_on_merge()) <= existing


@isolate_apps("hallbar.suppliers")
def test_a_new_foreign_key_to_a_supplier_without_a_decision_is_found():
    class Certificate(models.Model):
        supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)
        issued_by = models.ForeignKey(
            Supplier, null=True, on_delete=models.SET_NULL, related_name="+"
        )

        class Meta:
            app_label = "suppliers"

        def __str__(self) -> str:
            return "certificate"

    found = merging.unaccounted_fields([*apps.get_models(), Certificate])
    assert found == [("suppliers.Certificate", "supplier"), ("suppliers.Certificate", "issued_by")]
