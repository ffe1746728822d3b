"""Organisation charts: boxes by reporting level, top-down, each box centred over those reporting to it,
joined by elbow lines with an arrowhead into the box reported to.

The drawing is measured in inches (the axes span the figure below the title, one data unit to the
inch), so text sizes and box sizes agree whatever the number of boxes: a level with many boxes gets
narrower boxes whose labels wrap onto more lines, and the figure grows taller instead of the text
overflowing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ctip.formats.charts.model import NEUTRAL, PALETTE, TEXT_COLOUR, OrgBox, OrgChart
from ctip.formats.charts.style import draw_title, groups_in_order, wrap_text

LABEL_SIZE = 8.5
DETAIL_SIZE = 7.5
LINE_INCHES = 1.3 / 72
"""Line spacing as a multiple of the font size in points, converted to inches."""
PADDING = 0.09
LEVEL_GAP = 0.38
TITLE_INCHES = 0.45
MARGIN = 0.06
SLOT_MAX = 2.2
"""The widest a box gets (inches), so that a chart of two boxes does not stretch them across the page."""


def orgchart_is_empty(chart: OrgChart) -> bool:
    return not chart.boxes


@dataclass(frozen=True)
class _Placed:
    box: OrgBox
    depth: int
    x: float
    """The centre, in inches from the left edge."""
    label: str
    detail: str


@dataclass(frozen=True)
class _Layout:
    placed: dict[str, _Placed]
    box_width: float
    level_heights: tuple[float, ...]
    """The height of the boxes of each level (the tallest box's)."""

    @property
    def height(self) -> float:
        return sum(self.level_heights) + LEVEL_GAP * max(len(self.level_heights) - 1, 0) + 2 * MARGIN

    def top(self, depth: int) -> float:
        """The y of the top edge of the boxes of a level (negative: inches down from the top)."""
        return -(MARGIN + sum(self.level_heights[:depth]) + LEVEL_GAP * depth)


def _chars(width: float, size: float) -> int:
    """How many characters of ``size`` points fit in ``width`` inches (an average glyph is ~0.5 em)."""
    return max(int(width * 72 / (size * 0.5)), 8)


def _box_height(label: str, detail: str) -> float:
    lines = label.count("\n") + 1
    height = lines * LABEL_SIZE * LINE_INCHES + 2 * PADDING
    if detail:
        height += (detail.count("\n") + 1) * DETAIL_SIZE * LINE_INCHES + 0.03
    return height


def _layout(chart: OrgChart, width: float) -> _Layout:
    children: dict[str, list[OrgBox]] = {}
    for box in chart.boxes:
        children.setdefault(box.parent, []).append(box)
    order: list[tuple[OrgBox, int]] = []
    centres: dict[str, float] = {}
    leaves = 0

    def visit(box: OrgBox, depth: int) -> float:
        nonlocal leaves
        order.append((box, depth))
        below = [visit(child, depth + 1) for child in children.get(box.id, [])]
        if below:
            centre = (below[0] + below[-1]) / 2
        else:
            centre = leaves + 0.5
            leaves += 1
        centres[box.id] = centre
        return centre

    for root in children.get("", []):
        visit(root, 0)
    slot = min((width - 2 * MARGIN) / max(leaves, 1), SLOT_MAX)
    offset = (width - slot * leaves) / 2
    box_width = slot * 0.9
    placed: dict[str, _Placed] = {}
    depth_count = max((depth for _box, depth in order), default=0) + 1
    heights = [0.0] * depth_count
    for box, depth in order:
        label = wrap_text(box.label, _chars(box_width - 2 * PADDING, LABEL_SIZE))
        detail = wrap_text(box.detail, _chars(box_width - 2 * PADDING, DETAIL_SIZE)) if box.detail else ""
        placed[box.id] = _Placed(box, depth, offset + centres[box.id] * slot, label, detail)
        heights[depth] = max(heights[depth], _box_height(label, detail))
    return _Layout(placed, box_width, tuple(heights))


def orgchart_height(chart: OrgChart, width: float) -> float:
    return _layout(chart, width).height + (TITLE_INCHES if chart.title else 0.1)


def _tint(colour: str, amount: float = 0.82) -> tuple[float, float, float]:
    red, green, blue = to_rgb(colour)
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)


def draw_orgchart(figure: Figure, chart: OrgChart, empty_text: str) -> None:
    # The boxes are placed by hand in inches: no layout engine may move the axes (and it would warn that
    # it has no grid to lay out).
    figure.set_layout_engine("none")
    draw_title(figure, chart.title)
    width, figure_height = figure.get_size_inches()
    layout = _layout(chart, float(width))
    axes = figure.add_axes((0.0, 0.0, 1.0, min(layout.height / float(figure_height), 1.0)))
    axes.set_xlim(0, float(width))
    axes.set_ylim(-layout.height, 0)
    axes.set_axis_off()
    groups = groups_in_order([box.group for box in chart.boxes])
    colours = {group: PALETTE[index % (len(PALETTE) - 2)] for index, group in enumerate(groups)}
    half = layout.box_width / 2
    for placed in layout.placed.values():
        top = layout.top(placed.depth)
        height = layout.level_heights[placed.depth]
        edge = colours.get(placed.box.group, NEUTRAL)
        axes.add_patch(
            FancyBboxPatch(
                (placed.x - half, top - height),
                layout.box_width,
                height,
                boxstyle="round,pad=0,rounding_size=0.05",
                facecolor=_tint(edge),
                edgecolor=edge,
                linewidth=1.1,
                zorder=2,
            )
        )
        label_height = (placed.label.count("\n") + 1) * LABEL_SIZE * LINE_INCHES
        axes.text(
            placed.x,
            top - PADDING,
            placed.label,
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            color=TEXT_COLOUR,
            linespacing=1.15,
            zorder=3,
        )
        if placed.detail:
            axes.text(
                placed.x,
                top - PADDING - label_height - 0.03,
                placed.detail,
                ha="center",
                va="top",
                fontsize=DETAIL_SIZE,
                color="#4B5563",
                linespacing=1.15,
                zorder=3,
            )
    _draw_lines(axes, layout)


def _draw_lines(axes: Axes, layout: _Layout) -> None:
    children: dict[str, list[_Placed]] = {}
    for placed in layout.placed.values():
        if placed.box.parent:
            children.setdefault(placed.box.parent, []).append(placed)
    for parent_id, below in children.items():
        parent = layout.placed[parent_id]
        parent_bottom = layout.top(parent.depth) - layout.level_heights[parent.depth]
        child_top = layout.top(parent.depth + 1)
        bus = (parent_bottom + child_top) / 2
        style: dict[str, Any] = {"color": NEUTRAL, "linewidth": 1.0, "zorder": 1}
        xs = [child.x for child in below] + [parent.x]
        axes.plot([min(xs), max(xs)], [bus, bus], solid_capstyle="butt", **style)
        for child in below:
            axes.plot([child.x, child.x], [child_top, bus], **style)
        axes.add_patch(
            FancyArrowPatch(
                (parent.x, bus),
                (parent.x, parent_bottom),
                arrowstyle="-|>",
                mutation_scale=9,
                shrinkA=0,
                shrinkB=0,
                color=NEUTRAL,
                linewidth=1.0,
                zorder=1,
            )
        )
