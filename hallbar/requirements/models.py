"""The shared requirement library: the Code of Conduct, the contract clause and the criteria.

Every library item is a series of versions that moves draft → published → superseded. Only a draft
may be edited; publishing a draft supersedes the item's published version; a new version starts as
a copy of the published one. The services enforce the moves, the constraints below the end states.
"""

from decimal import Decimal
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hallbar.core.bilingual import plain, translated
from hallbar.core.models import PublicModel

DAYS_PER_WEEK = 7
PROCESS_REQUIREMENT_COUNT = 7


class SustainabilityArea(models.TextChoices):
    """The four areas of the Code of Conduct; criteria, risks and deviations use them too."""

    HUMAN_RIGHTS = "human_rights", _("human rights")
    WORKERS_RIGHTS = "workers_rights", _("workers' rights")
    ENVIRONMENT = "environment", _("environment including climate")
    BUSINESS_ETHICS = "business_ethics", _("business ethics and anti-corruption")


class ClauseLevel(models.TextChoices):
    BASIC = "basic", _("basic")
    ADVANCED = "advanced", _("advanced")


class CriterionLevel(models.TextChoices):
    BASIC = "basic", _("basic")
    ADVANCED = "advanced", _("advanced")
    SPEARHEAD = "spearhead", _("spearhead")


# Higher is more demanding: the reuse rule compares clause levels with it.
LEVEL_RANK = {"basic": 1, "advanced": 2, "spearhead": 3}


class CriterionType(models.TextChoices):
    QUALIFICATION = "qualification", _("qualification requirement")
    TECHNICAL_SPECIFICATION = "technical_specification", _("technical specification")
    AWARD_CRITERION = "award_criterion", _("award criterion")
    CONTRACT_CONDITION = "contract_condition", _("special contract condition")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class LibraryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def released(self):
        """Return the versions that have been published (in force now or earlier)."""
        return self.exclude(status=Status.DRAFT)


class LibraryVersion(PublicModel):
    """One version of a library item, with its place in the lifecycle."""

    based_on_id: int | None  # the column of `based_on` below, which the type checker misses

    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    change_note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("A short note for the change log, required when publishing."),
    )
    change_note_en = models.CharField(_("what changed, in English"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LibraryQuerySet.as_manager()

    # The fields that name the item whose versions these are (none: the library has one such item).
    ITEM_FIELDS: ClassVar[tuple[str, ...]] = ()
    # The fields a new version copies from the published one.
    COPY_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_at__isnull=False) & ~Q(change_note="")),
                name="%(app_label)s_%(class)s_published_has_date_and_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_at__isnull=False),
                name="%(app_label)s_%(class)s_superseded_has_date",
            ),
        ]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def version_label(self) -> str:
        return str(self.version)

    def item_key(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in self.ITEM_FIELDS}

    def versions_of_item(self) -> LibraryQuerySet:
        """Return every version of the same item, newest first."""
        return type(self).objects.filter(**self.item_key()).order_by("-version")

    def copy_children_to(self, draft: Self) -> None:
        """Copy the rows that belong to this version (and the relations) to draft."""

    def document_lines(self) -> list[str]:
        """Return the version as plain lines of text, the unit the version diff compares."""
        raise NotImplementedError

    def swedish_only_lines(self) -> set[str]:
        """Return the lines of document_lines() written only in Swedish (none by default: the
        code and the clause have texts in both languages)."""
        return set()


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text(obj: object, field: str) -> str:
    """Return obj's field in the reader's language for a comparison: a text not written in that
    language yet reads as missing (bilingual.Missing), never as the other language's text."""
    return plain(translated(obj, field))


def _paragraphs_of(obj: object, field: str) -> list[str]:
    return _paragraphs(_text(obj, field))


