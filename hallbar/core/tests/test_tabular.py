"""The tabular layer reads hostile CSV and XLSX uploads safely and writes escaped exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from openpyxl.styles import Font

from hallbar.core.tabular import (
    Table,
    TableError,
    TableIssue,
    check_columns,
    escape_cell,
    format_issue,
    is_formula_like,
    parse_amount,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    write_csv,
    write_xlsx,
)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _english_messages():
    """Show messages in English (their source language), with or without project settings."""
    if not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        yield


def naive(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """Return a datetime without time zone, as spreadsheet cells hold them."""
    return dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001


def read(tmp_path: Path, name: str, content: bytes, **options) -> Table:
    path = tmp_path / name
    path.write_bytes(content)
    return read_table(path, filename=name, **options)


def error_text(excinfo: pytest.ExceptionInfo[TableError]) -> str:
    return str(excinfo.value)


def rows_of(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(row.number, row.values) for row in table]


def make_xlsx(path: Path, rows: list[list[object]], *, title: str = "Avtal") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rewrite_sheet_xml(path: Path, change) -> None:
    """Apply `change(xml: bytes) -> bytes` to the first worksheet's XML inside an XLSX."""
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info.filename)
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# A guard against the reader hanging (walking a million rows takes minutes), not a speed target:
# a read that gives no answer in this time is killed and the test fails as hung. No test asserts
# how fast a read is; the speed of these worst cases is measured in bench/imports/worst_cases.py.
HANG_GUARD_SECONDS = 120


def read_in_subprocess(path: Path) -> dict:
    """Read a file in a fresh interpreter: a native crash or a memory spike cannot hide there."""
    # VmHWM is this process's own peak; ru_maxrss would include the forked pytest's.
    code = (
        "import json, re, sys\n"
        "from hallbar.core.tabular import read_table\n"
        "table = read_table(sys.argv[1], filename='upload.xlsx')\n"
        "rows = [[row.number, row.values] for row in table]\n"
        "status = open('/proc/self/status').read()\n"
        "peak = int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1)) // 1024\n"
        "print(json.dumps({'columns': table.columns, 'rows': rows, 'peak_mb': peak}))\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the reader hung: no answer in {HANG_GUARD_SECONDS} s")
    assert result.returncode == 0, f"reader died ({result.returncode}): {result.stderr[-2000:]}"
    return json.loads(result.stdout)


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_in_utf8_gives_stripped_values_by_column_with_line_numbers(tmp_path):
    table = read(
        tmp_path,
        "contracts.csv",
        b"name , annual_value_sek\nAcme AB,  1 234,50\n Bolaget ,99\n",
    )
    assert table.format == "csv" and table.encoding == "utf-8" and table.delimiter == ","
    assert table.columns == ["name", "annual_value_sek"]
    assert table.header_row == 1
    assert len(table) == 1
    # The comma in "1 234,50" splits the row: a ragged row is a row problem, not a crash.
    assert rows_of(table) == [(3, {"name": "Bolaget", "annual_value_sek": "99"})]
    assert [str(issue) for issue in table.issues] == [
        "contracts.csv, row 2: the row has 3 values, but the header row has 2 columns"
    ]


def test_csv_with_a_byte_order_mark_has_a_clean_first_column_name(tmp_path):
    table = read(tmp_path, "bom.csv", "\ufeffnamn;ort\nÅsa;Malmö\n".encode())
    assert table.columns == ["namn", "ort"]
    assert table.delimiter == ";"
    assert rows_of(table) == [(2, {"namn": "Åsa", "ort": "Malmö"})]


def test_csv_from_swedish_excel_in_windows_1252_is_decoded(tmp_path):
    content = "namn;ort\nÅsa Öberg;Västerås\n".encode("cp1252")
    table = read(tmp_path, "ansi.csv", content)
    assert table.encoding == "cp1252"
    assert rows_of(table) == [(2, {"namn": "Åsa Öberg", "ort": "Västerås"})]


