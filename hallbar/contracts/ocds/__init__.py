"""OCDS 1.1 release packages of contracts, on plain dataclasses (no Django models).

The contracts app maps its models to ``ContractRecord`` and back; this package builds, validates
(offline, with libcoveocds and the schema ZIP in ``referencedata/ocds/``) and parses packages.
"""

from hallbar.contracts.ocds.export import build_release_package, validate_release_package
from hallbar.contracts.ocds.parse import Issue, parse_release_package
from hallbar.contracts.ocds.records import BuyerRef, ContractRecord, SupplierRef

__all__ = [
    "BuyerRef",
    "ContractRecord",
    "Issue",
    "SupplierRef",
    "build_release_package",
    "parse_release_package",
    "validate_release_package",
]
