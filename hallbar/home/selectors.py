"""Build each person's start page: their own work first (what to do, where, by when), then
what they can do here, and the next step when nothing exists.

Every list is read through the owning app's access rules (``followups_visible_to``,
``contracts_visible_to``, ``audits_assigned_to``, ...): this module decides what is *work* for a
role, never what a person may see.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from hallbar.contracts.access import contracts_visible_to, sees_contract_internals
from hallbar.contracts.selectors import bought_by
from hallbar.core.access import import_jobs_visible_to
from hallbar.core.models import ImportJob
from hallbar.followups.access import (
    audits_assigned_to,
    can_triage_reports,
    coordinated_area_ids,
    deviations_for_statistics,
    followups_visible_to,
    reports_visible_to,
    supplier_organisation_ids,
)
from hallbar.followups.deadlines import overdue_reasons, supplier_lights
from hallbar.followups.models import Action, ActionPlan, Audit, Deviation, Report
from hallbar.followups.states import OPEN_STATES, State
from hallbar.funding.models import BudgetLine, RegionDecision
from hallbar.funding.selectors import contributions_for_year
from hallbar.organisations.models import Organisation, Role, User
from hallbar.planning.access import can_approve_plans, can_edit_plans, can_view_plans
from hallbar.planning.models import FollowUpPlan
from hallbar.requirements.access import can_edit_library
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion
from hallbar.suppliers.access import can_merge_suppliers
from hallbar.suppliers.models import MatchReview
from hallbar.training.models import Module
from hallbar.training.selectors import (
    open_assignments_for,
    overdue_assignments_for,
    published_modules,
    supplier_module_offer,
)

ENDING_WITHIN = timedelta(days=183)  # "contracts ending within six months"
MAX_ITEMS = 10  # per list; the list's own page has the rest


@dataclass
class WorkItem:
    """One thing for the person to do or watch: where it is done, and by when."""

    text: str
    url: str
    due: date | None = None
    due_label: str = ""  # what the date is: "due", "ends", "planned"
    detail: str = ""
    overdue: bool = False
    light: str = ""  # a supplier's traffic light, where the item is a supplier


@dataclass
class WorkList:
    title: str
    empty: str  # what the page says when there is nothing
    items: list[WorkItem] = field(default_factory=list)
    more_url: str = ""
    more_text: str = ""
    total: int = 0  # all items, when more than are shown

    def add(self, items: list[WorkItem]) -> "WorkList":
        self.total = len(items)
        self.items = items[:MAX_ITEMS]
        return self

    def add_first(self, rows: QuerySet[Any], item: Callable[[Any], WorkItem]) -> "WorkList":
        """Add the first MAX_ITEMS rows as items, reading only those (and counting the rest in
        the database when there are more): a region's list may hold thousands of contracts."""
        first = list(rows[: MAX_ITEMS + 1])
        self.total = rows.count() if len(first) > MAX_ITEMS else len(first)
        self.items = [item(row) for row in first[:MAX_ITEMS]]
        return self


@dataclass
class Card:
    title: str
    text: str
    url: str = ""
    link_text: str = ""
    figure: str = ""
    empty: bool = False


@dataclass
class StartPage:
    roles: list[str]
    organisations: list[str]
    cards: list[Card] = field(default_factory=list)
    work: list[WorkList] = field(default_factory=list)
    figures: list[Card] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        return any(work.items for work in self.work)


