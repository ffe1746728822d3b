"""Charts: one definition, drawn as SVG for web pages and as PNG for Word and PowerPoint files.

A chart is a frozen dataclass (:class:`BarChart`, :class:`ScatterChart`, :class:`NetworkChart`,
:class:`GanttChart`). :func:`render_svg` and :func:`render_png` look its type up in a small registry and
draw it with matplotlib on a :class:`matplotlib.figure.Figure` of its own, never through ``pyplot`` and its
global list of figures. matplotlib's settings (``rcParams``) and its font cache are still process-wide, so
drawing happens under a lock: a Django worker may render charts from several threads at once.

The look is the same in both formats: the Okabe–Ito palette (readable with the common colour-vision
deficiencies; lines and markers also differ in style or shape where colour carries meaning), left-aligned
bold titles and no chart junk. The SVG is deterministic, so the same chart always gives the same bytes
(pages can be cached and tests can compare them): element ids come from a hash salted with the chart's
own content, the date is left out of the metadata, and text stays text (``svg.fonttype = "none"``), which
also keeps it selectable and readable by screen readers. It has no XML declaration, so it can be inlined
in an HTML page as it is, and opens with a ``<title>`` element naming the chart.

Labels are user data: ``$`` signs are kept literally (matplotlib's mathtext is switched off). A chart with
nothing to show says so ("No data yet", or the caller's translation of it) instead of failing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from babel.dates import format_date
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

NO_DATA_TEXT = "No data yet"
"""Shown on a chart with nothing to draw; pass a translation as ``empty_text`` to the render functions."""

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermilion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow: last, it is the hardest to see on white
    "#000000",
)
"""Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies."""

NEUTRAL = "#6B7280"
TEXT_COLOUR = "#1F2937"
GRID_COLOUR = "#E5E7EB"
LineStyle = Literal["-", "--", ":", "-."]
LINE_STYLES: tuple[LineStyle, ...] = ("-", "--", ":", "-.")
NODE_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")

DEFAULT_WIDTH_INCHES = 6.5
"""The text width of an A4 page with 2.5 cm margins is 6.3 in: a chart drawn at this width keeps its
fonts at their nominal size in a report."""

_RC: dict[Any, Any] = {
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

_RENDER_LOCK = threading.Lock()


# --- The chart definitions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One row of values, one for each category of a :class:`BarChart`; ``math.nan`` leaves a gap."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False
    stacked: bool = False
    value_label: str = ""
    """The name of the value axis, with its unit (e.g. "Victims identified")."""

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Series {series.name!r} has {len(series.values)} values for {len(self.categories)} categories."
                )


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    size: float = 1.0
    """Relative marker area: 1.0 is the normal size, 2.0 twice the area."""
    group: str = ""
    """Points of the same group share a colour and a legend entry; points without a group are grey."""


@dataclass(frozen=True)
class ScatterChart:
    """A labelled scatter plot, such as the stakeholder grid (interest across, influence up).

    ``quadrant_labels`` name the four areas that ``x_cut`` and ``y_cut`` make, in reading order: top left,
    top right, bottom left, bottom right. A missing cut falls in the middle of the axis.
    """

    title: str
    points: tuple[Point, ...]
    x_label: str
    y_label: str
    x_cut: float | None = None
    y_cut: float | None = None
    quadrant_labels: tuple[str, str, str, str] | None = None

    def __post_init__(self) -> None:
        for point in self.points:
            if not (math.isfinite(point.x) and math.isfinite(point.y)):
                raise ValueError(f"Point {point.label!r} has no finite position.")


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    group: str = ""
    """Nodes of the same group share a marker shape and a legend entry."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str = ""
    """Edges of the same kind share a colour and a line style, and a legend entry."""


