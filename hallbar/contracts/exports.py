"""Contract exports: CSV and XLSX in the import template's columns (so they re-import), and OCDS.

CSV and XLSX have the template's headers and words (status, clause level) in the language of
the export, and go through `hallbar.core.exports` (semicolons and decimal commas in Swedish).
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.db.models import QuerySet

from hallbar.categories.models import CpvCode
from hallbar.contracts.imports import (
    COLUMNS,
    LEVEL_FILE_WORDS,
    LEVEL_WORDS_BY_LANGUAGE,
    STATUS_FILE_WORDS,
    file_language,
    headers,
)
from hallbar.contracts.models import Contract
from hallbar.contracts.ocds import BuyerRef, ContractRecord, SupplierRef, build_release_package
from hallbar.core.exports import write_table

PUBLISHER = "Hållbar upphandling i Sveriges regioner (hallbar)"


def _prefetched(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.select_related(
        "lead_region__organisation", "supplier", "category", "cpv", "clause"
    ).prefetch_related("regions", "category__cpv_codes")


def _cpv(contract: Contract) -> str:
    """Return the contract's CPV code, or else the first CPV code of its category."""
    if contract.cpv:
        return contract.cpv.full_code
    codes = sorted(contract.category.cpv_codes.all(), key=lambda c: c.code)
    return codes[0].full_code if codes else ""


def export_rows(contracts: QuerySet[Contract], language: str | None = None) -> Iterator[list]:
    """Yield one row per contract in the import template's column order, words in language."""
    lang = file_language(language)
    statuses, levels = STATUS_FILE_WORDS[lang], LEVEL_WORDS_BY_LANGUAGE[lang]
    for c in _prefetched(contracts).iterator(chunk_size=2000):
        others = [r.county_code for r in sorted(c.regions.all(), key=lambda r: r.county_code)]
        values = {
            "reference": c.reference,
            "title": c.title,
            "supplier_name": c.supplier.name,
            "supplier_country": c.supplier.country,
            "category": c.category.slug,
            "annual_value_sek": c.annual_value_sek,
            "start_date": c.start_date,
            "status": statuses.get(c.status, c.status),
            "buying_regions": ";".join(others),
            "supplier_org_number": c.supplier.identifier if c.supplier.org_number else "",
            "supplier_vat_number": c.supplier.vat_number,
            "supplier_other_id": c.supplier.other_id,
            "cpv_code": c.cpv.full_code if c.cpv else "",
            "end_date": c.end_date,
            "clause_version": c.clause.version if c.clause else "",
            "clause_level": levels[c.clause_level],
            "needs_assessment": c.needs_assessment,
            "dd_contact_name": c.dd_contact_name,
            "dd_contact_email": c.dd_contact_email,
            "production_countries": ";".join(c.production_countries),
        }
        yield [values[column] for column in COLUMNS]


def write_contracts_csv(target, contracts: QuerySet[Contract], language: str | None = None) -> None:
    lang = file_language(language)
    write_table(
        target, headers(lang), export_rows(contracts, lang), file_format="csv", language=lang
    )


def write_contracts_xlsx(
    target, contracts: QuerySet[Contract], language: str | None = None
) -> None:
    lang = file_language(language)
    write_table(
        target,
        headers(lang),
        export_rows(contracts, lang),
        file_format="xlsx",
        sheet_title="Avtal" if lang == "sv" else "Contracts",
    )


def contract_records(contracts: QuerySet[Contract]) -> Iterable[ContractRecord]:
    for c in _prefetched(contracts).iterator(chunk_size=2000):
        lead = c.lead_region
        buyers = [BuyerRef(code=lead.county_code, name=lead.name)] + [
            BuyerRef(code=r.county_code, name=r.name)
            for r in sorted(c.regions.all(), key=lambda r: r.county_code)
            if r.pk != lead.pk
        ]
        yield ContractRecord(
            reference=c.reference,
            title=c.title,
            buyers=buyers,
            supplier=SupplierRef(
                name=c.supplier.name,
                org_number=c.supplier.org_number,
                vat_number=c.supplier.vat_number,
                country=c.supplier.country,
            ),
            category=c.category.slug,
            cpv_code=_cpv(c),
            annual_value_sek=c.annual_value_sek,
            start_date=c.start_date,
            end_date=c.end_date,
            status=c.status,
            clause_version=str(c.clause.version) if c.clause else "",
            clause_level=LEVEL_FILE_WORDS[c.clause_level],
            production_countries=list(c.production_countries),
            public_id=str(c.public_id),
            updated_at=c.updated_at,
        )


def ocds_package(
    contracts: QuerySet[Contract], *, uri: str = "https://hallbar.invalid/api/contracts/ocds"
) -> dict:
    """Return the contracts as an OCDS 1.1 release package."""
    descriptions = dict(
        CpvCode.objects.filter(categories__isnull=False).values_list("code", "label_en")
    ) | dict(
        CpvCode.objects.filter(code__in=contracts.exclude(cpv=None).values("cpv_id")).values_list(
            "code", "label_en"
        )
    )
    return build_release_package(
        contract_records(contracts),
        publisher_name=PUBLISHER,
        published_date=datetime.now(UTC),
        uri=uri,
        cpv_descriptions=descriptions,
    )
