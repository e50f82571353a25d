"""Writes for suppliers: create and edit, resolve against the registry, review, merge and undo."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.core.history import HistoryBatch, diff_fields, record_change, record_changes
from hallbar.organisations.models import Region, User
from hallbar.suppliers import access, merging
from hallbar.suppliers.matching import (
    InvalidIdentifier,
    Matcher,
    SupplierRecord,
    check_identifiers,
    normalise_name,
)
from hallbar.suppliers.matching import identifiers as ids
from hallbar.suppliers.models import (
    MatchReview,
    ProductionSite,
    Supplier,
    SupplierMerge,
    SupplierName,
    UnmatchedSpend,
)

NOT_ALLOWED = _("You may not make this change.")
# The matching engine's messages, translatable.
IDENTIFIER_MESSAGES = {
    ids.ORG_NUMBER_INVALID_FORMAT: _(
        "Enter the organisation number as 10 digits, for example 556677-8899."
    ),
    ids.ORG_NUMBER_INVALID_CHECKSUM: _(
        "The organisation number's check digit is wrong. Check it for a typing error."
    ),
    ids.VAT_INVALID_FORMAT: _("The VAT number has the wrong length or format for its country."),
    ids.VAT_INVALID_CHECKSUM: _(
        "The VAT number's check digit is wrong. Check it for a typing error."
    ),
    ids.VAT_MISSING_COUNTRY: _(
        "Start the VAT number with its country code, for example SE556677889901."
    ),
    ids.VAT_ORG_NUMBER_MISMATCH: _(
        "The Swedish VAT number does not belong to the organisation number."
    ),
}
DUPLICATE_ORG_NUMBER = _("Another supplier, %(name)s, already has this organisation number.")
DUPLICATE_VAT = _("Another supplier, %(name)s, already has this VAT number.")
SUPPLIER_FIELDS = [
    "name",
    "country",
    "org_number",
    "vat_number",
    "other_id",
    "city",
    "dd_contact_name",
    "dd_contact_email",
    "dd_contact_phone",
]


SPEND_ALREADY_RESOLVED = _("This spend has already been matched to a supplier.")
SPEND_MERGED_SUPPLIER = _("Choose a current supplier: this one has been merged into another.")


def identifier_message(error: InvalidIdentifier):
    return IDENTIFIER_MESSAGES.get(error.message, error.message)


def clean_identifiers(*, country: str, org_number: str, vat_number: str) -> tuple[str, str]:
    """Return the normalised (org number, VAT); raise ValidationError naming the field."""
    country = (country or "").upper()
    try:
        org = ids.normalise_org_number(org_number, "SE") if org_number and country == "SE" else ""
    except InvalidIdentifier as error:
        raise ValidationError({"org_number": identifier_message(error)}) from None
    try:
        org, vat = check_identifiers(org, vat_number or "", country)
    except InvalidIdentifier as error:
        field = "vat_number" if error.message != ids.ORG_NUMBER_INVALID_FORMAT else "org_number"
        raise ValidationError({field: identifier_message(error)}) from None
    return org, vat


def _check_unique(supplier: Supplier) -> None:
    others = Supplier.objects.current().exclude(pk=supplier.pk)
    if supplier.org_number and (other := others.filter(org_number=supplier.org_number).first()):
        raise ValidationError({"org_number": DUPLICATE_ORG_NUMBER % {"name": other.name}})
    if supplier.vat_number and (other := others.filter(vat_number=supplier.vat_number).first()):
        raise ValidationError({"vat_number": DUPLICATE_VAT % {"name": other.name}})


def _require_edit(acting_user: User | None, supplier: Supplier | None) -> None:
    """Raise PermissionError unless acting_user may change supplier (register one, if None)."""
    if acting_user is None:
        return  # a system load
    if supplier is None or supplier.pk is None:
        allowed = access.can_edit_suppliers(acting_user)
    else:
        allowed = access.can_edit_supplier(acting_user, supplier)
    if not allowed:
        raise PermissionError(NOT_ALLOWED)


@transaction.atomic
def save_supplier(*, supplier: Supplier | None, acting_user: User | None, **values) -> Supplier:
    """Create or update a supplier from values; identifiers are validated and normalised.

    A person (``acting_user``) is held to the registry's rule: registering a supplier needs
    ``can_edit_suppliers``, changing one ``can_edit_supplier``. ``acting_user=None`` is a system
    load (the demo loader, commands, imports), as in the other apps' services."""
    _require_edit(acting_user, supplier)
    before = model_to_dict(supplier, fields=SUPPLIER_FIELDS) if supplier else {}
    supplier = supplier or Supplier()
    for field in SUPPLIER_FIELDS:
        if field in values:
            setattr(supplier, field, (values[field] or "").strip())
    supplier.country = supplier.country.upper()
    supplier.org_number, supplier.vat_number = clean_identifiers(
        country=supplier.country, org_number=supplier.org_number, vat_number=supplier.vat_number
    )
    supplier.normalised_name = normalise_name(supplier.name)
    supplier.full_clean(exclude=["organisation", "merged_into"])
    _check_unique(supplier)
    supplier.save()
    SupplierName.objects.get_or_create(supplier=supplier, name=supplier.name, region=None)
    record_change(
        supplier,
        action="updated" if before else "created",
        acting_user=acting_user,
        changes=diff_fields(before, model_to_dict(supplier, fields=SUPPLIER_FIELDS)),
    )
    return supplier


