"""The method's explanation steps in the reader's language.

The method (``risk/method/``, Django-free) writes each step's input, note and source in English,
in a small fixed set of phrasings (see ``scoring.py``). A page shows them through
:func:`step_text`, which recognises those phrasings, translates them with gettext and writes
their numbers and country names for the language. A phrasing it does not know is shown as the
method wrote it.
"""

import re
from collections.abc import Callable

import pycountry
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from hallbar.core.countries import country_name
from hallbar.risk.method.reference import WGI_INDICATORS
from hallbar.risk.method.scoring import AREA_NAMES
from hallbar.risk.models.analysis import Area

_AREAS_BY_NAME = {name: code for code, name in AREA_NAMES.items()}
_NUMBER = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")
_COUNTRY = re.compile(r"^(?P<name>.+) \((?P<code>[A-Z]{2})\)$")


def numbers(text: str) -> str:
    """Write the decimal points of a formula's numbers as the language does (1,5 in Swedish)."""
    separator = get_format("DECIMAL_SEPARATOR")
    return _NUMBER.sub(lambda m: f"{m.group(1)}{separator}{m.group(2)}", text)


def _area(name: str) -> str:
    code = _AREAS_BY_NAME.get(name)
    return str(Area(code).label) if code else name


def _where(text: str) -> str:
    """A country as the method names it ("China (CN)", "unknown country") in the language."""
    if text == "unknown country":
        return _("unknown country")
    if text == "category":
        return _("the category")
    match = _COUNTRY.match(text)
    if match:
        return f"{country_name(match['code'])} ({match['code']})"
    return text


def _indicator(label: str) -> str:
    """An indicator as the method names it: "WGI Rule of Law, percentile rank 2023"."""
    match = re.match(r"^WGI (?P<name>.+), percentile rank (?P<year>\d{4})$", label)
    if match:
        return _("WGI %(indicator)s, percentile rank %(year)s") % {
            "indicator": match["name"],
            "year": match["year"],
        }
    match = re.match(r"^CPI score (?P<year>\d{4})$", label)
    if match:
        return _("CPI score %(year)s") % {"year": match["year"]}
    return label


def _via(match: re.Match) -> str:
    """The product as the method matched it: "examination gloves" → "gloves"."""
    if match["term"]:
        return f"{match['product']} → {match['term']}"
    return match["product"]


