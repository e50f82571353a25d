import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hallbar.categories.models import Category
from hallbar.organisations.forms import ImportForm
from hallbar.risk.method.reference import load_ilab
from hallbar.risk.method.scoring import AREAS, INDICATOR_NAMES, MethodParameters
from hallbar.risk.models.analysis import Area
from hallbar.risk.services import RATIONALE_REQUIRED

SCORE_CHOICES = [
    ("", _("Choose 1–5")),
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – moderate")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]
INDICATOR_LABELS = {
    "va": _("WGI voice and accountability"),
    "pv": _("WGI political stability"),
    "ge": _("WGI government effectiveness"),
    "rq": _("WGI regulatory quality"),
    "rl": _("WGI rule of law"),
    "cc": _("WGI control of corruption"),
    "cpi": _("CPI score"),
}

_COUNTRY_LINE = re.compile(r"^([A-Za-z]{2}|\?)\s*[:=]?\s*(?:(\d+(?:[.,]\d+)?)\s*%?)?$")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


def countries_text(countries: list[dict]) -> str:
    """Return production countries as the form writes them: one "MY 60" line each (percent)."""
    return "\n".join(f"{row['country'] or '?'} {row['weight'] * 100:.4g}" for row in countries)


class AnalysisForm(forms.Form):
    """The category, product, production countries and ILAB goods of an analysis."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("name_sv"),
        to_field_name="slug",
        empty_label=_("Choose a category"),
    )
    product = forms.CharField(
        label=_("Product"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text=_(
            "A product within the category, e.g. examination gloves. Leave empty to analyse the whole category."
        ),
    )
    countries = forms.CharField(
        label=_("Production countries and shares of spend"),
        required=False,
        widget=_textarea(5),
        help_text=_(
            "One country per line: its two-letter code and its share of spend in percent, e.g. “MY 60”. Use ? for an unknown country. Leave empty to take the countries of the category's active contracts, weighted by annual value."
        ),
    )
    ilab_goods = forms.CharField(
        label=_("ILAB goods (optional)"),
        required=False,
        widget=_textarea(2),
        help_text=_(
            "The goods of the ILAB list this product is, one per line, e.g. Rubber Gloves. Leave empty to match the product's words to the list."
        ),
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The category and product name the analysis: a new version keeps them.
            del self.fields["category"]
            del self.fields["product"]

    def clean_countries(self) -> list[tuple[str, Decimal]] | None:
        text = self.cleaned_data["countries"].strip()
        if not text:
            return None
        pairs = []
        for number, line in enumerate(re.split(r"[\n;]+", text), start=1):
            line = line.strip()
            if not line:
                continue
            match = _COUNTRY_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s (“%(line)s”): write a two-letter country code and a share, e.g. “MY 60”."
                    ),
                    params={"number": number, "line": line},
                )
            code = "" if match[1] == "?" else match[1].upper()
            share = Decimal(match[2].replace(",", ".")) if match[2] else Decimal(1)
            pairs.append((code, share))
        return pairs

    def clean_ilab_goods(self) -> list[str] | None:
        lines = [" ".join(line.split()) for line in self.cleaned_data["ilab_goods"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return None
        known = {good.casefold(): good for good in load_ilab().goods()}
        unknown = [line for line in lines if line.casefold() not in known]
        if unknown:
            raise forms.ValidationError(
                _("Not on the ILAB list: %(goods)s. Write the goods as the list names them."),
                params={"goods": ", ".join(unknown)},
            )
        return [known[line.casefold()] for line in lines]


class JudgementForm(forms.Form):
    """The secretariat's judgements of one area (used with the area as prefix)."""

    inherent = forms.TypedChoiceField(
        label=_("Inherent risk"),
        choices=SCORE_CHOICES,
        coerce=int,
        help_text=_("How exposed this kind of production is, regardless of country."),
    )
    scale = forms.TypedChoiceField(
        label=_("Scale (how grave the harm is)"), choices=SCORE_CHOICES, coerce=int
    )
    scope = forms.TypedChoiceField(
        label=_("Scope (how many are affected)"), choices=SCORE_CHOICES, coerce=int
    )
    irremediability = forms.TypedChoiceField(
        label=_("Irremediability (how hard it is to put right)"), choices=SCORE_CHOICES, coerce=int
    )


def judgement_forms(
    data: Any = None, judgements: dict[str, Any] | None = None
) -> list[tuple[str, StrOrPromise, JudgementForm]]:
    """Return (area, label, form) for the four areas, prefixed by the area code."""
    judgements = judgements or {}
    return [
        (area, label, JudgementForm(data, prefix=area, initial=judgements.get(area) or {}))
        for area, label in Area.choices
    ]


class AdjustmentForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=[("", _("Choose an area")), *Area.choices])
    country = forms.ChoiceField(label=_("Applies to"), required=False)
    likelihood = forms.DecimalField(
        label=_("Likelihood (1–5)"),
        min_value=1,
        max_value=5,
        max_digits=3,
        decimal_places=2,
        help_text=_("The likelihood you judge right, replacing the computed one."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=_textarea(4),
        error_messages={"required": RATIONALE_REQUIRED},
        help_text=_("Required: why the likelihood differs, and on what evidence."),
    )

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [
            ("", _("The whole category (the spend-weighted mean)")),
            *countries,
        ]


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("A short note for the version history, e.g. “New production countries”."),
    )


