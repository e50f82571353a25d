"""An annual-report job killed while it writes its PDF leaves only a partial file, which no
download offers and `manage.py cleanup` removes once no job can still be writing it."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from hallbar.reporting import jobs
from hallbar.reporting.jobs import PARTIAL_MAX_AGE_SECONDS, reports_dir

pytestmark = pytest.mark.django_db


class _Job:
    """What `_run` reads of a job."""

    params = {"year": 2024, "language": "sv"}
    public_id = "killed"


def _killed_while_writing(self: Path, data: bytes) -> int:
    with self.open("wb") as out:
        out.write(data[:100])
        out.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    return 0  # not reached


def test_a_killed_report_job_leaves_no_report_and_cleanup_removes_its_partial_pdf(
    settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(jobs, "annual_report_pdf", lambda year, language, progress: b"%PDF" * 99)
    pid = os.fork()
    if pid == 0:  # the child: the job, killed in the middle of writing the PDF
        try:
            monkeypatch.setattr(Path, "write_bytes", _killed_while_writing)
            jobs._run(_Job(), progress=None)
        finally:
            os._exit(1)  # not reached when killed
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    # Only the partial file is there: no finished report under the name a download reads
    (left,) = reports_dir().iterdir()
    assert left.name == "annual-report-2024-sv-killed.pdf.part"
    writing = reports_dir() / "annual-report-2024-en-running.pdf.part"  # a job still writing
    writing.write_bytes(b"%PDF")
    finished = reports_dir() / "annual-report-2023-sv-done.pdf"
    finished.write_bytes(b"%PDF")

    call_command("cleanup")  # young partial files may still be written: kept
    assert sorted(reports_dir().iterdir()) == sorted([left, writing, finished])

    long_ago = time.time() - PARTIAL_MAX_AGE_SECONDS - 1
    os.utime(left, (long_ago, long_ago))
    os.utime(finished, (long_ago, long_ago))
    call_command("cleanup")
    assert sorted(reports_dir().iterdir()) == sorted([writing, finished])
