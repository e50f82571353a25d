"""The fixed cast of users that every permission test uses (healthchecks' Alice/Bob/Charlie).

- secretariat: Karin at the national secretariat (staff: may use the admin)
- steering: a steering-group member from Region Stockholm
- coordinator_a: the area A coordinator, employed by Region Västerbotten
- contact_jamtland: Region Jämtland Härjedalen's sustainability contact
- alice: a Region Stockholm buyer
- bob: a buyer from another region (Region Jämtland Härjedalen)
- auditor: a third-party auditor at an audit firm
- charlie: the supplier contact of Medisupply Sverige AB
- dave: the supplier contact of another company, Globex Textiles Ltd (abroad: reads English)
- nobody: a user with an account but no role anywhere
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from hallbar.categories.models import Category
from hallbar.core import audit
from hallbar.core.models import AuditEvent, HistoryEntry
from hallbar.demo.national import AUDIT_FIRM, SUPPLIER_A, SUPPLIER_B, DemoUser, ensure_user
from hallbar.demo.requirements import LibrarySummary, load_requirement_library
from hallbar.organisations.models import Membership, Organisation, ProcurementArea, Role, User
from hallbar.organisations.services import SECRETARIAT_NAME
from hallbar.requirements.models import (
    CodeCommitment,
    CodeInstrument,
    CodeOfConduct,
    ContractClause,
    Criterion,
    ProcessRequirement,
    ZeroToleranceItem,
)

CAST_PASSWORD = "cast-password-1"

CAST = {
    "secretariat": DemoUser(
        "karin", "Karin", "Kansli", Role.SECRETARIAT, SECRETARIAT_NAME, staff=True
    ),
    "steering": DemoUser("stig", "Stig", "Styr", Role.STEERING_GROUP, "01"),
    "coordinator_a": DemoUser("anna", "Anna", "Area", Role.AREA_COORDINATOR, "24", area="A"),
    "contact_jamtland": DemoUser("asa", "Åsa", "Kontakt", Role.REGION_CONTACT, "23"),
    "alice": DemoUser("alice", "Alice", "Stockholm", Role.BUYER, "01"),
    "bob": DemoUser("bob", "Bob", "Jämtland", Role.BUYER, "23"),
    "auditor": DemoUser("rolf", "Rolf", "Revisor", Role.AUDITOR, AUDIT_FIRM),
    "charlie": DemoUser("charlie", "Charlie", "Medisupply", Role.SUPPLIER_CONTACT, SUPPLIER_A),
    "dave": DemoUser("dave", "Dave", "Globex", Role.SUPPLIER_CONTACT, SUPPLIER_B, language="en"),
}


@dataclass
class Cast:
    secretariat: User
    steering: User
    coordinator_a: User
    contact_jamtland: User
    alice: User
    bob: User
    auditor: User
    charlie: User
    dave: User
    nobody: User

    def everyone(self) -> dict[str, User]:
        return dict(self.__dict__)


def make_cast() -> Cast:
    """Create the cast (the reference data must be loaded); idempotent.

    Most database tests start with the cast, and creating it goes through the services (about
    250 queries, 0.1 to 0.2 s). The first cast made in an empty user table of a test database is
    recorded; a later one, in the same state, is written again from the recording
    (`_CastRecording`). `test_cast_for_tests.py` checks the rows are the services'.
    """
    database = connection.settings_dict["NAME"]
    recording = _cast_recordings.get(database)
    if recording is not None and _cast_replayable(recording):
        _replay_cast(recording)
    elif database not in _cast_recordings and not User._base_manager.exists():
        _cast_recordings[database] = _record_cast()
    else:
        _create_cast()
    users = {u.username: u for u in User.objects.filter(username__in=CAST_USERNAMES)}
    return Cast(
        **{name: users[spec.username] for name, spec in CAST.items()}, nobody=users["nobody"]
    )


CAST_USERNAMES = [*(spec.username for spec in CAST.values()), "nobody"]


def _create_cast() -> None:
    for spec in CAST.values():
        ensure_user(spec, password=CAST_PASSWORD)
    nobody, created = User.objects.get_or_create(username="nobody", defaults={"first_name": "No"})
    if created:
        nobody.set_password(CAST_PASSWORD)
        nobody.save(update_fields=["password"])


# --- the cast, created fast ----------------------------------------------------------------------


@dataclass
class _CastRecording:
    """What creating the cast in an empty user table wrote, as column values.

    The users, their memberships and the organisations made for them keep their numbers; the
    history entries are numbered and dated anew, and the audit log's entries are appended again
    through `core.audit.record`, so that the chain stays whole.
    """

    users: list[dict]
    organisations: list[dict]
    memberships: list[dict]
    history: list[dict]
    audit: list[dict]
    last_organisation: int  # the largest organisation number before the cast
    # what the rows point at outside the cast, which must be the same when they are written again
    # (the history's content types are kept by name)
    references: dict[str, dict]


_cast_recordings: dict[str, _CastRecording | None] = {}  # None: the first was not replayable
_AUDIT_COLUMNS = ("kind", "object_type", "object_id", "object_label", "detail")


def _cast_references(memberships: list[dict], new: set[int]) -> dict:
    organisations = {row["organisation_id"] for row in memberships} - new
    areas = {row["area_id"] for row in memberships if row["area_id"]}
    return {
        "organisations": dict(
            Organisation.objects.filter(pk__in=organisations).values_list("pk", "name")
        ),
        "areas": dict(ProcurementArea.objects.filter(pk__in=areas).values_list("pk", "code")),
    }


def _content_types() -> dict[tuple[str, str], int]:
    # not ContentType.objects.get_for_model: its cache outlives a flush, which renumbers them
    return {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}


def _last_pk(model: type[models.Model]) -> int:
    return model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def _move_sequences_past(written: list[type[models.Model]]) -> None:
    """Rows written again keep their numbers: each table's next number must come after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), written)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _record_cast() -> _CastRecording | None:
    last_history, last_audit = _last_pk(HistoryEntry), _last_pk(AuditEvent)
    last_organisation = _last_pk(Organisation)
    _create_cast()
    organisations: list[dict[str, Any]] = [
        dict(row)
        for row in Organisation._base_manager.filter(pk__gt=last_organisation)
        .order_by("pk")
        .values()
    ]
    memberships = [dict(row) for row in Membership._base_manager.order_by("pk").values()]
    columns = [f.attname for f in HistoryEntry._meta.concrete_fields if f.name not in {"id", "at"}]
    history = list(HistoryEntry.objects.filter(pk__gt=last_history).order_by("pk").values(*columns))
    # history points at its subjects' content types by name: a flush renumbers them
    names = {pk: name for name, pk in _content_types().items()}
    for row in history:
        row["content_type_id"] = names[row["content_type_id"]]
    entries = AuditEvent.objects.filter(pk__gt=last_audit).order_by("pk")
    if entries.exclude(actor=None).exists() or any(row["actor_id"] for row in history):
        return None  # written by someone: not replayed
    return _CastRecording(
        users=[dict(row) for row in User._base_manager.order_by("pk").values()],
        organisations=organisations,
        memberships=memberships,
        history=history,
        audit=list(entries.values(*_AUDIT_COLUMNS)),
        last_organisation=last_organisation,
        references=_cast_references(memberships, {row["id"] for row in organisations}),
    )


