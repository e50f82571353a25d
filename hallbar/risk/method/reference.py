"""Read the shipped country reference files into plain frozen dataclasses.

Files live in ``referencedata/`` (see ``referencedata/SOURCES.md``):

* ``wgi_2023.csv`` and ``wgi_1996_2023_long.csv``: World Bank Worldwide Governance Indicators,
  2024 update (data to 2023), CC BY 4.0;
* ``ti_cpi_2012_2024.csv``: Transparency International Corruption Perceptions Index 2024 time
  series, CC BY-ND 4.0. The file is read as shipped and every derived number stays in memory:
  never write an edited, filtered or re-scaled copy of it;
* ``ilab_goods_child_forced_labor_2022.csv``: US Department of Labor ILAB List of Goods Produced
  by Child Labor or Forced Labor, 2022 edition, public domain.

Every table carries its edition label so that each score can say where its numbers came from.
Products in the platform name countries by ISO 3166-1 alpha-2 and the files by alpha-3:
``iso2_to_iso3`` and ``iso3_to_iso2`` translate with pycountry.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pycountry

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "referencedata"

WGI_LATEST_FILE = "wgi_2023.csv"
WGI_HISTORY_FILE = "wgi_1996_2023_long.csv"
CPI_FILE = "ti_cpi_2012_2024.csv"
ILAB_FILE = "ilab_goods_child_forced_labor_2022.csv"

WGI_RELEASE = "WGI 2024 update"
WGI_LATEST_YEAR = 2023
WGI_FIRST_YEAR = 1996
CPI_RELEASE_YEAR = 2024
CPI_FIRST_YEAR = 2012
ILAB_EDITION = "ILAB 2022"

WGI_INDICATORS: Mapping[str, str] = MappingProxyType(
    {
        "va": "Voice and Accountability",
        "pv": "Political Stability and Absence of Violence/Terrorism",
        "ge": "Government Effectiveness",
        "rq": "Regulatory Quality",
        "rl": "Rule of Law",
        "cc": "Control of Corruption",
    }
)
# Column stems of the wide 2023 file, per indicator code.
_WIDE_COLUMNS = {
    "va": "voice_accountability",
    "pv": "political_stability",
    "ge": "government_effectiveness",
    "rq": "regulatory_quality",
    "rl": "rule_of_law",
    "cc": "control_of_corruption",
}
# Kosovo has no ISO 3166-1 code. XK is the code the EU and most registries use for it; the WGI
# publishes it as KSV (with an empty ISO3 column) and so does TI. Nothing else is added.
_EXTRA_ISO2_TO_ISO3 = {"XK": "KSV"}
_EXTRA_ISO3_TO_ISO2 = {iso3: iso2 for iso2, iso3 in _EXTRA_ISO2_TO_ISO3.items()}


def wgi_edition(year: int = WGI_LATEST_YEAR) -> str:
    """Return the label of the WGI edition for one data year, e.g. "WGI 2024 update (data 2023)"."""
    return f"{WGI_RELEASE} (data {year})"


def cpi_edition(year: int = CPI_RELEASE_YEAR) -> str:
    """Return the label of a CPI score year: "CPI 2024", or older years from the 2024 series."""
    if year == CPI_RELEASE_YEAR:
        return f"CPI {year}"
    return f"CPI {year} (CPI {CPI_RELEASE_YEAR} time series)"


def edition_labels(
    *, wgi_year: int | None = None, cpi_year: int = CPI_RELEASE_YEAR
) -> dict[str, str]:
    """Return the edition label of every source the method reads, keyed wgi, wgi_history, cpi, ilab."""
    return {
        "wgi": wgi_edition(wgi_year or WGI_LATEST_YEAR),
        "wgi_history": f"{WGI_RELEASE} (data {WGI_FIRST_YEAR}–{WGI_LATEST_YEAR})",
        "cpi": cpi_edition(cpi_year),
        "ilab": ILAB_EDITION,
    }


# ----------------------------------------------------------------------------------------------
# Country codes


def iso2_to_iso3(code: str) -> str | None:
    """Return the ISO 3166-1 alpha-3 code for an alpha-2 code, or None if it is not one."""
    code = (code or "").strip().upper()
    if code in _EXTRA_ISO2_TO_ISO3:
        return _EXTRA_ISO2_TO_ISO3[code]
    if len(code) != 2:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def iso3_to_iso2(code: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for an alpha-3 code, or None if it is not one."""
    code = (code or "").strip().upper()
    if code in _EXTRA_ISO3_TO_ISO2:
        return _EXTRA_ISO3_TO_ISO2[code]
    if len(code) != 3:
        return None
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country else None


def country_name(iso2: str) -> str:
    """Return the English short name of a country from its alpha-2 code (the code if unknown)."""
    code = (iso2 or "").strip().upper()
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return country.name if country else code


