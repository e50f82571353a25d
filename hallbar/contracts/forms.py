from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category, CpvCode
from hallbar.contracts.models import Contract
from hallbar.organisations.models import Region
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.models import Supplier, country_code


class ContractForm(forms.ModelForm):
    supplier_ref = forms.CharField(
        label=_("Supplier"),
        help_text=_(
            "The supplier's organisation number, VAT number or exact name in the registry."
        ),
    )
    cpv_code = forms.CharField(label=_("CPV code"), required=False, help_text=_("e.g. 33141420-0"))
    countries = forms.CharField(
        label=_("Countries of production"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. MY, TH, CN."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Buying regions"),
        queryset=Region.objects.select_related("organisation").order_by("county_code"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("All regions that buy under the contract, the lead region included."),
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "lead_region",
            "category",
            "annual_value_sek",
            "start_date",
            "end_date",
            "status",
            "clause",
            "clause_level",
            "needs_assessment",
            "dd_contact_name",
            "dd_contact_email",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "needs_assessment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, editable_regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.select_related("organisation").order_by("county_code")
        if editable_regions is not None:
            regions = regions.filter(pk__in=editable_regions)
        self.fields["lead_region"].queryset = regions
        self.fields["category"].queryset = Category.objects.order_by("name_sv")
        self.fields["clause"].queryset = ContractClause.objects.released().order_by("-version")
        self.fields["regions"].label_from_instance = lambda r: r.name
        self.fields["lead_region"].label_from_instance = lambda r: r.name
        if self.instance.pk:
            self.fields["supplier_ref"].initial = (
                self.instance.supplier.identifier or self.instance.supplier.name
            )
            self.fields["cpv_code"].initial = (
                self.instance.cpv.full_code if self.instance.cpv else ""
            )
            self.fields["countries"].initial = ", ".join(self.instance.production_countries)
            self.fields["regions"].initial = list(self.instance.regions.all())

    def clean_supplier_ref(self) -> Supplier:
        value = self.cleaned_data["supplier_ref"].strip()
        compact = value.replace("-", "").replace(" ", "").upper()
        matches = list(
            Supplier.objects.current().filter(
                Q(org_number=compact) | Q(vat_number=compact) | Q(name__iexact=value)
            )[:2]
        )
        if not matches:
            raise forms.ValidationError(_("No supplier in the registry has this number or name."))
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several suppliers have this name: give the organisation number.")
            )
        return matches[0]

    def clean_cpv_code(self) -> CpvCode | None:
        value = self.cleaned_data["cpv_code"].strip()
        if not value:
            return None
        digits, _sep, check = value.partition("-")
        cpv = CpvCode.objects.filter(code=digits).first()
        if cpv is None or (check and check != cpv.check_digit):
            raise forms.ValidationError(_("%(value)s is not a CPV 2008 code.") % {"value": value})
        return cpv

    def clean_countries(self) -> list[str]:
        codes = []
        for item in self.cleaned_data["countries"].replace(";", ",").split(","):
            if not item.strip():
                continue
            code = country_code(item)
            if code is None:
                raise forms.ValidationError(
                    _("Unknown country: %(value)s. Use a code such as SE or DE.")
                    % {"value": item.strip()}
                )
            if code not in codes:
                codes.append(code)
        return codes

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {field: data[field] for field in self.Meta.fields}
        values["supplier"] = data["supplier_ref"]
        values["cpv"] = data["cpv_code"]
        values["production_countries"] = data["countries"]
        return values
