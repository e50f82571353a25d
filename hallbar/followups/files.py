"""Uploaded documents: the type is read from the content, files live outside the web root.

Accepted: PDF, PNG, JPEG, XLSX and DOCX. The browser's claimed type and the file name are not
trusted; a file is accepted only when its first bytes (and, for the Office formats, its ZIP
directory) say what it is. Files are stored under DATA_DIR/documents/ with a random name and are
served only by the permission-checked download view.
"""

import hashlib
import logging
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hallbar.core.cleanup import remove_partial_files

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", XLSX: ".xlsx", DOCX: ".docx"}
ACCEPT = ",".join(sorted(set(EXTENSIONS.values()) | {".jpeg"}))
#: A file is received into a hidden partial file, renamed when it has been checked. A partial
#: file older than this was left by a killed upload (no upload takes an hour).
PARTIAL_SUFFIX = ".part"
PARTIAL_MAX_AGE_SECONDS = 3600

logger = logging.getLogger(__name__)


#: Limits on an Office file (a ZIP archive) before anything reads it: the sum of its entries'
#: uncompressed sizes, the ratio of that sum to the file's compressed size (ordinary DOCX and
#: XLSX files are under 20:1; a zip bomb is thousands to one), the number of entries, and archives
#: inside it (an Office file embeds a workbook in word/embeddings/, one level deep, no further).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_APPLIES_ABOVE = 2 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2_000
_ARCHIVE_SUFFIXES = (".zip", ".xlsx", ".docx", ".xlsm", ".pptx", ".jar", ".gz", ".7z", ".rar")


def max_upload_bytes() -> int:
    return int(getattr(settings, "HALLBAR_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def sniff(head: bytes, path: Path | None = None) -> str | None:
    """Return the content type the file's bytes show, or None when it is not an accepted type."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and path is not None:
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
    return None


def archive_refusal(path: Path, name: str) -> str | None:
    """Return why the ZIP archive at path may not be stored (a zip bomb), or None.

    Only the archive's directory is read, and of a nested archive only its directory too, after
    its declared size passed the limits; zipfile never returns more than a declared size.
    """
    limit = int(getattr(settings, "HALLBAR_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))
    try:
        with zipfile.ZipFile(path) as archive:
            return _archive_problem(archive, name, path.stat().st_size, limit, nested=False)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None  # not a readable archive: sniff() refuses it as an unknown type


def _archive_problem(
    archive: zipfile.ZipFile, name: str, compressed: int, limit: int, *, nested: bool
) -> str | None:
    entries = archive.infolist()
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        return _("%(name)s holds %(count)s files; an Office file may hold at most %(limit)s.") % {
            "name": name,
            "count": len(entries),
            "limit": MAX_ARCHIVE_ENTRIES,
        }
    total = sum(entry.file_size for entry in entries)
    if total > limit:
        return _(
            "%(name)s unpacks to %(size)s MB; an Office file may unpack to at most %(limit)s MB."
        ) % {"name": name, "size": round(total / 1e6, 1), "limit": round(limit / 1e6, 1)}
    if total > RATIO_APPLIES_ABOVE and total > MAX_COMPRESSION_RATIO * max(compressed, 1):
        return _(
            "%(name)s unpacks to %(ratio)s times its size; an Office file may unpack to at most "
            "%(limit)s times its size (this looks like a zip bomb)."
        ) % {"name": name, "ratio": total // max(compressed, 1), "limit": MAX_COMPRESSION_RATIO}
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as stream:
            is_archive = stream.read(4) == b"PK\x03\x04"
        if not is_archive and not entry.filename.lower().endswith(_ARCHIVE_SUFFIXES):
            continue
        if nested:
            return _("%(name)s holds an archive inside an embedded archive.") % {"name": name}
        if not is_archive:
            continue
        try:
            # A seekable stream of the entry: its directory is read without unpacking it all.
            with archive.open(entry) as inner, zipfile.ZipFile(inner) as inner_archive:
                problem = _archive_problem(
                    inner_archive, name, entry.compress_size, limit, nested=True
                )
        except zipfile.BadZipFile:
            continue
        if problem:
            return problem
    return None


@dataclass(frozen=True)
class StoredFile:
    filename: str
    stored_path: str  # relative to DATA_DIR
    content_type: str
    size: int
    sha256: str


def documents_root() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def store_upload(upload, *, folder: str) -> StoredFile:
    """Check and store an uploaded file; raise ValidationError saying why it was refused."""
    name = Path(upload.name or "file").name[:200]
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": round(upload.size / 1e6, 1), "limit": round(limit / 1e6, 1)}
        )
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    target_dir = documents_root() / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target_dir / f".{uuid.uuid4().hex}{PARTIAL_SUFFIX}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                if not head:
                    head = chunk[:16]
                size += len(chunk)
                if size > limit:
                    raise ValidationError(
                        _("%(name)s is larger than %(limit)s MB.")
                        % {"name": name, "limit": round(limit / 1e6, 1)}
                    )
                digest.update(chunk)
                out.write(chunk)
        if head.startswith(b"PK\x03\x04") and (problem := archive_refusal(partial, name)):
            raise ValidationError(problem)
        content_type = sniff(head, partial)
        if content_type is None:
            raise ValidationError(
                _(
                    "%(name)s is not a PDF, PNG, JPEG, XLSX or DOCX file (the type is read from "
                    "the file's content, not its name)."
                )
                % {"name": name}
            )
        final = target_dir / f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(
        filename=name,
        stored_path=str(final.relative_to(Path(settings.DATA_DIR))),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def clean_partial_uploads() -> list[str]:
    """Remove the partial files of killed uploads (by `manage.py cleanup`); return a line if any
    were removed. A partial file younger than PARTIAL_MAX_AGE_SECONDS may be an upload in
    progress and is kept."""
    root = documents_root()
    return remove_partial_files(
        root.rglob(f".*{PARTIAL_SUFFIX}") if root.is_dir() else [],
        older_than=PARTIAL_MAX_AGE_SECONDS,
        what="killed evidence uploads",
    )


def absolute_path(stored_path: str) -> Path:
    """Return the file's path, refusing any stored path that leaves the documents folder."""
    root = documents_root().resolve()
    path = (Path(settings.DATA_DIR) / stored_path).resolve()
    if root not in path.parents:
        raise FileNotFoundError(stored_path)
    return path
