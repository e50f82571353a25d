"""Forms of the follow-up pages. They validate input; the services apply the process's rules."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from hallbar.contracts.models import Contract
from hallbar.core.bilingual import translated
from hallbar.followups import files
from hallbar.followups.models import Audit, Deviation, FollowUpType, Sanction
from hallbar.organisations.models import Organisation, ProcurementArea, Region, Role, User
from hallbar.requirements.models import ProcessRequirement, SustainabilityArea, ZeroToleranceItem
from hallbar.suppliers.models import ProductionSite

DATE = forms.DateInput(attrs={"type": "date"})


class FileInput(forms.ClearableFileInput):
    def __init__(self, attrs=None):
        super().__init__({"accept": files.ACCEPT, **(attrs or {})})


class OpenFollowUpForm(forms.Form):
    suppliers = forms.CharField(
        label=_("Suppliers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: org number, VAT number, other id or the exact name."),
    )
    followup_type = forms.ChoiceField(label=_("Type"), choices=FollowUpType.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    lead_region = forms.ModelChoiceField(
        label=_("Lead region"),
        queryset=Region.objects.select_related("organisation").order_by("county_code"),
    )
    lead_area = forms.ModelChoiceField(
        label=_("Lead area"),
        queryset=ProcurementArea.objects.order_by("code"),
        required=False,
        help_text=_("Empty: the area that owns the supplier's main category."),
    )
    cost_sek = forms.IntegerField(label=_("Cost (SEK)"), min_value=0, initial=0)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if not user.is_secretariat:
            own = user.region_ids(Role.REGION_CONTACT, Role.AREA_COORDINATOR)
            lead_region = cast(forms.ModelChoiceField, self.fields["lead_region"])
            lead_region.queryset = Region.objects.select_related("organisation").filter(pk__in=own)


class SendForm(forms.Form):
    due_date = forms.DateField(label=_("Answer due"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=30)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeviationForm(forms.Form):
    requirement = forms.ModelChoiceField(
        label=_("Process requirement"), queryset=ProcessRequirement.objects.none(), required=False
    )
    commitment = forms.CharField(
        label=_("Or the Code of Conduct commitment breached"), max_length=300, required=False
    )
    area = forms.ChoiceField(label=_("Area"), choices=SustainabilityArea.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Deviation.Severity.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label=_("Found through"), choices=Deviation.Source.choices)
    # the querysets of the case are set in __init__
    site: forms.ModelChoiceField[ProductionSite] = forms.ModelChoiceField(
        label=_("Site"), queryset=None, required=False
    )
    audit: forms.ModelChoiceField[Audit] = forms.ModelChoiceField(
        label=_("Audit"), queryset=None, required=False
    )
    found_on = forms.DateField(label=_("Found on"), widget=DATE)
    zero_tolerance = forms.BooleanField(label=_("Zero-tolerance deviation"), required=False)
    confidential = forms.BooleanField(
        label=_("Confidential (only the lead, the secretariat and the auditor)"), required=False
    )
    supplier_description = forms.CharField(
        label=_("Description for the supplier"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Needed for a confidential deviation or one found through a grievance: the supplier "
            "reads this instead of the description. Say what must be remedied; do not quote the "
            "source or name who reported it."
        ),
    )

    def __init__(self, *args, followup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = followup.clause.process_requirements.order_by(
            "number"
        )
        self.fields["site"].queryset = followup.supplier.sites.order_by("tier", "name")
        self.fields["audit"].queryset = followup.audits.all()
        self.fields["found_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("requirement") and not (data.get("commitment") or "").strip():
            raise forms.ValidationError(
                _("Name the process requirement or the commitment that was breached.")
            )
        return data


class SupplierDescriptionForm(forms.Form):
    text = forms.CharField(
        label=_("Description for the supplier"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The supplier reads this instead of the deviation's description. Say what must be "
            "remedied; do not quote the source or name who reported it."
        ),
    )


class OrderAuditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Audit"), choices=Audit.Kind.choices)
    firm = forms.ModelChoiceField(
        label=_("Audit firm"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AUDIT_FIRM).order_by("name"),
    )
    auditor = forms.ModelChoiceField(
        label=_("Auditor"),
        queryset=User.objects.filter(
            memberships__role=Role.AUDITOR, memberships__is_active=True
        ).distinct(),
        required=False,
    )
    sites: forms.ModelMultipleChoiceField[ProductionSite] = forms.ModelMultipleChoiceField(
        label=_("Sites in scope"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE, required=False)
    cost_sek = forms.IntegerField(label=_("Cost (SEK)"), min_value=0, initial=0)
    critical = forms.BooleanField(
        label=_("Critical risk (office audit without a self-assessment first)"), required=False
    )
    zero_tolerance_signal = forms.BooleanField(
        label=_("Zero-tolerance signal (factory audit without an office audit first)"),
        required=False,
    )

    def __init__(self, *args, followup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = followup.supplier.sites.order_by("tier", "name")


class AuditWorkForm(forms.ModelForm):
    report_file = forms.FileField(
        label=_("Report file (PDF, DOCX)"), required=False, widget=FileInput
    )

    class Meta:
        model = Audit
        fields = ["performed_date", "documents_reviewed", "interviews", "report"]
        widgets = {
            "performed_date": DATE,
            "documents_reviewed": forms.Textarea(attrs={"rows": 4}),
            "interviews": forms.Textarea(attrs={"rows": 4}),
            "report": forms.Textarea(attrs={"rows": 6}),
        }


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=Sanction.Kind.choices)
    # the querysets of the case are set in __init__
    deviation: forms.ModelChoiceField[Deviation] = forms.ModelChoiceField(
        label=_("Deviation"), queryset=None, required=False
    )
    contract: forms.ModelChoiceField[Contract] = forms.ModelChoiceField(
        label=_("Contract"), queryset=None, required=False
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    note = forms.CharField(
        label=_("Decision and note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, followup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deviation"].queryset = followup.deviations.all()
        self.fields["contract"].queryset = followup.supplier.contracts.filter(status="active")
        self.fields["decided_on"].initial = timezone.localdate()


class ReportForm(forms.Form):
    """A supplier's zero-tolerance report (the clause's reporting duty)."""

    zero_tolerance_item = forms.ModelChoiceField(
        label=_("Zero-tolerance deviation"), queryset=ZeroToleranceItem.objects.none()
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    known_on = forms.DateField(label=_("When did the company learn of it?"), widget=DATE)
    description = forms.CharField(
        label=_("What happened, where, and what has been done"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, widget=FileInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from hallbar.requirements.selectors import published_code

        code = published_code()
        self.fields["zero_tolerance_item"].queryset = (
            code.zero_tolerance_items.all() if code else ZeroToleranceItem.objects.none()
        )
        # the items by their titles in the reader's language (the supplier abroad reads English)
        self.fields["zero_tolerance_item"].label_from_instance = lambda item: str(
            translated(item, "title")
        )


class GrievanceForm(forms.Form):
    """A grievance received under PR6, registered by the cooperation."""

    supplier = forms.CharField(
        label=_("Supplier"), help_text=_("Org number, VAT number, other id or the exact name.")
    )
    area = forms.ChoiceField(label=_("Area"), choices=SustainabilityArea.choices)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    channel = forms.CharField(label=_("Received through"), max_length=200)
    known_on = forms.DateField(label=_("Received on"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("case", _("Record as a deviation in a case")), ("dismiss", _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    lead_region = forms.ModelChoiceField(
        label=_("Lead region of a new case"),
        queryset=Region.objects.select_related("organisation").order_by("county_code"),
        required=False,
        help_text=_("Used only when the supplier has no open case."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    supplier_description = forms.CharField(
        label=_("Description for the supplier"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "A grievance is never shown to the supplier. Write what the supplier must remedy; "
            "the lead region can also write it later."
        ),
    )


def _without_grouping(value):
    """Accept numbers as people write them: 8 400,50 in Swedish, 42,000.00 in English."""
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0\u202f]", "", value)
        if get_format("DECIMAL_SEPARATOR") == ".":
            value = value.replace(",", "")
    return value


class WholeNumberField(forms.IntegerField):
    def to_python(self, value):
        return super().to_python(_without_grouping(value))


class KronorField(forms.DecimalField):
    def to_python(self, value):
        return super().to_python(_without_grouping(value))


class SupplierRemedyForm(forms.Form):
    """Remedy delivered, as the supplier reports it (the service checks the values)."""

    description = forms.CharField(
        label=_("What was done for the people affected"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "For example: recruitment fees repaid, wages paid back, medical care, reinstatement."
        ),
    )
    people_reached = WholeNumberField(
        label=_("People reached"),
        initial=0,
        required=False,
        help_text=_("How many workers or other people received the remedy."),
    )
    amount_repaid_sek = KronorField(
        label=_("Amount repaid (SEK)"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("0 when nothing was repaid."),
    )
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE, required=False)


class RemedyForm(SupplierRemedyForm):
    """Remedy delivered, as the lead records it: verified, so it says how and by whom."""

    verification = forms.CharField(
        label=_("How the remedy was verified, and by whom"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "For example: payment records checked and twelve workers interviewed by the audit "
            "firm. Remedy recorded here counts as verified."
        ),
    )


class VerifyRemedyForm(forms.Form):
    verification = forms.CharField(
        label=_("How the remedy was verified, and by whom"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RejectRemedyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not verified (the supplier reads this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
