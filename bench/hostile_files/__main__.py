"""Peak memory of reading hostile import files, each in a fresh interpreter.

    .venv/bin/python -m bench.hostile_files

Builds a 10 MB OCDS JSON of five million numbers, a deeply nested JSON, and two XLSX bombs (a
shared-strings bomb and a sheet of 8 million cells), then reads each with the importers' readers
in a subprocess and prints whether it was refused, the time and the subprocess's peak RSS
(VmHWM, which includes Django's own ~100 MB). Exits non-zero when a file is read instead of
refused or a peak exceeds 300 MB.
"""

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

LIMIT_MB = 300
SHEET_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CHILD = r"""
import json, os, re, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
import django
django.setup()
path = sys.argv[1]
if path.endswith(".json"):
    from hallbar.contracts.ocds import parse_release_package
    with open(path, "rb") as f:
        records, issues = parse_release_package(f.read(), filename=os.path.basename(path))
    outcome = str(issues[0].message) if issues and not records else f"read {len(records)}"
else:
    from hallbar.core.tabular import TableError, read_table
    try:
        outcome = f"read {len(read_table(path, filename=os.path.basename(path)))} rows"
    except TableError as error:
        outcome = str(error)
peak = int(re.search(r"VmHWM:\s*(\d+)", open("/proc/self/status").read()).group(1)) // 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def xlsx(sheet_rows: bytes, shared: bytes | None) -> bytes:
    buffer = io.BytesIO()
    rels = (
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    )
    if shared is not None:
        rels += (
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
    ns = b'xmlns="' + SHEET_NS + b'"'
    rel_ns = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    doc_rel = (
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/>'
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        z.writestr(
            "_rels/.rels", b"<Relationships " + rel_ns + b">" + doc_rel + b"</Relationships>"
        )
        z.writestr(
            "xl/workbook.xml",
            b"<workbook "
            + ns
            + b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Avtal" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            b"<Relationships " + rel_ns + b">" + rels + b"</Relationships>",
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            b"<worksheet " + ns + b"><sheetData>" + sheet_rows + b"</sheetData></worksheet>",
        )
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", b"<sst " + ns + b">" + shared + b"</sst>")
    return buffer.getvalue()


def files(folder: Path) -> list[Path]:
    made = {
        "numbers.json": b'{"releases": [' + b",".join([b"1"] * 5_000_000) + b"]}",
        "deep.json": b'{"releases": [' + b"[" * 500_000 + b"]" * 500_000 + b"]}",
        "shared-strings-bomb.xlsx": xlsx(
            b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
            b"<si><t>a</t></si>" * (300_000_000 // 17),
        ),
        "cells-bomb.xlsx": xlsx(
            b"".join(
                b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 100 + b"</row>"
                for _ in range(80_000)
            ),
            None,
        ),
    }
    paths = []
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for path in files(Path(tmp)):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            seconds = time.monotonic() - started
            if result.returncode:
                print(f"{path.name}: the reader died: {result.stderr[-500:]}")
                failed = True
                continue
            outcome = json.loads(result.stdout.strip().splitlines()[-1])
            refused = not outcome["outcome"].startswith("read")
            failed |= not refused or outcome["peak_mb"] > LIMIT_MB
            print(
                f"{path.name:26} {path.stat().st_size / 1e6:7.2f} MB  "
                f"peak {outcome['peak_mb']:4} MB  {seconds:5.1f} s  {outcome['outcome'][:110]}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
