"""The capacity plan's snapshot for review (ctip.web.planning.review_elements): the adopted scenario and its
sessions, the M&E framework's results and indicators, the diff of a real change to each of them made
through the planning and monitoring services, ids that survive edits, JSON fields and a fixed number of
queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from ctip.core.planning.model import Parameters
from ctip.core.review.diff import Change, ChangeKind, diff, element_to_json
from ctip.web.monitoring import services as monitoring
from ctip.web.planning.review_elements import DELIVERABLE, capacity_plan_elements
from ctip.web.planning.services import scenarios
from tests.web.monitoring.factories import framework_make, indicator_make, node_make
from tests.web.planning.plan_setup import MAURITIUS, RODRIGUES, plan_inputs_make

pytestmark = pytest.mark.django_db

BUDGET = Parameters(budget_per_year=(20_000.0, 20_000.0, 20_000.0))


@pytest.fixture
def inputs(workspace):
    return plan_inputs_make(workspace)


@pytest.fixture
def scenario(workspace, inputs):
    """The adopted scenario "Baseline" with two sessions added by hand: F1 at Mauritius in Q1 (10 seats)
    and S1 at Rodrigues in Q5 (4 seats)."""
    scenario = scenarios.scenario_create(
        workspace=workspace, name="Baseline", parameters=BUDGET, acting_user=None
    )
    scenarios.session_save(
        scenario,
        module=inputs["foundational"],
        location=MAURITIUS,
        quarter=1,
        trainer="national",
        seats=[{"segment": "S01", "female": 6, "male": 4}],
        acting_user=None,
    )
    scenarios.session_save(
        scenario,
        module=inputs["specialised"],
        location=RODRIGUES,
        quarter=5,
        trainer="international",
        seats=[{"segment": "S02", "female": 2, "male": 2}],
        acting_user=None,
    )
    return scenario


@pytest.fixture
def framework(workspace):
    return framework_make(workspace)


def snapshot(workspace):
    return capacity_plan_elements(workspace, "")


def by_id(elements):
    return {element.id: element for element in elements}


def session_of(scenario, module_code):
    return scenario.sessions.get(module__code=module_code)


# --- Subjects and content ---------------------------------------------------------------------------------


def test_there_is_a_plan_to_review_once_a_scenario_is_adopted_or_a_framework_started(workspace, inputs):
    assert DELIVERABLE.subjects(workspace) == []

    node_make(workspace, "G")
    assert DELIVERABLE.subjects(workspace) == [("", "Capacity development plan")]


def test_an_adopted_scenario_alone_is_a_plan_to_review(workspace, scenario):
    assert DELIVERABLE.subjects(workspace) == [("", "Capacity development plan")]
    assert [element.kind for element in snapshot(workspace)] == ["scenario", "session", "session"]


def test_the_snapshot_holds_the_scenario_its_sessions_and_the_framework(workspace, scenario, framework):
    elements = snapshot(workspace)
    found = by_id(elements)
    first, second = session_of(scenario, "F1"), session_of(scenario, "S1")
    outcome, output, percent = framework["outcome"], framework["output"], framework["percent"]

    assert [(element.kind, element.parent) for element in elements] == [
        ("scenario", None),
        ("session", "scenario"),
        ("session", "scenario"),
        ("result", None),
        ("result", str(framework["goal"].uuid)),
        ("indicator", str(outcome.uuid)),
        ("result", str(outcome.uuid)),
        ("indicator", str(output.uuid)),
    ]
    assert found["scenario"].label == "Adopted scenario: Baseline"
    assert found["scenario"].fields == {
        "name": "Baseline",
        "description": "",
        "quarters": 12,
        "budget_per_year": [20000.0, 20000.0, 20000.0],
        "trainer_days_per_quarter": 60.0,
        "sessions_per_location_per_quarter": 4,
        "frontline_year1_seats": 1,
        "location_need_floor": 0.05,
        "location_need_floor_by_location": {},
        "women_seat_factor": 1.0,
        "national_share_year2": 0.3,
        "national_share_year3": 0.5,
        "cascade_sessions_per_tot_session": 3,
    }
    session = found[str(first.uuid)]
    assert session.label == "Q1 Mauritius: F1 Trafficking in persons: the basics"
    assert session.position == 0 and found[str(second.uuid)].position == 1
    assert session.fields == {
        "module": "F1",
        "location": "Mauritius",
        "quarter": 1,
        "year": 2025,
        "trainer": "national",
        "seats": [{"segment": "S01", "female": 6, "male": 4}],
        "participants_female": 6,
        "participants_male": 4,
        # 800 a session and 20 a participant at Mauritius
        "cost": "1000.00",
    }
    assert found[str(second.uuid)].fields["year"] == 2026
    assert found[str(second.uuid)].fields["cost"] == "1740.00"

    result = found[str(outcome.uuid)]
    assert result.label == "1 Frontline officers identify victims"
    assert result.fields == {
        "code": "1",
        "tier": 2,
        "statement_en": "Frontline officers identify victims",
        "statement_fr": "",
        "pillar": "protection",
    }
    indicator = found[str(percent.uuid)]
    assert indicator.label.startswith("OC1 Percentage of frontline officers")
    assert indicator.fields == {
        "code": "OC1",
        "name_en": "Percentage of frontline officers rating their competence in screening at 4 or 5",
        "name_fr": "",
        "definition_en": "",
        "definition_fr": "",
        "unit": "percent",
        "direction": "increase",
        "baseline": None,
        "baseline_date": None,
        "baseline_not_applicable": False,
        "baseline_note": "",
        "life_of_plan_target": None,
        "targets": [],
        "cumulative_rule": "non_cumulative",
        "disaggregation": ["sex"],
        "means_of_verification": "Training records",
        "collection_method": "",
        "frequency": "yearly",
        "responsible_agency": "Police Training School",
        "data_source": "TNA survey",
    }
    assert found[str(framework["trained"].uuid)].fields["baseline_date"] == "2024-12-31"
    assert found[str(framework["trained"].uuid)].fields["baseline"] == "0"


def test_fields_are_json_and_every_kind_and_field_has_a_label(workspace, scenario, framework):
    elements = snapshot(workspace)

    json.dumps([element_to_json(element) for element in elements])
    assert {element.kind for element in elements} == set(DELIVERABLE.kind_labels)
    assert {name for element in elements for name in element.fields} <= set(DELIVERABLE.field_labels)


# --- The diff of every kind of element ---------------------------------------------------------------------


def test_a_change_to_the_adopted_scenario(workspace, scenario):
    before = snapshot(workspace)

    scenarios.scenario_update(
        scenario,
        name="Baseline",
        description="Budget cut by the ministry.",
        parameters=dataclasses.replace(BUDGET, budget_per_year=(15_000.0, 20_000.0, 20_000.0)),
        acting_user=None,
    )

    label = "Adopted scenario: Baseline"
    assert diff(before, snapshot(workspace)) == [
        Change(
            ChangeKind.CHANGED,
            "scenario",
            "scenario",
            label,
            "budget_per_year",
            [20000.0, 20000.0, 20000.0],
            [15000.0, 20000.0, 20000.0],
        ),
        Change(
            ChangeKind.CHANGED,
            "scenario",
            "scenario",
            label,
            "description",
            "",
            "Budget cut by the ministry.",
        ),
    ]


def test_adopting_another_scenario_replaces_the_scenario_and_its_sessions(workspace, scenario):
    before = snapshot(workspace)
    sessions = [str(session.uuid) for session in scenarios.scenario_sessions(scenario)]
    other = scenarios.scenario_create(workspace=workspace, name="Lean", parameters=BUDGET, acting_user=None)

    scenarios.scenario_adopt(other, acting_user=None)

    labels = {element.id: element.label for element in before}
    assert diff(before, snapshot(workspace)) == [
        Change(
            ChangeKind.CHANGED, "scenario", "scenario", "Adopted scenario: Lean", "name", "Baseline", "Lean"
        ),
        *(Change(ChangeKind.REMOVED, key, "session", labels[key]) for key in sessions),
    ]


def test_a_session_added_changed_moved_and_removed(workspace, scenario, inputs):
    start = snapshot(workspace)
    first = session_of(scenario, "F1")

    # Added
    added_session = scenarios.session_save(
        scenario,
        module=inputs["foundational"],
        location=RODRIGUES,
        quarter=9,
        trainer="national",
        seats=[{"segment": "S02", "female": 3, "male": 3}],
        acting_user=None,
    )
    added = snapshot(workspace)
    label = "Q9 Rodrigues: F1 Trafficking in persons: the basics"
    assert diff(start, added) == [Change(ChangeKind.ADDED, str(added_session.uuid), "session", label)]

    # Changed: more seats
    scenarios.session_save(
        scenario,
        module=inputs["foundational"],
        location=RODRIGUES,
        quarter=9,
        trainer="national",
        seats=[{"segment": "S02", "female": 4, "male": 3}],
        acting_user=None,
        session=added_session,
    )
    changed = snapshot(workspace)
    key = str(added_session.uuid)
    assert diff(added, changed) == [
        Change(ChangeKind.CHANGED, key, "session", label, "cost", "1860.00", "1920.00"),
        Change(ChangeKind.CHANGED, key, "session", label, "participants_female", 3, 4),
        Change(
            ChangeKind.CHANGED,
            key,
            "session",
            label,
            "seats",
            [{"segment": "S02", "female": 3, "male": 3}],
            [{"segment": "S02", "female": 4, "male": 3}],
        ),
    ]

    # Moved: the first session goes from Q1 to Q6, after the Rodrigues session of Q5
    scenarios.session_save(
        scenario,
        module=inputs["foundational"],
        location=MAURITIUS,
        quarter=6,
        trainer="national",
        seats=[{"segment": "S01", "female": 6, "male": 4}],
        acting_user=None,
        session=first,
    )
    moved = snapshot(workspace)
    moved_label = "Q6 Mauritius: F1 Trafficking in persons: the basics"
    assert diff(changed, moved) == [
        Change(ChangeKind.MOVED, str(first.uuid), "session", moved_label, "position", 0, 1),
        Change(ChangeKind.CHANGED, str(first.uuid), "session", moved_label, "quarter", 1, 6),
        Change(ChangeKind.CHANGED, str(first.uuid), "session", moved_label, "year", 2025, 2026),
    ]

    # Removed
    scenarios.session_delete(added_session, acting_user=None)
    assert diff(moved, snapshot(workspace)) == [Change(ChangeKind.REMOVED, key, "session", label)]


def test_a_result_added_changed_and_removed(workspace, framework):
    start = snapshot(workspace)
    outcome = framework["outcome"]

    output = node_make(
        workspace, "1.2", outcome, statement_en="Labour inspectors are trained", pillar="prevention"
    )
    added = snapshot(workspace)
    assert diff(start, added) == [
        Change(ChangeKind.ADDED, str(output.uuid), "result", "1.2 Labour inspectors are trained")
    ]

    output = monitoring.result_node_update(
        node=output,
        code="1.2",
        statement_en="Labour inspectors are trained",
        statement_fr="Les inspecteurs du travail sont formés",
        pillar="prevention",
        acting_user=None,
    )
    changed = snapshot(workspace)
    label = "1.2 Labour inspectors are trained"
    assert diff(added, changed) == [
        Change(
            ChangeKind.CHANGED,
            str(output.uuid),
            "result",
            label,
            "statement_fr",
            "",
            "Les inspecteurs du travail sont formés",
        )
    ]

    monitoring.result_node_delete(node=output, acting_user=None)
    assert diff(changed, snapshot(workspace)) == [
        Change(ChangeKind.REMOVED, str(output.uuid), "result", label)
    ]


def test_an_indicator_added_changed_moved_and_removed(workspace, framework):
    start = snapshot(workspace)
    outcome, output = framework["outcome"], framework["output"]

    # Added
    indicator = indicator_make(workspace, output, "OUT2", name_en="Number of labour inspectors trained")
    added = snapshot(workspace)
    key, label = str(indicator.uuid), "OUT2 Number of labour inspectors trained"
    assert diff(start, added) == [Change(ChangeKind.ADDED, key, "indicator", label)]

    # Changed: its metadata and a target
    indicator = monitoring.indicator_update(
        indicator=indicator,
        means_of_verification="Attendance sheets signed by the trainers",
        baseline_date=dt.date(2025, 1, 31),
        acting_user=None,
    )
    monitoring.indicator_value_set(
        indicator=indicator,
        item=monitoring.ValueInput(kind="target", period="2026", sex="female", location="", value=40),
        acting_user=None,
    )
    changed = snapshot(workspace)
    assert diff(added, changed) == [
        Change(ChangeKind.CHANGED, key, "indicator", label, "baseline_date", "2024-12-31", "2025-01-31"),
        Change(
            ChangeKind.CHANGED,
            key,
            "indicator",
            label,
            "means_of_verification",
            "Training records",
            "Attendance sheets signed by the trainers",
        ),
        Change(ChangeKind.CHANGED, key, "indicator", label, "targets", [], ["2026 female: 40"]),
    ]

    # Moved to another result
    indicator = monitoring.indicator_update(indicator=indicator, node=outcome, acting_user=None)
    moved = snapshot(workspace)
    assert diff(changed, moved) == [
        Change(ChangeKind.MOVED, key, "indicator", label, "", str(output.uuid), str(outcome.uuid))
    ]

    # Removed
    monitoring.indicator_delete(indicator=indicator, acting_user=None)
    assert diff(moved, snapshot(workspace)) == [Change(ChangeKind.REMOVED, key, "indicator", label)]


# --- Stability and cost ------------------------------------------------------------------------------------


def test_ids_stay_the_same_after_an_unrelated_edit(workspace, scenario, framework):
    before = snapshot(workspace)
    goal = framework["goal"]

    monitoring.result_node_update(
        node=goal, code="G", statement_en="Victims are identified, protected and assisted", acting_user=None
    )
    after = snapshot(workspace)

    assert [element.id for element in after] == [element.id for element in before]
    assert [old.id for old, new in zip(before, after, strict=True) if old != new] == [str(goal.uuid)]


@pytest.mark.parametrize("extra", [0, 6])
def test_the_snapshot_takes_a_fixed_number_of_queries(
    workspace, scenario, framework, inputs, extra, django_assert_num_queries
):
    for number in range(extra):
        scenarios.session_save(
            scenario,
            module=inputs["foundational"],
            location=MAURITIUS,
            quarter=2 + number,
            trainer="national",
            seats=[{"segment": "S01", "female": 2, "male": 3}],
            acting_user=None,
        )
        node = node_make(workspace, f"1.{number + 2}", framework["outcome"])
        indicator = indicator_make(workspace, node, f"X{number}")
        monitoring.indicator_value_set(
            indicator=indicator,
            item=monitoring.ValueInput(kind="target", period="2026", sex="", location="", value=5),
            acting_user=None,
        )

    # adopted scenario, its sessions with their module, results, indicators, their targets
    with django_assert_num_queries(5):
        elements = snapshot(workspace)

    assert len(elements) == 8 + 3 * extra
