"""Reads of the training package: a person's modules and assignments, and participation.

``overdue_assignments_for(user)`` and ``open_assignments_for(user)`` are for the start page;
``supplier_module_offer(user)`` is for the supplier portal (docs/DESIGN.md, "Training").
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from hallbar.contracts.models import Contract
from hallbar.followups.models import FollowUp
from hallbar.followups.states import State
from hallbar.organisations.models import Membership, Region, Role, User
from hallbar.training.models import (
    AUDIENCE_ROLE,
    Assignment,
    Audience,
    Certificate,
    Module,
    ModuleStatus,
)

# The roles whose participation is followed per region (they work in a region).
REGION_ROLES = (Role.BUYER, Role.REGION_CONTACT, Role.AREA_COORDINATOR)


def audiences_of(user: User) -> set[str]:
    return {audience for audience, role in AUDIENCE_ROLE.items() if role in user.roles}


def published_modules() -> list[Module]:
    return list(Module.objects.filter(status=ModuleStatus.PUBLISHED))


def completed_keys(user: User) -> set[str]:
    return set(
        Certificate.objects.filter(user=user).values_list("module__key", flat=True).distinct()
    )


@dataclass
class MyModule:
    module: Module
    assignment: Assignment | None
    certificate: Certificate | None
    for_me: bool

    @property
    def overdue(self) -> bool:
        return bool(
            self.assignment
            and not self.certificate
            and self.assignment.due_date < timezone.localdate()
        )


def my_modules(user: User) -> list[MyModule]:
    """Return the published modules with what user has of each: assignment, certificate; the
    assigned and those written for user's roles first."""
    assignments = {a.module_key: a for a in Assignment.objects.filter(user=user)}
    certificates: dict[str, Certificate] = {}
    for certificate in Certificate.objects.filter(user=user).select_related("module"):
        certificates.setdefault(certificate.module.key, certificate)
    mine = audiences_of(user)
    rows = [
        MyModule(
            module=m,
            assignment=assignments.get(m.key),
            certificate=certificates.get(m.key),
            for_me=bool(set(m.audiences) & mine),
        )
        for m in published_modules()
    ]
    rows.sort(key=lambda r: (r.assignment is None, not r.for_me, r.module.order, r.module.key))
    return rows


def open_assignments_for(user: User) -> list[Assignment]:
    """Return user's assignments not yet completed, soonest due first."""
    if not user.is_authenticated:
        return []
    done = completed_keys(user)
    return [a for a in Assignment.objects.filter(user=user) if a.module_key not in done]


def overdue_assignments_for(user: User, *, today: date | None = None) -> list[Assignment]:
    today = today or timezone.localdate()
    return [a for a in open_assignments_for(user) if a.due_date < today]


def supplier_module_offer(user: User) -> list[Module]:
    """Return the published supplier modules to offer a supplier contact whose company has an
    open follow-up case (and who has not completed them). The caller shows each in the
    supplier's language (``Module.title_in``)."""
    if not user.is_authenticated or not user.has_role(Role.SUPPLIER_CONTACT):
        return []
    organisations = user.organisation_ids(Role.SUPPLIER_CONTACT)
    has_open = (
        FollowUp.objects.filter(supplier__organisation_id__in=organisations)
        .exclude(status__in=[State.CLOSED, State.CANCELLED, State.PLANNED])
        .exists()
    )
    if not has_open:
        return []
    done = completed_keys(user)
    return [
        m for m in published_modules() if Audience.SUPPLIER in m.audiences and m.key not in done
    ]


# --- participation -------------------------------------------------------------------------


@dataclass
class Cell:
    people: int = 0
    completed: int = 0

    @property
    def share(self) -> float:
        return self.completed / self.people if self.people else 0.0


@dataclass
class RegionParticipation:
    region: Region
    # (role, module key) -> Cell: people holding role in the region for whom the module is
    # written or assigned, and how many of them have completed it
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    assigned: int = 0
    assigned_completed: int = 0
    overdue: int = 0

    @property
    def assigned_share(self) -> float:
        return self.assigned_completed / self.assigned if self.assigned else 0.0

    @property
    def assigned_percent(self) -> int | None:
        return round(self.assigned_share * 100) if self.assigned else None


