"""Pre/post ("dumbbell") charts: each participant's or group's score before and after a training."""

from __future__ import annotations

import math
import sys

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ctip.formats.charts.model import GRID_COLOUR, NEUTRAL, PALETTE, PrePostChart
from ctip.formats.charts.style import draw_title, format_tick, legend_below, wrap_text

GAIN_COLOUR = PALETTE[0]
"""Blue: the line of a participant whose score rose."""
LOSS_COLOUR = PALETTE[3]
"""Vermilion: the line of a participant whose score fell."""
PRE_COLOUR = NEUTRAL
POST_COLOUR = PALETTE[0]


def prepost_is_empty(chart: PrePostChart) -> bool:
    return not any(not (math.isnan(row.pre) and math.isnan(row.post)) for row in chart.rows)


def prepost_height(chart: PrePostChart, width: float) -> float:
    return max(2.4, 1.35 + 0.24 * len(chart.rows))


def draw_prepost(figure: Figure, chart: PrePostChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    for position, row in enumerate(chart.rows):
        has_pre, has_post = not math.isnan(row.pre), not math.isnan(row.post)
        if has_pre and has_post and row.pre != row.post:
            colour = GAIN_COLOUR if row.post > row.pre else LOSS_COLOUR
            axes.annotate(
                "",
                xy=(row.post, position),
                xytext=(row.pre, position),
                arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 2.0, "shrinkA": 0, "shrinkB": 0},
                zorder=2,
            )
        if has_pre:
            axes.scatter(
                [row.pre],
                [position],
                s=64,
                facecolors="white",
                edgecolors=PRE_COLOUR,
                linewidths=1.4,
                zorder=3,
            )
        if has_post:
            axes.scatter(
                [row.post], [position], s=34, marker="D", color=POST_COLOUR, edgecolors="white", zorder=4
            )
    if chart.reference is not None:
        axes.axvline(chart.reference, color=NEUTRAL, linewidth=1.0, linestyle="--", zorder=1)
    axes.set_yticks(range(len(chart.rows)))
    axes.set_yticklabels([wrap_text(row.label, 24) for row in chart.rows])
    axes.set_ylim(len(chart.rows) - 0.5, -0.5)
    axes.set_xlim(-0.02 * chart.maximum, chart.maximum * 1.02)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: format_tick(value)))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6))
    axes.set_xlabel(chart.value_label)
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    axes.tick_params(axis="y", length=0)
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=PRE_COLOUR,
            markersize=7,
        ),
        Line2D([], [], linestyle="", marker="D", color=POST_COLOUR, markersize=6),
    ]
    labels = [chart.pre_label, chart.post_label]
    changes = [row.post - row.pre for row in chart.rows if not (math.isnan(row.pre) or math.isnan(row.post))]
    for shown, colour, label in (
        (any(change > 0 for change in changes), GAIN_COLOUR, chart.gain_label),
        (any(change < 0 for change in changes), LOSS_COLOUR, chart.loss_label),
    ):
        if shown:
            handles.append(Line2D([], [], color=colour, linewidth=2.0))
            labels.append(label)
    if chart.reference is not None:
        handles.append(Line2D([], [], color=NEUTRAL, linewidth=1.0, linestyle="--"))
        labels.append(chart.reference_label or format_tick(chart.reference))
    legend_below(figure, axes, handles, labels)
