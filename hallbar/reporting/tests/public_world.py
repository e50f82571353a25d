"""A small, known world of follow-ups for the public pages: published and unpublished cases with
distinctive confidential values (names, texts, e-mails) that no public response may contain."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from hallbar.categories.models import Category
from hallbar.demo.testing import Cast, requirement_library
from hallbar.followups.models import (
    Audit,
    Deviation,
    FollowUp,
    Remedy,
    Report,
)
from hallbar.followups.publication import build_summary
from hallbar.organisations.models import Organisation, Region, User
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.models import ProductionSite, Supplier

# Each value appears only in a confidential or non-public place.
SECRETS = {
    "supplier": "Zorblax Gummi Aktiebolag",
    "supplier_org": "5569998877",
    "site": "Qwertyville Handskfabrik",
    "site_city": "Xylofonstad",
    "site_osh": "OSH-ZZ-424242",
    "tier2": "Plimsoll Latexleverantör Sdn Bhd",
    "tier2_city": "Krumelurby",
    "deviation": "Passen beslagtogs av Vroomfondel-förmannen",
    "supplier_wording": "Gransknings-fynd Frumious om arbetstider",
    "commitment": "Åtagande Jabberwock rörande löner",
    "open_deviation": "Saknad Bandersnatch-rutin för övertid",
    "audit_report": "Revisionsrapport Snicker-snack med fynd",
    "interviews": "Intervju med arbetare Tumtum om skuldslaveri",
    "documents_reviewed": "Lönelistor Borogove granskade",
    "grievance": "Klagomål från Mimsy om hot mot fackombud",
    "grievance_channel": "Hotline Uffish",
    "remedy": "Återbetalning av rekryteringsavgifter Galumph",
    "remedy_verification": "Verifierat av Beamish Konsult",
    "person_first": "Hildegunn",
    "person_last": "Brakstensson",
    "person_email": "hildegunn.brakstensson@zorblax.example",
    "contact_email": "dd-kontakt@zorblax.example",
    "unpublished_ref": "HEMLIG-2099-77",
    "unpublished_supplier": "Obskyr Leverantör Frabjous AB",
}


@dataclass
class PublicWorld:
    cast: Cast
    published: FollowUp  # deviations: 1 confidential human rights, 1 workers' rights remedied
    published_clean: FollowUp  # last year, no deviations, a site in Vietnam
    unpublished: FollowUp
    category: Category
    other_category: Category
    year: int
    secrets: dict[str, str] = field(default_factory=lambda: dict(SECRETS))


def make_public_world(cast: Cast) -> PublicWorld:
    requirement_library()
    clause = ContractClause.objects.published().get()
    stockholm = Region.objects.get(county_code="01")
    category = Category.objects.get(slug="general-consumables")
    other_category = Category.objects.exclude(pk=category.pk).order_by("slug").first()
    assert other_category is not None
    year = timezone.localdate().year
    today = timezone.localdate()
    person = User.objects.create_user(
        username="hbrak",
        first_name=SECRETS["person_first"],
        last_name=SECRETS["person_last"],
        email=SECRETS["person_email"],
    )
    supplier = Supplier.objects.create(
        name=SECRETS["supplier"], country="SE", org_number=SECRETS["supplier_org"]
    )
    site = ProductionSite.objects.create(
        supplier=supplier,
        name=SECRETS["site"],
        country="MY",
        city=SECRETS["site_city"],
        products="handskar",
        tier=1,
        osh_id=SECRETS["site_osh"],
    )
    tier2 = ProductionSite.objects.create(
        supplier=supplier,
        name=SECRETS["tier2"],
        country="TH",
        city=SECRETS["tier2_city"],
        products="latex",
        tier=2,
    )
    vietnam = ProductionSite.objects.create(
        supplier=supplier, name=SECRETS["site"] + " II", country="VN", products="", tier=1
    )

    def case(reference, *, case_year, cat, status, sites):
        followup = FollowUp.objects.create(
            reference=reference,
            year=case_year,
            supplier=supplier,
            followup_type="factory_audit",
            status=status,
            lead_region=stockholm,
            category=cat,
            clause=clause,
            contact_email=SECRETS["contact_email"],
            opened_by=person,
        )
        followup.sites.set(sites)
        return followup

    published = case(
        f"UPP-{year}-901", case_year=year, cat=category, status="action_plan", sites=[site, tier2]
    )
    firm = Organisation.objects.get(kind=Organisation.Kind.AUDIT_FIRM)
    audit = Audit.objects.create(
        followup=published,
        kind="factory",
        status="reported",
        firm=firm,
        auditor=cast.auditor,
        performed_date=today,
        documents_reviewed=SECRETS["documents_reviewed"],
        interviews=SECRETS["interviews"],
        report=SECRETS["audit_report"],
    )
    audit.sites.set([site, tier2])
    requirement = clause.process_requirements.get(number=1)
    Deviation.objects.create(
        followup=published,
        number=1,
        requirement=requirement,
        commitment=SECRETS["commitment"],
        area="human_rights",
        severity="critical",
        zero_tolerance=True,
        confidential=True,
        description=SECRETS["deviation"],
        supplier_description=SECRETS["supplier_wording"],
        source="audit",
        audit=audit,
        site=tier2,
        found_on=today,
        plan_due=today + timedelta(days=30),
        recorded_by=person,
    )
    remedied = Deviation.objects.create(
        followup=published,
        number=2,
        requirement=requirement,
        area="workers_rights",
        severity="major",
        description=SECRETS["open_deviation"],
        source="audit",
        audit=audit,
        site=site,
        found_on=today,
        plan_due=today + timedelta(days=30),
        status="remedied",
        closed_out_on=today,
    )
    Remedy.objects.create(
        deviation=remedied,
        description=SECRETS["remedy"],
        people_reached=12,
        status="verified",
        delivered_on=today,
        verification=SECRETS["remedy_verification"],
        verified_on=today,
        verified_by=person,
    )
    Report.objects.create(
        kind="grievance",
        supplier=supplier,
        area="human_rights",
        country="TH",
        known_on=today,
        received_on=today,
        channel=SECRETS["grievance_channel"],
        description=SECRETS["grievance"],
        status="triaged",
        followup=published,
        reported_by=person,
    )
    published.summary = build_summary(published)
    published.published_at = timezone.now()
    published.save()

    published_clean = case(
        f"UPP-{year - 1}-902",
        case_year=year - 1,
        cat=other_category,
        status="closed",
        sites=[vietnam],
    )
    published_clean.summary = build_summary(published_clean)
    published_clean.published_at = timezone.now() - timedelta(days=200)
    published_clean.save()

    other = Supplier.objects.create(name=SECRETS["unpublished_supplier"], country="SE")
    unpublished = FollowUp.objects.create(
        reference=SECRETS["unpublished_ref"],
        year=year,
        supplier=other,
        followup_type="self_assessment",
        status="assessed",
        lead_region=stockholm,
        category=category,
        clause=clause,
        summary="Ej publicerad",
    )
    return PublicWorld(
        cast=cast,
        published=published,
        published_clean=published_clean,
        unpublished=unpublished,
        category=category,
        other_category=other_category,
        year=year,
    )
