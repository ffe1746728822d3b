"""Heat maps."""

from __future__ import annotations

import math
import sys

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ctip.formats.charts.model import (
    NEUTRAL,
    TEXT_COLOUR,
    HeatMapChart,
)
from ctip.formats.charts.style import (
    draw_title,
    format_number,
    wrap_text,
)

# --- Heat maps -------------------------------------------------------------------------------------------


def heat_map_is_empty(chart: HeatMapChart) -> bool:
    return not chart.rows or not chart.columns


def heat_map_height(chart: HeatMapChart, width: float) -> float:
    longest = max((len(column) for column in chart.columns), default=0)
    header = 0.35 + min(longest, 24) * 0.055  # rotated column labels
    return max(2.2, 0.9 + header + 0.26 * len(chart.rows))


def draw_heat_map(figure: Figure, chart: HeatMapChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    grid = [[math.nan if isinstance(value, str) else float(value) for value in row] for row in chart.values]
    numbers = [value for row in grid for value in row if not math.isnan(value)]
    reach = max((abs(value - chart.centre) for value in numbers), default=1.0) or 1.0
    norm = TwoSlopeNorm(vcenter=chart.centre, vmin=chart.centre - reach, vmax=chart.centre + reach)
    colour_map = matplotlib.colormaps["RdBu_r"]
    image = axes.imshow(grid, cmap=colour_map, norm=norm, aspect="auto", interpolation="nearest")
    for row_index, row in enumerate(chart.values):
        for column_index, value in enumerate(row):
            withheld = isinstance(value, str)
            if isinstance(value, str):
                axes.add_patch(
                    Rectangle(
                        (column_index - 0.5, row_index - 0.5),
                        1,
                        1,
                        facecolor="#E5E7EB",
                        edgecolor="#9CA3AF",
                        hatch="////",
                        linewidth=0,
                    )
                )
                text, colour = value, TEXT_COLOUR
            elif math.isnan(value):
                text, colour = "–", NEUTRAL
            else:
                red, green, blue, _alpha = colour_map(norm(value))
                dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                text, colour = format_number(round(value, 1)), "white" if dark else TEXT_COLOUR
            axes.text(
                column_index,
                row_index,
                text,
                ha="center",
                va="center",
                fontsize=7 if len(chart.columns) > 12 else 7.5,
                color=colour,
                bbox={"facecolor": "#F3F4F6", "edgecolor": "none", "pad": 0.6} if withheld else None,
            )
    axes.set_xticks(range(len(chart.columns)))
    axes.set_xticklabels(
        [wrap_text(column, 24) for column in chart.columns], rotation=45, ha="left", rotation_mode="anchor"
    )
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(chart.rows)))
    axes.set_yticklabels([wrap_text(row, 34) for row in chart.rows])
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    # White lines between the cells keep neighbouring cells of similar colour apart.
    axes.set_xticks([index - 0.5 for index in range(1, len(chart.columns))], minor=True)
    axes.set_yticks([index - 0.5 for index in range(1, len(chart.rows))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.2)
    axes.tick_params(which="minor", length=0)
    colour_bar = figure.colorbar(image, ax=axes, location="bottom", shrink=0.5, aspect=30, pad=0.02)
    colour_bar.set_label(chart.value_label)
    colour_bar.outline.set_visible(False)
    colour_bar.ax.tick_params(labelsize=7.5)
