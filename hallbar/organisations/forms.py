"""The upload form of an import: the file, the lead region when the import has one, and the mode.

It lives here, not in core, because it offers the regions; every app's import page uses it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hallbar.core.imports import MAX_UPLOAD_BYTES
from hallbar.core.models import AuditEvent, ImportJob
from hallbar.organisations.models import Language, Region


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or Excel (.xlsx) in the template's columns, or an OCDS release package (.json). At most 50 MB."
        ),
    )
    region = forms.ModelChoiceField(label=_("Lead region"), queryset=Region.objects.none())
    valid_only = forms.BooleanField(
        label=_("If some rows are bad, import the valid rows anyway"),
        required=False,
        help_text=_("Otherwise nothing is imported until every row is valid."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def __init__(self, *args, editable_regions=None, with_region=True, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.select_related("organisation").order_by("county_code")
        if editable_regions is not None:
            regions = regions.filter(pk__in=editable_regions)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: r.name
        if not with_region:
            del self.fields["region"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return uploaded

    @property
    def mode(self) -> str:
        return (
            ImportJob.Mode.VALID_ONLY
            if self.cleaned_data.get("valid_only")
            else ImportJob.Mode.ALL_OR_NOTHING
        )


class LanguageForm(forms.Form):
    """A person's preferred language (pages and mails)."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Not chosen: the page follows the browser, mails are in Swedish"))]
        + list(Language.choices),
        required=False,
        help_text=_("The language of the pages and of the e-mails hallbar sends."),
    )


class SettingsForm(LanguageForm):
    """A person's own settings: the preferred language and the monthly digest."""

    monthly_digest = forms.BooleanField(
        label=_("Send me the monthly digest"),
        required=False,
        help_text=_(
            "Once a month: new published results, deviations and closures for the suppliers your "
            "region buys from, and your region's figures beside the national ones."
        ),
    )


class CodeForm(forms.Form):
    """The code that confirms a login: from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The six digits your authenticator app shows for hallbar now, or one of your "
            "recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class EnrolForm(forms.Form):
    """The first code from a newly added authenticator app, which confirms it."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("Six digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RegenerateCodesForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, replace my recovery codes: the ones I have stop working"), required=True
    )


class ResetSecondFactorForm(forms.Form):
    """The secretariat's confirmation of a reset of a person's second factor."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the person's history: for example that they lost their phone and how you "
            "made sure it was them."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I have made sure that the person asking is the person themselves"),
        required=True,
    )


class AuditLogFilterForm(forms.Form):
    """The audit log page's filters; every field optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    actor = forms.CharField(label=_("By"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    object = forms.CharField(label=_("Object"), required=False, max_length=200)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *AuditEvent.Kind.choices]
