"""The planning instance file format: round trips and errors that name the JSON path."""

from __future__ import annotations

import json
import math

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning.generator import generate_instance
from ctip.core.planning.instance_json import (
    instance_from_json,
    instance_to_json,
    parameters_from_json,
    parameters_to_json,
    plan_from_json,
    plan_to_json,
    session_from_json,
    session_to_json,
)
from ctip.core.planning.model import (
    ConstraintGroup,
    Gap,
    Parameters,
    Plan,
    PlanStatus,
    ReturnStep,
    Seats,
    Session,
    SessionExplanation,
    TrainerOrigin,
    UnmetNeed,
    UnmetReason,
)


def _problems(error: DomainError) -> list[str]:
    return [f"{problem.location}: {problem.message}" for problem in error.problems]


def test_instance_round_trips_through_json_text() -> None:
    instance = generate_instance(seed=2, segments=5, modules=9, quarters=6)
    data = json.loads(json.dumps(instance_to_json(instance)))
    assert data["format"] == "ctip-plan-instance" and data["version"] == 1
    assert instance_from_json(data) == instance


def test_parameters_only_need_the_keys_that_differ() -> None:
    parameters = parameters_from_json({"quarters": 8, "budget_per_year": [1000, 2000]})
    assert parameters.quarters == 8
    assert parameters.budget_per_year == (1000.0, 2000.0)
    assert parameters.trainer_days_per_quarter == Parameters().trainer_days_per_quarter
    full = Parameters(
        location_need_floor_by_location={"Rodrigues": 0.2}, return_steps=(ReturnStep(1.0, 1.0),)
    )
    assert parameters_from_json(parameters_to_json(full)) == full


def test_unknown_parameter_is_named() -> None:
    with pytest.raises(DomainError) as raised:
        parameters_from_json({"quartrs": 8})
    assert raised.value.problems[0].location == "quartrs"
    assert "unknown key" in raised.value.problems[0].message


def test_bad_cost_names_its_json_path_and_the_value() -> None:
    data = instance_to_json(generate_instance(seed=1, segments=3, modules=6, quarters=4))
    location = next(iter(data["modules"][3]["cost_per_session"]))
    data["modules"][3]["cost_per_session"][location] = "abc"
    data["segments"][1]["staff_male"] = -4
    data["parameters"]["national_share_year2"] = 1.5
    with pytest.raises(DomainError) as raised:
        instance_from_json(data)
    problems = _problems(raised.value)
    assert f'modules[3].cost_per_session.{location}: expected a number ≥ 0, got "abc"' in problems
    assert "segments[1].staff_male: expected a whole number ≥ 0, got -4" in problems
    assert "parameters.national_share_year2: expected a number from 0 to 1, got 1.5" in problems


def test_wrong_format_and_version_are_refused() -> None:
    with pytest.raises(DomainError) as raised:
        instance_from_json({"format": "something-else", "modules": [], "segments": [], "demands": []})
    assert raised.value.problems[0].location == "format"
    with pytest.raises(DomainError) as raised:
        instance_from_json({"format": "ctip-plan-instance", "version": 7})
    assert raised.value.problems[0].location == "version"


def test_missing_keys_and_inconsistent_references_are_reported() -> None:
    data = instance_to_json(generate_instance(seed=1, segments=3, modules=6, quarters=4))
    del data["modules"][0]["participants_max"]
    with pytest.raises(DomainError) as raised:
        instance_from_json(data)
    assert "modules[0].participants_max: this key is required" in _problems(raised.value)
    data = instance_to_json(generate_instance(seed=1, segments=3, modules=6, quarters=4))
    data["demands"][0]["segment"] = "NOPE"
    with pytest.raises(DomainError) as raised:
        instance_from_json(data)
    assert raised.value.problems[0].location == "demands[0]"


def test_plan_round_trips_and_nan_becomes_null() -> None:
    session = Session("A", "north", 3, TrainerOrigin.NATIONAL, (Seats("s1", 4, 5),))
    plan = Plan(
        status=PlanStatus.FEASIBLE,
        sessions=(session,),
        objective=12.5,
        gap=math.nan,
        solve_seconds=0.25,
        cost_by_year=(1000.0,),
        explanations=(SessionExplanation(0, (Gap("s1", "c1", 9),)),),
        unmet=(UnmetNeed("s1", "c2", 10, 0, UnmetReason.BUDGET),),
        conflicts=(ConstraintGroup.BUDGET,),
        notes=("women_seats",),
    )
    data = plan_to_json(plan)
    assert data["gap"] is None and data["best_bound"] is None
    assert set(data) >= {
        "status",
        "sessions",
        "objective",
        "gap",
        "solve_seconds",
        "cost_by_year",
        "explanations",
        "unmet",
        "conflicts",
        "notes",
    }
    assert data["sessions"][0] == {
        "module": "A",
        "location": "north",
        "quarter": 3,
        "trainer": "national",
        "seats": [{"segment": "s1", "female": 4, "male": 5}],
    }
    assert data["unmet"][0]["reason"] == "budget"
    assert data["explanations"][0] == {
        "session_index": 0,
        "serves": [{"segment": "s1", "competency": "c1", "people": 9}],
    }
    back = plan_from_json(json.loads(json.dumps(data)))
    assert math.isnan(back.gap)
    assert back == plan.__class__(**{**plan.__dict__, "gap": back.gap, "best_bound": back.best_bound})
    assert session_from_json(session_to_json(session)) == session


def test_bad_session_names_its_path() -> None:
    with pytest.raises(DomainError) as raised:
        session_from_json({"module": "A", "location": "north", "quarter": 0, "trainer": "martian"})
    problems = _problems(raised.value)
    assert "session.quarter: expected a whole number ≥ 1, got 0" in problems
    assert any(
        problem.startswith("session.trainer: expected one of national, international") for problem in problems
    )
