"""Build and validate OCDS 1.1 release packages of contracts.

One release per contract, tagged ``contract``. Everything lives in the core OCDS 1.1 schema, so
offline validation needs no extension:

* the annual value is the value of one unit "year" (UN/CEFACT ``ANN``) of the contract's item, and
  the item's quantity is the contract's length in years; ``contracts[].value`` is the total over
  the period, so it is left out for open-ended contracts, whose total is unknown;
* the clause version and level, the countries of production, the platform's own status and id are
  ``Key: value`` lines in ``contracts[].description`` (see ``DESCRIPTION_KEYS``), readable by
  people and by ``parse_release_package``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pycountry

from hallbar.contracts.ocds.records import CONTRACT_STATUSES, BuyerRef, ContractRecord, SupplierRef

#: The standard repository at tag 1__1__5 (schema and codelists), read by libcoveocds instead of
#: downloading it.
OCDS_DIR = Path(__file__).resolve().parents[3] / "referencedata" / "ocds"
SCHEMA_ZIP = OCDS_DIR / "standard-1__1__5-schema.zip"

#: Contract dates are Swedish calendar days; they are published as instants in Swedish time.
STOCKHOLM = ZoneInfo("Europe/Stockholm")

#: org-id.guide scheme of Bolagsverket's register of Swedish organisation numbers.
ORG_NUMBER_SCHEME = "SE-BLV"
#: org-id.guide has no EU-wide VAT register, and a VAT number carries its own country prefix, so
#: VAT numbers are published as additional identifiers under this plain label.
VAT_SCHEME = "VAT"
CPV_SCHEME = "CPV"
#: UN/CEFACT Recommendation 20 code of the unit "year".
UNIT_SCHEME = "UNCEFACT"
YEAR_UNIT_ID = "ANN"
CURRENCY = "SEK"

#: Platform status -> closed contractStatus code. OCDS has no "expired": a contract that ran to
#: its end is "terminated" too, so the platform status is also written in the description.
STATUS_TO_OCDS = {
    "planned": "pending",
    "active": "active",
    "expired": "terminated",
    "terminated": "terminated",
    "cancelled": "cancelled",
}

#: Keys of the ``Key: value`` lines in ``contracts[].description``, by record field.
DESCRIPTION_KEYS = {
    "clause_version": "Contract clause version",
    "clause_level": "Contract clause level",
    "production_countries": "Countries of production",
    "status": "Platform status",
    "public_id": "Platform contract id",
}

BUYER_PARTY_PREFIX = "region-"

_CPV_RE = re.compile(r"^(\d{8})(-\d)?$")


def build_release_package(
    records: Iterable[ContractRecord],
    *,
    publisher_name: str,
    published_date: datetime,
    uri: str,
    ocid_prefix: str = "ocds-hallbar",
    cpv_descriptions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return an OCDS 1.1 release package with one ``contract`` release per record.

    ``cpv_descriptions`` maps 8-digit CPV codes to their titles, used as the classification's
    description when given. Raise ``ValueError`` for a record that cannot be published correctly
    (naive datetime, unknown status, malformed CPV code, end before start, duplicate ocid), since
    the records come from validated data and a wrong export is worse than none.
    """
    _require_aware(published_date, "published_date")
    releases = []
    seen: set[str] = set()
    for record in records:
        release = build_release(
            record,
            ocid_prefix=ocid_prefix,
            fallback_date=published_date,
            cpv_descriptions=cpv_descriptions or {},
        )
        if release["ocid"] in seen:
            raise ValueError(f"Two contracts have the ocid {release['ocid']!r}")
        seen.add(release["ocid"])
        releases.append(release)
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _instant(published_date),
        "publisher": {"name": publisher_name},
        "releases": releases,
    }


