"""The access matrix: every URL of the project, as every member of the cast and anonymously.

The data (reference data, the cast, the requirement library, the demo contracts, the demo risk
analyses and a few hand-made objects) is built once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint within it.

For each URL pattern there is at least one case saying who gets which status on GET and who may
POST to it. Everyone else gets 404 ("missing and forbidden give the same 404"); anonymous users
are sent to the login page (the API answers 401); GET and refused POSTs change nothing.

The GETs are checked by the content-marker matrix (``test_content_matrix.py``), which fetches
every case's URL as every member of the cast once, in this world with its markers added, and
checks both the status and what the page carries from the same response. This module checks the
rest: refused and allowed POSTs, missing objects, and the lists of supplier contacts.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from hallbar.api.tests.matrix import api_cases
from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.core.models import BackgroundJob, HistoryEntry, ImportJob
from hallbar.core.tests.worlds import rolled_back_world
from hallbar.demo.contracts import load_demo_contracts
from hallbar.demo.national import AUDIT_FIRM, load_fee_decisions
from hallbar.demo.risk import load_demo_analyses
from hallbar.demo.testing import Cast, make_cast, requirement_library
from hallbar.followups import services as followups
from hallbar.followups.models import Action, Audit, Document, FollowUp, Report
from hallbar.funding.models import BudgetLine, RegionDecision
from hallbar.organisations.models import Membership, Organisation, Region
from hallbar.organisations.services import load_reference_data
from hallbar.organisations.tests.matrix import SSO_PUBLIC, matrix_providers, sso_cases
from hallbar.planning.models import FollowUpPlan, PlanItem
from hallbar.planning.services import propose_plan
from hallbar.reporting.tests.matrix import reporting_cases
from hallbar.reporting.tests.matrix_goals import goal_cases
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion, ZeroToleranceItem
from hallbar.requirements.services import start_new_version as start_new_library_version
from hallbar.risk.models import LikelihoodAdjustment, RiskAnalysis, ScreeningRow, ScreeningRun
from hallbar.risk.services import start_new_version as start_new_analysis_version
from hallbar.suppliers.models import (
    MatchReview,
    ProductionSite,
    Supplier,
    SupplierMerge,
    UnmatchedSpend,
)
from hallbar.suppliers.services import merge_suppliers
from hallbar.training.tests.matrix import training_cases

pytestmark = pytest.mark.django_db

MEMBERS = ("secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob")
OUTSIDERS = ("auditor", "charlie", "dave", "nobody")
EVERYONE = MEMBERS + OUTSIDERS
ANONYMOUS = "anonymous"
SECRETARIAT = ("secretariat",)
# Who must log in with a second factor: the roles that read confidential material.
NEEDS_SECOND_FACTOR = (
    "secretariat",
    "coordinator_a",
    "contact_jamtland",
    "alice",
    "bob",
    "auditor",
)
# Who may read the released Code of Conduct and contract clause (they are bound by them).
DOCUMENT_READERS = (*MEMBERS, "auditor", "charlie", "dave")
SUPPLIER_EDITORS = ("secretariat", "coordinator_a", "contact_jamtland", "alice", "bob")
# Who may change supplier A: the secretariat and the regions with an active contract with it
# (Stockholm and Jämtland), not the coordinator of area A from Västerbotten.
SUPPLIER_A_CHANGERS = ("secretariat", "contact_jamtland", "alice", "bob")
CONTRACT_CREATORS = ("secretariat", "contact_jamtland", "alice", "bob")
# Exporting all 8,000 demo contracts takes seconds per user: the sweep exports one small
# region's contracts (the supplier contacts' own are exported whole below).
FEW_CONTRACTS = "region=23"

# Never swept: the admin has its own permission system; the API docs are public by design; the
# auth views are Django's own (login and logout are hallbar's in their place, tested in
# organisations/tests/test_sso*.py). The single sign-on URLs (django-allauth, under sso/) are
# swept: organisations/tests/matrix.py.
SKIPPED_PREFIXES = ("admin/", "api/docs", "api/openapi.json", "accounts/")
# Public and without data: the health check and the language switch (a cookie); public by
# design: the published results and the released code and clause as files for tender documents.
PUBLIC = {
    "core:healthz",
    "core:favicon",
    "core:set-language",
    "results:list",
    "results:detail",
    "public:figures",
    "public:datasets",
    "public:dataset-file",
    "public:dcat",
    "training:verify",
    "requirements:code-download",
    "requirements:clause-download",
    # single sign-on (django-allauth): the login through a provider and its callback
    *SSO_PUBLIC,
}


@pytest.fixture(autouse=True)
def _sso_provider(settings):
    """One single sign-on provider, so that its URLs answer (organisations/tests/matrix.py)."""
    settings.SOCIALACCOUNT_PROVIDERS = matrix_providers()


# --- the data ---------------------------------------------------------------------------------


@dataclass(repr=False)
class World:
    cast: Cast
    supplier_a: Supplier  # charlie's company
    supplier_b: Supplier  # dave's company
    supplier_other: Supplier
    site_a: ProductionSite
    contract_a: Contract
    contract_b: Contract
    contract_stockholm: Contract
    contract_jamtland: Contract
    category: Category
    decision_jamtland: RegionDecision
    decision_stockholm: RegionDecision
    budget_line: BudgetLine
    import_job: ImportJob
    job: BackgroundJob  # a finished screening job started by the secretariat
    review: MatchReview
    merge: SupplierMerge
    unmatched: UnmatchedSpend  # Region Stockholm's spend that no supplier fits
    analysis: RiskAnalysis
    draft_analysis: RiskAnalysis
    adjustment: LikelihoodAdjustment
    run: ScreeningRun
    row: ScreeningRow
    code: CodeOfConduct  # version 2, published
    code_v1: CodeOfConduct  # superseded
    code_draft: CodeOfConduct
    clause: ContractClause
    clause_draft: ContractClause
    criterion: Criterion
    criterion_draft: Criterion  # a new version of HU-TEX-01
    criterion_unpublished: Criterion  # HU-LAK-01, never published
    followup: FollowUp  # charlie's company, led by Stockholm, Jämtland buys too; action plan
    audit: Audit  # assigned to rolf
    document: Document  # charlie's evidence
    action: Action
    report: Report  # charlie's zero-tolerance report
    plan: FollowUpPlan  # proposed from the 2024 screening run
    item: PlanItem


M = TypeVar("M")


def _found(found: M | None) -> M:
    """Return what the demo data is known to hold."""
    assert found is not None
    return found


def _other_contract(world_suppliers, **filters) -> Contract:
    return _found(
        Contract.objects.exclude(supplier__in=world_suppliers)
        .filter(**filters)
        .order_by("pk")
        .first()
    )


def _write_spend_with_an_earlier_version() -> None:
    """Store Stockholm's 2024 spend twice, so that the first version can be restored."""
    import pyarrow as pa

    from hallbar.risk.screening import write_partition
    from hallbar.risk.spend import spend_root

    for amount in ("100.00", "200.00"):
        table = pa.table(
            {
                "region_code": ["01"],
                "invoice_date": [date(2024, 3, 1)],
                "category_key": ["general-consumables"],
                "amount_sek": [Decimal(amount)],
            }
        )
        write_partition(spend_root(), "01", 2024, table)


