"""Normalise company names for comparison.

The normalised name is a comparison key, never shown to users. The steps, in order:

1. Letters that Nordic and German spelling writes with a diacritic are transliterated to two
   ASCII letters, as in ICAO 9303 passports and German usage: å→aa, ä→ae, ö→oe, æ→ae, ø→oe,
   ü→ue, ß→ss. So "Mölnlycke" equals the common ASCII spelling "Moelnlycke", and the lossy
   spelling "Molnlycke" is one edit away (fuzzy matching accepts it), yet ö never collapses
   onto o: "Håll" and "Hall" stay different words. Other accents (é, ç, ô...) are dropped
   through Unicode NFKD, which also folds full-width and other compatibility characters.
2. Casefolding; parenthesised remarks such as "(publ)", "(Pvt)" or "(Göteborg)" are removed.
3. Dotted and slashed initialisms are joined ("S.A." → "sa", "A/S" → "as"), other
   punctuation becomes space and connectors ("&", "och", "and", "und", "og") are dropped.
4. A few unambiguous abbreviations are expanded ("intl" → "international", "mfg" →
   "manufacturing"...). Ambiguous ones such as "med" (Swedish for "with") are left to fuzzy
   matching.
5. Legal forms are removed at the end and, for forms that are written first ("AB Volvo",
   "Oy ... Ab", "Công ty TNHH ..."), at the start, in many languages. A name never loses its
   last remaining word.
6. Trailing country words ("Sverige", "Sweden", "Scandinavia", "Nordic"...) are removed: a
   multinational's Swedish subsidiary is written "X AB", "X Sverige AB" or "X Sweden AB" by
   different regions. Only trailing ones go, so "Nordic Medical" keeps its "nordic". On the
   benchmark this raises recall at no cost in precision (see bench/supplier_matching/README.md).
7. Runs of single letters are joined: "H M Bygg" and "HM Bygg" are the same name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["LEGAL_FORMS", "legal_form_class", "normalise_name", "split_legal_form"]

_TRANSLITERATION = str.maketrans(
    {
        "å": "aa",
        "ä": "ae",
        "ö": "oe",
        "æ": "ae",
        "ø": "oe",
        "ü": "ue",
        "ß": "ss",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
    }
)

# Legal forms as token sequences of the normalised name (after step 3), longest first when
# matched. Dotted spellings need no entry of their own: "S.r.l." is "srl" by then.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        # Sweden
        "ab",
        "aktiebolag",
        "aktiebolaget",
        "publ",
        "ab publ",
        "hb",
        "handelsbolag",
        "handelsbolaget",
        "kb",
        "kommanditbolag",
        "kommanditbolaget",
        "ek foer",
        "ek for",
        "ekonomisk foerening",
        "ekonomisk forening",
        "ekonomiska foereningen",
        "ekonomiska foreningen",
        "ef",
        "enskild firma",
        "filial",
        # Finland, Norway, Denmark, Iceland
        "oy",
        "oyj",
        "oy ab",
        "ab oy",
        "oy ltd",
        "ky",
        "as",
        "asa",
        "aps",
        "is",
        "ks",
        "ehf",
        "hf",
        # Germany, Austria, Switzerland
        "gmbh",
        "mbh",
        "ag",
        "aktiengesellschaft",
        "kg",
        "kgaa",
        "ohg",
        "gbr",
        "ug",
        "ug haftungsbeschraenkt",
        "ug haftungsbeschrankt",
        "gmbh co kg",
        "gmbh co",
        "gmbh u co kg",
        "ag co kg",
        "se",
        # Benelux
        "bv",
        "nv",
        "bvba",
        "vof",
        "cv",
        "srl",
        "sprl",
        # France, Italy, Spain, Portugal
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sca",
        "spa",
        "snc",
        "sl",
        "slu",
        "lda",
        # Poland, Czechia, Slovakia, Baltics
        "sp z oo",
        "sp z o o",
        "sp zoo",
        "spzoo",
        "spolka z oo",
        "sro",
        "as",
        "uab",
        "sia",
        "ou",
        # English-speaking countries
        "ltd",
        "limited",
        "co",
        "co ltd",
        "company",
        "company limited",
        "co limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "public limited company",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "pty ltd",
        "pte ltd",
        "pvt ltd",
        "pvt",
        "private limited",
        "p ltd",
        "public company limited",
        "pcl",
        "jsc",
        "joint stock company",
        # Asia
        "sdn bhd",
        "bhd",
        "berhad",
        "kk",
        "kabushiki kaisha",
        "tnhh",
        "cong ty tnhh",
        "cong ty co phan",
        "cong ty",
        "co phan",
        "pt",
        "tbk",
    )
)
# Classes of legal forms: two records of one country whose forms fall in different classes
# ("Procare AB" and "Procare HB", "Müller GmbH" and "Müller AG") are different companies. The
# classes are coarse on purpose, so that the ways regions write one company's form agree: "Oy",
# "Oy Ab" and "Ltd" are all private limited companies. Forms missing here ("co", "filial")
# have no class and agree with every class.
_FORM_CLASSES = {
    "private": (
        "ab|aktiebolag|aktiebolaget|publ|ab publ|oy|oy ab|ab oy|oy ltd|gmbh|mbh|ug|"
        "ug haftungsbeschraenkt|ug haftungsbeschrankt|ltd|limited|co ltd|co limited|"
        "company limited|pvt|pvt ltd|private limited|p ltd|pty ltd|pte ltd|sdn bhd|bv|aps|as|"
        "sarl|eurl|sas|sasu|srl|sprl|bvba|sp z oo|sp z o o|sp zoo|spzoo|spolka z oo|sro|uab|sia|"
        "ou|sl|slu|lda|tnhh|cong ty tnhh|inc|incorporated|corp|corporation|kk|kabushiki kaisha"
    ),
    "public": (
        "ag|aktiengesellschaft|plc|public limited company|oyj|asa|nv|spa|sa|pcl|"
        "public company limited|jsc|joint stock company|cong ty co phan|co phan|bhd|berhad|tbk"
    ),
    "llc": "llc",
    "partnership": (
        "hb|handelsbolag|handelsbolaget|kb|kommanditbolag|kommanditbolaget|kg|kgaa|ohg|gbr|"
        "gmbh co kg|gmbh u co kg|gmbh co|ag co kg|lp|llp|snc|vof|cv|is|ks|ky"
    ),
    "cooperative": (
        "ek foer|ek for|ekonomisk foerening|ekonomisk forening|ekonomiska foereningen|"
        "ekonomiska foreningen"
    ),
    "sole trader": "enskild firma|ef",
}
_CLASS_OF_FORM = {
    form: label for label, forms in _FORM_CLASSES.items() for form in forms.split("|")
}

# Forms that are also written before the name.
_LEADING_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "ab",
        "aktiebolaget",
        "aktiebolag",
        "ek foer",
        "oy",
        "oyj",
        "as",
        "uab",
        "sia",
        "pt",
        "cong ty tnhh",
        "cong ty co phan",
        "cong ty",
    )
)
_TRAILING_NOISE: tuple[tuple[str, ...], ...] = tuple(
    tuple(words.split())
    for words in (
        "sverige",
        "sweden",
        "svenska",
        "scandinavia",
        "scandinavian",
        "skandinavien",
        "nordic",
        "nordics",
        "norden",
        "nordiska",
        "i likvidation",
        "under avveckling",
        "konkursbo",
    )
)
_CONNECTORS = frozenset({"och", "and", "und", "og", "et"})
_ABBREVIATIONS = {
    "intl": "international",
    "int'l": "international",
    "mfg": "manufacturing",
    "mfrs": "manufacturers",
    "bros": "brothers",
    "br": "broederna",
    "tekn": "teknik",
    "sv": "sverige",
    "sthlm": "stockholm",
    "gbg": "goeteborg",
}

_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_INITIALISM = re.compile(r"\b(?:[a-z0-9][./]){1,}[a-z0-9]\b\.?")
_APOSTROPHE = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _by_length(forms: tuple[tuple[str, ...], ...]) -> dict[int, frozenset[tuple[str, ...]]]:
    # Longest first, so that "co ltd" goes as a whole before "ltd" alone.
    sizes = sorted({len(form) for form in forms}, reverse=True)
    return {size: frozenset(form for form in forms if len(form) == size) for size in sizes}


_TRAILING = _by_length(LEGAL_FORMS)
_LEADING = _by_length(_LEADING_FORMS)
_NOISE = _by_length(_TRAILING_NOISE)


def _fold(name: str) -> str:
    """Return ``name`` casefolded, transliterated and reduced to ASCII."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_TRANSLITERATION)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _tokens(folded: str) -> list[str]:
    """Split a folded name into words, joining initialisms and dropping connectors."""
    stripped = _PARENTHESES.sub(" ", folded)
    if stripped.strip(" .,-"):
        # A name that is nothing but a parenthesis keeps its content.
        folded = stripped
    text = _INITIALISM.sub(lambda m: m.group(0).replace(".", "").replace("/", ""), folded)
    words = []
    for raw in text.split():
        word = _ABBREVIATIONS.get(raw.rstrip("."), raw)
        words.extend(_NON_WORD.sub(" ", _APOSTROPHE.sub("", word)).split())
    return [_ABBREVIATIONS.get(word, word) for word in words if word not in _CONNECTORS]


