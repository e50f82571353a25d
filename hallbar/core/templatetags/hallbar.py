"""Template helpers used across apps."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

from hallbar.core.import_summary import summary_lines
from hallbar.core.middleware import remembered_query

register = template.Library()


@register.filter
def sek(value) -> str:
    """Format whole kronor with thin grouping, e.g. 10 452 326 kr; empty values as a dash."""
    if value is None or value == "":
        return "–"
    return f"{number_format(int(value), force_grouping=True)} kr"


@register.filter
def signed_sek(value) -> str:
    """Format a difference in whole kronor with its sign, e.g. +1 200 kr, -636 kr, 0 kr."""
    if value is None or value == "":
        return "–"
    sign = "+" if int(value) > 0 else ""
    return f"{sign}{number_format(int(value), force_grouping=True)} kr"


@register.filter
def kronor(value) -> str:
    """Format an exact amount with its öre, e.g. 12 450,50 kr; empty values as a dash."""
    if value is None or value == "":
        return "–"
    return f"{number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)} kr"


@register.filter
def decimal2(value) -> str:
    """Format a number with two decimals for the language (1,00 in Swedish); a dash if empty."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)


@register.filter
def grouped(value) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """Return the current query string with kwargs replaced (for sort, filter and page links)."""
    return _query(context["request"], **kwargs)


def _query(request, **kwargs) -> str:
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label, *, default: str, first: str = "", css: str = "") -> str:
    """Render a sortable column's header: a link that sorts by key (first click: ascending, or
    descending when first is "-"), and on the sorted column the other direction, an arrow and
    aria-sort. default is the list's own order when the URL names none."""
    request = context["request"]
    current = request.GET.get("sort") or default
    sorted_here = current.lstrip("-") == key
    descending = current.startswith("-")
    if sorted_here:
        target = key if descending else f"-{key}"
        state = "descending" if descending else "ascending"
        arrow = "▼" if descending else "▲"
    else:
        target, state, arrow = f"{first}{key}", "", ""
    return format_html(
        '<th scope="col"{}{}><a class="sort" href="{}">{}<span class="sort__arrow" '
        'aria-hidden="true">{}</span></a></th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', state) if state else "",
        _query(request, sort=target, page=""),
        label,
        arrow,
    )


@register.filter
def import_summary(summary) -> list[tuple[str, str]]:
    """Return an import summary as (label, value) pairs, formatted for the language."""
    return summary_lines(summary or {})


@register.simple_tag(takes_context=True)
def list_url(context, view_name: str) -> str:
    """Return the URL of a list page with the filters the user last had on it."""
    query = remembered_query(context["request"], view_name)
    url = reverse(view_name)
    return f"{url}?{query}" if query else url


@register.simple_tag
def page_window(page, around: int = 2) -> list[int | None]:
    """Return the page numbers to link: the first, the last and those around the current one,
    with None where numbers are left out."""
    last = page.paginator.num_pages
    shown = {1, last, *range(page.number - around, page.number + around + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= last):
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@register.simple_tag(takes_context=True)
def hidden_query_fields(context, *excluded: str) -> str:
    """Render the current query string as hidden inputs, leaving out excluded names (for a GET
    form that changes one parameter and keeps the filters)."""
    params = context["request"].GET
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((key, value) for key in params for value in params.getlist(key) if key not in excluded),
    )