@pytest.mark.parametrize(
    ("content", "offset", "line"),
    [
        # 0x9D is undefined in Windows-1252, so the fallback fails too.
        (b"name,value\nabc,\x9d\x9d\n", 15, 2),
        # Decodes as Windows-1252, but to control characters: binary, not text.
        (b"name,value\nabc,\xe5\x01\x02\n", 15, 2),
    ],
)
def test_csv_that_is_not_text_fails_naming_the_byte_and_line(tmp_path, content, offset, line):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "binary.csv", content)
    message = error_text(excinfo)
    assert "not UTF-8" in message
    assert f"offset {offset} (line {line})" in message


def test_csv_mixing_utf8_and_windows_1252_is_refused_rather_than_garbled(tmp_path):
    content = "namn\nÅsa\n".encode() + "Örebro\n".encode("cp1252")
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "mixed.csv", content)
    assert "mixes UTF-8 with another character encoding" in error_text(excinfo)


def test_csv_delimiter_is_sniffed_from_the_header_line(tmp_path):
    semicolon = read(tmp_path, "semi.csv", b'"a,b";c\n"1,5";2\n')
    assert semicolon.delimiter == ";"
    assert rows_of(semicolon) == [(2, {"a,b": "1,5", "c": "2"})]
    tab = read(tmp_path, "tab.csv", b"a\tb\n1\t2\n")
    assert tab.delimiter == "\t"
    assert rows_of(tab) == [(2, {"a": "1", "b": "2"})]
    single = read(tmp_path, "single.csv", b"name\nx\n")
    assert single.columns == ["name"]


def test_csv_ragged_rows_are_reported_per_row_and_left_out(tmp_path):
    content = b"a;b;c\n1;2;3\n1;2\n1;2;3;4\n1;2;3;;\n\n7;8;9\n"
    table = read(tmp_path, "ragged.csv", content)
    assert [(issue.row, str(issue.message)) for issue in table.issues] == [
        (3, "the row has 2 values, but the header row has 3 columns"),
        (4, "the row has 4 values, but the header row has 3 columns"),
    ]
    # Trailing empty fields are an export artefact, not a problem; the blank line is skipped
    # but still counted in the line numbers.
    assert [number for number, _values in rows_of(table)] == [2, 5, 7]
    assert len(table) == 3


def test_csv_with_nul_bytes_fails_clearly(tmp_path):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "nul.csv", b"a,b\n1,2\n3,\x004\n")
    assert "NUL bytes (the first on line 3)" in error_text(excinfo)


def test_csv_saved_as_utf16_gets_its_own_advice(tmp_path):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "unicode.csv", "a,b\n1,2\n".encode("utf-16"))
    assert "UTF-16" in error_text(excinfo)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \r\n\n"])
def test_empty_file_is_refused(tmp_path, content):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "empty.csv", content)
    assert error_text(excinfo) == "empty.csv: The file is empty."


def test_file_of_empty_fields_has_no_header(tmp_path):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "blank.csv", b";;;\n;;\n")
    assert "no header row" in error_text(excinfo)


def test_header_only_file_is_a_table_without_rows(tmp_path):
    table = read(tmp_path, "header.csv", b"name,annual_value_sek\r\n")
    assert table.columns == ["name", "annual_value_sek"]
    assert len(table) == 0 and list(table) == [] and table.issues == []


def test_csv_row_numbers_are_the_lines_where_records_start(tmp_path):
    content = b'\nname,note\n"A","two\nlines"\nB,one\n'
    table = read(tmp_path, "quoted.csv", content)
    assert table.header_row == 2
    assert rows_of(table) == [
        (3, {"name": "A", "note": "two\nlines"}),
        (5, {"name": "B", "note": "one"}),
    ]


def test_csv_with_an_unclosed_quote_fails_at_its_line(tmp_path):
    content = b'name,note\nA,ok\nB,"never closed\n' + b"x" * 200_000 + b"\n"
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "quote.csv", content)
    assert "from line 3 on" in error_text(excinfo)


def test_duplicate_column_names_are_refused(tmp_path):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "dup.csv", b"name,value,name\n1,2,3\n")
    assert error_text(excinfo) == (
        "dup.csv, row 1, column 'name': the column name appears more than once in the header row"
    )