def _named_country(name: str) -> str:
    """A country the ILAB list names in English, in the reader's language."""
    try:
        return country_name(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name


def _severity_part(name: str) -> str:
    return {"scale": _("scale"), "scope": _("scope"), "irremediability": _("irremediability")}[name]


def _kinds(text: str) -> str:
    words = {
        "forced labour": _("forced labour"),
        "child labour": _("child labour"),
        "forced child labour": _("forced child labour"),
    }
    return ", ".join(words.get(part, part) for part in text.split(", "))


Rule = tuple[re.Pattern, Callable[[re.Match], str]]


def _rules() -> list[Rule]:
    indicators = "|".join(re.escape(name) for name in WGI_INDICATORS.values())
    return [
        (
            re.compile(r"^WGI (?P<release>\d{4}) update \(data (?P<year>[\d–]+)\)$"),
            lambda m: (
                _("WGI %(release)s update (data %(year)s)")
                % {"release": m["release"], "year": m["year"]}
            ),
        ),
        (
            re.compile(r"^CPI (?P<year>\d{4}) \(CPI (?P<release>\d{4}) time series\)$"),
            lambda m: (
                _("CPI %(year)s (CPI %(release)s time series)")
                % {"release": m["release"], "year": m["year"]}
            ),
        ),
        (
            re.compile(r"^likelihood \(sannolikhet\), (?P<area>[^,]+), (?P<where>.+)$"),
            lambda m: (
                _("likelihood, %(area)s, %(where)s")
                % {"area": _area(m["area"]), "where": _where(m["where"])}
            ),
        ),
        (
            re.compile(
                r"^country risk, (?P<area>.+?), (?P<where>.+ \([A-Z]{2}\)|unknown country)$"
            ),
            lambda m: (
                _("country risk, %(area)s, %(where)s")
                % {"area": _area(m["area"]), "where": _where(m["where"])}
            ),
        ),
        (
            re.compile(r"^severity \(allvarlighetsgrad\), (?P<area>.+)$"),
            lambda m: _("severity, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^priority class \(prioriteringsklass\), (?P<area>.+)$"),
            lambda m: _("priority class, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^prioritisation score P, (?P<area>.+)$"),
            lambda m: _("prioritisation score P, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^risk R, (?P<area>.+)$"),
            lambda m: _("risk R, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^inherent risk of the category, (?P<area>.+) \(1–5\)$"),
            lambda m: (
                _("inherent risk of the category, %(area)s (1–5)") % {"area": _area(m["area"])}
            ),
        ),
        (
            re.compile(r"^ILAB uplift, (?P<area>.+)$"),
            lambda m: _("ILAB uplift, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^exposure, (?P<area>.+)$"),
            lambda m: _("exposure, %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^(?P<part>scale|scope|irremediability)(?: \([^)]*\))?, (?P<area>.+)$"),
            lambda m: f"{_severity_part(m['part'])}, {_area(m['area'])}",
        ),
        (
            re.compile(
                r"^(?P<where>.+ \([A-Z]{2}\)|unknown country): share of the category's spend$"
            ),
            lambda m: _("%(where)s: share of the category's spend") % {"where": _where(m["where"])},
        ),
        (
            re.compile(r"^ILAB listing for '(?P<product>.*)', (?P<where>.+)$"),
            lambda m: (
                _("ILAB listing for “%(product)s”, %(where)s")
                % {"product": m["product"], "where": _where(m["where"])}
            ),
        ),
        (
            re.compile(r"^ILAB listing: (?P<good>.+), (?P<where>.+ \([A-Z]{2}\))$"),
            lambda m: (
                _("ILAB listing: %(good)s, %(where)s")
                % {"good": m["good"], "where": _where(m["where"])}
            ),
        ),
        (
            re.compile(
                rf"^(?P<label>(?:WGI (?:{indicators}), percentile rank|CPI score) \d{{4}}), (?P<where>.+)$"
            ),
            lambda m: f"{_indicator(m['label'])}, {_where(m['where'])}",
        ),
        (
            re.compile(
                r"^(?P<reason>production country unknown|no indicator value): the method's default country risk is used \(flagged\)$"
            ),
            lambda m: (
                _("%(reason)s: the method's default country risk is used (flagged)")
                % {
                    "reason": _("production country unknown")
                    if m["reason"] == "production country unknown"
                    else _("no indicator value")
                }
            ),
        ),
        (
            re.compile(r"^no value: its weight (?P<weight>\S+) was spread over the others$"),
            lambda m: (
                _("no value: its weight %(weight)s was spread over the others")
                % {"weight": numbers(m["weight"])}
            ),
        ),
        (
            re.compile(r"^weighted by α = (?P<alpha>\S+)$"),
            lambda m: _("weighted by α = %(alpha)s") % {"alpha": numbers(m["alpha"])},
        ),
        (
            re.compile(r"^normalised (?P<formula>.+)$"),
            lambda m: _("normalised %(formula)s") % {"formula": numbers(m["formula"])},
        ),
        (
            re.compile(r"^(?P<value>[\d.]+), within 0–1$"),
            lambda m: _("%(value)s, within 0–1") % {"value": numbers(m["value"])},
        ),
        (
            re.compile(r"^(?P<value>[\d.-]+), clamped to 0–1$"),
            lambda m: _("%(value)s, clamped to 0–1") % {"value": numbers(m["value"])},
        ),
        (
            re.compile(r"^high ≥ (?P<high>\S+), medium ≥ (?P<medium>\S+)$"),
            lambda m: (
                _("high ≥ %(high)s, medium ≥ %(medium)s")
                % {"high": numbers(m["high"]), "medium": numbers(m["medium"])}
            ),
        ),
        (
            re.compile(r"^spend × max R / 25; highest area: (?P<area>.+)$"),
            lambda m: _("spend × max R / 25; highest area: %(area)s") % {"area": _area(m["area"])},
        ),
        (
            re.compile(r"^replaces (?P<value>\S+); rationale: (?P<rationale>.*)$", re.DOTALL),
            lambda m: (
                _("replaces %(value)s; rationale: %(rationale)s")
                % {"value": numbers(m["value"]), "rationale": m["rationale"]}
            ),
        ),
        (
            re.compile(r"^likelihood set by expert judgement(?P<rest>.*)$"),
            lambda m: _("likelihood set by expert judgement") + m["rest"],
        ),
        (
            re.compile(
                r"^'(?P<product>[^']*)'(?: → '(?P<term>[^']*)')? matches the ILAB good "
                r"'(?P<good>[^']*)'$"
            ),
            lambda m: (
                _("“%(product)s” matches the ILAB good “%(good)s”")
                % {"product": _via(m), "good": m["good"]}
            ),
        ),
        (
            re.compile(
                r"^'(?P<product>[^']*)'(?: → '(?P<term>[^']*)')? → ILAB good '(?P<good>[^']*)' "
                r"\(synonym map\)$"
            ),
            lambda m: (
                _("“%(product)s” is the ILAB good “%(good)s” by the synonym list")
                % {"product": _via(m), "good": m["good"]}
            ),
        ),
        (
            re.compile(r"^ILAB good '(?P<good>[^']*)' named for the product$"),
            lambda m: _("ILAB good “%(good)s” named for the product") % {"good": m["good"]},
        ),
        (
            re.compile(r"^(?P<parts>(?:forced|child) labour \+.+) \(sum capped at 1\)$"),
            lambda m: (
                _("%(parts)s (the sum at most 1)")
                % {
                    "parts": " + ".join(
                        f"{_kinds(kind)} +{numbers(value)}"
                        for kind, value in re.findall(
                            r"((?:forced|child) labour) \+(\S+)", m["parts"]
                        )
                    )
                }
            ),
        ),
        (
            re.compile(
                r"^produced with (?P<good>.+) from (?P<country>.+), listed for (?P<kinds>.+)$"
            ),
            lambda m: (
                _("produced with %(good)s from %(country)s, listed for %(kinds)s")
                % {
                    "good": m["good"],
                    "country": _named_country(m["country"]),
                    "kinds": _kinds(m["kinds"]),
                }
            ),
        ),
        (
            re.compile(r"^(?P<kinds>(?:forced |child |forced child )labour(?:, .+)?)$"),
            lambda m: _kinds(m["kinds"]),
        ),
    ]


_FIXED = {
    "likelihood computed by the method": lambda: _("likelihood computed by the method"),
    "α · country risk + (1 − α) · inherent + uplift": lambda: _(
        "α · country risk + (1 − α) · inherent risk + uplift"
    ),
    "leverage (påverkansmöjlighet)": lambda: _("leverage"),
    "national spend share of the category": lambda: _("the category's share of national spend"),
    "buying regions": lambda: _("buying regions"),
    "clause level (avancerad / bas / none share of spend)": lambda: _(
        "contract clause level (share of spend at advanced / basic / no level)"
    ),
    "exposure (highest area)": lambda: _("exposure (highest area)"),
    "no value": lambda: _("no value"),
    "sum of contributions": lambda: _("sum of the contributions"),
    "input listing not resolved: no uplift, review by expert": lambda: _(
        "the input's listing was not found: no uplift, for an expert to review"
    ),
    "L = 1 + 4 × combined": lambda: _("L = 1 + 4 × combined value"),
    "likelihood × spend share": lambda: _("likelihood × share of spend"),
    "spend-weighted mean over the production countries": lambda: _(
        "mean over the production countries, weighted by spend"
    ),
    "mean of scale, scope and irremediability": lambda: _(
        "mean of scale, scope and irremediability"
    ),
    "no listed good matches the product in this country: no uplift": lambda: _(
        "no listed good matches the product in this country: no uplift"
    ),
    "not listed": lambda: _("not listed"),
    "produced with listed inputs": lambda: _("produced with listed inputs"),
    "method": lambda: _("the method"),
    "secretariat assessment": lambda: _("the secretariat's judgement"),
}
_RULES: list[Rule] = []


def _one(text: str) -> str:
    fixed = _FIXED.get(text)
    if fixed is not None:
        return str(fixed())
    if not _RULES:
        _RULES.extend(_rules())
    for pattern, words in _RULES:
        match = pattern.match(text)
        if match:
            return str(words(match))
    return numbers(text)


def step_text(text: str | None) -> str:
    """Return a step's input, note, source or text value in the reader's language."""
    if not text:
        return ""
    return "; ".join(_one(part) for part in str(text).split("; "))
