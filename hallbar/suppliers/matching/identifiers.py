"""Validate, normalise and compare supplier identifiers.

Swedish organisation numbers and VAT numbers are checked with python-stdnum. The Swedish VAT
number is the organisation number wrapped as ``SE`` + 10 digits + ``01``, so both give the same
comparison key. Finnish, Danish and Norwegian business ids are likewise derivable from their VAT
numbers. Identifiers of other countries cannot be validated here and are kept as given.

Comparison keys (see :func:`identity_keys`) come in two strengths:

* *strong* keys come from an identifier whose check digits were verified: ``SE:5566778899``,
  ``NO:923609016``, ``FI:20774740``, ``DK:13585628`` and ``VAT:DE136695976``. Two suppliers with
  different strong keys in the same namespace are different legal entities.
* *weak* keys (``ID:US:123456789``) come from unverifiable foreign ids. Equal weak keys link
  records, but different weak keys prove nothing: regional registers store a DUNS number in one
  place and a tax number in another for the same company.

The error messages are module-level constants so that the Django layer can map them to
translated strings.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from types import ModuleType

from stdnum import luhn
from stdnum.ch import vat as ch_vat
from stdnum.dk import cvr as dk_cvr
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.gb import vat as gb_vat
from stdnum.no import mva as no_mva
from stdnum.no import orgnr as no_orgnr

__all__ = [
    "ORG_NUMBER_INVALID_CHECKSUM",
    "ORG_NUMBER_INVALID_FORMAT",
    "VAT_INVALID_CHECKSUM",
    "VAT_INVALID_FORMAT",
    "VAT_MISSING_COUNTRY",
    "VAT_ORG_NUMBER_MISMATCH",
    "InvalidIdentifier",
    "check_identifiers",
    "format_org_number",
    "identity_keys",
    "key_namespace",
    "normalise_org_number",
    "normalise_vat",
    "org_number_to_vat",
    "vat_to_org_number",
]

ORG_NUMBER_INVALID_FORMAT = "Enter the organisation number as 10 digits, for example 556677-8899."
ORG_NUMBER_INVALID_CHECKSUM = (
    "The organisation number's check digit is wrong. Check it for a typing error."
)
VAT_INVALID_FORMAT = "The VAT number has the wrong length or format for its country."
VAT_INVALID_CHECKSUM = "The VAT number's check digit is wrong. Check it for a typing error."
VAT_MISSING_COUNTRY = "Start the VAT number with its country code, for example SE556677889901."
VAT_ORG_NUMBER_MISMATCH = "The Swedish VAT number does not belong to the organisation number."

# Countries whose national business ids python-stdnum validates and which are derivable from
# the VAT number; their ids become strong keys. Other countries' ids are only weak keys.
_NATIONAL_ID_MODULES: dict[str, ModuleType] = {
    "NO": no_orgnr,
    "FI": fi_ytunnus,
    "DK": dk_cvr,
}
# European VAT systems outside the EU that stdnum.eu.vat does not cover.
_NON_EU_VAT_MODULES: dict[str, ModuleType] = {"GB": gb_vat, "NO": no_mva, "CH": ch_vat}
_EU_VAT_PREFIXES = frozenset(cc.upper() for cc in eu_vat.MEMBER_STATES) | {"EL"}

_COUNTRY_PREFIX = re.compile(r"^([A-Za-z]{2})")
_SEPARATORS = re.compile(r"[\s\-./,:]+")
_WEAK_ID_JUNK = re.compile(r"[^0-9A-Z]")
# Placeholders that registers put in mandatory id fields; never treat them as identifiers.
_PLACEHOLDERS = frozenset({"SAKNAS", "UNKNOWN", "NA", "NONE", "NULL", "OKAND", "EJ"})


class InvalidIdentifier(ValueError):
    """Signal an identifier that fails its format or checksum test.

    ``message`` is one of this module's message constants, ``code`` a short machine-readable
    reason (``"invalid_format"``, ``"invalid_checksum"`` or ``"mismatch"``) suitable for
    Django's ``ValidationError(code=...)``.
    """

    def __init__(self, message: str, code: str = "invalid_format") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _is_swedish(country: str) -> bool:
    # The platform is Swedish: a blank country means a Swedish supplier.
    return country.strip().upper() in ("", "SE")


def _swedish_org_number(value: str) -> str:
    """Return the 10-digit Swedish organisation number in ``value`` or raise."""
    compact = _SEPARATORS.sub("", value).upper()
    if compact.startswith("SE"):
        # A Swedish VAT number typed into the organisation number field.
        return vat_to_org_number(compact)
    if len(compact) == 12 and compact.isdigit() and compact[:2] in ("16", "19", "20"):
        # Skatteverket's 12-digit form: "16" + orgnr, or a sole trader's personnummer.
        compact = compact[2:]
    if not compact.isdigit() or len(compact) != 10:
        raise InvalidIdentifier(ORG_NUMBER_INVALID_FORMAT)
    if len(set(compact)) == 1:
        # 0000000000 passes Luhn but is a placeholder.
        raise InvalidIdentifier(ORG_NUMBER_INVALID_FORMAT)
    if not _luhn_valid(compact):
        raise InvalidIdentifier(ORG_NUMBER_INVALID_CHECKSUM, "invalid_checksum")
    return compact


@lru_cache(maxsize=100_000)
def _luhn_valid(digits: str) -> bool:
    # Cached: bulk imports check the same numbers over and over, and stdnum's Luhn is slow.
    return luhn.is_valid(digits)


def normalise_org_number(value: str, country: str = "SE") -> str:
    """Validate an organisation number and return its compact form.

    Swedish numbers (``country`` "SE" or blank) may be written ``556677-8899``, ``5566778899``,
    ``16556677-8899`` or as the VAT number ``SE556677889901``; the result is always the 10 bare
    digits. Norwegian, Finnish and Danish business ids are validated and compacted. Any other
    country's id is returned as given, only stripped of surrounding whitespace. A blank value
    gives "".
    """
    value = value.strip()
    if not value:
        return ""
    country = country.strip().upper()
    if _is_swedish(country):
        return _swedish_org_number(value)
    module = _NATIONAL_ID_MODULES.get(country)
    if module is None:
        return value
    try:
        return str(module.validate(value))
    except InvalidChecksum as exc:
        raise InvalidIdentifier(ORG_NUMBER_INVALID_CHECKSUM, "invalid_checksum") from exc
    except ValidationError as exc:
        raise InvalidIdentifier(ORG_NUMBER_INVALID_FORMAT) from exc


def format_org_number(value: str) -> str:
    """Return a Swedish organisation number in the customary ``556677-8899`` form."""
    number = _swedish_org_number(value)
    return f"{number[:6]}-{number[6:]}"


def vat_to_org_number(vat: str) -> str:
    """Return the Swedish organisation number inside a Swedish VAT number."""
    compact = _SEPARATORS.sub("", vat).upper()
    compact = compact.removeprefix("SE")
    if len(compact) != 12 or not compact.isdigit() or not compact.endswith("01"):
        raise InvalidIdentifier(VAT_INVALID_FORMAT)
    try:
        return _swedish_org_number(compact[:10])
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(VAT_INVALID_CHECKSUM, "invalid_checksum") from exc


def org_number_to_vat(org_number: str) -> str:
    """Return the Swedish VAT number (``SE`` + 10 digits + ``01``) of an organisation number."""
    return f"SE{_swedish_org_number(org_number)}01"


def normalise_vat(value: str, country: str = "") -> str:
    """Validate a VAT number and return it as country prefix + compact number.

    A number without a prefix takes ``country``'s. EU numbers are checked with
    ``stdnum.eu.vat`` (Greece is ``EL``), and British, Norwegian and Swiss ones with their own
    stdnum modules. VAT or tax numbers of other countries are returned as given, stripped. A
    blank value gives "".
    """
    value = value.strip()
    if not value:
        return ""
    compact = _SEPARATORS.sub("", value).upper()
    match = _COUNTRY_PREFIX.match(compact)
    cc = match.group(1) if match else ""
    if not cc:
        country = country.strip().upper()
        if not country:
            raise InvalidIdentifier(VAT_MISSING_COUNTRY)
        cc = country
        compact = cc + compact
    if cc == "GR":
        # Greek VAT numbers use the prefix EL.
        cc = "EL"
        compact = cc + compact[2:]
    if cc not in _NON_EU_VAT_MODULES and cc not in _EU_VAT_PREFIXES:
        # Not a VAT system we can check, e.g. a Chinese tax number: keep it as given.
        return value
    number, error, code = _checked_vat(cc, compact)
    if error:
        raise InvalidIdentifier(error, code)
    return number


@lru_cache(maxsize=100_000)
def _checked_vat(cc: str, compact: str) -> tuple[str, str, str]:
    """Return (normalised number, error message, error code) for a prefixed VAT number.

    Cached, because stdnum's checks are slow and registers repeat the same numbers.
    """
    module = _NON_EU_VAT_MODULES.get(cc)
    try:
        number = str(module.validate(compact) if module else eu_vat.validate(compact))
    except InvalidChecksum:
        return "", VAT_INVALID_CHECKSUM, "invalid_checksum"
    except ValidationError:
        return "", VAT_INVALID_FORMAT, "invalid_format"
    return (number if number.startswith(cc) else cc + number), "", ""


def _weak_key(value: str, country: str) -> str | None:
    """Return the weak key of an unverifiable id, or None for placeholders and junk."""
    compact = _WEAK_ID_JUNK.sub("", value.upper())
    if compact in _PLACEHOLDERS or len(compact) < 5:
        return None
    digits = sum(ch.isdigit() for ch in compact)
    if digits < 3 or len(set(compact)) == 1:
        return None
    return f"ID:{country or '??'}:{compact}"


def _vat_keys(vat: str, country: str) -> set[str]:
    """Return the comparison keys of a VAT number, or an empty set if it is unusable."""
    try:
        number = normalise_vat(vat, country)
    except InvalidIdentifier:
        return set()
    cc = number[:2]
    if cc == "SE":
        return {f"SE:{number[2:12]}"}
    if cc == "NO":
        # NO + the 9-digit organisasjonsnummer + MVA.
        return {f"NO:{number[2:11]}"}
    if cc in ("FI", "DK"):
        # The Finnish and Danish VAT numbers are the business id with a prefix.
        return {f"{cc}:{number[2:]}", f"VAT:{number}"}
    if cc in _EU_VAT_PREFIXES or cc in _NON_EU_VAT_MODULES:
        return {f"VAT:{number}"}
    weak = _weak_key(number, country)
    return {weak} if weak else set()


def identity_keys(org_number: str, vat_number: str, country: str) -> set[str]:
    """Return the comparison keys of a supplier's identifiers.

    Equal keys mean the same legal entity: a Swedish organisation number and the matching
    Swedish VAT number both give ``SE:5566778899``. Invalid identifiers are skipped rather than
    raised, because this function serves matching of imported registers, which contain typing
    errors; validate on entry with :func:`normalise_org_number` and :func:`normalise_vat`.
    """
    country = country.strip().upper()
    keys: set[str] = set()
    org_number = org_number.strip()
    if org_number:
        if _is_swedish(country) or org_number.upper().startswith("SE"):
            with suppress(InvalidIdentifier):
                keys.add(f"SE:{_swedish_org_number(org_number)}")
        elif country in _NATIONAL_ID_MODULES:
            try:
                keys.add(f"{country}:{normalise_org_number(org_number, country)}")
            except InvalidIdentifier:
                # Registers often put the VAT number in the org number field.
                keys |= _vat_keys(org_number, country)
        elif _COUNTRY_PREFIX.match(org_number) and (vat_keys := _vat_keys(org_number, country)):
            # A VAT number, with its country prefix, in the org number field.
            keys |= vat_keys
        else:
            weak = _weak_key(org_number, country)
            if weak:
                keys.add(weak)
    if vat_number.strip():
        keys |= _vat_keys(vat_number, country or "SE")
    return keys


def check_identifiers(org_number: str, vat_number: str, country: str) -> tuple[str, str]:
    """Normalise a supplier's organisation and VAT numbers and check that they agree.

    Return the normalised pair. A Swedish VAT number must wrap the organisation number; raise
    :class:`InvalidIdentifier` with :data:`VAT_ORG_NUMBER_MISMATCH` otherwise.
    """
    org = normalise_org_number(org_number, country)
    vat = normalise_vat(vat_number, country or "SE")
    if org and vat.startswith("SE") and _is_swedish(country) and vat[2:12] != org:
        raise InvalidIdentifier(VAT_ORG_NUMBER_MISMATCH, "mismatch")
    return org, vat


def key_namespace(key: str) -> str | None:
    """Return the namespace of a strong key (``SE``, ``VAT:DE``...) or None for a weak key.

    Two records whose strong keys share a namespace but not a value are different entities.
    """
    if key.startswith("ID:"):
        return None
    if key.startswith("VAT:"):
        return key[:6]
    return key.split(":", 1)[0]
