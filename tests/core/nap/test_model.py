"""The NAP's structure: walking it with paths, default pillars, and the problems that make a plan unusable."""

from decimal import Decimal

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.nap import (
    DEFAULT_PILLARS,
    Activity,
    CostLine,
    IndicatorRef,
    Output,
    Pillar,
    default_pillars,
    structure_problems,
    validate,
    walk,
)
from ctip.core.nap.model import ancestor_paths, parent_path, pillar_code

from .builders import activity, clean_nap, line, with_activities


def test_walk_yields_every_element_with_its_path_in_document_order():
    nap = with_activities(activity("A1", cost_lines=(line("C1"), line("C2"))))
    paths = [path for path, _element in walk(nap)]
    assert paths == [
        "P1",
        "P1/SO1.1",
        "P1/SO1.1/SP1.1.1",
        "P1/SO1.1/SP1.1.1/OC1.1",
        "P1/SO1.1/SP1.1.1/OC1.1/I1.0",
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1",
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/I1.1",
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1",
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1/C1",
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1/C2",
    ]
    kinds = [type(element) for _path, element in walk(nap)]
    assert kinds[0] is Pillar and kinds[4] is IndicatorRef and kinds[5] is Output
    assert kinds[7] is Activity and kinds[8] is CostLine


def test_path_helpers():
    path = "P2/SO2.1/SP2.1.1/OC2.1/OP2.1/A2.1.1.3/C2"
    assert pillar_code(path) == "P2"
    assert parent_path(path) == "P2/SO2.1/SP2.1.1/OC2.1/OP2.1/A2.1.1.3"
    assert parent_path("P2") == ""
    assert ancestor_paths("P2/SO2.1/SP2.1.1") == ("P2", "P2/SO2.1")


def test_default_pillars_are_the_four_ps_and_translatable():
    assert [(p.code, p.name) for p in default_pillars()] == [
        ("P1", "Prevention"),
        ("P2", "Protection"),
        ("P3", "Prosecution"),
        ("P4", "Partnership"),
    ]
    french = {"Prevention": "Prévention", "Protection": "Protection"}
    assert default_pillars(lambda s: french.get(s, s))[0].name == "Prévention"
    assert len(DEFAULT_PILLARS) == 4


def test_a_clean_plan_has_no_structure_problem():
    nap = clean_nap()
    assert structure_problems(nap) == []
    assert validate(nap) is nap
    assert list(nap.years) == [2025, 2026, 2027, 2028, 2029]


def test_duplicate_codes_per_level_are_problems_but_cost_line_codes_repeat_across_activities():
    nap = with_activities(activity("A1"), activity("A1", cost_lines=(line("C9"),)), activity("A2"))
    problems = structure_problems(nap)
    assert [(p.location, p.params["code"]) for p in problems] == [("P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1", "A1")]
    assert "used twice" in problems[0].message
    # A1/C1 and A2/C1 share the code C1: fine; two C1 in one activity are not.
    twice = with_activities(activity("A1", cost_lines=(line("C1"), line("C1"))))
    assert [p.location for p in structure_problems(twice)] == ["P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1/C1"]


def test_bad_values_are_located_and_validate_raises_without_changing_the_plan():
    bad_line = line(
        "C1",
        unit_cost=12.5,
        quantity=Decimal("-1"),
        currency="usd",
        beneficiaries_girls=-3,
    )
    nap = with_activities(
        activity("A/1", timeline=((2026, 5),), cost_lines=(bad_line,)), start=2029, end=2025
    )
    before = repr(nap)
    with pytest.raises(DomainError) as caught:
        validate(nap)
    error = caught.value
    assert error.code is ErrorCode.INVALID_VALUE
    locations = [problem.location for problem in error.problems]
    a_path = "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A/1"
    assert locations == [
        "nap",
        a_path,
        f"{a_path}, timeline",
        f"{a_path}/C1, unit_cost",
        f"{a_path}/C1, quantity",
        f"{a_path}/C1, currency",
        f"{a_path}/C1, beneficiaries_girls",
    ]
    messages = [problem.message for problem in error.problems]
    assert "ends in 2025, before it starts in 2029" in messages[0]
    assert "“2026-Q5” is not a quarter" in messages[2]
    assert "12.5 is not a decimal number" in messages[3]
    assert "enter 0 or a positive number" in messages[4]
    assert "“usd” is not a currency code" in messages[5]
    assert "7 problem(s)" in str(error)
    assert repr(nap) == before
