"""Forms of the plan pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.followups.models import FollowUpType
from hallbar.organisations.models import Region
from hallbar.planning.models import ExternalFollowUp
from hallbar.planning.solver import default_types

AREAS = "ABCDEFGH"


class ProposeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    budget_sek = forms.IntegerField(label=_("Budget (SEK)"), min_value=0)
    mode = forms.ChoiceField(
        label=_("Solve"),
        choices=[
            ("optimal", _("to a proven optimum or a gap under 0.5 % (up to 30 s)")),
            ("interactive", _("quickly (greedy with its proven gap)")),
        ],
    )
    rel_tol = forms.DecimalField(
        label=_("Lead shares: relative tolerance (%)"),
        min_value=0,
        max_value=100,
        initial=10,
        help_text=_("Each region leads its population share of the follow-ups, ± this much …"),
    )
    abs_tol = forms.DecimalField(
        label=_("… or ± this many follow-ups, whichever is larger"),
        min_value=0,
        initial=2,
        help_text=_("±10 % alone cannot be met by small regions at small budgets (e.g. Gotland)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        labels = dict(FollowUpType.choices)
        for kind in default_types():
            self.fields[f"cost_{kind.name}"] = forms.IntegerField(
                label=_("Cost of a %(type)s (SEK)") % {"type": labels[kind.name]},
                min_value=0,
                initial=round(kind.cost_sek),
            )
            self.fields[f"coverage_{kind.name}"] = forms.DecimalField(
                label=_("Share of the exposure a %(type)s covers (%%)")
                % {"type": labels[kind.name]},
                min_value=0,
                max_value=100,
                initial=round(kind.coverage * 100),
            )
        for code in AREAS:
            self.fields[f"capacity_{code}"] = forms.IntegerField(
                label=_("Capacity of area %(code)s (follow-ups; empty: no limit)") % {"code": code},
                min_value=0,
                required=False,
            )

    def types(self) -> list[dict]:
        return [
            {
                "name": kind.name,
                "cost_sek": float(self.cleaned_data[f"cost_{kind.name}"]),
                "coverage": float(self.cleaned_data[f"coverage_{kind.name}"]) / 100,
            }
            for kind in default_types()
        ]

    def capacities(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"capacity_{code}"]
            for code in AREAS
            if self.cleaned_data.get(f"capacity_{code}") is not None
        }


class ItemForm(forms.Form):
    followup_type = forms.ChoiceField(label=_("Type"), choices=FollowUpType.choices)
    lead_region = forms.ModelChoiceField(
        label=_("Lead region"),
        queryset=Region.objects.select_related("organisation").order_by("county_code"),
    )

    def __init__(self, *args, participating=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participating is not None:
            self.fields["lead_region"].queryset = (
                Region.objects.select_related("organisation")
                .filter(county_code__in=participating)
                .order_by("county_code")
            )


class AddItemForm(ItemForm):
    supplier = forms.CharField(
        label=_("Supplier"), help_text=_("Org number, VAT number, other id or the exact name.")
    )
    field_order = ["supplier", "followup_type", "lead_region"]


class ExternalFollowUpForm(forms.ModelForm):
    supplier_text = forms.CharField(
        label=_("Supplier"), help_text=_("Org number, VAT number, other id or the exact name.")
    )

    class Meta:
        model = ExternalFollowUp
        fields = [
            "organisation",
            "followup_type",
            "clause_level",
            "performed_on",
            "reference",
            "note",
        ]
        widgets = {
            "performed_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "supplier_text",
        "organisation",
        "followup_type",
        "clause_level",
        "performed_on",
        "reference",
        "note",
    ]
