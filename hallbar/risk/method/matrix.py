"""The likelihood × severity matrix of one category's four areas, as an accessible SVG string.

Like the other charts (``hallbar/core/charts.py``): server-rendered, ``role="img"`` with a title
and a description listing every point's numbers, nothing from a CDN. Cells are labelled with
their product (L × S) and class word, so the class never depends on colour alone; all cell
colours are pale tints under near-black text (contrast at least 11:1). Every text is escaped; the
caller marks the returned string safe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from types import MappingProxyType

from .scoring import (
    AREA_NAMES,
    AREA_SHORT_NAMES,
    AREAS,
    DEFAULT_PARAMETERS,
    HIGH,
    LOW,
    MEDIUM,
    CategoryAssessment,
    MethodParameters,
    priority_class,
)

CELL_FILL: Mapping[str, str] = MappingProxyType(
    {LOW: "#d9eedb", MEDIUM: "#fbe6a6", HIGH: "#f7c5c0"}
)
TEXT_COLOUR = "#1b1b1b"
POINT_FILL = "#1b1b1b"  # white label on it: 17:1
GRID_COLOUR = "#ffffff"
AXIS_COLOUR = "#444444"

CELL = 72
LEFT, TOP, RIGHT, BOTTOM = 76, 16, 16, 64
POINT_RADIUS = 15


@dataclass(frozen=True)
class MatrixPoint:
    """One area of a category placed in the matrix."""

    label: str  # short area name shown in the point, e.g. "WR"
    likelihood: float  # 1–5
    severity: float  # 1–5
    description: str = ""  # spoken and shown on hover, e.g. the numbers and the class


@dataclass(frozen=True)
class MatrixLabels:
    """Texts of the matrix; pass translated ones from the page (defaults in English)."""

    likelihood: str = "Likelihood (sannolikhet)"
    severity: str = "Severity (allvarlighetsgrad)"
    classes: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({LOW: "low", MEDIUM: "medium", HIGH: "high"})
    )
    summary: str = "Likelihood 1–5 across, severity 1–5 up; cells show L × S and the class."


def matrix_points(assessment: CategoryAssessment) -> list[MatrixPoint]:
    """Return the four areas of an assessed category as matrix points."""
    points = []
    for area in AREAS:
        result = assessment.areas[area]
        points.append(
            MatrixPoint(
                label=AREA_SHORT_NAMES[area],
                likelihood=result.likelihood.value,
                severity=result.severity.value,
                description=(
                    f"{AREA_NAMES[area].capitalize()}: likelihood {result.likelihood.value:.2f}, "
                    f"severity {result.severity.value:.2f}, risk {result.risk:.1f} "
                    f"({result.priority_class})"
                ),
            )
        )
    return points


def _id(prefix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", prefix or "")
    return cleaned if cleaned[:1].isalpha() else f"m-{cleaned}"


def _place(points: list[MatrixPoint]) -> list[tuple[MatrixPoint, float, float]]:
    """Return each point with its position, nudging points that would overlap."""
    placed: list[tuple[MatrixPoint, float, float]] = []
    for point in points:
        lik = min(5.0, max(1.0, point.likelihood))
        sev = min(5.0, max(1.0, point.severity))
        x = LEFT + (lik - 0.5) * CELL
        y = TOP + (5.5 - sev) * CELL
        candidates = [(x, y)] + [
            (
                x + 2.1 * POINT_RADIUS * math.cos(math.radians(angle)),
                y - 2.1 * POINT_RADIUS * math.sin(math.radians(angle)),
            )
            for angle in (0, 180, 90, 270, 45, 135, 225, 315)
        ]
        for cx, cy in candidates:
            if all(math.hypot(cx - px, cy - py) >= 2 * POINT_RADIUS for _, px, py in placed):
                x, y = cx, cy
                break
        placed.append((point, x, y))
    return placed


def risk_matrix_svg(
    points: Iterable[MatrixPoint],
    *,
    title: str,
    labels: MatrixLabels | None = None,
    id_prefix: str = "risk-matrix",
    params: MethodParameters = DEFAULT_PARAMETERS,
) -> str:
    """Return a 5 × 5 likelihood × severity matrix with the points drawn in it, as SVG."""
    labels = labels or MatrixLabels()
    points = list(points)
    ident = _id(id_prefix)
    width = LEFT + 5 * CELL + RIGHT
    height = TOP + 5 * CELL + BOTTOM
    description = " ".join(
        [labels.summary]
        + [
            point.description or f"{point.label}: {point.likelihood:.2f} × {point.severity:.2f}"
            for point in points
        ]
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart risk-matrix" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for lik in range(1, 6):
        for sev in range(1, 6):
            product = lik * sev
            klass = priority_class(product, params)
            x = LEFT + (lik - 1) * CELL
            y = TOP + (5 - sev) * CELL
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{CELL_FILL[klass]}" stroke="{GRID_COLOUR}" stroke-width="2"/>'
            )
            parts.append(
                f'<text x="{x + 6}" y="{y + 16}" font-size="13" font-weight="bold" '
                f'fill="{TEXT_COLOUR}" aria-hidden="true">{product}</text>'
            )
            parts.append(
                f'<text x="{x + 6}" y="{y + CELL - 7}" font-size="10" fill="{TEXT_COLOUR}" '
                f'aria-hidden="true">{escape(labels.classes.get(klass, klass))}</text>'
            )
    axis_y = TOP + 5 * CELL
    for value in range(1, 6):
        centre_x = LEFT + (value - 0.5) * CELL
        centre_y = TOP + (5.5 - value) * CELL
        parts.append(
            f'<text x="{centre_x:.0f}" y="{axis_y + 18}" text-anchor="middle" font-size="13" '
            f'fill="{TEXT_COLOUR}" aria-hidden="true">{value}</text>'
        )
        parts.append(
            f'<text x="{LEFT - 10}" y="{centre_y + 5:.0f}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}" aria-hidden="true">{value}</text>'
        )
    parts.append(
        f'<text x="{LEFT + 2.5 * CELL:.0f}" y="{axis_y + 44}" text-anchor="middle" '
        f'font-size="14" fill="{TEXT_COLOUR}" aria-hidden="true">'
        f"{escape(labels.likelihood)}</text>"
    )
    middle = TOP + 2.5 * CELL
    parts.append(
        f'<text x="{LEFT - 44}" y="{middle:.0f}" text-anchor="middle" font-size="14" '
        f'fill="{TEXT_COLOUR}" transform="rotate(-90 {LEFT - 44} {middle:.0f})" '
        f'aria-hidden="true">{escape(labels.severity)}</text>'
    )
    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{5 * CELL}" height="{5 * CELL}" fill="none" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    for point, px, py in _place(points):
        tooltip = point.description or point.label
        parts.append(
            f'<g class="risk-point"><title>{escape(tooltip)}</title>'
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{POINT_RADIUS}" fill="{POINT_FILL}" '
            f'stroke="#ffffff" stroke-width="2"/>'
            f'<text x="{px:.1f}" y="{py + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="bold" fill="#ffffff">{escape(point.label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
