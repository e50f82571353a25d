"""The demo cast and the demo national picture. Deterministic for the day it is loaded (every
invented date derives from `demo_today()`), and running it again changes nothing.

Every demo user has the password DEMO_PASSWORD; README.md and `make run` list them.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.core.clock import demo_today
from hallbar.funding.models import BudgetLine, FeeComponent, FeeDecision, RegionDecision
from hallbar.funding.services import save_fee_decision
from hallbar.organisations.models import Organisation, ProcurementArea, Region, Role, User
from hallbar.organisations.services import (
    PRIORITISED_YEARS,
    SECRETARIAT_NAME,
    add_membership,
    load_reference_data,
)

DEMO_PASSWORD = "hallbar-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str  # county code for regions, else the organisation's name
    area: str = ""
    staff: bool = False
    language: str = ""  # preferred language; blank: not chosen (Swedish mails)


AUDIT_FIRM = "Nordisk Revision & Hållbarhet AB"
SUPPLIER_A = "Medisupply Sverige AB"
SUPPLIER_B = "Globex Textiles Ltd"

DEMO_USERS = [
    DemoUser("kansli", "Karin", "Lund", Role.SECRETARIAT, SECRETARIAT_NAME, staff=True),
    DemoUser("styrgrupp", "Stig", "Berg", Role.STEERING_GROUP, "01"),
    DemoUser("samordnare.a", "Anna", "Nilsson", Role.AREA_COORDINATOR, "24", area="A"),
    DemoUser("samordnare.h", "Hugo", "Persson", Role.AREA_COORDINATOR, "12", area="H"),
    DemoUser("kontakt.jamtland", "Åsa", "Palm", Role.REGION_CONTACT, "23"),
    DemoUser("kontakt.vgr", "Vera", "Gustafsson", Role.REGION_CONTACT, "14"),
    DemoUser("upphandlare.stockholm", "Sara", "Ek", Role.BUYER, "01"),
    DemoUser("upphandlare.jamtland", "Johan", "Rask", Role.BUYER, "23"),
    DemoUser("upphandlare.skane", "Maja", "Holm", Role.BUYER, "12"),
    DemoUser("revisor", "Rolf", "Ahl", Role.AUDITOR, AUDIT_FIRM),
    DemoUser("leverantor", "Lena", "Marsh", Role.SUPPLIER_CONTACT, SUPPLIER_A),
    # Globex is a British company: its contact reads the portal and the mails in English.
    DemoUser("leverantor.globex", "Gary", "Wong", Role.SUPPLIER_CONTACT, SUPPLIER_B, language="en"),
]

# Region decisions on the Programme declaration 2030 and the fee from 2023. Only Region Jämtland
# Härjedalen's (RS/29/2022) is a real, public decision; the others are demo records.
REGION_DECISIONS = [
    (
        "23",
        "RS/29/2022",
        date(2022, 4, 6),
        "Regionstyrelsen",
        "approved",
        131_418,
        "Godkänner Programförklaring 2030 och strategi 2023–2025; finansiering via regionplanen "
        "från 2023 med 131 418 kr årligen till Inköp och upphandling.",
    ),
    ("01", "DEMO RS 2022-0101", date(2022, 5, 17), "Regionstyrelsen", "approved", None, ""),
    ("12", "DEMO 2022/0412", date(2022, 6, 1), "Regionstyrelsen", "approved", None, ""),
    ("14", "DEMO RS 2022-00588", date(2022, 6, 14), "Regionstyrelsen", "approved", None, ""),
    ("03", "DEMO RS 2022-0233", date(2022, 5, 24), "Regionstyrelsen", "approved", None, ""),
    ("24", "DEMO RS 2022/311", date(2022, 9, 20), "Regionstyrelsen", "approved", None, ""),
    ("25", "DEMO 22RS1234", date(2022, 10, 4), "Regionstyrelsen", "proposed", None, ""),
    ("09", "DEMO RS 2022/77", date(2022, 11, 8), "Regionstyrelsen", "proposed", None, ""),
]

BUDGET_LINES = [
    ("post", "Nationell samordnare", 1_150_000),
    ("post", "Hållbarhetsstrateg", 1_050_000),
    ("post", "Miljöstrateg", 1_050_000),
    ("post", "Riskanalys och uppföljning", 1_000_000),
    ("post", "Utbildning och kommunikation", 950_000),
    ("activity", "Revisioner och uppföljningar (medfinansiering)", 3_200_000),
    ("activity", "Nationellt utbildningspaket", 700_000),
    ("activity", "Kommunikation av resultat", 500_000),
    ("activity", "Resor, nätverksträffar och lokaler", 650_000),
]
GROWING_LINE = "Revisioner och uppföljningar (medfinansiering)"  # +100 000 kr a year from 2023
FIRST_BUDGET_YEAR = 2023  # the strengthened secretariat is funded from 2023 (the fee decision)


def budget_years(today: date) -> range:
    """Return the demo budget's years: the two before today's, today's and the next."""
    return range(max(FIRST_BUDGET_YEAR, today.year - 2), today.year + 2)


