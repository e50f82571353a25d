"""An evidence upload killed while it is received leaves no document, and `manage.py cleanup`
removes its partial file once no upload can still be writing it.

Evidence is stored in the request (no import job), so the upload runs in a forked process that is
killed (SIGKILL) after its first chunk; the database is not involved until the file is stored.
"""

import os
import signal
import time

import pytest
from django.core.management import call_command

from hallbar.followups.files import PARTIAL_MAX_AGE_SECONDS, documents_root, store_upload

pytestmark = pytest.mark.django_db


class KilledUpload:
    """A PDF upload whose process is killed after the first chunk has been written."""

    name = "intyg.pdf"
    size = 2 * 1024

    def chunks(self):
        yield b"%PDF-1.7\n" + b"x" * 1015
        os.kill(os.getpid(), signal.SIGKILL)
        yield b"never"


def partial_files():
    return sorted(documents_root().rglob(".*.part"))


def test_a_killed_upload_leaves_no_document_and_cleanup_removes_its_partial_file(
    settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    pid = os.fork()
    if pid == 0:  # the child: receive the upload until killed
        try:
            store_upload(KilledUpload(), folder="case-1")
        finally:
            os._exit(1)  # not reached when killed
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    (left,) = partial_files()
    assert left.parent.name == "case-1"  # its bytes may still have been in a buffer
    assert [p for p in (documents_root() / "case-1").iterdir() if p != left] == []
    in_progress = left.with_name(".in-progress.part")  # an upload still being received
    in_progress.write_bytes(b"%PDF")

    call_command("cleanup")  # a young partial file may still be written: kept
    assert partial_files() == sorted([left, in_progress])

    long_ago = time.time() - PARTIAL_MAX_AGE_SECONDS - 1
    os.utime(left, (long_ago, long_ago))
    call_command("cleanup")
    assert partial_files() == [in_progress]