def start_page_for(user: User, *, year: int, today: date | None = None) -> StartPage:
    """Return the start page for user's roles: their work, key figures, then the cards."""
    today = today or timezone.localdate()
    memberships = user.active_memberships
    page = StartPage(
        roles=sorted({m.get_role_display() for m in memberships}),
        organisations=sorted({m.organisation.name for m in memberships}),
    )
    page.work = work_for(user, today=today)
    page.figures = key_figures_for(user, year=year)
    if not memberships:
        page.cards.append(
            Card(
                _("No role yet"),
                _(
                    "Your account has no role in any organisation yet. Ask the secretariat to "
                    "add you to your region, audit firm or company."
                ),
                empty=True,
            )
        )
        return page
    roles = user.roles
    if Role.SECRETARIAT in roles:
        lines = BudgetLine.objects.filter(year=year).count()
        page.cards.append(
            Card(
                _("Secretariat budget %(year)s") % {"year": year},
                _(
                    "%(count)s budget lines. Reconcile posts and activities against the regions' "
                    "contributions."
                )
                % {"count": lines}
                if lines
                else _("No budget for %(year)s yet. Add the first post or activity.")
                % {"year": year},
                reverse("funding:budget") + f"?year={year}",
                _("Open the budget"),
                empty=not lines,
            )
        )
    if roles & {Role.SECRETARIAT, Role.STEERING_GROUP}:
        decided = (
            RegionDecision.objects.filter(status=RegionDecision.Status.APPROVED)
            .values("region")
            .distinct()
            .count()
        )
        page.cards.append(
            Card(
                _("Regions' decisions"),
                _("%(count)s of 21 regions have approved the programme and the fee.")
                % {"count": decided},
                reverse("funding:region-decisions"),
                _("See which regions have decided"),
                figure=f"{decided}/21",
            )
        )
    if Role.AREA_COORDINATOR in roles:
        for membership in memberships:
            # a constraint makes an area coordinator's membership name its area
            if membership.role == Role.AREA_COORDINATOR and membership.area is not None:
                page.cards.append(
                    Card(
                        _("You coordinate %(area)s") % {"area": membership.area},
                        _(
                            "Lead the follow-ups of the categories your area owns; see its regions "
                            "and categories."
                        ),
                        reverse("organisations:region-list") + f"#area-{membership.area.code}",
                        _("See the area"),
                    )
                )
    region_roles = {Role.REGION_CONTACT, Role.BUYER, Role.AREA_COORDINATOR, Role.STEERING_GROUP}
    region_ids = user.region_ids(*region_roles)
    if region_ids:
        amounts = {c.region.pk: c for c in contributions_for_year(year)}
        for membership in memberships:
            if membership.role not in region_roles:
                continue
            region = membership.organisation.region
            if region.pk not in region_ids:
                continue
            region_ids.discard(region.pk)
            contribution = amounts.get(region.pk)
            page.cards.append(
                Card(
                    region.name,
                    _("Your region's contribution to the national secretariat in %(year)s.")
                    % {"year": year},
                    reverse("organisations:region-detail", args=[region.county_code]),
                    _("Open your region"),
                    figure=f"{number_format(contribution.amount_sek, force_grouping=True)} kr"
                    if contribution and contribution.amount_sek is not None
                    else "",
                )
            )
    if roles & {Role.BUYER, Role.REGION_CONTACT, Role.STEERING_GROUP, Role.AREA_COORDINATOR}:
        page.cards.append(
            Card(
                _("Contributions"),
                _("Every region's contribution per year, the fee decisions and a chart."),
                reverse("funding:contribution-list"),
                _("See the contributions"),
            )
        )
    if Role.SUPPLIER_CONTACT in roles:
        companies = [
            m.organisation.name
            for m in memberships
            if m.organisation.kind == Organisation.Kind.SUPPLIER
        ]
        page.cards.append(
            Card(
                _("Your company: %(names)s") % {"names": ", ".join(companies)},
                _(
                    "Your company's follow-up cases, deviations and reports are in the supplier "
                    "portal. Report a zero-tolerance deviation in your supply chain there as soon "
                    "as you know of it."
                ),
                reverse("portal:home"),
                _("Open the supplier portal"),
            )
        )
    return page


# --- each role's work ---------------------------------------------------------------------------


def work_for(user: User, *, today: date) -> list[WorkList]:
    """Return the lists of work for each of user's roles, most pressing role first."""
    if not user.is_authenticated:
        return []
    roles = user.roles
    lists: list[WorkList] = []
    if Role.SUPPLIER_CONTACT in roles:
        lists += _supplier_work(user, today)
    if Role.AUDITOR in roles:
        lists += _auditor_work(user, today)
    if Role.SECRETARIAT in roles:
        lists += _secretariat_work(user, today)
    if Role.STEERING_GROUP in roles:
        lists += _steering_work(user, today)
    if Role.REGION_CONTACT in roles:
        lists += _region_contact_work(user, today)
    if Role.AREA_COORDINATOR in roles:
        lists += _coordinator_work(user, today)
    if Role.BUYER in roles:
        lists += _buyer_work(user, today)
    lists += _training_work(user, today)
    return lists


