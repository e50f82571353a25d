"""Who may see and change categories: members read, the secretariat edits."""

from django.http import Http404

from hallbar.categories.models import Category
from hallbar.organisations.access import can_view_cooperation


def can_view_categories(user) -> bool:
    """Return whether user may read the categories, their CPV codes and prioritisation."""
    return can_view_cooperation(user)


def can_edit_categories(user) -> bool:
    return user.is_authenticated and user.is_secretariat


def access_category(user, public_id) -> tuple[Category, bool]:
    if not can_view_categories(user):
        raise Http404
    try:
        category = Category.objects.get(public_id=public_id)
    except (Category.DoesNotExist, ValueError):
        raise Http404 from None
    return category, can_edit_categories(user)
