"""Read contracts from an OCDS 1.1 release package.

Accept what ``build_release_package`` writes and reasonable packages of other publishers: one
record per ``contracts[]`` entry, the supplier found through the contract's award, the annual
value from an item's unit "year" or else from the total value over the period. Every problem is
reported with the JSON path of the value at fault; a contract with a problem yields no record, so
an import can refuse the whole file.
"""

from __future__ import annotations

import csv
import gettext
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

import ijson
import pycountry
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr

from hallbar.contracts.ocds.export import (
    BUYER_PARTY_PREFIX,
    CPV_SCHEME,
    CURRENCY,
    DESCRIPTION_KEYS,
    OCDS_DIR,
    ORG_NUMBER_SCHEME,
    STATUS_TO_OCDS,
    VAT_SCHEME,
    YEAR_UNIT_ID,
    compact_org_number,
    contract_years,
    cpv_digits,
)
from hallbar.contracts.ocds.records import (
    CLAUSE_LEVELS,
    COUNTY_CODES,
    BuyerRef,
    ContractRecord,
    SupplierRef,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: contractStatus code -> platform status when the description does not say otherwise.
#: "terminated" also means "ran to its end", the usual case, so it maps to "expired".
STATUS_FROM_OCDS = {
    "pending": "planned",
    "active": "active",
    "cancelled": "cancelled",
    "terminated": "expired",
}

_BUYER_ID_RE = re.compile(rf"^{re.escape(BUYER_PARTY_PREFIX)}(\d{{2}})$")
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    Decimal: "a number",
    bool: "a boolean",
    type(None): "null",
}


@dataclass(frozen=True)
class Issue:
    """A problem in an imported file: where it is and what is wrong.

    ``path`` is a JSON path like ``releases[3].contracts[0].value.amount`` ("" for the whole file).
    ``message`` is a lazily translated string: it is rendered in the language active when shown.
    """

    filename: str
    path: str
    message: StrOrPromise


def parse_release_package(
    data: bytes | str, *, filename: str
) -> tuple[list[ContractRecord], list[Issue]]:
    """Return the contracts of an OCDS release package and the problems found in it.

    A contract with any problem is left out of the records.
    """
    issues: list[Issue] = []

    def fail(path: str, message: StrOrPromise) -> tuple[list[ContractRecord], list[Issue]]:
        issues.append(Issue(filename, path, message))
        return [], issues

    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            return fail(
                "",
                _format(
                    _("The file is not UTF-8 text: invalid byte at position %(position)s."),
                    position=error.start,
                ),
            )
    # A byte order mark is common in files saved on Windows; JSON itself forbids it.
    data = data.removeprefix("\ufeff")
    # Measure the file's shape with a streaming parser before building it in memory: a small
    # file of millions of numbers or of deeply nested arrays is refused at the limit.
    if (refusal := _shape_refusal(data)) is not None:
        return fail(*refusal)
    try:
        package = json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        return fail(
            "",
            _format(
                _("The file is not valid JSON: %(error)s at line %(line)s, column %(column)s."),
                error=error.msg,
                line=error.lineno,
                column=error.colno,
            ),
        )
    except (ValueError, RecursionError) as error:
        return fail("", _format(_("The file is not valid JSON: %(error)s."), error=str(error)))

    if not isinstance(package, dict):
        return fail(
            "",
            _format(
                _("The file must hold a JSON object (an OCDS release package), not %(type)s."),
                type=_json_type(package),
            ),
        )
    if "releases" not in package:
        if "records" in package:
            return fail(
                "records",
                _("This is an OCDS record package; import a release package instead."),
            )
        return fail(
            "releases",
            _("The file has no 'releases': it is not an OCDS release package."),
        )
    releases = package["releases"]
    if not isinstance(releases, list):
        return fail(
            "releases",
            _format(_("'releases' must be an array, not %(type)s."), type=_json_type(releases)),
        )

    records: list[ContractRecord] = []
    seen: dict[tuple[str, str, str], str] = {}
    for index, release in enumerate(releases):
        path = f"releases[{index}]"
        if not isinstance(release, dict):
            issues.append(
                Issue(
                    filename,
                    path,
                    _format(
                        _("A release must be a JSON object, not %(type)s."),
                        type=_json_type(release),
                    ),
                )
            )
            continue
        reader = _ReleaseReader(release, path, filename)
        for record, contract_path in reader.records():
            lead = record.lead_buyer
            key = (lead.code, lead.org_number, record.reference)
            if key in seen:
                reader.issue(
                    f"{contract_path}.id",
                    _format(
                        _("The contract %(reference)s of %(buyer)s is also at %(other)s."),
                        reference=record.reference,
                        buyer=lead.name,
                        other=seen[key],
                    ),
                )
                continue
            seen[key] = contract_path
            records.append(record)
        issues.extend(reader.issues)
    return records, issues