def _case_url(followup) -> str:
    return reverse("followups:followup-detail", args=[followup.public_id])


def _due(item: WorkItem, today: date) -> WorkItem:
    item.overdue = item.due is not None and item.due < today
    return item


def _by_due(items: list[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max, i.text))


def _supplier_work(user: User, today: date) -> list[WorkList]:
    cases = followups_visible_to(user).filter(
        supplier__organisation_id__in=supplier_organisation_ids(user)
    )

    def portal(followup) -> str:
        return reverse("portal:case", args=[followup.public_id])

    questionnaires = []
    for case in cases.filter(status=State.SENT).select_related("response").order_by("due_date"):
        response = getattr(case, "response", None)
        returned = response is not None and response.status == response.Status.RETURNED
        questionnaires.append(
            _due(
                WorkItem(
                    _("Answer the self-assessment, case %(ref)s") % {"ref": case.reference},
                    portal(case),
                    case.due_date,
                    _("due"),
                    _("Returned to you for completion") if returned else "",
                ),
                today,
            )
        )
    plans = []
    plan_cases = (
        cases.filter(status__in=[State.DEVIATIONS, State.ACTION_PLAN])
        .filter(
            Q(action_plan__isnull=True)
            | Q(action_plan__status__in=[ActionPlan.Status.DRAFT, ActionPlan.Status.REJECTED])
        )
        .annotate(
            plan_due=Min(
                "deviations__plan_due",
                filter=Q(deviations__status=Deviation.Status.OPEN),
            )
        )
    )
    for case in plan_cases:
        plans.append(
            _due(
                WorkItem(
                    _("Write the action plan, case %(ref)s") % {"ref": case.reference},
                    portal(case),
                    case.plan_due,
                    _("due"),
                ),
                today,
            )
        )
    actions = Action.objects.filter(
        plan__followup__in=cases,
        plan__followup__status=State.ACTION_PLAN,
        plan__status__in=[ActionPlan.Status.SUBMITTED, ActionPlan.Status.ACCEPTED],
        status__in=[Action.Status.OPEN, Action.Status.REJECTED],
    ).select_related("plan__followup")
    for action in actions:
        case = action.plan.followup
        plans.append(
            _due(
                WorkItem(
                    _("Report an action done, case %(ref)s: %(action)s")
                    % {"ref": case.reference, "action": action.description[:80]},
                    portal(case),
                    action.deadline,
                    _("due"),
                    _("Not enough: do more and report again")
                    if action.status == Action.Status.REJECTED
                    else "",
                ),
                today,
            )
        )
    reports = []
    zero_tolerance = Deviation.objects.filter(
        followup__in=cases.filter(status__in=OPEN_STATES),
        zero_tolerance=True,
        status=Deviation.Status.OPEN,
        report_due__isnull=False,
        actions__isnull=True,
    ).select_related("followup")
    for deviation in zero_tolerance:
        case = deviation.followup
        reports.append(
            _due(
                WorkItem(
                    _("Report on the zero-tolerance deviation, case %(ref)s")
                    % {"ref": case.reference},
                    portal(case),
                    deviation.report_due,
                    _("due"),
                ),
                today,
            )
        )
    return [
        WorkList(
            _("Questionnaires to answer"),
            _("No questionnaire is waiting for your answers."),
        ).add(questionnaires),
        WorkList(
            _("Action plans and actions"),
            _("No action plan or action is due from your company."),
        ).add(_by_due(plans)),
        WorkList(
            _("Reports to submit"),
            _("No report is due from your company."),
            more_url=reverse("portal:report-create"),
            more_text=_("Report a zero-tolerance deviation"),
        ).add(_by_due(reports)),
    ]