def budget(year: int) -> list[tuple[str, str, int]]:
    """Return the demo budget lines of year as (kind, description, amount in kronor)."""
    growth = 100_000 * (year - FIRST_BUDGET_YEAR)
    return [
        (kind, description, amount + (growth if description == GROWING_LINE else 0))
        for kind, description, amount in BUDGET_LINES
    ]


def prioritisation_periods(today: date) -> list[tuple[int, int]]:
    """Return the demo's prioritisation periods after the real one, up to the one holding today.

    The cooperation prioritised 16 categories for 2023–2025 (reference data). The demo assumes it
    renewed the same categories for every following period of the same length, so that some
    categories are prioritised in whatever year the demo is loaded.
    """
    first, last = PRIORITISED_YEARS
    length = last - first + 1
    return [(start, start + length - 1) for start in range(last + 1, today.year + 1, length)]


def load_demo_prioritisations(today: date) -> None:
    """Prioritise the really prioritised categories again for the demo's periods."""
    categories = Category.objects.filter(prioritisations__first_year=PRIORITISED_YEARS[0])
    for category in categories:
        for first_year, last_year in prioritisation_periods(today):
            CategoryPrioritisation.objects.get_or_create(
                category=category, first_year=first_year, defaults={"last_year": last_year}
            )


def _organisation(code_or_name: str) -> Organisation:
    if code_or_name.isdigit():
        return (
            Region.objects.select_related("organisation").get(county_code=code_or_name).organisation
        )
    kind = {
        SECRETARIAT_NAME: Organisation.Kind.SECRETARIAT,
        AUDIT_FIRM: Organisation.Kind.AUDIT_FIRM,
    }.get(code_or_name, Organisation.Kind.SUPPLIER)
    organisation, _created = Organisation.objects.get_or_create(kind=kind, name=code_or_name)
    return organisation


def ensure_user(spec: DemoUser, *, password: str = DEMO_PASSWORD) -> User:
    """Create the user of spec with password if missing, and give it its membership."""
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@demo.hallbar.invalid",
            "is_staff": spec.staff,
            "language": spec.language,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    area = ProcurementArea.objects.get(code=spec.area) if spec.area else None
    add_membership(
        user=user,
        organisation=_organisation(spec.organisation),
        role=spec.role,
        area=area,
        acting_user=None,
    )
    return user


