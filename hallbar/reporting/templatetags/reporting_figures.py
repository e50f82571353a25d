"""The template filter of a figure's value: `{{ value|figure:unit }}`."""

from django import template

from hallbar.reporting.figures import Number
from hallbar.reporting.formatting import format_figure

register = template.Library()


@register.filter
def figure(value: Number, unit: str) -> str:
    return format_figure(value, unit)
