"""Forms of the plan pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.followups.models import FollowUpType
from hallbar.organisations.models import Region
from hallbar.planning.models import ExternalFollowUp
from hallbar.planning.solver import DEFAULT_TIME_LIMIT_S, default_types
from hallbar.planning.solver.model import DEFAULT_CRITICAL_SHARE
from hallbar.suppliers.models import Supplier

AREAS = "ABCDEFGH"
# The strategy's least number of audits a year (the cooperation reported 13–16 new office audits
# and 2–5 factory audits a year in 2018 and 2020; background/domain-notes.md §1.7).
# Few suppliers may take a factory audit (an earlier office audit or a zero-tolerance signal is
# needed), so the default asks for one.
STRATEGY_MINIMUM_AUDITS = {"office_audit": 10, "factory_audit": 1}


class ProposeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    budget_sek = forms.IntegerField(label=_("Budget (SEK)"), min_value=0)
    mode = forms.ChoiceField(
        label=_("Solve"),
        # a callable, so that the labels are translated when the form is shown, not on import
        choices=lambda: [
            (
                "optimal",
                _("search for the best possible plan (up to %(s)s seconds)")
                % {"s": round(DEFAULT_TIME_LIMIT_S)},
            ),
            ("interactive", _("quickly (a good plan, with how far it may be from the best)")),
        ],
    )
    min_office_audit = forms.IntegerField(
        label=_("Least number of office audits (strategy)"),
        min_value=0,
        initial=STRATEGY_MINIMUM_AUDITS["office_audit"],
    )
    min_factory_audit = forms.IntegerField(
        label=_("Least number of factory audits (strategy)"),
        min_value=0,
        initial=STRATEGY_MINIMUM_AUDITS["factory_audit"],
    )
    critical_share = forms.DecimalField(
        label=_("Share of the budget for office audits of critical-risk suppliers (%)"),
        min_value=0,
        max_value=100,
        initial=round(DEFAULT_CRITICAL_SHARE * 100),
        help_text=_(
            "Critical-risk suppliers get an office audit, highest risk first, as long as these "
            "audits stay within this share of the budget."
        ),
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
            self.fields[f"detection_{kind.name}"] = forms.DecimalField(
                label=_("Share of a supplier's risk a %(type)s can find (%%)")
                % {"type": labels[kind.name]},
                min_value=0,
                max_value=100,
                initial=round(kind.detection * 100),
            )
            self.fields[f"remedy_{kind.name}"] = forms.DecimalField(
                label=_("Share of what a %(type)s finds that gets remedied (%%)")
                % {"type": labels[kind.name]},
                min_value=0,
                max_value=100,
                initial=round(kind.remedy * 100),
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
                "detection": float(self.cleaned_data[f"detection_{kind.name}"]) / 100,
                "remedy": float(self.cleaned_data[f"remedy_{kind.name}"]) / 100,
            }
            for kind in default_types()
        ]

    def minimum_audits(self) -> dict[str, int]:
        return {
            "office_audit": self.cleaned_data["min_office_audit"],
            "factory_audit": self.cleaned_data["min_factory_audit"],
        }

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
    """Add a follow-up: the supplier is one of the matches of a search by name or identifier."""

    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Search for the supplier and choose it among the matches.")},
    )
    supplier_q = forms.CharField(widget=forms.HiddenInput, required=False)
    field_order = ["supplier", "followup_type", "lead_region"]

    def __init__(self, *args, matches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if matches is not None:
            self.fields["supplier"].queryset = matches
        self.fields["supplier"].label_from_instance = _supplier_label


def _supplier_label(supplier: Supplier) -> str:
    identifier = supplier.org_number or supplier.vat_number or supplier.other_id
    return f"{supplier.name} ({identifier})" if identifier else supplier.name


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


class WaiverForm(forms.Form):
    supplier = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the supplier should not get the audit"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ApproveForm(forms.Form):
    """The steering group's approval; a plan over its budget needs its written decision."""

    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision_text = forms.CharField(
        label=_("The steering group's decision on the budget"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write the decision as it is minuted: that the plan may cost more, and why."),
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision_reference = forms.CharField(
        label=_("Reference of the decision (minutes, paragraph)"), required=False, max_length=200
    )

    def __init__(self, *args, over_budget: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.over_budget = over_budget
        if over_budget:
            self.fields["decision_text"].required = True
            self.fields["decision_date"].required = True
        else:
            for name in ("decision_text", "decision_date", "decision_reference"):
                del self.fields[name]

    def clean_decision_date(self):
        day = self.cleaned_data.get("decision_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
