"""A synthetic national picture for the demo: ~2 000 suppliers and ~8 000 contracts.

Deterministic (one seed and the day it is loaded), written in bulk so that `make run` stays quick,
and idempotent: it does nothing when the demo contracts exist. Suppliers come from the countries
such goods really come from; the same supplier is spelled differently in different regions'
registers. Contract periods are placed around the day the demo is loaded: they start on a quarter
day in the last seven years or this one and run two to four years (a tenth have no end), so that
some have ended, many are active, some end within months, and (loaded before October) some start
later this year.
"""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.contracts.models import Contract
from hallbar.core.clock import demo_today
from hallbar.demo.national import SUPPLIER_A, SUPPLIER_B
from hallbar.organisations.models import Organisation, Region
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.matching import normalise_name
from hallbar.suppliers.models import ProductionSite, Supplier, SupplierName

SEED = 2026
SUPPLIERS = 2000
CONTRACTS = 8000
REFERENCE_PREFIX = "DEMO-"
YEARS_BACK = 7  # contracts start in the last seven years, or in this one

# Where each category's goods are typically made (ISO 3166-1 alpha-2), and what they are.
SOURCING = {
    "surgical-instruments": (["PK", "DE", "MY"], "kirurgiska instrument"),
    "care-related-paper-and-plastic": (["CN", "SE", "FI", "MY"], "pappers- och plastprodukter"),
    "basic-medical-equipment": (["CN", "DE", "US", "TW"], "medicinteknisk utrustning"),
    "food-and-related-services": (["SE", "BR", "ES", "TH"], "livsmedel"),
    "cleaning-services": (["SE"], "lokalvård"),
    "nutrition": (["SE", "NL", "DE"], "näringsprodukter"),
    "it": (["CN", "TW", "VN", "MY"], "datorer och elektronik"),
    "medical-technology-imaging-and-function": (["DE", "NL", "JP", "US"], "bildutrustning"),
    "wound-care": (["CN", "IN", "SE"], "förband"),
    "compression": (["CN", "DE", "IT"], "kompressionsprodukter"),
    "dental-care": (["CH", "DE", "CN"], "tandvårdsprodukter"),
    "pharmaceuticals": (["IN", "CN", "DE", "CH"], "läkemedel"),
    "general-consumables": (["MY", "TH", "CN", "VN"], "handskar och förbrukningsartiklar"),
    "incontinence-and-stoma": (["SE", "CN", "DK"], "inkontinensprodukter"),
    "medical-technology": (["CN", "DE", "US"], "medicinteknik"),
    "laundry-and-textiles": (["CN", "IN", "PK", "BD", "TR"], "textilier"),
    "office-supplies": (["SE", "DE", "CN"], "kontorsmaterial"),
    "furniture": (["SE", "PL", "LT"], "möbler"),
    "vehicles": (["SE", "DE", "JP"], "fordon"),
}
CITIES = {
    "SE": ["Göteborg", "Stockholm", "Malmö", "Jönköping", "Borås", "Umeå"],
    "PK": ["Sialkot", "Karachi"],
    "DE": ["Tuttlingen", "Hamburg", "Berlin"],
    "MY": ["Klang", "Ipoh", "Penang"],
    "CN": ["Shenzhen", "Shanghai", "Ningbo"],
    "FI": ["Tampere"],
    "US": ["Chicago"],
    "TW": ["Taipei"],
    "BR": ["São Paulo"],
    "ES": ["Valencia"],
    "TH": ["Bangkok", "Hat Yai"],
    "NL": ["Eindhoven"],
    "VN": ["Hanoi", "Ho Chi Minh City"],
    "JP": ["Osaka"],
    "IN": ["Tirupur", "Hyderabad", "Ahmedabad"],
    "IT": ["Milano"],
    "CH": ["Basel"],
    "DK": ["Humlebæk"],
    "BD": ["Dhaka"],
    "TR": ["Izmir"],
    "PL": ["Poznań"],
    "LT": ["Kaunas"],
    "GB": ["Leeds"],
}
SV_WORDS = [
    "Nordisk",
    "Svensk",
    "Medi",
    "Care",
    "Hälso",
    "Vård",
    "Skandia",
    "Norr",
    "Väst",
    "Lund",
    "Berg",
    "Kust",
    "Fjäll",
    "Sjö",
    "Ek",
    "Björk",
    "Linné",
    "Polar",
    "Aros",
    "Göta",
]
SV_TAILS = [
    "Medical",
    "Medicinteknik",
    "Handel",
    "Produkter",
    "Supply",
    "Hygien",
    "Textil",
    "Service",
    "Data",
    "Logistik",
    "Instrument",
    "Livsmedel",
    "Partner",
    "Distribution",
]
FOREIGN_FORMS = {
    "DE": "GmbH",
    "CN": "Co., Ltd",
    "MY": "Sdn Bhd",
    "PK": "(Pvt) Ltd",
    "IN": "Pvt Ltd",
    "TH": "Co., Ltd",
    "VN": "JSC",
    "US": "Inc.",
    "TW": "Co., Ltd",
    "NL": "B.V.",
    "FI": "Oy",
    "DK": "A/S",
    "GB": "Ltd",
    "IT": "S.r.l.",
    "CH": "AG",
    "JP": "K.K.",
    "BR": "Ltda",
    "ES": "S.L.",
    "BD": "Ltd",
    "TR": "A.Ş.",
    "PL": "Sp. z o.o.",
    "LT": "UAB",
}
FOREIGN_WORDS = [
    "Global",
    "Pacific",
    "Golden",
    "United",
    "Star",
    "Prime",
    "Green",
    "Royal",
    "Asia",
    "Euro",
    "Oriental",
    "Crown",
    "Delta",
    "Sunrise",
    "Harbor",
    "Summit",
]
FOREIGN_TAILS = [
    "Medical",
    "Healthcare",
    "Textiles",
    "Gloves",
    "Surgical",
    "Electronics",
    "Pharma",
    "Industries",
    "Products",
    "Manufacturing",
    "Instruments",
    "Rubber",
]


