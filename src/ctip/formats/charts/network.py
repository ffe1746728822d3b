"""Network charts."""

from __future__ import annotations

import math
import sys
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    # Switching backends once pyplot is loaded would close the figures of whoever loaded it (a notebook,
    # say). These charts never need pyplot: they print through the Agg and SVG canvases directly.
    matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ctip.formats.charts.model import (
    LINE_STYLES,
    NEUTRAL,
    NODE_MARKERS,
    PALETTE,
    NetworkChart,
)
from ctip.formats.charts.style import (
    draw_title,
    groups_in_order,
    legend_below,
    legend_rows,
    wrap_text,
)

# --- Network charts --------------------------------------------------------------------------------------


def network_is_empty(chart: NetworkChart) -> bool:
    return not chart.nodes


def network_height(chart: NetworkChart, width: float) -> float:
    kinds = groups_in_order([edge.kind for edge in chart.edges])
    groups = groups_in_order([node.group for node in chart.nodes])
    return width * 0.78 + 0.25 * legend_rows(len(kinds) + len(groups))


def network_layout(chart: NetworkChart) -> dict[str, tuple[float, float]]:
    """Node positions on one circle (up to 12 nodes) or two (the best connected third inside).

    Deterministic: nodes of the same group sit next to each other, in the order they are given; the first
    is at the top and the others follow clockwise.
    """
    groups = groups_in_order([node.group for node in chart.nodes])
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


def draw_network(figure: Figure, chart: NetworkChart, empty_text: str) -> None:
    draw_title(figure, chart.title)
    axes = figure.add_subplot()
    axes.set_axis_off()
    # Room for the labels around the circle; the plot keeps a round circle by widening its limits as needed.
    axes.set_aspect("equal", adjustable="datalim")
    axes.update_datalim([(-1.75, -1.3), (1.75, 1.3)])
    axes.margins(0)
    positions = network_layout(chart)
    outer = max((math.hypot(x, y) for x, y in positions.values()), default=0.0)

    kinds = groups_in_order([edge.kind for edge in chart.edges])
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

    groups = groups_in_order([node.group for node in chart.nodes])
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
                wrap_text(node.label, 20),
                ha=horizontal,
                va=vertical,
                fontsize=8,
                zorder=4,
            )
        else:
            axes.annotate(
                wrap_text(node.label, 18),
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
    legend_below(figure, axes, handles, [handle.get_label() for handle in handles])
