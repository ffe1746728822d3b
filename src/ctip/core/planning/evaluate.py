"""What a list of sessions achieves and costs, and which constraints it breaks.

The optimizer and the greedy baseline both report their plans through these functions, so their
objectives are comparable, and the tests use :func:`violations` as an independent check of the MILP.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ctip.core.planning.model import (
    ConstraintGroup,
    Demand,
    Instance,
    Module,
    ModuleLevel,
    ReturnStep,
    Session,
    TrainerOrigin,
    year_of,
)

_TOLERANCE = 1e-6


def step_value(steps: Sequence[ReturnStep], staff: int, covered: float) -> float:
    """Value of training ``covered`` of ``staff`` people under the diminishing-returns steps."""
    total = 0.0
    low = 0.0
    for step in steps:
        width = (step.up_to_share - low) * staff
        total += step.value * max(0.0, min(covered - low * staff, width))
        low = step.up_to_share
    return total


def session_cost(module: Module, location: str, participants: int) -> float:
    return module.cost_per_session[location] + module.cost_per_participant[location] * participants


def seats_by_module(sessions: Iterable[Session]) -> dict[tuple[str, str], tuple[int, int]]:
    """(module, segment) -> (female, male) seats over the whole plan."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for session in sessions:
        for seat in session.seats:
            pair = totals[(session.module, seat.segment)]
            pair[0] += seat.female
            pair[1] += seat.male
    return {key: (value[0], value[1]) for key, value in totals.items()}


def coverage(instance: Instance, sessions: Sequence[Session]) -> dict[tuple[str, str], tuple[int, int]]:
    """(segment, competency) -> (female, male) people trained in it, capped at the staff in need."""
    modules = {module.code: module for module in instance.modules}
    seats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (module_code, segment), (female, male) in seats_by_module(sessions).items():
        for competency in modules[module_code].competencies:
            pair = seats[(segment, competency)]
            pair[0] += female
            pair[1] += male
    result = {}
    for demand in instance.demands:
        female, male = seats.get((demand.segment, demand.competency), [0, 0])
        result[(demand.segment, demand.competency)] = (
            min(female, demand.staff_female),
            min(male, demand.staff_male),
        )
    return result


def demand_value(instance: Instance, demand: Demand, female: float, male: float) -> float:
    steps = instance.parameters.return_steps
    return demand.weight * (
        step_value(steps, demand.staff_female, female) + step_value(steps, demand.staff_male, male)
    )


def objective(instance: Instance, sessions: Sequence[Session]) -> float:
    """Weighted need covered, with diminishing returns: the quantity both planners maximise."""
    covered = coverage(instance, sessions)
    return sum(
        demand_value(instance, demand, *covered[(demand.segment, demand.competency)])
        for demand in instance.demands
    )


def cost_by_year(instance: Instance, sessions: Sequence[Session]) -> tuple[float, ...]:
    modules = {module.code: module for module in instance.modules}
    costs = [0.0] * instance.parameters.years
    for session in sessions:
        costs[year_of(session.quarter) - 1] += session_cost(
            modules[session.module], session.location, session.participants
        )
    return tuple(costs)


def women_share_of_need(instance: Instance) -> float:
    staff = sum(demand.staff for demand in instance.demands)
    return sum(demand.staff_female for demand in instance.demands) / staff if staff else 0.0


def national_share(instance: Instance, year: int) -> float:
    """Minimum share of sessions led by national trainers in ``year`` (year 3's share holds after it)."""
    parameters = instance.parameters
    if year <= 1:
        return 0.0
    return parameters.national_share_year2 if year == 2 else parameters.national_share_year3


