"""Uploaded documents: the type is read from the content, files live outside the web root.

Accepted: PDF, PNG, JPEG, XLSX and DOCX. The browser's claimed type and the file name are not
trusted; a file is accepted only when its first bytes (and, for the Office formats, its ZIP
directory) say what it is. Files are stored under DATA_DIR/documents/ with a random name and are
served only by the permission-checked download view.
"""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", XLSX: ".xlsx", DOCX: ".docx"}
ACCEPT = ",".join(sorted(set(EXTENSIONS.values()) | {".jpeg"}))


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
    partial = target_dir / f".{uuid.uuid4().hex}.part"
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


def absolute_path(stored_path: str) -> Path:
    """Return the file's path, refusing any stored path that leaves the documents folder."""
    root = documents_root().resolve()
    path = (Path(settings.DATA_DIR) / stored_path).resolve()
    if root not in path.parents:
        raise FileNotFoundError(stored_path)
    return path