def _build_world() -> World:
    load_reference_data()
    cast = make_cast()
    load_fee_decisions()
    requirement_library()
    load_demo_contracts()
    load_demo_analyses()

    supplier_a = Supplier.objects.get(organisation__memberships__user=cast.charlie)
    supplier_b = Supplier.objects.get(organisation__memberships__user=cast.dave)
    own = [supplier_a, supplier_b]
    contract_stockholm = _other_contract(own, lead_region__county_code="01")
    contract_jamtland = _other_contract(own, lead_region__county_code="23")
    # Four other suppliers: one merged into another (a merge to undo), two in an open review.
    spare = list(
        Supplier.objects.exclude(pk__in=[s.pk for s in own])
        .exclude(pk__in=[contract_stockholm.supplier_id, contract_jamtland.supplier_id])
        .order_by("pk")[:4]
    )
    merge = merge_suppliers(survivor=spare[0], merged=spare[1], acting_user=cast.secretariat)
    review = MatchReview.objects.create(
        supplier=spare[2], candidate=spare[3], score=0.9, reason="similar names"
    )

    region = {code: Region.objects.get(county_code=code) for code in ("01", "23")}
    # One contract of each supplier contact's company, led by a region of the cast.
    own_contracts = {}
    for supplier, region_code in ((supplier_a, "01"), (supplier_b, "23")):
        contract = _found(Contract.objects.filter(supplier=supplier).order_by("pk").first())
        Contract.objects.filter(pk=contract.pk).update(lead_region=region[region_code])
        own_contracts[region_code] = Contract.objects.get(pk=contract.pk)
    decision_jamtland = RegionDecision.objects.create(
        region=region["23"],
        reference="RS/29/2022",
        decided_on=date(2022, 4, 6),
        decision_body="Regionstyrelsen",
        status="approved",
        approves_programme=True,
        from_year=2023,
    )
    decision_stockholm = RegionDecision.objects.create(
        region=region["01"],
        reference="RS 2022-0101",
        decided_on=date(2022, 5, 17),
        decision_body="Regionstyrelsen",
        status="approved",
        approves_programme=True,
        from_year=2023,
    )
    unmatched = UnmatchedSpend.objects.create(
        region=region["01"], year=2025, name="Okänd Leverantör AB", spend_sek=1000, lines=2
    )
    budget_line = BudgetLine.objects.create(
        year=2025, kind="post", description="Nationell samordnare", amount_sek=1_150_000
    )
    import_job = ImportJob.objects.create(
        kind=ImportJob.Kind.CONTRACTS,
        filename="avtal.csv",
        stored_path="imports/avtal.csv",
        region=region["01"],
        created_by=cast.alice,
        status=ImportJob.Status.REJECTED,
        total_rows=3,
        valid_rows=2,
        error_count=1,
        issues=[{"row": 3, "column": "title", "message": "Required."}],
    )

    analysis = RiskAnalysis.objects.get(category__slug="pharmaceuticals")
    draft_analysis = start_new_analysis_version(analysis, acting_user=cast.secretariat)
    run = ScreeningRun.objects.create(year=2024, status="done", started_by=cast.secretariat)
    job = BackgroundJob.objects.create(
        kind="risk.screening",
        status=BackgroundJob.Status.DONE,
        total_steps=4,
        step=4,
        params={"year": 2024},
        result={"run": str(run.public_id), "year": 2024, "rows": 1},
        created_by=cast.secretariat,
    )
    row = ScreeningRow.objects.create(
        run=run,
        region_code="SE",
        category_key="general-consumables",
        supplier_key=str(supplier_a.pk),
        supplier_label=supplier_a.name,
        country="MY",
        spend_sek=Decimal("100000"),
        hr=10.0,
        wr=17.5,
        env=5.0,
        be=3.0,
        exposure=1_000_000.0,
        priority="high",
    )

    code = CodeOfConduct.objects.get(version=2)
    clause = ContractClause.objects.published().get()
    criterion = Criterion.objects.get(identifier="HU-TEX-01", version=2)
    followup, audit, action = _build_followup(cast, supplier_a, own_contracts["01"], region)
    report = followups.submit_report(
        kind="zero_tolerance",
        supplier=supplier_a,
        zero_tolerance_item=ZeroToleranceItem.objects.filter(code=code).first(),
        description="Barnarbete",
        known_on=date(2026, 1, 1),
        acting_user=cast.charlie,
    )
    plan = propose_plan(
        year=2024, budget_sek=130_000, acting_user=cast.secretariat
    )  # the zero-tolerance report makes a factory audit a duty
    _write_spend_with_an_earlier_version()
    return World(
        cast=cast,
        supplier_a=supplier_a,
        supplier_b=supplier_b,
        supplier_other=contract_stockholm.supplier,
        site_a=_found(supplier_a.sites.order_by("pk").first()),
        contract_a=own_contracts["01"],
        contract_b=own_contracts["23"],
        contract_stockholm=contract_stockholm,
        contract_jamtland=contract_jamtland,
        category=Category.objects.get(slug="general-consumables"),
        decision_jamtland=decision_jamtland,
        decision_stockholm=decision_stockholm,
        budget_line=budget_line,
        import_job=import_job,
        job=job,
        review=review,
        merge=merge,
        unmatched=unmatched,
        analysis=analysis,
        draft_analysis=draft_analysis,
        adjustment=draft_analysis.adjustments.get(),
        run=run,
        row=row,
        code=code,
        code_v1=CodeOfConduct.objects.get(version=1),
        code_draft=start_new_library_version(code, acting_user=cast.secretariat),
        clause=clause,
        clause_draft=start_new_library_version(clause, acting_user=cast.secretariat),
        criterion=criterion,
        criterion_draft=start_new_library_version(criterion, acting_user=cast.secretariat),
        criterion_unpublished=Criterion.objects.get(identifier="HU-LAK-01"),
        followup=followup,
        audit=audit,
        document=_found(Document.objects.filter(purpose="evidence").first()),
        action=action,
        report=report,
        plan=plan,
        item=plan.items.get(),
    )


