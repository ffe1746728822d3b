"""Scatter charts."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ctip.formats.charts.model import (
    GRID_COLOUR,
    NEUTRAL,
    PALETTE,
    ScatterChart,
)
from ctip.formats.charts.style import (
    draw_title,
    groups_in_order,
    legend_below,
    legend_rows,
    wrap_text,
)

# --- Scatter charts --------------------------------------------------------------------------------------


def scatter_is_empty(chart: ScatterChart) -> bool:
    return not chart.points


def scatter_height(chart: ScatterChart, width: float) -> float:
    groups = groups_in_order([point.group for point in chart.points])
    return width * 0.72 + 0.25 * legend_rows(len(groups))


def _span(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def draw_scatter(figure: Figure, chart: ScatterChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    xs = [point.x for point in chart.points]
    ys = [point.y for point in chart.points]
    x_low, x_high = _span([*xs, *([chart.x_cut] if chart.x_cut is not None else [])])
    y_low, y_high = _span([*ys, *([chart.y_cut] if chart.y_cut is not None else [])])
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)

    # Stakeholders often share a score (3, 4 on a 1–5 scale): spread coincident points on a small ring so
    # that every marker and label stays visible.
    by_position: dict[tuple[float, float], list[int]] = {}
    for index, point in enumerate(chart.points):
        by_position.setdefault((point.x, point.y), []).append(index)
    placed: list[tuple[float, float]] = [(point.x, point.y) for point in chart.points]
    radius_x, radius_y = (x_high - x_low) * 0.025, (y_high - y_low) * 0.035
    for indices in by_position.values():
        if len(indices) < 2:
            continue
        for order, index in enumerate(indices):
            angle = math.pi / 2 - 2 * math.pi * order / len(indices)
            x, y = placed[index]
            placed[index] = (x + radius_x * math.cos(angle), y + radius_y * math.sin(angle))

    groups = groups_in_order([point.group for point in chart.points])
    colours = {group: PALETTE[index % len(PALETTE)] for index, group in enumerate(groups)}
    for group in ["", *groups]:
        members = [index for index, point in enumerate(chart.points) if point.group == group]
        if not members:
            continue
        axes.scatter(
            [placed[index][0] for index in members],
            [placed[index][1] for index in members],
            s=[70 * min(max(chart.points[index].size, 0.2), 6.0) for index in members],
            color=colours.get(group, NEUTRAL),
            edgecolors="white",
            linewidths=0.8,
            alpha=0.95,
            zorder=3,
            label=group or None,
        )
    labels: list[Any] = []
    for index, point in enumerate(chart.points):
        # Near the right edge the label goes to the left of its point, so that it is not cut off.
        on_right = placed[index][0] > x_low + 0.72 * (x_high - x_low)
        labels.append(
            axes.annotate(
                wrap_text(point.label, 24),
                placed[index],
                xytext=(-6 if on_right else 6, 4),
                textcoords="offset points",
                ha="right" if on_right else "left",
                fontsize=7.5,
                zorder=4,
            )
        )

    x_cut = chart.x_cut if chart.x_cut is not None else (x_low + x_high) / 2
    y_cut = chart.y_cut if chart.y_cut is not None else (y_low + y_high) / 2
    if chart.x_cut is not None or chart.quadrant_labels:
        axes.axvline(x_cut, color=NEUTRAL, linewidth=0.9, linestyle="--", zorder=1)
    if chart.y_cut is not None or chart.quadrant_labels:
        axes.axhline(y_cut, color=NEUTRAL, linewidth=0.9, linestyle="--", zorder=1)
    if chart.quadrant_labels:
        corners = (
            (0.015, 0.985, "left", "top"),
            (0.985, 0.985, "right", "top"),
            (0.015, 0.015, "left", "bottom"),
            (0.985, 0.015, "right", "bottom"),
        )
        for text, (x, y, horizontal, vertical) in zip(chart.quadrant_labels, corners, strict=True):
            axes.text(
                x,
                y,
                wrap_text(text, 26),
                transform=axes.transAxes,
                ha=horizontal,
                va=vertical,
                fontsize=8.5,
                fontweight="bold",
                color="#9CA3AF",
                zorder=1,
            )
    axes.set_xlabel(chart.x_label)
    axes.set_ylabel(chart.y_label)
    axes.grid(color=GRID_COLOUR, linewidth=0.6)
    if groups:
        handles, names = axes.get_legend_handles_labels()
        legend_below(figure, axes, handles, names)
    _spread_labels(figure, axes, labels)


_LABEL_PLACES: tuple[tuple[int, int, str], ...] = (
    (6, 4, "left"),
    (-6, 4, "right"),
    (6, -11, "left"),
    (-6, -11, "right"),
    (6, 14, "left"),
    (-6, 14, "right"),
    (6, -21, "left"),
    (-6, -21, "right"),
)
"""Where a point's label may go (offset in points, alignment), tried in this order when it would cover
another label."""


def _spread_labels(figure: Figure, axes: Axes, labels: Sequence[Any]) -> None:
    """Move labels that would cover an earlier one to the first free place around their point (inside
    the plot), so that close points (scores of 4.25 and 4.27, say) stay readable. Deterministic: labels
    are placed in the order of the points; one that finds no free place keeps its first place."""
    if len(labels) < 2:
        return
    figure.draw_without_rendering()  # lays the figure out, so that label extents are final
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    plot = axes.get_window_extent(renderer)
    # The markers too: a label should not hide another point. Their radius, about 4.5 points, in pixels.
    radius = 4.5 * figure.dpi / 72
    markers = [
        Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
        for x, y in (axes.transData.transform(label.xy) for label in labels)
    ]
    taken: list[Any] = []
    for index, label in enumerate(labels):
        others = [*taken, *markers[:index], *markers[index + 1 :]]
        first = (label.xyann, label.get_horizontalalignment())
        places = [(first[0][0], first[0][1], first[1]), *_LABEL_PLACES]
        for dx, dy, alignment in places:
            label.xyann = (dx, dy)
            label.set_horizontalalignment(alignment)
            box = label.get_window_extent(renderer)
            inside = plot.x0 <= box.x0 and box.x1 <= plot.x1 and plot.y0 <= box.y0 and box.y1 <= plot.y1
            if inside and not any(box.overlaps(other) for other in others):
                break
        else:
            label.xyann = first[0]
            label.set_horizontalalignment(first[1])
        taken.append(label.get_window_extent(renderer))
