from django import forms
from django.utils.translation import gettext_lazy as _

from hallbar.organisations.models import Role
from hallbar.training.models import Audience, Lesson, Module, Question, TrainingArea


class LanguageOfFields:
    """Mark each field written in one language (``*_sv``, ``*_en``) with that language, so a
    browser, a screen reader and a spelling checker treat its text as such (WCAG 3.1.2)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # a Form comes next in the MRO
        for name, field in self.fields.items():
            for suffix in ("_sv", "_en"):
                if name.endswith(suffix):
                    field.widget.attrs["lang"] = suffix[1:]


class ModuleForm(LanguageOfFields, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Written for"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas the module deepens"),
        choices=TrainingArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Contacts of contracts in prioritised categories whose risk analysis classes one of "
            "these areas as high are assigned the module automatically."
        ),
    )

    class Meta:
        model = Module
        fields = [
            "key",
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "audiences",
            "areas",
            "pass_mark",
            "questions_per_attempt",
            "retake_wait_minutes",
            "order",
        ]


class LessonForm(LanguageOfFields, forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["position", "title_sv", "title_en", "body_sv", "body_en"]
        widgets = {
            "body_sv": forms.Textarea(attrs={"rows": 12}),
            "body_en": forms.Textarea(attrs={"rows": 12}),
        }


class QuestionForm(LanguageOfFields, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text_sv = forms.CharField(
        label=_("Question (Swedish)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One option a line: the Swedish text, a vertical bar, the English text. Start the "
            "line with * for a right answer."
        ),
    )

    def clean_options(self) -> list[tuple[str, str, bool]]:
        rows = []
        for line in self.cleaned_data["options"].splitlines():
            line = line.strip()
            if not line:
                continue
            right = line.startswith("*")
            sv, bar, en = line.lstrip("*").partition("|")
            if not bar or not sv.strip() or not en.strip():
                raise forms.ValidationError(_("Write each option as: Swedish text | English text."))
            rows.append((sv.strip(), en.strip(), right))
        return rows


def options_text(question: Question) -> str:
    """Return question's options as the form writes them: "* sv | en", * for a right one."""
    return "\n".join(
        f"{'* ' if o.is_correct else ''}{o.text_sv} | {o.text_en}" for o in question.options.all()
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image (PNG or JPEG, at most 2 MB)"))


class PublishForm(forms.Form):
    change_note = forms.CharField(label=_("What changed"), max_length=300)


class RoleAssignmentForm(forms.Form):
    module_key = forms.ChoiceField(label=_("Module"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (r.value, r.label)
            for r in (
                Role.BUYER,
                Role.REGION_CONTACT,
                Role.AREA_COORDINATOR,
                Role.AUDITOR,
                Role.SUPPLIER_CONTACT,
            )
        ],
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module_key"].choices = [(m.key, m.title) for m in modules]
