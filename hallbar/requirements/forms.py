from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.requirements.models import (
    PROCESS_REQUIREMENT_COUNT,
    CodeOfConduct,
    ContractClause,
    Criterion,
    CriterionLevel,
    CriterionType,
    SustainabilityArea,
)
from hallbar.requirements.selectors import DEFAULT_SORT, DEFAULT_STATUS

AREA_CHOICES = [("", _("Choose an area")), *SustainabilityArea.choices]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


def _wide() -> forms.TextInput:
    return forms.TextInput(attrs={"size": 60})


class CodeForm(forms.ModelForm):
    class Meta:
        model = CodeOfConduct
        fields = ["title", "title_en", "introduction", "introduction_en"]
        widgets = {
            "title": _wide(),
            "title_en": _wide(),
            "introduction": _textarea(4),
            "introduction_en": _textarea(4),
        }


class CommitmentForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=AREA_CHOICES)
    text = forms.CharField(label=_("Commitment"), widget=_textarea(2))
    text_en = forms.CharField(label=_("Commitment in English"), required=False, widget=_textarea(2))


class InstrumentForm(forms.Form):
    reference = forms.CharField(label=_("Short name"), max_length=60)
    reference_en = forms.CharField(label=_("Short name in English"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, widget=_wide())
    title_en = forms.CharField(
        label=_("Title in English"), max_length=300, required=False, widget=_wide()
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("All areas")), *SustainabilityArea.choices],
        required=False,
    )


class ZeroToleranceForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("Stays the same across versions, e.g. child-labour."),
    )
    title = forms.CharField(label=_("Deviation"), max_length=200, widget=_wide())
    title_en = forms.CharField(
        label=_("Deviation in English"), max_length=200, required=False, widget=_wide()
    )
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(2))
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=_textarea(2)
    )
    area = forms.ChoiceField(label=_("Area"), choices=AREA_CHOICES)


class BaseUniqueKeyFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Each zero-tolerance deviation needs its own key."))


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, can_delete=True)
InstrumentFormSet = forms.formset_factory(InstrumentForm, extra=2, can_delete=True)
ZeroToleranceFormSet = forms.formset_factory(
    ZeroToleranceForm, formset=BaseUniqueKeyFormSet, extra=2, can_delete=True
)


def kept_rows(formset: forms.BaseFormSet) -> list[dict]:
    """Return the cleaned rows of a valid formset, without the empty and deleted ones."""
    rows = []
    for form in formset.forms:
        data = dict(form.cleaned_data)
        if not data or data.pop("DELETE", False):
            continue
        rows.append(data)
    return rows


class ClauseForm(forms.ModelForm):
    class Meta:
        model = ContractClause
        fields = [
            "version",
            "title",
            "title_en",
            "introduction",
            "introduction_en",
            "reporting_days",
            "reporting_text",
            "reporting_text_en",
            "follow_up_text",
            "follow_up_text_en",
            "vite_per_week_sek",
            "vite_cap_weeks",
            "sanctions_text",
            "sanctions_text_en",
            "termination_text",
            "termination_text_en",
            "immediate_termination_text",
            "immediate_termination_text_en",
        ]
        help_texts = {"version": _("The year of the version, e.g. 2024.")}
        widgets = {
            "title": _wide(),
            "title_en": _wide(),
            **{
                field + suffix: _textarea()
                for field in [
                    "introduction",
                    "reporting_text",
                    "follow_up_text",
                    "sanctions_text",
                    "termination_text",
                    "immediate_termination_text",
                ]
                for suffix in ("", "_en")
            },
        }


class ProcessRequirementForm(forms.Form):
    number = forms.IntegerField(
        min_value=1, max_value=PROCESS_REQUIREMENT_COUNT, widget=forms.HiddenInput
    )
    title = forms.CharField(label=_("Title"), max_length=200, widget=_wide())
    title_en = forms.CharField(
        label=_("Title in English"), max_length=200, required=False, widget=_wide()
    )
    basic_text = forms.CharField(label=_("Text at the basic level"), widget=_textarea())
    basic_text_en = forms.CharField(
        label=_("Text at the basic level in English"), required=False, widget=_textarea()
    )
    advanced_text = forms.CharField(label=_("Text at the advanced level"), widget=_textarea())
    advanced_text_en = forms.CharField(
        label=_("Text at the advanced level in English"), required=False, widget=_textarea()
    )


ProcessRequirementFormSet = forms.formset_factory(
    ProcessRequirementForm,
    extra=0,
    min_num=PROCESS_REQUIREMENT_COUNT,
    max_num=PROCESS_REQUIREMENT_COUNT,
    validate_min=True,
    validate_max=True,
)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "identifier",
            "title",
            "level",
            "criterion_type",
            "area",
            "requirement_text",
            "rationale",
            "verification",
            "categories",
        ]
        widgets = {
            "title": _wide(),
            "requirement_text": _textarea(4),
            "rationale": _textarea(),
            "verification": _textarea(),
            "categories": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "identifier": _("Capital letters and digits joined by hyphens, e.g. HU-TEX-01."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("name_sv")
        if self.instance.pk:
            # The identifier names the item: its versions share it.
            self.fields["identifier"].disabled = True

    def clean_identifier(self) -> str:
        identifier = self.cleaned_data["identifier"].strip().upper()
        if not self.instance.pk and Criterion.objects.filter(identifier=identifier).exists():
            raise forms.ValidationError(_("A criterion with this identifier already exists."))
        return identifier


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        help_text=_(
            "A short note for the change log, e.g. “PR6 now requires a grievance "
            "mechanism open to workers at the supplier's suppliers.”"
        ),
        widget=_textarea(2),
    )
    note_en = forms.CharField(
        label=_("What changed, in English"),
        max_length=300,
        required=False,
        help_text=_("For the English pages; without it they say that there is no English text."),
        widget=_textarea(2),
    )


STATUS_CHOICES = [
    ("current", _("Published and drafts")),
    ("published", _("Published")),
    ("draft", _("Drafts")),
    ("superseded", _("Superseded")),
    ("all", _("All versions")),
]
SORT_CHOICES = [
    ("identifier", _("Identifier")),
    ("title", _("Title")),
    ("level", _("Level")),
    ("type", _("Type")),
    ("area", _("Area")),
    ("-updated", _("Recently changed")),
]
# The column headers sort either way, so each order is also offered reversed.
SORT_VALUES = [
    *SORT_CHOICES,
    *((f"-{v}", format_lazy("{} ({})", label, _("descending"))) for v, label in SORT_CHOICES[:-1]),
]


class CriterionFilterForm(forms.Form):
    """The criteria list's search, filters and sort (a GET form: bad values are dropped)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *CriterionLevel.choices]
    )
    criterion_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *CriterionType.choices]
    )
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[("", _("All areas")), *SustainabilityArea.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.order_by("name_sv"),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_VALUES)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> dict:
        """Return the valid filters (each invalid one is dropped, not an error page)."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name)
        }
        category = data.pop("category", None)
        return {
            **data,
            "category": category.slug if category else "",
            "status": data.get("status") or DEFAULT_STATUS,
            "sort": data.get("sort") or DEFAULT_SORT,
        }