def _auditor_work(user: User, today: date) -> list[WorkList]:
    audits = (
        audits_assigned_to(user)
        .exclude(status=Audit.Status.REPORTED)
        .select_related("followup__supplier")
        .prefetch_related("sites")
        .order_by("planned_date", "created_at")
    )
    items = []
    for audit in audits:
        sites = "; ".join(f"{s.name}, {s.country_name}" for s in audit.sites.all())
        items.append(
            WorkItem(
                _("%(kind)s: %(supplier)s (case %(ref)s)")
                % {
                    "kind": audit.get_kind_display().capitalize(),
                    "supplier": audit.followup.supplier.name,
                    "ref": audit.followup.reference,
                },
                reverse("followups:audit-detail", args=[audit.public_id]),
                audit.planned_date,
                _("planned"),
                _("Status: %(status)s. Sites: %(sites)s")
                % {"status": audit.get_status_display(), "sites": sites or "–"},
            )
        )
    return [
        WorkList(
            _("Your audits"),
            _(
                "No open audits are assigned to you. When an audit is assigned to you, its "
                "scope, documents and report will be here."
            ),
            more_url=reverse("followups:audit-list"),
            more_text=_("All my audits"),
        ).add(items)
    ]


def _overdue_items(cases, today: date) -> list[WorkItem]:
    cases = list(cases.select_related("supplier"))
    reasons = overdue_reasons(cases, today)
    items = [
        WorkItem(
            f"{case.reference} {case.supplier.name}",
            _case_url(case),
            detail="; ".join(reasons[case.pk]),
            overdue=True,
        )
        for case in cases
        if case.pk in reasons
    ]
    return sorted(items, key=lambda i: i.text)


def _overdue_list(cases, today: date) -> WorkList:
    return WorkList(
        _("Overdue"),
        _("Nothing is overdue."),
        more_url=reverse("followups:followup-list") + "?overdue=1&status=open",
        more_text=_("All overdue cases"),
    ).add(_overdue_items(cases, today))


def _case_items(cases, today: date) -> list[WorkItem]:
    """The cases with their traffic light; a case past a deadline is marked overdue by the
    same rule as the overdue list (``followups.deadlines.overdue_reasons``)."""
    cases = list(cases.select_related("supplier").order_by("reference"))
    lights = supplier_lights({c.supplier_id for c in cases})
    overdue = overdue_reasons(cases, today)
    return [
        WorkItem(
            f"{case.reference} {case.supplier.name}",
            _case_url(case),
            case.due_date if case.status == State.SENT else None,
            _("answer due"),
            case.get_status_display().capitalize(),
            overdue=case.pk in overdue,
            light=lights.get(case.supplier_id, ""),
        )
        for case in cases
    ]


def _secretariat_work(user: User, today: date) -> list[WorkList]:
    open_cases = followups_visible_to(user).filter(status__in=OPEN_STATES)
    drafts = []
    if can_edit_library(user):
        for model, name in (
            (CodeOfConduct, "requirements:code-detail"),
            (ContractClause, "requirements:clause-detail"),
            (Criterion, "requirements:criterion-detail"),
        ):
            for version in model.objects.drafts().order_by("-updated_at"):
                drafts.append(
                    WorkItem(
                        str(version),
                        reverse(name, args=[version.public_id]),
                        detail=_("Draft: %(kind)s") % {"kind": model._meta.verbose_name},
                    )
                )
    queue = []
    if can_merge_suppliers(user):
        reviews = MatchReview.objects.filter(status=MatchReview.Status.OPEN).count()
        if reviews:
            queue.append(
                WorkItem(
                    ngettext(
                        "%(count)s possible duplicate supplier to judge",
                        "%(count)s possible duplicate suppliers to judge",
                        reviews,
                    )
                    % {"count": reviews},
                    reverse("suppliers:review-queue"),
                )
            )
    if can_triage_reports(user):
        new_reports = reports_visible_to(user).filter(status=Report.Status.NEW).count()
        if new_reports:
            queue.append(
                WorkItem(
                    ngettext(
                        "%(count)s report or grievance to triage",
                        "%(count)s reports and grievances to triage",
                        new_reports,
                    )
                    % {"count": new_reports},
                    reverse("followups:report-list"),
                )
            )
    return [
        _overdue_list(open_cases, today),
        WorkList(
            _("Drafts waiting for publication"), _("No drafts in the requirement library.")
        ).add(drafts),
        WorkList(_("Review queue"), _("The review queue is empty.")).add(queue),
        _plan_list(user, today),
    ]