def test_values_under_a_column_without_a_name_are_a_row_problem(tmp_path):
    table = read(tmp_path, "gap.csv", b"a,,c\n1,,3\n1,2,3\n")
    assert table.columns == ["a", "c"]
    assert rows_of(table) == [(2, {"a": "1", "c": "3"})]
    assert [str(issue) for issue in table.issues] == [
        "gap.csv, row 3: there is a value in column B, which has no name in the header row"
    ]


def test_text_with_an_excel_name_is_refused_rather_than_read_as_csv(tmp_path):
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "export.xls", b"<html><table><tr><td>1</td></tr></table></html>")
    assert "ends in .xls" in error_text(excinfo)


def test_a_csv_is_detected_by_content_whatever_its_name(tmp_path):
    table = read(tmp_path, "data.txt", b"a;b\n1;2\n")
    assert table.format == "csv" and rows_of(table) == [(2, {"a": "1", "b": "2"})]


def test_binary_file_objects_are_read_from_their_start(tmp_path):
    upload = io.BytesIO(b"a,b\n1,2\n")
    upload.read(3)  # a validator peeked at the upload
    table = read_table(upload, filename="upload.csv")
    assert rows_of(table) == [(2, {"a": "1", "b": "2"})]
    with pytest.raises(TypeError):
        read_table(io.StringIO("a,b\n"), filename="text.csv")


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path):
    content = b"a,b\n" + b"1,2\n" * 1000
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "big.csv", content, max_bytes=1000)
    assert "too large" in error_text(excinfo)
    with pytest.raises(TableError):
        read_table(io.BytesIO(content), filename="big.csv", max_bytes=1000)

    class Upload(io.BytesIO):
        size = 10**9  # Django's UploadedFile knows its size: nothing needs to be read

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(TableError):
        read_table(Upload(), filename="huge.xlsx")


def test_more_rows_than_allowed_is_a_file_error(tmp_path):
    content = b"a\n" + b"1\n" * 11
    assert len(read(tmp_path, "ok.csv", content, max_rows=11)) == 11
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "many.csv", content, max_rows=10)
    assert "more than 10 data rows" in error_text(excinfo)


def test_progress_is_reported_while_reading(tmp_path):
    calls = []
    read(tmp_path, "p.csv", b"a\n" + b"1\n" * 2500, progress=lambda done, total: calls.append(done))
    assert calls == [1000, 2000, 2500]