def _join_initials(words: list[str]) -> list[str]:
    """Join runs of single letters: "h m bygg" and "hm bygg" are the same name."""
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    return joined


def _strip_end(
    words: list[str], forms: dict[int, frozenset[tuple[str, ...]]]
) -> tuple[list[str], list[str]]:
    """Strip trailing ``forms`` repeatedly; return the rest and the removed words."""
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for size, group in forms.items():
            if size < len(words) and tuple(words[-size:]) in group:
                removed[:0] = words[-size:]
                words = words[:-size]
                changed = True
                break
    return words, removed


def _strip_start(words: list[str]) -> tuple[list[str], list[str]]:
    """Strip one leading legal form; return the rest and the removed words."""
    for size, group in _LEADING.items():
        if size < len(words) and tuple(words[:size]) in group:
            return words[size:], words[:size]
    return words, []


@lru_cache(maxsize=200_000)
def split_legal_form(name: str) -> tuple[str, str]:
    """Return the normalised name without legal form and the removed legal-form words.

    ``split_legal_form("Aktiebolaget Svenska Kullagerfabriken (publ)")`` gives
    ``("svenska kullagerfabriken", "aktiebolaget")``.
    """
    words = _tokens(_fold(name))
    words, leading = _strip_start(words)
    words, trailing = _strip_end(words, _TRAILING)
    words, _noise = _strip_end(words, _NOISE)
    # "Siemens Healthcare Sverige AB" has the form after the country word: strip again.
    words, more = _strip_end(words, _TRAILING)
    # Only now, so that "A & B Bygg" does not become the legal form "ab" + "bygg".
    return " ".join(_join_initials(words)), " ".join(leading + more + trailing)


def legal_form_class(name: str) -> str:
    """Return the class of the name's legal form ("private", "public", "partnership"...) or "".

    ``legal_form_class("Procare Software HB")`` gives "partnership". A name without a
    recognised form gives "".
    """
    removed = split_legal_form(name)[1].split()
    # The longest recognised run of words decides: "gmbh co kg" is a partnership even though
    # it contains "gmbh".
    for size in range(len(removed), 0, -1):
        for start in range(len(removed) - size + 1):
            label = _CLASS_OF_FORM.get(" ".join(removed[start : start + size]))
            if label:
                return label
    return ""


def normalise_name(name: str) -> str:
    """Return the comparison form of a company name (see the module docstring)."""
    return split_legal_form(name)[0]
