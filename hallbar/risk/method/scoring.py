"""The risk identification and prioritisation method, exactly as ``docs/risk-method.md`` says.

Four areas of the code of conduct: human rights (hr), workers' rights (wr), environment (env)
and business ethics/anti-corruption (be). Per purchasing category (and product) and area:

* country risk in [0, 1] from WGI percentile ranks and the CPI score (weights per area);
* ILAB uplift when the product's good is listed for the production country;
* likelihood L = 1 + 4 · clamp(α · country risk + (1 − α) · inherent + uplift, 0, 1), 1–5;
  a spend-weighted mean over the category's production countries; an expert may replace it
  with a written rationale;
* severity S = mean(scale, scope, irremediability), each 1–5;
* risk R = L × S (1–25) and its priority class;
* leverage 1–5 and the prioritisation score P = R × (0.8 + 0.1 · leverage).

Every number is returned with an ``explanation``: a tuple of ``Step`` (input, value, source
edition, weight, contribution) from which a page can show where the number came from.
All parameters live in ``MethodParameters`` so the secretariat can change them later; change
the document in the same commit.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType
from typing import Any

from .reference import (
    WGI_INDICATORS,
    IlabList,
    IlabListing,
    ReferenceData,
    country_name,
    iso2_to_iso3,
)

AREAS = ("hr", "wr", "env", "be")
AREA_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "hr": "human rights",
        "wr": "workers' rights",
        "env": "environment",
        "be": "business ethics and anti-corruption",
    }
)
AREA_SHORT_NAMES: Mapping[str, str] = MappingProxyType(
    {"hr": "HR", "wr": "WR", "env": "ENV", "be": "BE"}
)

HIGH, MEDIUM, LOW = "high", "medium", "low"
SECRETARIAT = "secretariat assessment"
METHOD = "method"

# Indicator codes the method knows: the six WGI percentile ranks and the CPI score.
INDICATOR_NAMES: Mapping[str, str] = MappingProxyType(
    {**WGI_INDICATORS, "cpi": "Corruption Perceptions Index score"}
)

# Product words used in the platform (English and Swedish) → ILAB good names. A product also
# matches an ILAB good of the same name directly (case-insensitive, with or without ILAB's
# bracketed note), so only words that differ from ILAB's need to be here.
PRODUCT_SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "gloves": ("Gloves", "Rubber Gloves"),
        "handskar": ("Gloves", "Rubber Gloves"),
        "latex": ("Rubber", "Rubber Gloves"),
        "textiles": ("Textiles", "Cotton", "Thread/Yarn", "Garments"),
        "textile": ("Textiles", "Cotton", "Thread/Yarn", "Garments"),
        "textil": ("Textiles", "Cotton", "Thread/Yarn", "Garments"),
        "workwear": ("Garments", "Textiles", "Cotton"),
        "clothing": ("Garments", "Textiles", "Cotton"),
        "kläder": ("Garments", "Textiles", "Cotton"),
        "linen": ("Textiles", "Cotton"),
        "bomull": ("Cotton",),
        "surgical instruments": ("Surgical Instruments",),
        "kirurgiska instrument": ("Surgical Instruments",),
        "electronics": (
            "Electronics",
            "Cobalt ore (heterogenite)",
            "Tantalum ore (coltan)",
            "Tin ore (cassiterite)",
            "Tungsten ore (wolframite)",
            "Gold",
            "Mica",
        ),
        "elektronik": (
            "Electronics",
            "Cobalt ore (heterogenite)",
            "Tantalum ore (coltan)",
            "Tin ore (cassiterite)",
            "Tungsten ore (wolframite)",
            "Gold",
            "Mica",
        ),
        "it": ("Electronics", "Cobalt ore (heterogenite)", "Lithium-Ion Batteries"),
        "computers": ("Electronics", "Cobalt ore (heterogenite)", "Lithium-Ion Batteries"),
        "datorer": ("Electronics", "Cobalt ore (heterogenite)", "Lithium-Ion Batteries"),
        "cobalt": ("Cobalt ore (heterogenite)",),
        "batteries": ("Lithium-Ion Batteries", "Cobalt ore (heterogenite)"),
        "batterier": ("Lithium-Ion Batteries", "Cobalt ore (heterogenite)"),
        "solar panels": ("Polysilicon", "Solar Cells", "Solar Modules"),
        "solceller": ("Polysilicon", "Solar Cells", "Solar Modules"),
        "furniture": ("Furniture", "Furniture (steel)", "Timber"),
        "möbler": ("Furniture", "Furniture (steel)", "Timber"),
        "shoes": ("Footwear", "Leather"),
        "skor": ("Footwear", "Leather"),
        "palm oil": ("Palm Fruit", "Crude Palm Oil", "Refined Palm Oil", "Oleochemicals"),
    }
)

# ILAB lists some goods as "produced with inputs" that are themselves listed (2022 report).
# Such a listing carries no flag of its own: it takes the flags of the input's listing.
INPUT_GOODS: Mapping[str, str] = MappingProxyType(
    {
        "lithium-ion batteries": "Cobalt ore (heterogenite)",
        "solar cells": "Polysilicon",
        "solar modules": "Polysilicon",
        "photovoltaic ingots": "Polysilicon",
        "photovoltaic wafers": "Polysilicon",
        "crude palm oil": "Palm Fruit",
        "crude palm kernel oil": "Palm Fruit",
        "refined palm oil": "Palm Fruit",
        "refined palm kernel oil": "Palm Fruit",
        "oleochemicals": "Palm Fruit",
    }
)

# Only synonyms this long are looked for at the end of a Swedish compound word
# ("undersökningshandskar" ends with "handskar"), so that short words cannot match by accident.
_MIN_COMPOUND_SUFFIX = 5


def _proxy(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class MethodParameters:
    """Every number the method uses. Defaults as in docs/risk-method.md, section "Parameters"."""

    # Area → (indicator, weight) pairs. WGI indicators enter as 1 − percentile rank / 100,
    # the CPI as 1 − score / 100; weights are re-normalised over the indicators present.
    area_indicators: Mapping[str, tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: _proxy(
            {
                "hr": (("va", 0.5), ("rl", 0.5)),
                "wr": (("rl", 0.5), ("va", 0.5)),
                "env": (("ge", 0.5), ("rq", 0.5)),
                "be": (("cc", 0.5), ("cpi", 0.5)),
            }
        )
    )
    no_data_country_risk: float = 0.5
    alpha: float = 0.6  # weight of country risk against the category's inherent risk
    forced_labour_uplift: Mapping[str, float] = field(
        default_factory=lambda: _proxy({"wr": 0.30, "hr": 0.15})
    )
    child_labour_uplift: Mapping[str, float] = field(
        default_factory=lambda: _proxy({"wr": 0.25, "hr": 0.10})
    )
    high_threshold: float = 15.0
    medium_threshold: float = 8.0
    leverage_full_spend_share: float = 0.10
    leverage_weight_spend: float = 0.4
    leverage_weight_regions: float = 0.3
    leverage_weight_clause: float = 0.3
    total_regions: int = 21
    clause_value_avancerad: float = 1.0
    clause_value_bas: float = 0.5
    prioritisation_base: float = 0.8
    prioritisation_per_leverage: float = 0.1
    product_synonyms: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: PRODUCT_SYNONYMS
    )
    input_goods: Mapping[str, str] = field(default_factory=lambda: INPUT_GOODS)

    def __post_init__(self) -> None:
        if set(self.area_indicators) != set(AREAS):
            raise ValueError(f"area_indicators must give weights for exactly {AREAS}.")
        for area, pairs in self.area_indicators.items():
            if not pairs or any(w < 0 for _, w in pairs) or sum(w for _, w in pairs) <= 0:
                raise ValueError(f"The indicator weights of {area} must be ≥ 0, with a sum > 0.")
            unknown = [code for code, _ in pairs if code not in INDICATOR_NAMES]
            if unknown:
                raise ValueError(f"Unknown indicators for {area}: {unknown}.")
        if not 0 <= self.alpha <= 1:
            raise ValueError("alpha must lie in [0, 1].")
        if not 0 <= self.no_data_country_risk <= 1:
            raise ValueError("no_data_country_risk must lie in [0, 1].")
        if not 1 <= self.medium_threshold <= self.high_threshold <= 25:
            raise ValueError("Thresholds need 1 ≤ medium ≤ high ≤ 25.")
        weights = (
            self.leverage_weight_spend,
            self.leverage_weight_regions,
            self.leverage_weight_clause,
        )
        if any(w < 0 for w in weights) or not math.isclose(sum(weights), 1.0):
            raise ValueError("The three leverage weights must be ≥ 0 and sum to 1.")
        if self.leverage_full_spend_share <= 0 or self.total_regions <= 0:
            raise ValueError("leverage_full_spend_share and total_regions must be positive.")


DEFAULT_PARAMETERS = MethodParameters()


class MissingRationaleError(ValueError):
    """An expert adjustment was given without a written rationale."""


@dataclass(frozen=True)
class Step:
    """One line of "where the number came from"."""

    kind: str  # machine-readable, for a page to pick its own label
    input: str
    value: float | str | None
    source: str = ""
    weight: float | None = None
    contribution: float | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the step as a JSON-serialisable dict (for storing a screening run)."""
        return asdict(self)