def build_release(
    record: ContractRecord,
    *,
    ocid_prefix: str,
    fallback_date: datetime,
    cpv_descriptions: Mapping[str, str],
) -> dict[str, Any]:
    """Return the ``contract`` release of one record.

    Its date is ``record.updated_at``, else ``fallback_date``.
    """
    if not record.buyers:
        raise ValueError(f"Contract {record.reference!r} has no buyer")
    if record.status not in CONTRACT_STATUSES:
        raise ValueError(f"Contract {record.reference!r} has an unknown status {record.status!r}")
    if record.end_date is not None and record.end_date < record.start_date:
        raise ValueError(f"Contract {record.reference!r} ends before it starts")
    if record.updated_at is not None:
        _require_aware(record.updated_at, "updated_at")

    lead = record.lead_buyer
    ocid = make_ocid(ocid_prefix, lead.code, record.reference)
    buyer_parties = [
        _buyer_party(buyer, lead=index == 0) for index, buyer in enumerate(record.buyers)
    ]
    supplier_party = _supplier_party(record.supplier)
    lead_ref = {"id": buyer_parties[0]["id"], "name": lead.name}
    supplier_ref = {"id": supplier_party["id"], "name": record.supplier.name}

    cpv = cpv_digits(record.cpv_code)
    if cpv is None:
        raise ValueError(f"Contract {record.reference!r} has a malformed CPV code")
    years = contract_years(record.start_date, record.end_date)
    item: dict[str, Any] = {
        "id": "1",
        "description": record.category,
        "classification": {"scheme": CPV_SCHEME, "id": cpv},
        "unit": {
            "scheme": UNIT_SCHEME,
            "id": YEAR_UNIT_ID,
            "name": "year",
            "value": _money(record.annual_value_sek),
        },
    }
    if cpv in cpv_descriptions:
        item["classification"]["description"] = cpv_descriptions[cpv]
    if years is not None:
        item["quantity"] = _number(years)

    period = {"startDate": _day_start(record.start_date)}
    if record.end_date is not None:
        period["endDate"] = _day_end(record.end_date)
    contract: dict[str, Any] = {
        "id": record.reference,
        "awardID": record.reference,
        "title": record.title,
        "description": _description(record),
        "status": STATUS_TO_OCDS[record.status],
        "period": period,
        "items": [item],
    }
    if years is not None:
        contract["value"] = _money(record.annual_value_sek * years)

    release: dict[str, Any] = {
        "ocid": ocid,
        "id": "",
        "date": "",
        "tag": ["contract"],
        "initiationType": "tender",
        # Titles, names and categories are written in Swedish.
        "language": "sv",
        "parties": [*buyer_parties, supplier_party],
        "buyer": lead_ref,
        "tender": {
            "id": record.reference,
            "title": record.title,
            "procuringEntity": lead_ref,
            # A copy, so that changing one item of the package does not change the other.
            "items": [copy.deepcopy(item)],
            "mainProcurementCategory": procurement_category(cpv),
        },
        "awards": [{"id": record.reference, "title": record.title, "suppliers": [supplier_ref]}],
        "contracts": [contract],
    }
    if record.updated_at is not None:
        release["date"] = _instant(record.updated_at)
        release["id"] = f"{ocid}-{_compact_instant(record.updated_at)}"
    else:
        # Without a change time, a digest of the content keeps the id stable until it changes.
        digest = hashlib.sha256(json.dumps(release, sort_keys=True).encode()).hexdigest()[:16]
        release["date"] = _instant(fallback_date)
        release["id"] = f"{ocid}-{digest}"
    return release


def make_ocid(prefix: str, buyer_code: str, reference: str) -> str:
    """Return the ocid of a contract: the prefix, the lead buyer's county code, the reference.

    The reference is percent-encoded: ocids end up in URLs, and unlike a slug the encoding keeps
    distinct references ("HSL 2022/77", "HSL-2022-77") distinct.
    """
    return f"{prefix}-{buyer_code}-{quote(reference.strip(), safe='-._~')}"


def cpv_digits(code: str) -> str | None:
    """Return the 8 digits of a CPV code ("33141420-0" or "33141420"), or None if malformed."""
    match = _CPV_RE.match(code.strip())
    return match.group(1) if match else None


