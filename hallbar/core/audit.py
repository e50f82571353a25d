"""The audit log: who logged in, downloaded, exported or changed whose role, when and from where.

`record(kind, ...)` appends one `AuditEvent`. Entries form a hash chain: each stores the SHA-256
of a canonical serialisation of its own fields and the hash of the entry before it
(`previous_hash`, 64 zeros for the first). Changing, removing or inserting an entry breaks the
chain from there on; `verify_chain()` (and `manage.py verify_audit_log`) walks it and names the
first broken entry.

Append-only: the model refuses to save an existing entry or delete one, and so does its
queryset; on PostgreSQL a trigger refuses UPDATE and DELETE as well, on SQLite UPDATE
(migration core 0007).

Concurrency: an append first UPDATEs the one row of `AuditHead`. On PostgreSQL that locks the
row until the transaction ends, on SQLite it takes the database's write lock (our SQLite
connections begin IMMEDIATE transactions anyway), so appends queue one behind the other and two
of them never take the same predecessor.

Failure policy: a failed audit write is not swallowed. The exception reaches the caller and the
action fails with it (a download is not served, a login does not complete), because a public
authority must be able to say who saw a confidential file; an action that cannot be recorded
must not happen (docs/DESIGN.md, decision log).

The request being served is kept in a context variable by `AuditRequestMiddleware`, so code far
from the view (a signal receiver, `exports.attachment`) records the actor and the address too.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from hallbar.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64
Kind = AuditEvent.Kind

_request: ContextVar[HttpRequest | None] = ContextVar("hallbar_audit_request", default=None)
_acting_user: ContextVar[Any] = ContextVar("hallbar_audit_acting_user", default=None)


class AuditRequestMiddleware:
    """Keep the request being served where `record` finds it (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_request() -> HttpRequest | None:
    """Return the request being served, if any (None in commands, tasks and plain tests)."""
    return _request.get()


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Record user as the actor of the entries written in the block (services, commands)."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or the one HALLBAR_PROXY_COUNT proxies put in front.

    The lockout (organisations.lockout.client_address) uses this rule too.
    """
    if request is None:
        return ""
    proxies = settings.HALLBAR_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return (request.META.get("REMOTE_ADDR") or "")[:64]


def _json(value: Any) -> Any:
    """value as it comes back from a JSON column: dates as strings, tuples as lists."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def entry_fields(event: AuditEvent) -> dict[str, Any]:
    """Return the fields of event that its hash covers."""
    return {
        "sequence": event.sequence,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "kind": event.kind,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "client_address": event.client_address,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    """Return the SHA-256 (hex) of event's canonical serialisation, previous hash included."""
    canonical = json.dumps(
        entry_fields(event),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def describe(obj: models.Model | None) -> tuple[str, str, str]:
    """Return (type, id, label) naming obj in an entry: app.model, public id or pk, str()."""
    if obj is None:
        return "", "", ""
    identifier = getattr(obj, "public_id", None) or obj.pk
    return obj._meta.label_lower, str(identifier or "")[:64], str(obj)[:300]


def _actor(request: HttpRequest | None, user: Any) -> Any:
    if user is None:
        user = _acting_user.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@transaction.atomic
def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one entry to the audit log and return it; raise if it cannot be written.

    request defaults to the request being served; user (the actor) to the one of `acting_as`,
    else the request's signed-in user. obj names the object; object_type/id/label name one that
    is not a model instance (a file, a username).
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown audit event kind: {kind}")
    request = request or current_request()
    actor = _actor(request, user)
    if obj is not None:
        described = describe(obj)
        object_type = object_type or described[0]
        object_id = object_id or described[1]
        object_label = object_label or described[2]
    # The UPDATE comes first: it locks the head row (PostgreSQL) or the database (SQLite) until
    # the transaction ends, so concurrent appends queue here and cannot fork the chain.
    if not AuditHead.objects.filter(pk=1).update(sequence=F("sequence") + 1):
        # No head yet (the migration makes it; a flushed or restored database may lack it):
        # make it unless a concurrent append just did (that one's insert is waited for), then
        # take the lock as above.
        AuditHead.objects.bulk_create([AuditHead(pk=1, sequence=0, hash="")], ignore_conflicts=True)
        AuditHead.objects.filter(pk=1).update(sequence=F("sequence") + 1)
    head = AuditHead.objects.get(pk=1)
    event = AuditEvent(
        sequence=head.sequence,
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username()[:150] if actor is not None else "",
        kind=kind,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_label=str(object_label)[:300],
        client_address=client_address(request),
        detail=_json(detail or {}),
        previous_hash=head.hash or GENESIS,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk along the chain: how many entries, and the first break if any."""

    checked: int
    broken_at: int | None = None  # the sequence number of the first broken entry
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the audit log from the first entry and return where, if anywhere, it breaks."""
    expected_sequence, previous = 1, GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            return ChainReport(
                checked,
                expected_sequence,
                f"entry {expected_sequence} is missing (the next entry is {event.sequence})",
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                checked, event.sequence, f"entry {event.sequence} was changed after it was written"
            )
        if event.previous_hash != previous:
            return ChainReport(
                checked,
                event.sequence,
                f"entry {event.sequence} does not follow entry {event.sequence - 1}",
            )
        previous = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last = expected_sequence - 1
    if head is not None and head.sequence != last:
        return ChainReport(
            checked,
            last + 1,
            f"the log ends at entry {last} but {head.sequence} entries were written",
        )
    if head is not None and last and head.hash != previous:
        return ChainReport(checked, last, f"entry {last} is not the last entry written")
    return ChainReport(checked)
