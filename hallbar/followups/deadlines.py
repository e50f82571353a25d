"""Deadlines: reminders before, escalation after, and the supplier's traffic light.

Every reminder has a key (what, which object, which deadline). It is recorded in the same
transaction that sends it, under a unique constraint, so a check that runs twice (two workers, a
retried task, the daily command after the queued task) sends each reminder once.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hallbar.core.deferred import Deferred, deferred, render
from hallbar.followups import notifications
from hallbar.followups.models import (
    Action,
    ActionPlan,
    CaseEvent,
    Deviation,
    FollowUp,
    Reminder,
)
from hallbar.followups.states import OPEN_STATES, State

REMIND_DAYS_BEFORE = 7
WINDOW = timedelta(days=REMIND_DAYS_BEFORE)  # nothing is due further ahead than this


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_LABELS = {
    Light.GREEN: gettext_lazy("green: no deviations, or all remedied"),
    Light.YELLOW: gettext_lazy("yellow: deviations being remedied"),
    Light.RED: gettext_lazy("red: not remedied in time, or not enough"),
}


def deviation_light(deviation: Deviation, today: date, actions=None) -> str:
    """Return the light of one deviation on the given day."""
    if deviation.status == Deviation.Status.REMEDIED:
        return Light.GREEN
    if deviation.status == Deviation.Status.NOT_REMEDIED:
        return Light.RED
    actions = list(deviation.actions.all()) if actions is None else actions
    if deviation.report_due and deviation.report_due < today and not actions:
        return Light.RED
    if not actions:
        return Light.RED if deviation.plan_due < today else Light.YELLOW
    for action in actions:
        if action.status == Action.Status.REJECTED:
            return Light.RED  # not enough
        late = action.deadline < today
        if late and action.status not in {Action.Status.VERIFIED, Action.Status.DONE}:
            return Light.RED  # not remedied in time
    return Light.YELLOW


def worst(lights) -> str:
    lights = set(lights)
    for light in (Light.RED, Light.YELLOW):
        if light in lights:
            return light
    return Light.GREEN


def case_light(followup: FollowUp, today: date | None = None) -> str:
    today = today or timezone.localdate()
    plan = getattr(followup, "action_plan", None)
    lights = [
        deviation_light(d, today) for d in followup.deviations.prefetch_related("actions").all()
    ]
    if plan is not None and plan.status == ActionPlan.Status.REJECTED:
        lights.append(Light.RED)
    return worst(lights)


def supplier_lights(supplier_ids, today: date | None = None) -> dict[int, str]:
    """Return the light of each supplier from the deviations of all its cases."""
    today = today or timezone.localdate()
    lights: dict[int, list[str]] = {pk: [] for pk in supplier_ids}
    deviations = (
        Deviation.objects.filter(followup__supplier_id__in=list(lights))
        .exclude(followup__status=State.CANCELLED)
        .select_related("followup")
        .prefetch_related("actions")
    )
    for deviation in deviations:
        lights[deviation.followup.supplier_id].append(
            deviation_light(deviation, today, list(deviation.actions.all()))
        )
    rejected = ActionPlan.objects.filter(
        followup__supplier_id__in=list(lights), status=ActionPlan.Status.REJECTED
    ).values_list("followup__supplier_id", flat=True)
    for supplier_id in rejected:
        lights[supplier_id].append(Light.RED)
    return {pk: worst(values) for pk, values in lights.items()}


# --- which deadline has passed ------------------------------------------------------------------


def overdue_reasons(followups, today: date | None = None) -> dict[int, list[str]]:
    """Return, per open case, the deadlines that have passed, in words (e.g. "Action plan due
    2026-10-01 not received"): the same deadlines as the case list's "overdue" filter.

    followups are FollowUp objects (their status and answer deadline are read from them); the
    deviations and actions of all of them are read in one query.
    """
    today = today or timezone.localdate()
    cases = [f for f in followups if f.status in OPEN_STATES]
    reasons: dict[int, list[tuple[date, str]]] = {}

    def add(pk: int, due: date, text: str) -> None:
        reasons.setdefault(pk, []).append((due, text))

    for case in cases:
        if case.status == State.SENT and case.due_date and case.due_date < today:
            add(
                case.pk,
                case.due_date,
                _("Self-assessment due %(date)s not received")
                % {"date": case.due_date.isoformat()},
            )
    late = Action.objects.filter(
        status__in=[Action.Status.OPEN, Action.Status.REJECTED], deadline__lt=today
    )
    rows = (
        Deviation.objects.filter(followup_id__in=[c.pk for c in cases])
        .filter(
            Q(status=Deviation.Status.OPEN, plan_due__lt=today)
            | Q(status=Deviation.Status.OPEN, zero_tolerance=True, report_due__lt=today)
            | Q(actions__in=late)
        )
        .values_list(
            "pk",
            "followup_id",
            "status",
            "plan_due",
            "report_due",
            "zero_tolerance",
            "actions__pk",
            "actions__status",
            "actions__deadline",
        )
        .distinct()
    )
    seen: set[tuple[str, int]] = set()
    for pk, case_id, status, plan_due, report_due, zero, action_id, action_status, deadline in rows:
        if status == Deviation.Status.OPEN and ("deviation", pk) not in seen:
            seen.add(("deviation", pk))
            if zero and report_due and report_due < today:
                add(
                    case_id,
                    report_due,
                    _("Zero-tolerance report due %(date)s not received")
                    % {"date": report_due.isoformat()},
                )
            if plan_due < today:
                add(
                    case_id,
                    plan_due,
                    _("Action plan due %(date)s not received") % {"date": plan_due.isoformat()},
                )
        late_action = action_status in {Action.Status.OPEN, Action.Status.REJECTED}
        if action_id and late_action and deadline < today and ("action", action_id) not in seen:
            seen.add(("action", action_id))
            add(
                case_id,
                deadline,
                _("Action due %(date)s not done") % {"date": deadline.isoformat()},
            )
    # one line per deadline, earliest first
    return {
        pk: list(dict.fromkeys(text for _due, text in sorted(items)))
        for pk, items in reasons.items()
    }


# --- reminders and escalation -------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    kind: str
    key: str
    due_date: date
    followup: FollowUp
    audience: tuple[str, ...]  # who is told: "supplier", "lead", "secretariat"
    subject: Deferred
    body: Deferred | str  # a deferred message, or the action's own description
    escalation: bool  # after the deadline: written to the timeline as overdue


SUPPLIER = ("supplier",)
SUPPLIER_AND_LEAD = ("supplier", "lead")
ESCALATION = ("supplier", "lead", "secretariat")


def recipients(item: Due) -> list[str]:
    """Return the addresses of the item's audience (looked up only when it is sent)."""
    return sorted({r.email for group in _audience(item).values() for r in group})


def _audience(item: Due) -> dict[str, list]:
    """Return the item's recipients by the page they work on: the portal or the case page."""
    audience: dict[str, list] = {"portal": [], "case": []}
    if "supplier" in item.audience:
        audience["portal"] += notifications.supplier_recipients(item.followup)
    if "lead" in item.audience:
        audience["case"] += notifications.lead_recipients(item.followup)
    if "secretariat" in item.audience:
        audience["case"] += notifications.secretariat_recipients()
    return audience


def _send(item: Due, audience: dict[str, list]) -> None:
    notifications.mail(
        audience["portal"], item.subject, item.body, notifications.portal_url(item.followup)
    )
    notifications.mail(
        audience["case"], item.subject, item.body, notifications.case_url(item.followup)
    )


def _answer_dues(today: date, case_filter: dict) -> Iterator[Due]:
    cases = FollowUp.objects.filter(
        status=State.SENT, due_date__lte=today + WINDOW, **case_filter
    ).select_related("supplier", "lead_region")
    for case in cases:
        due = case.due_date
        if due is None:  # not matched by the due_date__lte filter
            continue
        if due - timedelta(days=REMIND_DAYS_BEFORE) <= today <= due:
            yield Due(
                "answer_reminder",
                f"case:{case.pk}",
                due,
                case,
                SUPPLIER,
                deferred(
                    gettext_noop("Reminder %(ref)s: answer the self-assessment by %(date)s"),
                    ref=case.reference,
                    date=due,
                ),
                deferred(gettext_noop("Log in to hallbar's supplier portal to answer.")),
                False,
            )
        elif today > due:
            yield Due(
                "answer_overdue",
                f"case:{case.pk}",
                due,
                case,
                SUPPLIER_AND_LEAD,
                deferred(
                    gettext_noop("%(ref)s: the self-assessment was due %(date)s"),
                    ref=case.reference,
                    date=due,
                ),
                deferred(gettext_noop("The deadline has passed. The lead region follows up.")),
                True,
            )


def _plan_dues(today: date, case_filter: dict) -> Iterator[Due]:
    deviations = (
        Deviation.objects.filter(
            status=Deviation.Status.OPEN,
            followup__status__in=OPEN_STATES,
            actions__isnull=True,
            plan_due__lte=today + WINDOW,
            **{f"followup__{k}": v for k, v in case_filter.items()},
        )
        .exclude(followup__action_plan__status=ActionPlan.Status.SUBMITTED)
        .select_related("followup", "followup__supplier", "followup__lead_region")
    )
    for deviation in deviations:
        case = deviation.followup
        due = deviation.plan_due
        if due - timedelta(days=REMIND_DAYS_BEFORE) <= today <= due:
            yield Due(
                "plan_reminder",
                f"deviation:{deviation.pk}",
                due,
                case,
                SUPPLIER,
                deferred(
                    gettext_noop("Reminder %(ref)s: submit an action plan by %(date)s"),
                    ref=case.reference,
                    date=due,
                ),
                deferred(
                    gettext_noop("Log in to hallbar's supplier portal to write the action plan.")
                ),
                False,
            )
        elif today > due:
            yield Due(
                "plan_overdue",
                f"deviation:{deviation.pk}",
                due,
                case,
                ESCALATION,
                deferred(
                    gettext_noop("%(ref)s: the action plan for deviation %(dev)s was due %(date)s"),
                    ref=case.reference,
                    dev=str(deviation.number),
                    date=due,
                ),
                deferred(
                    gettext_noop(
                        "The deadline has passed: the supplier's light is red and vite may accrue."
                    )
                ),
                True,
            )


def _action_dues(today: date, case_filter: dict) -> Iterator[Due]:
    actions = Action.objects.filter(
        status__in=[Action.Status.OPEN, Action.Status.REJECTED],
        plan__followup__status__in=OPEN_STATES,
        deadline__lte=today + WINDOW,
        **{f"plan__followup__{k}": v for k, v in case_filter.items()},
    ).select_related("plan__followup", "plan__followup__supplier", "plan__followup__lead_region")
    for action in actions:
        case = action.plan.followup
        if action.deadline - timedelta(days=REMIND_DAYS_BEFORE) <= today <= action.deadline:
            yield Due(
                "action_reminder",
                f"action:{action.pk}",
                action.deadline,
                case,
                SUPPLIER,
                deferred(
                    gettext_noop("Reminder %(ref)s: an action is due %(date)s"),
                    ref=case.reference,
                    date=action.deadline,
                ),
                action.description,
                False,
            )
        elif today > action.deadline:
            yield Due(
                "action_overdue",
                f"action:{action.pk}",
                action.deadline,
                case,
                ESCALATION,
                deferred(
                    gettext_noop("%(ref)s: an action was due %(date)s and is not done"),
                    ref=case.reference,
                    date=action.deadline,
                ),
                action.description,
                True,
            )


def due_items(today: date, followup_id: int | None = None) -> list[Due]:
    """Return the reminders and escalations due on the day (of one case, or of all)."""
    case_filter = {} if followup_id is None else {"pk": followup_id}
    return [
        *_answer_dues(today, case_filter),
        *_plan_dues(today, case_filter),
        *_action_dues(today, case_filter),
    ]


def send_due_reminders(today: date | None = None, followup_id: int | None = None) -> int:
    """Send every reminder and escalation due on the day that has not been sent; return how many."""
    today = today or timezone.localdate()
    sent = 0
    for item in due_items(today, followup_id):
        sent_before = Reminder.objects.filter(
            kind=item.kind, key=item.key, due_date=item.due_date
        ).exists()
        if sent_before:
            continue
        audience = _audience(item)
        addresses = sorted({r.email for group in audience.values() for r in group})
        try:
            with transaction.atomic():
                # The unique constraint stops a run that got past the check at the same time.
                Reminder.objects.create(
                    kind=item.kind,
                    key=item.key,
                    due_date=item.due_date,
                    recipients=addresses,
                    followup=item.followup,
                )
                CaseEvent.objects.create(
                    followup=item.followup,
                    kind=CaseEvent.Kind.OVERDUE if item.escalation else CaseEvent.Kind.REMINDER,
                    message=render(item.subject),
                    text=item.subject,
                )
                _send(item, audience)
        except IntegrityError:
            continue  # already sent by another run
        sent += 1
    return sent
