"""Who may see and change follow-up cases. Missing and forbidden both give 404.

- The secretariat and the steering group see every case; the secretariat manages every case.
- A region sees the cases it leads and every case of a supplier it has an active contract with
  (sharing is the point of the cooperation); an area coordinator also sees its area's cases.
- The lead (the secretariat, the lead region's contacts, buyers and coordinators, the lead area's
  coordinator) manages the case and sees its confidential material.
- A third-party auditor sees only the cases of the audits assigned to it, and of those only its
  own audits, their reports and the confidential deviations they found: never another firm's
  audit or report on the same case, never a confidential deviation of no audit, never a
  deviation that came from a grievance (those are for the lead only).
- Who learns that a deviation exists (pages, lists, exports, API, mails, statistics): the rule
  under "who learns of a deviation" below.
- A supplier contact sees only its own company's cases once they have been sent: questionnaires,
  deviations, action plans. Never interview notes, audit reports or other regions' comments.
  Of a confidential deviation, or of one found through a grievance, it reads only the
  description the lead writes for it (`supplier_description`): never the source text, which may
  identify the worker who raised it.
- Remedy delivered on a deviation is seen by whoever sees the deviation (a confidential
  deviation's remedy follows the deviation's rule); the supplier sees its own cases' remedies, and
  of a deviation it reads in the lead's wording it does not read how the remedy was verified
  (which may name the workers interviewed). The lead records and verifies remedy; the supplier
  reports it in the portal.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hallbar.followups.models import Audit, Deviation, Document, FollowUp, Remedy, Report
from hallbar.followups.states import State
from hallbar.organisations.models import Role, User
from hallbar.suppliers import access as suppliers_access

LEAD_ROLES = (Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR)
OPENER_ROLES = (Role.SECRETARIAT, Role.AREA_COORDINATOR, Role.REGION_CONTACT)


def supplier_organisation_ids(user: User) -> set[int]:
    return user.organisation_ids(Role.SUPPLIER_CONTACT)


def coordinated_area_ids(user: User) -> set[int]:
    return {
        m.area_id for m in user.active_memberships if m.role == Role.AREA_COORDINATOR and m.area_id
    }


def followups_visible_to(user: User) -> QuerySet[FollowUp]:
    """Return the follow-up cases user may see."""
    if not user.is_authenticated:
        return FollowUp.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.STEERING_GROUP):
        return FollowUp.objects.all()
    condition = Q(pk__in=[])
    regions = user.region_ids(Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR)
    if regions:
        condition |= Q(lead_region_id__in=regions) | Q(
            supplier__contracts__status="active", supplier__contracts__regions__in=regions
        )
    areas = coordinated_area_ids(user)
    if areas:
        condition |= Q(lead_area_id__in=areas)
    if user.has_role(Role.AUDITOR):
        condition |= Q(audits__auditor=user)
    suppliers = supplier_organisation_ids(user)
    if suppliers:
        condition |= Q(supplier__organisation_id__in=suppliers) & ~Q(status=State.PLANNED)
    return FollowUp.objects.filter(pk__in=FollowUp.objects.filter(condition).values("pk"))


def can_list_followups(user: User) -> bool:
    """Return whether user may list follow-up cases: the list page, its export, the API's list
    and the navigation entry. Every role that takes part in cases: the cooperation's members,
    auditors (their audits' cases) and supplier contacts (their own company's sent cases)."""
    return user.is_authenticated and (
        user.is_cooperation_member or user.has_role(Role.AUDITOR, Role.SUPPLIER_CONTACT)
    )


def can_use_portal(user: User) -> bool:
    """Return whether user has a supplier portal: the contacts of a supplier company."""
    return user.is_authenticated and bool(supplier_organisation_ids(user))


def follows_cases_in_portal(user: User) -> bool:
    """Return whether user follows its cases in the supplier portal, not in the case file: a
    supplier contact with no role in the cooperation. The case pages send it to the portal;
    the API gives it the portal's view of its cases."""
    return can_use_portal(user) and not (user.is_cooperation_member or user.has_role(Role.AUDITOR))


def can_open_followups(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OPENER_ROLES)


