"""Evidence uploads: Office files that are zip bombs are refused before anything unpacks them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hallbar.followups import files

CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'


def office(entries: dict[str, bytes], *, kind: str = "docx") -> bytes:
    buffer = io.BytesIO()
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(main, b"<document/>")
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def store(data: bytes, name: str = "bevis.docx"):
    return files.store_upload(SimpleUploadedFile(name, data), folder="test")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def stored_files(data_dir) -> list:
    return [path for path in (data_dir / "documents").rglob("*") if path.is_file()]


def test_an_ordinary_docx_and_xlsx_with_an_embedded_workbook_are_stored(data_dir):
    embedded = office({"xl/worksheets/sheet1.xml": b"<c>1</c>" * 1000}, kind="xlsx")
    docx = office(
        {
            "word/styles.xml": b"<style/>" * 5000,
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": embedded,
        }
    )
    assert store(docx).content_type == files.DOCX
    assert store(embedded, "tabell.xlsx").content_type == files.XLSX
    assert len(stored_files(data_dir)) == 2


def test_a_docx_that_unpacks_to_gigabytes_is_refused(data_dir, settings):
    # 60 MB of zeros compress to about 60 KB: a ratio of 1000:1.
    bomb = office({"word/media/image1.png": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError) as error:
        store(bomb)
    assert "bevis.docx unpacks to" in error.value.messages[0]
    assert "zip bomb" in error.value.messages[0]
    assert stored_files(data_dir) == []
    # Above the total limit, whatever the ratio.
    settings.HALLBAR_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as error:
        store(office({"word/styles.xml": b"<style/>" * 200_000}))
    assert "may unpack to at most 1.0 MB" in error.value.messages[0]


def test_an_office_file_of_too_many_entries_is_refused(data_dir):
    many = office({f"word/part{i}.xml": b"" for i in range(files.MAX_ARCHIVE_ENTRIES)})
    with pytest.raises(ValidationError) as error:
        store(many)
    assert f"at most {files.MAX_ARCHIVE_ENTRIES}" in error.value.messages[0]
    assert stored_files(data_dir) == []


def test_an_archive_inside_an_embedded_archive_is_refused(data_dir):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("bomb.zip", b"PK\x03\x04" + b"\0" * 100)
    nested = office({"word/embeddings/data.zip": inner.getvalue()})
    with pytest.raises(ValidationError) as error:
        store(nested)
    assert "archive inside an embedded archive" in error.value.messages[0]
    assert stored_files(data_dir) == []


def test_the_sizes_of_an_embedded_archive_count_too(data_dir):
    embedded = office({"xl/sharedStrings.xml": b"\0" * (60 * 1024 * 1024)}, kind="xlsx")
    docx = office({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": embedded})
    with pytest.raises(ValidationError) as error:
        store(docx)
    assert "zip bomb" in error.value.messages[0]
