"""Reads for follow-up pages: filtered lists and what each viewer may see of a case."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from hallbar.contracts.models import Contract
from hallbar.followups.access import (
    CaseAccess,
    action_verification_for,
    counted_deviations,
    deviation_commitment_for,
    deviation_label_for,
    deviation_text_for,
    may_see_audit,
    may_see_deviation,
    may_see_remedy,
    may_see_site_name,
    remedy_verification_for,
    sees_internal_events,
    sees_supplier_wording_of,
    supplier_contacts_of,
    supplier_reads_own_wording,
)
from hallbar.followups.deadlines import deviation_light, overdue_reasons, supplier_lights
from hallbar.followups.models import (
    Audit,
    CaseEvent,
    Deviation,
    Document,
    FollowUp,
    Remedy,
    Sanction,
)
from hallbar.followups.states import OPEN_STATES
from hallbar.organisations.models import Language, User
from hallbar.suppliers.models import ProductionSite

SORTS = {
    "reference": "reference",
    "supplier": "supplier__name",
    "status": "status",
    "due": "due_date",
    "region": "lead_region__county_code",
    "updated": "updated_at",
}


class DeviationCount(TypedDict):
    deviation_count: int


if TYPE_CHECKING:  # WithAnnotations takes the TypedDict only for the type checker
    FollowUpWithCount = WithAnnotations[FollowUp, DeviationCount]
Case = TypeVar("Case", bound=FollowUp)


def filter_followups(queryset: QuerySet[FollowUp], params) -> QuerySet[FollowUp]:
    """Apply the list page's search, filters and sort."""
    query = (params.get("q") or "").strip()
    if query:
        queryset = queryset.filter(
            Q(reference__icontains=query)
            | Q(supplier__name__icontains=query)
            | Q(supplier__org_number__icontains=query)
        )
    if status := params.get("status"):
        if status == "open":
            queryset = queryset.filter(status__in=OPEN_STATES)
        else:
            queryset = queryset.filter(status=status)
    if kind := params.get("type"):
        queryset = queryset.filter(followup_type=kind)
    if (year := params.get("year")) and str(year).isdigit():
        queryset = queryset.filter(year=int(year))
    if region := params.get("region"):
        queryset = queryset.filter(lead_region__county_code=region)
    if params.get("overdue") == "1":
        today = timezone.localdate()
        queryset = queryset.filter(
            Q(status="sent", due_date__lt=today)
            | Q(deviations__status="open", deviations__plan_due__lt=today)
            | Q(
                deviations__status="open",
                deviations__zero_tolerance=True,
                deviations__report_due__lt=today,
            )
            | Q(
                deviations__actions__status__in=["open", "rejected"],
                deviations__actions__deadline__lt=today,
            )
        ).distinct()
    sort = params.get("sort") or "-reference"
    field = SORTS.get(sort.lstrip("-"))
    order = (f"-{field}" if sort.startswith("-") else field) if field else "-reference"
    return queryset.select_related("supplier", "lead_region__organisation", "lead_area").order_by(
        order, "pk"
    )


def with_deviation_counts(
    queryset: QuerySet[FollowUp], user: User
) -> "QuerySet[FollowUpWithCount]":
    """Annotate each case with ``deviation_count``: the deviations user may see (access.py)."""
    return queryset.annotate(
        deviation_count=Count("deviations", filter=counted_deviations(user), distinct=True)
    )


def with_lights(followups: Iterable[Case]) -> list[Case]:
    """Attach each case's supplier light (from all the supplier's cases)."""
    cases = list(followups)
    lights = supplier_lights({f.supplier_id for f in cases})
    for followup in cases:
        followup.light = lights.get(followup.supplier_id, "green")
    return with_overdue(cases)


def with_overdue(followups: Iterable[Case]) -> list[Case]:
    """Attach ``overdue``: the deadlines of each case that have passed, in words."""
    cases = list(followups)
    reasons = overdue_reasons(cases)
    for followup in cases:
        followup.overdue = reasons.get(followup.pk, [])
    return cases


def timeline(access: CaseAccess) -> QuerySet[CaseEvent]:
    """Return the case's events the viewer may read: internal ones for the lead only."""
    events = access.followup.events.select_related("actor")
    if access.is_supplier and not access.confidential:
        return events.filter(visible_to_supplier=True)
    if not sees_internal_events(access):
        events = events.filter(confidential=False)
    return events


def deviations_for(access: CaseAccess) -> list[Deviation]:
    """Return the deviations the viewer may see, each with its light and actions."""
    deviations = access.followup.deviations.select_related("requirement", "site").prefetch_related(
        "actions", "actions__documents", "sanctions", "remedies"
    )
    if not (access.confidential or access.is_supplier):
        deviations = deviations.filter(confidential=False)
    today = timezone.localdate()
    result = [d for d in deviations if may_see_deviation(access, d)]
    for deviation in result:
        deviation.light = deviation_light(deviation, today, list(deviation.actions.all()))
        deviation.shown_description = deviation_text_for(access, deviation)
        deviation.shown_label = deviation_label_for(access, deviation)
        deviation.shown_commitment = deviation_commitment_for(access, deviation)
        deviation.withheld_from_supplier = supplier_reads_own_wording(deviation)
        deviation.shown_site_name = (
            deviation.site.name
            if deviation.site and may_see_site_name(access, deviation.site)
            else ""
        )
        deviation.remedies_seen = remedies_for(access, deviation)
        deviation.shows_supplier_wording = sees_supplier_wording_of(access, deviation)
        deviation.actions_seen = list(deviation.actions.all())
        for action in deviation.actions_seen:
            action.shown_verification = action_verification_for(access, deviation, action)
    return result


