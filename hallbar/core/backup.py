"""Back up a whole installation to one archive, and restore it into an empty one.

The archive is a gzip-compressed tar file holding:

- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot) or
  ``database.sqlite3`` (SQLite: a copy made with SQLite's online backup API, so the web server
  and the worker may go on writing meanwhile);
- ``files/…``: the data directory (settings.DATA_DIR: Parquet spend, evidence documents,
  uploads, reports), without what can be rebuilt or must not travel: the collected static
  files, the SQLite database itself, the demo's secret key, log files;
- ``manifest.json`` (written last): the format, when and from which version of hallbar the
  backup was made, the database vendor, the applied migrations, and the size and SHA-256 of
  every other member.

`restore_backup` changes nothing until the whole archive has been read and every member matches
the manifest, and refuses an installation that already holds data (a database with any
platform rows, or a data directory with files) rather than mixing two installations.
docs/deploy.md explains when to run them.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024
# Rows in these models do not make an installation hold data: migrate writes them, or they
# are the traces of the running processes (worker heartbeats, sessions, queued tasks, failed
# logins).
NOT_DATA = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "core.workerheartbeat",
}
NOT_DATA_APPS = {"django_tasks_db", "axes"}


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why, for people."""


@dataclass
class Manifest:
    created_at: str
    app_version: str
    vendor: str
    database: dict
    migrations: dict[str, list[str]]
    files: list[dict] = field(default_factory=list)
    format: int = FORMAT

    def as_json(self) -> bytes:
        return json.dumps(vars(self), indent=2, sort_keys=True).encode()


# --- what is backed up -----------------------------------------------------------------------


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _excluded_paths(alias: str = "default") -> set[Path]:
    root = data_dir().resolve()
    excluded = {Path(settings.STATIC_ROOT).resolve(), root / "demo-secret-key"}
    database = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite" and str(database["NAME"]) not in ("", ":memory:"):
        name = Path(str(database["NAME"])).resolve()
        excluded |= {name, *(name.with_name(name.name + s) for s in ("-wal", "-shm", "-journal"))}
    return excluded


def data_files(alias: str = "default") -> Iterator[tuple[PurePosixPath, Path]]:
    """Yield (path in the archive below files/, path on disk) of every file to back up."""
    root = data_dir().resolve()
    if not root.is_dir():
        return
    excluded = _excluded_paths(alias)
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if here / d not in excluded and not d.startswith(STAGING_PREFIX)
        )
        for name in sorted(names):
            path = here / name
            if path in excluded or name.endswith(".log") or path.is_symlink():
                continue
            if path.is_file():
                yield PurePosixPath(path.relative_to(root).as_posix()), path


def app_version() -> str:
    """Return `git describe` of the code, or the version in pyproject.toml without git."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if described.returncode == 0 and described.stdout.strip():
            return described.stdout.strip()
    except OSError:
        pass
    import tomllib

    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as pyproject:
        return str(tomllib.load(pyproject)["project"]["version"])


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- the database ------------------------------------------------------------------------------


def _pg_env(database: dict) -> tuple[list[str], dict[str, str]]:
    """Return the connection arguments and environment of pg_dump/pg_restore for database."""
    args = ["--dbname", str(database["NAME"])]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])  # never on the command line
    return args, env


def pg_tool(name: str, alias: str = "default") -> str:
    """Return the pg_dump/pg_restore to use: HALLBAR_PG_BIN's; else Debian's of the server's
    major version (/usr/lib/postgresql/15/bin), which pg_dump needs; else the one on PATH."""
    directory = os.environ.get("HALLBAR_PG_BIN", "")
    if directory:
        return str(Path(directory) / name)
    connection = connections[alias]
    connection.ensure_connection()
    major = getattr(connection, "pg_version", 0) // 10000  # 150020 for 15.20
    versioned = Path(f"/usr/lib/postgresql/{major}/bin") / name
    if versioned.is_file():
        return str(versioned)
    return shutil.which(name) or name


def _run_pg(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{command[0]} could not be started: {error}") from None
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump_database(target: Path, alias: str = "default") -> None:
    """Write a consistent copy of the database to target."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        command = [pg_tool("pg_dump", alias), "--format=custom", "--no-owner", "--no-privileges"]
        command += [f"--exclude-table-data={table}" for table in _process_tables()]
        _run_pg([*command, "--file", str(target), *args], env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
            for table in _process_tables():
                if table in existing:
                    copy.execute(f'DELETE FROM "{table}"')
            copy.commit()
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def load_database(source: Path, alias: str = "default") -> None:
    """Replace the (empty) database's content with the copy in source, all or nothing."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        tool = pg_tool("pg_restore", alias)
        connection.close()  # hold no lock that pg_restore's DROP TABLE would wait for
        args, env = _pg_env(connection.settings_dict)
        command = [tool, "--no-owner", "--no-privileges", "--clean"]
        command += ["--if-exists", "--single-transaction", "--exit-on-error"]
        _run_pg([*command, *args, str(source)], env)
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        connection.close()  # the next use opens the restored file with the usual options


def _process_tables() -> list[str]:
    """Tables that describe the running processes, not the installation: not backed up."""
    return [apps.get_model("core", "WorkerHeartbeat")._meta.db_table]


def database_has_data(alias: str = "default") -> bool:
    """Whether any platform table of the database has a row (tables migrate fills aside)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA or model._meta.app_label in NOT_DATA_APPS:
            continue
        if not model._meta.managed or model._meta.db_table not in tables:
            continue
        if model._base_manager.using(alias).exists():
            return True
    return False


# --- backup ------------------------------------------------------------------------------------


class _HashingReader:
    """A file object that hashes and counts what tarfile reads from it."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"path": name, "size": reader.size, "sha256": reader.sha256.hexdigest()}


def make_backup(out: Path, alias: str = "default") -> Manifest:
    """Write the backup archive to out (atomically: out appears only once complete)."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="hallbar-backup-") as scratch:
        database_copy = Path(scratch) / DATABASE_MEMBERS[vendor]
        manifest = Manifest(
            created_at=datetime.now(tz=UTC).isoformat(timespec="seconds"),
            app_version=app_version(),
            vendor=vendor,
            database={},
            migrations=applied_migrations(alias),
        )
        dump_database(database_copy, alias)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                manifest.database = _add(archive, database_copy.name, database_copy)
                for name, path in data_files(alias):
                    if path in (out, partial):
                        continue
                    manifest.files.append(_add(archive, f"{FILES}/{name}", path))
                body = manifest.as_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                info.mtime = int(datetime.now(tz=UTC).timestamp())
                archive.addfile(info, _BytesReader(body))
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


class _BytesReader:
    def __init__(self, body: bytes) -> None:
        self.body, self.position = body, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.body) if size < 0 else self.position + size
        chunk = self.body[self.position : end]
        self.position += len(chunk)
        return chunk


