"""Chart definitions of the stakeholder mapping, labelled in the reader's language.

One definition (``ctip.formats.charts``) per chart: pages inline its SVG (``render_svg``), the inception
report places its PNG (``render_png``). The numbers come from ``ctip.core.stakeholder_mapping``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from ctip.core.stakeholder_mapping import (
    DEFAULT_CUT,
    QUADRANT_LABELS,
    CountRow,
    InfluenceInterestGrid,
    MappedOrganisation,
    MappedRelation,
    Quadrant,
    ReferralNetwork,
    StakeholderCounts,
    StakeholderMatrix,
    influence_interest_grid,
    referral_network,
    stakeholder_matrix,
)
from ctip.formats.charts import BarChart, Chart, Edge, NetworkChart, Node, Point, ScatterChart, Series
from ctip.web.stakeholders.selectors import MappingLabels

MAX_BARS = 15
"""Locations beyond this many (the smallest) are grouped as "Other locations"."""


def matrix_chart(matrix: StakeholderMatrix, labels: MappingLabels) -> BarChart:
    """Organisations per response-chain stage, one bar for each pillar."""
    return BarChart(
        title=_("Organisations by pillar and response-chain stage"),
        categories=tuple(labels.stages.get(stage, stage) for stage in matrix.stages),
        series=tuple(
            Series(
                name=labels.pillars.get(pillar, pillar),
                values=tuple(float(len(matrix.cell(pillar, stage))) for stage in matrix.stages),
            )
            for pillar in matrix.pillars
        ),
        horizontal=True,
        value_label=_("Organisations"),
    )


def grid_chart(grid: InfluenceInterestGrid, labels: MappingLabels) -> ScatterChart:
    """Interest across, influence up, one colour per sector. Scores are whole numbers and a score equal to
    the cut is high, so the lines are drawn half a point below the cuts."""
    quadrant = {q: _(label) for q, label in QUADRANT_LABELS.items()}
    return ScatterChart(
        title=_("Influence and interest"),
        points=tuple(
            Point(
                label=point.organisation.short_name,
                x=float(point.interest),
                y=float(point.influence),
                group=labels.sector(point.organisation.sector),
            )
            for point in grid.points
        ),
        x_label=_("Interest in the response (1–5)"),
        y_label=_("Influence on the response (1–5)"),
        x_cut=grid.interest_cut - 0.5,
        y_cut=grid.influence_cut - 0.5,
        quadrant_labels=(
            quadrant[Quadrant.KEEP_SATISFIED],
            quadrant[Quadrant.MANAGE_CLOSELY],
            quadrant[Quadrant.MONITOR],
            quadrant[Quadrant.KEEP_INFORMED],
        ),
    )


def network_chart(
    network: ReferralNetwork, labels: MappingLabels, sector_of: Mapping[str, str]
) -> NetworkChart:
    """Arrows from the organisation that refers, coordinates or funds to the other; node shapes by sector
    (four shapes keep the legend short, where a shape for each type would not fit)."""
    return NetworkChart(
        title=_("Referrals, coordination and funding"),
        nodes=tuple(
            Node(id=node.key, label=node.label, group=labels.sector(sector_of.get(node.key, "")))
            for node in network.nodes
        ),
        edges=tuple(
            Edge(source=edge.source, target=edge.target, kind=labels.relations.get(edge.kind, edge.kind))
            for edge in network.edges
        ),
    )


def _top(rows: Sequence[CountRow], limit: int) -> list[CountRow]:
    if len(rows) <= limit:
        return list(rows)
    kept, rest = list(rows[: limit - 1]), rows[limit - 1 :]
    other = CountRow(
        value="\x00other",
        organisations=sum(row.organisations for row in rest),
        staff_women=sum(row.staff_women for row in rest),
        staff_men=sum(row.staff_men for row in rest),
        staff_total=sum(row.staff_total for row in rest),
    )
    return [*kept, other]


def count_chart(title: str, rows: Sequence[CountRow], names: Sequence[str]) -> BarChart:
    return BarChart(
        title=title,
        categories=tuple(names),
        series=(Series(name=_("Organisations"), values=tuple(float(row.organisations) for row in rows)),),
        horizontal=True,
        value_label=_("Organisations"),
    )


def staff_chart(counts: StakeholderCounts, labels: MappingLabels) -> BarChart:
    """Staff by sex for each type of organisation, as reported (organisations without figures add nothing)."""
    rows = [row for row in counts.by_type if row.staff_total or row.staff_women or row.staff_men]
    return BarChart(
        title=_("Staff by type of organisation and sex (as reported)"),
        categories=tuple(labels.type(row.value) for row in rows),
        series=(
            Series(name=_("Women"), values=tuple(float(row.staff_women) for row in rows)),
            Series(name=_("Men"), values=tuple(float(row.staff_men) for row in rows)),
            Series(
                name=_("Sex not reported"),
                values=tuple(
                    float(max(row.staff_total - row.staff_women - row.staff_men, 0)) for row in rows
                ),
            ),
        ),
        horizontal=True,
        stacked=True,
        value_label=_("Staff"),
    )


def location_name(value: str) -> str:
    if value == "\x00other":
        return _("Other locations")
    return value or _("Not specified")


def mapping_charts(
    *,
    organisations: Sequence[MappedOrganisation],
    relations: Sequence[MappedRelation],
    labels: MappingLabels,
    counts: StakeholderCounts,
    cut: int = DEFAULT_CUT,
) -> dict[str, Chart]:
    locations = _top(counts.by_location, MAX_BARS)
    return {
        "matrix": matrix_chart(stakeholder_matrix(organisations), labels),
        "grid": grid_chart(
            influence_interest_grid(organisations, influence_cut=cut, interest_cut=cut), labels
        ),
        "network": network_chart(
            referral_network(organisations, relations), labels, {o.key: o.sector for o in organisations}
        ),
        "by_type": count_chart(
            _("Organisations by type"), counts.by_type, [labels.type(row.value) for row in counts.by_type]
        ),
        "by_sector": count_chart(
            _("Organisations by sector"),
            counts.by_sector,
            [labels.sector(row.value) for row in counts.by_sector],
        ),
        "by_location": count_chart(
            _("Organisations by location"), locations, [location_name(row.value) for row in locations]
        ),
        "staff": staff_chart(counts, labels),
    }