def _build_followup(cast, supplier, contract, region):
    """A case of charlie's company under way: answered with evidence, assessed, audited by rolf,
    one deviation and a submitted action plan; its summary is published.

    Only the one contract is active, bought by Stockholm (the lead) and Jämtland, so that the
    case is shared with exactly those two regions.
    """
    Contract.objects.filter(supplier=supplier).exclude(pk=contract.pk).update(status="expired")
    Contract.objects.filter(pk=contract.pk).update(status="active")
    contract.regions.set([region["01"], region["23"]])
    followup = followups.open_followup(
        supplier=supplier,
        year=2026,
        followup_type="self_assessment",
        lead_region=region["01"],
        lead_area=None,
        acting_user=cast.secretariat,
    )
    followup.lead_area = None
    followup.save(update_fields=["lead_area"])
    followups.send_self_assessment(followup, acting_user=cast.secretariat)
    followup.refresh_from_db()
    questions = list(followup.response.questionnaire.questions.all())
    pdf = b"%PDF-1.4\n%%EOF\n"
    followups.save_answers(
        followup,
        answers={
            q.pk: {"yes_no": "yes", "number": "1"}.get(
                q.kind, q.choices[0] if q.choices else "Svar"
            )
            for q in questions
            if q.kind != "file"
        },
        uploads=[
            (q.pk, SimpleUploadedFile(f"e{q.pk}.pdf", pdf), date(2025, 1, 1), False)
            for q in questions
            if q.evidence_required
        ],
        submit=True,
        acting_user=cast.charlie,
    )
    followup.refresh_from_db()
    requirements = list(followup.clause.process_requirements.all())
    followups.assess(
        followup,
        verdicts={r.pk: ("approved", "") for r in requirements},
        acting_user=cast.alice,
    )
    followup.refresh_from_db()
    audit = followups.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=cast.auditor,
        acting_user=cast.alice,
    )
    followup.refresh_from_db()
    deviation = followups.record_deviation(
        followup,
        acting_user=cast.alice,
        requirement=requirements[0],
        area="workers_rights",
        severity="major",
        description="Ingen riskanalys",
        source="audit",
        audit=audit,
    )
    followup.refresh_from_db()
    plan = followups.save_action_plan(
        followup,
        actions=[
            {
                "deviation": deviation,
                "description": "Riskanalys",
                "owner": "VD",
                "deadline": date(2099, 1, 1),
            }
        ],
        submit=True,
        acting_user=cast.charlie,
    )
    followup.refresh_from_db()
    followups.publish_summary(followup, acting_user=cast.alice)
    followup.refresh_from_db()
    return followup, audit, plan.actions.get()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the data once for the module; roll it back afterwards."""
    yield from rolled_back_world(django_db_blocker, tmp_path_factory, "access-matrix", _build_world)


# --- the cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One URL: the status each user gets on GET, and who may POST to it.

    ``readers`` get ``status`` on GET, everyone else with a login ``denied``. ``writers`` is None
    for pages that write nothing. A POST from anyone who is neither a writer nor (on pages that
    write nothing) a reader must give 404 and change nothing. The URL's objects come from the
    world, which exists only once the tests run: ``args``, ``query`` and ``data`` may be
    functions of it.
    """

    id: str
    name: str
    args: Callable[[World], tuple]
    query: Callable[[World], str] | str
    readers: tuple[str, ...]
    status: int = 200
    denied: int = 404
    writers: tuple[str, ...] | None = None
    data: Callable[[World], dict] | dict = field(default_factory=dict)
    anonymous: int | None = None  # when not the login page (or 401 from the API)
    redirected: tuple[str, ...] = ()  # sent elsewhere (302): supplier contacts to the portal
    has_object: bool = False  # whether the URL names an object by its public id

    def url(self, world: World) -> str:
        query = self.query(world) if callable(self.query) else self.query
        return reverse(self.name, args=self.args(world)) + query

    def post_data(self, world: World) -> dict:
        return self.data(world) if callable(self.data) else self.data

    def expected_get(self, who: str) -> int:
        if who == ANONYMOUS:
            if self.anonymous is not None:
                return self.anonymous
            if self.name in PUBLIC:
                return 200 if self.status == 200 and self.readers == EVERYONE else 405
            return 401 if self.name.startswith("api:") else 302
        if who in self.redirected:
            return 302
        return self.status if who in self.readers else self.denied

    def refused_posters(self) -> list[str]:
        allowed = set(self.writers) if self.writers is not None else set(self.readers)
        allowed |= set(self.redirected)
        return [who for who in EVERYONE if who not in allowed]


_REMEDIES: dict[int, object] = {}


def _reported_remedy(world: World):
    """Return charlie's remedy reported on the case's deviation, made the first time it is asked."""
    if id(world) not in _REMEDIES:
        _REMEDIES[id(world)] = followups.report_remedy(
            world.action.deviation,
            acting_user=world.cast.charlie,
            description="Återbetalda rekryteringsavgifter",
            people_reached=3,
            amount_repaid_sek=Decimal("1200"),
            delivered_on=date(2025, 1, 10),
        )
    return _REMEDIES[id(world)]


def _ids(*attributes: str) -> Callable[[World], tuple]:
    """Return a function giving the public ids of the world's objects named by attributes."""
    return lambda w: tuple(getattr(w, attribute).public_id for attribute in attributes)


def _case(name: str, args=(), *, variant: str = "", query="", readers, **options) -> Case:
    has_object = callable(args) or callable(query)
    if not callable(args):
        static = tuple(args)
        args = lambda _w: static  # noqa: E731
    case_id = f"{name}[{variant}]" if variant else name
    return Case(case_id, name, args, query, tuple(readers), has_object=has_object, **options)


