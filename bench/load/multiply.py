"""Multiply the demo's contracts: ``python -m bench.load.multiply --to 10 [--from 1]``.

Adds copies number FROM … TO-1 of every demo contract (the ones whose reference carries no copy
suffix), with their buying-region links, in bulk. Copies are deterministic: copy k of a
contract has the reference "<reference>~k" (unique within the lead region, as the contract's
constraint demands) and a UUID derived from the original's and k; every other field is the
original's. Run with the environment of the bench server (DATABASE_URL of the scratch
database); bench/load/__main__.py calls it between the demo load and the server's start.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Sequence

COPY_SEPARATOR = "~"
_NAMESPACE = uuid.UUID("6d1c3f0e-2a7b-4c55-9a51-0b3f4c1d2e7a")
BATCH = 2000


def copy_reference(reference: str, copy: int) -> str:
    return f"{reference}{COPY_SEPARATOR}{copy}"


def copy_public_id(public_id: uuid.UUID, copy: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{public_id}/{copy}")


def multiply(first: int, last: int) -> int:
    """Add copies first … last-1 of every original contract; return how many were made."""
    from django.db import connection, transaction

    from hallbar.contracts.models import Contract

    links = Contract.regions.through
    originals = list(
        Contract.objects.exclude(reference__contains=COPY_SEPARATOR)
        .order_by("pk")
        .prefetch_related("regions")
    )
    made = 0
    with transaction.atomic():
        for copy in range(max(first, 1), last):
            for start in range(0, len(originals), BATCH):
                batch = originals[start : start + BATCH]
                copies = []
                for original in batch:
                    clone = Contract(
                        **{
                            field.attname: getattr(original, field.attname)
                            for field in Contract._meta.concrete_fields
                            if not field.primary_key
                        }
                    )
                    clone.reference = copy_reference(original.reference, copy)
                    clone.public_id = copy_public_id(original.public_id, copy)
                    copies.append(clone)
                Contract.objects.bulk_create(copies)
                links.objects.bulk_create(
                    links(contract_id=clone.pk, region_id=region.pk)
                    for original, clone in zip(batch, copies, strict=True)
                    for region in original.regions.all()
                )
                made += len(copies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Contract._meta.db_table}, {links._meta.db_table}")
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load.multiply", description=__doc__)
    parser.add_argument("--from", dest="first", type=int, default=1, help="copies already there")
    parser.add_argument("--to", dest="last", type=int, required=True, help="the scale to reach")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from hallbar.contracts.models import Contract

    began = time.perf_counter()
    made = multiply(args.first, args.last)
    print(
        f"{made:,} contract copies made in {time.perf_counter() - began:.1f} s; "
        f"{Contract.objects.count():,} contracts in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