class CodeOfConduct(LibraryVersion):
    """A version of the regions' common Code of Conduct for suppliers (uppförandekod)."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)

    COPY_FIELDS = ("title", "title_en", "introduction", "introduction_en")

    class Meta(LibraryVersion.Meta):
        constraints = [
            *LibraryVersion.Meta.constraints,
            models.UniqueConstraint(fields=["version"], name="requirements_codeofconduct_version"),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="requirements_codeofconduct_one_published",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="draft"),
                name="requirements_codeofconduct_one_draft",
            ),
        ]
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")

    def __str__(self) -> str:
        return gettext("%(title)s, version %(version)s") % {
            "title": self.title,
            "version": self.version,
        }

    def commitments_by_area(self) -> list[tuple[StrOrPromise, list["CodeCommitment"]]]:
        """Return (area label, commitments) for the four areas in the code's order."""
        commitments = list(self.commitments.all())
        return [
            (area.label, [c for c in commitments if c.area == area.value])
            for area in SustainabilityArea
        ]

    def copy_children_to(self, draft: Self) -> None:
        for row in self.commitments.all():
            CodeCommitment.objects.create(
                code=draft, area=row.area, position=row.position, text=row.text, text_en=row.text_en
            )
        for instrument in self.instruments.all():
            CodeInstrument.objects.create(
                code=draft,
                position=instrument.position,
                reference=instrument.reference,
                reference_en=instrument.reference_en,
                title=instrument.title,
                title_en=instrument.title_en,
                area=instrument.area,
            )
        for item in self.zero_tolerance_items.all():
            ZeroToleranceItem.objects.create(
                code=draft,
                position=item.position,
                key=item.key,
                title=item.title,
                title_en=item.title_en,
                description=item.description,
                description_en=item.description_en,
                area=item.area,
            )

    def document_lines(self) -> list[str]:
        """The lines in the reader's language (a text not written in it yet marked missing)."""
        lines = [_text(self, "title"), *_paragraphs_of(self, "introduction")]
        for label, commitments in self.commitments_by_area():
            lines.append(str(label).capitalize())
            lines += [f"• {_text(c, 'text')}" for c in commitments]
        lines.append(gettext("Instruments cited"))
        lines += [f"• {_text(i, 'reference')}: {_text(i, 'title')}" for i in self.instruments.all()]
        lines.append(gettext("Zero-tolerance deviations"))
        for z in self.zero_tolerance_items.all():
            description = _text(z, "description")
            title = _text(z, "title")
            lines.append(f"• {title}: {description}" if description else f"• {title}")
        return lines