def can_manage(user: User, followup: FollowUp) -> bool:
    """Return whether user leads the case: assesses, records deviations, verifies, sanctions."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    if followup.lead_region_id in user.region_ids(*LEAD_ROLES):
        return True
    return bool(followup.lead_area_id and followup.lead_area_id in coordinated_area_ids(user))


def is_assigned_auditor(user: User, followup: FollowUp) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.AUDITOR)
        and followup.audits.filter(auditor=user).exists()
    )


def is_supplier_of(user: User, followup: FollowUp) -> bool:
    return user.is_authenticated and followup.supplier.organisation_id in supplier_organisation_ids(
        user
    )


@dataclass(frozen=True)
class CaseAccess:
    followup: FollowUp
    can_manage: bool
    confidential: bool  # may see confidential material
    is_supplier: bool
    is_auditor: bool
    own_audit_ids: frozenset[int] = frozenset()  # the audits of this case assigned to the viewer
    viewer: User | None = field(default=None, compare=False, repr=False)

    @cached_property
    def sees_sub_supplier_names(self) -> bool:
        """Whether the viewer reads the names of the case supplier's sub-suppliers: the supplier
        registry's rule (``suppliers.access.sees_sub_supplier_names``), to which this app adds
        its grant (the lead of a case of the supplier and its assigned auditors, ``apps.py``)."""
        return self.viewer is not None and suppliers_access.sees_sub_supplier_names(
            self.viewer, self.followup.supplier
        )


def case_access(user: User, followup: FollowUp) -> CaseAccess:
    manage = can_manage(user, followup)
    own_audits: frozenset[int] = frozenset()
    if user.is_authenticated and user.has_role(Role.AUDITOR):
        own_audits = frozenset(followup.audits.filter(auditor=user).values_list("pk", flat=True))
    auditor = bool(own_audits)
    return CaseAccess(
        followup=followup,
        can_manage=manage,
        confidential=manage or auditor,
        is_supplier=is_supplier_of(user, followup),
        is_auditor=auditor,
        own_audit_ids=own_audits,
        viewer=user,
    )


def may_see_audit(access: CaseAccess, audit_id: int | None) -> bool:
    """Return whether the viewer may see an audit of the case: its page, report and findings.

    The lead sees every audit; an auditor only its own, never another firm's on the same case.
    """
    if access.can_manage:
        return True
    return audit_id is not None and audit_id in access.own_audit_ids


# --- who learns of a deviation -------------------------------------------------------------
# One rule, in two forms (a row test and a query condition), for every output that names or
# counts deviations:
# - per-case and per-supplier views (the case page, case lists and their export, the API, the
#   monthly digest, start-page lists) show and count a deviation only to readers who may see it
#   (``may_see_deviation``; ``deviations_counted_for`` for a queryset, ``counted_deviations``
#   for a count over case rows). A deviation the reader may not see is not mentioned at all,
#   not even as a number by area;
# - aggregate statistics over many cases (the national and regional dashboards, the annual
#   report, the steering group's figure, public open data) count every deviation
#   (``deviations_for_statistics``): an aggregate names no supplier or case. Public open data is
#   built only from published results, and gives a confidential deviation's count but not its
#   area (``public_deviation_counts``), so that no published cell describes one case's
#   confidential deviation.
#
# Who may see a deviation: the lead (which includes the secretariat) and the supplier (in the
# lead's wording, ``deviation_text_for``) see every deviation of the case. Any other reader of the
# case sees its shared deviations (not confidential, not from a grievance). An auditor also sees
# the confidential findings of its own audits; never a confidential deviation of another firm's
# audit or of no audit, nor one that came from a grievance (which may identify the worker).

SHARED_SOURCES = tuple(s for s in Deviation.Source.values if s != Deviation.Source.GRIEVANCE)


def _deviation_rule(user: User, deviation: str, case: str) -> Q:
    """Return the condition "user may see the deviation" on rows that reach the deviation
    through the lookup prefix ``deviation`` and its case through ``case`` (both "" or ending in
    "__"). Only visibility of the deviation: the caller keeps to the cases user may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_secretariat:
        return Q(**{f"{deviation}pk__isnull": False})
    condition = Q(**{f"{deviation}confidential": False, f"{deviation}source__in": SHARED_SOURCES})
    regions = user.region_ids(*LEAD_ROLES)
    if regions:
        condition |= Q(**{f"{case}lead_region_id__in": regions})
    areas = coordinated_area_ids(user)
    if areas:
        condition |= Q(**{f"{case}lead_area_id__in": areas})
    suppliers = supplier_organisation_ids(user)
    if suppliers:
        condition |= Q(**{f"{case}supplier__organisation_id__in": suppliers})
    if user.has_role(Role.AUDITOR):
        condition |= Q(
            **{f"{deviation}audit__auditor": user, f"{deviation}source__in": SHARED_SOURCES}
        )
    return condition


