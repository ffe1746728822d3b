"""matplotlib settings, the render lock and small helpers shared by the chart kinds."""

from __future__ import annotations

import math
import sys
import textwrap
import threading
from collections.abc import Sequence
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ctip.formats.charts.model import (
    NEUTRAL,
    PALETTE,
    TEXT_COLOUR,
)

RC_PARAMS: dict[Any, Any] = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    # Arial in Word and PowerPoint, Liberation Sans (same metrics) on Linux servers; DejaVu Sans ships with
    # matplotlib, so there is always a font. The SVG names the whole list and lets the browser choose.
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 9,
    "text.color": TEXT_COLOUR,
    "figure.titlesize": 11.5,
    "figure.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": "#9CA3AF",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.axisbelow": True,
    "xtick.color": "#4B5563",
    "ytick.color": "#4B5563",
    "xtick.labelcolor": TEXT_COLOUR,
    "ytick.labelcolor": TEXT_COLOUR,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

RENDER_LOCK = threading.Lock()


def draw_title(figure: Figure, text: str) -> None:
    """The title, aligned with the left edge of the figure rather than of the plot (as in print)."""
    if text:
        figure.suptitle(wrap_text(text, 80), x=0.01, ha="left")


def draw_empty(figure: Figure, title: str, text: str) -> None:
    draw_title(figure, title)
    axes = figure.add_subplot()
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_facecolor("#F9FAFB")
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", fontsize=12, color=NEUTRAL)


def wrap_text(text: str, width: int) -> str:
    return textwrap.fill(text, width=max(width, 6), break_long_words=True) if len(text) > width else text


def format_number(value: float) -> str:
    if math.isnan(value):
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def format_tick(value: float) -> str:
    """A value axis label: as many decimals as the tick needs, up to two (0.25 stays 0.25)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def legend_below(figure: Figure, axes: Axes, handles: Sequence[Any], labels: Sequence[str]) -> None:
    if not handles:
        return
    columns = min(len(handles), 4)
    figure.legend(handles, labels, loc="outside lower center", ncols=columns, handlelength=1.6)


def groups_in_order(names: Sequence[str]) -> list[str]:
    """Distinct non-empty names in order of first appearance (so colours follow the data, not sorting)."""
    seen: dict[str, None] = {}
    for name in names:
        if name:
            seen.setdefault(name, None)
    return list(seen)


def legend_rows(count: int) -> int:
    return math.ceil(count / 4) if count else 0