def procurement_category(cpv: str) -> str:
    """Return the OCDS main procurement category of a CPV code by its division.

    CPV divisions 45 are works, 50 to 98 services, the others goods.
    """
    division = int(cpv[:2])
    if division == 45:
        return "works"
    return "services" if division >= 50 else "goods"


def contract_years(start: date, end: date | None) -> Decimal | None:
    """Return the length of a contract in years (4 decimals), both days included.

    Whole calendar months count as twelfths, so 2024-01-01..2025-12-31 is exactly 2 years; the
    days left over count as days of a 365.25-day year. Return None for an open-ended contract.
    """
    if end is None:
        return None
    stop = end + timedelta(days=1)
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if _add_months(start, months) > stop:
        months -= 1
    rest_days = (stop - _add_months(start, months)).days
    years = Decimal(months) / 12 + Decimal(rest_days) / Decimal("365.25")
    return years.quantize(Decimal("0.0001"))


def compact_org_number(value: str) -> str:
    """Return a Swedish organisation number as 10 digits (no dash, no century prefix)."""
    digits = re.sub(r"[\s\-+]", "", value)
    # Twelve-digit forms carry a century ("16" for legal entities) that is not part of the number.
    if len(digits) == 12 and digits.isdigit():
        digits = digits[2:]
    return digits


def country_name(alpha_2: str) -> str:
    """Return the English short name of an ISO 3166-1 alpha-2 country code."""
    country = pycountry.countries.get(alpha_2=alpha_2.upper())
    if country is None:
        raise ValueError(f"Unknown country code {alpha_2!r}")
    return country.name


def supplier_party_id(supplier: SupplierRef) -> str:
    """Return a party id for the supplier that is stable across releases."""
    if supplier.org_number and supplier.country.upper() == "SE":
        return f"{ORG_NUMBER_SCHEME}-{compact_org_number(supplier.org_number)}"
    if supplier.vat_number:
        return f"{VAT_SCHEME}-{supplier.vat_number.strip()}"
    if supplier.org_number:
        return f"{supplier.country.upper()}-{supplier.org_number.strip()}"
    digest = hashlib.sha256(supplier.name.strip().casefold().encode()).hexdigest()[:12]
    return f"supplier-{digest}"


# Validation ------------------------------------------------------------------------------------


def validate_release_package(package: dict[str, Any]) -> list[str]:
    """Return the problems libcoveocds finds in a release package, checked offline.

    Report every JSON Schema error, every value outside a closed codelist and every malformed
    ocid prefix, each as "<path>: <message>" with a path like ``releases[3].contracts[0].status``.
    An empty list means the package is valid OCDS 1.1.

    Nothing is downloaded: the schema and codelists come from ``SCHEMA_ZIP``, and the package's
    ``extensions`` are not applied (libcoveocds would download each one), so extension fields are
    checked as additional fields of the core schema, which are allowed.
    """
    # Imported here so that building and parsing packages do not load libcoveocds.
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    if not isinstance(package, dict):
        return ["(package): the release package must be a JSON object"]
    data = {key: value for key, value in package.items() if key != "extensions"}
    if not data:
        return ["(package): the release package is empty"]
    config = LibCoveOCDSConfig(
        {
            "standard_zip": SCHEMA_ZIP.as_uri(),
            "context": "api",
            # The extra checks and counts report quality hints, not errors; skipping them is faster.
            "additional_checks": "none",
            "skip_aggregates": True,
        }
    )
    # Forcing 1.1 keeps a "version": "1.0" or malformed version from raising or loading 1.0 files.
    result = ocds_json_output(json_data=data, lib_cove_ocds_config=config, schema_version="1.1")

    problems = []
    if result.get("json_deref_error"):
        problems.append(f"(schema): {result['json_deref_error']}")
    for error in result.get("validation_errors", []):
        path = dotted_path(error.get("path", ""))
        problems.append(f"{path or '(package)'}: {error['description'].strip()}")
    for key, info in result.get("additional_closed_codelist_values", {}).items():
        bad = set(info["values"])
        codelist = info["codelist"].removesuffix(".csv")
        paths = [path for path, value in _walk(data, key.split("/"), "") if value in bad]
        for path in paths:
            value = _lookup(data, path)
            problems.append(f"{path}: {value!r} is not a code of the closed codelist {codelist}")
        if not paths:
            values = ", ".join(repr(value) for value in sorted(bad, key=str))
            problems.append(f"{key}: {values} not in the closed codelist {codelist}")
    for ocid, path in result.get("conformance_errors", {}).get("ocds_prefixes_bad_format", []):
        problems.append(
            f"{dotted_path(path)}: the ocid {ocid!r} does not start with a prefix 'ocds-' "
            "followed by 6 letters or digits"
        )
    return problems


