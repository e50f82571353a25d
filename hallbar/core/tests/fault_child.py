"""A db_worker that stops at a chosen call, to be killed there (test-only; see faults.py).

Environment: FAULT_STOP_AT names the function, "module:attribute" (the attribute may be
"Class.method"); FAULT_AT the call to stop at (counting from 1); FAULT_FLAG a file into which the
child writes, when it gets there, what it has written so far (in its own, uncommitted
transaction) as one line of JSON. It then sleeps until it is killed. FAULT_SET, optional,
"module:NAME=number" sets a module's constant first (a small row group, so that a write has
rows to stop between). The database, the data
directory and the task backend come from the environment as for any process of the platform.
"""

import importlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))


def _what_is_written() -> dict:
    from hallbar.contracts.models import Contract
    from hallbar.risk.screening.store import TEMP_PREFIX
    from hallbar.risk.spend import spend_root
    from hallbar.suppliers.models import Supplier, UnmatchedSpend

    return {
        "contracts": Contract.objects.count(),
        "suppliers": Supplier.objects.count(),
        "unmatched": UnmatchedSpend.objects.count(),
        "spend_temp": sorted(
            p.name for p in spend_root().iterdir() if p.name.startswith(TEMP_PREFIX)
        ),
    }


def _stop_here() -> None:
    flag = Path(os.environ["FAULT_FLAG"])
    flag.write_text(json.dumps(_what_is_written()) + "\n")
    time.sleep(120)  # killed long before (or the test has failed)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from hallbar.core.tests.faults import at_call

    if os.environ.get("FAULT_SET"):
        module_name, assignment = os.environ["FAULT_SET"].split(":")
        name, value = assignment.split("=")
        setattr(importlib.import_module(module_name), name, int(value))
    module_name, attribute = os.environ["FAULT_STOP_AT"].split(":")
    *owners, name = attribute.split(".")
    target = importlib.import_module(module_name)
    for owner in owners:
        target = getattr(target, owner)
    setattr(target, name, at_call(getattr(target, name), int(os.environ["FAULT_AT"]), _stop_here))
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--max-tasks", "1")


if __name__ == "__main__":
    main()
