"""Match invoice lines to registry suppliers: one supplier, several (ambiguous), or none.

An invoice line carries an identifier (``supplier_org_number``: an organisation number in any
format, a Swedish VAT number, a foreign EU VAT number, or some other id) and a name as the
invoice has it. The rules, tried in order; the first that finds anything decides:

0. A person's resolution of exactly this (region, identifier, name) names the supplier.
1. The identifier's strong keys (:func:`identifiers.identity_keys`: ``SE:5560360793`` for
   ``556036-0793``, ``SE556036079301`` and ``165560360793``; ``VAT:DE136695976`` for
   ``DE 136 695 976``...), compared with the suppliers' organisation and VAT numbers normalised
   the same way. Then an unverifiable id, compared letters and digits only with the suppliers'
   other ids.
2. The exact name (case, Unicode form and spacing aside, legal form kept) among the spellings
   the line's region has recorded for a supplier.
3. The exact name among the suppliers' registered names.
4. The exact name among spellings other regions have recorded.
5. The normalised name (legal forms and trailing country words stripped), a last resort.

A rule that finds one supplier matches the line; a rule that finds several makes the line
ambiguous, with those suppliers as candidates, and no later rule is tried (a weaker rule cannot
tell apart what a stronger one could not). When the line carries a verified number that no
supplier has, the name rules offer only suppliers registered without verified numbers: a
supplier with numbers would have been found by rule 1, so it is another company of the same
name. Nothing here imports Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .identifiers import identity_keys
from .names import normalise_name

__all__ = ["Registered", "SpendMatch", "SpendMatcher", "exact_name", "identifier_keys"]

_SEPARATORS = re.compile(r"[\s\-./,:]+")
_WEAK_JUNK = re.compile(r"[^0-9A-Z]")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{2}")
# Countries whose national business ids a bare number on an invoice may be.
_NATIONAL = ("SE", "NO", "FI", "DK")


def exact_name(name: str) -> str:
    """Return the name's exact comparison form: Unicode NFKC, casefolded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def identifier_keys(identifier: str) -> set[str]:
    """Return the strong keys of an invoice line's identifier (empty when it is not valid).

    With a country prefix the identifier is a VAT number; a bare number may be a Swedish,
    Norwegian, Finnish or Danish business id and gets the key of each country it is valid in.
    """
    compact = _SEPARATORS.sub("", identifier).upper()
    if not compact:
        return set()
    if _COUNTRY_PREFIX.match(compact):
        keys = identity_keys("", compact, "")
    else:
        keys = set()
        for country in _NATIONAL:
            keys |= identity_keys(compact, "", country)
    return {k for k in keys if not k.startswith("ID:")}


def weak_key(identifier: str) -> str:
    """Return an unverifiable id as letters and digits only ("" when too short to mean much)."""
    compact = _WEAK_JUNK.sub("", identifier.upper())
    return compact if len(compact) >= 5 and sum(c.isdigit() for c in compact) >= 3 else ""


@dataclass(frozen=True)
class Registered:
    """A registry supplier as the matcher sees it; ``spellings`` are (name, region code or "")."""

    key: str
    name: str
    country: str = "SE"
    org_number: str = ""
    vat_number: str = ""
    other_id: str = ""
    spellings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SpendMatch:
    """The outcome for one line: the supplier's key, or the candidates when several fit."""

    key: str = ""
    candidates: tuple[str, ...] = ()
    rule: str = ""

    @property
    def ambiguous(self) -> bool:
        return not self.key and bool(self.candidates)


@dataclass
class SpendMatcher:
    """Index the registry once; match lines by (region, identifier, name), cached."""

    suppliers: Iterable[Registered]
    resolutions: Iterable[tuple[str, str, str, str]] = ()
    """(region code, identifier, name, supplier key): people's decisions."""
    _cache: dict[tuple[str, str, str], SpendMatch] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.by_key: dict[str, set[str]] = {}
        self.by_weak: dict[str, set[str]] = {}
        self.strong: dict[str, set[str]] = {}
        self.region_names: dict[tuple[str, str], set[str]] = {}
        self.names: dict[str, set[str]] = {}
        self.other_names: dict[str, set[str]] = {}
        self.normalised: dict[str, set[str]] = {}
        for s in self.suppliers:
            keys = {
                k
                for k in identity_keys(s.org_number, s.vat_number, s.country)
                if not k.startswith("ID:")
            }
            self.strong[s.key] = keys
            for k in keys:
                self.by_key.setdefault(k, set()).add(s.key)
            for value in (s.other_id, "" if s.country in _NATIONAL else s.org_number):
                if w := weak_key(value):
                    self.by_weak.setdefault(w, set()).add(s.key)
            self.names.setdefault(exact_name(s.name), set()).add(s.key)
            self.normalised.setdefault(normalise_name(s.name), set()).add(s.key)
            for spelling, region in s.spellings:
                if region:
                    self.region_names.setdefault((region, exact_name(spelling)), set()).add(s.key)
                    self.other_names.setdefault(exact_name(spelling), set()).add(s.key)
                else:
                    self.names.setdefault(exact_name(spelling), set()).add(s.key)
                self.normalised.setdefault(normalise_name(spelling), set()).add(s.key)
        self.resolved = {
            (region, _SEPARATORS.sub("", identifier).upper(), exact_name(name)): key
            for region, identifier, name, key in self.resolutions
        }

    def match(self, region: str, identifier: str, name: str) -> SpendMatch:
        """Return the match of a line of ``region`` with this identifier and name."""
        cache_key = (region, identifier, name)
        found = self._cache.get(cache_key)
        if found is None:
            found = self._cache[cache_key] = self._match(region, identifier, name)
        return found

    def _match(self, region: str, identifier: str, name: str) -> SpendMatch:
        exact = exact_name(name)
        resolved = self.resolved.get((region, _SEPARATORS.sub("", identifier).upper(), exact))
        if resolved:
            return SpendMatch(resolved, rule="resolution")
        keys = identifier_keys(identifier)
        hits = set().union(*(self.by_key.get(k, set()) for k in keys))
        if not keys and (w := weak_key(identifier)):
            hits = set(self.by_weak.get(w, set()))
        if found := _decide(hits, "identifier"):
            return found
        if not name.strip():
            return SpendMatch()

        def fits(key: str) -> bool:
            # A line with a verified number that no supplier has is another legal entity
            # than every supplier with verified numbers (had it been one, rule 1 would have
            # found it); only suppliers registered without numbers can still be it by name.
            return not keys or not self.strong.get(key)

        for rule, ids in (
            ("region_name", self.region_names.get((region, exact))),
            ("name", self.names.get(exact)),
            ("other_region_name", self.other_names.get(exact)),
            ("normalised_name", self.normalised.get(normalise_name(name))),
        ):
            if found := _decide({k for k in ids or () if fits(k)}, rule):
                return found
        return SpendMatch()


def _decide(hits: set[str], rule: str) -> SpendMatch | None:
    if len(hits) == 1:
        return SpendMatch(next(iter(hits)), rule=rule)
    if hits:
        return SpendMatch("", tuple(sorted(hits, key=_order)), rule)
    return None


def _order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)
