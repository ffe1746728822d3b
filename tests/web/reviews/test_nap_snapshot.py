"""The NAP's snapshot for review (ctip.web.nap.review_elements): what each element holds, the diff of a
real change to every kind of element made through the NAP services, ids that survive edits, JSON fields,
and a fixed number of queries whatever the size of the plan."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.review.diff import Change, ChangeKind, diff, element_to_json
from ctip.web.nap import services
from ctip.web.nap.models import NapElement
from ctip.web.nap.review_elements import DELIVERABLE, nap_elements
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make
from tests.web.stakeholders.factories import organisation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(workspace):
    return {
        key: organisation_make(workspace, key, name=name, acronym=key)
        for key, name in (
            ("MOL", "Ministry of Labour"),
            ("POL", "Police Force"),
            ("NGO", "Haguruka"),
        )
    }


@pytest.fixture
def plan(workspace, agencies):
    """P1 → SO1.1 → SP1.1.1 → OC1.1.1.1 → OP1.1.1.1.1 with one indicator and activity A…1 (led by the
    Ministry of Labour with the police, one cost line), and a technical committee."""
    plan = plan_make(workspace)
    activity = element_make(
        plan,
        "activity",
        title="Train labour inspectors",
        lead=agencies["MOL"].uuid,
        supporting=[agencies["POL"]],
        target_groups=["Labour inspectors"],
    )
    cost_line_make(activity, description="Venue hire")
    indicator_make(activity.parent, code="IND1")
    services.body_create(
        plan=plan,
        values={
            "name": "Technical committee",
            "kind": "technical",
            "chair": str(agencies["MOL"].uuid),
            "members": [agencies["POL"], agencies["NGO"]],
            "meeting_frequency": "Quarterly",
            "mandate": "Follows implementation.",
        },
        acting_user=None,
    )
    return plan


def snapshot(plan):
    return nap_elements(plan.workspace, str(plan.uuid))


def by_id(elements):
    return {element.id: element for element in elements}


def activity_of(plan):
    return NapElement.objects.get(plan=plan, level="activity")


# --- What the snapshot holds ------------------------------------------------------------------------------


def test_the_snapshot_holds_the_plan_its_tree_cost_lines_indicators_and_bodies(plan, agencies):
    elements = snapshot(plan)
    found = by_id(elements)
    activity = activity_of(plan)
    output = activity.parent
    line = activity.cost_lines.get()
    indicator = output.indicators.get()
    body = plan.bodies.get()

    assert [element.kind for element in elements] == [
        "plan",
        "pillar",
        "objective",
        "priority",
        "outcome",
        "output",
        "indicator",
        "activity",
        "cost_line",
        "pillar",
        "pillar",
        "pillar",
        "coordination_body",
    ]
    assert found["plan"].fields == {
        "title": "National Action Plan against Trafficking in Persons",
        "period": "2025–2029",
        "vision": "A country free from trafficking in persons.",
        "goal": "Prevent trafficking, protect victims, prosecute traffickers.",
        "principles": ["Victim-centred", "Human-rights-based"],
        "currency": "USD",
    }
    pillar = found[str(NapElement.objects.get(plan=plan, code="P1").uuid)]
    assert pillar.parent is None and pillar.position == 0
    assert set(pillar.fields) == {"code", "title", "citations"}

    element = found[str(activity.uuid)]
    assert element.parent == str(output.uuid)
    assert element.label == f"{activity.code} Train labour inspectors"
    assert element.fields == {
        "code": activity.code,
        "title": "Train labour inspectors",
        "citations": [],
        "lead_agency": "Ministry of Labour",
        "supporting_agencies": ["Police Force"],
        "timeline": ["2025 Q1"],
        "location": "",
        "target_groups": ["Labour inspectors"],
        "gender_marker": 0,
        "child_sensitive": False,
        "assumptions": "",
        "risks": "",
        "depends_on": [],
    }

    cost = found[str(line.uuid)]
    assert (cost.kind, cost.parent, cost.label) == (
        "cost_line",
        str(activity.uuid),
        "Cost line C1: Venue hire",
    )
    assert cost.fields == {
        "code": "C1",
        "description": "Venue hire",
        "unit": "participant-day",
        "unit_cost": "50.00",
        "quantity": "10",
        "frequency": "1",
        "amount": "500.00",
        "currency": "USD",
        "year": 2025,
        "funding_source": "government",
        "funder": "",
        "gender_marker": 0,
        "marker_justification": "",
        "beneficiaries_women": None,
        "beneficiaries_men": None,
        "beneficiaries_girls": None,
        "beneficiaries_boys": None,
        "targets_women_or_girls": False,
    }

    measured = found[str(indicator.uuid)]
    assert (measured.kind, measured.parent) == ("indicator", str(output.uuid))
    assert measured.label == "IND1 Number of victims identified and referred"
    assert measured.fields == {
        "code": "IND1",
        "name": "Number of victims identified and referred",
        "definition": "",
        "unit": "number",
        "baseline": "12",
        "baseline_year": 2024,
        "targets": ["2029: 60"],
        "source": "National referral mechanism records",
        "responsible_agency": "Ministry of Social Security",
        "frequency": "annual",
    }

    committee = found[str(body.uuid)]
    assert (committee.kind, committee.parent, committee.label) == (
        "coordination_body",
        None,
        "Technical committee",
    )
    assert committee.fields == {
        "name": "Technical committee",
        "body_kind": "technical",
        "chair": "Ministry of Labour",
        "members": ["Haguruka", "Police Force"],
        "meeting_frequency": "Quarterly",
        "reports_to": "",
        "pillar": "",
        "mandate": "Follows implementation.",
    }


def test_fields_are_json_and_every_kind_and_field_has_a_label(plan):
    elements = snapshot(plan)

    text = json.dumps([element_to_json(element) for element in elements])
    assert "Venue hire" in text
    assert {element.kind for element in elements} <= set(DELIVERABLE.kind_labels)
    assert {name for element in elements for name in element.fields} <= set(DELIVERABLE.field_labels)


def test_the_subjects_are_the_workspace_plans_and_an_unknown_plan_is_refused(plan, workspace):
    other = plan_make(workspace, title="Earlier draft", period_start=2020, period_end=2024)

    assert DELIVERABLE.subjects(workspace) == [
        (str(plan.uuid), plan.title),
        (str(other.uuid), "Earlier draft"),
    ]
    for subject in ("", "not-a-uuid", "6f1c8f7e-3a4b-4c2d-9e8f-0a1b2c3d4e5f"):
        with pytest.raises(DomainError) as caught:
            DELIVERABLE.elements(workspace, subject)
        assert caught.value.code == ErrorCode.NOT_FOUND


# --- The diff of every kind of element ---------------------------------------------------------------------


def test_a_change_to_the_plan(plan):
    before = snapshot(plan)

    services.plan_update(
        plan=plan, values={"vision": "No one is trafficked.", "period_end": 2030}, acting_user=None
    )

    title = "National Action Plan against Trafficking in Persons"
    assert diff(before, snapshot(plan)) == [
        Change(ChangeKind.CHANGED, "plan", "plan", title, "period", "2025–2029", "2025–2030"),
        Change(
            ChangeKind.CHANGED,
            "plan",
            "plan",
            title,
            "vision",
            "A country free from trafficking in persons.",
            "No one is trafficked.",
        ),
    ]


LEVELS_BELOW = {
    "pillar": None,
    "objective": "pillar",
    "priority": "objective",
    "outcome": "priority",
    "output": "outcome",
    "activity": "output",
}


@pytest.mark.parametrize("level", list(LEVELS_BELOW))
def test_an_element_of_each_level_added_changed_and_removed(plan, level):
    parent_level = LEVELS_BELOW[level]
    parent = NapElement.objects.filter(plan=plan, level=parent_level).first() if parent_level else None
    start = snapshot(plan)

    # When an element is added
    element = element_make(plan, level, parent=parent, title="Added element")
    added = snapshot(plan)
    # Then
    assert diff(start, added) == [
        Change(ChangeKind.ADDED, str(element.uuid), level, f"{element.code} Added element")
    ]

    # When its title changes
    services.element_update(element=element, values={"title": "Renamed element"}, acting_user=None)
    renamed = snapshot(plan)
    # Then
    assert diff(added, renamed) == [
        Change(
            ChangeKind.CHANGED,
            str(element.uuid),
            level,
            f"{element.code} Renamed element",
            "title",
            "Added element",
            "Renamed element",
        )
    ]

    # When it is deleted
    services.element_delete(element=element, acting_user=None)
    # Then
    assert diff(renamed, snapshot(plan)) == [
        Change(ChangeKind.REMOVED, str(element.uuid), level, f"{element.code} Renamed element")
    ]


def test_an_element_moved_up_among_its_siblings_is_reported_as_one_move(plan):
    first = activity_of(plan)
    second = element_make(plan, "activity", parent=first.parent, title="Inspect recruitment agencies")
    before = snapshot(plan)

    services.element_move(element=second, offset=-1, acting_user=None)

    # The two swap places; the one that is now second is the one reported as moved
    assert diff(before, snapshot(plan)) == [
        Change(
            ChangeKind.MOVED,
            str(first.uuid),
            "activity",
            f"{first.code} Train labour inspectors",
            "position",
            0,
            1,
        )
    ]


def test_every_activity_field_changed(plan, agencies):
    activity = activity_of(plan)
    other = element_make(plan, "activity", parent=activity.parent, title="Inspect recruitment agencies")
    before = snapshot(plan)

    services.element_update(
        element=activity,
        values={
            "lead": agencies["POL"].uuid,
            "supporting": [agencies["MOL"], "Haguruka"],
            "timeline": ["2025-Q2", "2026-Q1"],
            "location": "Port Louis",
            "target_groups": ["Labour inspectors", "Police officers"],
            "gender_marker": 1,
            "child_sensitive": True,
            "assumptions": "Inspectors are released for training.",
            "risks": "Turnover.",
            "depends_on": [other.code],
            "citations": ["legal:L07"],
        },
        acting_user=None,
    )

    key, label = str(activity.uuid), f"{activity.code} Train labour inspectors"
    assert diff(before, snapshot(plan)) == [
        Change(
            ChangeKind.CHANGED,
            key,
            "activity",
            label,
            "assumptions",
            "",
            "Inspectors are released for training.",
        ),
        Change(ChangeKind.CHANGED, key, "activity", label, "child_sensitive", False, True),
        Change(ChangeKind.CHANGED, key, "activity", label, "citations", [], ["legal:L07"]),
        Change(ChangeKind.CHANGED, key, "activity", label, "depends_on", [], [other.code]),
        Change(ChangeKind.CHANGED, key, "activity", label, "gender_marker", 0, 1),
        Change(
            ChangeKind.CHANGED, key, "activity", label, "lead_agency", "Ministry of Labour", "Police Force"
        ),
        Change(ChangeKind.CHANGED, key, "activity", label, "location", "", "Port Louis"),
        Change(ChangeKind.CHANGED, key, "activity", label, "risks", "", "Turnover."),
        Change(
            ChangeKind.CHANGED,
            key,
            "activity",
            label,
            "supporting_agencies",
            ["Police Force"],
            ["Ministry of Labour", "Haguruka"],
        ),
        Change(
            ChangeKind.CHANGED,
            key,
            "activity",
            label,
            "target_groups",
            ["Labour inspectors"],
            ["Labour inspectors", "Police officers"],
        ),
        Change(ChangeKind.CHANGED, key, "activity", label, "timeline", ["2025 Q1"], ["2025 Q2", "2026 Q1"]),
    ]


def test_a_cost_line_added_changed_and_removed(plan):
    activity = activity_of(plan)
    start = snapshot(plan)

    line = cost_line_make(activity, description="Trainers' fees", unit_cost=Decimal("120.00"), quantity=2)
    added = snapshot(plan)
    assert diff(start, added) == [
        Change(ChangeKind.ADDED, str(line.uuid), "cost_line", "Cost line C2: Trainers' fees")
    ]

    services.cost_line_update(
        line=line, values={"quantity": Decimal("3"), "funding_source": "donor"}, acting_user=None
    )
    changed = snapshot(plan)
    label = "Cost line C2: Trainers' fees"
    assert diff(added, changed) == [
        Change(ChangeKind.CHANGED, str(line.uuid), "cost_line", label, "amount", "240.00", "360.00"),
        Change(
            ChangeKind.CHANGED, str(line.uuid), "cost_line", label, "funding_source", "government", "donor"
        ),
        Change(ChangeKind.CHANGED, str(line.uuid), "cost_line", label, "quantity", "2", "3"),
    ]

    services.cost_line_delete(line=line, acting_user=None)
    assert diff(changed, snapshot(plan)) == [Change(ChangeKind.REMOVED, str(line.uuid), "cost_line", label)]


def test_an_indicator_added_changed_and_removed(plan):
    outcome = NapElement.objects.get(plan=plan, level="outcome")
    start = snapshot(plan)

    indicator = indicator_make(outcome, code="OC-IND", name="Convictions for trafficking", baseline="3")
    added = snapshot(plan)
    label = "OC-IND Convictions for trafficking"
    assert diff(start, added) == [Change(ChangeKind.ADDED, str(indicator.uuid), "indicator", label)]

    services.indicator_update(
        indicator=indicator,
        values={
            "baseline": "4",
            "targets": [
                {"year": 2029, "value": "20", "sex": ""},
                {"year": 2029, "value": "8", "sex": "female"},
            ],
        },
        acting_user=None,
    )
    changed = snapshot(plan)
    assert diff(added, changed) == [
        Change(ChangeKind.CHANGED, str(indicator.uuid), "indicator", label, "baseline", "3", "4"),
        Change(
            ChangeKind.CHANGED,
            str(indicator.uuid),
            "indicator",
            label,
            "targets",
            ["2029: 60"],
            ["2029: 20", "2029 female: 8"],
        ),
    ]

    services.indicator_delete(indicator=indicator, acting_user=None)
    assert diff(changed, snapshot(plan)) == [
        Change(ChangeKind.REMOVED, str(indicator.uuid), "indicator", label)
    ]


def test_a_coordination_body_added_changed_and_removed(plan, agencies):
    committee = plan.bodies.get()
    start = snapshot(plan)

    group = services.body_create(
        plan=plan,
        values={
            "name": "Prevention working group",
            "kind": "working_group",
            "reports_to": str(committee.uuid),
        },
        acting_user=None,
    )
    added = snapshot(plan)
    assert diff(start, added) == [
        Change(ChangeKind.ADDED, str(group.uuid), "coordination_body", "Prevention working group")
    ]

    pillar = NapElement.objects.get(plan=plan, code="P1")
    services.body_update(
        body=group,
        values={"chair": agencies["NGO"], "members": [agencies["POL"]], "pillar": str(pillar.uuid)},
        acting_user=None,
    )
    changed = snapshot(plan)
    label = "Prevention working group"
    assert diff(added, changed) == [
        Change(ChangeKind.CHANGED, str(group.uuid), "coordination_body", label, "chair", "", "Haguruka"),
        Change(
            ChangeKind.CHANGED, str(group.uuid), "coordination_body", label, "members", [], ["Police Force"]
        ),
        Change(ChangeKind.CHANGED, str(group.uuid), "coordination_body", label, "pillar", "", "P1"),
    ]

    services.body_delete(body=group, acting_user=None)
    assert diff(changed, snapshot(plan)) == [
        Change(ChangeKind.REMOVED, str(group.uuid), "coordination_body", label)
    ]


def test_a_renamed_agency_shows_in_the_activities_that_name_it(plan, agencies):
    from ctip.web.stakeholders import services as stakeholders

    activity = activity_of(plan)
    before = snapshot(plan)

    police = agencies["POL"]
    stakeholders.organisation_update(
        workspace=plan.workspace, organisation=police, acting_user=None, name="National Police"
    )

    changes = diff(before, snapshot(plan))
    assert (
        Change(
            ChangeKind.CHANGED,
            str(activity.uuid),
            "activity",
            f"{activity.code} Train labour inspectors",
            "supporting_agencies",
            ["Police Force"],
            ["National Police"],
        )
        in changes
    )


# --- Stability and cost ------------------------------------------------------------------------------------


def test_ids_stay_the_same_after_an_unrelated_edit(plan):
    before = snapshot(plan)
    line = activity_of(plan).cost_lines.get()

    services.cost_line_update(line=line, values={"unit_cost": Decimal("55.00")}, acting_user=None)
    after = snapshot(plan)

    assert [element.id for element in after] == [element.id for element in before]
    unchanged = [old for old, new in zip(before, after, strict=True) if old != new]
    assert [element.id for element in unchanged] == [str(line.uuid)]


def _grow(plan, agencies, activities):
    """``activities`` more activities under the plan's output, each with a cost line, a supporting agency,
    and one more indicator and body each time."""
    output = NapElement.objects.get(plan=plan, level="output")
    for number in range(activities):
        activity = element_make(
            plan, "activity", parent=output, lead=agencies["POL"].uuid, supporting=[agencies["NGO"]]
        )
        cost_line_make(activity, description=f"Line {number}")
        indicator_make(output, code=f"EXTRA{number}")
        services.body_create(
            plan=plan, values={"name": f"Group {number}", "members": [agencies["NGO"]]}, acting_user=None
        )


@pytest.mark.parametrize("activities", [0, 12])
def test_the_snapshot_takes_a_fixed_number_of_queries(plan, agencies, activities, django_assert_num_queries):
    _grow(plan, agencies, activities)
    workspace, subject = plan.workspace, str(plan.uuid)

    # plan, elements with their lead, cost lines, indicators, supporting agencies' names, bodies, members
    with django_assert_num_queries(7):
        elements = nap_elements(workspace, subject)

    assert len(elements) == 13 + 4 * activities
