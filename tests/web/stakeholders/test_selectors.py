"""Mapping selectors and chart definitions on a small hand-made registry."""

import pytest

from ctip.core.stakeholder_mapping import Quadrant
from ctip.formats.charts import BarChart, NetworkChart, ScatterChart, render_png, render_svg
from ctip.web.stakeholders import selectors
from ctip.web.stakeholders.selectors import OrganisationFilter
from tests.web.stakeholders.factories import organisation_make, relation_make


@pytest.fixture
def registry(workspace):
    police = organisation_make(
        workspace,
        "ATU",
        name="Anti-Trafficking Unit",
        acronym="ATU",
        type="law_enforcement",
        sector="government",
        location="Port Louis",
        pillars=["prosecution", "protection"],
        chain_stages=["identification", "investigation"],
        influence=5,
        interest=5,
        staff_women=8,
        staff_men=16,
    )
    shelter = organisation_make(
        workspace,
        "SHS",
        name="Shelter <script>alert(1)</script>",
        type="ngo",
        sector="civil_society",
        location="Curepipe",
        pillars=["protection"],
        chain_stages=["protection_assistance"],
        influence=2,
        interest=5,
        staff_women=6,
        staff_men=2,
    )
    employers = organisation_make(
        workspace,
        "NEF",
        name="Employers' Federation",
        type="corporate_business",
        sector="private",
        location="Port Louis",
        pillars=["prevention"],
        influence=4,
        interest=1,
    )
    organisation_make(workspace, "UOM", name="University", type="academia", sector="civil_society")
    relation_make(police, shelter)
    relation_make(employers, shelter, "funds")
    return workspace


@pytest.mark.django_db
def test_matrix_grid_counts_and_network_of_a_small_registry(registry):
    matrix = selectors.stakeholder_matrix(registry)
    assert [o.key for o in matrix.cell("protection", "identification")] == ["ATU"]
    assert [o.key for o in matrix.cell("protection", "protection_assistance")] == ["SHS"]
    assert [o.key for o in matrix.pillar_only] == ["NEF"]
    assert [o.key for o in matrix.unplaced] == ["UOM"]

    grid = selectors.stakeholder_grid(registry)
    quadrants = {p.organisation.key: p.quadrant for p in grid.points}
    assert quadrants == {
        "ATU": Quadrant.MANAGE_CLOSELY,
        "SHS": Quadrant.KEEP_INFORMED,
        "NEF": Quadrant.KEEP_SATISFIED,
    }
    assert [o.key for o in grid.unscored] == ["UOM"]

    counts = selectors.stakeholder_counts(registry)
    by_sector = {row.value: row for row in counts.by_sector}
    assert [row.value for row in counts.by_sector] == ["government", "private", "civil_society"]
    assert (by_sector["civil_society"].organisations, by_sector["civil_society"].staff_total) == (2, 8)
    assert {row.value: row.organisations for row in counts.by_location} == {
        "Port Louis": 2,
        "Curepipe": 1,
        "": 1,
    }
    assert (counts.total.staff_women, counts.total.staff_men, counts.total.staff_total) == (14, 18, 32)

    network = selectors.stakeholder_network(registry)
    assert [node.key for node in network.nodes] == ["ATU", "NEF", "SHS"]  # by name
    assert {(e.source, e.target, e.kind) for e in network.edges} == {
        ("ATU", "SHS", "refers_cases_to"),
        ("NEF", "SHS", "funds"),
    }


@pytest.mark.django_db
def test_the_same_chart_definitions_give_svg_and_png(registry):
    charts = selectors.stakeholder_mapping_charts(registry)
    assert set(charts) == {"matrix", "grid", "network", "by_type", "by_sector", "by_location", "staff"}
    assert isinstance(charts["grid"], ScatterChart) and isinstance(charts["network"], NetworkChart)
    assert isinstance(charts["by_type"], BarChart)
    grid = charts["grid"]
    assert {(p.label, p.x, p.y) for p in grid.points} >= {("ATU", 5.0, 5.0)}
    assert grid.quadrant_labels == ("Keep satisfied", "Manage closely", "Monitor", "Keep informed")
    assert grid.x_cut == grid.y_cut == 2.5
    assert {edge.kind for edge in charts["network"].edges} == {"Refers cases to", "Funds"}
    svg = render_svg(charts["grid"])
    assert svg.startswith("<svg") and "<script>" not in svg  # labels are escaped
    assert render_png(charts["network"]).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_charts_of_an_empty_registry_render(workspace):
    for chart in selectors.stakeholder_mapping_charts(workspace).values():
        assert render_svg(chart, empty_text="Nothing").startswith("<svg")


@pytest.mark.django_db
def test_the_list_filters_by_type_sector_location_pillar_and_name(registry):
    def keys(**filters):
        return [o.key for o in selectors.organisations(registry, OrganisationFilter(**filters))]

    assert keys() == ["ATU", "NEF", "SHS", "UOM"]
    assert keys(type="ngo") == ["SHS"]
    assert keys(sector="civil_society") == ["SHS", "UOM"]
    assert keys(location="port louis") == ["ATU", "NEF"]
    assert keys(pillar="protection") == ["ATU", "SHS"]
    assert keys(pillar="prevention") == ["NEF"]
    assert keys(search="traff") == ["ATU"]
    assert keys(search="nef") == ["NEF"]
    assert selectors.organisation_locations(registry) == ["Curepipe", "Port Louis"]
