from django import forms
from django.utils.translation import gettext_lazy as _

from hallbar.suppliers.models import ProductionSite, Supplier


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "country",
            "org_number",
            "vat_number",
            "other_id",
            "city",
            "dd_contact_name",
            "dd_contact_email",
            "dd_contact_phone",
        ]
        help_texts = {"country": _("ISO code, e.g. SE, DE, CN.")}

    org_number = forms.CharField(
        label=_("organisation number"),
        max_length=20,
        required=False,
        help_text=_("Swedish organisation number, e.g. 556677-8899."),
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=30, required=False)

    def clean_org_number(self) -> str:
        # The service validates the check digit; here only the customary hyphen is dropped so
        # that the model's 10-character field accepts the value.
        return self.cleaned_data["org_number"].replace("-", "").replace(" ", "")

    def clean_vat_number(self) -> str:
        return self.cleaned_data["vat_number"].replace(" ", "").upper()


class SiteForm(forms.ModelForm):
    class Meta:
        model = ProductionSite
        fields = ["name", "country", "city", "products", "tier", "osh_id"]
        help_texts = {
            "country": _("ISO code, e.g. SE, DE, CN."),
            "tier": _("1 = the supplier's own or direct producer."),
        }


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into the supplier"),
        help_text=_("The organisation number, VAT number or exact name of the supplier to keep."),
    )

    def __init__(self, *args, merged: Supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged = merged

    def clean_into(self) -> Supplier:
        from django.db.models import Q

        value = self.cleaned_data["into"].strip()
        compact = value.replace("-", "").replace(" ", "").upper()
        found = list(
            Supplier.objects.current()
            .exclude(pk=self.merged.pk)
            .filter(Q(org_number=compact) | Q(vat_number=compact) | Q(name__iexact=value))[:2]
        )
        if len(found) != 1:
            raise forms.ValidationError(
                _("Give exactly one other current supplier.") if found else _("No such supplier.")
            )
        return found[0]
