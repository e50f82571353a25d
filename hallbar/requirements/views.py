"""Requirement library pages: the Code of Conduct, the contract clause and the criteria.

The three kinds of item share their lifecycle pages (versions, publish, new version, diff);
each kind has its own detail and edit page.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.requirements import documents
from hallbar.requirements.access import (
    access_version,
    access_version_for_download,
    access_version_for_write,
    can_download_version,
    can_edit_library,
    can_read_library,
    require_kind_view,
    require_library_edit,
    require_library_view,
)
from hallbar.requirements.forms import (
    ClauseForm,
    CodeForm,
    CommitmentFormSet,
    CriterionFilterForm,
    CriterionForm,
    InstrumentFormSet,
    ProcessRequirementFormSet,
    PublishForm,
    ZeroToleranceFormSet,
    kept_rows,
)
from hallbar.requirements.models import (
    CodeOfConduct,
    ContractClause,
    Criterion,
    LibraryVersion,
    Status,
)
from hallbar.requirements.selectors import (
    CriterionFilters,
    change_log,
    criteria_page,
    item_versions,
    library_overview,
    next_version_number,
    version_diff,
    versions_visible_to,
    with_contents,
)
from hallbar.requirements.services import (
    create_clause_draft,
    create_code_draft,
    create_criterion,
    publish_version,
    start_new_version,
    update_clause_draft,
    update_code_draft,
    update_criterion_draft,
)


@dataclass(frozen=True)
class Kind:
    model: type[LibraryVersion]
    slug: str  # the URL name prefix: code, clause, criterion
    name: Promise
    plural: Promise

    def url(self, action: str, version: LibraryVersion | None = None) -> str:
        args = [version.public_id] if version is not None else []
        return reverse(f"requirements:{self.slug}-{action}", args=args)


CODE = Kind(CodeOfConduct, "code", gettext_lazy("Code of Conduct"), gettext_lazy("Code of Conduct"))
CLAUSE = Kind(
    ContractClause,
    "clause",
    gettext_lazy("Contract clause"),
    gettext_lazy("Contract clause"),
)
CRITERION = Kind(Criterion, "criterion", gettext_lazy("Criterion"), gettext_lazy("Criteria"))


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_kind_view(request.user, CodeOfConduct)
    return _render(
        request,
        "requirements/index.html",
        {
            "overview": library_overview(request.user),
            "member": can_read_library(request.user),
            "can_edit": can_edit_library(request.user),
        },
    )


def _render(request: AuthenticatedHttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"library_member": can_read_library(request.user), **context})


# --- shared lifecycle pages -------------------------------------------------------------------


def _version_list(request: AuthenticatedHttpRequest, kind: Kind) -> HttpResponse:
    require_kind_view(request.user, kind.model)
    versions = list(
        versions_visible_to(request.user, kind.model)
        .select_related("published_by")
        .order_by("-version")
    )
    return _render(
        request,
        "requirements/version_list.html",
        {
            "kind": kind,
            "versions": versions,
            "current": next((v for v in versions if v.is_published), None),
            "draft": next((v for v in versions if v.is_draft), None),
            "can_edit": can_edit_library(request.user),
            "create_url": kind.url("create"),
            "diff_url": kind.url("diff"),
        },
    )


def _detail(
    request: AuthenticatedHttpRequest, kind: Kind, public_id, template: str, **extra: object
) -> HttpResponse:
    version, can_edit = access_version(request.user, kind.model, public_id)
    version = with_contents(kind.model.objects.filter(pk=version.pk)).get()
    versions = item_versions(version, request.user)
    member = can_read_library(request.user)
    older = [v for v in versions if v.version < version.version]
    return _render(
        request,
        template,
        {
            "kind": kind,
            "version": version,
            "versions": versions,
            "previous": older[0] if older else None,
            "can_edit": can_edit,
            "can_start_new_version": (
                can_edit_library(request.user)
                and version.is_published
                and not any(v.is_draft for v in versions)
            ),
            "history": change_log(version) if member else None,
            "member": member,
            "diff_url": kind.url("diff"),
            "downloads": _downloads(request, kind, version),
            # extra values may be functions of the version shown
            **{key: value(version) if callable(value) else value for key, value in extra.items()},
        },
    )


DOWNLOAD_LABELS = {
    ("sv", "pdf"): gettext_lazy("In Swedish, PDF"),
    ("sv", "docx"): gettext_lazy("In Swedish, Word (DOCX)"),
    ("en", "pdf"): gettext_lazy("In English, PDF"),
    ("en", "docx"): gettext_lazy("In English, Word (DOCX)"),
}


def _downloads(request: HttpRequest, kind: Kind, version: LibraryVersion) -> list[dict]:
    if kind.model not in (CodeOfConduct, ContractClause):
        return []
    if not can_download_version(request.user, version):
        return []
    return [
        {
            "url": reverse(
                f"requirements:{kind.slug}-download", args=[version.public_id, language, fmt]
            ),
            "label": label,
        }
        for (language, fmt), label in DOWNLOAD_LABELS.items()
    ]


def _download(request: HttpRequest, kind: Kind, public_id, language: str, file_format: str):
    if language not in documents.LANGUAGES or file_format not in documents.FORMATS:
        raise Http404
    version = access_version_for_download(request.user, kind.model, public_id)
    version = with_contents(kind.model.objects.filter(pk=version.pk)).get()
    build = documents.as_pdf if file_format == "pdf" else documents.as_docx
    response = HttpResponse(build(version, language), content_type=documents.FORMATS[file_format])
    name = documents.filename(version, language, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Language"] = language
    return response


@login_not_required
def code_download(request: HttpRequest, public_id, language: str, file_format: str):
    """The Code of Conduct as PDF or Word in Swedish or English (public once released)."""
    return _download(request, CODE, public_id, language, file_format)


@login_not_required
def clause_download(request: HttpRequest, public_id, language: str, file_format: str):
    """The contract clause as PDF or Word in Swedish or English (public once released)."""
    return _download(request, CLAUSE, public_id, language, file_format)


def _publish(request: AuthenticatedHttpRequest, kind: Kind, public_id) -> HttpResponse:
    version = access_version_for_write(request.user, kind.model, public_id)
    if not version.is_draft:
        messages.error(request, _("Only a draft can be published."))
        return redirect(kind.url("detail", version))
    current = version.versions_of_item().published().first()
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publish_version(
                version,
                note=form.cleaned_data["note"],
                note_en=form.cleaned_data["note_en"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Version %(version)s is published.") % {"version": version.version_label}
            )
            return redirect(kind.url("detail", version))
    return _render(
        request,
        "requirements/publish_confirm.html",
        {"kind": kind, "version": version, "current": current, "form": form},
    )


def _new_version(request: AuthenticatedHttpRequest, kind: Kind, public_id) -> HttpResponse:
    source = access_version_for_write(request.user, kind.model, public_id)
    if request.method != "POST":
        return redirect(kind.url("detail", source))
    try:
        draft = start_new_version(source, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(kind.url("detail", source))
    messages.success(
        request,
        _("Version %(version)s was started as a copy of the published one.")
        % {"version": draft.version_label},
    )
    return redirect(kind.url("edit", draft))


def _version_from_query(
    request: AuthenticatedHttpRequest, kind: Kind, name: str
) -> LibraryVersion | None:
    public_id = request.GET.get(name)
    if not public_id:
        return None
    version, _can_edit = access_version(request.user, kind.model, public_id)
    return version


def _diff(request: AuthenticatedHttpRequest, kind: Kind) -> HttpResponse:
    require_kind_view(request.user, kind.model)
    new = _version_from_query(request, kind, "to")
    old = _version_from_query(request, kind, "from")
    anchor = new or old
    if anchor is None:
        raise Http404
    versions = item_versions(anchor, request.user)
    if new is None or old is None:
        # Compare with the neighbouring version when only one side is given.
        others = [v for v in versions if v.pk != anchor.pk]
        older = [v for v in others if v.version < anchor.version]
        neighbour = older[0] if older else (others[-1] if others else None)
        if neighbour is None:
            messages.info(request, _("There is only one version, so there is nothing to compare."))
            return redirect(kind.url("detail", anchor))
        old, new = (neighbour, anchor) if new else (anchor, neighbour)
    if old.item_key() != new.item_key():
        raise Http404
    if old.version > new.version:
        old, new = new, old
    comparison = version_diff(old, new)
    changes_only = request.GET.get("changes") == "1"
    return _render(
        request,
        "requirements/diff.html",
        {
            "kind": kind,
            "old": old,
            "new": new,
            "versions": versions,
            "comparison": comparison,
            "rows": comparison.changes_only() if changes_only else comparison.rows,
            "changes_only": changes_only,
            "diff_url": kind.url("diff"),
        },
    )


def _edit_redirect_if_released(
    request: AuthenticatedHttpRequest, kind: Kind, version
) -> HttpResponse | None:
    if version.is_draft:
        return None
    messages.error(request, _("Only a draft can be edited. Start a new version instead."))
    return redirect(kind.url("detail", version))


# --- Code of Conduct --------------------------------------------------------------------------


def code_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _version_list(request, CODE)


def code_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _detail(request, CODE, public_id, "requirements/code_detail.html")


def code_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_library_edit(request.user)
    if CodeOfConduct.objects.drafts().exists():
        return redirect(CODE.url("list"))
    return _code_form(request, code=None)


def code_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    code = access_version_for_write(request.user, CodeOfConduct, public_id)
    return _edit_redirect_if_released(request, CODE, code) or _code_form(request, code=code)


def _code_form(request: AuthenticatedHttpRequest, *, code: CodeOfConduct | None) -> HttpResponse:
    data = request.POST or None
    form = CodeForm(data, instance=code)
    initial: dict[str, list[Mapping[str, Any]]] = {"commitments": [], "instruments": [], "zero": []}
    if code is not None:
        initial = {
            "commitments": list(code.commitments.values("area", "text", "text_en")),
            "instruments": list(
                code.instruments.values("reference", "reference_en", "title", "title_en", "area")
            ),
            "zero": list(
                code.zero_tolerance_items.values(
                    "key", "title", "title_en", "description", "description_en", "area"
                )
            ),
        }
    formsets: dict[str, BaseFormSet] = {
        "commitments": CommitmentFormSet(
            data, initial=initial["commitments"], prefix="commitments"
        ),
        "instruments": InstrumentFormSet(
            data, initial=initial["instruments"], prefix="instruments"
        ),
        "zero": ZeroToleranceFormSet(data, initial=initial["zero"], prefix="zero"),
    }
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        rows: dict[str, Any] = {
            "commitments": kept_rows(formsets["commitments"]),
            "instruments": kept_rows(formsets["instruments"]),
            "zero_tolerance": kept_rows(formsets["zero"]),
        }
        try:
            if code is None:
                code = create_code_draft(acting_user=request.user, **form.cleaned_data, **rows)
            else:
                update_code_draft(code, acting_user=request.user, **form.cleaned_data, **rows)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(CODE.url("detail", code))
    return _render(
        request,
        "requirements/code_form.html",
        {
            "kind": CODE,
            "version": code,
            "form": form,
            "formsets": [
                (_("Commitments per area"), _("Commitment"), formsets["commitments"]),
                (_("Instruments cited"), _("Instrument"), formsets["instruments"]),
                (_("Zero-tolerance deviations"), _("Deviation"), formsets["zero"]),
            ],
        },
    )


def code_publish(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _publish(request, CODE, public_id)


def code_new_version(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _new_version(request, CODE, public_id)


def code_diff(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _diff(request, CODE)


# --- Contract clause --------------------------------------------------------------------------

# The standard names of the process requirements, offered when a clause starts from scratch.
PROCESS_REQUIREMENT_TITLES = [
    "Policy och ansvar",
    "Identifiera och bedöma risker",
    "Upphöra med, förebygga och begränsa negativ påverkan",
    "Använda påverkansmöjligheter i leveranskedjan",
    "Följa upp",
    "Klagomålsmekanism",
    "Gottgörelse",
]
PROCESS_REQUIREMENT_TITLES_EN = [
    "Policy and responsibility",
    "Identify and assess risks",
    "Cease, prevent and mitigate adverse impacts",
    "Use leverage in the supply chain",
    "Follow up",
    "Grievance mechanism",
    "Remediation",
]


def clause_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _version_list(request, CLAUSE)


def clause_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _detail(
        request,
        CLAUSE,
        public_id,
        "requirements/clause_detail.html",
        vite_examples=_vite_examples,
    )


def _vite_examples(clause: ContractClause) -> list[tuple[int, object]]:
    """Return (started weeks, amount) for a few delays, up to past the cap."""
    cap = clause.vite_cap_weeks
    weeks = sorted({1, 2, max(1, cap // 2), cap, cap + 2})
    return [(w, clause.vite_for(w)) for w in weeks]


def clause_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_library_edit(request.user)
    if ContractClause.objects.drafts().exists():
        return redirect(CLAUSE.url("list"))
    return _clause_form(request, clause=None)


def clause_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    clause = access_version_for_write(request.user, ContractClause, public_id)
    return _edit_redirect_if_released(request, CLAUSE, clause) or _clause_form(
        request, clause=clause
    )


def _clause_form(
    request: AuthenticatedHttpRequest, *, clause: ContractClause | None
) -> HttpResponse:
    data = request.POST or None
    if clause is None:
        form = ClauseForm(
            data,
            initial={
                "version": next_version_number(ContractClause, {}),
                "title": "Tillbörlig aktsamhet för hållbara leveranskedjor",
                "title_en": "Due diligence for sustainable supply chains",
            },
        )
        initial: list[Mapping[str, Any]] = [
            {"number": number, "title": title, "title_en": title_en}
            for number, (title, title_en) in enumerate(
                zip(PROCESS_REQUIREMENT_TITLES, PROCESS_REQUIREMENT_TITLES_EN, strict=True),
                start=1,
            )
        ]
    else:
        form = ClauseForm(data, instance=clause)
        initial = list(
            clause.process_requirements.values(
                "number",
                "title",
                "title_en",
                "basic_text",
                "basic_text_en",
                "advanced_text",
                "advanced_text_en",
            )
        )
    formset = ProcessRequirementFormSet(data, initial=initial, prefix="pr")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = kept_rows(formset)
        try:
            if clause is None:
                clause = create_clause_draft(
                    acting_user=request.user, process_requirements=rows, **form.cleaned_data
                )
            else:
                update_clause_draft(
                    clause, acting_user=request.user, process_requirements=rows, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(CLAUSE.url("detail", clause))
    return _render(
        request,
        "requirements/clause_form.html",
        {"kind": CLAUSE, "version": clause, "form": form, "formset": formset},
    )


def clause_publish(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _publish(request, CLAUSE, public_id)


def clause_new_version(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _new_version(request, CLAUSE, public_id)


def clause_diff(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _diff(request, CLAUSE)


# --- Criteria ---------------------------------------------------------------------------------


def criterion_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_library_view(request.user)
    filter_form = CriterionFilterForm(request.GET)
    filters = CriterionFilters(**filter_form.filters())
    page = criteria_page(request.user, filters, request.GET.get("page"))
    return _render(
        request,
        "requirements/criterion_list.html",
        {
            "filter_form": filter_form,
            "filters": filters,
            "page": page,
            "criteria": page.object_list,
            "filtered": any(
                [
                    filters.q,
                    filters.level,
                    filters.criterion_type,
                    filters.area,
                    filters.category,
                    filters.status != "current",
                ]
            ),
            "can_edit": can_edit_library(request.user),
            "statuses": Status,
        },
    )


def criterion_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _detail(request, CRITERION, public_id, "requirements/criterion_detail.html")


def criterion_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_library_edit(request.user)
    return _criterion_form(request, criterion=None)


def criterion_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    criterion = access_version_for_write(request.user, Criterion, public_id)
    return _edit_redirect_if_released(request, CRITERION, criterion) or _criterion_form(
        request, criterion=criterion
    )


def _criterion_form(
    request: AuthenticatedHttpRequest, *, criterion: Criterion | None
) -> HttpResponse:
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        identifier = values.pop("identifier")
        try:
            if criterion is None:
                criterion = create_criterion(
                    acting_user=request.user, identifier=identifier, **values
                )
            else:
                update_criterion_draft(criterion, acting_user=request.user, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(CRITERION.url("detail", criterion))
    return _render(
        request,
        "requirements/criterion_form.html",
        {"kind": CRITERION, "version": criterion, "form": form},
    )


def criterion_publish(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _publish(request, CRITERION, public_id)


def criterion_new_version(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    return _new_version(request, CRITERION, public_id)


def criterion_diff(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _diff(request, CRITERION)
