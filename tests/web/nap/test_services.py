"""The NAP services: levels nest in order, codes are suggested and unique, cost lines and indicators are
validated field by field (and a refused change leaves the data as it was), versions guard against lost
updates, moves swap neighbours, deletes refuse a non-empty element unless cascading, and everything is
audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.nap import services
from ctip.web.nap.models import NapCostLine, NapElement, NapIndicator
from ctip.web.stakeholders.models import Organisation
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make

pytestmark = pytest.mark.django_db


def problems(caught) -> dict[str, str]:
    return {problem.location: problem.render() for problem in caught.value.problems}


def test_a_plan_starts_with_the_four_ps_and_is_audited(workspace):
    plan = plan_make(workspace)
    pillars = NapElement.objects.filter(plan=plan).order_by("position")
    assert [(p.code, p.title) for p in pillars] == [
        ("P1", "Prevention"),
        ("P2", "Protection"),
        ("P3", "Prosecution"),
        ("P4", "Partnership"),
    ]
    assert AuditEntry.objects.filter(action="nap.plan.create").count() == 1
    assert plan_make(workspace, pillars=()).elements.count() == 0


def test_a_plan_that_ends_before_it_starts_is_refused(workspace):
    with pytest.raises(DomainError) as caught:
        plan_make(workspace, period_start=2029, period_end=2025, currency="us")
    assert set(problems(caught)) == {"period_end", "currency"}


def test_codes_follow_the_parent_and_levels_nest_in_order(workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    chain = []
    node = activity
    while node is not None:
        chain.append(node.code)
        node = node.parent
    assert chain == ["A1.1.1.1.1.1", "OP1.1.1.1.1", "OC1.1.1.1", "SP1.1.1", "SO1.1", "P1"]
    second = element_make(plan, "objective", parent=NapElement.objects.get(plan=plan, code="P1"))
    assert second.code == "SO1.2" and second.position == 1
    pillar = NapElement.objects.get(plan=plan, code="P2")
    with pytest.raises(DomainError) as caught:
        element_make(plan, "outcome", parent=pillar)
    assert "must be placed under a strategic priority" in caught.value.render()
    with pytest.raises(DomainError):
        element_make(plan, "pillar", parent=pillar)
    with pytest.raises(DomainError) as caught:
        element_make(plan, "objective", parent=pillar, code="SO1.1")
    assert "already used" in problems(caught)["code"]


def test_activity_fields_are_checked_against_the_plan(workspace):
    plan = plan_make(workspace)
    first = element_make(plan, "activity")
    ministry = Organisation.objects.create(
        workspace=workspace, key="MOL", name="Ministry of Labour", type="government"
    )
    with pytest.raises(DomainError) as caught:
        element_make(
            plan,
            "activity",
            parent=first.parent,
            timeline=[[2031, 1], [2026, 5]],
            depends_on=["A9"],
            gender_marker=3,
        )
    found = problems(caught)
    assert "outside the plan period 2025–2029" in found["timeline[0]"]
    assert "not a quarter" in found["timeline[1]"]
    assert "A9 is not an activity" in found["depends_on"]
    assert "gender_marker" in found
    second = element_make(
        plan,
        "activity",
        parent=first.parent,
        lead=str(ministry.uuid),
        supporting=["Police Force", {"organisation": str(ministry.uuid), "name": ""}],
        timeline=["2026-Q2", [2025, 3]],
        depends_on=first.code,
    )
    assert second.lead == ministry and second.timeline == [[2025, 3], [2026, 2]]
    assert second.supporting == [
        {"organisation": "", "name": "Police Force"},
        {"organisation": str(ministry.uuid), "name": "Ministry of Labour"},
    ]
    assert second.depends_on == [first.code]
    # A renamed activity is renamed where others depend on it; a deleted one is dropped.
    services.element_update(element=first, values={"code": "A-NEW"}, acting_user=None)
    second.refresh_from_db()
    assert second.depends_on == ["A-NEW"]
    services.element_delete(element=NapElement.objects.get(code="A-NEW"), acting_user=None)
    second.refresh_from_db()
    assert second.depends_on == []


def test_a_stale_version_is_a_conflict_with_both_numbers(workspace):
    plan = plan_make(workspace)
    pillar = NapElement.objects.get(plan=plan, code="P1")
    services.element_update(element=pillar, values={"title": "Prevention and awareness"}, acting_user=None)
    with pytest.raises(DomainError) as caught:
        services.element_update(
            element=pillar, values={"title": "Other"}, acting_user=None, expected_version=1
        )
    assert caught.value.code == ErrorCode.CONFLICT
    assert "version 1" in caught.value.render() and "version 2" in caught.value.render()
    pillar.refresh_from_db()
    assert pillar.title == "Prevention and awareness" and pillar.version == 2


def test_move_swaps_with_the_neighbour(workspace):
    plan = plan_make(workspace)
    p2 = NapElement.objects.get(plan=plan, code="P2")
    services.element_move(element=p2, offset=-1, acting_user=None)
    order = list(
        NapElement.objects.filter(plan=plan, parent=None).order_by("position").values_list("code", flat=True)
    )
    assert order == ["P2", "P1", "P3", "P4"]
    services.element_move(element=p2, offset=-1, acting_user=None)  # already first: nothing changes
    services.element_move(element=NapElement.objects.get(plan=plan, code="P4"), offset=1, acting_user=None)
    order = list(
        NapElement.objects.filter(plan=plan, parent=None).order_by("position").values_list("code", flat=True)
    )
    assert order == ["P2", "P1", "P3", "P4"]
    assert AuditEntry.objects.filter(action="nap.element.move").count() == 2
    with pytest.raises(DomainError):
        services.element_move(element=p2, offset=2, acting_user=None)


def test_delete_refuses_a_non_empty_element_unless_cascading(workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    cost_line_make(activity)
    indicator_make(activity.parent)
    pillar = NapElement.objects.get(plan=plan, code="P1")
    with pytest.raises(DomainError) as caught:
        services.element_delete(element=pillar, acting_user=None)
    assert caught.value.code == ErrorCode.CONFLICT
    assert "5 element(s) below it, 1 cost line(s) and 1 indicator(s)" in caught.value.render()
    assert NapElement.objects.filter(plan=plan).count() == 9
    services.element_delete(element=pillar, acting_user=None, cascade=True)
    assert NapElement.objects.filter(plan=plan).count() == 3
    assert not NapCostLine.objects.exists() and not NapIndicator.objects.exists()


def test_cost_lines_keep_money_as_decimals_and_refuse_bad_values(workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    line = cost_line_make(activity, unit_cost="1250.50", quantity=3.5, frequency="4")
    line.refresh_from_db()
    assert line.code == "C1" and line.currency == "USD"
    assert (line.unit_cost, line.quantity, line.frequency) == (Decimal("1250.50"), Decimal("3.5"), Decimal(4))
    with pytest.raises(DomainError) as caught:
        services.cost_line_update(
            line=line,
            values={
                "unit_cost": "-5",
                "quantity": "0",
                "currency": "DOLLARS",
                "year": 2031,
                "gender_marker": 4,
                "beneficiaries_women": -1,
                "funding_source": "lottery",
                "code": "",
            },
            acting_user=None,
        )
    assert set(problems(caught)) == {
        "unit_cost",
        "quantity",
        "currency",
        "year",
        "gender_marker",
        "beneficiaries_women",
        "funding_source",
    }
    line.refresh_from_db()
    assert line.unit_cost == Decimal("1250.50") and line.version == 1
    with pytest.raises(DomainError) as caught:
        cost_line_make(activity, code="C1")
    assert "already used" in problems(caught)["code"]
    with pytest.raises(DomainError):
        cost_line_make(activity.parent)
    services.cost_line_delete(line=line, acting_user=None)
    assert AuditEntry.objects.filter(action__startswith="nap.cost_line.").count() == 2


def test_indicators_belong_to_outcomes_and_outputs_with_targets_in_the_period(workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    output = activity.parent
    indicator = indicator_make(output)
    assert indicator.code == "I1.1.1.1.1.1"
    with pytest.raises(DomainError):
        indicator_make(activity)
    with pytest.raises(DomainError) as caught:
        services.indicator_update(
            indicator=indicator,
            values={"targets": [{"year": 2035, "value": "10"}, {"year": 2026, "value": ""}], "name": ""},
            acting_user=None,
        )
    found = problems(caught)
    assert "outside the plan period" in found["targets[0].year"]
    assert "targets[1].value" in found and "name" in found
    changed = services.indicator_update(
        indicator=indicator,
        values={"targets": [{"year": 2027, "value": "30", "sex": "female"}, {"year": 2027, "value": "50"}]},
        acting_user=None,
        expected_version=1,
    )
    assert changed.version == 2
    assert changed.targets == [
        {"year": 2027, "value": "50", "sex": ""},
        {"year": 2027, "value": "30", "sex": "female"},
    ]


def test_a_viewer_cannot_change_the_plan(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        plan_make(workspace, acting_user=viewer)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