def _plan_list(user: User, today: date) -> WorkList:
    work = WorkList(_("Follow-up plan %(year)s") % {"year": today.year}, "")
    if not can_view_plans(user):
        return work
    plan = FollowUpPlan.objects.filter(year=today.year).order_by("-created_at").first()
    if plan is None:
        work.empty = _("No follow-up plan for %(year)s yet.") % {"year": today.year}
        if can_edit_plans(user):
            work.more_url = reverse("planning:plan-create")
            work.more_text = _("Propose the plan")
        return work
    text = {
        FollowUpPlan.Status.PROPOSED: _("The plan %(year)s is proposed: it awaits approval."),
        FollowUpPlan.Status.APPROVED: _("The plan %(year)s is approved."),
        FollowUpPlan.Status.PUBLISHED: _("The plan %(year)s is published."),
    }[FollowUpPlan.Status(plan.status)] % {"year": plan.year}
    return work.add([WorkItem(text, reverse("planning:plan-detail", args=[plan.public_id]))])


def _steering_work(user: User, today: date) -> list[WorkList]:
    items = []
    if can_approve_plans(user):
        for plan in FollowUpPlan.objects.filter(status=FollowUpPlan.Status.PROPOSED).order_by(
            "year"
        ):
            items.append(
                WorkItem(
                    _("Approve the follow-up plan %(year)s") % {"year": plan.year},
                    reverse("planning:plan-detail", args=[plan.public_id]),
                )
            )
    return [WorkList(_("Plans awaiting approval"), _("No plan awaits approval.")).add(items)]


def _region_contact_work(user: User, today: date) -> list[WorkList]:
    regions = user.region_ids(Role.REGION_CONTACT)
    led = followups_visible_to(user).filter(lead_region_id__in=regions, status__in=OPEN_STATES)
    current = ContractClause.objects.published().first()
    contracts = (
        bought_by(contracts_visible_to(user), regions)
        .filter(status="active")
        .exclude(clause=current)
        .select_related("supplier", "clause")
        .order_by("reference")
        if current is not None
        else contracts_visible_to(user).none()
    )

    def missing(c) -> WorkItem:
        return WorkItem(
            f"{c.reference} {c.title}",
            reverse("contracts:contract-detail", args=[c.public_id]),
            c.end_date,
            _("ends"),
            _("%(supplier)s. Clause: %(clause)s")
            % {
                "supplier": c.supplier.name,
                "clause": str(c.clause) if c.clause_id else _("none"),
            },
        )

    return [
        WorkList(
            _("Your region's follow-ups"),
            _("Your region leads no open follow-up."),
            more_url=reverse("followups:followup-list") + "?status=open",
            more_text=_("All follow-up cases"),
        ).add(_case_items(led, today)),
        _overdue_list(led, today),
        WorkList(
            _("Contracts without the current clause"),
            _("Every active contract of your region has the current contract clause."),
        ).add_first(contracts, missing),
    ]


def _coordinator_work(user: User, today: date) -> list[WorkList]:
    cases = followups_visible_to(user).filter(
        lead_area_id__in=coordinated_area_ids(user), status__in=OPEN_STATES
    )
    return [
        WorkList(
            _("Your area's follow-ups"),
            _("Your area leads no open follow-up."),
            more_url=reverse("followups:followup-list") + "?status=open",
            more_text=_("All follow-up cases"),
        ).add(_case_items(cases, today)),
        _overdue_list(cases, today),
    ]