def _post_only(name: str, args=(), *, writers, data=None) -> Case:
    """A view behind @require_POST: GET is 405 for everyone logged in."""
    return _case(name, args, readers=EVERYONE, status=405, writers=writers, data=data or {})


BUDGET_LINE = {"year": 2025, "kind": "activity", "description": "Utbildning", "amount_sek": 5}
DECISION = {
    "reference": "X/1",
    "decided_on": "2024-01-10",
    "decision_body": "Regionstyrelsen",
    "status": "approved",
    "approves_programme": "on",
    "from_year": 2024,
}
SUPPLIER = {"name": "Acme AB", "country": "SE", "org_number": "", "other_id": "ACME-1"}
SITE = {"name": "Plant", "country": "MY", "tier": 1}
JAMTLAND = ("secretariat", "contact_jamtland")  # who records Jämtland's decisions
OWN_A = (*MEMBERS, "charlie")
OWN_B = (*MEMBERS, "dave")
WITH_SUPPLIERS = (*MEMBERS, "charlie", "dave")

CASES = [
    # core
    _case("home:start", readers=EVERYONE),
    # public; 503 because no task worker runs here (hallbar/core/tests/test_health.py)
    _case("core:healthz", readers=EVERYONE, status=503, anonymous=503),
    _case("core:favicon", readers=EVERYONE, status=301, anonymous=301),
    _case("core:set-language", readers=EVERYONE, status=405),
    # every signed-in user may search; each kind's hits pass its own app's gates
    _case("core:search", query="?q=Medisupply", readers=EVERYONE),
    _case("core:import-job", _ids("import_job"), readers=("secretariat", "alice")),
    _case(
        "core:import-job",
        _ids("import_job"),
        variant="csv",
        query="?format=csv",
        readers=("secretariat", "alice"),
    ),
    _post_only("core:import-job-valid-rows", _ids("import_job"), writers=("secretariat", "alice")),
    _post_only("core:import-job-retry", _ids("import_job"), writers=("secretariat", "alice")),
    _post_only("core:import-job-confirm", _ids("import_job"), writers=("secretariat", "alice")),
    _case("core:job", _ids("job"), readers=MEMBERS),
    # regions
    _case("organisations:region-list", readers=MEMBERS),
    _case("organisations:region-detail", ["01"], variant="01", readers=MEMBERS),
    _case("organisations:region-detail", ["23"], variant="23", readers=MEMBERS),
    # reporting: the dashboards are the cooperation's
    _case("reporting:dashboard", readers=MEMBERS),
    _case("reporting:region-dashboard", ("23",), readers=MEMBERS),
    # funding
    _case("funding:contribution-list", readers=MEMBERS),
    _case(
        "funding:contribution-list",
        variant="csv",
        query="?year=2024&format=csv",
        readers=MEMBERS,
    ),
    _case("funding:fee-decision-list", readers=MEMBERS),
    _case("funding:region-decisions", readers=MEMBERS),
    _case(
        "funding:region-decision-create",
        ["23"],
        variant="23",
        readers=JAMTLAND,
        writers=JAMTLAND,
        data=DECISION,
    ),
    _case(
        "funding:region-decision-create",
        ["01"],
        variant="01",
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=DECISION,
    ),
    _case(
        "funding:region-decision-edit",
        _ids("decision_jamtland"),
        variant="23",
        readers=JAMTLAND,
        writers=JAMTLAND,
        data=DECISION,
    ),
    _case(
        "funding:region-decision-edit",
        _ids("decision_stockholm"),
        variant="01",
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=DECISION,
    ),
    _case(
        "funding:invoicechoice-edit",
        ["23", 2023],
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data={"basis": "rule", "reason": "RS/29/2022"},
    ),
    _case("funding:budget", readers=MEMBERS, writers=SECRETARIAT, data=BUDGET_LINE),
    _case(
        "funding:budgetline-edit",
        _ids("budget_line"),
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=BUDGET_LINE,
    ),
    _case(
        "funding:budgetline-delete",
        _ids("budget_line"),
        readers=SECRETARIAT,
        writers=SECRETARIAT,
    ),
    # categories
    _case("categories:category-list", readers=MEMBERS),
    _case("categories:category-detail", _ids("category"), readers=MEMBERS),
    _case(
        "categories:category-detail",
        _ids("category"),
        variant="cpv-search",
        query="?cpv=33",
        readers=MEMBERS,
    ),
    _post_only(
        "categories:category-cpv-add",
        _ids("category"),
        writers=SECRETARIAT,
        data={"code": "18424300"},
    ),
    _post_only(
        "categories:category-cpv-remove",
        _ids("category"),
        writers=SECRETARIAT,
        data=lambda w: {"code": w.category.cpv_codes.values_list("code", flat=True).first()},
    ),
    # suppliers
    _case("suppliers:supplier-list", readers=WITH_SUPPLIERS),
    _case("suppliers:supplier-list", variant="csv", query="?format=csv", readers=WITH_SUPPLIERS),
    _case(
        "suppliers:supplier-create",
        readers=SUPPLIER_EDITORS,
        writers=SUPPLIER_EDITORS,
        data=SUPPLIER,
    ),
    _case("suppliers:supplier-import", readers=SUPPLIER_EDITORS, writers=SUPPLIER_EDITORS),
    _case("suppliers:supplier-template", ["csv"], variant="csv", readers=SUPPLIER_EDITORS),
    _case("suppliers:supplier-template", ["xlsx"], variant="xlsx", readers=SUPPLIER_EDITORS),
    _case("suppliers:review-queue", readers=SECRETARIAT),
    # A judgement is only ever posted: GET is 404 even for the secretariat.
    _case(
        "suppliers:review-decide",
        _ids("review"),
        readers=(),
        writers=SECRETARIAT,
        data={"decision": "same"},
    ),
    # Unmatched spend: the secretariat, and a region's contacts and buyers for their region.
    _case(
        "suppliers:unmatched-spend-list",
        readers=("secretariat", "contact_jamtland", "alice", "bob"),
    ),
    _case(
        "suppliers:unmatched-spend-resolve",
        _ids("unmatched"),
        readers=("secretariat", "alice"),
        writers=("secretariat", "alice"),
        data=lambda w: {"supplier": str(w.supplier_other.public_id)},
    ),
    _case("suppliers:merge-undo", _ids("merge"), readers=SECRETARIAT, writers=SECRETARIAT),
    _case("suppliers:supplier-detail", _ids("supplier_a"), variant="a", readers=OWN_A),
    _case("suppliers:supplier-detail", _ids("supplier_b"), variant="b", readers=OWN_B),
    _case("suppliers:supplier-detail", _ids("supplier_other"), variant="other", readers=MEMBERS),
    _case(
        "suppliers:supplier-edit",
        _ids("supplier_a"),
        readers=SUPPLIER_A_CHANGERS,
        writers=SUPPLIER_A_CHANGERS,
        data=SUPPLIER,
    ),
    _case(
        "suppliers:supplier-merge",
        _ids("supplier_a"),
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=lambda w: {"into": w.supplier_other.public_id, "confirm": "yes"},
    ),
    _case(
        "suppliers:site-create",
        _ids("supplier_a"),
        readers=SUPPLIER_A_CHANGERS,
        writers=SUPPLIER_A_CHANGERS,
        data=SITE,
    ),
    _case(
        "suppliers:site-delete",
        _ids("supplier_a", "site_a"),
        readers=SUPPLIER_A_CHANGERS,
        writers=SUPPLIER_A_CHANGERS,
    ),
    # contracts
    # every region (a buyer's list otherwise opens on its own region, by a redirect)
    _case("contracts:contract-list", query="?region=", readers=WITH_SUPPLIERS),
    _case(
        "contracts:contract-list",
        variant="csv",
        query=f"?format=csv&{FEW_CONTRACTS}",
        readers=WITH_SUPPLIERS,
    ),
    _case(
        "contracts:contract-list",
        variant="ocds",
        query=f"?format=ocds&{FEW_CONTRACTS}",
        readers=WITH_SUPPLIERS,
    ),
    _case("contracts:contract-create", readers=CONTRACT_CREATORS, writers=CONTRACT_CREATORS),
    _case("contracts:contract-import", readers=CONTRACT_CREATORS, writers=CONTRACT_CREATORS),
    _case("contracts:contract-template", ["csv"], variant="csv", readers=MEMBERS),
    _case("contracts:contract-template", ["xlsx"], variant="xlsx", readers=MEMBERS),
    _case("contracts:harmonisation", readers=MEMBERS),
    _case("contracts:harmonisation", variant="json", query="?format=json", readers=MEMBERS),
]
# contract_a (charlie's company) and contract_stockholm are led by Region Stockholm,
# contract_b (dave's) and contract_jamtland by Region Jämtland Härjedalen.
for variant, readers, editors in (
    ("a", OWN_A, ("secretariat", "alice")),
    ("b", OWN_B, ("secretariat", "bob", "contact_jamtland")),
    ("stockholm", MEMBERS, ("secretariat", "alice")),
    ("jamtland", MEMBERS, ("secretariat", "bob", "contact_jamtland")),
):
    contract = _ids(f"contract_{variant}")
    CASES += [
        _case("contracts:contract-detail", contract, variant=variant, readers=readers),
        _case(
            "contracts:contract-edit",
            contract,
            variant=variant,
            readers=editors,
            writers=editors,
        ),
        _case(
            "contracts:contract-delete",
            contract,
            variant=variant,
            readers=editors,
            writers=editors,
        ),
        _case("api:get_contract", contract, variant=variant, readers=readers),
    ]
