"""Small HTTP helpers shared by the apps' views."""

from django.http import HttpResponse


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """Return content as a file download named filename."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