def load_fee_decisions() -> None:
    save_fee_decision(
        reference="Finansiering 2016: uppförandekoden",
        decided_on=date(2015, 11, 19),
        decision_body="Regionernas inköpschefsnätverk (LfU)",
        from_year=2016,
        population_rule=FeeDecision.PopulationRule.YEAR_END_BEFORE,
        population_years_before=1,
        components=[(FeeComponent.Purpose.CODE_OF_CONDUCT, 40, 2016)],
        summary="40 öre per invånare och år för det gemensamma arbetet med uppförandekoden.",
        acting_user=None,
    )
    save_fee_decision(
        reference="Finansiering 2018: miljöområdet",
        decided_on=date(2017, 11, 16),
        decision_body="LfU och RMC",
        from_year=2018,
        population_rule=FeeDecision.PopulationRule.YEAR_END_BEFORE,
        population_years_before=1,
        components=[
            (FeeComponent.Purpose.CODE_OF_CONDUCT, 40, 2016),
            (FeeComponent.Purpose.ENVIRONMENT, 10, 2018),
        ],
        summary="Tillägg om tio öre per invånare för miljöområdet.",
        acting_user=None,
    )
    save_fee_decision(
        reference="Programförklaring 2030: förstärkt kansli",
        decided_on=date(2022, 4, 6),
        decision_body="Regionernas beslut (t.ex. RS/29/2022)",
        from_year=2023,
        population_rule=FeeDecision.PopulationRule.FIXED_DATE,
        population_reference_date=date(2021, 12, 31),
        components=[
            (FeeComponent.Purpose.CODE_OF_CONDUCT, 40, 2016),
            (FeeComponent.Purpose.ENVIRONMENT, 10, 2018),
            (FeeComponent.Purpose.STRENGTHENING, 50, 2023),
        ],
        summary="Från 50 öre till 1,00 kr per invånare och år från 2023, på SCB:s "
        "befolkning 2021-12-31.",
        acting_user=None,
    )


# The small demo (for tests): a fifth of the suppliers and contracts, a tenth of the invoice lines.
SMALL_SUPPLIERS, SMALL_CONTRACTS, SMALL_LINES_PER_CONTRACT_YEAR = 400, 1600, 6


@transaction.atomic
def load_demo(*, small: bool = False) -> list[DemoUser]:
    """Load reference data and the demo picture, placed around today; return the demo users.

    small loads a smaller national picture (for tests); the users, decisions, budget, cases and
    plan are the same.
    """
    today = demo_today()
    load_reference_data()
    load_demo_prioritisations(today)
    load_fee_decisions()
    for code, reference, day, body, status, amount, summary in REGION_DECISIONS:
        RegionDecision.objects.get_or_create(
            region=Region.objects.get(county_code=code),
            reference=reference,
            defaults={
                "decided_on": day,
                "decision_body": body,
                "status": status,
                "approves_programme": status == "approved",
                "annual_amount_sek": amount,
                "from_year": 2023,
                "summary": summary,
            },
        )
    for year in budget_years(today):
        for kind, description, amount in budget(year):
            BudgetLine.objects.get_or_create(
                year=year, kind=kind, description=description, defaults={"amount_sek": amount}
            )
    for spec in DEMO_USERS:
        ensure_user(spec)
    from hallbar.demo.second_factor import give_demo_second_factors

    give_demo_second_factors([spec.username for spec in DEMO_USERS])
    # Imported here: these modules import this one for the demo users and companies.
    from hallbar.demo.contracts import load_demo_contracts
    from hallbar.demo.followups import load_demo_followups
    from hallbar.demo.planning import load_demo_plan
    from hallbar.demo.requirements import load_requirement_library
    from hallbar.demo.risk import load_demo_analyses
    from hallbar.demo.spend import load_demo_spend, spend_years
    from hallbar.demo.training import load_demo_training
    from hallbar.reporting.strategy import load_strategy

    load_requirement_library()
    if small:
        load_demo_contracts(supplier_count=SMALL_SUPPLIERS, contract_count=SMALL_CONTRACTS)
    else:
        load_demo_contracts()
    load_demo_analyses()  # also registers the risk reference data editions
    if small:
        load_demo_spend(lines_per_contract_year=SMALL_LINES_PER_CONTRACT_YEAR)
    else:
        load_demo_spend()
    load_demo_followups()
    load_demo_plan(spend_year=spend_years(today)[0])  # the last full year
    load_demo_training()
    load_strategy()
    return DEMO_USERS