class CodeCommitment(models.Model):
    """A commitment the supplier makes in one area of the code."""

    code = models.ForeignKey(
        CodeOfConduct, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("code")
    )
    area = models.CharField(_("area"), max_length=30, choices=SustainabilityArea.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("commitment"))
    text_en = models.TextField(_("commitment in English"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:80]


class CodeInstrument(models.Model):
    """A convention, declaration or law the code cites."""

    code = models.ForeignKey(
        CodeOfConduct, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("code")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    reference = models.CharField(_("short name"), max_length=60)
    reference_en = models.CharField(_("short name in English"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    area = models.CharField(
        _("area"), max_length=30, choices=SustainabilityArea.choices, blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("instrument cited")
        verbose_name_plural = _("instruments cited")

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ZeroToleranceItem(models.Model):
    """A deviation the cooperation never accepts (nolltoleransavvikelse), e.g. child labour."""

    code = models.ForeignKey(
        CodeOfConduct,
        on_delete=models.CASCADE,
        related_name="zero_tolerance_items",
        verbose_name=_("code"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("A stable short name that stays the same across versions, e.g. child-labour."),
    )
    title = models.CharField(_("deviation"), max_length=200)
    title_en = models.CharField(_("deviation in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    area = models.CharField(_("area"), max_length=30, choices=SustainabilityArea.choices)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "key"], name="requirements_zerotoleranceitem_unique_key"
            )
        ]
        verbose_name = _("zero-tolerance deviation")
        verbose_name_plural = _("zero-tolerance deviations")

    def __str__(self) -> str:
        return self.title


class ContractClause(LibraryVersion):
    """A version of the contract clause "Tillbörlig aktsamhet för hållbara leveranskedjor".

    The version number is the year of the version (2021, 2024). One version holds the texts of
    both levels; a contract adopts a version at a level.
    """

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)
    reporting_days = models.PositiveSmallIntegerField(
        _("days to report a suspected zero-tolerance deviation"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    reporting_text = models.TextField(_("reporting duty"), blank=True)
    reporting_text_en = models.TextField(_("reporting duty in English"), blank=True)
    follow_up_text = models.TextField(_("the buyer's right to follow up"), blank=True)
    follow_up_text_en = models.TextField(_("the buyer's right to follow up in English"), blank=True)
    vite_per_week_sek = models.PositiveIntegerField(
        _("liquidated damages (vite) per started week, SEK"), validators=[MinValueValidator(1)]
    )
    vite_cap_weeks = models.PositiveSmallIntegerField(
        _("liquidated damages for at most (weeks)"),
        validators=[MinValueValidator(1), MaxValueValidator(520)],
    )
    sanctions_text = models.TextField(_("liquidated damages"), blank=True)
    sanctions_text_en = models.TextField(_("liquidated damages in English"), blank=True)
    termination_text = models.TextField(_("termination"), blank=True)
    termination_text_en = models.TextField(_("termination in English"), blank=True)
    immediate_termination_text = models.TextField(
        _("immediate termination for zero-tolerance deviations"), blank=True
    )
    immediate_termination_text_en = models.TextField(
        _("immediate termination for zero-tolerance deviations in English"), blank=True
    )

    COPY_FIELDS = (
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
    )

    class Meta(LibraryVersion.Meta):
        constraints = [
            *LibraryVersion.Meta.constraints,
            models.UniqueConstraint(fields=["version"], name="requirements_contractclause_version"),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="requirements_contractclause_one_published",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="draft"),
                name="requirements_contractclause_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(reporting_days__gte=1)
                & Q(vite_per_week_sek__gte=1)
                & Q(vite_cap_weeks__gte=1),
                name="requirements_contractclause_parameters_positive",
            ),
        ]
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")

    def __str__(self) -> str:
        return gettext("%(title)s, version %(version)s") % {
            "title": self.title,
            "version": self.version,
        }

    @staticmethod
    def started_weeks(days_late: int) -> int:
        """Return how many weeks have started after days_late days (day 1 starts week 1)."""
        if days_late < 0:
            raise ValueError("days_late cannot be negative")
        return -(-days_late // DAYS_PER_WEEK)

    def vite_for(self, weeks_late_started: int) -> Decimal:
        """Return the liquidated damages for weeks_late_started started weeks, capped."""
        if weeks_late_started < 0:
            raise ValueError("weeks_late_started cannot be negative")
        weeks = min(weeks_late_started, self.vite_cap_weeks)
        return Decimal(self.vite_per_week_sek) * weeks

    @property
    def max_vite(self) -> Decimal:
        return self.vite_for(self.vite_cap_weeks)

    def copy_children_to(self, draft: Self) -> None:
        for row in self.process_requirements.all():
            ProcessRequirement.objects.create(
                clause=draft,
                number=row.number,
                title=row.title,
                title_en=row.title_en,
                basic_text=row.basic_text,
                basic_text_en=row.basic_text_en,
                advanced_text=row.advanced_text,
                advanced_text_en=row.advanced_text_en,
            )

    def document_lines(self) -> list[str]:
        """The lines in the reader's language (a text not written in it yet marked missing)."""
        lines = [_text(self, "title"), *_paragraphs_of(self, "introduction")]
        for pr in self.process_requirements.all():
            lines.append(f"{pr.code} {_text(pr, 'title')}")
            basic, advanced = gettext("Basic level"), gettext("Advanced level")
            lines += [f"{basic}: {p}" for p in _paragraphs_of(pr, "basic_text")]
            lines += [f"{advanced}: {p}" for p in _paragraphs_of(pr, "advanced_text")]
        lines.append(gettext("Reporting duty"))
        lines.append(gettext("Report within %(days)s days") % {"days": self.reporting_days})
        lines += _paragraphs_of(self, "reporting_text")
        lines.append(gettext("The buyer's right to follow up"))
        lines += _paragraphs_of(self, "follow_up_text")
        lines.append(gettext("Sanctions"))
        lines.append(
            gettext("Liquidated damages: %(sek)s kr per started week, at most %(weeks)s weeks")
            % {
                "sek": number_format(self.vite_per_week_sek, force_grouping=True),
                "weeks": self.vite_cap_weeks,
            }
        )
        lines += _paragraphs_of(self, "sanctions_text")
        lines += _paragraphs_of(self, "termination_text")
        lines += _paragraphs_of(self, "immediate_termination_text")
        return lines


class ProcessRequirement(models.Model):
    """One of the clause's process requirements PR1–PR7, with its text at each level."""

    clause = models.ForeignKey(
        ContractClause,
        on_delete=models.CASCADE,
        related_name="process_requirements",
        verbose_name=_("clause"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(PROCESS_REQUIREMENT_COUNT)]
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    basic_text = models.TextField(_("text at the basic level"))
    basic_text_en = models.TextField(_("text at the basic level in English"), blank=True)
    advanced_text = models.TextField(_("text at the advanced level"))
    advanced_text_en = models.TextField(_("text at the advanced level in English"), blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "number"], name="requirements_processrequirement_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=PROCESS_REQUIREMENT_COUNT),
                name="requirements_processrequirement_number_range",
            ),
        ]
        verbose_name = _("process requirement")
        verbose_name_plural = _("process requirements")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"PR{self.number}"

    def text_for(self, level: str, language: str = "sv") -> str:
        """Return the requirement's text at level in language ("" when not written yet)."""
        field = "advanced_text" if level == ClauseLevel.ADVANCED else "basic_text"
        return getattr(self, field if language == "sv" else f"{field}_en")


identifier_validator = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)+$",
    _("Use capital letters and digits in parts joined by hyphens, e.g. HU-TEX-01."),
)


class Criterion(LibraryVersion):
    """A version of a sustainability criterion (hållbarhetskriterium), shown as id:version."""

    identifier = models.CharField(
        _("identifier"), max_length=40, validators=[identifier_validator], db_index=True
    )
    level = models.CharField(_("level"), max_length=20, choices=CriterionLevel.choices)
    criterion_type = models.CharField(_("type"), max_length=30, choices=CriterionType.choices)
    area = models.CharField(_("area"), max_length=30, choices=SustainabilityArea.choices)
    title = models.CharField(_("title"), max_length=200)
    requirement_text = models.TextField(_("requirement"))
    rationale = models.TextField(_("rationale"), blank=True)
    verification = models.TextField(_("verification"), blank=True)
    categories = models.ManyToManyField(
        "categories.Category", blank=True, related_name="criteria", verbose_name=_("categories")
    )

    ITEM_FIELDS = ("identifier",)
    COPY_FIELDS = (
        "level",
        "criterion_type",
        "area",
        "title",
        "requirement_text",
        "rationale",
        "verification",
    )

    class Meta(LibraryVersion.Meta):
        ordering = ["identifier", "-version"]
        constraints = [
            *LibraryVersion.Meta.constraints,
            models.UniqueConstraint(
                fields=["identifier", "version"], name="requirements_criterion_version"
            ),
            models.UniqueConstraint(
                fields=["identifier"],
                condition=Q(status="published"),
                name="requirements_criterion_one_published",
            ),
            models.UniqueConstraint(
                fields=["identifier"],
                condition=Q(status="draft"),
                name="requirements_criterion_one_draft",
            ),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.identifier}:{self.version}"

    @property
    def version_label(self) -> str:
        return self.reference

    def copy_children_to(self, draft: Self) -> None:
        draft.categories.set(self.categories.all())

    def swedish_only_lines(self) -> set[str]:
        """Return the lines of document_lines() that are the criterion's own texts: criteria are
        written in Swedish only, so an English reader's comparison marks them as Swedish."""
        return {
            f"{self.identifier} {self.title}",
            *_paragraphs(self.requirement_text),
            *_paragraphs(self.rationale),
            *_paragraphs(self.verification),
        }

    def document_lines(self) -> list[str]:
        categories = ", ".join(sorted(c.name for c in self.categories.all()))
        return [
            f"{self.identifier} {self.title}",
            f"{gettext('Level')}: {self.get_level_display()}",
            f"{gettext('Type')}: {self.get_criterion_type_display()}",
            f"{gettext('Area')}: {self.get_area_display()}",
            f"{gettext('Categories')}: {categories or '–'}",
            gettext("Requirement"),
            *_paragraphs(self.requirement_text),
            gettext("Rationale"),
            *_paragraphs(self.rationale),
            gettext("Verification"),
            *_paragraphs(self.verification),
        ]