def registry_matcher() -> Matcher:
    """Build a matcher over every current supplier (one snapshot per import)."""
    return Matcher(
        SupplierRecord(key=str(pk), name=name, country=country, org_number=org, vat_number=vat)
        for pk, name, country, org, vat in Supplier.objects.current().values_list(
            "pk", "name", "country", "org_number", "vat_number"
        )
    )


@dataclass
class Resolution:
    supplier: Supplier
    created: bool
    review: MatchReview | None
    decision: str


@dataclass(frozen=True)
class IncomingSupplier:
    name: str
    country: str
    org_number: str = ""
    vat_number: str = ""
    other_id: str = ""

    def key(self) -> str:
        if self.org_number:
            return f"SE:{self.org_number}"
        if self.vat_number:
            return f"VAT:{self.vat_number}"
        return f"NAME:{self.country}:{normalise_name(self.name)}"


def find_registered(incoming: Iterable[IncomingSupplier]) -> dict[str, Supplier]:
    """Return the registry supplier each incoming supplier resolves to (keyed by .key()), if any.

    Reads only: the same matching as `resolve_suppliers`, for checks made before a write.
    """
    unique = {item.key(): item for item in incoming}
    results = registry_matcher().match_many(
        [
            SupplierRecord(
                key=key,
                name=i.name,
                country=i.country,
                org_number=i.org_number,
                vat_number=i.vat_number,
            )
            for key, i in unique.items()
        ]
    )
    found = {
        r.incoming_key: int(r.candidate_key)
        for r in results
        if r.decision in ("identifier", "name") and r.candidate_key
    }
    suppliers = Supplier.objects.in_bulk(set(found.values()))
    return {key: suppliers[pk] for key, pk in found.items()}