def dotted_path(path: str | Iterable[str | int]) -> str:
    """Return a slash path ("releases/0/date") or parts as "releases[0].date"."""
    parts = path.split("/") if isinstance(path, str) else [str(part) for part in path]
    out = ""
    for part in parts:
        if part == "":
            continue
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _walk(node: Any, keys: list[str], path: str) -> Iterator[tuple[str, Any]]:
    """Yield (path, value) of every scalar at the codelist field ``keys``, through arrays."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, keys, f"{path}[{index}]")
    elif not keys:
        yield path, node
    elif isinstance(node, dict) and keys[0] in node:
        yield from _walk(node[keys[0]], keys[1:], f"{path}.{keys[0]}" if path else keys[0])


def _lookup(data: Any, path: str) -> Any:
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[key]
    return data


# Helpers ---------------------------------------------------------------------------------------


def _buyer_party(buyer: BuyerRef, *, lead: bool) -> dict[str, Any]:
    party: dict[str, Any] = {
        # The county code is kept in the id: it is how the platform knows the region.
        "id": f"{BUYER_PARTY_PREFIX}{buyer.code}",
        "name": buyer.name,
        "roles": ["buyer", "procuringEntity"] if lead else ["buyer"],
        "address": {"countryName": country_name("SE")},
    }
    if buyer.org_number:
        party["identifier"] = {
            "scheme": ORG_NUMBER_SCHEME,
            "id": compact_org_number(buyer.org_number),
            "legalName": buyer.name,
        }
    return party


def _supplier_party(supplier: SupplierRef) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": supplier_party_id(supplier),
        "name": supplier.name,
        "roles": ["supplier"],
        "address": {"countryName": country_name(supplier.country)},
    }
    if supplier.org_number and supplier.country.upper() == "SE":
        party["identifier"] = {
            "scheme": ORG_NUMBER_SCHEME,
            "id": compact_org_number(supplier.org_number),
            "legalName": supplier.name,
        }
    elif supplier.org_number:
        # A foreign register number whose org-id.guide scheme the platform does not record.
        party["identifier"] = {"id": supplier.org_number.strip(), "legalName": supplier.name}
    if supplier.vat_number:
        party["additionalIdentifiers"] = [{"scheme": VAT_SCHEME, "id": supplier.vat_number.strip()}]
    return party


def _description(record: ContractRecord) -> str:
    values = {
        "clause_version": record.clause_version,
        "clause_level": record.clause_level,
        "production_countries": ", ".join(code.upper() for code in record.production_countries),
        "status": record.status,
        "public_id": record.public_id,
    }
    return "\n".join(
        f"{DESCRIPTION_KEYS[name]}: {' '.join(value.split())}"
        for name, value in values.items()
        if value.strip()
    )


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def _money(amount: Decimal) -> dict[str, Any]:
    return {"amount": _number(amount.quantize(Decimal("0.01"))), "currency": CURRENCY}


def _number(value: Decimal) -> int | float:
    # JSON has no decimal type; integers stay exact, and öre amounts below 10^13 survive a float.
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _compact_instant(value: datetime) -> str:
    utc = value.astimezone(UTC)
    micro = f".{utc.microsecond:06d}" if utc.microsecond else ""
    return f"{utc:%Y%m%dT%H%M%S}{micro}Z"


def _day_start(day: date) -> str:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM).isoformat()


def _day_end(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), tzinfo=STOCKHOLM).isoformat()
