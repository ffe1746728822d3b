"""Charts: one definition, drawn as SVG for web pages and as PNG for Word and PowerPoint files.

A chart is a frozen dataclass (:class:`BarChart`, :class:`ScatterChart`, :class:`NetworkChart`,
:class:`GanttChart`, :class:`HeatMapChart`, :class:`PrePostChart`, :class:`OrgChart`). :func:`render_svg` and :func:`render_png` look its type up in a small registry and
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

import contextlib
import contextvars
import hashlib
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ctip.formats.charts.bars import (
    bar_height,
    bar_is_empty,
    draw_bar,
)
from ctip.formats.charts.gantt import (
    draw_gantt,
    gantt_height,
    gantt_is_empty,
)
from ctip.formats.charts.heat_map import (
    draw_heat_map,
    heat_map_height,
    heat_map_is_empty,
)
from ctip.formats.charts.model import (
    DEFAULT_WIDTH_INCHES,
    GRID_COLOUR,
    LINE_STYLES,
    NEUTRAL,
    NO_DATA_TEXT,
    NODE_MARKERS,
    PALETTE,
    TEXT_COLOUR,
    BarChart,
    Chart,
    Edge,
    GanttChart,
    GanttTask,
    HeatMapChart,
    NetworkChart,
    Node,
    OrgBox,
    OrgChart,
    Point,
    PrePostChart,
    PrePostRow,
    ScatterChart,
    Series,
)
from ctip.formats.charts.network import (
    draw_network,
    network_height,
    network_is_empty,
    network_layout,
)
from ctip.formats.charts.orgchart import (
    draw_orgchart,
    orgchart_height,
    orgchart_is_empty,
)
from ctip.formats.charts.prepost import (
    draw_prepost,
    prepost_height,
    prepost_is_empty,
)
from ctip.formats.charts.scatter import (
    draw_scatter,
    scatter_height,
    scatter_is_empty,
)
from ctip.formats.charts.style import (
    RC_PARAMS,
    RENDER_LOCK,
    draw_empty,
)

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")


# --- Rendering -------------------------------------------------------------------------------------------


def render_svg(
    chart: Chart, *, width_inches: float = DEFAULT_WIDTH_INCHES, empty_text: str = NO_DATA_TEXT
) -> str:
    """The chart as an SVG document (UTF-8 text, no XML declaration), identical for identical charts."""
    salt = hashlib.sha256(repr((chart, width_inches, empty_text)).encode()).hexdigest()[:16]
    buffer = io.StringIO()
    with RENDER_LOCK, matplotlib.rc_context({**RC_PARAMS, "svg.hashsalt": salt}):
        figure = _draw(chart, width_inches, empty_text)
        # matplotlib writes the title as the SVG's <title> element too.
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": chart.title or "Chart"})
    return _svg_finish(buffer.getvalue())


_PICTURES_DRAWN: contextvars.ContextVar[bool] = contextvars.ContextVar("charts_pictures_drawn", default=True)


@contextlib.contextmanager
def pictures_skipped() -> Iterator[None]:
    """Within this block :func:`render_png` returns no bytes: for callers that build a report only for
    its text (the snapshot of a report under review), where drawing its charts would cost seconds."""
    token = _PICTURES_DRAWN.set(False)
    try:
        yield
    finally:
        _PICTURES_DRAWN.reset(token)


def render_png(
    chart: Chart,
    *,
    width_inches: float = DEFAULT_WIDTH_INCHES,
    dpi: int = 200,
    empty_text: str = NO_DATA_TEXT,
) -> bytes:
    """The chart as a PNG image, ``width_inches`` wide at ``dpi`` dots per inch (for Word and PowerPoint);
    empty within :func:`pictures_skipped`."""
    if not _PICTURES_DRAWN.get():
        return b""
    buffer = io.BytesIO()
    with RENDER_LOCK, matplotlib.rc_context(RC_PARAMS):
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
        draw_empty(figure, chart.title, empty_text)
    else:
        drawer.draw(figure, chart, empty_text)
    return figure


def _svg_finish(svg: str) -> str:
    """Drop the XML prolog, so that the SVG can be inlined in an HTML page, and mark it as an image."""
    body = svg[svg.index("<svg") :]
    return re.sub(r"<svg\b([^>]*)>", r'<svg\1 role="img">', body, count=1)


_DRAWERS: dict[type[Any], _Drawer] = {
    BarChart: _Drawer(bar_height, draw_bar, bar_is_empty),
    ScatterChart: _Drawer(scatter_height, draw_scatter, scatter_is_empty),
    NetworkChart: _Drawer(network_height, draw_network, network_is_empty),
    GanttChart: _Drawer(gantt_height, draw_gantt, gantt_is_empty),
    HeatMapChart: _Drawer(heat_map_height, draw_heat_map, heat_map_is_empty),
    PrePostChart: _Drawer(prepost_height, draw_prepost, prepost_is_empty),
    OrgChart: _Drawer(orgchart_height, draw_orgchart, orgchart_is_empty),
}
"""Chart type → how to size and draw it. A new kind of chart is a dataclass, three functions and a line here."""


__all__ = [
    "DEFAULT_WIDTH_INCHES",
    "GRID_COLOUR",
    "LINE_STYLES",
    "NEUTRAL",
    "NODE_MARKERS",
    "NO_DATA_TEXT",
    "PALETTE",
    "TEXT_COLOUR",
    "BarChart",
    "Chart",
    "Edge",
    "GanttChart",
    "GanttTask",
    "HeatMapChart",
    "NetworkChart",
    "Node",
    "OrgBox",
    "OrgChart",
    "Point",
    "PrePostChart",
    "PrePostRow",
    "ScatterChart",
    "Series",
    "network_layout",
    "render_png",
    "render_svg",
]
