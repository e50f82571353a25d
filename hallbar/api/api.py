"""The JSON API root: each app contributes its router from app/api.py.

Every operation accepts a signed-in session or a personal token (``Authorization: Bearer``,
hallbar/api/tokens.py) and answers errors in one shape (hallbar/core/api_support.py).
"""

from typing import Any

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from hallbar.api.guard import refuse_unstorable_text
from hallbar.api.jobs import router as jobs_router
from hallbar.api.tokens import TokenAuth
from hallbar.categories.api import router as categories_router
from hallbar.contracts.api import router as contracts_router
from hallbar.core.api_support import ErrorOut, FieldErrors, validation_field
from hallbar.followups.api import router as followups_router
from hallbar.funding.api import router as funding_router
from hallbar.organisations.api import router as organisations_router
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.planning.api import router as planning_router
from hallbar.requirements.api import router as requirements_router
from hallbar.risk.api import router as risk_router
from hallbar.suppliers.api import router as suppliers_router

# The errors any operation may answer, documented on each of them (see ``_ERRORS``).
_ERRORS = {
    "400": "The request could not be read.",
    "401": "No session and no token, or a token that is unknown, expired or revoked.",
    "403": "A read token used for a write.",
    "404": "Not found, or not visible to the caller (the two look the same).",
    "422": "Wrong values: each names its field.",
}


class HallbarAPI(NinjaAPI):
    """The API, with the errors every operation may give in its OpenAPI schema."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, model in (("ErrorOut", ErrorOut),):
            if name not in components:
                json_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(json_schema.pop("$defs", {}))
                components[name] = json_schema
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in _ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if hasattr(pattern, "callback"):
                pattern.callback = refuse_unstorable_text(pattern.callback)
        return urls


api = HallbarAPI(
    title="hallbar API",
    version="1",
    description=(
        "Regions, funding, requirements, categories, suppliers, contracts, follow-up cases, "
        "follow-up plans, spend and screenings. Authenticate with a personal token "
        "(`Authorization: Bearer hb_…`, made on the API tokens page) or a signed-in session. "
        'Errors: `{"detail": "…"}`, or `{"detail": [{"field": "…", "message": "…"}]}` (422) '
        "when values are wrong."
    ),
    auth=[TokenAuth(), django_auth],
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
api.add_router("/risk", risk_router)
api.add_router("/", jobs_router)


@api.exception_handler(PermissionError)
def permission_denied(request: AuthenticatedHttpRequest, exc: PermissionError):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Http404)
def not_found(request: AuthenticatedHttpRequest, exc: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid_values(request: AuthenticatedHttpRequest, exc: ValidationError):
    errors = [
        {"field": validation_field(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(FieldErrors)
def wrong_fields(request: AuthenticatedHttpRequest, exc: FieldErrors):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: AuthenticatedHttpRequest, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
