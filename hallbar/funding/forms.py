from django import forms
from django.utils.translation import gettext_lazy as _

from hallbar.funding.models import BudgetLine, InvoiceChoice, RegionDecision


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "kind", "description", "amount_sek"]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2010 <= year <= 2100:
            raise forms.ValidationError(_("Give a year between 2010 and 2100."))
        return year


class RegionDecisionForm(forms.ModelForm):
    class Meta:
        model = RegionDecision
        fields = [
            "reference",
            "decided_on",
            "decision_body",
            "status",
            "approves_programme",
            "annual_amount_sek",
            "from_year",
            "summary",
        ]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        clash = RegionDecision.objects.filter(region=self.region, reference=reference)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("This region already has a decision with this reference.")
            )
        return reference


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2016, max_value=2100)


class InvoiceChoiceForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Amount to invoice"), choices=InvoiceChoice.Basis.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the decision the choice rests on."),
    )
