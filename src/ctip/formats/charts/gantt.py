"""Gantt charts."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from babel.dates import format_date
from matplotlib.figure import Figure

from ctip.formats.charts.model import (
    GRID_COLOUR,
    PALETTE,
    GanttChart,
)
from ctip.formats.charts.style import (
    draw_title,
    groups_in_order,
    legend_below,
    legend_rows,
    wrap_text,
)

# --- Gantt charts ----------------------------------------------------------------------------------------


def gantt_is_empty(chart: GanttChart) -> bool:
    return not chart.tasks


def gantt_height(chart: GanttChart, width: float) -> float:
    groups = groups_in_order([task.group for task in chart.tasks])
    return max(2.2, 1.2 + 0.3 * len(chart.tasks) + 0.25 * legend_rows(len(groups)))


def _month_starts(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """The first day of every ``step``-th month from ``first``'s month to the month after ``last``."""
    months: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        months.append(dt.date(year, month, 1))
        if months[-1] > last:
            return months
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def draw_gantt(figure: Figure, chart: GanttChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    groups = groups_in_order([task.group for task in chart.tasks])
    colours = {group: PALETTE[index % len(PALETTE)] for index, group in enumerate(groups)}
    first = min(task.start for task in chart.tasks)
    last = max(task.end for task in chart.tasks)
    origin = first.replace(day=1)

    def day(date: dt.date) -> float:
        return float((date - origin).days)

    handles: dict[str, Any] = {}
    for row, task in enumerate(chart.tasks):
        colour = colours.get(task.group, PALETTE[0])
        handle: Any
        if task.end == task.start:
            (handle,) = axes.plot(
                [day(task.start) + 0.5], [row], marker="D", markersize=8, color=colour, linestyle="", zorder=3
            )
        else:
            start, end = day(task.start), day(task.end + dt.timedelta(days=1))
            handle = axes.barh([row], [end - start], left=[start], height=0.6, color=colour, zorder=3)
        if task.group and task.group not in handles:
            handles[task.group] = handle

    # Month ticks, at most one every 0.6 inch of plot ("Sept 2026" is about half an inch wide at 8 pt).
    months = (last.year - origin.year) * 12 + last.month - origin.month + 1
    most_ticks = max(3, int((figure.get_figwidth() - 2.2) / 0.6))
    step = next((step for step in (1, 2, 3, 6, 12) if months / step <= most_ticks), 24)
    ticks = _month_starts(origin, last, step)
    boundaries = _month_starts(origin, last, 1)
    axes.set_xlim(0, day(boundaries[-1]))
    axes.set_xticks([day(tick) for tick in ticks if tick <= boundaries[-1]])
    axes.set_xticklabels(
        [format_date(tick, "MMM y", locale=chart.locale) for tick in ticks if tick <= boundaries[-1]]
    )
    if step > 1:
        axes.set_xticks([day(month) for month in boundaries], minor=True)
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    axes.set_yticks(range(len(chart.tasks)))
    axes.set_yticklabels([wrap_text(task.label, 30) for task in chart.tasks])
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(len(chart.tasks) - 0.4, -0.6)
    if handles:
        legend_below(figure, axes, list(handles.values()), list(handles))
