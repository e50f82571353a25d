"""Form helpers shared by the apps' views: show a service's ValidationError where it belongs."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form: beside their field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def flash_errors(request, error: ValidationError) -> None:
    """Show a service's errors as messages (for buttons that post without a form page)."""
    for message in error.messages:
        messages.error(request, message)
