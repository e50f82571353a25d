"""The strategy goals pages: periods, their goals, indicators and yearly targets.

Access → form → service → redirect; every gate is in access.py. The cooperation reads, the
secretariat edits.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.reporting import access, selectors, services
from hallbar.reporting.figures import DEFINITIONS
from hallbar.reporting.forms import GoalForm, IndicatorForm, PeriodForm, TargetsForm
from hallbar.reporting.goals import goal_progress
from hallbar.reporting.models import StrategyPeriod

PER_PAGE = 25


def _period_url(period: StrategyPeriod) -> str:
    return reverse("reporting:period-detail", args=[period.public_id])


def _save_or_error(form, save) -> bool:
    """Run save (a service call); put a validation error on form. Return whether it saved."""
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _form_page(request, form, *, title: str, cancel: str, period=None, definitions=False):
    return render(
        request,
        "reporting/goals/form.html",
        {
            "form": form,
            "title": title,
            "cancel": cancel,
            "period": period,
            "definitions": list(DEFINITIONS.values()) if definitions else [],
        },
    )


def _confirm_page(request, *, title: str, question: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "reporting/goals/confirm_delete.html",
        {"title": title, "question": question, "cancel": cancel},
    )


# --- periods ---------------------------------------------------------------------------------


def period_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_goals_view(request.user)
    periods, sort = selectors.periods_sorted(request.GET.get("sort", ""))
    page = Paginator(periods, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/goals/period_list.html",
        {
            "page": page,
            "periods": page.object_list,
            "default_sort": selectors.PERIOD_DEFAULT_SORT,
            "this_year": timezone.localdate().year,
            "can_edit": access.can_edit_goals(request.user),
        },
    )


def period_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    period = access.access_period(request.user, public_id)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, period.start_year), period.end_year)
    return render(
        request,
        "reporting/goals/period_detail.html",
        {
            "period": period,
            "year": year,
            "years": list(period.years),
            "goals": selectors.period_goals(period),
            "progress": goal_progress(year, period=period),
            "history": selectors.period_history(period),
            "can_edit": access.can_edit_goals(request.user),
        },
    )


def period_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_goals_edit(request.user)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved: list[StrategyPeriod] = []
        if _save_or_error(
            form,
            lambda: saved.append(
                services.save_period(period=None, acting_user=request.user, **form.cleaned_data)
            ),
        ):
            messages.success(request, _("The strategy period was added."))
            return redirect(_period_url(saved[0]))
    return _form_page(
        request,
        form,
        title=_("New strategy period"),
        cancel=reverse("reporting:period-list"),
    )


def period_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    period = access.access_period_for_write(request.user, public_id)
    form = PeriodForm(request.POST or None, instance=period)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.save_period(
                period=period, acting_user=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The strategy period was saved."))
        return redirect(_period_url(period))
    return _form_page(
        request,
        form,
        title=_("Edit strategy period"),
        cancel=_period_url(period),
        period=period,
    )


def period_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    period = access.access_period_for_write(request.user, public_id)
    goals = period.goals.count()
    if request.method == "POST":
        services.delete_period(period=period, acting_user=request.user)
        messages.success(request, _("The strategy period was deleted."))
        return redirect("reporting:period-list")
    return _confirm_page(
        request,
        title=_("Delete strategy period"),
        question=ngettext(
            "Delete “%(name)s” with its %(goals)s goal, its indicators and targets? "
            "The deletion is kept in the history.",
            "Delete “%(name)s” with its %(goals)s goals, their indicators and targets? "
            "The deletion is kept in the history.",
            goals,
        )
        % {"name": period.name, "goals": goals},
        cancel=_period_url(period),
    )


# --- goals -----------------------------------------------------------------------------------


def goal_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    period = access.access_period_for_write(request.user, public_id)
    form = GoalForm(request.POST or None, initial={"position": period.goals.count() + 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.save_goal(
                goal=None, period=period, acting_user=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The goal was added."))
        return redirect(_period_url(period))
    return _form_page(
        request,
        form,
        title=_("New goal"),
        cancel=_period_url(period),
        period=period,
    )


def goal_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    goal = access.access_goal_for_write(request.user, public_id)
    form = GoalForm(request.POST or None, instance=goal)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.save_goal(
                goal=goal, period=goal.period, acting_user=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The goal was saved."))
        return redirect(_period_url(goal.period))
    return _form_page(
        request,
        form,
        title=_("Edit goal"),
        cancel=_period_url(goal.period),
        period=goal.period,
    )


def goal_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    goal = access.access_goal_for_write(request.user, public_id)
    period = goal.period
    if request.method == "POST":
        services.delete_goal(goal=goal, acting_user=request.user)
        messages.success(request, _("The goal was deleted."))
        return redirect(_period_url(period))
    return _confirm_page(
        request,
        title=_("Delete goal"),
        question=_(
            "Delete the goal “%(title)s” with its indicators and targets? "
            "The deletion is kept in the history."
        )
        % {"title": goal.title},
        cancel=_period_url(period),
    )


# --- indicators and targets ------------------------------------------------------------------


def indicator_create(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    goal = access.access_goal_for_write(request.user, public_id)
    form = IndicatorForm(request.POST or None, initial={"position": goal.indicators.count() + 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.save_indicator(
                indicator=None, goal=goal, acting_user=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The indicator was added. Set its targets per year."))
        return redirect(_period_url(goal.period))
    return _form_page(
        request,
        form,
        title=_("New indicator for “%(goal)s”") % {"goal": goal.title},
        cancel=_period_url(goal.period),
        period=goal.period,
        definitions=True,
    )


def indicator_edit(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    indicator = access.access_indicator_for_write(request.user, public_id)
    period = indicator.goal.period
    form = IndicatorForm(request.POST or None, instance=indicator)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.save_indicator(
                indicator=indicator,
                goal=indicator.goal,
                acting_user=request.user,
                **form.cleaned_data,
            ),
        )
    ):
        messages.success(request, _("The indicator was saved."))
        return redirect(_period_url(period))
    return _form_page(
        request,
        form,
        title=_("Edit indicator of “%(goal)s”") % {"goal": indicator.goal.title},
        cancel=_period_url(period),
        period=period,
        definitions=True,
    )


def indicator_delete(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    indicator = access.access_indicator_for_write(request.user, public_id)
    period = indicator.goal.period
    if request.method == "POST":
        services.delete_indicator(indicator=indicator, acting_user=request.user)
        messages.success(request, _("The indicator was deleted."))
        return redirect(_period_url(period))
    return _confirm_page(
        request,
        title=_("Delete indicator"),
        question=_(
            "Delete the indicator “%(indicator)s” of the goal “%(goal)s” with its targets? "
            "The deletion is kept in the history."
        )
        % {"indicator": indicator.label, "goal": indicator.goal.title},
        cancel=_period_url(period),
    )


def indicator_targets(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    indicator = access.access_indicator_for_write(request.user, public_id)
    period = indicator.goal.period
    form = TargetsForm(request.POST or None, indicator=indicator)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form,
            lambda: services.set_targets(
                indicator=indicator, targets=form.targets(), acting_user=request.user
            ),
        )
    ):
        messages.success(request, _("The targets were saved."))
        return redirect(_period_url(period))
    return _form_page(
        request,
        form,
        title=_("Targets of “%(indicator)s” (%(goal)s)")
        % {"indicator": indicator.label, "goal": indicator.goal.title},
        cancel=_period_url(period),
        period=period,
    )