# ----------------------------------------------------------------------------------------------
# Dataclasses


@dataclass(frozen=True)
class WgiValue:
    """One WGI indicator for one economy and year."""

    iso3: str
    indicator: str
    year: int
    estimate: float | None  # about -2.5 (weak) to +2.5 (strong)
    percentile_rank: float | None  # 0-100, 100 = best


@dataclass(frozen=True)
class WgiTable:
    """The six WGI indicators of every economy for one year."""

    year: int
    edition: str
    values: Mapping[tuple[str, str], WgiValue]
    names: Mapping[str, str]

    def get(self, iso3: str, indicator: str) -> WgiValue | None:
        """Return the value of an indicator (va, pv, ge, rq, rl, cc) for an economy."""
        return self.values.get((iso3, indicator))

    def economies(self) -> frozenset[str]:
        """Return the codes of the economies in the table."""
        return frozenset(self.names)


@dataclass(frozen=True)
class WgiPoint:
    """One year of an indicator's history, with its uncertainty."""

    year: int
    estimate: float | None
    std_error: float | None
    n_sources: int | None
    percentile_rank: float | None
    percentile_rank_lower: float | None
    percentile_rank_upper: float | None


@dataclass(frozen=True)
class WgiHistory:
    """All WGI years of every economy and indicator, for trend display."""

    edition: str
    series: Mapping[tuple[str, str], tuple[WgiPoint, ...]]

    def trend(self, iso3: str, indicator: str) -> tuple[WgiPoint, ...]:
        """Return the points of one indicator for one economy, oldest first."""
        return self.series.get((iso3, indicator), ())


@dataclass(frozen=True)
class CpiScore:
    """A CPI score (0 = highly corrupt, 100 = very clean) for a country and year."""

    iso3: str
    country_name: str
    year: int
    score: int


@dataclass(frozen=True)
class CpiTable:
    """CPI scores of one year, read in memory from the unmodified TI file."""

    year: int
    edition: str
    scores: Mapping[str, CpiScore]

    def get(self, iso3: str) -> CpiScore | None:
        """Return the score of a country, or None if TI gives none for the year."""
        return self.scores.get(iso3)


@dataclass(frozen=True)
class IlabListing:
    """One good × country pair on the ILAB list."""

    good: str
    sector: str
    country_name: str
    iso3: str
    child_labor: bool
    forced_labor: bool
    forced_child_labor: bool
    produced_with_listed_inputs: bool = False
    input_country_iso3: str = ""


@dataclass(frozen=True)
class IlabList:
    """The ILAB List of Goods Produced by Child Labor or Forced Labor."""

    edition: str
    listings: tuple[IlabListing, ...]

    def goods(self) -> frozenset[str]:
        """Return the distinct good names as ILAB spells them."""
        return self._goods

    def for_country(self, iso3: str) -> tuple[IlabListing, ...]:
        """Return the listings of one country or area."""
        return self._by_country.get(iso3, ())

    @functools.cached_property
    def _goods(self) -> frozenset[str]:
        return frozenset(listing.good for listing in self.listings)

    @functools.cached_property
    def _by_country(self) -> Mapping[str, tuple[IlabListing, ...]]:
        by_country: dict[str, list[IlabListing]] = {}
        for listing in self.listings:
            by_country.setdefault(listing.iso3, []).append(listing)
        return MappingProxyType({iso3: tuple(found) for iso3, found in by_country.items()})

    def find(self, good: str, iso3: str) -> IlabListing | None:
        """Return the listing of a good (case-insensitive) for a country, if listed."""
        wanted = good.casefold()
        for listing in self.listings:
            if listing.iso3 == iso3 and listing.good.casefold() == wanted:
                return listing
        return None


@dataclass(frozen=True)
class ReferenceData:
    """The three sources the method reads, for one WGI year and one CPI year."""

    wgi: WgiTable
    cpi: CpiTable
    ilab: IlabList

    def editions(self) -> dict[str, str]:
        """Return the edition label of each source in use."""
        return {"wgi": self.wgi.edition, "cpi": self.cpi.edition, "ilab": self.ilab.edition}


# ----------------------------------------------------------------------------------------------
# Readers


