"""The JSON API root: each app contributes its router from app/api.py."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from hallbar.funding.api import router as funding_router
from hallbar.organisations.api import router as organisations_router

api = NinjaAPI(
    title="hallbar API",
    version="1",
    description="Regions, funding and (later) requirements, suppliers, risk and follow-ups.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/regions", organisations_router)
api.add_router("/funding", funding_router)


@api.exception_handler(PermissionError)
def permission_denied(request: HttpRequest, exc: PermissionError):
    return api.create_response(request, {"detail": "Not found."}, status=404)