def _prerequisites_kept(instance: Instance, sessions: Sequence[Session]) -> bool:
    modules = {module.code: module for module in instance.modules}
    # (module, segment, quarter) -> seats
    seats: dict[tuple[str, str, int], int] = defaultdict(int)
    for session in sessions:
        for seat in session.seats:
            seats[(session.module, seat.segment, session.quarter)] += seat.total
    quarters = range(1, instance.parameters.quarters + 1)
    for module_code, segment in {(key[0], key[1]) for key in seats}:
        for prerequisite in modules[module_code].prerequisites:
            taken = 0
            before = 0
            for quarter in quarters:
                taken += seats.get((module_code, segment, quarter), 0)
                if taken > before:
                    return False
                before += seats.get((prerequisite, segment, quarter), 0)
    sessions_by_quarter: dict[tuple[str, int], int] = defaultdict(int)
    for session in sessions:
        sessions_by_quarter[(session.module, session.quarter)] += 1
    ratio = instance.parameters.cascade_sessions_per_tot_session
    for module in instance.modules:
        if not module.cascade_of:
            continue
        tot_before = 0
        for quarter in quarters:
            if sessions_by_quarter.get((module.code, quarter), 0) > ratio * tot_before:
                return False
            tot_before += sessions_by_quarter.get((module.cascade_of, quarter), 0)
    return True


def violations(instance: Instance, sessions: Sequence[Session]) -> tuple[ConstraintGroup, ...]:
    """The constraint groups a plan breaks (empty for a plan that keeps them all)."""
    parameters = instance.parameters
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    broken: set[ConstraintGroup] = set()
    for year, cost in enumerate(cost_by_year(instance, sessions), start=1):
        if cost > parameters.budget_for_year(year) + _TOLERANCE:
            broken.add(ConstraintGroup.BUDGET)
    days: dict[int, float] = defaultdict(float)
    per_location: dict[tuple[str, int], int] = defaultdict(int)
    for session in sessions:
        days[session.quarter] += modules[session.module].duration_days
        per_location[(session.location, session.quarter)] += 1
    if any(value > parameters.trainer_days_per_quarter + _TOLERANCE for value in days.values()):
        broken.add(ConstraintGroup.TRAINERS)
    if any(value > parameters.sessions_per_location_per_quarter for value in per_location.values()):
        broken.add(ConstraintGroup.LOCATION_CAPACITY)
    if not _prerequisites_kept(instance, sessions):
        broken.add(ConstraintGroup.PREREQUISITE)
    foundational: dict[str, int] = defaultdict(int)
    for session in sessions:
        if session.quarter <= 4 and modules[session.module].level is ModuleLevel.FOUNDATIONAL:
            for seat in session.seats:
                foundational[seat.segment] += seat.total
    for segment in segments.values():
        needed = min(parameters.frontline_year1_seats, segment.staff_female + segment.staff_male)
        if segment.is_frontline and foundational[segment.code] < needed:
            broken.add(ConstraintGroup.FRONTLINE_YEAR1)
    covered = coverage(instance, sessions)
    need: dict[str, float] = defaultdict(float)
    met: dict[str, float] = defaultdict(float)
    for demand in instance.demands:
        location = segments[demand.segment].location
        need[location] += demand.weight * demand.staff
        met[location] += demand.weight * sum(covered[(demand.segment, demand.competency)])
    for location, total in need.items():
        if met[location] < parameters.need_floor(location) * total - _TOLERANCE:
            broken.add(ConstraintGroup.LOCATION_NEED_FLOOR)
    seats = [seat for session in sessions for seat in session.seats]
    women = sum(seat.female for seat in seats)
    target = parameters.women_seat_factor * women_share_of_need(instance) * sum(seat.total for seat in seats)
    if women < target - _TOLERANCE:
        broken.add(ConstraintGroup.WOMEN_SEATS)
    for year in range(2, parameters.years + 1):
        share = national_share(instance, year)
        in_year = [session for session in sessions if year_of(session.quarter) == year]
        national = sum(1 for session in in_year if session.trainer is TrainerOrigin.NATIONAL)
        if national < share * len(in_year) - _TOLERANCE:
            broken.add(ConstraintGroup.NATIONAL_TRAINERS)
    return tuple(group for group in ConstraintGroup if group in broken)