def test_formula_like_cells_are_read_as_literal_text(tmp_path):
    csv_table = read(tmp_path, "f.csv", b'name\n=1+2\n+46 70\n-12.50\n@SUM(A1)\n"\t=cmd"\n')
    assert [row.values["name"] for row in csv_table] == [
        "=1+2",
        "+46 70",
        "-12.50",
        "@SUM(A1)",
        "=cmd",
    ]
    path = make_xlsx(tmp_path / "f.xlsx", [["name"], ["'=1+2"], ["@x"]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["A4"] = "=SUM(1,2)"  # a real formula without a cached value
    workbook.save(path)
    xlsx_table = read_table(path, filename="f.xlsx")
    assert [row.values["name"] for row in xlsx_table] == ["'=1+2", "@x"]


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_cells_become_uniform_strings(tmp_path):
    path = tmp_path / "types.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "kind", " value ", "more"
    values = [
        ("int", 12, "12"),
        ("float", 12.5, "12.5"),
        ("tiny", 1e-7, "0.0000001"),
        ("huge", 1e20, "100000000000000000000"),
        ("negative", -1234.5, "-1234.5"),
        ("date", dt.date(2024, 1, 15), "2024-01-15"),
        ("datetime", naive(2024, 1, 15, 13, 45, 10), "2024-01-15 13:45:10"),
        ("midnight", naive(2024, 2, 29), "2024-02-29"),
        ("true", True, "true"),
        ("false", False, "false"),
        ("text", "  Åsa  ", "Åsa"),
    ]
    for offset, (kind, value, _text) in enumerate(values):
        sheet.cell(row=4 + offset, column=2, value=kind)
        sheet.cell(row=4 + offset, column=3, value=value)
    sheet["E5"] = "stray"
    workbook.save(path)

    table = read_table(path, filename="types.xlsx")
    assert table.format == "xlsx" and table.sheet == "Sheet"
    assert table.columns == ["kind", "value", "more"]
    assert table.header_row == 3
    got = {row.values["kind"]: (row.number, row.values["value"]) for row in table}
    expected = {kind: (4 + i, text) for i, (kind, _v, text) in enumerate(values) if kind != "float"}
    assert got == expected
    # The float row has a value in column E, which has no header: reported by its letter.
    assert [str(issue) for issue in table.issues] == [
        "types.xlsx, row 5: there is a value in column E, which has no name in the header row"
    ]


def test_xlsx_sheet_is_chosen_by_name_or_first_visible(tmp_path):
    path = tmp_path / "sheets.xlsx"
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "Listor"
    hidden.append(["lookup"])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Avtal").append(["name"])
    workbook["Avtal"].append(["Acme"])
    workbook.create_sheet("Leverantörer").append(["org_nr"])
    workbook.save(path)

    assert read_table(path, filename="s.xlsx").columns == ["name"]
    assert read_table(path, filename="s.xlsx", sheet="leverantörer").columns == ["org_nr"]
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="s.xlsx", sheet="Fakturor")
    assert "no sheet named 'Fakturor'. Its sheets are: 'Listor', 'Avtal', 'Leverantörer'" in (
        error_text(excinfo)
    )


def test_xlsx_with_formatted_cells_in_the_last_row_reads_without_hanging(tmp_path):
    path = make_xlsx(tmp_path / "formatted.xlsx", [["name", "value"], ["a", 1], ["b", 2]])
    workbook = openpyxl.load_workbook(path)
    for column in range(1, 27):
        workbook.active.cell(row=1_048_576, column=column).font = Font(bold=True)
    workbook.save(path)

    outcome = read_in_subprocess(path)
    assert outcome["rows"] == [[2, {"name": "a", "value": "1"}], [3, {"name": "b", "value": "2"}]]


def test_xlsx_with_a_million_formatted_empty_rows_reads_without_hanging(tmp_path):
    path = make_xlsx(tmp_path / "million.xlsx", [["name", "value"], ["a", 1], ["b", 2]])
    empty_rows = b"".join(
        b'<row r="%d" s="1" customFormat="1" ht="15"/>' % number for number in range(4, 1_048_577)
    )
    rewrite_sheet_xml(path, lambda xml: xml.replace(b"</sheetData>", empty_rows + b"</sheetData>"))

    outcome = read_in_subprocess(path)
    assert [number for number, _values in outcome["rows"]] == [2, 3]


def test_xlsx_whose_dimension_claims_the_whole_sheet_reads_without_hanging(tmp_path):
    path = make_xlsx(tmp_path / "dimension.xlsx", [["name"], ["a"], ["b"]])
    rewrite_sheet_xml(
        path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z1048576"', xml)
    )
    outcome = read_in_subprocess(path)
    assert [values for _number, values in outcome["rows"]] == [{"name": "a"}, {"name": "b"}]


@pytest.mark.parametrize("cell", ["Z1048576", "XFD1048576", "XFD3"])
def test_xlsx_with_a_stray_far_away_value_stays_small_and_alive(tmp_path, cell):
    # Calamine would allocate the whole rectangle up to the stray cell: 840 MB for Z1048576,
    # 512 GiB (the process aborts) for XFD1048576. The reader must notice and stream instead.
    path = make_xlsx(tmp_path / "stray.xlsx", [["name", "value"], ["a", 1]])
    workbook = openpyxl.load_workbook(path)
    workbook.active[cell] = "x"
    workbook.save(path)

    outcome = read_in_subprocess(path)
    assert outcome["columns"] == ["name", "value"]
    assert outcome["rows"][0] == [2, {"name": "a", "value": "1"}]
    assert outcome["peak_mb"] < 300, outcome


def test_xlsx_with_cells_addressed_unusually_is_streamed_not_guessed(tmp_path):
    path = make_xlsx(tmp_path / "odd.xlsx", [["name"], ["a"]])
    stray = b'<row r = "1048576"><c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rewrite_sheet_xml(path, lambda xml: xml.replace(b"</sheetData>", stray + b"</sheetData>"))
    outcome = read_in_subprocess(path)
    assert outcome["rows"] == [[2, {"name": "a"}]]
    assert outcome["peak_mb"] < 300, outcome


def test_xlsx_cells_without_references_are_placed_like_excel_does(tmp_path):
    path = make_xlsx(tmp_path / "positional.xlsx", [["placeholder"]])
    sheet_data = (
        b'<sheetData><row><c t="inlineStr"><is><t>a</t></is></c>'
        b'<c t="inlineStr"><is><t>b</t></is></c></row>'
        b"<row><c><v>1</v></c><c><v>2</v></c></row></sheetData>"
    )
    rewrite_sheet_xml(path, lambda xml: re.sub(rb"<sheetData>.*</sheetData>", sheet_data, xml))
    table = read_table(path, filename="positional.xlsx")
    assert rows_of(table) == [(2, {"a": "1", "b": "2"})]


def test_xlsx_reading_stops_after_a_long_run_of_empty_rows(tmp_path):
    path = make_xlsx(tmp_path / "gap.xlsx", [["name"], ["a"]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["A5000"] = "after the gap"
    workbook.save(path)
    assert [row.values["name"] for row in read_table(path, filename="gap.xlsx")] == ["a"]


def test_truncated_xlsx_is_reported_as_damaged(tmp_path):
    content = make_xlsx(tmp_path / "whole.xlsx", [["name"], ["a"]]).read_bytes()
    for cut in (len(content) // 2, 100):
        with pytest.raises(TableError) as excinfo:
            read(tmp_path, "broken.xlsx", content[:cut])
        assert error_text(excinfo) == (
            "broken.xlsx: The file is damaged or is not an Excel file (.xlsx)."
        )


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "archive.xlsx", buffer.getvalue())
    assert "damaged or is not an Excel file" in error_text(excinfo)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "calc.ods", buffer.getvalue())
    assert "OpenDocument (.ods)" in error_text(excinfo)


def test_password_protected_or_old_excel_file_gets_clear_advice(tmp_path):
    # An encrypted XLSX is an OLE2 compound file, like an old .xls: same signature.
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    with pytest.raises(TableError) as excinfo:
        read(tmp_path, "secret.xlsx", content)
    message = error_text(excinfo)
    assert "password-protected or saved in the old Excel format" in message
    assert "without a password" in message


def test_xlsx_with_an_empty_sheet_is_refused(tmp_path):
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="blank.xlsx")
    assert "blank.xlsx:" in error_text(excinfo)


def test_xlsx_that_unpacks_to_a_huge_sheet_is_refused(tmp_path):
    path = make_xlsx(tmp_path / "bomb.xlsx", [["name"], ["a"]])
    padding = b" " * (70 * 1024 * 1024)  # compresses to about 70 kB
    rewrite_sheet_xml(path, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="bomb.xlsx", max_bytes=1024 * 1024)
    assert "more than 100 times its size" in error_text(excinfo)


def add_shared_strings(path: Path, xml: bytes) -> None:
    """Give an XLSX a shared-strings part (openpyxl writes inline strings)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main">' + xml + b"</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_xlsx_with_a_shared_strings_bomb_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    """20 MB of one-letter shared strings in a 30 KB file: refused by its ratio, unparsed."""
    import hallbar.core.tabular.reader as reader

    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(reader, "_read_with_calamine", no_parsing)
    monkeypatch.setattr(reader, "_read_with_openpyxl", no_parsing)
    path = make_xlsx(tmp_path / "bomb.xlsx", [["name"], ["a"]])
    add_shared_strings(path, b"<si><t>a</t></si>" * (20 * 1024 * 1024 // 17))
    assert path.stat().st_size < 100 * 1024
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="bomb.xlsx")
    assert "bomb.xlsx:" in error_text(excinfo)
    assert "looks like a zip bomb" in error_text(excinfo)


def test_xlsx_with_too_many_cells_or_shared_strings_is_refused(tmp_path, settings):
    settings.HALLBAR_XLSX_MAX_CELLS = 100
    path = make_xlsx(tmp_path / "cells.xlsx", [["name", "x"]] + [["a", "b"]] * 50)
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="cells.xlsx")
    assert "more than 100 cells or texts" in error_text(excinfo)
    path = make_xlsx(tmp_path / "strings.xlsx", [["name"], ["a"]])
    add_shared_strings(path, b"<si><t>a</t></si>" * 101)
    with pytest.raises(TableError) as excinfo:
        read_table(path, filename="strings.xlsx")
    assert "more than 100 cells or texts" in error_text(excinfo)
    settings.HALLBAR_XLSX_MAX_CELLS = 102
    assert rows_of(read_table(path, filename="strings.xlsx")) == [(2, {"name": "a"})]


def test_xlsx_from_a_file_object(tmp_path):
    content = make_xlsx(tmp_path / "upload.xlsx", [["name"], ["a"]]).read_bytes()
    table = read_table(io.BytesIO(content), filename="upload.xlsx")
    assert rows_of(table) == [(2, {"name": "a"})]
    assert rows_of(table) == [(2, {"name": "a"})]  # iterating again reads again


# --- Writing ------------------------------------------------------------------------------------

HEADERS = ["name", "amount", "count", "date", "note"]
ROWS = [
    ['=HYPERLINK("http://evil")', Decimal("1234.50"), 3, dt.date(2024, 1, 15), "+46 70"],
    ["Åsa AB", -12.5, -3, naive(2024, 1, 15, 8, 30), "-12.50"],
    ["@SUM(A1)", 1e20, 0, None, "\tTAB"],
    ["plain, with comma", 0.1, True, None, "line\nbreak"],
]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+2", "'=1+2"),
        ("+46", "'+46"),
        ("-12.50", "'-12.50"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("Acme", "Acme"),
        ("", ""),
        (-12.5, -12.5),
        (Decimal("-1"), Decimal("-1")),
        (None, None),
    ],
)
def test_escape_cell(value, escaped):
    assert escape_cell(value) == escaped


def test_write_csv_is_utf8_with_bom_comma_separated_and_escaped(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, HEADERS, ROWS)
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbfname,amount,count,date,note\r\n")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert lines[1] == ['\'=HYPERLINK("http://evil")', "1234.50", "3", "2024-01-15", "'+46 70"]
    assert lines[2] == ["Åsa AB", "-12.5", "-3", "2024-01-15 08:30:00", "'-12.50"]
    assert lines[3] == ["'@SUM(A1)", "100000000000000000000", "0", "", "'\tTAB"]
    assert lines[4] == ["plain, with comma", "0.1", "true", "", "line\nbreak"]
    # Minimal quoting: only the value with a comma is quoted.
    assert b'"plain, with comma"' in content and '"Åsa AB"'.encode() not in content

    table = read_table(path, filename="export.csv")
    assert [row.values["name"] for row in table][0] == '\'=HYPERLINK("http://evil")'


def test_write_csv_to_binary_and_text_file_objects():
    binary = io.BytesIO()
    write_csv(binary, ["a"], [["=x"], [1]])
    assert binary.getvalue() == b"\xef\xbb\xbfa\r\n'=x\r\n1\r\n"
    text = io.StringIO()
    write_csv(text, ["a"], [["ö"]], delimiter=";")
    assert text.getvalue() == "\ufeffa\r\nö\r\n"


def test_write_xlsx_keeps_numbers_and_dates_and_escapes_formulas(tmp_path):
    path = tmp_path / "export.xlsx"
    rows = [*ROWS, ["bad\x01char", None, None, None, "x" * 40_000]]
    write_xlsx(path, HEADERS, rows, sheet_title="Avtal: 2024/25")

    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "Avtal  2024 25"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    formula = sheet["A2"]
    assert formula.data_type != "f" and formula.value == '\'=HYPERLINK("http://evil")'
    assert sheet["A4"].value == "'@SUM(A1)" and sheet["A4"].data_type == "s"
    assert sheet["E2"].value == "'+46 70" and sheet["E3"].value == "'-12.50"
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == Decimal("1234.50")
    assert sheet["B3"].value == -12.5 and sheet["C3"].value == -3
    assert sheet["D2"].is_date and sheet["D2"].value == naive(2024, 1, 15)
    assert sheet["D3"].value == naive(2024, 1, 15, 8, 30)
    assert sheet["C5"].value is True
    assert sheet["A6"].value == "bad\ufffdchar"
    assert len(sheet["E6"].value) == 32_767
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    table = read_table(path, filename="export.xlsx")
    first = next(iter(table)).values
    assert first["name"] == '\'=HYPERLINK("http://evil")'
    assert first["amount"] == "1234.5" and first["date"] == "2024-01-15"


def test_write_xlsx_to_a_file_object():
    buffer = io.BytesIO()
    write_xlsx(buffer, ["a"], [[1]], sheet_title="")
    buffer.seek(0)
    assert openpyxl.load_workbook(buffer).active["A2"].value == 1


def test_aware_datetimes_are_written_in_local_time(tmp_path):
    if settings.TIME_ZONE != "Europe/Stockholm":
        pytest.skip("needs the project's settings (TIME_ZONE = Europe/Stockholm)")
    moment = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    write_csv(buffer, ["when"], [[moment]])
    assert buffer.getvalue().decode("utf-8-sig").splitlines()[1] == "2024-06-01 12:00:00"


# --- Parsers and helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("1 234 567", Decimal("1234567")),
        ("1\u00a0234\u00a0567,5", Decimal("1234567.5")),
        ("1\u202f234", Decimal("1234")),
        ("-12,50", Decimal("-12.50")),
        ("\u221212,50", Decimal("-12.50")),
        ("12,50-", Decimal("-12.50")),
        ("+5", Decimal("5")),
        ("  42  ", Decimal("42")),
        (",5", Decimal("0.5")),
        ("0", Decimal("0")),
        ("100000000000000000000", Decimal("100000000000000000000")),
    ],
)
def test_parse_decimal_accepts_numbers_as_written_in_sweden(text, value):
    assert parse_decimal(text) == (value, None)


@pytest.mark.parametrize(
    "text",
    ["=1+2", "abc", "1,234.50", "1.234,50", "12 34", "1 2345", "1e5", "12 kr", "1.2.3", "--1", "-",
     "٣", "1" * 41],
)  # fmt: skip
def test_parse_decimal_rejects_everything_else(text):
    value, message = parse_decimal(text)
    assert value is None and message is not None
    assert text.strip()[:20] in str(message)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,34", Decimal("12.34")), ("1 234 567,5", Decimal("1234567.5")), ("-0.01", Decimal("-0.01")),
     ("1000", Decimal("1000"))],
)  # fmt: skip
def test_parse_amount_accepts_kronor_with_oere(text, value):
    assert parse_amount(text) == (value, None)


@pytest.mark.parametrize("text", ["12,345", "12.345", "1.005", "12,500", "0,001"])
def test_parse_amount_refuses_more_than_two_decimals_naming_the_value(text):
    value, message = parse_amount(text)
    assert value is None and text in str(message) and "two decimals" in str(message)


def test_parse_amount_keeps_the_other_rules():
    assert "ambiguous" in str(parse_amount("1.234,50")[1])
    assert parse_amount("") == (None, None)


def test_parse_decimal_leaves_empty_to_the_caller():
    assert parse_decimal("  ") == (None, None)


def test_parse_int():
    assert parse_int("1 234") == (1234, None)
    assert parse_int("-5") == (-5, None)
    assert parse_int("12,0") == (12, None)
    assert parse_int("") == (None, None)
    value, message = parse_int("12,5")
    assert value is None and str(message) == "not a whole number: '12,5'"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-01-15", dt.date(2024, 1, 15)),
        ("2024/01/15", dt.date(2024, 1, 15)),
        ("2024-1-5", dt.date(2024, 1, 5)),
        ("2024-01-15 00:00:00", dt.date(2024, 1, 15)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("45306", dt.date(2024, 1, 15)),
    ],
)
def test_parse_date_accepts(text, value):
    assert parse_date(text) == (value, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15/01/2024", "not a date: '15/01/2024' (write dates as YYYY-MM-DD)"),
        ("2024-01-15 13:45:00", "not a date: '2024-01-15 13:45:00' (write dates as YYYY-MM-DD)"),
        ("2024-01/15", "not a date: '2024-01/15' (write dates as YYYY-MM-DD)"),
        ("2023-02-29", "no such date: '2023-02-29'"),
        ("2024-13-01", "no such date: '2024-13-01'"),
        ("2024", "not a date: '2024' (write dates as YYYY-MM-DD)"),
        ("45306.5", "not a date: '45306.5' (write dates as YYYY-MM-DD)"),
        ("20240115", "not a date: '20240115' (write dates as YYYY-MM-DD)"),
    ],
)
def test_parse_date_rejects_clearly(text, message):
    value, why = parse_date(text)
    assert value is None and str(why) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [("ja", True), ("Nej", False), ("YES", True), ("no", False), ("true", True),
     ("FALSE", False), ("1", True), ("0", False), ("x", True), ("X", True), ("SANT", True),
     ("falskt", False), ("", None)],
)  # fmt: skip
def test_parse_bool(text, value):
    assert parse_bool(text) == (value, None)


def test_parse_bool_rejects_others():
    value, message = parse_bool("kanske")
    assert value is None
    assert str(message) == "not yes or no: 'kanske' (write ja/nej, yes/no, true/false, 1/0 or x)"


@pytest.mark.parametrize(
    ("text", "formula_like"),
    [("=1", True), ("+1", True), ("-1", True), ("@a", True), ("\tx", True), ("\rx", True),
     (" =1", True), ("Acme", False), ("a=b", False), ("", False), ("1-2", False)],
)  # fmt: skip
def test_is_formula_like(text, formula_like):
    assert is_formula_like(text) is formula_like


def test_check_columns_reports_missing_and_unknown_columns(tmp_path):
    table = read(tmp_path, "c.csv", b"Name,annual_valu,colour,org_nr\n")
    issues = check_columns(table, ["name", "annual_value", "org_nr"], ["note"])
    assert [str(issue) for issue in issues] == [
        "c.csv, row 1, column 'name': the required column is missing",
        "c.csv, row 1, column 'annual_value': the required column is missing",
        "c.csv, row 1, column 'Name': unknown column; did you mean 'name'?",
        "c.csv, row 1, column 'annual_valu': unknown column; did you mean 'annual_value'?",
        "c.csv, row 1, column 'colour': unknown column; the expected columns are: "
        "name, annual_value, org_nr, note",
    ]
    ok = read(tmp_path, "ok.csv", b"name,annual_value,org_nr\n")
    assert check_columns(ok, ["name", "annual_value", "org_nr"], ["note"]) == []


def test_issues_format_with_and_without_location():
    assert format_issue(TableIssue("a.csv", 14, "annual_value_sek", parse_decimal("abc")[1])) == (
        "a.csv, row 14, column 'annual_value_sek': not a number: 'abc'"
    )
    assert format_issue(TableIssue("a.csv", 3, None, "bad row")) == "a.csv, row 3: bad row"
    assert format_issue(TableIssue("a.csv", None, "x", "bad")) == "a.csv, column 'x': bad"
    assert format_issue(TableIssue("a.csv", None, None, "bad")) == "a.csv: bad"
    error = TableError(
        [TableIssue("a.csv", None, None, "one"), TableIssue("a.csv", 2, None, "two")]
    )
    assert str(error) == "a.csv: one\na.csv, row 2: two"


def test_messages_are_translated_when_shown_not_when_made():
    _value, message = parse_decimal("abc")
    assert isinstance(message, Promise)
    assert str(message) == "not a number: 'abc'"
    assert parse_decimal("x" * 100)[1] is not None
    shown = str(parse_decimal("a\nb")[1])
    assert shown == "not a number: 'a\\nb'"