CASES += [
    # risk
    _case("risk:index", readers=MEMBERS),
    _case(
        "risk:analysis-create",
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=lambda w: {"category": w.category.pk, "product": "Handskar"},
    ),
    _case("risk:analysis-detail", _ids("analysis"), variant="approved", readers=MEMBERS),
    _case("risk:analysis-detail", _ids("draft_analysis"), variant="draft", readers=MEMBERS),
    _case("risk:analysis-edit", _ids("draft_analysis"), readers=SECRETARIAT, writers=SECRETARIAT),
    _case(
        "risk:analysis-adjust",
        _ids("draft_analysis"),
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data={"area": "hr", "likelihood": "4", "rationale": "Rapporter."},
    ),
    _case(
        "risk:analysis-approve",
        _ids("draft_analysis"),
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data={"note": "OK"},
    ),
    # GET of a write-only URL sends the secretariat back to the page it came from.
    _case(
        "risk:analysis-new-version",
        _ids("analysis"),
        readers=SECRETARIAT,
        status=302,
        writers=SECRETARIAT,
    ),
    _case(
        "risk:adjustment-delete",
        _ids("adjustment"),
        readers=SECRETARIAT,
        status=302,
        writers=SECRETARIAT,
    ),
    _case("risk:method-settings", readers=MEMBERS),
    _case("risk:method-document", readers=MEMBERS),
    _case("risk:method-settings-edit", readers=SECRETARIAT, writers=SECRETARIAT),
    _case("risk:data-editions", readers=MEMBERS),
    _case("risk:data-editions-load", readers=SECRETARIAT, status=302, writers=SECRETARIAT),
    _case("risk:spend", readers=MEMBERS, writers=CONTRACT_CREATORS),
    _case("risk:spend-template", ["csv"], variant="csv", readers=MEMBERS),
    _case("risk:spend-restore", ["01", 2024], readers=SECRETARIAT, writers=SECRETARIAT),
    _case("risk:spend-template", ["xlsx"], variant="xlsx", readers=MEMBERS),
    _case("risk:screening-list", readers=MEMBERS),
    _post_only("risk:screening-start", writers=SECRETARIAT, data={"year": 2024}),
    _case("risk:screening-detail", _ids("run"), readers=MEMBERS),
    _case(
        "risk:screening-detail", _ids("run"), variant="csv", query="?format=csv", readers=MEMBERS
    ),
    _case("risk:screening-row", lambda w: (w.run.public_id, w.row.pk), readers=MEMBERS),
    # requirements
    _case("requirements:index", readers=DOCUMENT_READERS),
    _case("requirements:code-list", readers=DOCUMENT_READERS),
    _case("requirements:clause-list", readers=DOCUMENT_READERS),
    _case("requirements:criterion-list", readers=MEMBERS),
    _case("requirements:criterion-list", variant="all", query="?status=all", readers=MEMBERS),
    _case(
        "requirements:criterion-detail",
        _ids("criterion_unpublished"),
        variant="unpublished",
        readers=MEMBERS,
    ),
    _case(
        "requirements:code-diff",
        variant="v1-v2",
        query=lambda w: f"?from={w.code_v1.public_id}&to={w.code.public_id}",
        readers=DOCUMENT_READERS,
    ),
    # With a draft under way, the secretariat is sent to the list instead.
    _case("requirements:code-create", readers=SECRETARIAT, status=302, writers=SECRETARIAT),
    _case("requirements:clause-create", readers=SECRETARIAT, status=302, writers=SECRETARIAT),
    _case("requirements:criterion-create", readers=SECRETARIAT, writers=SECRETARIAT),
    # A released code or clause is a public document for tender documents; a draft is not.
    _case(
        "requirements:code-download",
        lambda w: (w.code.public_id, "en", "docx"),
        variant="published",
        readers=EVERYONE,
        anonymous=200,
    ),
    _case(
        "requirements:code-download",
        lambda w: (w.code_draft.public_id, "sv", "docx"),
        variant="draft",
        readers=MEMBERS,
        anonymous=404,
    ),
    _case(
        "requirements:clause-download",
        lambda w: (w.clause.public_id, "sv", "docx"),
        variant="published",
        readers=EVERYONE,
        anonymous=200,
    ),
    _case(
        "requirements:clause-download",
        lambda w: (w.clause_draft.public_id, "en", "pdf"),
        variant="draft",
        readers=MEMBERS,
        anonymous=404,
    ),
    # a person's own language, and the secretariat setting a supplier contact's
    _case("account:language", readers=EVERYONE, writers=EVERYONE, data={"language": ""}),
    _case(
        "account:person-language",
        lambda w: (Membership.objects.get(user=w.cast.dave).public_id,),
        readers=("secretariat", "dave"),
        writers=("secretariat", "dave"),
        data={"language": "en"},
    ),
    # locked logins: the secretariat lists and unlocks them (nothing locked here: the unlock
    # page says so and goes back to the list)
    _case("account:lockout-list", readers=SECRETARIAT),
    # the audit log: the secretariat searches it and downloads it (CSV, Excel)
    _case("account:audit-log-list", readers=SECRETARIAT),
    _case(
        "account:audit-log-list",
        variant="csv",
        query="?format=csv&kind=login",
        readers=SECRETARIAT,
    ),
    _case("account:audit-log-list", variant="xlsx", query="?format=xlsx&q=x", readers=SECRETARIAT),
    _case(
        "account:lockout-unlock",
        query="?kind=account&value=nobody",
        readers=SECRETARIAT,
        status=302,
        writers=SECRETARIAT,
        data={"kind": "account", "value": "nobody"},
    ),
    # the second factor (hallbar.organisations.mfa): its pages are for the roles that need one
    # (organisations.access.requires_second_factor). Nobody in the cast has added an app here,
    # so the code page and the recovery codes send them to the enrolment.
    _case("account:mfa-verify", readers=NEEDS_SECOND_FACTOR, status=302, data={"code": "1"}),
    _case("account:mfa-enrol", readers=NEEDS_SECOND_FACTOR, data={"code": "000000"}),
    _case(
        "account:mfa-recovery-codes",
        readers=NEEDS_SECOND_FACTOR,
        status=302,
        data={"confirm": "on"},
    ),
    # the secretariat lists who has one and resets a person's, with a reason
    _case("account:mfa-people", readers=SECRETARIAT),
    _case(
        "account:mfa-reset",
        query="?username=alice",
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data={"username": "alice", "reason": "Tappade telefonen", "confirm": "on"},
    ),
]
for kind, released in (
    ("code", DOCUMENT_READERS),
    ("clause", DOCUMENT_READERS),
    ("criterion", MEMBERS),
):
    published, draft = _ids(kind), _ids(f"{kind}_draft")
    CASES += [
        _case(f"requirements:{kind}-detail", published, variant="published", readers=released),
        _case(f"requirements:{kind}-detail", draft, variant="draft", readers=MEMBERS),
        _case(
            f"requirements:{kind}-diff",
            variant="published",
            query=lambda w, kind=kind: f"?to={getattr(w, kind).public_id}",
            readers=released,
        ),
        _case(
            f"requirements:{kind}-diff",
            variant="draft",
            query=lambda w, kind=kind: f"?to={getattr(w, f'{kind}_draft').public_id}",
            readers=MEMBERS,
        ),
        _case(f"requirements:{kind}-edit", draft, readers=SECRETARIAT, writers=SECRETARIAT),
        _case(
            f"requirements:{kind}-publish",
            draft,
            readers=SECRETARIAT,
            writers=SECRETARIAT,
            data={"note": "Klar."},
        ),
        _case(
            f"requirements:{kind}-new-version",
            published,
            readers=SECRETARIAT,
            status=302,
            writers=SECRETARIAT,
        ),
    ]
