"""The capacity plan as plain data: the catalogue, the demand from the TNA, the constraints and the plan.

Quarters are numbered 1..``Parameters.quarters``; year *y* holds quarters ``4(y-1)+1 .. 4y``. Money is in the
workspace currency, durations in days. Every constraint is a field of :class:`Parameters` with a default,
so an instance file only states what differs from the defaults.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ctip.core.tna.model import Text


class ModuleLevel(StrEnum):
    FOUNDATIONAL = "foundational"
    SPECIALISED = "specialised"


class TrainerProfile(StrEnum):
    """Who may lead sessions of a module."""

    ANY = "any"
    NATIONAL = "national"
    INTERNATIONAL = "international"


class TrainerOrigin(StrEnum):
    NATIONAL = "national"
    INTERNATIONAL = "international"


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal within the requested gap
    FEASIBLE = "feasible"  # a plan that keeps every constraint, stopped by the time limit
    INFEASIBLE = "infeasible"  # no plan keeps every constraint; see Plan.conflicts
    VIOLATES_FLOORS = "violates_floors"  # greedy only: a plan that misses some floor; see Plan.notes
    ROUNDING_BROKE = "rounding_broke"  # the solver's plan, once its seats are rounded to whole people,
    # breaks the constraint groups named in Plan.notes (never presented as feasible)
    TIME_LIMIT = "time_limit"  # no plan found within the time limit (and none proven impossible)


class ConstraintGroup(StrEnum):
    """Families of constraints, named in explanations and infeasibility reports."""

    BUDGET = "budget"
    TRAINERS = "trainers"
    LOCATION_CAPACITY = "location_capacity"
    PREREQUISITE = "prerequisite"
    FRONTLINE_YEAR1 = "frontline_year1"
    LOCATION_NEED_FLOOR = "location_need_floor"
    WOMEN_SEATS = "women_seats"
    NATIONAL_TRAINERS = "national_trainers"
    LOCKED_SESSIONS = "locked_sessions"


class UnmetReason(StrEnum):
    """Why a need stays (partly) unmet: the constraint that blocks one more session serving it."""

    BUDGET = "budget"
    TRAINERS = "trainers"
    PREREQUISITE = "prerequisite"
    CAPACITY = "capacity"  # sessions per location per quarter
    NO_MODULE = "no_module"  # no module of the catalogue builds the competency at that location
    LOWER_PRIORITY = "lower_priority"  # nothing blocks it: other needs were worth more per unit of cost


@dataclass(frozen=True)
class Module:
    code: str
    title: Text
    pillar: str
    level: ModuleLevel
    competencies: tuple[str, ...]
    duration_days: float
    participants_min: int
    participants_max: int
    # Per location code; a location missing from the mapping means the module is not offered there.
    cost_per_session: Mapping[str, float]
    cost_per_participant: Mapping[str, float]
    trainer_profile: TrainerProfile = TrainerProfile.ANY
    prerequisites: tuple[str, ...] = ()  # module codes a participant must have taken in an earlier quarter
    is_training_of_trainers: bool = False
    cascade_of: str = ""  # code of the ToT module whose graduates lead this module's sessions


@dataclass(frozen=True)
class Segment:
    """Staff of one organisation in one role group, at one location."""

    code: str
    organisation: str
    role_group: str
    location: str
    is_frontline: bool
    staff_female: int
    staff_male: int


@dataclass(frozen=True)
class Demand:
    """Staff of a segment who need a competency, by sex, and the need weight from the TNA (e.g. MWDS)."""

    segment: str
    competency: str
    staff_female: int
    staff_male: int
    weight: float

    @property
    def staff(self) -> int:
        return self.staff_female + self.staff_male


@dataclass(frozen=True)
class ReturnStep:
    """Coverage of one need up to ``up_to_share`` of its staff is worth ``value`` per person trained."""

    up_to_share: float
    value: float


DEFAULT_RETURN_STEPS = (ReturnStep(0.5, 1.0), ReturnStep(0.8, 0.6), ReturnStep(1.0, 0.3))


@dataclass(frozen=True)
class Parameters:
    quarters: int = 12
    budget_per_year: tuple[float, ...] = (150_000.0, 150_000.0, 150_000.0)
    trainer_days_per_quarter: float = 60.0
    sessions_per_location_per_quarter: int = 4
    # Each frontline segment gets at least this many seats in foundational modules in year 1 (0: no floor).
    frontline_year1_seats: int = 1
    # Share of each location's staff-in-need (weighted) that must be covered; per-location overrides.
    location_need_floor: float = 0.05
    location_need_floor_by_location: Mapping[str, float] = field(default_factory=dict)
    # Women's seats >= this factor x women's share of staff in need x all seats (0: no floor).
    women_seat_factor: float = 1.0
    national_share_year2: float = 0.3
    national_share_year3: float = 0.5
    # Sessions of a cascade module per quarter that each earlier ToT session makes possible.
    cascade_sessions_per_tot_session: int = 3
    return_steps: tuple[ReturnStep, ...] = DEFAULT_RETURN_STEPS

    @property
    def years(self) -> int:
        return (self.quarters + 3) // 4

    def budget_for_year(self, year: int) -> float:
        """Budget of year ``year`` (1-based); the last value repeats for later years."""
        if not self.budget_per_year:
            return 0.0
        return self.budget_per_year[min(year, len(self.budget_per_year)) - 1]

    def need_floor(self, location: str) -> float:
        return self.location_need_floor_by_location.get(location, self.location_need_floor)


def year_of(quarter: int) -> int:
    return (quarter - 1) // 4 + 1


@dataclass(frozen=True)
class Instance:
    modules: tuple[Module, ...]
    segments: tuple[Segment, ...]
    demands: tuple[Demand, ...]
    parameters: Parameters = Parameters()
    name: str = ""

    @property
    def locations(self) -> tuple[str, ...]:
        return tuple(sorted({segment.location for segment in self.segments}))


@dataclass(frozen=True)
class Seats:
    segment: str
    female: int
    male: int

    @property
    def total(self) -> int:
        return self.female + self.male


@dataclass(frozen=True)
class Session:
    module: str
    location: str
    quarter: int
    trainer: TrainerOrigin
    seats: tuple[Seats, ...]

    @property
    def participants(self) -> int:
        return sum(seat.total for seat in self.seats)


@dataclass(frozen=True)
class Gap:
    """Part of one need that one session (or the plan) serves."""

    segment: str
    competency: str
    people: int


@dataclass(frozen=True)
class SessionExplanation:
    session_index: int
    serves: tuple[Gap, ...]


@dataclass(frozen=True)
class UnmetNeed:
    segment: str
    competency: str
    staff: int
    covered: int
    reason: UnmetReason


@dataclass(frozen=True)
class Plan:
    status: PlanStatus
    sessions: tuple[Session, ...] = ()
    objective: float = 0.0  # weighted need covered, with the diminishing-returns steps
    gap: float = 0.0  # relative optimality gap (0 for a proven optimum; NaN for greedy)
    solve_seconds: float = 0.0
    cost_by_year: tuple[float, ...] = ()
    explanations: tuple[SessionExplanation, ...] = ()
    unmet: tuple[UnmetNeed, ...] = ()
    conflicts: tuple[ConstraintGroup, ...] = ()  # for an infeasible instance: groups that must give way
    notes: tuple[str, ...] = ()  # floors a greedy plan misses, as constraint group values
    # The solver's proven upper bound on the objective (NaN when there is none, e.g. for greedy).
    best_bound: float = math.nan