def _luhn_org_number(rng: random.Random) -> str:
    digits = [5, 5, 6] + [rng.randrange(10) for _ in range(6)]
    total = 0
    for index, digit in enumerate(digits):
        value = digit * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _variant(name: str, rng: random.Random) -> str:
    """Spell the name the way another region's register might."""
    choice = rng.randrange(5)
    if choice == 0:
        return name.upper()
    if choice == 1:
        return name.replace(" AB", " Aktiebolag")
    if choice == 2:
        return name.replace(",", "").replace(".", "")
    if choice == 3:
        return name.replace(" AB", "")
    return name


def _latest_population(region: Region) -> int:
    figure = region.populations.order_by("-reference_date").first()
    if figure is None:
        raise ValueError(f"Region {region.county_code} has no population figure to weigh by.")
    return figure.population


@transaction.atomic
def load_demo_contracts(
    *, supplier_count: int = SUPPLIERS, contract_count: int = CONTRACTS
) -> dict[str, int]:
    """Create the demo suppliers and contracts unless they exist; return what was created."""
    if Contract.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        return {"suppliers": 0, "contracts": 0}
    rng = random.Random(SEED)
    today = demo_today()
    categories = {c.slug: c for c in Category.objects.all()}
    prioritised_years = {
        (p.category_id, year)
        for p in CategoryPrioritisation.objects.all()
        for year in range(p.first_year, p.last_year + 1)
    }
    regions = list(Region.objects.order_by("county_code"))
    clauses = {c.version: c for c in ContractClause.objects.released()}
    current = max(clauses) if clauses else None

    # Suppliers, each with a home category; the two demo supplier companies first.
    specs, used_names, used_org = [], set(), set()
    for name, country, slug in [
        (SUPPLIER_A, "SE", "general-consumables"),
        (SUPPLIER_B, "GB", "laundry-and-textiles"),
    ]:
        specs.append((name, country, slug))
        used_names.add(name)
    slugs = list(SOURCING)
    while len(specs) < supplier_count:
        slug = rng.choice(slugs)
        swedish = rng.random() < 0.6
        country = (
            "SE" if swedish else rng.choice([c for c in SOURCING[slug][0] if c != "SE"] or ["CN"])
        )
        if swedish:
            name = f"{rng.choice(SV_WORDS)}{rng.choice(['', ' '])}{rng.choice(SV_TAILS)} AB"
        else:
            city = rng.choice(CITIES.get(country, ["City"]))
            name = f"{rng.choice([city, rng.choice(FOREIGN_WORDS)])} {rng.choice(FOREIGN_TAILS)} {FOREIGN_FORMS.get(country, 'Ltd')}"
        if name in used_names:
            continue
        used_names.add(name)
        specs.append((name, country, slug))
    suppliers = []
    for name, country, _slug in specs:
        org = vat = other = ""
        if country == "SE":
            org = _luhn_org_number(rng)
            while org in used_org:
                org = _luhn_org_number(rng)
            used_org.add(org)
        elif rng.random() < 0.7:
            other = f"{country}-{rng.randrange(10**7, 10**8)}"
        suppliers.append(
            Supplier(
                name=name,
                country=country,
                org_number=org,
                vat_number=vat,
                other_id=other,
                city=rng.choice(CITIES.get(country, [""])),
                normalised_name=normalise_name(name),
                dd_contact_name=rng.choice(["Anna", "Erik", "Li", "Priya", "Ahmed", "Maria"])
                + " "
                + rng.choice(["Svensson", "Wang", "Khan", "Patel", "Nguyen", "Müller"]),
                dd_contact_email=f"dd@{normalise_name(name).replace(' ', '')[:20] or 'supplier'}.example",
            )
        )
    Supplier.objects.bulk_create(suppliers, batch_size=1000)
    suppliers = list(Supplier.objects.filter(name__in=[s[0] for s in specs]).order_by("pk"))
    by_name = {s.name: s for s in suppliers}
    for name, organisation_name in [(SUPPLIER_A, SUPPLIER_A), (SUPPLIER_B, SUPPLIER_B)]:
        organisation = Organisation.objects.filter(
            kind=Organisation.Kind.SUPPLIER, name=organisation_name
        ).first()
        if organisation:
            Supplier.objects.filter(pk=by_name[name].pk).update(organisation=organisation)

    sites = []
    home = {name: slug for name, _country, slug in specs}
    for supplier in suppliers:
        countries, product = SOURCING[home[supplier.name]]
        for tier in range(1, rng.choice([2, 2, 3, 4])):
            country = rng.choice(countries)
            sites.append(
                ProductionSite(
                    supplier=supplier,
                    name=f"{rng.choice(CITIES.get(country, ['Plant']))} plant {tier}",
                    country=country,
                    city=rng.choice(CITIES.get(country, [""])),
                    products=product,
                    tier=tier,
                )
            )
    ProductionSite.objects.bulk_create(sites, batch_size=2000)

    contracts, region_links, names = [], [], set()
    weights = [max(1, _latest_population(r) // 50_000) for r in regions]
    for number in range(1, contract_count + 1):
        supplier = rng.choice(suppliers)
        slug = home[supplier.name] if rng.random() < 0.8 else rng.choice(slugs)
        category = categories[slug]
        lead = rng.choices(regions, weights=weights)[0]
        buyers = [lead]
        if rng.random() < 0.06:
            buyers += rng.sample([r for r in regions if r != lead], rng.randint(1, 3))
        start = date(rng.randint(today.year - YEARS_BACK, today.year), rng.choice([1, 4, 7, 10]), 1)
        end = (
            date(start.year + rng.choice([2, 3, 4]), start.month, 1) if rng.random() < 0.9 else None
        )
        status = "planned" if start > today else ("expired" if end and end < today else "active")
        if status == "active" and rng.random() < 0.02:
            status = "terminated"
        # A needs assessment unless the category was prioritised in the contract's first year.
        prioritised = (category.pk, start.year) in prioritised_years
        roll = rng.random()
        clause = None
        level = ""
        if current is not None and (prioritised and roll < 0.85 or not prioritised and roll < 0.2):
            clause = (
                clauses[current] if start.year >= current or roll < 0.5 else clauses[min(clauses)]
            )
            level = "advanced" if rng.random() < 0.4 else "basic"
        cpv = category.cpv_codes.first() if number < 40 else None
        contracts.append(
            Contract(
                reference=f"{REFERENCE_PREFIX}{lead.county_code}-{number:05d}",
                title=f"{category.name_sv}: {SOURCING[slug][1]}",
                lead_region=lead,
                supplier=supplier,
                category=category,
                cpv=cpv,
                annual_value_sek=Decimal(rng.randrange(50, 25_000) * 1000),
                start_date=start,
                end_date=end,
                status=status,
                clause=clause,
                clause_level=level,
                needs_assessment=""
                if prioritised
                else "Låg risk för människor och miljö i leveranskedjan; standardvillkor räcker.",
                dd_contact_name=supplier.dd_contact_name,
                dd_contact_email=supplier.dd_contact_email,
                production_countries=sorted({rng.choice(SOURCING[slug][0]) for _ in range(2)}),
            )
        )
        for buyer in buyers:
            region_links.append((number, buyer.pk))
            if rng.random() < 0.5:
                names.add((supplier.pk, _variant(supplier.name, rng), buyer.pk))
    Contract.objects.bulk_create(contracts, batch_size=1000)
    ids = dict(
        Contract.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list(
            "reference", "pk"
        )
    )
    through = Contract.regions.through
    by_number = {int(ref.rsplit("-", 1)[1]): pk for ref, pk in ids.items()}
    through.objects.bulk_create(
        [through(contract_id=by_number[n], region_id=r) for n, r in region_links], batch_size=5000
    )
    SupplierName.objects.bulk_create(
        [SupplierName(supplier_id=s, name=n, region_id=r) for s, n, r in sorted(names)]
        + [SupplierName(supplier=s, name=s.name, region=None) for s in suppliers],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return {"suppliers": len(suppliers), "contracts": len(contracts)}
