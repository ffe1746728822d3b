"""The plan read back: ``nap_core`` equals a Nap built by hand; the outline and the paths are in document
order with roll-ups; the outline reads the same number of queries for 10 and for 200 activities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.core.nap.model import (
    Activity,
    CostLine,
    FundingSource,
    GenderMarker,
    IndicatorLevel,
    IndicatorRef,
    IndicatorTarget,
    Nap,
    Outcome,
    Output,
    Pillar,
    StrategicObjective,
    StrategicPriority,
)
from ctip.web.nap import selectors
from ctip.web.nap.models import NapCostLine, NapElement
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make

pytestmark = pytest.mark.django_db


def small_plan(workspace):
    plan = plan_make(workspace, pillars=[("P1", "Prevention")], principles=["Victim-centred"])
    activity = element_make(
        plan,
        "activity",
        title="Train labour inspectors",
        supporting=["Police Force"],
        timeline=[[2026, 1]],
        target_groups=["labour inspectors"],
        assumptions="Inspectors are released\nTrainers available",
        gender_marker=1,
    )
    cost_line_make(activity, unit_cost="50.00", quantity="10", currency="EUR", gender_marker=1)
    indicator_make(
        activity.parent.parent, code="IND1", targets=[{"year": 2027, "value": "40", "sex": "female"}]
    )
    return plan


def test_nap_core_equals_the_plan_built_by_hand(workspace):
    plan = small_plan(workspace)
    line = CostLine(
        code="C1",
        description="Training of labour inspectors",
        unit="participant-day",
        unit_cost=Decimal("50.00"),
        quantity=Decimal("10"),
        frequency=Decimal("1"),
        year=2025,
        currency="EUR",
        funding_source=FundingSource.GOVERNMENT,
        gender_marker=GenderMarker.SIGNIFICANT,
    )
    activity = Activity(
        code="A1.1.1.1.1.1",
        description="Train labour inspectors",
        lead_agency="Ministry of Labour",
        supporting_agencies=("Police Force",),
        timeline=((2026, 1),),
        target_groups=("labour inspectors",),
        cost_lines=(line,),
        gender_marker=GenderMarker.SIGNIFICANT,
        assumptions=("Inspectors are released", "Trainers available"),
    )
    indicator = IndicatorRef(
        code="IND1",
        level=IndicatorLevel.OUTCOME,
        name="Number of victims identified and referred",
        unit="number",
        baseline="12",
        baseline_year=2024,
        targets=(IndicatorTarget(2027, "40", "female"),),
        source="National referral mechanism records",
        responsible_agency="Ministry of Social Security",
        frequency="annual",
    )
    expected = Nap(
        title="National Action Plan against Trafficking in Persons",
        period_start=2025,
        period_end=2029,
        vision="A country free from trafficking in persons.",
        goal="Prevent trafficking, protect victims, prosecute traffickers.",
        principles=("Victim-centred",),
        pillars=(
            Pillar(
                "P1",
                "Prevention",
                (
                    StrategicObjective(
                        "SO1.1",
                        "Objective 2",
                        (
                            StrategicPriority(
                                "SP1.1.1",
                                "Priority 3",
                                (
                                    Outcome(
                                        "OC1.1.1.1",
                                        "Outcome 4",
                                        (indicator,),
                                        (Output("OP1.1.1.1.1", "Output 5", (), (activity,)),),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    assert selectors.nap_core(plan) == expected


def test_outline_and_paths_are_in_document_order_with_roll_ups(workspace):
    plan = small_plan(workspace)
    activity = NapElement.objects.get(plan=plan, level="activity")
    cost_line_make(activity, unit_cost="0.50", quantity="3", currency="USD")
    rows = selectors.outline(plan)
    assert [(row.path.count("/"), row.depth) for row in rows] == [(n, n) for n in range(6)]
    assert rows[0].cost_total_by_currency == {"EUR": Decimal("500.00"), "USD": Decimal("1.50")}
    assert [row.children_count for row in rows] == [1, 1, 1, 1, 1, 0]
    assert [row.indicator_count for row in rows] == [0, 0, 0, 1, 0, 0]
    paths = selectors.elements_by_path(plan)
    assert paths["P1/SO1.1/SP1.1.1/OC1.1.1.1/OP1.1.1.1.1/A1.1.1.1.1.1"] == activity


def bulk_plan(workspace, activities: int):
    """A plan with ``activities`` activities under one output, each with one cost line (bulk-created)."""
    plan = plan_make(workspace, pillars=[("P1", "Prevention")])
    first = element_make(plan, "activity")
    output = first.parent
    made = NapElement.objects.bulk_create(
        NapElement(
            workspace=workspace,
            plan=plan,
            parent=output,
            level="activity",
            code=f"A-{n}",
            title=f"A {n}",
            position=n,
        )
        for n in range(1, activities)
    )
    NapCostLine.objects.bulk_create(
        NapCostLine(
            workspace=workspace,
            activity=item,
            code="C1",
            description="x",
            unit_cost=Decimal("1.00"),
            currency="USD",
        )
        for item in [first, *made]
    )
    return plan


def count_queries(function, plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(plan)
    return len(captured)


def test_reading_a_plan_takes_a_constant_number_of_queries(workspace, django_assert_num_queries):
    small, large = bulk_plan(workspace, 10), bulk_plan(workspace, 200)
    for function in (selectors.outline, selectors.nap_core, selectors.elements_by_path):
        expected = count_queries(function, small)
        assert expected <= 5
        with django_assert_num_queries(expected):
            result = function(large)
        assert result
    rows = selectors.outline(large)
    assert rows[0].cost_total_by_currency == {"USD": Decimal("200.00")}