# --- restore -----------------------------------------------------------------------------------


def _member_name(member: tarfile.TarInfo) -> str:
    name = PurePosixPath(member.name)
    if (
        not member.isfile()
        or name.is_absolute()
        or ".." in name.parts
        or not (name.parts and (name.parts[0] == FILES or len(name.parts) == 1))
    ):
        raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
    return name.as_posix()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_archive(archive_path: Path, into: Path) -> Manifest:
    """Unpack the archive into the directory into and check every member against the manifest.

    Raise BackupError when the archive cannot be read, holds anything unexpected, lacks a
    member or has one whose size or checksum differs."""
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                name = _member_name(member)
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is None or target.exists():
                    raise BackupError(f"The archive holds {member.name!r} twice.")
                with source, open(target, "wb") as handle:
                    shutil.copyfileobj(source, handle, CHUNK)
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(
            f"The archive cannot be read (damaged or not a backup): {error}"
        ) from None
    try:
        raw = json.loads((into / MANIFEST).read_text())
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(f"The archive has no readable manifest: {error}") from None
    if manifest.format != FORMAT:
        raise BackupError(f"The archive's format {manifest.format} is not {FORMAT}.")
    expected = {entry["path"]: entry for entry in [manifest.database, *manifest.files]}
    found = {path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()} - {
        MANIFEST
    }
    if found != set(expected):
        missing, extra = sorted(set(expected) - found), sorted(found - set(expected))
        raise BackupError(
            f"The archive does not match its manifest: missing {missing}, extra {extra}."
        )
    for name, entry in expected.items():
        path = into / name
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"The archive is damaged: {name} does not match its checksum.")
    return manifest


def check_migrations(manifest: Manifest, alias: str = "default") -> list[str]:
    """Refuse a backup whose database has migrations this code does not know (a newer
    version made it). Return this code's migrations the backup lacks (run migrate after)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(in_backup - known)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup was made by a newer version of hallbar ({manifest.app_version}): "
            f"its database has migrations this code does not know ({shown}). "
            "Restore it with the version that made it."
        )
    return [f"{app}.{name}" for app, name in sorted(known - in_backup)]


def refuse_unless_empty(alias: str = "default") -> None:
    """Refuse to restore over an installation that holds data."""
    if database_has_data(alias):
        raise BackupError(
            "The database already holds data: restore into an empty installation "
            "(a new, empty database; `migrate` alone is fine). Nothing was changed."
        )
    if next(data_files(alias), None) is not None:
        raise BackupError(
            f"The data directory ({data_dir()}) already holds files: restore into an empty "
            "one. Nothing was changed."
        )


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    files: int
    missing_migrations: list[str]


def restore_backup(archive_path: Path, alias: str = "default") -> Restored:
    """Restore the archive into this empty installation: first check it all, then the database,
    then the files. Return what was restored."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"There is no file {archive_path}.")
    root = data_dir()
    root.mkdir(parents=True, exist_ok=True)
    # Unpacked inside the data directory, so that the files are moved in place, not copied.
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=root) as staging_name:
        staging = Path(staging_name)
        manifest = read_archive(archive_path, staging)
        vendor = connections[alias].vendor
        if manifest.vendor != vendor:
            raise BackupError(
                f"The backup is of a {manifest.vendor} database; this installation uses "
                f"{vendor}. Nothing was changed."
            )
        missing = check_migrations(manifest, alias)
        refuse_unless_empty(alias)
        load_database(staging / manifest.database["path"], alias)
        for entry in manifest.files:
            relative = PurePosixPath(entry["path"]).relative_to(FILES)
            target = root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / entry["path"], target)
    return Restored(manifest=manifest, files=len(manifest.files), missing_migrations=missing)
