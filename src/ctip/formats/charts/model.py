"""Chart definitions (frozen dataclasses) and the shared palette and sizes."""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass
from typing import Literal

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")


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


# --- The chart definitions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One row of values, one for each category of a :class:`BarChart`; ``math.nan`` leaves a gap."""

    name: str
    values: tuple[float, ...]
    missing_label: str = ""
    """Written where a value is ``math.nan`` (e.g. "n<5" for a suppressed group), so that a gap is never
    silent."""


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


@dataclass(frozen=True)
class HeatMapChart:
    """A table of values drawn as coloured cells, such as the need for each competency (columns) in each
    organisation (rows). A cell holding text instead of a number is withheld: the text (e.g. "n<5") is
    written on a hatched grey cell, so a hidden value is never a silent blank. ``math.nan`` means there is
    nothing to show ("–"). Colours run from blue (low) through white (``centre``) to red (high), so the sign
    of a value is seen at a glance; every cell also carries its number, for readers and printers without
    colour."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | str, ...], ...]
    value_label: str = ""
    """What the colours measure (the colour bar's label)."""
    centre: float = 0.0

    def __post_init__(self) -> None:
        if len(self.values) != len(self.rows):
            raise ValueError(f"{len(self.values)} rows of values for {len(self.rows)} row labels.")
        for label, row in zip(self.rows, self.values, strict=True):
            if len(row) != len(self.columns):
                raise ValueError(f"Row {label!r} has {len(row)} values for {len(self.columns)} columns.")


@dataclass(frozen=True)
class PrePostRow:
    """One participant (or group) of a :class:`PrePostChart`: the score before and after; ``math.nan``
    where that test was not taken."""

    label: str
    pre: float
    post: float


@dataclass(frozen=True)
class PrePostChart:
    """Scores before and after a training, one row each (a "dumbbell" chart): an open circle for the
    pre-test, a filled diamond for the post-test, joined by a line that is blue for a gain and vermilion
    for a loss, so the change reads without colour too (the marker shapes say which is which). An optional
    reference line marks the pass mark."""

    title: str
    rows: tuple[PrePostRow, ...]
    pre_label: str = "Pre-test"
    post_label: str = "Post-test"
    value_label: str = ""
    """The name of the value axis, with its unit (e.g. "Score (%)")."""
    maximum: float = 100.0
    reference: float | None = None
    reference_label: str = ""
    gain_label: str = "Score rose"
    loss_label: str = "Score fell"

    def __post_init__(self) -> None:
        for row in self.rows:
            for value in (row.pre, row.post):
                if not math.isnan(value) and not (0 <= value <= self.maximum):
                    raise ValueError(f"Row {row.label!r} has a score of {value} outside 0–{self.maximum}.")


@dataclass(frozen=True)
class OrgBox:
    """A box of an :class:`OrgChart`: ``parent`` is the id of the box it reports to (``""``: none);
    ``detail`` a second, smaller line (e.g. the chair); boxes of the same ``group`` share a fill colour,
    which only repeats what ``detail`` or the label says (never the only carrier of meaning)."""

    id: str
    label: str
    parent: str = ""
    detail: str = ""
    group: str = ""


@dataclass(frozen=True)
class OrgChart:
    """Boxes and arrows: who reports to whom, drawn top-down by level (the bodies reporting to nobody
    at the top), each box under the box it reports to. Arrows point up, from a box to its parent."""

    title: str
    boxes: tuple[OrgBox, ...]

    def __post_init__(self) -> None:
        ids = [box.id for box in self.boxes]
        if len(set(ids)) != len(ids):
            raise ValueError("Box ids must be unique.")
        parents = {box.id: box.parent for box in self.boxes}
        for box in self.boxes:
            if box.parent and box.parent not in parents:
                raise ValueError(f"Box {box.id!r} reports to {box.parent!r}, which does not exist.")
            seen = {box.id}
            current = box.parent
            while current:
                if current in seen:
                    raise ValueError(f"Box {box.id!r} is in a reporting loop.")
                seen.add(current)
                current = parents[current]


Chart = BarChart | ScatterChart | NetworkChart | GanttChart | HeatMapChart | PrePostChart | OrgChart
