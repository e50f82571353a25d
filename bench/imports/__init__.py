"""Benchmark of the contract import: ``python -m bench.imports [--rows N] [--suppliers N]``.

This module generates the data and imports nothing from Django, so it can be used (and tested)
without a database: `generate` returns, deterministically for a seed, valid rows in the contract
import template's columns for one lead region. `__main__` sets up a throw-away database, writes
the rows as CSV and XLSX and times their import.

Values are typed as a spreadsheet would hold them: amounts are `Decimal` and dates `date`, so the
XLSX file has number and date cells (which the reader turns back into text) and `write_csv`
writes plain text. Organisation numbers stay text.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

CPV_FILE = Path(__file__).resolve().parents[2] / "referencedata" / "cpv_2008.csv"
# Fixed "today" for the statuses: a benchmark must not depend on the day it runs.
BASELINE = dt.date(2025, 6, 1)
# The prioritised categories are prioritised in these years; contracts starting then need no
# needs assessment (hallbar.organisations.services.PRIORITISED_YEARS).
PRIORITISED_FROM = dt.date(2023, 1, 1)
PRIORITISED_TO = dt.date(2025, 12, 31)
OTHER_FROM = dt.date(2021, 1, 1)
OTHER_TO = dt.date(2026, 12, 31)
SHARE_SWEDISH = 0.6
SHARE_PRIORITISED = 0.85

# Syllables of one consonant and one vowel, so different sequences never spell the same word.
_SYLLABLES = [consonant + vowel for consonant in "bdfgklmnprstv" for vowel in "aeiou"]
_SWEDISH_TRADES = (
    "Medicin",
    "Vård",
    "Hygien",
    "Teknik",
    "Livsmedel",
    "Städservice",
    "Textil",
    "Labbutrustning",
    "Kontorsvaror",
    "Data",
    "Förband",
    "Sjukvårdsprodukter",
    "Tandvård",
    "Logistik",
)
_FOREIGN_TRADES = (
    "Medical",
    "Healthcare",
    "Surgical",
    "Textiles",
    "Foods",
    "Hygiene",
    "Electronics",
    "Instruments",
    "Plastics",
    "Rubber",
    "Pharma",
    "Supplies",
    "Diagnostics",
    "Packaging",
)
# Country, legal form; weighted by how often regions buy from them.
_FOREIGN = (
    ("DE", "GmbH", 12),
    ("GB", "Ltd", 8),
    ("NL", "B.V.", 6),
    ("FR", "SAS", 5),
    ("PL", "Sp. z o.o.", 5),
    ("IT", "S.r.l.", 4),
    ("ES", "S.L.", 3),
    ("DK", "ApS", 6),
    ("FI", "Oy", 6),
    ("NO", "AS", 5),
    ("US", "Inc.", 6),
    ("CN", "Co., Ltd.", 10),
    ("MY", "Sdn. Bhd.", 6),
    ("TH", "Co., Ltd.", 4),
    ("PK", "(Private) Limited", 4),
    ("IN", "Pvt. Ltd.", 3),
    ("VN", "Co., Ltd.", 3),
)
_PRODUCTION_COUNTRIES = ("SE", "DE", "PL", "CN", "MY", "TH", "PK", "IN", "VN", "TR", "US")
_STATUS_WORDS = {
    "planned": ("planned", "planerad"),
    "active": ("active", "aktiv", "gällande"),
    "expired": ("expired", "utgången"),
    "terminated": ("terminated", "uppsagd"),
}
_FIRST_NAMES = ("Anna", "Erik", "Lena", "Johan", "Sara", "Ali", "Maria", "Karl", "Fatima", "Nils")
_LAST_NAMES = ("Andersson", "Lind", "Marsh", "Berg", "Holm", "Karlsson", "Nyström", "Ek", "Sjö")
_ASCII = str.maketrans("åäöé", "aaoe")
_NEEDS_ASSESSMENTS = (
    "Låg risk i leveranskedjan; inga särskilda hållbarhetskrav behövs utöver uppförandekoden.",
    "Behovet har bedömts: tillverkning i EU, låg risk för brott mot arbetstagares rättigheter.",
    "Riskanalys gjord; krav på miljömärkning ställs i stället för avtalsvillkoret.",
)


@dataclass(frozen=True, slots=True)
class GeneratedSupplier:
    name: str
    country: str
    org_number: str = ""
    vat_number: str = ""
    other_id: str = ""


@dataclass(slots=True)
class Generated:
    """The rows, in `columns` order, and what importing them must produce."""

    columns: list[str]
    rows: list[list[object]]
    suppliers: list[GeneratedSupplier]
    region_links: int  # rows of the contract–region table after the import


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit that completes `digits` (Swedish organisation numbers)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def cpv_check_digits(path: Path = CPV_FILE) -> dict[str, str]:
    """Return {8-digit CPV code: check digit} from the CPV 2008 vocabulary."""
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["check_digit"] for row in csv.DictReader(handle)}


def _words(rng: random.Random, count: int) -> list[str]:
    """Return `count` distinct pseudo-words, capitalised (company-name stems)."""
    size = 3
    while len(_SYLLABLES) ** size < 4 * count:
        size += 1
    words = []
    for number in rng.sample(range(len(_SYLLABLES) ** size), count):
        parts = []
        for _ in range(size):
            number, index = divmod(number, len(_SYLLABLES))
            parts.append(_SYLLABLES[index])
        words.append("".join(parts).capitalize())
    return words


def _suppliers(rng: random.Random, count: int) -> list[GeneratedSupplier]:
    swedish = round(count * SHARE_SWEDISH)
    stems = _words(rng, count)
    org_stems = rng.sample(range(1_000_000), swedish)
    countries = [c for c, _form, weight in _FOREIGN for _ in range(weight)]
    forms = {c: form for c, form, _weight in _FOREIGN}
    suppliers = []
    for index, stem in enumerate(stems):
        if index < swedish:
            base = f"55{rng.choice('6789')}{org_stems[index]:06d}"
            org = base + luhn_check_digit(base)
            vat = f"SE{org}01" if rng.random() < 0.25 else ""
            # As regions type them: mostly NNNNNN-NNNN, sometimes without the hyphen.
            written = f"{org[:6]}-{org[6:]}" if rng.random() < 0.8 else org
            name = f"{stem} {rng.choice(_SWEDISH_TRADES)} AB"
            suppliers.append(GeneratedSupplier(name, "SE", written, vat))
        else:
            country = rng.choice(countries)
            other = f"DUNS {rng.randrange(10**8, 10**9)}" if rng.random() < 0.3 else ""
            name = f"{stem} {rng.choice(_FOREIGN_TRADES)} {forms[country]}"
            suppliers.append(GeneratedSupplier(name, country, other_id=other))
    rng.shuffle(suppliers)
    return suppliers


def _title(slug: str) -> str:
    return slug.upper() if len(slug) <= 3 else slug.replace("-", " ").capitalize()


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def generate(
    *,
    rows: int,
    suppliers: int,
    seed: int,
    columns: Sequence[str],
    lead_code: str,
    region_codes: Sequence[str],
    prioritised: Mapping[str, Sequence[str]],
    other: Mapping[str, Sequence[str]],
    clause_version: str = "2024",
    check_digits: Mapping[str, str] | None = None,
) -> Generated:
    """Return `rows` valid contract rows for lead region `lead_code` over `suppliers` suppliers.

    `prioritised` and `other` map category slugs to their CPV codes (8 digits); contracts in
    the other categories get a needs assessment. Every supplier has at least one contract when
    `rows >= suppliers`; after that, a few suppliers get most of the contracts, as in life.
    """
    rng = random.Random(seed)
    check_digits = check_digits if check_digits is not None else cpv_check_digits()
    people = _suppliers(rng, suppliers)
    others = [code for code in region_codes if code != lead_code]
    prioritised_slugs, other_slugs = sorted(prioritised), sorted(other)
    cpv = {**prioritised, **other}
    result: list[list[object]] = []
    links = 0
    for number in range(rows):
        supplier = (
            people[number] if number < len(people) else people[int(len(people) * rng.random() ** 3)]
        )
        if rng.random() < SHARE_PRIORITISED:
            slug = rng.choice(prioritised_slugs)
            start = _day(rng, PRIORITISED_FROM, PRIORITISED_TO)
            needs_assessment = ""
        else:
            slug = rng.choice(other_slugs)
            start = _day(rng, OTHER_FROM, OTHER_TO)
            needs_assessment = rng.choice(_NEEDS_ASSESSMENTS)
        cpv_code = ""
        if rng.random() < 0.9:
            code = rng.choice(cpv[slug])
            cpv_code = f"{code}-{check_digits[code]}"
        end = (
            start + dt.timedelta(days=rng.randrange(365, 4 * 365)) if rng.random() < 0.85 else None
        )
        if start > BASELINE:
            status = "planned"
        elif end is not None and end < BASELINE:
            status = "expired"
        else:
            status = "terminated" if rng.random() < 0.03 else "active"
        status = rng.choice(_STATUS_WORDS[status])
        value = Decimal(rng.randrange(5_000, 40_000_000))
        if rng.random() < 0.2:
            value += Decimal(rng.randrange(1, 100)) / 100
        share = rng.random()
        if share < 0.15:
            buyers = ""
            links += 1
        else:
            joint = rng.sample(others, min(len(others), rng.randint(1, 3))) if share >= 0.75 else []
            buyers = ";".join([lead_code, *joint])
            links += 1 + len(joint)
        clause, level = "", ""
        if rng.random() < 0.75:
            clause, level = clause_version, "avancerad" if rng.random() < 0.4 else "bas"
        contact, email = "", ""
        if rng.random() < 0.4:
            first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
            contact = f"{first} {last}"
            email = f"{first}.{last}@leverantor{number % 97}.example".lower().translate(_ASCII)
        made_in = ""
        if rng.random() < 0.5:
            made_in = ";".join(rng.sample(_PRODUCTION_COUNTRIES, rng.randint(1, 3)))
        values = {
            "reference": f"{lead_code}-{start.year}-{number + 1:06d}",
            "title": f"{_title(slug)}, anbudsområde {rng.randint(1, 40)}",
            "supplier_name": supplier.name,
            "supplier_country": supplier.country,
            "category": slug,
            "annual_value_sek": value,
            "start_date": start,
            "status": status,
            "buying_regions": buyers,
            "supplier_org_number": supplier.org_number,
            "supplier_vat_number": supplier.vat_number,
            "supplier_other_id": supplier.other_id,
            "cpv_code": cpv_code,
            "end_date": end,
            "clause_version": clause,
            "clause_level": level,
            "needs_assessment": needs_assessment,
            "dd_contact_name": contact,
            "dd_contact_email": email,
            "production_countries": made_in,
        }
        result.append([values.get(column, "") for column in columns])
    used = people if rows >= len(people) else people[:rows]
    return Generated(columns=list(columns), rows=result, suppliers=used, region_links=links)
