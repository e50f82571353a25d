"""The form that makes a personal API token."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.api.models import ApiToken
from hallbar.api.tokens import expiry_errors, latest_expiry

DEFAULT_LIFETIME = timedelta(days=90)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the contract system of Region Stockholm."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read token may only read; a read and write token may also change data."),
    )
    expires_on = forms.DateField(
        label=_("Valid through"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day the token works; at most a year from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + DEFAULT_LIFETIME
        self.fields["expires_on"].widget.attrs.update(
            {"min": today.isoformat(), "max": latest_expiry(today).isoformat()}
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(_("Enter a name."))
        return name

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        errors = expiry_errors(expires_on)
        if errors:
            raise forms.ValidationError(errors)
        return expires_on
