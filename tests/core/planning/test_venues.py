"""Training locations: the suggested map, its checks, and segments merged at their training location
(figures computed by hand from the inputs of test_demand.py)."""

from __future__ import annotations

import pytest

from ctip.core.planning.demand import (
    ROLE_FRONTLINE,
    ROLE_MANAGEMENT,
    SHARE_OVERALL,
    SHARE_SEGMENT,
    STAFF_FRONTLINE,
    DerivedDemand,
    DerivedSegment,
    derive_demand,
    segments_at_venues,
)
from ctip.core.planning.venues import venue_problems, venues_suggest
from tests.core.planning.test_demand import ORGANISATIONS, respondents

REMOTE = ("rodrigues", "agalega", "st brandon")
SCORES = {"C1": 2.5, "C2": -0.3, "C3": -0.2}


def test_outer_islands_keep_their_name_and_the_rest_goes_to_the_country():
    places = ["Port Louis", "Rose Hill", "Port Mathurin, Rodrigues", "AGALÉGA", "  Ebène ", "", "Rose Hill"]

    assert venues_suggest(places, country="Mauritius", remote_names=REMOTE) == {
        "Port Louis": "Mauritius",
        "Rose Hill": "Mauritius",
        "Port Mathurin, Rodrigues": "Port Mathurin, Rodrigues",
        "AGALÉGA": "AGALÉGA",
        "Ebène": "Mauritius",
    }
    # Without a country every place is its own training location.
    assert venues_suggest(["Kigali", "Musanze"], remote_names=REMOTE) == {
        "Kigali": "Kigali",
        "Musanze": "Musanze",
    }


def test_a_blank_or_too_long_venue_is_a_problem_located_at_its_place():
    problems = venue_problems(
        {"Pailles": "  ", "Rodrigues": "Rodrigues", "Ebène": "x" * 101, "": "Mauritius"}
    )

    assert [problem.location for problem in problems] == ["Pailles", "Ebène", "place"]
    assert "“Pailles”" in problems[0].message and "empty" in problems[0].message
    assert "100" in problems[1].message
    assert venue_problems({"Pailles": "Mauritius"}) == []


def _frontline(derivation, organisation="A"):
    return {
        segment.location: segment
        for segment in derivation.segments
        if segment.organisation == organisation and segment.role_group == ROLE_FRONTLINE
    }


def _rows(derivation, organisation="A", group=ROLE_FRONTLINE):
    return {
        (row.location, row.competency): row
        for row in derivation.demands
        if row.organisation == organisation and row.role_group == group
    }


def test_segments_of_one_organisation_and_role_group_merge_at_their_training_location():
    by_place = derive_demand(respondents(), ORGANISATIONS, ["C1", "C2", "C3"], SCORES)
    at_venues = derive_demand(
        respondents(),
        ORGANISATIONS,
        ["C1", "C2", "C3"],
        SCORES,
        venues={"North": "Island", "South": "Island"},
    )

    # By place: A's frontline pool (30 women, 20 men) shared 6:2 between North and South.
    places = _frontline(by_place)
    assert {place: (s.staff_female, s.staff_male) for place, s in places.items()} == {
        "North": (23, 15),
        "South": (7, 5),
    }
    # C1: North 3 gaps of 6 → ½ → (12, 8); South 2 answers < 5 → overall 6 of 17 → (2.47, 1.76) → (2, 2).
    rows = _rows(by_place)
    assert (rows[("North", "C1")].staff_female, rows[("North", "C1")].staff_male) == (12, 8)
    assert (rows[("South", "C1")].staff_female, rows[("South", "C1")].staff_male) == (2, 2)

    # At the venue: one segment with the staff and respondents summed.
    merged = _frontline(at_venues)
    assert list(merged) == ["Island"]
    island = merged["Island"]
    assert (island.staff_female, island.staff_male, island.respondents) == (30, 20, 8)
    assert island.is_frontline and island.staff_source == STAFF_FRONTLINE
    rows = _rows(at_venues)
    c1 = rows[("Island", "C1")]
    assert (c1.staff_female, c1.staff_male, c1.rated) == (14, 10, 8)
    assert c1.share == pytest.approx(24 / 50)
    assert c1.share_source == SHARE_OVERALL  # South used the overall share
    assert c1.need_score == pytest.approx(2.5) and c1.weight == pytest.approx(2.5)
    # C3: only the unmatched respondent rated it, with a gap: everyone in need, weight floored at 0.1.
    c3 = rows[("Island", "C3")]
    assert (c3.staff_female, c3.staff_male) == (30, 20)
    assert c3.weight == pytest.approx(0.1) and c3.need_score == pytest.approx(-0.2)
    assert ("Island", "C2") not in rows  # nobody in need
    # A's managers (North only) move to the venue unchanged.
    managers = _rows(at_venues, group=ROLE_MANAGEMENT)
    before = _rows(by_place, group=ROLE_MANAGEMENT)
    assert (
        (managers[("Island", "C1")].staff_female, managers[("Island", "C1")].staff_male)
        == (
            before[("North", "C1")].staff_female,
            before[("North", "C1")].staff_male,
        )
        == (11, 7)
    )
    # A place the map does not name stays where it is; the totals do not change.
    assert {s.location for s in at_venues.segments if s.organisation == "D"} == {
        s.location for s in by_place.segments if s.organisation == "D"
    }
    assert sum(s.staff_female + s.staff_male for s in at_venues.segments) == sum(
        s.staff_female + s.staff_male for s in by_place.segments
    )
    assert at_venues.unmatched_respondents == by_place.unmatched_respondents == 1


def test_merged_rows_take_the_means_of_their_parts_weighted_by_staff_in_need():
    def segment(location, female, male):
        return DerivedSegment("A", ROLE_FRONTLINE, location, True, female, male, 5, STAFF_FRONTLINE)

    def row(location, female, male, score, weight, source=SHARE_SEGMENT):
        return DerivedDemand("A", ROLE_FRONTLINE, location, "C1", female, male, score, weight, 0.5, source, 5)

    segments = [segment("Pailles", 20, 20), segment("Port Louis", 40, 20), segment("Rodrigues", 8, 2)]
    demands = [
        row("Pailles", 6, 4, 2.0, 2.0),
        row("Port Louis", 20, 10, 4.0, 4.0),
        row("Rodrigues", 4, 1, None, 0.1),
    ]

    merged_segments, merged_rows = segments_at_venues(
        segments, demands, {"Pailles": "Mauritius", "Port Louis": "Mauritius"}, ["C1"]
    )

    assert [(s.location, s.staff_female, s.staff_male, s.respondents) for s in merged_segments] == [
        ("Mauritius", 60, 40, 10),
        ("Rodrigues", 8, 2, 5),
    ]
    mauritius, rodrigues = merged_rows
    # (2.0 × 10 + 4.0 × 30) / 40 = 3.5; share 40 in need of 100 staff.
    assert (mauritius.staff_female, mauritius.staff_male) == (26, 14)
    assert mauritius.need_score == pytest.approx(3.5) and mauritius.weight == pytest.approx(3.5)
    assert mauritius.share == pytest.approx(0.4) and mauritius.share_source == SHARE_SEGMENT
    assert mauritius.rated == 10
    assert rodrigues == demands[2]  # alone at its own name: untouched
