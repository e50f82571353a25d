"""Worst-case spreadsheets for the table reader: ``python -m bench.tabular [--quick]``.

The reader's tests (``hallbar/core/tests/test_tabular.py``) check that these files are read
right and that the read does not hang; they assert no time. This benchmark times them: a
workbook whose last possible row carries formatting, one with a million formatted empty rows, one
whose dimension claims the whole sheet and one with a stray value in the far corner (XFD1048576).
Each is read once with ``hallbar.core.tabular.read_table`` and its seconds printed; a read slower
than ``--limit`` seconds (default 30: a laptop reads each in well under a second) is reported
and the exit status is 1. ``--quick`` leaves out the million-row file.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from hallbar.core.tabular import read_table


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _rewrite_sheet(path: Path, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def formatted_last_row(folder: Path) -> Path:
    path = _workbook(folder / "formatted.xlsx", [["name", "value"], ["a", 1], ["b", 2]])
    workbook = openpyxl.load_workbook(path)
    for column in range(1, 27):
        workbook.active.cell(row=1_048_576, column=column).font = Font(bold=True)
    workbook.save(path)
    return path


def million_empty_rows(folder: Path) -> Path:
    path = _workbook(folder / "million.xlsx", [["name", "value"], ["a", 1], ["b", 2]])
    rows = b"".join(
        b'<row r="%d" s="1" customFormat="1" ht="15"/>' % n for n in range(4, 1_048_577)
    )
    _rewrite_sheet(path, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    return path


def whole_sheet_dimension(folder: Path) -> Path:
    path = _workbook(folder / "dimension.xlsx", [["name"], ["a"], ["b"]])
    _rewrite_sheet(
        path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z1048576"', xml)
    )
    return path


def stray_far_value(folder: Path) -> Path:
    path = _workbook(folder / "stray.xlsx", [["name", "value"], ["a", 1]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["XFD1048576"] = "x"
    workbook.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the million-row file")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a read may take")
    options = parser.parse_args(argv)
    cases = [formatted_last_row, whole_sheet_dimension, stray_far_value]
    if not options.quick:
        cases.insert(1, million_empty_rows)
    slow = []
    with tempfile.TemporaryDirectory() as folder:
        for make in cases:
            path = make(Path(folder))
            started = time.perf_counter()
            rows = list(read_table(path, filename=path.name))
            seconds = time.perf_counter() - started
            print(f"{make.__name__:<24} {len(rows):>3} rows  {seconds:7.3f} s")
            if seconds > options.limit:
                slow.append(make.__name__)
    if slow:
        print(f"slower than {options.limit} s: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