# follow-up: the case is led by Stockholm (alice) and shared with Jämtland (bob, Åsa); rolf
# audits it; charlie's company is the supplier.
CASE_READERS = ("secretariat", "steering", "alice", "bob", "contact_jamtland", "auditor")
LEAD = ("secretariat", "alice")
OPENERS = ("secretariat", "coordinator_a", "contact_jamtland")
FOLLOWUP = _ids("followup")
# A supplier contact's case pages are its portal's: the list and its own case redirect there.
CASES += [
    _case("followups:followup-list", readers=(*MEMBERS, "auditor"), redirected=("charlie", "dave")),
    _case(
        "followups:followup-list",
        variant="xlsx",
        query="?format=xlsx",
        readers=(*MEMBERS, "auditor"),
        redirected=("charlie", "dave"),
    ),
    _case("followups:followup-create", readers=OPENERS, writers=OPENERS),
    _case("followups:followup-detail", FOLLOWUP, readers=CASE_READERS, redirected=("charlie",)),
    _post_only("followups:followup-send", FOLLOWUP, writers=LEAD),
    _case("followups:followup-assess", FOLLOWUP, readers=LEAD, writers=LEAD),
    _post_only("followups:followup-return", FOLLOWUP, writers=LEAD),
    _case(
        "followups:deviation-create",
        FOLLOWUP,
        readers=(*LEAD, "auditor"),
        writers=(*LEAD, "auditor"),
    ),
    _case(
        "followups:deviation-supplier-text",
        lambda w: (w.action.deviation.public_id,),
        readers=LEAD,
        writers=LEAD,
    ),
    _case(
        "followups:remedy-create",
        lambda w: (w.action.deviation.public_id,),
        readers=LEAD,
        writers=LEAD,
    ),
    _case(
        "followups:remedy-review",
        lambda w: (_reported_remedy(w).public_id,),
        readers=LEAD,
        writers=LEAD,
    ),
    _case("followups:audit-order", FOLLOWUP, readers=LEAD, writers=LEAD),
    _case("followups:sanction-create", FOLLOWUP, readers=LEAD, writers=LEAD),
    _post_only("followups:plan-review", FOLLOWUP, writers=LEAD),
    _post_only("followups:followup-close", FOLLOWUP, writers=LEAD),
    _case("followups:followup-cancel", FOLLOWUP, readers=LEAD, writers=LEAD),
    _post_only("followups:followup-publish", FOLLOWUP, writers=LEAD),
    _post_only("followups:action-verify", _ids("action"), writers=LEAD),
    _case(
        "followups:audit-detail",
        _ids("audit"),
        readers=(*LEAD, "auditor"),
        writers=(*LEAD, "auditor"),
    ),
    _case("followups:audit-list", readers=("auditor",)),
    _case("followups:document-download", _ids("document"), readers=(*CASE_READERS, "charlie")),
    _case("followups:report-list", readers=OPENERS, writers=OPENERS),
    _case(
        "followups:report-detail",
        _ids("report"),
        readers=("secretariat", "charlie"),
        writers=SECRETARIAT,
        data={"decision": "dismiss", "note": "Dubblett"},
    ),
    _case("portal:home", readers=("charlie", "dave")),
    _case("portal:report-create", readers=("charlie", "dave"), writers=("charlie", "dave")),
    _case("portal:case", FOLLOWUP, readers=("charlie",), writers=("charlie",)),
    _case("portal:receipt", FOLLOWUP, readers=("charlie",)),
    _post_only("portal:plan-save", FOLLOWUP, writers=("charlie",)),
    _post_only("portal:action-done", _ids("action"), writers=("charlie",)),
    _case(
        "portal:remedy-report",
        lambda w: (w.action.deviation.public_id,),
        readers=("charlie",),
        writers=("charlie",),
    ),
    _case("results:list", readers=EVERYONE),
    _case("results:detail", FOLLOWUP, readers=EVERYONE),
    # reporting's public pages: the year's figures, the open data and its DCAT catalogue
    _case("public:figures", readers=EVERYONE),
    _case("public:datasets", readers=EVERYONE),
    _case("public:dataset-file", ("published-results", "csv"), readers=EVERYONE),
    _case("public:dcat", readers=EVERYONE),
]
# planning
PLAN = _ids("plan")
ITEM = lambda w: (w.plan.public_id, w.item.pk)  # noqa: E731
CASES += [
    _case("planning:plan-list", readers=MEMBERS),
    _case("planning:plan-create", readers=SECRETARIAT, writers=SECRETARIAT),
    _case("planning:followed-up", readers=MEMBERS),
    _case(
        "planning:external-list",
        readers=MEMBERS,
        writers=("secretariat", "coordinator_a"),
    ),
    _case("planning:plan-detail", PLAN, readers=MEMBERS),
    _case("planning:plan-detail", PLAN, variant="csv", query="?format=csv", readers=MEMBERS),
    _case("planning:item-add", PLAN, readers=SECRETARIAT, writers=SECRETARIAT),
    _case(
        "planning:item-edit",
        ITEM,
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=lambda w: {"followup_type": "dialogue", "lead_region": w.item.lead_region_id},
    ),
    _case("planning:item-remove", ITEM, readers=SECRETARIAT, writers=SECRETARIAT),
    _case(
        "planning:plan-approve",
        PLAN,
        readers=("secretariat", "steering"),
        writers=("secretariat", "steering"),
    ),
    _post_only("planning:plan-publish", PLAN, writers=SECRETARIAT),
    _post_only(
        "planning:duty-waive",
        PLAN,
        writers=SECRETARIAT,
        data=lambda w: {"supplier": w.supplier_a.pk, "reason": "Åtgärdsplanen är godkänd."},
    ),
]
CASES += [
    # the API: read-only
    _case("api:api-root", readers=(), anonymous=404),
    _case("api:list_regions", readers=MEMBERS),
    _case("api:get_region", ["23"], readers=MEMBERS),
    _case("api:list_contributions", query="?year=2024", readers=MEMBERS),
    _case("api:list_criteria", readers=MEMBERS),
    _case("api:get_current_clause", readers=DOCUMENT_READERS),
    _case("api:get_current_code", readers=DOCUMENT_READERS),
    _case("api:cpv_search", query="?q=handskar", readers=MEMBERS),
    _case("api:list_suppliers", readers=WITH_SUPPLIERS),
    _case("api:get_supplier", _ids("supplier_a"), variant="a", readers=OWN_A),
    _case("api:get_supplier", _ids("supplier_b"), variant="b", readers=OWN_B),
    _case("api:get_supplier", _ids("supplier_other"), variant="other", readers=MEMBERS),
    _case("api:list_contracts", query=f"?{FEW_CONTRACTS}", readers=WITH_SUPPLIERS),
    _case("api:list_followups", readers=EVERYONE[:-1]),  # all but nobody, as the list page
    _case("api:get_followup", FOLLOWUP, readers=(*CASE_READERS, "charlie")),
    _case("api:list_plans", readers=MEMBERS),
    _case("api:get_plan", PLAN, readers=MEMBERS),
]
CASES += training_cases(_case, _post_only, everyone=EVERYONE, secretariat=SECRETARIAT)
CASES += reporting_cases(_case, _post_only, members=MEMBERS)
CASES += goal_cases(_case, members=MEMBERS, secretariat=SECRETARIAT)
CASES += sso_cases(_case, everyone=EVERYONE)
CASES += api_cases(_case, everyone=EVERYONE, members=MEMBERS)
# Cases that can be posted to: the API is read-only and the public views hold no data.
POST_CASES = [c for c in CASES if c.name not in PUBLIC and not c.name.startswith("api:")]
WRITE_CASES = [c for c in CASES if c.writers]
OBJECT_CASES = [c for c in CASES if c.has_object]