def counted_deviations(user: User) -> Q:
    """Return the deviations a case list may count for user, as a condition on FollowUp rows.

    The list form of ``may_see_deviation``, for ``Count("deviations", filter=...)``."""
    return _deviation_rule(user, "deviations__", "")


def deviations_counted_for(user: User, deviations: QuerySet[Deviation]) -> QuerySet[Deviation]:
    """Return the deviations of ``deviations`` that a per-case or per-supplier view may show or
    count for user: of the cases user may see, those it may see (``may_see_deviation``)."""
    return deviations.filter(followup__in=followups_visible_to(user)).filter(
        _deviation_rule(user, "", "followup__")
    )


def deviations_for_statistics(deviations: QuerySet[Deviation]) -> QuerySet[Deviation]:
    """Return the deviations an aggregate statistic over many cases counts: all of them,
    confidential ones included (an aggregate names no supplier or case; see the rule above)."""
    return deviations


@dataclass(frozen=True)
class PublicDeviationCounts:
    total: int
    by_area: dict[str, int]  # the shared deviations, by area
    confidential: int  # counted, area not published


def public_deviation_counts(deviations: Iterable[Deviation]) -> PublicDeviationCounts:
    """Return what public open data publishes of a published result's deviations: every one
    counted; by area only those that are neither confidential nor from a grievance."""
    listed = list(deviations)
    shared = [d for d in listed if not _lead_only(d) and not d.confidential]
    return PublicDeviationCounts(
        total=len(listed),
        by_area=dict(Counter(d.area for d in shared)),
        confidential=len(listed) - len(shared),
    )


def _lead_only(deviation: Deviation) -> bool:
    return deviation.source == Deviation.Source.GRIEVANCE


def may_see_deviation(access: CaseAccess, deviation: Deviation) -> bool:
    """Return whether the viewer may see the deviation at all (its text is another question)."""
    if access.can_manage or access.is_supplier:
        return True  # the supplier must remedy even a confidential deviation (in our wording)
    if _lead_only(deviation):
        return False
    if not deviation.confidential:
        return True
    # an auditor sees the confidential findings of its own audits, never those of no audit
    return deviation.audit_id is not None and deviation.audit_id in access.own_audit_ids


def mail_counts_deviation_by_area_only(access: CaseAccess, deviation: Deviation) -> bool:
    """Return whether a mail tells a reader who may see the deviation (``may_see_deviation``)
    only that it exists and its area (a count, as "1 confidential deviation: human rights"),
    never its heading, commitment, text or site: a confidential deviation and one from a
    grievance, whoever reads (a mail leaves hallbar's access control, so even the lead reads it
    on the case page). A deviation the reader may not see is not in its mail at all."""
    return deviation.confidential or _lead_only(deviation)


def supplier_reads_own_wording(deviation: Deviation) -> bool:
    """Return whether the supplier reads the lead's wording instead of the deviation's text."""
    return deviation.confidential or deviation.source == Deviation.Source.GRIEVANCE


def _supplier_only(access: CaseAccess) -> bool:
    return access.is_supplier and not access.confidential


def deviation_label_for(access: CaseAccess, deviation: Deviation) -> str:
    """Return the deviation's heading for the viewer: the supplier does not learn the source."""
    if _supplier_only(access) and supplier_reads_own_wording(deviation):
        if deviation.requirement is not None:
            return str(deviation.requirement.code)
        return str(_("Code of Conduct"))
    return deviation.label


def deviation_commitment_for(access: CaseAccess, deviation: Deviation) -> str:
    """Return the commitment breached as the viewer may read it: the supplier does not read it
    for a deviation it reads in the lead's wording (it may name the source, e.g. a grievance)."""
    if _supplier_only(access) and supplier_reads_own_wording(deviation):
        return ""
    return deviation.commitment


def sees_internal_events(access: CaseAccess) -> bool:
    """Return whether the viewer reads the case's internal (confidential) events: the lead only.

    An auditor is not the lead: the internal timeline names confidential findings of every audit
    of the case, also another firm's, and the lead's own notes.
    """
    return access.can_manage


