"""`manage.py backup` and `restore`: the demo goes round trip on the database the suite runs on
(SQLite under `make test`, PostgreSQL under `make test-postgres`), every table and every file
compared; a damaged archive or an installation holding data changes nothing."""

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from hallbar.contracts.models import Contract
from hallbar.core import backup, heartbeat
from hallbar.core.models import WorkerHeartbeat
from hallbar.organisations.models import Region, User

pytestmark = pytest.mark.django_db(transaction=True)


def _use_data_dir(settings, path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    settings.DATA_DIR = path
    settings.MEDIA_ROOT = path / "uploads"
    settings.STATIC_ROOT = path / "staticfiles"
    return path


def table_digests() -> dict[str, tuple[int, str]]:
    """Return each table's row count and a digest of all its rows (in any order)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def file_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not path.relative_to(root).as_posix().startswith("staticfiles/")
        and not path.name.startswith("hallbar.sqlite3")
    }


def _empty_installation(settings, data_dir: Path) -> None:
    """A new installation: every table emptied (as after `migrate`), an empty data directory."""
    call_command("flush", interactive=False, verbosity=0)
    _use_data_dir(settings, data_dir)


def test_the_demo_goes_round_trip(settings, tmp_path):
    # Given the small demo, an upload, and what must not travel: static files, the demo's key
    first = _use_data_dir(settings, tmp_path / "first")
    call_command("load_demo", "--small", verbosity=0)
    (first / "uploads" / "imports").mkdir(parents=True)
    (first / "uploads" / "imports" / "suppliers.csv").write_text("name\nAcme AB\n")
    (first / "staticfiles").mkdir(exist_ok=True)
    (first / "staticfiles" / "app.css").write_text("body{}")
    (first / "demo-secret-key").write_text("not to be backed up")
    (first / "worker.log").write_text("a log line")
    tables, files = table_digests(), file_checksums(first)
    files.pop("demo-secret-key"), files.pop("worker.log")
    assert Contract.objects.count() > 100 and User.objects.count() > 5
    assert any(name.startswith("spend/") and name.endswith(".parquet") for name in files)
    assert any(name.startswith("documents/") for name in files)

    # When it is backed up and restored into an empty installation
    archive = tmp_path / "backups" / "hallbar.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())
    _empty_installation(settings, tmp_path / "second")
    assert not Contract.objects.exists()
    output = io.StringIO()
    call_command("restore", archive, stdout=output)

    # Then every table and every file is as it was, and nothing else came along
    assert "Restored the database and" in output.getvalue()
    assert table_digests() == tables
    assert file_checksums(tmp_path / "second") == files
    assert not (tmp_path / "second" / "demo-secret-key").exists()
    assert not (tmp_path / "second" / "worker.log").exists()
    assert not (tmp_path / "second" / "staticfiles" / "app.css").exists()
    assert User.objects.filter(username="kansli").exists()


@pytest.fixture
def small_installation(settings, tmp_path, reference_data):
    data = _use_data_dir(settings, tmp_path / "data")
    (data / "documents").mkdir()
    (data / "documents" / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    (data / "spend").mkdir()
    (data / "spend" / "part.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 40)
    User.objects.create_user(username="kept", password="a-long-password-1")
    heartbeat.beat("a-worker-of-this-installation", timezone.now())
    return data


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.load(member)


def test_the_manifest_lists_every_member_with_its_checksum(small_installation, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())
    manifest = _manifest(archive)
    assert manifest["format"] == 1 and manifest["vendor"] == connection.vendor
    assert manifest["app_version"]
    # the manifest names every applied migration, the newest on disk included
    [(_, newest)] = MigrationLoader(connection).graph.leaf_nodes("core")
    assert newest in manifest["migrations"]["core"]
    assert manifest["created_at"].endswith("+00:00")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        for entry in [manifest["database"], *manifest["files"]]:
            member = tar.extractfile(entry["path"])
            assert member is not None
            body = member.read()
            assert (len(body), hashlib.sha256(body).hexdigest()) == (entry["size"], entry["sha256"])
    assert sorted(names) == sorted(
        ["manifest.json", manifest["database"]["path"], *(f["path"] for f in manifest["files"])]
    )
    assert {f["path"] for f in manifest["files"]} == {
        "files/documents/evidence.pdf",
        "files/spend/part.parquet",
    }
    assert archive.stat().st_mode & 0o077 == 0  # the archive holds password hashes


def test_restore_refuses_an_installation_that_holds_data(small_installation, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())
    User.objects.create_user(username="added-after", password="a-long-password-2")
    before = table_digests()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", archive)
    assert table_digests() == before

    # an empty database but a data directory with files is refused too
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="data directory .* already holds files"):
        call_command("restore", archive)
    assert not User.objects.exists()


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy the archive with change(name, body) -> body applied to each member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            handle = source.extractfile(member)
            assert handle is not None
            body = change(member.name, handle.read())
            member.size = len(body)
            copy.addfile(member, io.BytesIO(body))


DAMAGES = {
    "file": "spend/part.parquet does not match its checksum",
    "database": "does not match its checksum",
    "truncated": "cannot be read",
    "extra": "does not match its manifest",
    "escape": "unexpected entry",
}


def _damage(archive: Path, damaged: Path, damage: str) -> None:
    if damage == "truncated":
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage in ("extra", "escape"):
        # a member the manifest does not list, or one that would land outside the directory
        name = "files/spend/extra.parquet" if damage == "extra" else "../outside.txt"
        with gzip.open(archive) as raw:
            body = raw.read()
        buffer = io.BytesIO()
        with (
            tarfile.open(fileobj=io.BytesIO(body)) as source,
            tarfile.open(fileobj=buffer, mode="w") as copy,
        ):
            for member in source:
                copy.addfile(member, source.extractfile(member))
            info = tarfile.TarInfo(name)
            info.size = 3
            copy.addfile(info, io.BytesIO(b"bad"))
        damaged.write_bytes(gzip.compress(buffer.getvalue()))
    else:
        prefix = "files/spend/part.parquet" if damage == "file" else "database."

        def flip(name: str, body: bytes) -> bytes:
            if name.startswith(prefix):
                return body[:100] + bytes([body[100] ^ 0xFF]) + body[101:]
            return body

        _rewrite(archive, damaged, flip)


def test_a_damaged_archive_changes_nothing(small_installation, settings, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())
    _empty_installation(settings, tmp_path / "empty")
    before = table_digests()
    for damage, message in DAMAGES.items():
        damaged = tmp_path / f"{damage}.tar.gz"
        _damage(archive, damaged, damage)
        with pytest.raises(CommandError, match=message):
            call_command("restore", damaged)
        assert table_digests() == before, damage
        assert [p for p in (tmp_path / "empty").rglob("*") if p.is_file()] == [], damage
        assert not (tmp_path / "outside.txt").exists()
    # the undamaged archive restores, without the old installation's worker heartbeats
    call_command("restore", archive, stdout=io.StringIO())
    assert User.objects.filter(username="kept").exists()
    assert not WorkerHeartbeat.objects.exists()


def test_a_backup_made_by_a_newer_version_is_refused(small_installation, settings, tmp_path):
    archive, newer = tmp_path / "b.tar.gz", tmp_path / "newer.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())

    def add_migration(name: str, body: bytes) -> bytes:
        if name != "manifest.json":
            return body
        manifest = json.loads(body)
        manifest["migrations"]["core"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, add_migration)
    _empty_installation(settings, tmp_path / "empty")
    with pytest.raises(CommandError, match="newer version of hallbar"):
        call_command("restore", newer)
    assert not Region.objects.exists()


def test_backup_writes_nothing_under_the_name_when_it_fails(
    small_installation, tmp_path, monkeypatch
):
    def broken_dump(target, alias="default"):
        raise backup.BackupError("pg_dump failed: no space left")

    monkeypatch.setattr(backup, "dump_database", broken_dump)
    with pytest.raises(CommandError, match="no space left"):
        call_command("backup", out=tmp_path / "b.tar.gz")
    assert list(tmp_path.glob("b.tar.gz*")) == []