def remedies_for(access: CaseAccess, deviation: Deviation) -> list[Remedy]:
    """Return the deviation's remedies the viewer may see, each with ``shown_verification``."""
    result = []
    for remedy in deviation.remedies.all():
        remedy.deviation = deviation
        if may_see_remedy(access, remedy):
            remedy.shown_verification = remedy_verification_for(access, remedy)
            result.append(remedy)
    return result


def verified_remedies(*, year: int | None = None, region=None) -> QuerySet[Remedy]:
    """Return the verified remedies, for figures (people reached, kronor repaid).

    ``year`` is the year the remedy was *delivered* (``delivered_on``), not the year it was
    verified: remedy delivered in December and verified in January counts in the year the people
    received it. ``region`` (a Region or its pk) keeps the remedies of cases whose contracts
    include that region (``followup.contracts.regions``).

    Not scoped to a viewer: it is for aggregate figures. A page that lists the rows themselves
    must filter them through ``access.remedies_visible_to``.
    """
    remedies = Remedy.objects.filter(status=Remedy.Status.VERIFIED)
    if year is not None:
        remedies = remedies.filter(delivered_on__year=year)
    if region is not None:
        cases = FollowUp.objects.filter(contracts__regions=region).values("pk")
        remedies = remedies.filter(deviation__followup__in=cases)
    return remedies.select_related(
        "deviation", "deviation__followup", "deviation__followup__supplier", "deviation__site"
    ).order_by("delivered_on", "pk")


def remedy_country(remedy: Remedy) -> str:
    """Return the ISO 3166-1 alpha-2 country of a remedy: the deviation's site's country, else the
    supplier's ("" when neither is known)."""
    site = remedy.deviation.site
    if site is not None and site.country:
        return site.country.upper()
    return (remedy.deviation.followup.supplier.country or "").upper()


def audits_for(access: CaseAccess) -> list[Audit]:
    """Return the audits listed on the case page, each with ``may_open`` (its page and report).

    An auditor lists only its own audits; other members see that audits exist and who made them.
    """
    audits = access.followup.audits.select_related("firm", "auditor").prefetch_related("sites")
    result = []
    for audit in audits:
        audit.may_open = may_see_audit(access, audit.pk)
        if audit.may_open or not (access.is_auditor and not access.can_manage):
            result.append(audit)
    return result


def sites_for(access: CaseAccess) -> list[ProductionSite]:
    """Return the case's sites, each with ``shown_name`` ("" where the name is confidential)."""
    sites = list(access.followup.sites.order_by("tier", "name"))
    for site in sites:
        site.shown_name = site.name if may_see_site_name(access, site) else ""
    return sites


def documents_for(access: CaseAccess) -> QuerySet[Document]:
    """Return the case's documents the viewer may see: the list form of
    ``access.may_see_document``."""
    documents = access.followup.documents.all()
    if access.can_manage:
        return documents
    # audit reports: only those of the viewer's own audits
    documents = documents.exclude(
        Q(purpose=Document.Purpose.AUDIT_REPORT) | Q(audit__isnull=False),
        ~Q(audit_id__in=access.own_audit_ids),
    ).exclude(purpose=Document.Purpose.AUDIT_REPORT, audit__isnull=True)
    if access.is_supplier:
        return documents
    return documents.filter(Q(confidential=False) | Q(audit_id__in=access.own_audit_ids))


def _open_zero_tolerance():
    return Deviation.objects.filter(
        zero_tolerance=True, status__in=[Deviation.Status.OPEN, Deviation.Status.PLANNED]
    )


def flagged_contracts(followup: FollowUp) -> QuerySet[Contract]:
    """Return the supplier's active contracts flagged for immediate termination (open
    zero-tolerance deviation), for each buyer's decision."""
    if not _open_zero_tolerance().filter(followup=followup).exists():
        return Contract.objects.none()
    return Contract.objects.filter(supplier=followup.supplier, status="active").select_related(
        "lead_region"
    )


def open_zero_tolerance(contract: Contract) -> bool:
    return _open_zero_tolerance().filter(followup__supplier_id=contract.supplier_id).exists()


def termination_decided_on() -> Subquery:
    """The day a termination of the contract in OuterRef("pk") was first decided, or None."""
    return Subquery(
        Sanction.objects.filter(contract=OuterRef("pk"), kind=Sanction.Kind.TERMINATION)
        .order_by("decided_on")
        .values("decided_on")[:1]
    )


def supplier_languages(followup: FollowUp) -> list[str]:
    """Return the languages the supplier's contacts read (names, in the reader's language), so
    that the lead writes what the supplier reads in that language."""
    codes = {user.mail_language for user in supplier_contacts_of(followup)}
    return [str(Language(code).label) for code in sorted(codes) if code in Language.values]
