"""The stakeholder mapping page: the pillar × stage matrix as a table, the influence/interest grid, the
network of relations and the counts as charts drawn on the server (inline SVG) and as tables."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.stakeholder_mapping import QUADRANT_DESCRIPTIONS, QUADRANT_LABELS, Quadrant
from ctip.formats.charts import render_svg
from ctip.web.accounts.permissions import workspace_view
from ctip.web.stakeholders import selectors, services
from ctip.web.stakeholders.mapping import location_name
from ctip.web.stakeholders.views.common import render_page


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_mapping(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    services.organisation_types_ensure(workspace=workspace, acting_user=request.user)
    labels = selectors.stakeholder_labels(workspace)
    matrix = selectors.stakeholder_matrix(workspace)
    grid = selectors.stakeholder_grid(workspace)
    counts = selectors.stakeholder_counts(workspace)
    network = selectors.stakeholder_network(workspace)
    charts = selectors.stakeholder_mapping_charts(workspace)
    # The SVG is drawn here by ctip.formats.charts from our own chart definitions (matplotlib escapes the
    # labels, which are user data); nothing else is marked safe.
    svgs = {name: mark_safe(render_svg(chart, empty_text=_("No data yet"))) for name, chart in charts.items()}
    matrix_rows = [
        {
            "pillar": labels.pillars.get(pillar, pillar),
            "cells": [
                {"stage": labels.stages.get(stage, stage), "organisations": found} for stage, found in cells
            ],
        }
        for pillar, cells in matrix.rows()
    ]
    quadrants = [
        {
            "label": _(QUADRANT_LABELS[quadrant]),
            "description": _(QUADRANT_DESCRIPTIONS[quadrant]),
            "points": grid.in_quadrant(quadrant),
        }
        for quadrant in Quadrant
    ]
    names = {node.key: node.label for node in network.nodes}
    return render_page(
        request,
        "stakeholders/mapping.html",
        {
            "svgs": svgs,
            "stages": [labels.stages.get(stage, stage) for stage in matrix.stages],
            "matrix_rows": matrix_rows,
            "matrix": matrix,
            "gaps": [(labels.pillars.get(p, p), labels.stages.get(s, s)) for p, s in matrix.gaps],
            "grid": grid,
            "quadrants": quadrants,
            "counts_by_type": [(labels.type(row.value), row) for row in counts.by_type],
            "counts_by_sector": [(labels.sector(row.value), row) for row in counts.by_sector],
            "counts_by_location": [(location_name(row.value), row) for row in counts.by_location],
            "total": counts.total,
            "edges": [
                (names[edge.source], labels.relations.get(edge.kind, edge.kind), names[edge.target])
                for edge in network.edges
            ],
        },
    )
