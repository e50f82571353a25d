"""A year of demo follow-ups: cases in every state, deviations, action plans, overdue items,
sanctions, a zero-tolerance report and a grievance. Idempotent: nothing happens when demo cases
exist. Cases are made through the services (so the timeline is real) and then dated back over the
past year, so that deadlines have passed where the demo needs them to."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from hallbar.contracts.models import Contract
from hallbar.core.clock import demo_today
from hallbar.demo.national import AUDIT_FIRM, SUPPLIER_A, SUPPLIER_B
from hallbar.followups import services
from hallbar.followups.models import (
    Action,
    CaseEvent,
    Deviation,
    FollowUp,
    Remedy,
    Report,
)
from hallbar.followups.states import State
from hallbar.organisations.models import Organisation, Region, User
from hallbar.requirements.models import ZeroToleranceItem
from hallbar.suppliers.models import Supplier

PDF = b"%PDF-1.4\n% hallbar demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Who leads: the demo users' regions, so that every demo login has cases to look at.
LEADS = [
    ("01", "upphandlare.stockholm"),
    ("23", "kontakt.jamtland"),
    ("14", "kontakt.vgr"),
    ("12", "upphandlare.skane"),
]
# The states the demo cases end in (besides the two demo suppliers' own cases).
PLAN = [
    State.PLANNED,
    State.PLANNED,
    State.PLANNED,
    State.SENT,
    State.SENT,
    State.ANSWERED,
    State.ASSESSED,
    State.OFFICE_AUDIT,
    State.FACTORY_AUDIT,
    State.DEVIATIONS,
    State.DEVIATIONS,
    State.ACTION_PLAN,
    State.ACTION_PLAN,
    State.VERIFIED,
    State.CLOSED,
    State.CLOSED,
    State.CLOSED,
    State.CANCELLED,
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _age(followup: FollowUp, days: int) -> None:
    """Move the case's timeline back by days, keeping its order; a finished case's dates too."""
    shift = timedelta(days=days)
    CaseEvent.objects.filter(followup=followup).update(at=F("at") - shift)
    FollowUp.objects.filter(pk=followup.pk).update(created_at=F("created_at") - shift)
    # when each deviation was recorded, and the summary published (the digest dates by them)
    Deviation.objects.filter(followup=followup).update(created_at=F("created_at") - shift)
    FollowUp.objects.filter(pk=followup.pk, published_at__isnull=False).update(
        published_at=F("published_at") - shift
    )
    followup.refresh_from_db()
    if followup.status not in {State.CLOSED, State.CANCELLED, State.VERIFIED}:
        return
    FollowUp.objects.filter(pk=followup.pk, due_date__isnull=False).update(
        due_date=F("due_date") - shift, sent_at=F("sent_at") - shift
    )
    FollowUp.objects.filter(pk=followup.pk, closed_at__isnull=False).update(
        closed_at=F("closed_at") - shift
    )
    # The demo runs a case's steps on one day; a deviation is closed out some weeks after it was
    # found (a third of the case's age, at most two months), so that the time to close-out is real.
    lag = timedelta(days=min(days // 3, 60))
    Deviation.objects.filter(followup=followup).update(
        found_on=F("found_on") - shift,
        plan_due=F("plan_due") - shift,
        closed_out_on=F("closed_out_on") - shift + lag,
    )
    Action.objects.filter(plan__followup=followup).update(
        deadline=F("deadline") - shift,
        done_on=F("done_on") - shift,
        verified_on=F("verified_on") - shift,
    )


# What people write in the demo, in the language they write in: Globex's contact and the lead
# region write to each other in English, as with a supplier abroad.
TEXTS = {
    "sv": {
        "answer": "Se bifogad policy och riskanalys.",
        "gap": "Riskanalysen saknar produktionsländer.",
        "deviation": "Leverantören har inte kartlagt risker i leverantörskedjan bortom första ledet.",
        "action": "Genomföra och dokumentera riskanalys för samtliga produktionsled.",
        "owner": "Hållbarhetschef",
    },
    "en": {
        "answer": "See the attached policy and risk assessment.",
        "gap": "The risk assessment does not name the countries of production.",
        "deviation": "The supplier has not mapped the risks in its supply chain beyond the "
        "first tier.",
        "action": "Carry out and document a risk assessment of every tier of production.",
        "owner": "Head of sustainability",
    },
}


def _answer(followup: FollowUp, user, language: str = "sv") -> None:
    followup.refresh_from_db()
    questions = list(followup.response.questionnaire.questions.all())
    answers = {
        q.pk: {"yes_no": "yes", "number": "4", "text": TEXTS[language]["answer"]}.get(
            q.kind, q.choices[-1] if q.choices else ""
        )
        for q in questions
        if q.kind != "file"
    }
    # One honest "no": PR3 is the typical gap.
    for q in questions:
        if q.kind == "yes_no" and q.requirement and q.requirement.number == 3:
            answers[q.pk] = "no"
    uploads = [
        (
            q.pk,
            _pdf(f"bevis-{q.requirement.code if q.requirement else q.position}.pdf"),
            demo_today() - timedelta(days=60),
            False,
        )
        for q in questions
        if q.evidence_required and answers.get(q.pk) == "yes"
    ]
    services.save_answers(followup, answers=answers, uploads=uploads, submit=True, acting_user=user)


def _assess(followup: FollowUp, lead, language: str = "sv") -> None:
    followup.refresh_from_db()
    verdicts = {
        r.pk: ("gap", TEXTS[language]["gap"]) if r.number == 3 else ("approved", "")
        for r in followup.clause.process_requirements.all()
    }
    services.assess(followup, verdicts=verdicts, acting_user=lead)


def _deviation(
    followup: FollowUp, lead, number: int = 3, language: str = "sv", **options
) -> Deviation:
    followup.refresh_from_db()
    return services.record_deviation(
        followup,
        acting_user=lead,
        requirement=followup.clause.process_requirements.get(number=number),
        area=options.pop("area", "workers_rights"),
        severity=options.pop("severity", "major"),
        description=options.pop("description", TEXTS[language]["deviation"]),
        source=options.pop("source", "assessment"),
        **options,
    )


def _plan(followup: FollowUp, user, deadline_days: int = 45, language: str = "sv") -> None:
    followup.refresh_from_db()
    today = demo_today()
    services.save_action_plan(
        followup,
        actions=[
            {
                "deviation": d,
                "description": TEXTS[language]["action"],
                "owner": TEXTS[language]["owner"],
                "deadline": today + timedelta(days=deadline_days),
            }
            for d in followup.deviations.all()
        ],
        submit=True,
        acting_user=user,
    )


def _number(followup: FollowUp) -> int:
    """Return the case's number among the demo's cases, in the order they were made (1 for the
    first): the same on every database, as the demo makes its cases in a fixed order."""
    return FollowUp.objects.filter(pk__lte=followup.pk).count()


def _drive(
    followup: FollowUp,
    target: str,
    *,
    lead,
    supplier_user,
    kansli,
    firm,
    auditor,
    language: str = "sv",
):
    """Move a new case along the process until it is in target (people write in language).

    Where two paths lead to the target, the case's number in the demo (`_number`) chooses, never
    its primary key: a database that made rows before (and moved its sequences) gets the same
    demo as an empty one."""
    number = _number(followup)
    if target == State.PLANNED:
        return
    if target == State.CANCELLED:
        services.cancel_followup(followup, reason="Avtalet har upphört.", acting_user=kansli)
        return
    if target in {State.OFFICE_AUDIT, State.FACTORY_AUDIT} and number % 2:
        services.order_audit(
            followup, kind="office", firm=firm, auditor=auditor, critical=True, acting_user=lead
        )
        if target == State.FACTORY_AUDIT:
            followup.refresh_from_db()
            services.order_audit(
                followup,
                kind="factory",
                firm=firm,
                auditor=auditor,
                sites=list(followup.sites.all()[:1]) or [],
                zero_tolerance_signal=not followup.sites.exists(),
                acting_user=lead,
            )
        return
    services.send_self_assessment(followup, acting_user=kansli)
    if target == State.SENT:
        return
    _answer(followup, supplier_user, language)
    if target == State.ANSWERED:
        return
    _assess(followup, lead, language)
    if target == State.ASSESSED:
        return
    if target in {State.OFFICE_AUDIT, State.FACTORY_AUDIT}:
        followup.refresh_from_db()
        services.order_audit(followup, kind="office", firm=firm, auditor=auditor, acting_user=lead)
        if target == State.FACTORY_AUDIT:
            followup.refresh_from_db()
            sites = list(followup.sites.all()[:2])
            services.order_audit(
                followup,
                kind="factory",
                firm=firm,
                auditor=auditor,
                sites=sites,
                zero_tolerance_signal=not sites,
                acting_user=lead,
            )
        return
    if target == State.CLOSED and number % 3 == 0:
        followup.refresh_from_db()
        services.close_followup(followup, acting_user=lead, note="Inga avvikelser.")
        return
    _deviation(followup, lead, language=language)
    if target == State.DEVIATIONS:
        return
    _plan(followup, supplier_user, language=language)
    if target == State.ACTION_PLAN:
        return
    followup.refresh_from_db()
    services.review_action_plan(followup, accept=True, comment="", acting_user=lead)
    for action in Action.objects.filter(plan__followup=followup):
        services.report_action_done(
            action,
            note="Riskanalys genomförd, se bilaga.",
            evidence=_pdf("riskanalys.pdf"),
            document_date=demo_today(),
            acting_user=supplier_user,
        )
        services.verify_action(
            action, accepted=True, verification="Granskat underlag.", acting_user=lead
        )
    if target == State.VERIFIED:
        return
    followup.refresh_from_db()
    services.close_followup(followup, acting_user=lead, note="Avvikelsen är släckt.")
    followup.refresh_from_db()
    services.publish_summary(followup, acting_user=lead)


def _candidates(limit: int) -> list[Supplier]:
    """Suppliers with active contracts in several regions, the busiest first."""
    return list(
        Supplier.objects.exclude(name__in=[SUPPLIER_A, SUPPLIER_B])
        .filter(contracts__status=Contract.Status.ACTIVE)
        .annotate(
            buyers=Count(
                "contracts__regions",
                distinct=True,
                filter=Q(contracts__status=Contract.Status.ACTIVE),
            )
        )
        .filter(buyers__gte=2)
        .order_by("-buyers", "pk")[:limit]
    )


@transaction.atomic
def load_demo_followups() -> int:
    """Create the demo follow-ups; return how many cases were made (0 when they exist)."""
    if FollowUp.objects.exists():
        return 0
    today = demo_today()
    year = today.year
    kansli = _user("kansli")
    auditor = _user("revisor")
    firm = Organisation.objects.get(name=AUDIT_FIRM)
    leads = [(Region.objects.get(county_code=code), _user(name)) for code, name in LEADS]
    for index, (supplier, target) in enumerate(zip(_candidates(len(PLAN)), PLAN, strict=False)):
        region, lead = leads[index % len(leads)]
        followup = services.open_followup(
            supplier=supplier,
            year=year,
            followup_type="office_audit"
            if target in {State.OFFICE_AUDIT, State.FACTORY_AUDIT}
            else "self_assessment",
            lead_region=region,
            acting_user=kansli,
            cost_sek=6000,
        )
        _drive(
            followup,
            target,
            lead=lead,
            supplier_user=None,
            kansli=kansli,
            firm=firm,
            auditor=auditor,
        )
        _age(followup, 300 - index * 15)
    _overdue_and_sanctions(kansli)
    _demo_suppliers(year, kansli, firm, auditor)
    _remedies()
    return FollowUp.objects.count()


def _overdue_and_sanctions(kansli) -> None:
    """Make the overdue items: a late answer, a late action plan with vite, a late action with a
    call-off stop, and an action plan found not enough."""
    today = demo_today()
    cases = FollowUp.objects.filter(status=State.SENT).order_by("pk")
    late_answer = cases.first()
    if late_answer:
        FollowUp.objects.filter(pk=late_answer.pk).update(due_date=today - timedelta(days=12))
    deviations = Deviation.objects.filter(followup__status=State.DEVIATIONS).order_by("pk")
    late_plan = deviations.first()
    if late_plan:
        Deviation.objects.filter(pk=late_plan.pk).update(
            found_on=today - timedelta(days=60), plan_due=today - timedelta(days=30)
        )
        late_plan.refresh_from_db()
        services.record_sanction(
            late_plan.followup,
            kind="vite",
            deviation=late_plan,
            acting_user=late_plan.followup.opened_by or kansli,
            note="Vite enligt avtalets sanktionsbestämmelse.",
        )
    actions = Action.objects.filter(plan__followup__status=State.ACTION_PLAN).order_by("pk")
    late_action = actions.first()
    if late_action:
        Action.objects.filter(pk=late_action.pk).update(deadline=today - timedelta(days=20))
        contract = late_action.plan.followup.supplier.contracts.filter(status="active").first()
        if contract:
            services.record_sanction(
                late_action.plan.followup,
                kind="call_off_stop",
                contract=contract,
                acting_user=kansli,
                note="Avropsstopp tills åtgärden är genomförd (demo).",
            )
    not_enough = (actions.exclude(pk=late_action.pk) if late_action else actions).first()
    if not_enough:
        services.verify_action(
            not_enough,
            accepted=False,
            verification="Underlaget visar inte att åtgärden är gjord.",
            acting_user=kansli,
        )


def _demo_suppliers(year, kansli, firm, auditor) -> None:
    """The two demo suppliers' own cases, for the supplier-portal logins."""
    medisupply = Supplier.objects.get(name=SUPPLIER_A, merged_into__isnull=True)
    globex = Supplier.objects.get(name=SUPPLIER_B, merged_into__isnull=True)
    stockholm = Region.objects.get(county_code="01")
    jamtland = Region.objects.get(county_code="23")
    lena = _user("leverantor")
    gary = _user("leverantor.globex")
    sara = _user("upphandlare.stockholm")
    asa = _user("kontakt.jamtland")
    # Medisupply: last year's case closed; this year's self-assessment to answer.
    earlier = services.open_followup(
        supplier=medisupply,
        year=year - 1,
        followup_type="self_assessment",
        lead_region=stockholm,
        acting_user=kansli,
        cost_sek=6000,
    )
    _drive(
        earlier,
        State.CLOSED,
        lead=sara,
        supplier_user=lena,
        kansli=kansli,
        firm=firm,
        auditor=auditor,
    )
    _age(earlier, 330)
    current = services.open_followup(
        supplier=medisupply,
        year=year,
        followup_type="self_assessment",
        lead_region=stockholm,
        acting_user=kansli,
        cost_sek=6000,
    )
    services.send_self_assessment(current, acting_user=kansli)
    # Globex: deviations found, the action plan is due within the week.
    textiles = services.open_followup(
        supplier=globex,
        year=year,
        followup_type="self_assessment",
        lead_region=jamtland,
        acting_user=kansli,
        cost_sek=6000,
    )
    _drive(
        textiles,
        State.DEVIATIONS,
        lead=asa,
        supplier_user=gary,
        kansli=kansli,
        firm=firm,
        auditor=auditor,
        language=gary.mail_language,
    )
    Deviation.objects.filter(followup=textiles).update(plan_due=demo_today() + timedelta(days=5))
    _age(textiles, 40)
    item = ZeroToleranceItem.objects.filter(code__status="published").order_by("position").first()
    services.submit_report(
        kind=Report.Kind.ZERO_TOLERANCE,
        supplier=globex,
        zero_tolerance_item=item,
        known_on=demo_today() - timedelta(days=3),
        country="BD",
        description="A sub-supplier in Bangladesh has employed minors in its packing "
        "department; we have stopped orders and started an investigation.",
        acting_user=gary,
    )
    services.submit_report(
        kind=Report.Kind.GRIEVANCE,
        supplier=medisupply,
        area="workers_rights",
        known_on=demo_today() - timedelta(days=10),
        country="MY",
        channel="Leverantörens klagomålsmekanism (PR6)",
        description="Anonym arbetare uppger att rekryteringsavgifter tas ut "
        "av bemanningsföretaget.",
        acting_user=asa,
    )