def _buyer_work(user: User, today: date) -> list[WorkList]:
    regions = user.region_ids(Role.BUYER)
    active = bought_by(contracts_visible_to(user), regions).filter(status="active")
    ending = (
        active.filter(end_date__gte=today, end_date__lte=today + ENDING_WITHIN)
        .select_related("supplier")
        .order_by("end_date", "reference")
    )

    def ending_item(c) -> WorkItem:
        return WorkItem(
            f"{c.reference} {c.title}",
            reverse("contracts:contract-detail", args=[c.public_id]),
            c.end_date,
            _("ends"),
            c.supplier.name,
        )

    followed = followups_visible_to(user).filter(
        status__in=OPEN_STATES, supplier__in=active.values("supplier")
    )
    alerts = []
    if sees_contract_internals(user):
        flagged = (
            active.filter(
                supplier__followups__deviations__zero_tolerance=True,
                supplier__followups__deviations__status__in=[
                    Deviation.Status.OPEN,
                    Deviation.Status.PLANNED,
                ],
            )
            .select_related("supplier")
            .distinct()
            .order_by("reference")
        )
        alerts = [
            WorkItem(
                _("%(contract)s: decide on termination") % {"contract": f"{c.reference} {c.title}"},
                reverse("contracts:contract-detail", args=[c.public_id]),
                detail=_("Zero-tolerance deviation at %(supplier)s")
                % {"supplier": c.supplier.name},
            )
            for c in flagged
        ]
    jobs = [
        WorkItem(
            _("Confirm the import of %(file)s") % {"file": job.filename},
            reverse("core:import-job", args=[job.public_id]),
            detail=job.get_kind_display().capitalize(),
        )
        for job in import_jobs_visible_to(user).filter(
            created_by=user, status=ImportJob.Status.AWAITING_CONFIRMATION
        )
    ]
    return [
        WorkList(
            _("Contracts ending within six months"),
            _("None of your region's contracts ends within six months."),
        ).add_first(ending, ending_item),
        WorkList(
            _("Your suppliers under follow-up"),
            _("None of your region's suppliers is under follow-up."),
        ).add(_case_items(followed, today)),
        WorkList(_("Zero-tolerance alerts"), _("No zero-tolerance alerts.")).add(alerts),
        WorkList(_("Imports waiting for you"), _("No import waits for you.")).add(jobs),
    ]


def _module_item(module: Module, language: str) -> WorkItem:
    return WorkItem(module.title_in(language), reverse("training:module", args=[module.public_id]))


def _training_work(user: User, today: date) -> list[WorkList]:
    """Return the person's open training assignments (the overdue marked) and, for a supplier
    contact whose company is followed up, the supplier modules on offer; each list only when it
    has something. Titles are in the reader's language; an assignment whose module has no
    published version (nothing to take yet) is left out."""
    language = get_language() or "sv"
    modules = {m.key: m for m in published_modules()}
    overdue = {a.pk for a in overdue_assignments_for(user, today=today)}
    open_assignments = open_assignments_for(user)
    assigned = []
    for assignment in open_assignments:
        module = modules.get(assignment.module_key)
        if module is None:
            continue
        item = _module_item(module, language)
        item.due = assignment.due_date
        item.due_label = _("due")
        item.detail = assignment.get_source_display().capitalize()
        item.overdue = assignment.pk in overdue
        assigned.append(item)
    lists = []
    if assigned:
        lists.append(
            WorkList(_("Your training"), _("No training is assigned to you.")).add(assigned)
        )
    assigned_keys = {a.module_key for a in open_assignments}
    offered = [
        _module_item(module, language)
        for module in supplier_module_offer(user)
        if module.key not in assigned_keys
    ]
    for item in offered:
        item.detail = _("Recommended while your company is being followed up.")
    if offered:
        lists.append(
            WorkList(_("Training for suppliers"), _("No training is offered to you.")).add(offered)
        )
    return lists


# --- key figures ---------------------------------------------------------------------------------


def key_figures_for(user: User, *, year: int) -> list[Card]:
    """Return the year's key figures for the steering group."""
    if not user.is_authenticated or Role.STEERING_GROUP not in user.roles:
        return []
    cases = followups_visible_to(user).filter(year=year)
    counts = cases.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=State.CLOSED)),
    )
    # an aggregate over many cases: every deviation counts (followups.access)
    deviations = deviations_for_statistics(Deviation.objects.filter(followup__in=cases)).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=[Deviation.Status.OPEN, Deviation.Status.PLANNED])),
    )
    lights = supplier_lights(set(cases.values_list("supplier_id", flat=True)))
    red = sum(1 for light in lights.values() if light == "red")
    url = reverse("followups:followup-list") + f"?year={year}"
    return [
        Card(
            _("Follow-ups %(year)s") % {"year": year},
            _("cases this year"),
            url,
            "",
            str(counts["total"]),
        ),
        Card(_("Closed"), _("cases closed"), url + "&status=closed", "", str(counts["closed"])),
        Card(
            _("Deviations"),
            ngettext(
                "%(open)s of them still open", "%(open)s of them still open", deviations["open"]
            )
            % {"open": deviations["open"]},
            "",
            "",
            str(deviations["total"]),
        ),
        Card(_("Suppliers in red"), _("not remedied in time, or not enough"), "", "", str(red)),
    ]