@dataclass(frozen=True)
class NetworkChart:
    """A directed network, such as who refers victims to whom; arrows point from ``source`` to ``target``."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def __post_init__(self) -> None:
        ids = [node.id for node in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError("Node ids must be unique.")
        known = set(ids)
        for edge in self.edges:
            if edge.source not in known or edge.target not in known:
                raise ValueError(f"Edge {edge.source!r} → {edge.target!r} names a node that does not exist.")


@dataclass(frozen=True)
class GanttTask:
    label: str
    start: dt.date
    end: dt.date
    """The last day of the task, inclusive; a task that ends on the day it starts is drawn as a milestone."""
    group: str = ""


@dataclass(frozen=True)
class GanttChart:
    title: str
    tasks: tuple[GanttTask, ...]
    locale: str = "en"
    """The language of the month names on the time axis (a CLDR locale such as ``"fr"``)."""

    def __post_init__(self) -> None:
        for task in self.tasks:
            if task.end < task.start:
                raise ValueError(f"Task {task.label!r} ends before it starts.")


Chart = BarChart | ScatterChart | NetworkChart | GanttChart


# --- Rendering -------------------------------------------------------------------------------------------


def render_svg(
    chart: Chart, *, width_inches: float = DEFAULT_WIDTH_INCHES, empty_text: str = NO_DATA_TEXT
) -> str:
    """The chart as an SVG document (UTF-8 text, no XML declaration), identical for identical charts."""
    salt = hashlib.sha256(repr((chart, width_inches, empty_text)).encode()).hexdigest()[:16]
    buffer = io.StringIO()
    with _RENDER_LOCK, matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        figure = _draw(chart, width_inches, empty_text)
        # matplotlib writes the title as the SVG's <title> element too.
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": chart.title or "Chart"})
    return _svg_finish(buffer.getvalue())


def render_png(
    chart: Chart,
    *,
    width_inches: float = DEFAULT_WIDTH_INCHES,
    dpi: int = 200,
    empty_text: str = NO_DATA_TEXT,
) -> bytes:
    """The chart as a PNG image, ``width_inches`` wide at ``dpi`` dots per inch (for Word and PowerPoint)."""
    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        figure = _draw(chart, width_inches, empty_text)
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    # Opaque RGB: a third smaller than matplotlib's RGBA, and PDF converters need no transparency mask.
    with Image.open(buffer) as image:
        opaque = image.convert("RGB")
    output = io.BytesIO()
    opaque.save(output, format="PNG", optimize=True, dpi=(dpi, dpi))
    return output.getvalue()


class _Drawer(NamedTuple):
    height: Callable[[Any, float], float]
    """Figure height in inches for a chart and a width."""
    draw: Callable[[Figure, Any, str], None]
    """Draw the chart (never empty) on the figure."""
    is_empty: Callable[[Any], bool]


def _draw(chart: Chart, width: float, empty_text: str) -> Figure:
    drawer = _DRAWERS.get(type(chart))
    if drawer is None:
        raise TypeError(f"No drawer for {type(chart).__name__}.")
    empty = drawer.is_empty(chart)
    height = width * 0.35 if empty else drawer.height(chart, width)
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    if empty:
        _draw_empty(figure, chart.title, empty_text)
    else:
        drawer.draw(figure, chart, empty_text)
    return figure


def _svg_finish(svg: str) -> str:
    """Drop the XML prolog, so that the SVG can be inlined in an HTML page, and mark it as an image."""
    body = svg[svg.index("<svg") :]
    return re.sub(r"<svg\b([^>]*)>", r'<svg\1 role="img">', body, count=1)


def _title(figure: Figure, text: str) -> None:
    """The title, aligned with the left edge of the figure rather than of the plot (as in print)."""
    if text:
        figure.suptitle(_wrap(text, 80), x=0.01, ha="left")


def _draw_empty(figure: Figure, title: str, text: str) -> None:
    _title(figure, title)
    axes = figure.add_subplot()
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_facecolor("#F9FAFB")
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", fontsize=12, color=NEUTRAL)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width=max(width, 6), break_long_words=True) if len(text) > width else text


def _number(value: float) -> str:
    if math.isnan(value):
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _legend_below(figure: Figure, axes: Axes, handles: Sequence[Any], labels: Sequence[str]) -> None:
    if not handles:
        return
    columns = min(len(handles), 4)
    figure.legend(handles, labels, loc="outside lower center", ncols=columns, handlelength=1.6)


def _groups_in_order(names: Sequence[str]) -> list[str]:
    """Distinct non-empty names in order of first appearance (so colours follow the data, not sorting)."""
    seen: dict[str, None] = {}
    for name in names:
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _legend_rows(count: int) -> int:
    return math.ceil(count / 4) if count else 0


# --- Bar charts ------------------------------------------------------------------------------------------


def _bar_is_empty(chart: BarChart) -> bool:
    return not chart.categories or not any(
        not math.isnan(value) for series in chart.series for value in series.values
    )


def _bar_height(chart: BarChart, width: float) -> float:
    legend = 0.25 * _legend_rows(len(chart.series) if len(chart.series) > 1 else 0)
    if chart.horizontal:
        per_category = 0.28 if chart.stacked else 0.12 + 0.18 * len(chart.series)
        return max(2.4, 1.1 + per_category * len(chart.categories) + legend)
    return width * 0.55 + legend


def _draw_bar(figure: Figure, chart: BarChart, empty_text: str) -> None:
    _title(figure, chart.title)
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
                labels=[_number(value) for value in series.values],
                padding=2,
                fontsize=7.5,
                color=NEUTRAL,
            )
    category_axis, value_axis = (axes.yaxis, axes.xaxis) if chart.horizontal else (axes.xaxis, axes.yaxis)
    category_axis.set_ticks(positions)
    if chart.horizontal:
        category_axis.set_ticklabels([_wrap(name, 28) for name in chart.categories])
        axes.invert_yaxis()
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
        axes.set_xlabel(chart.value_label)
        axes.tick_params(axis="y", length=0)
    else:
        many = len(positions) > 8
        wrap_at = 14 if many else max(10, int(72 / max(len(positions), 1)))
        category_axis.set_ticklabels(
            [_wrap(name, wrap_at) for name in chart.categories],
            rotation=30 if many else 0,
            ha="right" if many else "center",
            rotation_mode="anchor",
        )
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        axes.set_ylabel(chart.value_label)
        axes.tick_params(axis="x", length=0)
    value_axis.set_major_formatter(FuncFormatter(lambda value, _position: _number(value)))
    value_axis.set_major_locator(MaxNLocator(nbins=6))
    if label_bars and chart.horizontal:
        axes.margins(x=0.08)
    elif label_bars:
        axes.margins(y=0.08)
    if count > 1:
        handles, labels = axes.get_legend_handles_labels()
        _legend_below(figure, axes, handles, labels)


# --- Scatter charts --------------------------------------------------------------------------------------


def _scatter_is_empty(chart: ScatterChart) -> bool:
    return not chart.points


def _scatter_height(chart: ScatterChart, width: float) -> float:
    groups = _groups_in_order([point.group for point in chart.points])
    return width * 0.72 + 0.25 * _legend_rows(len(groups))


def _span(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def _draw_scatter(figure: Figure, chart: ScatterChart, empty_text: str) -> None:
    _title(figure, chart.title)
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

    groups = _groups_in_order([point.group for point in chart.points])
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
    for index, point in enumerate(chart.points):
        # Near the right edge the label goes to the left of its point, so that it is not cut off.
        on_right = placed[index][0] > x_low + 0.72 * (x_high - x_low)
        axes.annotate(
            _wrap(point.label, 24),
            placed[index],
            xytext=(-6 if on_right else 6, 4),
            textcoords="offset points",
            ha="right" if on_right else "left",
            fontsize=7.5,
            zorder=4,
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
                _wrap(text, 26),
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
        handles, labels = axes.get_legend_handles_labels()
        _legend_below(figure, axes, handles, labels)


# --- Network charts --------------------------------------------------------------------------------------


def _network_is_empty(chart: NetworkChart) -> bool:
    return not chart.nodes


def _network_height(chart: NetworkChart, width: float) -> float:
    kinds = _groups_in_order([edge.kind for edge in chart.edges])
    groups = _groups_in_order([node.group for node in chart.nodes])
    return width * 0.78 + 0.25 * _legend_rows(len(kinds) + len(groups))


def network_layout(chart: NetworkChart) -> dict[str, tuple[float, float]]:
    """Node positions on one circle (up to 12 nodes) or two (the best connected third inside).

    Deterministic: nodes of the same group sit next to each other, in the order they are given; the first
    is at the top and the others follow clockwise.
    """
    groups = _groups_in_order([node.group for node in chart.nodes])
    rank = {group: index for index, group in enumerate(["", *groups])}
    nodes = sorted(chart.nodes, key=lambda node: rank[node.group])  # stable: keeps the given order
    if len(nodes) == 1:
        return {nodes[0].id: (0.0, 0.0)}
    degree = {node.id: 0 for node in nodes}
    for edge in chart.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    if len(nodes) <= 12:
        shells = [(1.0, nodes)]
    else:
        by_degree = sorted(nodes, key=lambda node: -degree[node.id])
        inner_ids = {node.id for node in by_degree[: math.ceil(len(nodes) / 3)]}
        shells = [
            (0.45, [node for node in nodes if node.id in inner_ids]),
            (1.0, [node for node in nodes if node.id not in inner_ids]),
        ]
    positions: dict[str, tuple[float, float]] = {}
    for shell_index, (radius, members) in enumerate(shells):
        offset = math.pi / len(members) if shell_index == 0 and len(shells) > 1 else 0.0
        for index, node in enumerate(members):
            angle = math.pi / 2 - offset - 2 * math.pi * index / len(members)
            positions[node.id] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def _draw_network(figure: Figure, chart: NetworkChart, empty_text: str) -> None:
    _title(figure, chart.title)
    axes = figure.add_subplot()
    axes.set_axis_off()
    # Room for the labels around the circle; the plot keeps a round circle by widening its limits as needed.
    axes.set_aspect("equal", adjustable="datalim")
    axes.update_datalim([(-1.75, -1.3), (1.75, 1.3)])
    axes.margins(0)
    positions = network_layout(chart)
    outer = max((math.hypot(x, y) for x, y in positions.values()), default=0.0)

    kinds = _groups_in_order([edge.kind for edge in chart.edges])
    kind_style = {
        kind: (PALETTE[i % len(PALETTE)], LINE_STYLES[i % len(LINE_STYLES)]) for i, kind in enumerate(kinds)
    }
    pairs = {(edge.source, edge.target) for edge in chart.edges}
    for edge in chart.edges:
        if edge.source == edge.target:
            continue  # a referral to oneself has no place on this picture
        colour, style = kind_style.get(edge.kind, (NEUTRAL, "-"))
        # Both directions between two nodes: bend each arrow to its own side so neither hides the other.
        bend = 0.18 if (edge.target, edge.source) in pairs else 0.06
        axes.add_patch(
            FancyArrowPatch(
                positions[edge.source],
                positions[edge.target],
                arrowstyle="-|>",
                mutation_scale=11,
                shrinkA=8,
                shrinkB=9,
                connectionstyle=f"arc3,rad={bend}",
                color=colour,
                linestyle=style,
                linewidth=1.3,
                zorder=2,
            )
        )

    groups = _groups_in_order([node.group for node in chart.nodes])
    markers = {group: NODE_MARKERS[i % len(NODE_MARKERS)] for i, group in enumerate(groups)}
    node_handles: list[Any] = []
    for group in ["", *groups]:
        members = [node for node in chart.nodes if node.group == group]
        if not members:
            continue
        axes.scatter(
            [positions[node.id][0] for node in members],
            [positions[node.id][1] for node in members],
            s=150,
            marker=markers.get(group, "o"),
            color="#1F4E79",
            edgecolors="white",
            linewidths=1.2,
            zorder=3,
        )
        if group:
            node_handles.append(
                Line2D(
                    [], [], marker=markers[group], linestyle="", color="#1F4E79", markersize=7, label=group
                )
            )
    for node in chart.nodes:
        x, y = positions[node.id]
        distance = math.hypot(x, y)
        if distance >= outer - 1e-9 and distance > 0:
            # Outer ring: put the label outside, away from the arrows in the middle.
            unit_x, unit_y = x / distance, y / distance
            horizontal = "left" if unit_x > 0.3 else "right" if unit_x < -0.3 else "center"
            vertical = "bottom" if unit_y > 0.3 else "top" if unit_y < -0.3 else "center"
            axes.text(
                x + 0.1 * unit_x,
                y + 0.1 * unit_y,
                _wrap(node.label, 20),
                ha=horizontal,
                va=vertical,
                fontsize=8,
                zorder=4,
            )
        else:
            axes.annotate(
                _wrap(node.label, 18),
                (x, y),
                xytext=(0, -9),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7.5,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )

    edge_handles = [
        Line2D([], [], color=kind_style[kind][0], linestyle=kind_style[kind][1], linewidth=1.6, label=kind)
        for kind in kinds
    ]
    handles = [*edge_handles, *node_handles]
    _legend_below(figure, axes, handles, [handle.get_label() for handle in handles])


# --- Gantt charts ----------------------------------------------------------------------------------------


def _gantt_is_empty(chart: GanttChart) -> bool:
    return not chart.tasks


def _gantt_height(chart: GanttChart, width: float) -> float:
    groups = _groups_in_order([task.group for task in chart.tasks])
    return max(2.2, 1.2 + 0.3 * len(chart.tasks) + 0.25 * _legend_rows(len(groups)))


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


def _draw_gantt(figure: Figure, chart: GanttChart, empty_text: str) -> None:
    _title(figure, chart.title)
    axes = figure.add_subplot()
    groups = _groups_in_order([task.group for task in chart.tasks])
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
    axes.set_yticklabels([_wrap(task.label, 30) for task in chart.tasks])
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(len(chart.tasks) - 0.4, -0.6)
    if handles:
        _legend_below(figure, axes, list(handles.values()), list(handles))


_DRAWERS: dict[type[Any], _Drawer] = {
    BarChart: _Drawer(_bar_height, _draw_bar, _bar_is_empty),
    ScatterChart: _Drawer(_scatter_height, _draw_scatter, _scatter_is_empty),
    NetworkChart: _Drawer(_network_height, _draw_network, _network_is_empty),
    GanttChart: _Drawer(_gantt_height, _draw_gantt, _gantt_is_empty),
}
"""Chart type → how to size and draw it. A new kind of chart is a dataclass, three functions and a line here."""