def _on_site(deviation: Deviation) -> Deviation:
    """Place the deviation at the supplier's first-tier site (where the people harmed work)."""
    site = deviation.followup.supplier.sites.order_by("tier", "pk").first()
    if site is not None and deviation.site_id is None:
        Deviation.objects.filter(pk=deviation.pk).update(site=site)
        deviation.refresh_from_db()
    return deviation


def _dated(remedy: Remedy, *, delivered: int, verified: int | None) -> None:
    """Date the remedy back (days ago), and its timeline line with it."""
    today = demo_today()
    delivered_on = today - timedelta(days=delivered)
    verified_on = today - timedelta(days=verified) if verified is not None else None
    Remedy.objects.filter(pk=remedy.pk).update(delivered_on=delivered_on, verified_on=verified_on)
    at = timezone.make_aware(datetime.combine(verified_on or delivered_on, time(10)))
    CaseEvent.objects.filter(
        followup=remedy.deviation.followup, kind=CaseEvent.Kind.REMEDY, at__gte=at
    ).update(at=at)


def _remedies() -> None:
    """Remedy for the people harmed: recruitment fees repaid to 38 workers (verified, last
    year), back pay (verified this year), and remedy Globex reported, awaiting verification."""
    sara = _user("upphandlare.stockholm")
    medisupply = Supplier.objects.get(name=SUPPLIER_A, merged_into__isnull=True)
    earlier = (
        Deviation.objects.filter(followup__supplier=medisupply, followup__status=State.CLOSED)
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        earlier = _on_site(earlier)
        fees = services.record_remedy(
            earlier,
            acting_user=sara,
            description="Rekryteringsavgifter som arbetarna betalat till ett bemanningsföretag "
            "har återbetalats i sin helhet, och leverantören betalar nu avgifterna själv.",
            people_reached=38,
            amount_repaid_sek=Decimal("551000"),
            delivered_on=demo_today() - timedelta(days=270),
            verification="Banköverföringarna granskade och tolv arbetare intervjuade av "
            "Revisionsbyrån vid fabriksrevisionen.",
        )
        _dated(fees, delivered=270, verified=255)
    deviation = (
        Deviation.objects.filter(followup__status=State.VERIFIED)
        .select_related("followup__lead_region")
        .order_by("followup", "number")
        .first()
    )
    if deviation is not None:
        deviation = _on_site(deviation)
        county = deviation.followup.lead_region.county_code
        lead = next((_user(name) for code, name in LEADS if code == county), sara)
        back_pay = services.record_remedy(
            deviation,
            acting_user=lead,
            description="Innehållen övertidsersättning har betalats ut i efterhand till de "
            "anställda i packavdelningen.",
            people_reached=112,
            amount_repaid_sek=Decimal("86400"),
            delivered_on=demo_today() - timedelta(days=40),
            verification="Lönelistor före och efter utbetalningen granskade av regionens "
            "hållbarhetsstrateg.",
        )
        _dated(back_pay, delivered=40, verified=25)
    globex = Supplier.objects.get(name=SUPPLIER_B, merged_into__isnull=True)
    textiles = Deviation.objects.filter(followup__supplier=globex).order_by("pk").first()
    if textiles is not None:
        textiles = _on_site(textiles)
        reported = services.report_remedy(
            textiles,
            acting_user=_user("leverantor.globex"),
            description="Workers who paid recruitment fees to a labour agency have been "
            "repaid in full; the agency contract now forbids fees.",
            people_reached=14,
            amount_repaid_sek=Decimal("42000"),
            delivered_on=demo_today() - timedelta(days=6),
        )
        _dated(reported, delivered=6, verified=None)