def may_see_site_name(access: CaseAccess, site) -> bool:
    """Return whether the viewer may read a site's name on the case: a tier-1 site's always; a
    sub-supplier's (tier 2 and on) by the supplier registry's one rule, which this app's grant
    extends to the case's lead and auditors (``CaseAccess.sees_sub_supplier_names``)."""
    return site.tier <= 1 or access.sees_sub_supplier_names


def deviation_text_for(access: CaseAccess, deviation: Deviation) -> str:
    """Return the description of the deviation that the viewer may read ("" if none yet).

    A supplier (not also the lead or an auditor of the case) reads the lead's wording of a
    confidential or grievance-based deviation, never its source text.
    """
    if _supplier_only(access) and supplier_reads_own_wording(deviation):
        return deviation.supplier_description
    return deviation.description


def access_followup(user: User, public_id) -> CaseAccess:
    """Return the case and what user may do with it; 404 if missing or not visible."""
    try:
        followup = (
            followups_visible_to(user)
            .select_related("supplier", "lead_region", "lead_area", "clause", "category")
            .get(public_id=public_id)
        )
    except (FollowUp.DoesNotExist, ValueError):
        raise Http404 from None
    return case_access(user, followup)


def reads_case_in_portal(user: User, access: CaseAccess) -> bool:
    """Return whether the case's page for user is the portal's case page: a supplier contact of
    the case that is not also its lead or auditor and has no role in the cooperation."""
    return access.is_supplier and not access.confidential and follows_cases_in_portal(user)


def access_followup_for_manage(user: User, public_id) -> CaseAccess:
    access = access_followup(user, public_id)
    if not access.can_manage:
        raise Http404
    return access


