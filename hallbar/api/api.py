"""The JSON API root: each app contributes its router from app/api.py."""

from ninja import NinjaAPI
from ninja.security import django_auth

from hallbar.categories.api import router as categories_router
from hallbar.contracts.api import router as contracts_router
from hallbar.followups.api import router as followups_router
from hallbar.funding.api import router as funding_router
from hallbar.organisations.api import router as organisations_router
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.planning.api import router as planning_router
from hallbar.requirements.api import router as requirements_router
from hallbar.suppliers.api import router as suppliers_router

api = NinjaAPI(
    title="hallbar API",
    version="1",
    description=(
        "Regions, funding, requirements, categories, suppliers, contracts, follow-up cases "
        "and follow-up plans."
    ),
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/regions", organisations_router)
api.add_router("/funding", funding_router)
api.add_router("/requirements", requirements_router)
api.add_router("/categories", categories_router)
api.add_router("/suppliers", suppliers_router)
api.add_router("/contracts", contracts_router)
api.add_router("/followups", followups_router)
api.add_router("/plans", planning_router)


@api.exception_handler(PermissionError)
def permission_denied(request: AuthenticatedHttpRequest, exc: PermissionError):
    return api.create_response(request, {"detail": "Not found."}, status=404)