def steps_as_dicts(steps: Iterable[Step]) -> list[dict[str, Any]]:
    """Return an explanation as a list of dicts."""
    return [step.as_dict() for step in steps]


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _check_area(area: str) -> None:
    if area not in AREAS:
        raise ValueError(f"Unknown area {area!r}; expected one of {AREAS}.")


def _check_score(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}.")
    return value


def _country_label(iso2: str | None) -> str:
    return f"{country_name(iso2)} ({iso2})" if iso2 else "unknown country"


# ----------------------------------------------------------------------------------------------
# Country risk


@dataclass(frozen=True)
class CountryRisk:
    """Country risk in [0, 1] for one area, from governance and corruption indicators."""

    area: str
    iso2: str | None
    value: float
    renormalised: bool
    no_data: bool
    explanation: tuple[Step, ...]


def _indicator_value(
    code: str, iso3: str | None, reference: ReferenceData
) -> tuple[float | None, float | None, str, str]:
    """Return (raw value, risk in [0, 1], input label, edition) or raw None when missing."""
    if code == "cpi":
        score = reference.cpi.get(iso3) if iso3 else None
        raw = None if score is None else float(score.score)
        label = f"CPI score {reference.cpi.year}"
        risk = None if raw is None else 1 - raw / 100
        return raw, risk, label, reference.cpi.edition
    item = reference.wgi.get(iso3, code) if iso3 else None
    raw = item.percentile_rank if item else None
    label = f"WGI {INDICATOR_NAMES[code]}, percentile rank {reference.wgi.year}"
    risk = None if raw is None else 1 - raw / 100
    return raw, risk, label, reference.wgi.edition