class MethodSettingsForm(forms.Form):
    """The parameters of the method the secretariat may change, and why."""

    alpha = forms.DecimalField(
        label=_("α: weight of the country risk against the inherent risk"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    no_data_country_risk = forms.DecimalField(
        label=_("Country risk used when a country has no data (0–1)"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    forced_wr = forms.DecimalField(
        label=_("ILAB forced labour: uplift for workers' rights"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    forced_hr = forms.DecimalField(
        label=_("ILAB forced labour: uplift for human rights"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    child_wr = forms.DecimalField(
        label=_("ILAB child labour: uplift for workers' rights"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    child_hr = forms.DecimalField(
        label=_("ILAB child labour: uplift for human rights"),
        min_value=0,
        max_value=1,
        decimal_places=3,
    )
    high_threshold = forms.DecimalField(
        label=_("Class high from risk R ≥"), min_value=1, max_value=25, decimal_places=2
    )
    medium_threshold = forms.DecimalField(
        label=_("Class medium from risk R ≥"), min_value=1, max_value=25, decimal_places=2
    )
    leverage_full_spend_share = forms.DecimalField(
        label=_("Leverage: national spend share that counts fully"),
        min_value=Decimal("0.001"),
        max_value=1,
        decimal_places=3,
    )
    leverage_weight_spend = forms.DecimalField(
        label=_("Leverage weight: spend share"), min_value=0, max_value=1, decimal_places=3
    )
    leverage_weight_regions = forms.DecimalField(
        label=_("Leverage weight: buying regions"), min_value=0, max_value=1, decimal_places=3
    )
    leverage_weight_clause = forms.DecimalField(
        label=_("Leverage weight: contract clause"), min_value=0, max_value=1, decimal_places=3
    )
    note = forms.CharField(
        label=_("Why the parameters change"),
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
    )

    SCALARS = (
        "alpha",
        "no_data_country_risk",
        "high_threshold",
        "medium_threshold",
        "leverage_full_spend_share",
        "leverage_weight_spend",
        "leverage_weight_regions",
        "leverage_weight_clause",
    )

    def __init__(self, *args, params: MethodParameters, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.base_params = params
        for area in AREAS:
            current = dict(params.area_indicators[area])
            for code in INDICATOR_NAMES:
                name = weight_field(area, code)
                self.fields[name] = forms.DecimalField(
                    label=f"{Area(area).label}: {INDICATOR_LABELS[code]}",
                    min_value=0,
                    max_value=1,
                    decimal_places=3,
                    required=False,
                    widget=forms.NumberInput(attrs={"style": "min-width:4rem;width:6rem"}),
                )
                self.initial.setdefault(name, _decimal(current.get(code, 0)))
        for name in self.SCALARS:
            self.initial.setdefault(name, _decimal(getattr(params, name)))
        for kind, mapping in (("forced", "forced_labour_uplift"), ("child", "child_labour_uplift")):
            for area in ("wr", "hr"):
                self.initial.setdefault(
                    f"{kind}_{area}", _decimal(getattr(params, mapping).get(area, 0))
                )

    def weight_rows(self) -> list[tuple[StrOrPromise, list[Any]]]:
        """Return (area label, [bound field per indicator]) for the weights table."""
        return [
            (Area(area).label, [self[weight_field(area, code)] for code in INDICATOR_NAMES])
            for area in AREAS
        ]

    def indicator_labels(self) -> list[StrOrPromise]:
        return [INDICATOR_LABELS[code] for code in INDICATOR_NAMES]

    def scalar_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith("weight_")]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        indicators = {}
        for area in AREAS:
            pairs = tuple(
                (code, float(data.get(weight_field(area, code)) or 0))
                for code in INDICATOR_NAMES
                if data.get(weight_field(area, code))
            )
            if not pairs:
                raise forms.ValidationError(
                    _("%(area)s needs at least one indicator with a weight above 0."),
                    params={"area": Area(area).label},
                )
            indicators[area] = pairs
        weights = sum(
            data[name]
            for name in (
                "leverage_weight_spend",
                "leverage_weight_regions",
                "leverage_weight_clause",
            )
        )
        if weights != 1:
            raise forms.ValidationError(_("The three leverage weights must sum to 1."))
        if data["medium_threshold"] > data["high_threshold"]:
            raise forms.ValidationError(
                _("The threshold of class medium cannot be above that of class high.")
            )
        scalars: dict[str, Any] = {name: float(data[name]) for name in self.SCALARS}
        try:
            data["parameters"] = MethodParameters(
                area_indicators=indicators,
                forced_labour_uplift={
                    "wr": float(data["forced_wr"]),
                    "hr": float(data["forced_hr"]),
                },
                child_labour_uplift={"wr": float(data["child_wr"]), "hr": float(data["child_hr"])},
                total_regions=self.base_params.total_regions,
                clause_value_avancerad=self.base_params.clause_value_avancerad,
                clause_value_bas=self.base_params.clause_value_bas,
                prioritisation_base=self.base_params.prioritisation_base,
                prioritisation_per_leverage=self.base_params.prioritisation_per_leverage,
                **scalars,
            )
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data


def weight_field(area: str, code: str) -> str:
    return f"weight_{area}_{code}"


def _decimal(value: float) -> str:
    return f"{round(float(value), 3):g}"


class SpendImportForm(ImportForm):
    """The spend upload: the file, its region and the one year it covers."""

    year = forms.IntegerField(
        label=_("Year the file covers"),
        min_value=1900,
        max_value=2999,
        help_text=_(
            "The import replaces this year's invoice lines of the region. A line dated in another year is an error."
        ),
    )
    field_order = ["file", "region", "year", "valid_only", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label = _("Region")
        self.fields["file"].help_text = _(
            "CSV or Excel (.xlsx) in the template's columns. At most 50 MB."
        )
        self.fields["year"].initial = timezone.localdate().year
        self.order_fields(self.field_order)
