"""The reporting cases of the access matrix (``hallbar/core/tests/test_access_matrix.py``).

The annual report's finished PDF job is made the first time a case asks for it, inside the
matrix's world (whose transaction is rolled back at the end); its small file is written under
MEDIA_ROOT/reports with a fixed name, so runs do not pile files up.
"""

from hallbar.core.models import BackgroundJob
from hallbar.reporting.jobs import ANNUAL_REPORT, reports_dir

MATRIX_PDF = "annual-report-matrix-test.pdf"


def report_job(world) -> BackgroundJob:
    cached = getattr(world, "_annual_report_job", None)
    if cached:
        return cached
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MATRIX_PDF).write_bytes(b"%PDF-1.4\n%%EOF\n")
    job = BackgroundJob.objects.create(
        kind=ANNUAL_REPORT,
        subject="2025-sv",
        status=BackgroundJob.Status.DONE,
        params={"year": 2025, "language": "sv"},
        result={"file": MATRIX_PDF, "year": 2025, "language": "sv"},
        created_by=world.cast.secretariat,
    )
    world._annual_report_job = job
    return job


def reporting_cases(case, post_only, *, members):
    """Return the annual report's cases, made with the matrix's own case helpers."""
    generators = ("secretariat", "steering")
    return [
        case("reporting:annual-report", query="?year=2025&language=en", readers=members),
        post_only(
            "reporting:annual-report-generate",
            writers=generators,
            data={"year": 2025, "language": "sv"},
        ),
        case(
            "reporting:annual-report-download",
            lambda w: (report_job(w).public_id,),
            readers=members,
        ),
    ]