@pytest.fixture(scope="module")
def urls(world, django_db_blocker) -> dict[str, tuple[str, dict]]:
    """Return each case's URL and POST data in this run's world."""
    with django_db_blocker.unblock():
        return {case.id: (case.url(world), case.post_data(world)) for case in CASES}


# --- helpers ----------------------------------------------------------------------------------


def _url_names(patterns=None, prefix="", namespace=""):
    """Yield (route, name) for every URL pattern of the project, walking nested includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


# The audit log records the test's own logins, logouts and downloads: it grows on every visit.
NOT_DATA = {"core.AuditEvent", "core.AuditHead"}


def _counts() -> dict[str, int]:
    """Return the number of rows of every model (history entries included, audit log not).

    One query for all tables (no model's default manager filters rows): a count per model cost
    about 0.2 s of every test, which makes two of them.
    """
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_DATA
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608 - table names
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker) -> dict[str, str]:
    """Log every member of the cast in once for the module; return who → session key.

    A login costs more than most pages (the session, the audit log, the signals' receivers), and
    each test asks every member: the sessions are made once, in the module's transaction, and
    each test's changes to them are rolled back with the test.
    """
    keys = {}
    with django_db_blocker.unblock():
        for who in EVERYONE:
            client = Client()
            client.force_login(getattr(world.cast, who))
            keys[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        connection.check_constraints()  # once, not in every test's teardown (rolled_back_world)
    return keys


@pytest.fixture
def client(sessions):
    """The test client, with `_as` at hand: the module's sessions, one per member of the cast."""
    client = Client()
    client.sessions = sessions
    return client


def _as(client, world: World, who: str):
    """The client as who: the module's session of who (the key set again, in case a request
    cycled it), or no session at all."""
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    if who != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = client.sessions[who]
    return client


# --- the tests --------------------------------------------------------------------------------


def test_every_url_pattern_has_a_case(urls):
    # Given every URL pattern of the project outside the admin, the API docs and the auth views
    names = {
        name for route, name in _url_names() if name and not route.startswith(SKIPPED_PREFIXES)
    }
    # When the cases are listed
    covered = {case.name for case in CASES}
    # Then each pattern has a case, and each case's URL resolves to its pattern
    assert names - covered == set(), "add cases for these URLs"
    assert covered - names == set()
    assert len({case.id for case in CASES}) == len(CASES)
    for case in CASES:
        url, _data = urls[case.id]
        assert resolve(url.split("?")[0]).view_name == case.name, url


@pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.id)
def test_refused_post_gives_404_and_changes_nothing(case, urls, world, client):
    url, data = urls[case.id]
    before = _counts()
    wrong = []
    for who in (*case.refused_posters(), ANONYMOUS):
        # When someone who may not write posts to the URL
        response = _as(client, world, who).post(url, data)
        # Then the answer is 404 (or the login page), and nothing is written
        expected = 302 if who == ANONYMOUS else 404
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code}, expected {expected}")
    assert wrong == [], f"POST {url}"
    assert _changed(before, _counts()) == {}, f"POST {url} changed data"


