"""Bar charts."""

from __future__ import annotations

import math
import sys

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ctip.formats.charts.model import (
    GRID_COLOUR,
    NEUTRAL,
    PALETTE,
    BarChart,
)
from ctip.formats.charts.style import (
    draw_title,
    format_number,
    format_tick,
    legend_below,
    legend_rows,
    wrap_text,
)

# --- Bar charts ------------------------------------------------------------------------------------------


def bar_is_empty(chart: BarChart) -> bool:
    return not chart.categories or not any(
        not math.isnan(value) for series in chart.series for value in series.values
    )


def bar_height(chart: BarChart, width: float) -> float:
    legend = 0.25 * legend_rows(len(chart.series) if len(chart.series) > 1 else 0)
    if chart.horizontal:
        per_category = 0.28 if chart.stacked else 0.12 + 0.18 * len(chart.series)
        return max(2.4, 1.1 + per_category * len(chart.categories) + legend)
    return width * 0.55 + legend


def draw_bar(figure: Figure, chart: BarChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    count = len(chart.series)
    positions = list(range(len(chart.categories)))
    thickness = 0.7 if chart.stacked else 0.8 / count
    above = [0.0] * len(positions)
    below = [0.0] * len(positions)
    label_bars = not chart.stacked and count * len(positions) <= 30
    for index, series in enumerate(chart.series):
        values = [0.0 if math.isnan(value) else value for value in series.values]
        offsets: list[float]
        if chart.stacked:
            offsets = [float(position) for position in positions]
            bases = [above[i] if value >= 0 else below[i] for i, value in enumerate(values)]
            for i, value in enumerate(values):
                if value >= 0:
                    above[i] += value
                else:
                    below[i] += value
        else:
            shift = (index - (count - 1) / 2) * thickness
            offsets = [position + shift for position in positions]
            bases = [0.0] * len(positions)
        colour = PALETTE[index % len(PALETTE)]
        if chart.horizontal:
            bars = axes.barh(
                offsets, values, height=thickness * 0.92, left=bases, color=colour, label=series.name
            )
        else:
            bars = axes.bar(
                offsets, values, width=thickness * 0.92, bottom=bases, color=colour, label=series.name
            )
        if label_bars:
            axes.bar_label(
                bars,
                labels=[format_number(value) for value in series.values],
                padding=2,
                fontsize=7.5,
                color=NEUTRAL,
            )
        if series.missing_label:
            for offset, value in zip(offsets, series.values, strict=True):
                if math.isnan(value):
                    # Across a vertical bar's slot, so that it fits however narrow the bars are.
                    axes.annotate(
                        series.missing_label,
                        (0, offset) if chart.horizontal else (offset, 0),
                        xytext=(3, 0) if chart.horizontal else (0, 3),
                        textcoords="offset points",
                        rotation=0 if chart.horizontal else 90,
                        ha="left" if chart.horizontal else "center",
                        va="center" if chart.horizontal else "bottom",
                        fontsize=7,
                        color=NEUTRAL,
                    )
    category_axis, value_axis = (axes.yaxis, axes.xaxis) if chart.horizontal else (axes.xaxis, axes.yaxis)
    category_axis.set_ticks(positions)
    if chart.horizontal:
        category_axis.set_ticklabels([wrap_text(name, 28) for name in chart.categories])
        axes.invert_yaxis()
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
        axes.set_xlabel(chart.value_label)
        axes.tick_params(axis="y", length=0)
    else:
        many = len(positions) > 8
        wrap_at = 14 if many else max(10, int(72 / max(len(positions), 1)))
        category_axis.set_ticklabels(
            [wrap_text(name, wrap_at) for name in chart.categories],
            rotation=30 if many else 0,
            ha="right" if many else "center",
            rotation_mode="anchor",
        )
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        axes.set_ylabel(chart.value_label)
        axes.tick_params(axis="x", length=0)
    value_axis.set_major_formatter(FuncFormatter(lambda value, _position: format_tick(value)))
    value_axis.set_major_locator(MaxNLocator(nbins=6))
    if label_bars and chart.horizontal:
        axes.margins(x=0.08)
    elif label_bars:
        axes.margins(y=0.08)
    if count > 1:
        handles, labels = axes.get_legend_handles_labels()
        legend_below(figure, axes, handles, labels)
