"""Every CSV the project writes is escaped against formula injection, commands included."""

import ast
import io
from pathlib import Path

import hallbar
from hallbar.core.tabular import EscapedCsvWriter

ROOT = Path(hallbar.__file__).parent
WRITER_MODULE = ROOT / "core" / "tabular" / "writer.py"


def test_the_command_writer_escapes_formula_cells_and_keeps_numbers():
    out = io.StringIO()
    writer = EscapedCsvWriter(out, fieldnames=["name", "amount", "note"])
    writer.writeheader()
    writer.writerow({"name": "=1+2", "amount": -12.5, "note": "@SUM(A1)"})
    writer.writerow({"name": "-12.50", "amount": 3, "note": "plain"})
    assert out.getvalue().splitlines() == [
        "name,amount,note",
        "'=1+2,-12.5,'@SUM(A1)",
        "'-12.50,3,plain",
    ]


def test_the_command_writer_refuses_fields_it_was_not_told_about():
    writer = EscapedCsvWriter(io.StringIO(), fieldnames=["a"])
    try:
        writer.writerow({"a": 1, "b": 2})
    except ValueError as error:
        assert "b" in str(error)
    else:
        raise AssertionError("an unknown field was written silently")


def test_no_module_writes_csv_except_through_the_escaping_writer():
    """csv.writer and csv.DictWriter are used only in core/tabular/writer.py."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or path == WRITER_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in {"writer", "DictWriter"}
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