def test_the_row_counts_see_a_write_to_any_table(world):
    """The control for "changes nothing": the one-query count sees a row added and removed."""
    before = _counts()
    assert before["organisations.Region"] == 21 and before["contracts.Contract"] > 0
    region = world.contract_stockholm
    entry = HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(region),
        object_id=str(region.pk),
        object_repr="control",
        action=HistoryEntry.Action.UPDATED,
    )
    assert _changed(before, _counts()) == {
        "core.HistoryEntry": (before["core.HistoryEntry"], before["core.HistoryEntry"] + 1)
    }
    entry.delete()
    assert _changed(before, _counts()) == {}


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda case: case.id)
def test_writers_get_past_the_gate(case, urls, world, client):
    """The control for the refusals above: the same POST from a writer is not refused."""
    url, data = urls[case.id]
    # When the first writer posts the same data
    response = _as(client, world, case.writers[0]).post(url, data)
    # Then the gate lets it through (the form may still find errors in the data)
    assert response.status_code in {200, 302}, f"POST {url} as {case.writers[0]}"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(response) -> bytes:
    """Return the body without what differs per request: the CSRF token and the URL's ids."""
    return re.sub(UUID.pattern.encode(), b"<id>", CSRF.sub(b"", response.content))


@pytest.mark.parametrize("case", OBJECT_CASES, ids=lambda case: case.id)
def test_missing_and_forbidden_give_the_same_404(case, urls, world, client):
    url, _data = urls[case.id]
    # Given the same URL with objects that do not exist
    missing = UUID.sub(lambda _match: str(uuid.uuid4()), url)
    for who in ("secretariat", "charlie", "nobody"):
        client = _as(client, world, who)
        # When the user opens it
        response = client.get(missing)
        # Then it is not found (POST-only views answer GET with 405 either way)
        assert response.status_code == (405 if case.status == 405 else 404), f"{who}: {missing}"
        # and where the real object is forbidden, the two answers cannot be told apart
        if case.expected_get(who) == 404:
            assert _page(client.get(url)) == _page(response), who


@pytest.mark.parametrize("who", ["charlie", "dave"])
def test_supplier_contacts_list_only_their_own_company(who, world, client):
    own = world.supplier_a if who == "charlie" else world.supplier_b
    client = _as(client, world, who)
    own_contracts = Contract.objects.filter(supplier=own).count()
    assert own_contracts > 0
    # When the supplier contact opens the lists, an export and the API
    contracts = client.get(reverse("contracts:contract-list"))
    suppliers = client.get(reverse("suppliers:supplier-list"))
    api_contracts = client.get(reverse("api:list_contracts")).json()
    api_suppliers = client.get(reverse("api:list_suppliers")).json()
    csv_lines = client.get(reverse("contracts:contract-list") + "?format=csv").content
    # Then only the own company and its contracts are there
    assert {c.supplier_id for c in contracts.context["page"].paginator.object_list} == {own.pk}
    assert contracts.context["total"] == own_contracts
    assert [s.pk for s in suppliers.context["page"].paginator.object_list] == [own.pk]
    assert api_contracts["count"] == own_contracts
    assert {c["supplier_public_id"] for c in api_contracts["items"]} == {str(own.public_id)}
    assert [s["public_id"] for s in api_suppliers["items"]] == [str(own.public_id)]
    assert csv_lines.decode("utf-8-sig").count("\n") == own_contracts + 1
