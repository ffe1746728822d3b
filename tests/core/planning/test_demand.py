"""Segments and demand from the TNA, on small inputs computed by hand (see the method in
ctip.core.planning.demand)."""

from __future__ import annotations

import numpy as np
import pytest

from ctip.core.needs.model import Item, NeedsData
from ctip.core.planning.demand import (
    NO_LOCATION,
    ROLE_FRONTLINE,
    ROLE_MANAGEMENT,
    ROLE_OTHER,
    SHARE_OVERALL,
    SHARE_SEGMENT,
    STAFF_FRONTLINE,
    STAFF_NON_FRONTLINE,
    STAFF_RESPONDENTS,
    STAFF_TOTAL,
    OrganisationStaff,
    Respondent,
    derive_demand,
    largest_remainder,
    respondents_from_needs_data,
    role_group,
)
from ctip.core.tna.model import Text


def person(key, organisation, role, location, sex="female", rated=("C1", "C2"), gaps=()):
    return Respondent(key, organisation, role, location, sex, frozenset(rated), frozenset(gaps))


ORGANISATIONS = {
    "A": OrganisationStaff("A", "North", staff_women=60, staff_men=40, frontline_women=30, frontline_men=20),
    "B": OrganisationStaff("B", "East", staff_total=10),
    "C": OrganisationStaff("C", ""),
    "D": OrganisationStaff("D", "South", staff_women=5, staff_men=5),
}


def respondents():
    found = [person(f"a{n}", "A", "police officer", "North", gaps=("C1",) if n < 3 else ()) for n in range(6)]
    found += [person(f"s{n}", "A", "Inspector", "South", sex="male", gaps=("C1",)) for n in range(2)]
    found += [person(f"m{n}", "A", "Head of unit", "North") for n in range(2)]
    found += [
        person("b1", "B", "social worker", "", sex="female"),
        person("b2", "B", "clerk", "", sex="male"),
        person("b3", "B", "clerk", "", sex="not_stated"),
        person("c1", "C", "driver", "West", sex="female"),
        person("c2", "C", "driver", "West", sex="not_stated"),
        person("c3", "C", "driver", "", sex="male"),
        person("x", "", "officer", "North", rated=("C1", "C2", "C3"), gaps=("C1", "C3")),
    ]
    return found


@pytest.fixture
def derived():
    return derive_demand(
        respondents(), ORGANISATIONS, ["C1", "C2", "C3"], {"C1": 2.5, "C2": -0.3, "C3": -0.2}
    )


def test_role_groups_from_the_role_answer():
    assert role_group("Head of the Anti-Trafficking Unit", organisation_has_frontline=True) == ROLE_MANAGEMENT
    assert role_group("Directrice adjointe", organisation_has_frontline=False) == ROLE_MANAGEMENT
    assert role_group("clerk", organisation_has_frontline=True) == ROLE_FRONTLINE
    assert role_group("Travailleuse sociale", organisation_has_frontline=False) == ROLE_FRONTLINE
    assert role_group("police officers", organisation_has_frontline=False) == ROLE_FRONTLINE
    assert role_group("clerk", organisation_has_frontline=False) == ROLE_OTHER
    assert role_group("", organisation_has_frontline=False) == ROLE_OTHER
    # whole words only: "headquarters" is not "head", "agents" is "agent"
    assert role_group("headquarters clerk", organisation_has_frontline=False) == ROLE_OTHER
    assert role_group("agents", organisation_has_frontline=False) == ROLE_FRONTLINE


def test_largest_remainder_adds_up_and_breaks_ties_towards_the_first():
    assert largest_remainder(30, [6, 2]) == [23, 7]
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [0, 0]) == [0, 0]
    assert largest_remainder(0, [3, 1]) == [0, 0]


def test_segments_share_the_frontline_and_the_other_staff_by_respondents(derived):
    segments = {segment.key: segment for segment in derived.segments}

    # Frontline (30 women, 20 men) over North (6 respondents) and South (2): 22.5/7.5 → 23/7; 15/5.
    north = segments[("A", ROLE_FRONTLINE, "North")]
    south = segments[("A", ROLE_FRONTLINE, "South")]
    assert (north.staff_female, north.staff_male, north.respondents) == (23, 15, 6)
    assert (south.staff_female, south.staff_male) == (7, 5)
    assert north.is_frontline and north.staff_source == STAFF_FRONTLINE
    # Management takes the rest (60 − 30, 40 − 20).
    managers = segments[("A", ROLE_MANAGEMENT, "North")]
    assert (managers.staff_female, managers.staff_male) == (30, 20)
    assert not managers.is_frontline and managers.staff_source == STAFF_NON_FRONTLINE


