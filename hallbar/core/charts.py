"""Small server-rendered SVG charts: no JavaScript, readable by screen readers via a data table.

Each chart carries role="img" and an accessible name; the page shows the same numbers in a
table, so nothing is only visible in the picture.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1f5f8b"  # 7.0:1 against white
AXIS_COLOUR = "#444444"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    title: str = ""  # the full name for the tooltip, when the label is shortened


CHAR_WIDTH = 7.5  # about the width of a character at font size 13


def short_region_name(name: str) -> str:
    """Return a region's name without the leading word "Region" (for a chart's axis)."""
    return name.removeprefix("Region ").strip()


def bar_chart(
    bars: list[Bar], *, title: str, width: float = 720, height: float = 280
) -> SafeString:
    """Return an SVG column chart of bars with value labels above each column.

    Labels too long for their column are written at an angle, and the chart grows to hold them.
    """
    margin_left, margin_bottom, margin_top = 16.0, 40.0, 28.0
    count = max(len(bars), 1)
    slot = (width - margin_left * 2) / count
    longest = max((len(b.label) for b in bars), default=0) * CHAR_WIDTH
    slanted = longest > slot * 0.95
    if slanted:
        extra = longest * 0.71 + 8
        margin_bottom += extra
        height += extra
        # the first label reaches left of its column: widen the chart on that side
        left = max(0.0, longest * 0.71 - slot / 2 + 4)
        margin_left += left
        width += left
    plot_height = height - margin_bottom - margin_top
    top = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{margin_left:.1f}" y1="{height - margin_bottom:.1f}" x2="{margin_left + count * slot:.1f}" '
        f'y2="{height - margin_bottom}" stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        bar_height = max(bar.value, 0) / top * plot_height
        x = margin_left + index * slot + slot * 0.15
        y = height - margin_bottom - bar_height
        centre = x + slot * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.title or bar.label)}: '
            f"{escape(bar.display)}</title></rect>"
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="12" '
            f'fill="#222">{escape(bar.display)}</text>'
        )
        label_y = height - margin_bottom + 18
        if slanted:
            parts.append(
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="end" font-size="13" '
                f'fill="#222" transform="rotate(-45 {centre:.1f} {label_y:.1f})">'
                f"{escape(bar.label)}</text>"
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle" '
                f'font-size="13" fill="#222">{escape(bar.label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