def access_deviation_for_manage(user: User, public_id) -> Deviation:
    """Return the deviation if user leads its case; 404 otherwise."""
    try:
        deviation = Deviation.objects.select_related("followup").get(public_id=public_id)
    except (Deviation.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_manage(user, deviation.followup):
        raise Http404
    return deviation


def access_followup_as_supplier(user: User, public_id) -> CaseAccess:
    access = access_followup(user, public_id)
    if not access.is_supplier:
        raise Http404
    return access


# --- remedy delivered to the people a deviation harmed ----------------------------------------


def may_see_remedy(access: CaseAccess, remedy: Remedy) -> bool:
    """Return whether the viewer may see a remedy: whoever may see its deviation."""
    return remedy.deviation.followup_id == access.followup.pk and may_see_deviation(
        access, remedy.deviation
    )


def remedy_verification_for(access: CaseAccess, remedy: Remedy) -> str:
    """Return how the remedy was verified, as the viewer may read it ("" if not at all).

    The supplier does not read it for a deviation it reads in the lead's wording: the
    verification of a confidential or grievance-based deviation may name the workers interviewed.
    """
    if _supplier_only(access) and supplier_reads_own_wording(remedy.deviation):
        return ""
    return remedy.verification


def action_verification_for(access: CaseAccess, deviation: Deviation, action) -> str:
    """Return how an action of the deviation's plan was verified, as the viewer may read it.

    As for remedy (``remedy_verification_for``): the supplier does not read it for a deviation
    it reads in the lead's wording, since the verification may name the workers interviewed.
    """
    if _supplier_only(access) and supplier_reads_own_wording(deviation):
        return ""
    return action.verification


def sees_supplier_wording_of(access: CaseAccess, deviation: Deviation) -> bool:
    """Return whether the case page shows the viewer what the supplier reads of the deviation
    (and the link to write it): the lead, for a deviation the supplier reads in its wording."""
    return access.can_manage and supplier_reads_own_wording(deviation)


def sees_case_cost(access: CaseAccess) -> bool:
    """Return whether the viewer reads the case's cost: the lead."""
    return access.can_manage


def remedies_visible_to(user: User) -> QuerySet[Remedy]:
    """Return the remedies user may see: the list form of ``may_see_remedy``."""
    if not user.is_authenticated:
        return Remedy.objects.none()
    visible = Remedy.objects.filter(deviation__followup__in=followups_visible_to(user))
    return visible.filter(_deviation_rule(user, "deviation__", "deviation__followup__"))


def can_record_remedy(access: CaseAccess) -> bool:
    """Return whether the viewer records (verified) remedy on the case's deviations: the lead,
    while the case is not cancelled."""
    return access.can_manage and access.followup.status != State.CANCELLED


def can_report_remedy(access: CaseAccess) -> bool:
    """Return whether the viewer reports remedy in the portal: the case's supplier, while the
    case is not cancelled."""
    return access.is_supplier and access.followup.status != State.CANCELLED


def _deviation_of_case(access: CaseAccess, public_id) -> Deviation:
    try:
        deviation = access.followup.deviations.select_related("requirement", "site").get(
            public_id=public_id
        )
    except (Deviation.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not may_see_deviation(access, deviation):
        raise Http404
    deviation.followup = access.followup
    return deviation


def access_deviation_for_remedy(user: User, public_id) -> tuple[CaseAccess, Deviation]:
    """Return the case and the deviation if user may record remedy on it (the lead); 404
    otherwise."""
    try:
        followup_id = Deviation.objects.values_list("followup__public_id", flat=True).get(
            public_id=public_id
        )
    except (Deviation.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    access = access_followup(user, followup_id)
    if not can_record_remedy(access):
        raise Http404
    return access, _deviation_of_case(access, public_id)


def access_deviation_as_supplier(user: User, public_id) -> tuple[CaseAccess, Deviation]:
    """Return the case and the deviation if user is its supplier and may report remedy on it;
    404 otherwise (another company's deviation is as missing as one that does not exist)."""
    try:
        followup_id = Deviation.objects.values_list("followup__public_id", flat=True).get(
            public_id=public_id
        )
    except (Deviation.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    access = access_followup(user, followup_id)
    if not can_report_remedy(access):
        raise Http404
    return access, _deviation_of_case(access, public_id)


def access_remedy_for_review(user: User, public_id) -> tuple[CaseAccess, Remedy]:
    """Return the case and the remedy if user leads its case (verifies or rejects); 404
    otherwise."""
    try:
        remedy = Remedy.objects.select_related(
            "deviation__followup", "deviation__requirement", "deviation__site", "reported_by"
        ).get(public_id=public_id)
    except (Remedy.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    access = access_followup(user, remedy.deviation.followup.public_id)
    if not access.can_manage:
        raise Http404
    return access, remedy


def access_audit(user: User, public_id) -> tuple[Audit, bool]:
    """Return the audit and whether user may write in it (the assigned auditor or the lead).

    Only the lead and the assigned auditor see an audit's page: it holds the confidential report.
    """
    try:
        audit = Audit.objects.select_related("followup", "firm", "auditor").get(public_id=public_id)
    except (Audit.DoesNotExist, ValueError):
        raise Http404 from None
    own = audit.auditor_id is not None and audit.auditor_id == getattr(user, "pk", None)
    if own and user.has_role(Role.AUDITOR):
        return audit, True
    if can_manage(user, audit.followup):
        return audit, True
    raise Http404


def can_list_own_audits(user: User) -> bool:
    """Return whether user has a "my audits" list: third-party auditors."""
    return user.is_authenticated and user.has_role(Role.AUDITOR)


def audits_assigned_to(user: User) -> QuerySet[Audit]:
    """Return the audits assigned to user as auditor: the audits whose pages it may open and
    write in as auditor (``access_audit``), its "my audits" list."""
    if not can_list_own_audits(user):
        return Audit.objects.none()
    return Audit.objects.filter(auditor=user)


def access_document(user: User, public_id) -> Document:
    """Return the document if user may download it; 404 otherwise."""
    try:
        document = Document.objects.select_related("followup", "report").get(public_id=public_id)
    except (Document.DoesNotExist, ValueError):
        raise Http404 from None
    if document.followup is None:
        if document.report is not None and can_see_report(user, document.report):
            return document
        raise Http404
    if not followups_visible_to(user).filter(pk=document.followup.pk).exists():
        raise Http404
    if not may_see_document(case_access(user, document.followup), document):
        raise Http404
    return document


def may_see_document(access: CaseAccess, document: Document) -> bool:
    """Return whether the viewer of the case may see (list and download) one of its documents.

    - an audit report, or any document of an audit: the lead and the auditor of that audit;
    - a confidential document (a business secret the supplier gave as evidence): the lead (the
      lead region and the secretariat) and the supplier that gave it; not the case's auditors,
      not other participating regions (the portal promises the supplier exactly this);
    - any other document: whoever sees the case.
    """
    if document.purpose == Document.Purpose.AUDIT_REPORT or document.audit_id:
        return may_see_audit(access, document.audit_id)
    if not document.confidential:
        return True
    return access.can_manage or access.is_supplier


def reports_visible_to(user: User) -> QuerySet[Report]:
    if not user.is_authenticated:
        return Report.objects.none()
    if user.is_secretariat:
        return Report.objects.all()
    condition = Q(pk__in=[])
    suppliers = supplier_organisation_ids(user)
    if suppliers:
        # Its own zero-tolerance reports; grievances may identify the people who raised them.
        condition |= Q(supplier__organisation_id__in=suppliers, kind=Report.Kind.ZERO_TOLERANCE)
    # the lead of the case a report became (``can_manage``): the lead region's staff and the lead
    # area's coordinator
    regions = user.region_ids(*LEAD_ROLES)
    if regions:
        condition |= Q(followup__lead_region_id__in=regions)
    areas = coordinated_area_ids(user)
    if areas:
        condition |= Q(followup__lead_area_id__in=areas)
    return Report.objects.filter(condition)


def can_see_report(user: User, report: Report) -> bool:
    return reports_visible_to(user).filter(pk=report.pk).exists()


def can_triage_reports(user: User) -> bool:
    return user.is_authenticated and user.is_secretariat


def can_register_grievances(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OPENER_ROLES)


def access_report(user: User, public_id) -> tuple[Report, bool]:
    try:
        report = reports_visible_to(user).select_related("supplier").get(public_id=public_id)
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None
    return report, can_triage_reports(user)


# --- who is told: mail recipients follow the same rules as the pages --------------------------


def _active_members(**membership) -> QuerySet[User]:
    prefixed = {f"memberships__{key}": value for key, value in membership.items()}
    return User.objects.filter(is_active=True, memberships__is_active=True, **prefixed).distinct()


def supplier_contacts_of(followup: FollowUp) -> QuerySet[User]:
    """Return the supplier's contacts (``is_supplier_of`` the case): they get the supplier's
    mails, whose bodies hold nothing the portal hides."""
    if not followup.supplier.organisation_id:
        return User.objects.none()
    return _active_members(
        role=Role.SUPPLIER_CONTACT, organisation_id=followup.supplier.organisation_id
    )


def lead_contacts_of(followup: FollowUp) -> QuerySet[User]:
    """Return who is told of what the lead must do: the lead region's sustainability contacts
    and coordinators and the lead area's coordinators, all of whom ``can_manage`` the case."""
    users = _active_members(
        role__in=[Role.REGION_CONTACT, Role.AREA_COORDINATOR],
        organisation__region=followup.lead_region_id,
    )
    if followup.lead_area_id:
        users = users | _active_members(role=Role.AREA_COORDINATOR, area_id=followup.lead_area_id)
    return users.distinct()


def participants_of(followup: FollowUp) -> QuerySet[User]:
    """Return the buyers and contacts of every region with an active contract with the supplier:
    they see the case (``followups_visible_to``) and are told of its results and of a
    zero-tolerance deviation."""
    return _active_members(
        role__in=[Role.BUYER, Role.REGION_CONTACT],
        organisation__region__contracts__supplier=followup.supplier_id,
        organisation__region__contracts__status="active",
    )


def secretariat_users() -> QuerySet[User]:
    return _active_members(role=Role.SECRETARIAT)


def leads_or_audits_a_case_of(user: User, supplier) -> bool:
    """Return whether user leads a case of the supplier or is assigned to one of its audits.

    Registered with the supplier registry (``apps.py``) as a grant to read the supplier's
    sub-supplier names; the rule itself is ``suppliers.access.sees_sub_supplier_names``.
    """
    regions = user.region_ids(*LEAD_ROLES)
    areas = coordinated_area_ids(user)
    cases = FollowUp.objects.filter(supplier=supplier)
    if (regions or areas) and cases.filter(
        Q(lead_region_id__in=regions) | Q(lead_area_id__in=areas)
    ).exists():
        return True
    return user.has_role(Role.AUDITOR) and cases.filter(audits__auditor=user).exists()


def sees_sub_supplier_names(user: User, supplier) -> bool:
    """Return whether user may see the names of the supplier's sub-suppliers (tier 2 and on)."""
    return suppliers_access.sees_sub_supplier_names(user, supplier)