def _region_people(regions: QuerySet[Region]) -> dict[int, dict[str, set[int]]]:
    """Return region id -> role -> user ids of the active holders of REGION_ROLES."""
    people: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for region_id, role, user_id in Membership.objects.filter(
        is_active=True,
        user__is_active=True,
        role__in=REGION_ROLES,
        organisation__region__in=regions,
    ).values_list("organisation__region__id", "role", "user_id"):
        people[region_id][role].add(user_id)
    return people


def participation(
    regions: QuerySet[Region], *, year: int | None = None
) -> list[RegionParticipation]:
    """Return each region's participation per role and module, and its assignments' completion.

    A certificate counts when issued in year (any year if None)."""
    modules = published_modules()
    people = _region_people(regions)
    user_ids = {u for roles in people.values() for ids in roles.values() for u in ids}
    certificates = Certificate.objects.filter(user_id__in=user_ids)
    if year:
        certificates = certificates.filter(issued_on__year=year)
    done: set[tuple[int, str]] = set(certificates.values_list("user_id", "module__key"))
    assignments = defaultdict(set)
    for user_id, key, due in Assignment.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "module_key", "due_date"
    ):
        assignments[user_id].add((key, due))
    today = timezone.localdate()
    result = []
    for region in regions.order_by("county_code"):
        row = RegionParticipation(region=region)
        by_role = people.get(region.pk, {})
        for role in REGION_ROLES:
            holders = by_role.get(role, set())
            for module in modules:
                written_for = any(AUDIENCE_ROLE[a] == role for a in module.audiences)
                concerned = {
                    u
                    for u in holders
                    if written_for or any(k == module.key for k, _d in assignments[u])
                }
                if concerned:
                    row.cells[(role, module.key)] = Cell(
                        people=len(concerned),
                        completed=sum(1 for u in concerned if (u, module.key) in done),
                    )
        for user_id in set().union(*by_role.values()) if by_role else set():
            for key, due in assignments[user_id]:
                row.assigned += 1
                if (user_id, key) in done:
                    row.assigned_completed += 1
                elif due < today:
                    row.overdue += 1
        result.append(row)
    return result


@dataclass(frozen=True)
class UntrainedContract:
    contract_reference: str
    contract_title: str
    contract_public_id: str
    person: str
    modules: list[Module]
    due_date: date  # the earliest due date of the modules not completed


def untrained_contracts(regions: QuerySet[Region]) -> list[UntrainedContract]:
    """Return the active contracts of regions whose contact (the buyer who registered them, see
    ``services.contract_contacts``) has not completed every module assigned to them."""
    titles = {m.key: m for m in published_modules()}
    done: set[tuple[int, str]] = set(
        Certificate.objects.values_list("user_id", "module__key").distinct()
    )
    open_by_user: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(module_key__in=titles):
        if (assignment.user_id, assignment.module_key) not in done:
            open_by_user[assignment.user_id].append(assignment)
    contracts = (
        Contract.objects.filter(
            status=Contract.Status.ACTIVE,
            regions__in=regions,
            created_by_id__in=list(open_by_user),
        )
        .select_related("created_by")
        .distinct()
        .order_by("reference")
    )
    rows = []
    for contract in contracts:
        if contract.created_by_id is None:  # excluded by the filter above
            continue
        pending = sorted(open_by_user[contract.created_by_id], key=lambda a: a.due_date)
        rows.append(
            UntrainedContract(
                contract_reference=contract.reference,
                contract_title=contract.title,
                contract_public_id=str(contract.public_id),
                person=str(contract.created_by),
                modules=[titles[a.module_key] for a in pending],
                due_date=pending[0].due_date,
            )
        )
    rows.sort(key=lambda r: (r.due_date, r.contract_reference))
    return rows


def report(year: int) -> list[dict]:
    """Return the national participation report for year: one row per region, role and module."""
    modules = {m.key: m for m in published_modules()}
    rows = []
    for region_row in participation(Region.objects.all(), year=year):
        for (role, key), cell in sorted(region_row.cells.items()):
            rows.append(
                {
                    "region": region_row.region.name,
                    "county_code": region_row.region.county_code,
                    "role": role,
                    "module": modules[key].title_en,
                    "module_key": key,
                    "people": cell.people,
                    "completed": cell.completed,
                }
            )
    return rows