def country_risk(
    area: str,
    iso2: str | None,
    reference: ReferenceData,
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> CountryRisk:
    """Return the country risk of an area: the weighted mean of 1 − indicator / 100.

    Missing indicators drop out and the remaining weights are re-normalised; a country with
    none of the area's indicators (or an unknown production country, ``iso2`` None) gets
    ``params.no_data_country_risk`` and the ``no_data`` flag.
    """
    _check_area(area)
    iso3 = None
    if iso2:
        iso3 = iso2_to_iso3(iso2)
        if iso3 is None:
            raise ValueError(f"{iso2!r} is not an ISO 3166-1 alpha-2 country code.")
        iso2 = iso2.strip().upper()
    pairs = params.area_indicators[area]
    full_weight = sum(weight for _, weight in pairs)
    found = []
    missing = []
    for code, weight in pairs:
        raw, risk, label, edition = _indicator_value(code, iso3, reference)
        if raw is None or risk is None:
            missing.append((code, weight, label, edition))
        else:
            found.append((code, weight, raw, risk, label, edition))
    where = _country_label(iso2)
    steps: list[Step] = []
    present_weight = sum(weight for _, weight, *_ in found)
    if not found:
        for _code, weight, label, edition in missing:
            steps.append(
                Step("missing", f"{label}, {where}", None, edition, weight, None, "no value")
            )
        value = params.no_data_country_risk
        reason = "production country unknown" if not iso2 else "no indicator value"
        steps.append(
            Step(
                "country_risk",
                f"country risk, {AREA_NAMES[area]}, {where}",
                value,
                METHOD,
                None,
                value,
                f"{reason}: the method's default country risk is used (flagged)",
            )
        )
        return CountryRisk(area, iso2, value, False, True, tuple(steps))
    value = 0.0
    for _code, weight, raw, risk, label, edition in found:
        share = weight / present_weight
        contribution = share * risk
        value += contribution
        note = f"1 − {raw:g}/100 = {risk:.4f}"
        if missing:
            note += f"; weight {weight / full_weight:g} re-normalised to {share:.4g}"
        steps.append(
            Step("indicator", f"{label}, {where}", raw, edition, share, contribution, note)
        )
    for _code, weight, label, edition in missing:
        steps.append(
            Step(
                "missing",
                f"{label}, {where}",
                None,
                edition,
                0.0,
                None,
                f"no value: its weight {weight / full_weight:g} was spread over the others",
            )
        )
    note = "sum of contributions"
    if missing:
        note += "; weights re-normalised over the indicators present"
    steps.append(
        Step(
            "country_risk",
            f"country risk, {AREA_NAMES[area]}, {where}",
            value,
            METHOD,
            None,
            value,
            note,
        )
    )
    return CountryRisk(area, iso2, value, bool(missing), False, tuple(steps))


# ----------------------------------------------------------------------------------------------
# ILAB uplift


def _normalise(text: str) -> str:
    return " ".join((text or "").casefold().split())


def _base_name(good: str) -> str:
    """Return an ILAB good name without its bracketed note: "Bricks (clay)" → "bricks"."""
    return _normalise(re.sub(r"\s*\([^)]*\)", "", good))


@functools.lru_cache(maxsize=8)
def _name_index(goods: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Return ILAB good names by their normalised name and by their name without the note."""
    by_name: dict[str, list[str]] = {}
    for good in sorted(goods):
        for name in {_normalise(good), _base_name(good)}:
            by_name.setdefault(name, []).append(good)
    return {name: tuple(found) for name, found in by_name.items()}


def candidate_goods(
    product: str,
    goods: Iterable[str],
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> dict[str, str]:
    """Return the ILAB goods a product may be, as {good name: why it matched}.

    The product phrase and its last word (the head noun in English) are compared
    case-insensitively with the ILAB names (with and without their bracketed note) and with the
    synonym map; a Swedish compound matches a synonym it ends with ("undersökningshandskar").
    """
    phrase = _normalise(product)
    if not phrase:
        return {}
    terms = [phrase]
    head = phrase.split(" ")[-1]
    if head != phrase:
        terms.append(head)
    synonyms = {_normalise(key): value for key, value in params.product_synonyms.items()}
    for key in sorted(synonyms, key=len, reverse=True):
        if len(key) >= _MIN_COMPOUND_SUFFIX and head != key and head.endswith(key):
            terms.append(key)
            break
    by_name = _name_index(frozenset(goods))
    found: dict[str, str] = {}
    for term in terms:
        via = "" if term == phrase else f" → '{term}'"
        for good in sorted(by_name.get(term, ())):
            found.setdefault(good, f"'{product}'{via} matches the ILAB good '{good}'")
        for good in synonyms.get(term, ()):
            found.setdefault(good, f"'{product}'{via} → ILAB good '{good}' (synonym map)")
    return found


@dataclass(frozen=True)
class IlabMatch:
    """The ILAB listings of a product in one country and the uplift they give per area."""

    iso2: str | None
    product: str
    listings: tuple[IlabListing, ...]
    forced_labour: bool
    child_labour: bool
    uplift: Mapping[str, float]
    edition: str
    explanation: tuple[Step, ...]

    def for_area(self, area: str) -> float:
        """Return the uplift for an area (0 when none)."""
        return self.uplift.get(area, 0.0)


def ilab_match(
    product: str,
    iso2: str | None,
    ilab: IlabList,
    params: MethodParameters = DEFAULT_PARAMETERS,
    *,
    goods: Sequence[str] | None = None,
) -> IlabMatch:
    """Return the ILAB uplift of a product made in a country.

    ``goods`` names the ILAB goods explicitly (the secretariat's own mapping); otherwise they are
    found from the product words with ``candidate_goods``. Forced labour adds
    ``params.forced_labour_uplift`` and child labour ``params.child_labour_uplift`` per area,
    each at most once however many goods match; forced child labour counts as both. The sum is
    capped at 1.
    """
    wanted = _wanted_goods(product, ilab, params, goods)
    return _ilab_match(product, iso2, ilab, params, wanted)


def _wanted_goods(
    product: str, ilab: IlabList, params: MethodParameters, goods: Sequence[str] | None
) -> dict[str, str]:
    """Return {casefolded ILAB good: why it matched} for a product."""
    if goods is not None:
        found = {g: f"ILAB good '{g}' named for the product" for g in goods}
    else:
        found = candidate_goods(product, ilab.goods(), params)
    return {good.casefold(): reason for good, reason in found.items()}


def _ilab_match(
    product: str,
    iso2: str | None,
    ilab: IlabList,
    params: MethodParameters,
    wanted_keys: Mapping[str, str],
) -> IlabMatch:
    iso3 = iso2_to_iso3(iso2) if iso2 else None
    where = _country_label(iso2)
    steps: list[Step] = []
    matched: list[IlabListing] = []
    forced = child = False
    for listing in ilab.for_country(iso3) if iso3 else ():
        reason = wanted_keys.get(listing.good.casefold())
        if reason is None:
            continue
        matched.append(listing)
        flags = listing
        via = ""
        if listing.produced_with_listed_inputs:
            input_good = params.input_goods.get(listing.good.casefold())
            source = ilab.find(input_good, listing.input_country_iso3) if input_good else None
            if source is None:
                steps.append(
                    Step(
                        "ilab",
                        f"ILAB listing: {listing.good}, {where}",
                        "produced with listed inputs",
                        ilab.edition,
                        None,
                        0.0,
                        f"{reason}; input listing not resolved: no uplift, review by expert",
                    )
                )
                continue
            flags = source
        kinds = _labour_kinds(flags)
        if flags is not listing:
            via = (
                f"; produced with {flags.good} from {flags.country_name}, listed for "
                + ", ".join(kinds)
            )
        forced = forced or flags.forced_labor or flags.forced_child_labor
        child = child or flags.child_labor or flags.forced_child_labor
        steps.append(
            Step(
                "ilab",
                f"ILAB listing: {listing.good}, {where}",
                ", ".join(kinds),
                ilab.edition,
                None,
                None,
                reason + via,
            )
        )
    uplift = {}
    for area in AREAS:
        total = 0.0
        if forced:
            total += params.forced_labour_uplift.get(area, 0.0)
        if child:
            total += params.child_labour_uplift.get(area, 0.0)
        uplift[area] = min(1.0, total)
    if not matched:
        steps.append(
            Step(
                "ilab",
                f"ILAB listing for '{product}', {where}",
                "not listed",
                ilab.edition,
                None,
                0.0,
                "no listed good matches the product in this country: no uplift",
            )
        )
    return IlabMatch(
        iso2=iso2.strip().upper() if iso2 else None,
        product=product,
        listings=tuple(matched),
        forced_labour=forced,
        child_labour=child,
        uplift=MappingProxyType(uplift),
        edition=ilab.edition,
        explanation=tuple(steps),
    )


def _labour_kinds(listing: IlabListing) -> list[str]:
    kinds = []
    if listing.forced_labor:
        kinds.append("forced labour")
    if listing.child_labor:
        kinds.append("child labour")
    if listing.forced_child_labor:
        kinds.append("forced child labour")
    return kinds


def _uplift_steps(area: str, match: IlabMatch, params: MethodParameters) -> list[Step]:
    if not (params.forced_labour_uplift.get(area) or params.child_labour_uplift.get(area)):
        return []  # ILAB lists child and forced labour only: it cannot lift this area
    steps = list(match.explanation)
    parts = []
    if match.forced_labour and params.forced_labour_uplift.get(area):
        parts.append(f"forced labour +{params.forced_labour_uplift[area]:g}")
    if match.child_labour and params.child_labour_uplift.get(area):
        parts.append(f"child labour +{params.child_labour_uplift[area]:g}")
    if parts:
        steps.append(
            Step(
                "uplift",
                f"ILAB uplift, {AREA_NAMES[area]}",
                match.for_area(area),
                match.edition,
                None,
                match.for_area(area),
                " + ".join(parts) + " (sum capped at 1)",
            )
        )
    return steps


# ----------------------------------------------------------------------------------------------
# Likelihood


@dataclass(frozen=True)
class ExpertAdjustment:
    """An expert's new likelihood (1–5) with the written rationale that justifies it.

    ``country_iso2`` None replaces the category's likelihood; a country code replaces that
    country's likelihood (and so its row in the area risk table and its share of the mean).
    """

    likelihood: float
    rationale: str
    country_iso2: str | None = None
    author: str = ""

    def __post_init__(self) -> None:
        if not (self.rationale or "").strip():
            raise MissingRationaleError(
                "An expert adjustment of the likelihood needs a written rationale."
            )
        if isinstance(self.likelihood, bool) or not 1 <= self.likelihood <= 5:
            raise ValueError(f"An adjusted likelihood must lie in 1–5, not {self.likelihood!r}.")


@dataclass(frozen=True)
class Likelihood:
    """Likelihood (sannolikhet) 1–5 of an area for one country, or a category's spend mean."""

    area: str
    value: float  # the one used: the expert's if adjusted, else computed
    computed: float
    inherent: int
    iso2: str | None = None
    weight: float | None = None  # the country's spend share within the category
    country_risk: CountryRisk | None = None
    ilab: IlabMatch | None = None
    adjustment: ExpertAdjustment | None = None
    parts: tuple[Likelihood, ...] = ()
    explanation: tuple[Step, ...] = ()


def likelihood_value(
    country_risk_value: float,
    inherent: int,
    uplift: float = 0.0,
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> float:
    """Return L = 1 + 4 · clamp(α · country risk + (1 − α) · (inherent − 1)/4 + uplift, 0, 1)."""
    inherent_norm = (_check_score("inherent risk", inherent) - 1) / 4
    combined = params.alpha * country_risk_value + (1 - params.alpha) * inherent_norm + uplift
    return 1 + 4 * _clamp(combined)


def _adjustment_steps(computed: float, adjustment: ExpertAdjustment) -> list[Step]:
    by = f" by {adjustment.author}" if adjustment.author else ""
    return [
        Step("computed", "likelihood computed by the method", computed, METHOD, None, computed),
        Step(
            "adjustment",
            "likelihood set by expert judgement" + by,
            adjustment.likelihood,
            SECRETARIAT,
            None,
            adjustment.likelihood,
            f"replaces {computed:.4g}; rationale: {adjustment.rationale.strip()}",
        ),
    ]


def adjust_likelihood(
    result: Likelihood, *, value: float, rationale: str, author: str = ""
) -> Likelihood:
    """Return the likelihood replaced by an expert's value; the explanation keeps both."""
    adjustment = ExpertAdjustment(
        likelihood=value, rationale=rationale, country_iso2=result.iso2, author=author
    )
    return _adjusted(result, adjustment)


def _adjusted(result: Likelihood, adjustment: ExpertAdjustment) -> Likelihood:
    return replace(
        result,
        value=float(adjustment.likelihood),
        adjustment=adjustment,
        explanation=result.explanation + tuple(_adjustment_steps(result.computed, adjustment)),
    )


def country_likelihood(
    area: str,
    iso2: str | None,
    *,
    inherent: int,
    product: str,
    reference: ReferenceData,
    params: MethodParameters = DEFAULT_PARAMETERS,
    goods: Sequence[str] | None = None,
    adjustment: ExpertAdjustment | None = None,
) -> Likelihood:
    """Return the likelihood of an area for a product made in one country."""
    _check_area(area)
    _check_score("inherent risk", inherent)
    risk = country_risk(area, iso2, reference, params)
    match = ilab_match(product, iso2, reference.ilab, params, goods=goods)
    return _combine(area, risk, match, inherent, params, adjustment)


def _combine(
    area: str,
    risk: CountryRisk,
    match: IlabMatch,
    inherent: int,
    params: MethodParameters,
    adjustment: ExpertAdjustment | None,
) -> Likelihood:
    """Return the likelihood from a country risk, an ILAB match and the inherent risk."""
    _check_score("inherent risk", inherent)
    uplift = match.for_area(area)
    inherent_norm = (inherent - 1) / 4
    combined = params.alpha * risk.value + (1 - params.alpha) * inherent_norm + uplift
    computed = 1 + 4 * _clamp(combined)
    steps = list(risk.explanation)
    steps[-1] = Step(
        "country_risk",
        steps[-1].input,
        risk.value,
        steps[-1].source,
        params.alpha,
        params.alpha * risk.value,
        steps[-1].note + f"; weighted by α = {params.alpha:g}",
    )
    steps.append(
        Step(
            "inherent",
            f"inherent risk of the category, {AREA_NAMES[area]} (1–5)",
            inherent,
            SECRETARIAT,
            1 - params.alpha,
            (1 - params.alpha) * inherent_norm,
            f"normalised ({inherent} − 1)/4 = {inherent_norm:g}",
        )
    )
    steps.extend(_uplift_steps(area, match, params))
    clamp_note = "clamped to 0–1" if combined != _clamp(combined) else "within 0–1"
    steps.append(
        Step(
            "combined",
            "α · country risk + (1 − α) · inherent + uplift",
            _clamp(combined),
            METHOD,
            None,
            None,
            f"{combined:.4f}, {clamp_note}",
        )
    )
    steps.append(
        Step(
            "likelihood",
            f"likelihood (sannolikhet), {AREA_NAMES[area]}, {_country_label(risk.iso2)}",
            computed,
            METHOD,
            None,
            computed,
            "L = 1 + 4 × combined",
        )
    )
    result = Likelihood(
        area=area,
        value=computed,
        computed=computed,
        inherent=inherent,
        iso2=risk.iso2,
        country_risk=risk,
        ilab=match,
        explanation=tuple(steps),
    )
    return _adjusted(result, adjustment) if adjustment else result


def _merge_countries(
    countries: Iterable[tuple[str | None, float]],
) -> list[tuple[str | None, float]]:
    merged: dict[str | None, float] = {}
    for iso2, weight in countries:
        if weight < 0:
            raise ValueError(f"The spend weight of {iso2} must not be negative.")
        key = iso2.strip().upper() if iso2 else None
        merged[key] = merged.get(key, 0.0) + weight
    if not merged or sum(merged.values()) <= 0:
        raise ValueError("A category needs at least one production country with spend weight > 0.")
    return list(merged.items())


def category_likelihood(
    area: str,
    countries: Iterable[tuple[str | None, float]],
    *,
    inherent: int,
    product: str,
    reference: ReferenceData,
    params: MethodParameters = DEFAULT_PARAMETERS,
    goods: Sequence[str] | None = None,
    adjustments: Iterable[ExpertAdjustment] = (),
) -> Likelihood:
    """Return the spend-weighted mean likelihood of an area over the production countries.

    ``countries`` are (ISO2, spend weight) pairs; weights are any non-negative amounts (kronor or
    shares) and are normalised by their sum. A country-specific adjustment replaces that
    country's likelihood before the mean; a category-wide one (no country) replaces the mean.
    """
    _check_area(area)
    by_country: dict[str | None, ExpertAdjustment] = {}
    for adjustment in adjustments:
        key = adjustment.country_iso2.strip().upper() if adjustment.country_iso2 else None
        if key in by_country:
            raise ValueError(f"Two expert adjustments for {AREA_NAMES[area]}, {key or 'category'}.")
        by_country[key] = adjustment
    pairs = _merge_countries(countries)
    total = sum(weight for _, weight in pairs)
    parts = []
    steps: list[Step] = []
    computed = 0.0
    for iso2, weight in pairs:
        share = weight / total
        part = country_likelihood(
            area,
            iso2,
            inherent=inherent,
            product=product,
            reference=reference,
            params=params,
            goods=goods,
            adjustment=by_country.get(iso2) if iso2 else None,
        )
        part = replace(part, weight=share)
        parts.append(part)
        steps.extend(part.explanation)
        computed += share * part.value
        steps.append(
            Step(
                "country_share",
                f"{_country_label(iso2)}: share of the category's spend",
                part.value,
                METHOD,
                share,
                share * part.value,
                "likelihood × spend share",
            )
        )
    steps.append(
        Step(
            "likelihood",
            f"likelihood (sannolikhet), {AREA_NAMES[area]}, category",
            computed,
            METHOD,
            None,
            computed,
            "spend-weighted mean over the production countries"
            if len(parts) > 1
            else "one production country",
        )
    )
    result = Likelihood(
        area=area,
        value=computed,
        computed=computed,
        inherent=inherent,
        parts=tuple(parts),
        explanation=tuple(steps),
    )
    category_adjustment = by_country.get(None)
    return _adjusted(result, category_adjustment) if category_adjustment else result


# ----------------------------------------------------------------------------------------------
# Severity, risk, class


@dataclass(frozen=True)
class Severity:
    """Severity (allvarlighetsgrad) = mean of scale, scope and irremediability, each 1–5."""

    area: str
    scale: int
    scope: int
    irremediability: int
    value: float
    explanation: tuple[Step, ...]


def severity(area: str, *, scale: int, scope: int, irremediability: int) -> Severity:
    """Return the severity of an area: the mean of its three judgements."""
    _check_area(area)
    values = {
        "scale (omfattning)": _check_score("scale", scale),
        "scope (räckvidd)": _check_score("scope", scope),
        "irremediability (oåterkallelighet)": _check_score("irremediability", irremediability),
    }
    value = sum(values.values()) / 3
    steps = [
        Step("severity_part", f"{name}, {AREA_NAMES[area]}", v, SECRETARIAT, 1 / 3, v / 3)
        for name, v in values.items()
    ]
    steps.append(
        Step(
            "severity",
            f"severity (allvarlighetsgrad), {AREA_NAMES[area]}",
            value,
            METHOD,
            None,
            value,
            "mean of scale, scope and irremediability",
        )
    )
    return Severity(area, scale, scope, irremediability, value, tuple(steps))


def risk_score(likelihood: float, severity_value: float) -> float:
    """Return R = L × S (1–25)."""
    return likelihood * severity_value


def priority_class(risk: float, params: MethodParameters = DEFAULT_PARAMETERS) -> str:
    """Return "high" (R ≥ 15), "medium" (R ≥ 8) or "low" (prioriteringsklass)."""
    if risk >= params.high_threshold:
        return HIGH
    if risk >= params.medium_threshold:
        return MEDIUM
    return LOW


# ----------------------------------------------------------------------------------------------
# Leverage and prioritisation


@dataclass(frozen=True)
class ClauseCoverage:
    """Shares of the category's spend under the DD clause at each level; the rest has none."""

    avancerad: float = 0.0
    bas: float = 0.0

    def __post_init__(self) -> None:
        if self.avancerad < 0 or self.bas < 0 or self.avancerad + self.bas > 1 + 1e-9:
            raise ValueError("Clause shares must be ≥ 0 and sum to at most 1.")

    @property
    def none(self) -> float:
        """Return the share of spend without the clause."""
        return max(0.0, 1 - self.avancerad - self.bas)


@dataclass(frozen=True)
class Leverage:
    """Leverage (påverkansmöjlighet) 1–5 of the cooperation over a category's suppliers."""

    value: float
    spend_share: float
    buying_regions: int
    clause: ClauseCoverage
    explanation: tuple[Step, ...]


def leverage(
    *,
    spend_share: float,
    buying_regions: int,
    clause: ClauseCoverage,
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> Leverage:
    """Return leverage = 1 + 4 · (w_s · spend + w_r · regions + w_c · clause), each part in [0, 1].

    spend = min(1, national spend share / full share), regions = buying regions / 21,
    clause = avancerad share × 1 + bas share × 0.5.
    """
    if not 0 <= spend_share <= 1:
        raise ValueError("The national spend share must lie in [0, 1].")
    if isinstance(buying_regions, bool) or not 0 <= buying_regions <= params.total_regions:
        raise ValueError(f"Buying regions must be a count from 0 to {params.total_regions}.")
    spend_part = min(1.0, spend_share / params.leverage_full_spend_share)
    regions_part = buying_regions / params.total_regions
    clause_part = (
        params.clause_value_avancerad * clause.avancerad + params.clause_value_bas * clause.bas
    )
    parts: list[tuple[str, float | str, float, float, str]] = [
        (
            "national spend share of the category",
            spend_share,
            params.leverage_weight_spend,
            spend_part,
            f"min(1, {spend_share:g} / {params.leverage_full_spend_share:g}) = {spend_part:.4g}",
        ),
        (
            "buying regions",
            buying_regions,
            params.leverage_weight_regions,
            regions_part,
            f"{buying_regions} / {params.total_regions} = {regions_part:.4g}",
        ),
        (
            "clause level (avancerad / bas / none share of spend)",
            f"{clause.avancerad:g} / {clause.bas:g} / {clause.none:g}",
            params.leverage_weight_clause,
            clause_part,
            f"{params.clause_value_avancerad:g} × {clause.avancerad:g} + "
            f"{params.clause_value_bas:g} × {clause.bas:g} = {clause_part:.4g}",
        ),
    ]
    combined = sum(weight * part for _, _, weight, part, _ in parts)
    value = 1 + 4 * combined
    steps = [
        Step("leverage_part", name, raw, SECRETARIAT, weight, weight * part, note)
        for name, raw, weight, part, note in parts
    ]
    steps.append(
        Step(
            "leverage",
            "leverage (påverkansmöjlighet)",
            value,
            METHOD,
            None,
            value,
            f"1 + 4 × {combined:.4g}",
        )
    )
    return Leverage(value, spend_share, buying_regions, clause, tuple(steps))


def prioritisation_score(
    risk: float, leverage_value: float, params: MethodParameters = DEFAULT_PARAMETERS
) -> float:
    """Return P = R × (0.8 + 0.1 · leverage): leverage orders, it does not change the risk."""
    return risk * (params.prioritisation_base + params.prioritisation_per_leverage * leverage_value)


# ----------------------------------------------------------------------------------------------
# A category's assessment


@dataclass(frozen=True)
class AreaJudgement:
    """The secretariat's judgements for one area of a category."""

    inherent: int  # inherent risk of the category, 1–5
    scale: int
    scope: int
    irremediability: int
    adjustments: tuple[ExpertAdjustment, ...] = ()

    def __post_init__(self) -> None:
        for name in ("inherent", "scale", "scope", "irremediability"):
            _check_score(name, getattr(self, name))


@dataclass(frozen=True)
class CategoryInput:
    """A purchasing category (and product within it) to assess."""

    key: str
    product: str
    countries: tuple[tuple[str | None, float], ...]  # (ISO2, spend weight)
    areas: Mapping[str, AreaJudgement]
    name: str = ""
    ilab_goods: tuple[str, ...] | None = None  # explicit ILAB goods; else the synonym map
    spend_share: float | None = None  # of national spend in all categories
    buying_regions: int | None = None
    clause: ClauseCoverage | None = None

    def __post_init__(self) -> None:
        if set(self.areas) != set(AREAS):
            raise ValueError(f"Category {self.key} needs judgements for exactly {AREAS}.")


@dataclass(frozen=True)
class AreaRisk:
    """Risk (R = L × S) of one area of a category, with its class and prioritisation score."""

    area: str
    likelihood: Likelihood
    severity: Severity
    risk: float
    priority_class: str
    prioritisation: float | None
    explanation: tuple[Step, ...]


@dataclass(frozen=True)
class CategoryAssessment:
    """The four area risks of a category, its leverage and its prioritisation."""

    key: str
    product: str
    areas: Mapping[str, AreaRisk]
    leverage: Leverage | None
    priority_class: str  # the highest class of the four areas
    prioritisation: float | None  # the highest area prioritisation score


def _area_risk(
    area: str,
    likelihood: Likelihood,
    severity_result: Severity,
    leverage_result: Leverage | None,
    params: MethodParameters,
) -> AreaRisk:
    risk = risk_score(likelihood.value, severity_result.value)
    klass = priority_class(risk, params)
    steps = [
        *likelihood.explanation,
        *severity_result.explanation,
        Step(
            "risk",
            f"risk R, {AREA_NAMES[area]}",
            risk,
            METHOD,
            None,
            risk,
            f"L × S = {likelihood.value:.4g} × {severity_result.value:.4g}",
        ),
        Step(
            "class",
            f"priority class (prioriteringsklass), {AREA_NAMES[area]}",
            klass,
            METHOD,
            None,
            None,
            f"high ≥ {params.high_threshold:g}, medium ≥ {params.medium_threshold:g}",
        ),
    ]
    score = None
    if leverage_result is not None:
        score = prioritisation_score(risk, leverage_result.value, params)
        factor = (
            params.prioritisation_base + params.prioritisation_per_leverage * leverage_result.value
        )
        steps.extend(leverage_result.explanation)
        steps.append(
            Step(
                "prioritisation",
                f"prioritisation score P, {AREA_NAMES[area]}",
                score,
                METHOD,
                factor,
                score,
                f"R × ({params.prioritisation_base:g} + {params.prioritisation_per_leverage:g} × "
                f"{leverage_result.value:.4g})",
            )
        )
    return AreaRisk(area, likelihood, severity_result, risk, klass, score, tuple(steps))


def assess_category(
    category: CategoryInput,
    reference: ReferenceData,
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> CategoryAssessment:
    """Return the four area risks of a category over its production countries."""
    leverage_result = None
    if category.spend_share is not None and category.buying_regions is not None:
        leverage_result = leverage(
            spend_share=category.spend_share,
            buying_regions=category.buying_regions,
            clause=category.clause or ClauseCoverage(),
            params=params,
        )
    areas = {}
    for area in AREAS:
        judgement = category.areas[area]
        likelihood = category_likelihood(
            area,
            category.countries,
            inherent=judgement.inherent,
            product=category.product,
            reference=reference,
            params=params,
            goods=category.ilab_goods,
            adjustments=judgement.adjustments,
        )
        severity_result = severity(
            area,
            scale=judgement.scale,
            scope=judgement.scope,
            irremediability=judgement.irremediability,
        )
        areas[area] = _area_risk(area, likelihood, severity_result, leverage_result, params)
    order = {LOW: 0, MEDIUM: 1, HIGH: 2}
    return CategoryAssessment(
        key=category.key,
        product=category.product,
        areas=MappingProxyType(areas),
        leverage=leverage_result,
        priority_class=max((a.priority_class for a in areas.values()), key=order.__getitem__),
        prioritisation=None
        if leverage_result is None
        else max(a.prioritisation or 0.0 for a in areas.values()),
    )


# ----------------------------------------------------------------------------------------------
# For the screening engine


AREA_RISK_COLUMNS = ("category_key", "country_iso2", "hr", "wr", "env", "be")


@dataclass(frozen=True)
class AreaRiskRow:
    """Area risks R (1–25) of a category's product made in one country."""

    category_key: str
    country_iso2: str | None
    hr: float
    wr: float
    env: float
    be: float

    @property
    def risks(self) -> dict[str, float]:
        """Return the four risks keyed by area."""
        return {area: getattr(self, area) for area in AREAS}


def area_risk_table(
    categories: Iterable[CategoryInput],
    countries: Iterable[str | None] | None = None,
    *,
    reference: ReferenceData,
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> list[AreaRiskRow]:
    """Return one row of area risks per category and country, for the screening to join spend to.

    ``countries`` (ISO2) are the countries to score every category for, e.g. all production
    countries seen in spend; by default each category's own production countries. None in it
    gives the row for an unknown country (country risk: the no-data default), which the
    screening can use as the category's default row. Each row uses
    that country's likelihood (with a country-specific expert adjustment, if any); a category-wide
    adjustment applies to the category's mean only, not to the per-country rows.
    """
    wanted = None if countries is None else list(dict.fromkeys(countries))
    risks_by_country: dict[tuple[str, str | None], CountryRisk] = {}
    rows = []
    for category in categories:
        goods = _wanted_goods(category.product, reference.ilab, params, category.ilab_goods)
        severities = {
            area: severity(
                area,
                scale=judgement.scale,
                scope=judgement.scope,
                irremediability=judgement.irremediability,
            ).value
            for area, judgement in category.areas.items()
        }
        codes = wanted if wanted is not None else [iso2 for iso2, _ in category.countries]
        for iso2 in dict.fromkeys(code.strip().upper() if code else None for code in codes):
            match = _ilab_match(category.product, iso2, reference.ilab, params, goods)
            risks = {}
            for area in AREAS:
                judgement = category.areas[area]
                if (area, iso2) not in risks_by_country:
                    risks_by_country[(area, iso2)] = country_risk(area, iso2, reference, params)
                adjustment = next(
                    (
                        a
                        for a in judgement.adjustments
                        if a.country_iso2 and iso2 and a.country_iso2.strip().upper() == iso2
                    ),
                    None,
                )
                likelihood = _combine(
                    area,
                    risks_by_country[(area, iso2)],
                    match,
                    judgement.inherent,
                    params,
                    adjustment,
                )
                risks[area] = risk_score(likelihood.value, severities[area])
            rows.append(AreaRiskRow(category.key, iso2, **risks))
    return rows


def area_risk_columns(
    rows: Iterable[AreaRiskRow],
    *,
    country_column: str = "country_iso2",
    unknown_country: str | None = None,
) -> dict[str, list[Any]]:
    """Return rows as columns, ready for ``pyarrow.table(...)`` and a DuckDB join.

    ``country_column`` renames the country column and ``unknown_country`` replaces the None of
    the unknown-country row: the screening engine wants ``country`` with "" as the category's
    default row, i.e. ``area_risk_columns(rows, country_column="country", unknown_country="")``.
    """
    names = [country_column if n == "country_iso2" else n for n in AREA_RISK_COLUMNS]
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for row in rows:
        for name, source in zip(names, AREA_RISK_COLUMNS, strict=True):
            value = getattr(row, source)
            if source == "country_iso2" and value is None:
                value = unknown_country
            columns[name].append(value)
    return columns


@dataclass(frozen=True)
class Exposure:
    """Risk-weighted spend: spend × R / 25, per area and for the highest area."""

    spend_sek: float
    total: float
    per_area: Mapping[str, float]
    explanation: tuple[Step, ...]


def exposure(spend_sek: float, area_risks: Mapping[str, float] | AreaRiskRow) -> Exposure:
    """Return exposure = spend × max(R_area) / 25, with each area's spend × R_area / 25.

    An area risk of 25 exposes all of the spend, one of 1 exposes 4 % of it. The total uses the
    highest area (not the sum) so that spend is never counted more than once.
    """
    risks = area_risks.risks if isinstance(area_risks, AreaRiskRow) else dict(area_risks)
    unknown = set(risks) - set(AREAS)
    if unknown or not risks:
        raise ValueError(f"Area risks must be keyed by {AREAS}, got {sorted(risks)}.")
    for area, value in risks.items():
        if not 0 <= value <= 25:
            raise ValueError(f"The risk of {area} must lie in 0–25, not {value!r}.")
    per_area = {area: spend_sek * risks[area] / 25 for area in AREAS if area in risks}
    top = max(risks, key=lambda area: (risks[area], -AREAS.index(area)))
    total = spend_sek * risks[top] / 25
    steps = [
        Step(
            "exposure_area",
            f"exposure, {AREA_NAMES[area]}",
            per_area[area],
            METHOD,
            risks[area] / 25,
            per_area[area],
            f"{spend_sek:g} kr × {risks[area]:.4g} / 25",
        )
        for area in per_area
    ]
    steps.append(
        Step(
            "exposure",
            "exposure (highest area)",
            total,
            METHOD,
            risks[top] / 25,
            total,
            f"spend × max R / 25; highest area: {AREA_NAMES[top]}",
        )
    )
    return Exposure(spend_sek, total, MappingProxyType(per_area), tuple(steps))
