"""Plain records exchanged with OCDS release packages.

These dataclasses know nothing about Django models: the contracts app maps its models to and from
them, so the OCDS code can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

#: Contract statuses of the platform, in their lifecycle order.
CONTRACT_STATUSES = ("planned", "active", "expired", "terminated", "cancelled")

#: County codes (länskod) of the 21 regions; 02, 11, 15 and 16 were merged away.
COUNTY_CODES = frozenset(
    ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13")
    + ("14", "17", "18", "19", "20", "21", "22", "23", "24", "25")
)

#: Levels of the contract clause "Tillbörlig aktsamhet för hållbara leveranskedjor"; "" = none.
CLAUSE_LEVELS = ("bas", "avancerad", "")


@dataclass(frozen=True)
class BuyerRef:
    """A buying region.

    ``code`` is the county code (länskod, "01".."25"). ``org_number`` is the region's Swedish
    organisation number, if known; it is published as the party's SE-BLV identifier.
    """

    code: str
    name: str
    org_number: str = ""


@dataclass(frozen=True)
class SupplierRef:
    """The supplier of a contract; ``country`` is an ISO 3166-1 alpha-2 code."""

    name: str
    org_number: str = ""
    vat_number: str = ""
    country: str = "SE"


@dataclass
class ContractRecord:
    """A region's contract (avtal), as exported to and imported from OCDS.

    ``reference`` is the region's own contract id, unique per lead buyer. ``buyers`` lists every
    buying region of a joint procurement; the first is the lead buyer and procuring entity.
    ``cpv_code`` is "33141420-0" or 8 digits; parsing returns the 8 digits only, as OCDS
    publishes CPV codes without the check digit.
    """

    reference: str
    title: str
    buyers: list[BuyerRef]
    supplier: SupplierRef
    category: str
    cpv_code: str
    annual_value_sek: Decimal
    start_date: date
    end_date: date | None
    status: str
    clause_version: str = ""
    clause_level: str = ""
    production_countries: list[str] = field(default_factory=list)
    public_id: str = ""
    updated_at: datetime | None = None

    @property
    def lead_buyer(self) -> BuyerRef:
        """Return the lead buyer (the procuring entity)."""
        return self.buyers[0]
