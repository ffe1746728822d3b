"""The greedy baseline: add, one at a time, the session with the most need covered per unit of cost.

Each candidate session (module × location × quarter, led by a national trainer whenever the module allows
it) is filled seat by seat with the most valuable seats available — within the segment's staff, its
prerequisites and the year's budget — and added only if it keeps the budget, the trainer-days, the
sessions per location, the minimum size and the cascade rule. Frontline segments first get their
year-1 foundational seats. The floors on location coverage, women's seats and national trainers are
not steered for; a greedy plan that misses one says so in :attr:`Plan.notes`.

Candidates are kept in a heap with their last known ratio ("lazy" greedy): a candidate's ratio only
falls as needs get covered and resources get used, except when a prerequisite is newly taught, so the
modules that depend on it are re-queued then.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from ctip.core.planning.evaluate import step_value
from ctip.core.planning.model import (
    Instance,
    Module,
    ModuleLevel,
    Seats,
    Session,
    TrainerOrigin,
    TrainerProfile,
    year_of,
)

_SEXES = ("female", "male")


@dataclass
class _State:
    instance: Instance
    budget_left: list[float]
    days: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    at_location: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    # (module, segment, quarter, sex) -> seats
    seats: dict[tuple[str, str, int, str], int] = field(default_factory=lambda: defaultdict(int))
    # (segment, competency, sex) -> seats in modules building it (coverage is this capped at the staff)
    trained: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    sessions_of: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    sessions: list[Session] = field(default_factory=list)


class Greedy:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.parameters = instance.parameters
        self.modules = {module.code: module for module in instance.modules}
        self.segments = {segment.code: segment for segment in instance.segments}
        self.demands = {(demand.segment, demand.competency): demand for demand in instance.demands}
        self.state = _State(
            instance, [self.parameters.budget_for_year(year) for year in range(1, self.parameters.years + 1)]
        )
        self.segments_at: dict[str, list[str]] = defaultdict(list)
        for segment in instance.segments:
            self.segments_at[segment.location].append(segment.code)

    def _staff(self, segment_code: str, sex: str) -> int:
        segment = self.segments[segment_code]
        return segment.staff_female if sex == "female" else segment.staff_male

    def _seat_value(
        self, module: Module, segment_code: str, sex: str, extra: dict[tuple[str, str], int]
    ) -> float:
        steps = self.parameters.return_steps
        value = 0.0
        for competency in module.competencies:
            demand = self.demands.get((segment_code, competency))
            if demand is None:
                continue
            staff = demand.staff_female if sex == "female" else demand.staff_male
            now = self.state.trained[(segment_code, competency, sex)] + extra.get((segment_code, sex), 0)
            value += demand.weight * (step_value(steps, staff, now + 1) - step_value(steps, staff, now))
        return value

    def _seat_room(self, module: Module, segment_code: str, quarter: int, sex: str) -> int:
        seats = self.state.seats
        quarters = range(1, self.parameters.quarters + 1)
        return max(
            self._staff(segment_code, sex)
            - sum(seats[(module.code, segment_code, q, sex)] for q in quarters),
            0,
        )

    def _prerequisite_room(self, module: Module, segment_code: str, quarter: int) -> int:
        seats = self.state.seats
        quarters = range(1, self.parameters.quarters + 1)
        room = self._staff(segment_code, "female") + self._staff(segment_code, "male")
        for prerequisite in module.prerequisites:
            # Both sexes together, as in the MILP.
            taken = sum(seats[(module.code, segment_code, q, s)] for q in range(1, quarter) for s in _SEXES)
            before = sum(seats[(prerequisite, segment_code, q, s)] for q in range(1, quarter) for s in _SEXES)
            for later in quarters[quarter - 1 :]:
                taken += sum(seats[(module.code, segment_code, later, s)] for s in _SEXES)
                room = min(room, before - taken)
                before += sum(seats[(prerequisite, segment_code, later, s)] for s in _SEXES)
        return max(room, 0)

    def _origin(self, module: Module, quarter: int) -> TrainerOrigin | None:
        if module.cascade_of:
            earlier = sum(self.state.sessions_of[(module.cascade_of, q)] for q in range(1, quarter))
            allowed = self.state.sessions_of[(module.code, quarter)] + 1
            if allowed > self.parameters.cascade_sessions_per_tot_session * earlier:
                return None
            return TrainerOrigin.NATIONAL
        if module.trainer_profile is TrainerProfile.INTERNATIONAL:
            return TrainerOrigin.INTERNATIONAL
        return TrainerOrigin.NATIONAL

    def candidate(
        self, module: Module, location: str, quarter: int, *, must: str = ""
    ) -> tuple[float, Session] | None:
        """The best filling of one more session and its value per unit of cost (None if not allowed)."""
        state = self.state
        origin = self._origin(module, quarter)
        year = year_of(quarter)
        if (
            origin is None
            or state.days[quarter] + module.duration_days > self.parameters.trainer_days_per_quarter
            or state.at_location[(location, quarter)] >= self.parameters.sessions_per_location_per_quarter
        ):
            return None
        per_seat = module.cost_per_participant[location]
        cost = module.cost_per_session[location]
        extra: dict[tuple[str, str], int] = defaultdict(int)
        room = {
            (code, sex): self._seat_room(module, code, quarter, sex)
            for code in self.segments_at[location]
            for sex in _SEXES
        }
        together = {
            code: self._prerequisite_room(module, code, quarter) for code in self.segments_at[location]
        }

        def free(code: str, sex: str) -> bool:
            return (
                room[(code, sex)] > extra[(code, sex)]
                and together[code] > extra[(code, "female")] + extra[(code, "male")]
            )

        value = 0.0
        if must:
            needed = self.parameters.frontline_year1_seats
            for sex in _SEXES:
                take = min(
                    needed,
                    room[(must, sex)],
                    together[must] - extra[(must, "female")] - extra[(must, "male")],
                )
                for _ in range(take):
                    value += self._seat_value(module, must, sex, extra)
                    extra[(must, sex)] += 1
                needed -= take
            if (
                needed > 0
                and sum(room[(must, sex)] for sex in _SEXES) < self.parameters.frontline_year1_seats
            ):
                return None
        while sum(extra.values()) < module.participants_max:
            best = max(
                (
                    (self._seat_value(module, code, sex, extra), code, sex)
                    for (code, sex) in room
                    if free(code, sex)
                ),
                default=None,
            )
            if (
                best is None
                or best[0] <= 0
                or cost + per_seat * (sum(extra.values()) + 1) > state.budget_left[year - 1]
            ):
                break
            value += best[0]
            extra[(best[1], best[2])] += 1
        participants = sum(extra.values())
        total_cost = cost + per_seat * participants
        if (
            participants < module.participants_min
            or total_cost > state.budget_left[year - 1]
            or (value <= 0 and not must)
        ):
            return None
        by_segment: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (code, sex), count in extra.items():
            if count:
                by_segment[code][0 if sex == "female" else 1] += count
        seats = tuple(Seats(code, female, male) for code, (female, male) in sorted(by_segment.items()))
        return value / max(total_cost, 1e-9), Session(module.code, location, quarter, origin, seats)

    def add(self, session: Session) -> None:
        state = self.state
        module = self.modules[session.module]
        state.budget_left[year_of(session.quarter) - 1] -= module.cost_per_session[session.location] + (
            module.cost_per_participant[session.location] * session.participants
        )
        state.days[session.quarter] += module.duration_days
        state.at_location[(session.location, session.quarter)] += 1
        state.sessions_of[(session.module, session.quarter)] += 1
        for seat in session.seats:
            for sex, count in (("female", seat.female), ("male", seat.male)):
                state.seats[(session.module, seat.segment, session.quarter, sex)] += count
                for competency in module.competencies:
                    state.trained[(seat.segment, competency, sex)] += count
        state.sessions.append(session)

    def run(self) -> tuple[Session, ...]:
        quarters = range(1, self.parameters.quarters + 1)
        if self.parameters.frontline_year1_seats > 0:
            for segment in self.instance.segments:
                if segment.is_frontline:
                    self._frontline(segment.code)
        dependants: dict[str, list[Module]] = defaultdict(list)
        for module in self.instance.modules:
            for prerequisite in (*module.prerequisites, module.cascade_of):
                if prerequisite:
                    dependants[prerequisite].append(module)
        heap: list[tuple[float, int, str, str, int]] = []
        counter = 0

        def push(module: Module) -> None:
            nonlocal counter
            for location in sorted(module.cost_per_session):
                for quarter in quarters:
                    found = self.candidate(module, location, quarter)
                    if found is not None:
                        counter += 1
                        heapq.heappush(heap, (-found[0], counter, module.code, location, quarter))

        for module in self.instance.modules:
            push(module)
        while heap:
            _ratio, _, module_code, location, quarter = heapq.heappop(heap)
            found = self.candidate(self.modules[module_code], location, quarter)
            if found is None:
                continue
            if heap and found[0] < -heap[0][0] - 1e-12:
                counter += 1
                heapq.heappush(heap, (-found[0], counter, module_code, location, quarter))
                continue
            self.add(found[1])
            counter += 1
            heapq.heappush(heap, (-found[0], counter, module_code, location, quarter))
            for module in dependants[module_code]:
                push(module)
        return tuple(self.state.sessions)

    def _frontline(self, segment_code: str) -> None:
        location = self.segments[segment_code].location
        already = sum(
            count
            for (module_code, code, quarter, _sex), count in self.state.seats.items()
            if code == segment_code
            and quarter <= 4
            and self.modules[module_code].level is ModuleLevel.FOUNDATIONAL
        )
        if already >= self.parameters.frontline_year1_seats:
            return
        options = [
            found
            for module in self.instance.modules
            if module.level is ModuleLevel.FOUNDATIONAL and location in module.cost_per_session
            for quarter in range(1, min(4, self.parameters.quarters) + 1)
            if (found := self.candidate(module, location, quarter, must=segment_code)) is not None
        ]
        if options:
            self.add(max(options, key=lambda item: (item[0], -item[1].quarter))[1])


def greedy_sessions(instance: Instance) -> tuple[Session, ...]:
    return Greedy(instance).run()
