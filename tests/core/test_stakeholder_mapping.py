"""Stakeholder mapping computations on a small hand-made registry (no database)."""

from ctip.core.stakeholder_mapping import (
    MappedOrganisation,
    MappedRelation,
    Quadrant,
    influence_interest_grid,
    quadrant_of,
    referral_network,
    stakeholder_counts,
    stakeholder_matrix,
)

POLICE = MappedOrganisation(
    key="ATU",
    name="Anti-Trafficking Unit",
    acronym="ATU",
    type="law_enforcement",
    sector="government",
    location="Port Louis",
    pillars=("prosecution", "protection"),
    chain_stages=("identification", "investigation"),
    influence=5,
    interest=4,
    staff_women=8,
    staff_men=16,
    staff_total=24,
    frontline_women=5,
    frontline_men=12,
)
SHELTER = MappedOrganisation(
    key="SHS",
    name="Safe Haven Shelter",
    type="ngo",
    sector="civil_society",
    location="Port  Louis",
    pillars=("protection",),
    chain_stages=("protection_assistance",),
    influence=2,
    interest=5,
    staff_women=6,
    staff_men=2,
    staff_total=10,
)
MINISTRY = MappedOrganisation(
    key="MOL",
    name="Ministry of Labour",
    type="central_government",
    sector="government",
    location="Rodrigues",
    pillars=("prevention",),
    influence=4,
    interest=2,
)
MEDIA = MappedOrganisation(
    key="TV", name="Television", type="media", sector="private", influence=1, interest=1
)
UNSCORED = MappedOrganisation(key="UNI", name="University", type="academia", chain_stages=("prevention",))
REGISTRY = [POLICE, SHELTER, MINISTRY, MEDIA, UNSCORED]


def test_matrix_places_each_organisation_in_its_pillars_times_its_stages():
    matrix = stakeholder_matrix(REGISTRY)
    assert matrix.cell("prosecution", "identification") == (POLICE,)
    assert matrix.cell("protection", "investigation") == (POLICE,)
    assert matrix.cell("protection", "protection_assistance") == (SHELTER,)
    assert matrix.cell("prevention", "identification") == ()
    assert matrix.pillar_only == (MINISTRY,)
    assert matrix.stage_only == (UNSCORED,)
    assert matrix.unplaced == (MEDIA,)
    assert ("partnership", "coordination") in matrix.gaps
    assert ("protection", "protection_assistance") not in matrix.gaps
    rows = matrix.rows()
    assert [pillar for pillar, _cells in rows] == ["prevention", "protection", "prosecution", "partnership"]
    assert len(rows[0][1]) == 8


def test_cells_list_organisations_by_name():
    other_police = MappedOrganisation(
        key="BPM", name="Brigade for minors", pillars=("protection",), chain_stages=("investigation",)
    )
    matrix = stakeholder_matrix([POLICE, other_police])
    assert [o.key for o in matrix.cell("protection", "investigation")] == ["ATU", "BPM"]


def test_quadrants_cut_at_three_where_three_is_high():
    assert quadrant_of(5, 5) is Quadrant.MANAGE_CLOSELY
    assert quadrant_of(3, 3) is Quadrant.MANAGE_CLOSELY
    assert quadrant_of(4, 2) is Quadrant.KEEP_SATISFIED
    assert quadrant_of(2, 5) is Quadrant.KEEP_INFORMED
    assert quadrant_of(2, 2) is Quadrant.MONITOR
    assert quadrant_of(3, 3, influence_cut=4, interest_cut=4) is Quadrant.MONITOR


def test_grid_sorts_scored_organisations_into_quadrants_and_lists_the_unscored():
    grid = influence_interest_grid(REGISTRY)
    assert [p.organisation.key for p in grid.in_quadrant(Quadrant.MANAGE_CLOSELY)] == ["ATU"]
    assert [p.organisation.key for p in grid.in_quadrant(Quadrant.KEEP_SATISFIED)] == ["MOL"]
    assert [p.organisation.key for p in grid.in_quadrant(Quadrant.KEEP_INFORMED)] == ["SHS"]
    assert [p.organisation.key for p in grid.in_quadrant(Quadrant.MONITOR)] == ["TV"]
    assert grid.unscored == (UNSCORED,)
    assert sum(grid.quadrant_counts().values()) == 4


def test_counts_by_type_sector_and_location_with_staff_by_sex():
    counts = stakeholder_counts(REGISTRY, sector_order=["government", "private", "civil_society"])
    by_sector = {row.value: row for row in counts.by_sector}
    assert [row.value for row in counts.by_sector] == ["government", "private", "civil_society", ""]
    government = by_sector["government"]
    assert (government.organisations, government.staff_women, government.staff_men) == (2, 8, 16)
    assert government.staff_total == 24 and government.without_staff_figures == 1
    assert government.frontline_total == 17
    by_location = {row.value: row for row in counts.by_location}
    assert by_location["Port Louis"].organisations == 2  # extra spaces in a location do not split it
    assert by_location["Port Louis"].staff_total == 34
    assert counts.by_location[-1].value == ""  # "not given" comes last
    assert counts.total.organisations == 5 and counts.total.staff_total == 34
    assert counts.total.without_staff_figures == 3


def test_counts_of_an_empty_registry_are_empty():
    counts = stakeholder_counts([])
    assert counts.by_type == () and counts.total.organisations == 0


def test_network_has_only_organisations_with_relations_and_drops_unknown_ends():
    relations = [
        MappedRelation("ATU", "SHS", "refers_cases_to"),
        MappedRelation("ATU", "SHS", "refers_cases_to"),  # a repeat counts once
        MappedRelation("MOL", "ATU", "refers_cases_to"),
        MappedRelation("MOL", "GONE", "funds"),
    ]
    network = referral_network(REGISTRY, relations)
    assert [node.key for node in network.nodes] == ["ATU", "MOL", "SHS"]
    assert {node.key: node.degree for node in network.nodes} == {"ATU": 2, "MOL": 1, "SHS": 1}
    assert network.nodes[0].label == "ATU" and network.nodes[2].label == "Safe Haven Shelter"
    assert len(network.edges) == 2
    only_funding = referral_network(REGISTRY, relations, kinds=["funds"])
    assert only_funding.nodes == () and only_funding.edges == ()
