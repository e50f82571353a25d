"""Build each person's start page: what they can do here, and the next step when nothing exists."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hallbar.funding.models import BudgetLine, RegionDecision
from hallbar.funding.selectors import contributions_for_year
from hallbar.organisations.models import Organisation, Role, User


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


def start_page_for(user: User, *, year: int) -> StartPage:
    """Return the cards of the start page for user's roles, in a stable order."""
    memberships = user.active_memberships
    page = StartPage(
        roles=sorted({m.get_role_display() for m in memberships}),
        organisations=sorted({m.organisation.name for m in memberships}),
    )
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
            if membership.role == Role.AREA_COORDINATOR:
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
    if Role.AUDITOR in roles:
        page.cards.append(
            Card(
                _("Your audits"),
                _(
                    "No audits are assigned to you yet. When the secretariat assigns an audit to "
                    "your firm, its scope, documents and report will be here."
                ),
                empty=True,
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
                    "No questionnaires or action plans for your company yet. When the regions "
                    "send a self-assessment, you will answer it here."
                ),
                empty=True,
            )
        )
    return page