def test_a_total_without_sex_is_split_by_respondents_and_shared_by_all_segments(derived):
    segments = {segment.key: segment for segment in derived.segments}

    # B: 10 staff, 1 woman and 1 man among respondents → 5/5; frontline 1 respondent, other 2 → 5·1/3, 5·2/3.
    # The respondents gave no place: the organisation's location (East) is used.
    frontline = segments[("B", ROLE_FRONTLINE, "East")]
    other = segments[("B", ROLE_OTHER, "East")]
    assert (frontline.staff_female, frontline.staff_male) == (2, 2)
    assert (other.staff_female, other.staff_male) == (3, 3)
    assert frontline.staff_source == other.staff_source == STAFF_TOTAL


def test_without_staff_figures_a_segment_counts_its_respondents(derived):
    segments = {segment.key: segment for segment in derived.segments}

    # C: no figures. West: a woman and one not stated (shared half and half: 0 to women, 1 to men).
    west = segments[("C", ROLE_OTHER, "West")]
    assert (west.staff_female, west.staff_male) == (1, 1)
    assert west.staff_source == STAFF_RESPONDENTS
    # No place given and none in the registry: the place most respondents named (North).
    assert ("C", ROLE_OTHER, "North") in segments
    assert not any(segment.organisation == "D" for segment in derived.segments)
    assert derived.unmatched_respondents == 1


def test_staff_in_need_use_the_segment_share_from_five_respondents_else_the_overall_share(derived):
    rows = {(row.organisation, row.role_group, row.location, row.competency): row for row in derived.demands}

    # North frontline: 3 of 6 with a gap → 0.5 × (23, 15) = (11.5, 7.5) → (12, 8), rounded half up.
    north = rows[("A", ROLE_FRONTLINE, "North", "C1")]
    assert (north.staff_female, north.staff_male) == (12, 8)
    assert north.share == 0.5 and north.share_source == SHARE_SEGMENT and north.rated == 6
    # South: 2 respondents → the overall share: 6 gaps among the 17 respondents who rated C1 (everyone,
    # the unmatched respondent too): (7, 5) × 6/17 = (2.47, 1.76) → (2, 2).
    south = rows[("A", ROLE_FRONTLINE, "South", "C1")]
    assert (south.staff_female, south.staff_male) == (2, 2)
    assert south.share_source == SHARE_OVERALL
    assert south.share == pytest.approx(6 / 17)
    # Managers: (30, 20) × 6/17 = (10.59, 7.06) → (11, 7).
    managers = rows[("A", ROLE_MANAGEMENT, "North", "C1")]
    assert (managers.staff_female, managers.staff_male) == (11, 7)
    assert north.need_score == 2.5 and north.weight == 2.5


def test_no_row_without_anyone_in_need_and_a_negative_score_is_floored(derived):
    competencies = {row.competency for row in derived.demands}
    assert "C2" not in competencies  # nobody has a gap

    # C3: rated only by the unmatched respondent, who has a gap → overall share 1; MWDS −0.2 → weight 0.1.
    c3 = [row for row in derived.demands if row.competency == "C3"]
    assert c3
    assert all(row.share == 1.0 and row.weight == 0.1 and row.need_score == -0.2 for row in c3)
    north = next(
        row
        for row in c3
        if (row.organisation, row.role_group, row.location) == ("A", ROLE_FRONTLINE, "North")
    )
    assert (north.staff_female, north.staff_male) == (23, 15)


def test_the_same_input_gives_the_same_output_in_a_stable_order(derived):
    again = derive_demand(
        list(reversed(respondents())), ORGANISATIONS, ["C1", "C2", "C3"], {"C1": 2.5, "C2": -0.3, "C3": -0.2}
    )
    assert again.segments == derived.segments
    keys = [(s.organisation, s.role_group, s.location) for s in derived.segments]
    assert keys[0][0] == "A" and keys[-1][0] == "C"


def test_no_location_anywhere_gives_the_placeholder():
    found = derive_demand(
        [person("p", "C", "clerk", "", gaps=("C1",))], {"C": OrganisationStaff("C")}, ["C1"], {"C1": 1.0}
    )
    assert found.segments[0].location == NO_LOCATION


def test_respondents_from_needs_data_find_rated_items_and_gaps():
    data = NeedsData(
        items=(Item("C1", Text("one"), "protection"), Item("C2", Text("two"), "protection")),
        respondents=("r1", "r2"),
        importance=np.array([[5.0, 3.0], [4.0, np.nan]]),
        competence=np.array([[2.0, 3.0], [4.0, 1.0]]),
        scale_max=5,
        attributes={"role": ("officer", "chief"), "location": (" North ", ""), "sex": ("female", "male")},
    )

    first, second = respondents_from_needs_data(data, {"r1": "A"})

    assert first == Respondent(
        "r1", "A", "officer", "North", "female", frozenset({"C1", "C2"}), frozenset({"C1"})
    )
    assert second.organisation == "" and second.rated == frozenset({"C1"}) and second.gaps == frozenset()
