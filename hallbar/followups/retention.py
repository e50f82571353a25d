"""The follow-up retention rules: a closed case's evidence files and interview notes.

Applied by `manage.py apply_retention` (hallbar.core.retention) once the case has been closed
longer than HALLBAR_EVIDENCE_RETENTION_DAYS. Evidence documents (of the case or of an action)
are deleted with their files; an audit's interview notes are replaced by a marker saying when
they were removed, so that the audit itself stays readable.
"""

from contextlib import suppress
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from hallbar.core.retention import delete_file, evidence_retention
from hallbar.followups import files
from hallbar.followups.models import Audit, Document
from hallbar.followups.states import State

EVIDENCE = [Document.Purpose.EVIDENCE, Document.Purpose.ACTION_EVIDENCE]


def _closed_before(prefix: str, cutoff: datetime) -> Q:
    return Q(**{f"{prefix}status": State.CLOSED, f"{prefix}closed_at__lt": cutoff})


@transaction.atomic
def expire_evidence(now: datetime) -> int:
    """Delete the evidence documents (rows and files) of cases closed before the retention."""
    cutoff = now - evidence_retention()
    documents = Document.objects.filter(purpose__in=EVIDENCE).filter(
        _closed_before("followup__", cutoff)
        | _closed_before("action__deviation__followup__", cutoff)
    )
    count = 0
    for document in documents.distinct():
        with suppress(FileNotFoundError):  # a path outside the documents folder: no file
            delete_file(files.absolute_path(document.stored_path))
        document.delete()
        count += 1
    return count


def removed_marker(now: datetime) -> str:
    return gettext("[Removed under the retention rules on %(date)s]") % {
        "date": now.date().isoformat()
    }


@transaction.atomic
def expire_interview_notes(now: datetime) -> int:
    """Blank the interview notes of audits of cases closed before the retention; keep a marker."""
    cutoff = now - evidence_retention()
    audits = (
        Audit.objects.filter(_closed_before("followup__", cutoff))
        .exclude(interviews="")
        .exclude(interviews__regex=r"^\[[^]]* [0-9]{4}-[0-9]{2}-[0-9]{2}\]$")
    )
    return audits.update(interviews=removed_marker(now))