def resolve_suppliers(
    incoming: Iterable[IncomingSupplier],
    *,
    region: Region | None,
    acting_user: User | None,
    matcher: Matcher | None = None,
    history: HistoryBatch | None = None,
) -> dict[str, Resolution]:
    """Find or create the registry supplier for each incoming supplier (keyed by .key()).

    The organisation number or VAT decides first; then the normalised name and country. A match
    the engine is unsure of creates a new supplier and a review for a person to judge. Must run
    inside the caller's transaction. Each created supplier gets an "imported" history entry: in
    `history` when the caller gathers its entries in one (an import), else written here.
    """
    unique = {item.key(): item for item in incoming}
    matcher = matcher or registry_matcher()
    records = [
        SupplierRecord(
            key=key,
            name=i.name,
            country=i.country,
            org_number=i.org_number,
            vat_number=i.vat_number,
        )
        for key, i in unique.items()
    ]
    results = matcher.match_many(records)
    existing = Supplier.objects.in_bulk([int(r.candidate_key) for r in results if r.candidate_key])
    resolved: dict[str, Resolution] = {}
    new_suppliers: dict[str, Supplier] = {}
    for result in results:
        if result.decision in ("identifier", "name"):
            supplier = existing[int(result.candidate_key)]
            resolved[result.incoming_key] = Resolution(supplier, False, None, result.decision)
        else:
            item = unique[result.incoming_key]
            new_suppliers[result.incoming_key] = Supplier(
                name=item.name,
                country=item.country,
                org_number=item.org_number,
                vat_number=item.vat_number,
                other_id=item.other_id,
                normalised_name=normalise_name(item.name),
            )
    # Bulk writes: an import may bring thousands of new suppliers.
    Supplier.objects.bulk_create(new_suppliers.values(), batch_size=500)
    created = {
        s.public_id: s
        for s in Supplier.objects.filter(
            public_id__in=[s.public_id for s in new_suppliers.values()]
        )
    }
    reviews = []
    for result in results:
        if result.incoming_key not in new_suppliers:
            continue
        supplier = created[new_suppliers[result.incoming_key].public_id]
        review = None
        if result.decision == "review":
            review = MatchReview(
                supplier=supplier,
                candidate=existing[int(result.candidate_key)],
                score=result.score,
                reason=result.reason[:300],
            )
            reviews.append(review)
        resolved[result.incoming_key] = Resolution(supplier, True, review, result.decision)
    MatchReview.objects.bulk_create(reviews, batch_size=500)
    created_suppliers = [r.supplier for r in resolved.values() if r.created]
    if history is None:
        record_changes(created_suppliers, action="imported", acting_user=acting_user)
    else:
        for supplier in created_suppliers:
            history.add(supplier, action="imported")
    SupplierName.objects.bulk_create(
        [
            SupplierName(supplier=resolved[key].supplier, name=item.name, region=region)
            for key, item in unique.items()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return resolved


MERGE_ONLY_CURRENT = _("Only two different, unmerged suppliers can be merged.")
MERGE_ALREADY_UNDONE = _("This merge has already been undone.")
MERGE_SURVIVOR_MERGED = _(
    "%(survivor)s has since been merged into %(other)s. Undo that merge first."
)


def names_the_survivor_has(rows, survivor: Supplier) -> list[int]:
    """Return the merged supplier's names the survivor already has: those stay (unique)."""
    survivor_names = set(survivor.names.values_list("name", "region_id"))
    return [
        pk
        for pk, name, region in rows.values_list("pk", "name", "region_id")
        if (name, region) in survivor_names
    ]


@transaction.atomic
def merge_suppliers(*, survivor: Supplier, merged: Supplier, acting_user: User) -> SupplierMerge:
    """Merge merged into survivor: every app's registered rows move (`merging.py`), the
    company account too if survivor has none; keep a record of what moved for undo."""
    if not access.can_merge_suppliers(acting_user):
        raise PermissionError(NOT_ALLOWED)
    # lock both: two people merging the same supplier at once must not both succeed
    current = Supplier.objects.select_for_update().filter(
        pk__in=[survivor.pk, merged.pk], merged_into__isnull=True
    )
    if survivor.pk == merged.pk or len(current) != 2:
        raise ValidationError(MERGE_ONLY_CURRENT)
    movers = merging.merge_movers()
    refusals = [str(m) for m in (mover.refusal(merged, survivor) for mover in movers) if m]
    if refusals:
        raise ValidationError(refusals)
    moved: dict = {
        mover.label: mover.move(merged, survivor, acting_user=acting_user) for mover in movers
    }
    moved["organisation"] = merged.organisation_id if not survivor.organisation_id else None
    if moved["organisation"]:
        organisation = merged.organisation
        merged.organisation = None
        merged.save(update_fields=["organisation"])
        survivor.organisation = organisation
        survivor.save(update_fields=["organisation"])
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    MatchReview.objects.filter(
        Q(supplier=merged, candidate=survivor) | Q(supplier=survivor, candidate=merged)
    ).update(status=MatchReview.Status.MERGED, decided_by=acting_user, decided_at=timezone.now())
    merge = SupplierMerge.objects.create(
        survivor=survivor, merged=merged, merged_by=acting_user, moved=moved
    )
    counts = _counts(moved)
    record_change(
        survivor,
        action="updated",
        acting_user=acting_user,
        changes={"merged": merged.name, "moved": counts},
    )
    record_change(
        merged,
        action="updated",
        acting_user=acting_user,
        changes={"merged_into": survivor.name, "moved": counts},
    )
    return merge


def _counts(moved: dict) -> list[str]:
    return [f"{label}: {len(pks)}" for label, pks in moved.items() if isinstance(pks, list)]


@transaction.atomic
def undo_merge(*, merge: SupplierMerge, acting_user: User) -> None:
    """Move back exactly what the merge moved and make the merged supplier current again."""
    if not access.can_merge_suppliers(acting_user):
        raise PermissionError(NOT_ALLOWED)
    merge = SupplierMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(MERGE_ALREADY_UNDONE)
    merged, survivor, moved = merge.merged, merge.survivor, merge.moved
    if survivor.merged_into is not None:
        # what moved here has moved on with the later merge: undo that one first
        raise ValidationError(
            MERGE_SURVIVOR_MERGED % {"survivor": survivor.name, "other": survivor.merged_into.name}
        )
    if (
        merged.org_number
        and Supplier.objects.current().filter(org_number=merged.org_number).exists()
    ):
        raise ValidationError(_("Another current supplier now has this organisation number."))
    back = {
        mover.label: mover.move_back(
            moved.get(mover.label) or [], merged, survivor, acting_user=acting_user
        )
        for mover in merging.merge_movers()
    }
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    if moved.get("organisation") and survivor.organisation_id == moved["organisation"]:
        survivor.organisation = None
        survivor.save(update_fields=["organisation"])
        merged.organisation_id = moved["organisation"]
        merged.save(update_fields=["organisation"])
    merge.undone_at = timezone.now()
    merge.undone_by = acting_user
    merge.save(update_fields=["undone_at", "undone_by"])
    MatchReview.objects.filter(supplier=merged, candidate=survivor).update(
        status=MatchReview.Status.OPEN, decided_by=None, decided_at=None
    )
    counts = _counts(back)
    record_change(
        survivor,
        action="updated",
        acting_user=acting_user,
        changes={"unmerged": merged.name, "moved_back": counts},
    )
    record_change(
        merged,
        action="updated",
        acting_user=acting_user,
        changes={"unmerged_from": survivor.name, "moved_back": counts},
    )


@transaction.atomic
def decide_review(*, review: MatchReview, same_company: bool, acting_user: User) -> None:
    """Record a person's judgement: merge the two suppliers, or mark them as different."""
    if not access.can_merge_suppliers(acting_user):
        raise PermissionError(NOT_ALLOWED)
    if review.status != MatchReview.Status.OPEN:
        raise ValidationError(_("This match has already been judged."))
    if same_company:
        merge_suppliers(survivor=review.candidate, merged=review.supplier, acting_user=acting_user)
    else:
        review.status = MatchReview.Status.DISTINCT
        review.decided_by = acting_user
        review.decided_at = timezone.now()
        review.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def save_site(
    *, supplier: Supplier, site: ProductionSite | None, acting_user: User | None, **values
) -> ProductionSite:
    """Add or change one of the supplier's production sites (``can_edit_supplier``)."""
    _require_edit(acting_user, supplier)
    if site is not None and site.supplier_id != supplier.pk:
        raise PermissionError(NOT_ALLOWED)
    site = site or ProductionSite(supplier=supplier)
    for field in ["name", "country", "city", "products", "tier", "osh_id"]:
        if field in values:
            setattr(site, field, values[field])
    site.country = site.country.upper()
    site.full_clean()
    site.save()
    record_change(supplier, action="updated", acting_user=acting_user, changes={"site": site.name})
    return site


@transaction.atomic
def delete_site(*, site: ProductionSite, acting_user: User | None) -> None:
    """Remove one of a supplier's production sites (``can_edit_supplier``)."""
    _require_edit(acting_user, site.supplier)
    record_change(
        site.supplier,
        action="updated",
        acting_user=acting_user,
        changes={"site_removed": site.name},
    )
    site.delete()


@transaction.atomic
def resolve_unmatched_spend(
    *, item: UnmatchedSpend, supplier: Supplier, acting_user: User
) -> UnmatchedSpend:
    """Match an unmatched (or ambiguous) identity on a region's invoices to a supplier.

    Every open row of the region with the same identifier and name (any year) is resolved; the
    name becomes the region's spelling of the supplier; the next screening matches the lines.
    """
    if not access.can_resolve_spend(acting_user, item.region_id):
        raise PermissionError(NOT_ALLOWED)
    item = UnmatchedSpend.objects.select_for_update().select_related("region").get(pk=item.pk)
    if item.status != UnmatchedSpend.Status.OPEN:
        raise ValidationError(SPEND_ALREADY_RESOLVED)
    if supplier.merged_into_id:
        raise ValidationError(SPEND_MERGED_SUPPLIER)
    same = UnmatchedSpend.objects.filter(
        status=UnmatchedSpend.Status.OPEN,
        region=item.region,
        identifier=item.identifier,
        name=item.name,
    )
    resolved = list(same)
    same.update(
        status=UnmatchedSpend.Status.RESOLVED,
        supplier=supplier,
        resolved_by=acting_user,
        resolved_at=timezone.now(),
    )
    if item.name:
        SupplierName.objects.get_or_create(supplier=supplier, name=item.name, region=item.region)
    details = {
        "spend_resolved": {
            "region": item.region.county_code,
            "identifier": item.identifier,
            "name": item.name,
            "spend_sek": str(sum(r.spend_sek for r in resolved)),
        }
    }
    record_change(supplier, action="updated", acting_user=acting_user, changes=details)
    record_changes(resolved, action="updated", acting_user=acting_user)
    item.refresh_from_db()
    return item