def _float(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _int(text: str) -> int | None:
    value = _float(text)
    return None if value is None else int(value)


def _bool(text: str) -> bool:
    return (text or "").strip().lower() == "true"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _economy(row: dict[str, str]) -> str:
    # Kosovo and the former Netherlands Antilles have no ISO3 code; keep the World Bank code.
    return (row["iso3"] or row["wgi_code"]).strip()


@functools.lru_cache(maxsize=16)
def load_wgi(year: int | None = None, *, directory: Path = REFERENCE_DIR) -> WgiTable:
    """Return the WGI estimates and percentile ranks for one year (default: the latest, 2023)."""
    year = year or WGI_LATEST_YEAR
    values: dict[tuple[str, str], WgiValue] = {}
    names: dict[str, str] = {}
    if year == WGI_LATEST_YEAR:
        for row in _rows(directory / WGI_LATEST_FILE):
            iso3 = _economy(row)
            names[iso3] = row["country_name"]
            for code, stem in _WIDE_COLUMNS.items():
                values[(iso3, code)] = WgiValue(
                    iso3=iso3,
                    indicator=code,
                    year=year,
                    estimate=_float(row[f"{stem}_estimate"]),
                    percentile_rank=_float(row[f"{stem}_pctrank"]),
                )
    else:
        for row in _rows(directory / WGI_HISTORY_FILE):
            if int(row["year"]) != year:
                continue
            iso3 = _economy(row)
            names[iso3] = row["country_name"]
            values[(iso3, row["indicator"])] = WgiValue(
                iso3=iso3,
                indicator=row["indicator"],
                year=year,
                estimate=_float(row["estimate"]),
                percentile_rank=_float(row["percentile_rank"]),
            )
        if not values:
            raise ValueError(f"The WGI file has no data for {year}.")
    return WgiTable(
        year=year,
        edition=wgi_edition(year),
        values=MappingProxyType(values),
        names=MappingProxyType(names),
    )


@functools.lru_cache(maxsize=4)
def load_wgi_history(*, directory: Path = REFERENCE_DIR) -> WgiHistory:
    """Return every year of every WGI indicator (1996–2023), oldest first per series."""
    series: dict[tuple[str, str], list[WgiPoint]] = {}
    for row in _rows(directory / WGI_HISTORY_FILE):
        series.setdefault((_economy(row), row["indicator"]), []).append(
            WgiPoint(
                year=int(row["year"]),
                estimate=_float(row["estimate"]),
                std_error=_float(row["std_error"]),
                n_sources=_int(row["n_sources"]),
                percentile_rank=_float(row["percentile_rank"]),
                percentile_rank_lower=_float(row["percentile_rank_lower"]),
                percentile_rank_upper=_float(row["percentile_rank_upper"]),
            )
        )
    return WgiHistory(
        edition=edition_labels()["wgi_history"],
        series=MappingProxyType(
            {key: tuple(sorted(points, key=lambda p: p.year)) for key, points in series.items()}
        ),
    )


@functools.lru_cache(maxsize=16)
def load_cpi(year: int = CPI_RELEASE_YEAR, *, directory: Path = REFERENCE_DIR) -> CpiTable:
    """Return the CPI scores of one year (default 2024), computed in memory from the TI file."""
    if not CPI_FIRST_YEAR <= year <= CPI_RELEASE_YEAR:
        raise ValueError(f"The CPI file covers {CPI_FIRST_YEAR}–{CPI_RELEASE_YEAR}, not {year}.")
    rows = _rows(directory / CPI_FILE)
    # TI spells the column "CPI score 2024" but "CPI Score 2013": match it case-insensitively.
    wanted = f"cpi score {year}"
    column = next(name for name in rows[0] if name.strip().casefold() == wanted)
    scores = {}
    for row in rows:
        score = _int(row[column])
        if score is None:
            continue
        iso3 = row["ISO3"].strip()
        scores[iso3] = CpiScore(
            iso3=iso3, country_name=row["Country / Territory"], year=year, score=score
        )
    return CpiTable(year=year, edition=cpi_edition(year), scores=MappingProxyType(scores))


@functools.lru_cache(maxsize=4)
def load_ilab(*, directory: Path = REFERENCE_DIR) -> IlabList:
    """Return every listing of the ILAB 2022 list."""
    listings = tuple(
        IlabListing(
            good=row["good"].strip(),
            sector=row["sector"],
            country_name=row["country_name"],
            iso3=row["iso3"].strip(),
            child_labor=_bool(row["child_labor"]),
            forced_labor=_bool(row["forced_labor"]),
            forced_child_labor=_bool(row["forced_child_labor"]),
            produced_with_listed_inputs=_bool(row["produced_with_listed_inputs"]),
            input_country_iso3=row["input_country_iso3"].strip(),
        )
        for row in _rows(directory / ILAB_FILE)
    )
    return IlabList(edition=ILAB_EDITION, listings=listings)


def load_reference(
    *,
    wgi_year: int | None = None,
    cpi_year: int = CPI_RELEASE_YEAR,
    directory: Path = REFERENCE_DIR,
) -> ReferenceData:
    """Return the WGI, CPI and ILAB tables the method reads (defaults: WGI 2023, CPI 2024)."""
    return ReferenceData(
        wgi=load_wgi(wgi_year, directory=directory),
        cpi=load_cpi(cpi_year, directory=directory),
        ilab=load_ilab(directory=directory),
    )
