"""Small planning instances for the tests (names follow `<entity>_make`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ctip.core.planning.model import (
    Demand,
    Instance,
    Module,
    ModuleLevel,
    Parameters,
    Segment,
    TrainerProfile,
)
from ctip.core.tna.model import Text

# Parameters with every floor switched off, so a test turns on only the constraint it is about.
NO_FLOORS = Parameters(
    quarters=4,
    budget_per_year=(1_000_000.0,),
    trainer_days_per_quarter=1_000.0,
    sessions_per_location_per_quarter=10,
    frontline_year1_seats=0,
    location_need_floor=0.0,
    women_seat_factor=0.0,
    national_share_year2=0.0,
    national_share_year3=0.0,
)


def module_make(code: str, competencies: tuple[str, ...], **changes: Any) -> Module:
    values: dict[str, Any] = {
        "code": code,
        "title": Text(code),
        "pillar": "protection",
        "level": ModuleLevel.SPECIALISED,
        "competencies": competencies,
        "duration_days": 2.0,
        "participants_min": 1,
        "participants_max": 10,
        "cost_per_session": {"north": 1_000.0},
        "cost_per_participant": {"north": 0.0},
        "trainer_profile": TrainerProfile.ANY,
    }
    values.update(changes)
    return Module(**values)


def segment_make(code: str, female: int = 5, male: int = 5, **changes: Any) -> Segment:
    values: dict[str, Any] = {
        "code": code,
        "organisation": code,
        "role_group": "officers",
        "location": "north",
        "is_frontline": False,
        "staff_female": female,
        "staff_male": male,
    }
    values.update(changes)
    return Segment(**values)


def demand_make(segment: str, competency: str, female: int = 5, male: int = 5, weight: float = 1.0) -> Demand:
    return Demand(segment, competency, female, male, weight)


def instance_make(
    modules: list[Module], segments: list[Segment], demands: list[Demand], **parameters: Any
) -> Instance:
    return Instance(tuple(modules), tuple(segments), tuple(demands), replace(NO_FLOORS, **parameters))
