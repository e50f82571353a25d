"""API: a region's spend file, and starting a screening run, as the spend and screening pages do."""

from uuid import UUID

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hallbar.core.api_support import ErrorOut, FieldErrors, field_error, storable
from hallbar.core.import_views import start_job
from hallbar.core.imports import create_job
from hallbar.core.jobs import start_job as start_background_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.risk.access import (
    can_run_screening,
    can_see_screening,
    spend_upload_region_ids,
)
from hallbar.risk.forms import SpendImportForm
from hallbar.risk.jobs import SCREENING
from hallbar.risk.spend import stored_partitions

router = Router(tags=["risk"])


class JobOut(Schema):
    job: UUID
    status: str
    url: str = Field(..., description="the job's page, to follow it in a browser")


class SpendUploadIn(Schema):
    region: str = Field(..., pattern=r"^[0-9]{2}$", description="the region's county code, e.g. 01")
    year: int = Field(..., description="the year the file covers")
    dry_run: bool = Field(False, description="check the file, write nothing")
    confirm_shrink: bool = Field(
        False,
        description=(
            "write even when the new lines shrink the stored year by more than half "
            "(the page asks a person to confirm that)"
        ),
    )


@router.post(
    "/spend",
    response={202: JobOut, 404: ErrorOut, 422: ErrorOut},
    summary="Upload a region's spend file (invoice lines) for one year",
)
def upload_spend(request, file: File[UploadedFile], data: Form[SpendUploadIn]):
    """Import the file as the spend page does, in a background job: it replaces the region's
    invoice lines of the year. Follow the job at ``GET /api/imports/{job}``."""
    regions = spend_upload_region_ids(request.user)
    if not can_see_screening(request.user) or not (regions is None or regions):
        raise Http404
    region_pk = Region.objects.filter(county_code=data.region).values_list("pk", flat=True).first()
    form = SpendImportForm(
        {"region": region_pk or "", "year": data.year, "dry_run": data.dry_run},
        {"file": file},
        editable_regions=regions,
    )
    if not form.is_valid():
        raise FieldErrors(
            [
                {"field": name, "message": str(message)}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    options: dict = {"year": form.cleaned_data["year"]}
    if data.confirm_shrink:
        options["confirm"] = True
    job = create_job(
        kind=ImportJob.Kind.SPEND,
        uploaded=file,
        filename=storable(file.name or "")[:255] or "spend.csv",
        acting_user=request.user,
        region=form.cleaned_data["region"],
        mode=form.mode,
        dry_run=form.cleaned_data["dry_run"],
        options=options,
    )
    start_job(job)
    url = reverse("core:import-job", kwargs={"public_id": job.public_id})
    return Status(202, {"job": job.public_id, "status": job.status, "url": url})


class ScreeningIn(Schema):
    year: int = Field(..., ge=1900, le=2999, description="a year with stored spend")


@router.post(
    "/screenings",
    response={202: JobOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a screening run of one year's spend",
)
def start_screening(request, payload: ScreeningIn):
    """Start the screening of a year as the screening page does (a background job; a second
    call while it runs returns the same job)."""
    if not can_run_screening(request.user):
        raise Http404
    if payload.year not in {p.year for p in stored_partitions()}:
        raise field_error("year", _("No spend is stored for %(year)s.") % {"year": payload.year})
    job = start_background_job(
        SCREENING,
        acting_user=request.user,
        params={"year": payload.year},
        subject=str(payload.year),
    )
    url = reverse("core:job", kwargs={"public_id": job.public_id})
    return Status(202, {"job": job.public_id, "status": job.status, "url": url})