def _cast_replayable(recording: _CastRecording) -> bool:
    if User._base_manager.exists() or Membership._base_manager.exists():
        return False
    if _last_pk(Organisation) != recording.last_organisation:
        return False
    new = {row["id"] for row in recording.organisations}
    return _cast_references(recording.memberships, new) == recording.references


def _replay_cast(recording: _CastRecording) -> None:
    with transaction.atomic():
        Organisation._base_manager.bulk_create(
            [Organisation(**row) for row in recording.organisations]
        )
        User._base_manager.bulk_create([User(**row) for row in recording.users])
        Membership._base_manager.bulk_create([Membership(**row) for row in recording.memberships])
        content_types = _content_types()
        HistoryEntry.objects.bulk_create(
            [
                HistoryEntry(**{**row, "content_type_id": content_types[row["content_type_id"]]})
                for row in recording.history
            ]
        )
        for row in recording.audit:
            audit.record(**row)
        _move_sequences_past([Organisation, User, Membership])


# --- the requirement library, loaded fast --------------------------------------------------------


@dataclass
class _Recording:
    """The rows load_requirement_library wrote into an empty library, as column values."""

    summary: LibrarySummary
    tables: list[tuple[type[models.Model], list[dict]]]
    history: list[dict]
    # what the rows point at outside the library, which must be the same when they are written again
    categories: dict[int, str]
    content_types: dict[int, tuple[str, str]]


_recordings: dict[str, _Recording] = {}


def _library_models() -> list[type[models.Model]]:
    """The library's tables, each before the tables that point at it (criteria's categories last)."""
    return [
        CodeOfConduct,
        CodeCommitment,
        CodeInstrument,
        ZeroToleranceItem,
        ContractClause,
        ProcessRequirement,
        Criterion,
        Criterion.categories.through,
    ]


def _library_is_empty() -> bool:
    return not any(model._base_manager.exists() for model in _library_models())


def requirement_library() -> LibrarySummary:
    """`load_requirement_library` for tests, about ten times faster.

    The loader goes through the services (1 300 queries, about 0.5 s) and most tests' worlds need
    the library. The first load into an empty library in a test database runs the loader and
    records the rows it wrote (the library's tables and its history entries). A later load into
    an empty library writes the same rows again in one transaction, when what they point at
    outside the library (categories, content types) is unchanged; otherwise it runs the loader.
    `test_requirement_library_for_tests.py` checks the rows are the loader's.
    """
    database = connection.settings_dict["NAME"]
    if not _library_is_empty():
        return load_requirement_library()  # the loader adds what is missing
    recording = _recordings.get(database)
    if recording is not None and _replayable(recording):
        _replay(recording)
        return recording.summary
    last_history = _last_pk(HistoryEntry)
    summary = load_requirement_library()
    tables = [
        (model, list(model._base_manager.order_by("pk").values())) for model in _library_models()
    ]
    # numbered and dated anew when written again
    columns = [f.attname for f in HistoryEntry._meta.concrete_fields if f.name not in {"id", "at"}]
    history = list(HistoryEntry.objects.filter(pk__gt=last_history).order_by("pk").values(*columns))
    category_ids = {row["category_id"] for row in tables[-1][1]}
    type_ids = {row["content_type_id"] for row in history}
    _recordings[database] = _Recording(
        summary=summary,
        tables=tables,
        history=history,
        categories=dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "slug")),
        content_types={
            ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.filter(pk__in=type_ids)
        },
    )
    return summary


def _replayable(recording: _Recording) -> bool:
    categories = dict(
        Category.objects.filter(pk__in=recording.categories).values_list("pk", "slug")
    )
    content_types = {
        ct.pk: (ct.app_label, ct.model)
        for ct in ContentType.objects.filter(pk__in=recording.content_types)
    }
    return categories == recording.categories and content_types == recording.content_types


def _replay(recording: _Recording) -> None:
    with transaction.atomic():
        for model, rows in recording.tables:
            model._base_manager.bulk_create([model(**row) for row in rows])
        HistoryEntry.objects.bulk_create([HistoryEntry(**row) for row in recording.history])
        _move_sequences_past(_library_models())
