"""Forms of the reporting pages."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hallbar.reporting.figures import DEFINITIONS
from hallbar.reporting.models import Goal, Indicator, StrategyPeriod

# --- strategy goals (helper "goals") ---------------------------------------------------------


class PeriodForm(forms.ModelForm):
    class Meta:
        model = StrategyPeriod
        fields = [
            "name_sv",
            "name_en",
            "kind",
            "start_year",
            "end_year",
            "adopted_on",
            "adopted_by_sv",
            "adopted_by_en",
            "vision_sv",
            "vision_en",
        ]
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "vision_sv": forms.Textarea(attrs={"rows": 3}),
            "vision_en": forms.Textarea(attrs={"rows": 3}),
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "position",
            "title_sv",
            "title_en",
            "description_sv",
            "description_en",
            "area_sv",
            "area_en",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


def figure_choices() -> list[tuple[str, str]]:
    """Return the defined figures as (key, label), by label: people choose by the label."""
    return sorted(
        ((key, str(definition.label)) for key, definition in DEFINITIONS.items()),
        key=lambda choice: choice[1].casefold(),
    )


class IndicatorForm(forms.ModelForm):
    figure_key = forms.ChoiceField(
        label=capfirst(Indicator._meta.get_field("figure_key").verbose_name)
    )

    class Meta:
        model = Indicator
        fields = ["figure_key", "direction", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The choices are read on each form: other apps' figures may be added at any time.
        field = self.fields["figure_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *figure_choices()]


class TargetsForm(forms.Form):
    """One target field per year of the indicator's period; a blank field means no target."""

    def __init__(self, *args, indicator: Indicator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        current = {t.year: t.target_value for t in indicator.targets.all()}
        for year in indicator.goal.period.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)s") % {"year": year},
                required=False,
                max_digits=14,
                decimal_places=2,
                localize=True,
                initial=current.get(year),
            )

    def targets(self) -> dict:
        """Return {year: target or None} from the cleaned form."""
        return {
            year: self.cleaned_data.get(f"target_{year}")
            for year in self.indicator.goal.period.years
        }


# --- end of strategy goals -------------------------------------------------------------------
