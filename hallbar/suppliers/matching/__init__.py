"""Supplier identity matching: identifiers, name normalisation and the matching engine.

Pure Python on python-stdnum and rapidfuzz; nothing here imports Django, so the engine runs
in the benchmark, in bulk imports and in the web layer alike.
"""

from .engine import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    Clustering,
    Decision,
    Matcher,
    MatchResult,
    ReviewPair,
    SupplierRecord,
    build_clusters,
    clear_caches,
    cluster_records,
    match_records,
    name_score,
)
from .identifiers import (
    ORG_NUMBER_INVALID_CHECKSUM,
    ORG_NUMBER_INVALID_FORMAT,
    VAT_INVALID_CHECKSUM,
    VAT_INVALID_FORMAT,
    VAT_MISSING_COUNTRY,
    VAT_ORG_NUMBER_MISMATCH,
    InvalidIdentifier,
    check_identifiers,
    format_org_number,
    identity_keys,
    key_namespace,
    normalise_org_number,
    normalise_vat,
    org_number_to_vat,
    vat_to_org_number,
)
from .names import normalise_name, split_legal_form

__all__ = [
    "DEFAULT_AUTO_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "ORG_NUMBER_INVALID_CHECKSUM",
    "ORG_NUMBER_INVALID_FORMAT",
    "VAT_INVALID_CHECKSUM",
    "VAT_INVALID_FORMAT",
    "VAT_MISSING_COUNTRY",
    "VAT_ORG_NUMBER_MISMATCH",
    "Clustering",
    "Decision",
    "InvalidIdentifier",
    "MatchResult",
    "Matcher",
    "ReviewPair",
    "SupplierRecord",
    "build_clusters",
    "check_identifiers",
    "clear_caches",
    "cluster_records",
    "format_org_number",
    "identity_keys",
    "key_namespace",
    "match_records",
    "name_score",
    "normalise_name",
    "normalise_org_number",
    "normalise_vat",
    "org_number_to_vat",
    "split_legal_form",
    "vat_to_org_number",
]