class _ReleaseReader:
    """Map one release to records, collecting its issues."""

    def __init__(self, release: dict[str, Any], path: str, filename: str) -> None:
        self.release = release
        self.path = path
        self.filename = filename
        self.issues: list[Issue] = []
        self.parties: dict[str, tuple[int, dict[str, Any]]] = {}
        parties = release.get("parties")
        if isinstance(parties, list):
            for index, party in enumerate(parties):
                if isinstance(party, dict) and _is_id(party.get("id")):
                    self.parties.setdefault(str(party["id"]), (index, party))
        elif parties is not None:
            self.issue(f"{path}.parties", _("'parties' must be an array."))
        tender = release.get("tender")
        self.tender: dict[str, Any] = tender if isinstance(tender, dict) else {}
        self.awards = [
            (index, award)
            for index, award in enumerate(_list(release.get("awards")))
            if isinstance(award, dict)
        ]

    def issue(self, path: str, message: StrOrPromise) -> None:
        self.issues.append(Issue(self.filename, path, message))

    def records(self) -> list[tuple[ContractRecord, str]]:
        """Return (record, path of its contract) for each contract without problems."""
        before = len(self.issues)
        buyers = self._buyers()
        updated_at = self._datetime(self.release.get("date"), f"{self.path}.date")
        release_ok = len(self.issues) == before

        contracts = self.release.get("contracts")
        if not isinstance(contracts, list) or not contracts:
            self.issue(
                f"{self.path}.contracts",
                _("The release has no contract: export contracts with the tag 'contract'."),
            )
            return []
        out = []
        for index, contract in enumerate(contracts):
            path = f"{self.path}.contracts[{index}]"
            if not isinstance(contract, dict):
                self.issue(path, _("A contract must be a JSON object."))
                continue
            before = len(self.issues)
            record = self._contract(contract, path, buyers, updated_at)
            if release_ok and record is not None and len(self.issues) == before:
                out.append((record, path))
        return out

    # Buyers and supplier ---------------------------------------------------------------------

    def _buyers(self) -> list[BuyerRef]:
        """Return the lead buyer, then the other parties with the role "buyer"."""
        lead_id = None
        for field, ref in (
            ("buyer", self.release.get("buyer")),
            ("tender.procuringEntity", self.tender.get("procuringEntity")),
        ):
            if isinstance(ref, dict) and _is_id(ref.get("id")):
                lead_id = str(ref["id"])
                if lead_id not in self.parties:
                    self.issue(
                        f"{self.path}.{field}.id",
                        _format(_("No party has the id %(id)s."), id=lead_id),
                    )
                    return []
                break
        ids = [lead_id] if lead_id else []
        ids += [
            party_id
            for party_id, (_index, party) in self.parties.items()
            if party_id != lead_id and "buyer" in _list(party.get("roles"))
        ]
        if not ids:
            self.issue(
                f"{self.path}.buyer",
                _("The release names no buyer: give 'buyer' or a party with the role 'buyer'."),
            )
            return []
        return [buyer for buyer in map(self._buyer, ids) if buyer is not None]

    def _buyer(self, party_id: str) -> BuyerRef | None:
        index, party = self.parties[party_id]
        path = f"{self.path}.parties[{index}]"
        name = self._party_name(party, path)
        org_number = ""
        for identifier, id_path in self._identifiers(party, path):
            if str(identifier.get("scheme") or "").upper() == ORG_NUMBER_SCHEME:
                org_number = self._org_number(identifier.get("id"), f"{id_path}.id")
                break
        match = _BUYER_ID_RE.match(party_id)
        code = match.group(1) if match else ""
        if match and code not in COUNTY_CODES:
            self.issue(
                f"{path}.id",
                _format(_("%(code)s is not the county code of a Swedish region."), code=code),
            )
        if not code and not org_number:
            self.issue(
                path,
                _format(
                    _(
                        "Cannot tell which region the buyer %(name)s is: give it the party id "
                        "'region-' followed by its county code, or an SE-BLV identifier."
                    ),
                    name=name or party_id,
                ),
            )
        if name is None:
            return None
        return BuyerRef(code=code, name=name, org_number=org_number)

    def _award(self, contract: dict[str, Any], path: str) -> tuple[str, dict[str, Any]] | None:
        """Return (path, award) of the contract's award; a sole award needs no awardID."""
        award_id = contract.get("awardID")
        if _is_id(award_id):
            for index, award in self.awards:
                if str(award.get("id")) == str(award_id):
                    return f"{self.path}.awards[{index}]", award
            self.issue(f"{path}.awardID", _format(_("No award has the id %(id)s."), id=award_id))
        elif len(self.awards) == 1:
            index, award = self.awards[0]
            return f"{self.path}.awards[{index}]", award
        return None

    def _supplier(self, path: str, award: tuple[str, dict[str, Any]] | None) -> SupplierRef | None:
        if award is not None:
            award_path, award_data = award
            refs = [ref for ref in _list(award_data.get("suppliers")) if isinstance(ref, dict)]
            if len(refs) != 1:
                self.issue(
                    f"{award_path}.suppliers",
                    _("The award has no supplier.")
                    if not refs
                    else _("The award has several suppliers; a contract can have only one."),
                )
                return None
            ref = refs[0]
            if _is_id(ref.get("id")) and str(ref["id"]) in self.parties:
                index, party = self.parties[str(ref["id"])]
                return self._supplier_party(party, f"{self.path}.parties[{index}]")
            return self._supplier_party(ref, f"{award_path}.suppliers[0]")

        suppliers = [
            item for item in self.parties.values() if "supplier" in _list(item[1].get("roles"))
        ]
        if len(suppliers) != 1:
            self.issue(
                f"{path}.awardID",
                _("Cannot tell the supplier: link the contract to an award with one supplier."),
            )
            return None
        index, party = suppliers[0]
        return self._supplier_party(party, f"{self.path}.parties[{index}]")

    def _supplier_party(self, party: dict[str, Any], path: str) -> SupplierRef | None:
        name = self._party_name(party, path)
        org_number = vat_number = ""
        scheme_country = ""
        for identifier, id_path in self._identifiers(party, path):
            scheme = str(identifier.get("scheme") or "").strip()
            value = identifier.get("id")
            if scheme.upper() == ORG_NUMBER_SCHEME:
                org_number = self._org_number(value, f"{id_path}.id")
                scheme_country = "SE"
            elif scheme.upper() == VAT_SCHEME and _is_id(value):
                vat_number = str(value).strip()
            elif _is_id(value) and not org_number:
                # A foreign register (e.g. "GB-COH"): keep its number, its prefix is the country.
                org_number = str(value).strip()
                if re.match(r"^[A-Z]{2}-", scheme):
                    scheme_country = scheme[:2]
        country = self._country(party, path)
        if country is None:
            return None
        if not country:
            vat_prefix = vat_number[:2].upper()
            country = scheme_country or ("GR" if vat_prefix == "EL" else vat_prefix)
            if not pycountry.countries.get(alpha_2=country or "--"):
                self.issue(
                    f"{path}.address.countryName",
                    _("The supplier's country is missing."),
                )
                return None
        if name is None:
            return None
        return SupplierRef(name=name, org_number=org_number, vat_number=vat_number, country=country)

    def _party_name(self, party: dict[str, Any], path: str) -> str | None:
        name = party.get("name")
        if not (isinstance(name, str) and name.strip()):
            identifier = party.get("identifier")
            name = identifier.get("legalName") if isinstance(identifier, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
        self.issue(f"{path}.name", _("The party's name is missing."))
        return None

    def _identifiers(self, party: dict[str, Any], path: str) -> list[tuple[dict[str, Any], str]]:
        out = []
        if isinstance(party.get("identifier"), dict):
            out.append((party["identifier"], f"{path}.identifier"))
        for index, identifier in enumerate(_list(party.get("additionalIdentifiers"))):
            if isinstance(identifier, dict):
                out.append((identifier, f"{path}.additionalIdentifiers[{index}]"))
        return out

    def _org_number(self, value: Any, path: str) -> str:
        number = compact_org_number(str(value)) if _is_id(value) else ""
        if not orgnr.is_valid(number):
            self.issue(
                path,
                _format(_("%(value)s is not a Swedish organisation number."), value=value),
            )
            return ""
        return number

    def _country(self, party: dict[str, Any], path: str) -> str | None:
        """Return the code of the party's country, "" if not given, None if unknown."""
        address = party.get("address")
        name = address.get("countryName") if isinstance(address, dict) else None
        if not (isinstance(name, str) and name.strip()):
            return ""
        code = country_code(name)
        if code is None:
            self.issue(
                f"{path}.address.countryName",
                _format(_("Unknown country %(value)s: give its English name."), value=name),
            )
        return code

    # The contract --------------------------------------------------------------------------

    def _contract(
        self,
        contract: dict[str, Any],
        path: str,
        buyers: list[BuyerRef],
        updated_at: datetime | None,
    ) -> ContractRecord | None:
        reference = contract.get("id")
        if not _is_id(reference):
            self.issue(f"{path}.id", _("The contract's id (the region's reference) is missing."))
        award = self._award(contract, path)
        award_data = award[1] if award else {}
        title = next(
            (
                t.strip()
                for t in (contract.get("title"), award_data.get("title"), self.tender.get("title"))
                if isinstance(t, str) and t.strip()
            ),
            None,
        )
        if title is None:
            self.issue(f"{path}.title", _("The contract's title is missing."))

        supplier = self._supplier(path, award)
        items = self._items(contract, path, award)
        category, cpv = self._classification(items, path)
        start, end = self._period(contract, path, award)
        annual = self._annual_value(contract, path, items, start, end)
        extra = self._description(contract, path)
        status = self._status(contract, path, extra.get("status", ""))
        countries = self._countries(extra.get("production_countries", ""), path)

        if (
            not _is_id(reference)
            or title is None
            or not buyers
            or supplier is None
            or cpv is None
            or start is None
            or annual is None
            or status is None
        ):
            return None
        return ContractRecord(
            reference=str(reference).strip(),
            title=title,
            buyers=buyers,
            supplier=supplier,
            category=category,
            cpv_code=cpv,
            annual_value_sek=annual,
            start_date=start,
            end_date=end,
            status=status,
            clause_version=extra.get("clause_version", ""),
            clause_level=extra.get("clause_level", ""),
            production_countries=countries,
            public_id=extra.get("public_id", ""),
            updated_at=updated_at,
        )

    def _items(
        self, contract: dict[str, Any], path: str, award: tuple[str, dict[str, Any]] | None
    ) -> list[tuple[dict[str, Any], str]]:
        """Return (item, path) of the contract's items, then its award's, then the tender's."""
        sources = [(path, contract)]
        if award is not None:
            sources.append(award)
        sources.append((f"{self.path}.tender", self.tender))
        return [
            (item, f"{source_path}.items[{index}]")
            for source_path, source in sources
            for index, item in enumerate(_list(source.get("items")))
            if isinstance(item, dict)
        ]

    def _classification(
        self, items: list[tuple[dict[str, Any], str]], path: str
    ) -> tuple[str, str | None]:
        """Return (category, 8-digit CPV code) of the first item classified by CPV."""
        for item, item_path in items:
            candidates = [(item.get("classification"), f"{item_path}.classification")]
            candidates += [
                (classification, f"{item_path}.additionalClassifications[{index}]")
                for index, classification in enumerate(_list(item.get("additionalClassifications")))
            ]
            for classification, class_path in candidates:
                if not isinstance(classification, dict):
                    continue
                if str(classification.get("scheme") or "").upper() != CPV_SCHEME:
                    continue
                value = classification.get("id")
                cpv = cpv_digits(str(value)) if _is_id(value) else None
                if cpv is None:
                    self.issue(
                        f"{class_path}.id",
                        _format(
                            _("%(value)s is not a CPV code (8 digits, then maybe a check digit)."),
                            value=value,
                        ),
                    )
                    return "", None
                description = item.get("description")
                category = description.strip() if isinstance(description, str) else ""
                return category, cpv
        self.issue(f"{path}.items", _("No item is classified by a CPV code."))
        return "", None

    def _period(
        self, contract: dict[str, Any], path: str, award: tuple[str, dict[str, Any]] | None
    ) -> tuple[date | None, date | None]:
        """Return the contract's period, else its award's or the tender's contract period."""
        candidates = [(contract.get("period"), f"{path}.period")]
        if award is not None:
            candidates.append((award[1].get("contractPeriod"), f"{award[0]}.contractPeriod"))
        candidates.append((self.tender.get("contractPeriod"), f"{self.path}.tender.contractPeriod"))
        for period, period_path in candidates:
            if not (isinstance(period, dict) and period.get("startDate") is not None):
                continue
            start = self._datetime(period["startDate"], f"{period_path}.startDate", day=True)
            end = None
            if period.get("endDate") is not None:
                end = self._datetime(period["endDate"], f"{period_path}.endDate", day=True)
            if start and end and end.date() < start.date():
                self.issue(f"{period_path}.endDate", _("The contract ends before it starts."))
                return None, None
            return (start.date() if start else None), (end.date() if end else None)
        self.issue(f"{path}.period.startDate", _("The contract's start date is missing."))
        return None, None

    def _annual_value(
        self,
        contract: dict[str, Any],
        path: str,
        items: list[tuple[dict[str, Any], str]],
        start: date | None,
        end: date | None,
    ) -> Decimal | None:
        for item, item_path in items:
            unit = item.get("unit")
            if (
                isinstance(unit, dict)
                and str(unit.get("id") or "").upper() == YEAR_UNIT_ID
                and "value" in unit
            ):
                return self._amount(unit["value"], f"{item_path}.unit.value")
        value = contract.get("value")
        if value is None:
            self.issue(
                f"{path}.value",
                _(
                    "The annual value is missing: give an item the unit 'year' (UN/CEFACT ANN) "
                    "with its value, or give the contract's total value and end date."
                ),
            )
            return None
        total = self._amount(value, f"{path}.value")
        if total is None or start is None:
            return None
        years = contract_years(start, end)
        if not years:
            self.issue(
                f"{path}.period.endDate",
                _(
                    "The annual value cannot be worked out from the total value of a contract "
                    "without an end date: give an item the unit 'year' (UN/CEFACT ANN)."
                ),
            )
            return None
        return (total / years).quantize(Decimal("0.01"))

    def _amount(self, value: Any, path: str) -> Decimal | None:
        if not isinstance(value, dict):
            self.issue(path, _("The value must be a JSON object with 'amount' and 'currency'."))
            return None
        amount = value.get("amount")
        currency = value.get("currency")
        ok = True
        if amount is None:
            self.issue(f"{path}.amount", _("The amount is missing."))
            ok = False
        elif isinstance(amount, bool) or not isinstance(amount, int | Decimal):
            self.issue(
                f"{path}.amount",
                _format(_("The amount must be a number, not %(value)s."), value=json.dumps(amount)),
            )
            ok = False
        elif amount < 0:
            self.issue(f"{path}.amount", _("The amount must not be negative."))
            ok = False
        elif isinstance(amount, Decimal) and _decimals(amount) > 2:
            # the rule of every import (parse_amount): kronor with öre, never rounded
            self.issue(
                f"{path}.amount",
                _format(_("The amount %(value)s has more than two decimals."), value=str(amount)),
            )
            ok = False
        if currency != CURRENCY:
            self.issue(
                f"{path}.currency",
                _format(
                    _("The currency is %(currency)s; only %(expected)s is supported."),
                    currency=json.dumps(currency),
                    expected=CURRENCY,
                ),
            )
            ok = False
        if not ok or amount is None:  # a missing amount is never ok
            return None
        try:
            return Decimal(amount).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.issue(f"{path}.amount", _("The amount is too large."))
            return None

    def _status(self, contract: dict[str, Any], path: str, platform_status: str) -> str | None:
        code = contract.get("status")
        codes = contract_status_codes()
        if code is None:
            self.issue(f"{path}.status", _("The contract's status is missing."))
            return None
        if code not in codes:
            self.issue(
                f"{path}.status",
                _format(
                    _("%(value)s is not a contract status; use one of %(codes)s."),
                    value=json.dumps(code),
                    codes=", ".join(codes),
                ),
            )
            return None
        if not platform_status:
            return STATUS_FROM_OCDS[code]
        if STATUS_TO_OCDS.get(platform_status) != code:
            self.issue(
                f"{path}.description",
                _format(
                    _("%(key)s %(value)s does not match the contract status %(code)s."),
                    key=DESCRIPTION_KEYS["status"],
                    value=platform_status,
                    code=code,
                ),
            )
            return None
        return platform_status

    def _description(self, contract: dict[str, Any], path: str) -> dict[str, str]:
        """Return the platform's ``Key: value`` lines of the contract description, by field."""
        description = contract.get("description")
        if not isinstance(description, str):
            return {}
        fields = {key: name for name, key in DESCRIPTION_KEYS.items()}
        values = {}
        for line in description.splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip() in fields:
                values[fields[key.strip()]] = value.strip()
        if values.get("clause_level", "") not in CLAUSE_LEVELS:
            self.issue(
                f"{path}.description",
                _format(
                    _("%(key)s must be bas or avancerad, not %(value)s."),
                    key=DESCRIPTION_KEYS["clause_level"],
                    value=values["clause_level"],
                ),
            )
        return values

    def _countries(self, text: str, path: str) -> list[str]:
        codes = [code.strip().upper() for code in text.split(",") if code.strip()]
        for code in codes:
            if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
                self.issue(
                    f"{path}.description",
                    _format(
                        _("%(key)s: %(value)s is not an ISO 3166-1 alpha-2 country code."),
                        key=DESCRIPTION_KEYS["production_countries"],
                        value=code,
                    ),
                )
        return codes

    def _datetime(self, value: Any, path: str, *, day: bool = False) -> datetime | None:
        """Return an RFC 3339 date-time; with ``day``, a plain date such as 2024-01-31 too."""
        if value is None:
            self.issue(path, _("The date is missing."))
            return None
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.issue(
                path,
                _format(
                    _("%(value)s is not a date and time such as 2024-01-31T00:00:00+01:00."),
                    value=json.dumps(value, default=str),
                ),
            )
            return None
        is_plain_day = day and "T" not in value.upper() and " " not in value
        if parsed.tzinfo is None and not is_plain_day:
            self.issue(path, _("The date and time must include a time zone."))
            return None
        return parsed


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of a country named in English or Swedish, or a code."""
    key = name.strip().casefold()
    return _country_names().get(key)


@cache
def _country_names() -> dict[str, str]:
    # Swedish publishers write "Sverige"; pycountry ships the Swedish names as a gettext catalogue.
    swedish = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["sv"], fallback=True
    )
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(value.casefold(), code)
                names.setdefault(swedish.gettext(value).casefold(), code)
    return names


@cache
def contract_status_codes() -> tuple[str, ...]:
    """Return the codes of the closed OCDS contractStatus codelist."""
    with (OCDS_DIR / "codelists" / "contractStatus.csv").open(encoding="utf-8", newline="") as f:
        return tuple(row["Code"] for row in csv.DictReader(f))


def _format(template: StrOrPromise, **params: Any) -> StrOrPromise:
    """Return ``template % params``, translated only when rendered."""
    return _interpolate_lazy(template, params)


def _interpolate(template: StrOrPromise, params: dict[str, Any]) -> str:
    return str(template) % params


# Module-level (not a lambda) so that messages can be pickled, e.g. into a task's result.
_interpolate_lazy = lazy(_interpolate, str)


#: Defaults of the limits on an OCDS file's shape (settings HALLBAR_OCDS_MAX_VALUES,
#: HALLBAR_OCDS_MAX_DEPTH, HALLBAR_OCDS_MAX_RELEASES). A contract exported by the platform is
#: about 90 values (1.8 KB) at depth 6: these allow some 11 000 contracts in one file, which
#: parse into about 130 MB.
MAX_VALUES = 1_000_000
MAX_DEPTH = 32
MAX_RELEASES = 20_000


def shape_limits() -> tuple[int, int, int]:
    """Return (values, depth, releases): the most an OCDS file may hold."""
    return (
        int(getattr(settings, "HALLBAR_OCDS_MAX_VALUES", MAX_VALUES)),
        int(getattr(settings, "HALLBAR_OCDS_MAX_DEPTH", MAX_DEPTH)),
        int(getattr(settings, "HALLBAR_OCDS_MAX_RELEASES", MAX_RELEASES)),
    )


def _shape_refusal(data: str) -> tuple[str, StrOrPromise] | None:
    """Stream the JSON text and return (path, why) when it exceeds a limit of its shape.

    Counts every value (objects, arrays, strings, numbers...), the nesting depth and the number
    of entries of a top-level 'releases' or 'records'; memory stays constant. A syntax error is
    left to the full parse, which reports it with its line and column.
    """
    max_values, max_depth, max_releases = shape_limits()
    values = depth = releases = 0
    top_key = ""
    try:
        for event, value in ijson.basic_parse(io.BytesIO(data.encode()), use_float=True):
            if event == "map_key":
                if depth == 1:
                    top_key = value
                continue
            if event in ("end_map", "end_array"):
                depth -= 1
                continue
            values += 1
            if depth == 2 and top_key in ("releases", "records"):
                releases += 1
                if releases > max_releases:
                    return top_key, _format(
                        _(
                            "The file holds more than %(limit)s entries in '%(key)s'; import "
                            "it in smaller files."
                        ),
                        limit=max_releases,
                        key=top_key,
                    )
            if values > max_values:
                return "", _format(
                    _(
                        "The file holds more than %(limit)s JSON values; it was refused before "
                        "being read into memory. Import it in smaller files."
                    ),
                    limit=max_values,
                )
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > max_depth:
                    return "", _format(
                        _(
                            "The file nests arrays or objects more than %(limit)s levels deep; "
                            "an OCDS package does not."
                        ),
                        limit=max_depth,
                    )
    except (ijson.JSONError, ValueError, UnicodeError):
        return None
    return None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _is_id(value: Any) -> bool:
    """Return whether ``value`` can be an identifier: a non-empty string or an integer."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int) and not isinstance(value, bool)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "a value of another type")


def _decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
