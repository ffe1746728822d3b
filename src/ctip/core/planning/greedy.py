"""The greedy baseline: add, one at a time, the session with the most need covered per unit of cost.

Each candidate session (module × location × quarter) is filled with the most valuable seats available —
within the segment's staff, its prerequisites, the year's budget and the women's share of seats — and
added only if it keeps every upper limit: the budget, the trainer-days, the sessions per location, the
minimum size, the cascade rule and the national trainers' share. Sessions are led by national trainers
whenever the module allows it. Floors come first, in this order: frontline segments get their year-1
foundational seats, then each location below its share of need covered gets its best sessions until it
reaches it. The greedy never looks ahead: a plan that still misses a floor says so in :attr:`Plan.notes`.

Candidates are kept in a heap with their last known ratio ("lazy" greedy): a candidate's ratio only
falls as needs get covered and resources get used, except when a prerequisite is newly taught or a
national session makes room for an international one; the whole pass is therefore repeated until it
adds nothing. Seats are taken in blocks over which their value stays the same.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from ctip.core.planning.evaluate import national_share, step_value, women_share_of_need
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

_SEXES = (0, 1)  # female, male
_MAX_PASSES = 4


@dataclass
class _Need:
    weight: float
    staff: tuple[int, int]
    location: str


class Greedy:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.parameters = parameters = instance.parameters
        self.quarters = parameters.quarters
        self.modules = {module.code: module for module in instance.modules}
        self.segments = {segment.code: segment for segment in instance.segments}
        self.needs: dict[tuple[str, str], _Need] = {
            (demand.segment, demand.competency): _Need(
                demand.weight,
                (demand.staff_female, demand.staff_male),
                self.segments[demand.segment].location,
            )
            for demand in instance.demands
        }
        self.segments_at: dict[str, list[str]] = defaultdict(list)
        for segment in instance.segments:
            self.segments_at[segment.location].append(segment.code)
        self.budget_left = [parameters.budget_for_year(year) for year in range(1, parameters.years + 1)]
        self.days = [0.0] * (self.quarters + 1)
        self.at_location: dict[tuple[str, int], int] = defaultdict(int)
        # (module, segment) -> seats per quarter (index 0 unused), both sexes
        self.seats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (self.quarters + 1))
        self.seats_by_sex: dict[tuple[str, str, int], int] = defaultdict(int)
        self.trained: dict[tuple[str, str, int], int] = defaultdict(int)  # (segment, competency, sex)
        self.sessions_in: dict[str, list[int]] = defaultdict(lambda: [0] * (self.quarters + 1))
        self.national = [0] * (parameters.years + 1)
        self.total = [0] * (parameters.years + 1)
        self.women = 0
        self.all_seats = 0
        self.women_target = parameters.women_seat_factor * women_share_of_need(instance)
        self.need_met: dict[str, float] = defaultdict(float)
        self.need_total: dict[str, float] = defaultdict(float)
        for need in self.needs.values():
            self.need_total[need.location] += need.weight * sum(need.staff)
        self.sessions: list[Session] = []
        self._takers_cache: dict[tuple[str, str], list[str]] = {}
        self.dependants: dict[str, list[Module]] = defaultdict(list)
        for module in instance.modules:
            for prerequisite in {*module.prerequisites, module.cascade_of} - {""}:
                self.dependants[prerequisite].append(module)

    # --- seat values ---------------------------------------------------------------------------------

    def _marginal(self, module: Module, code: str, sex: int, extra: int) -> tuple[float, int]:
        """Value of the next seat of ``code``/``sex`` in ``module`` and how many more seats keep it."""
        steps = self.parameters.return_steps
        value = 0.0
        run = math.inf
        for competency in module.competencies:
            need = self.needs.get((code, competency))
            if need is None or need.weight <= 0:
                continue
            staff = need.staff[sex]
            now = self.trained[(code, competency, sex)] + extra
            if now >= staff:
                continue
            value += need.weight * (step_value(steps, staff, now + 1) - step_value(steps, staff, now))
            low = 0.0
            for step in steps:
                high = step.up_to_share * staff
                if now < high:
                    start, end = math.ceil(low - 1e-9), math.floor(high + 1e-9)
                    run = min(run, end - now if start <= now < end else 1)
                    break
                low = high
        return value, int(min(run, 1 << 30))

    def _prerequisite_room(self, module: Module, code: str, quarter: int) -> int:
        segment = self.segments[code]
        room = segment.staff_female + segment.staff_male
        own = self.seats[(module.code, code)]
        for prerequisite in module.prerequisites:
            before = self.seats[(prerequisite, code)]
            taken = sum(own[1:quarter])
            earlier = sum(before[1:quarter])
            for later in range(quarter, self.quarters + 1):
                taken += own[later]
                room = min(room, earlier - taken)
                earlier += before[later]
        return max(room, 0)

    def _takers(self, module: Module, location: str, must: str) -> list[str]:
        """Segments at ``location`` whose needs ``module`` serves (and ``must``, if given)."""
        key = (module.code, location)
        if key not in self._takers_cache:
            self._takers_cache[key] = [
                code
                for code in self.segments_at[location]
                if any(
                    (need := self.needs.get((code, competency))) is not None and need.weight > 0
                    for competency in module.competencies
                )
            ]
        found = self._takers_cache[key]
        return [*found, must] if must and must not in found else found

    def _origin(self, module: Module, quarter: int) -> TrainerOrigin | None:
        year = year_of(quarter)
        if module.cascade_of:
            earlier = sum(self.sessions_in[module.cascade_of][1:quarter])
            if (
                self.sessions_in[module.code][quarter] + 1
                > self.parameters.cascade_sessions_per_tot_session * earlier
            ):
                return None
            return TrainerOrigin.NATIONAL
        if module.trainer_profile is TrainerProfile.INTERNATIONAL:
            if self.national[year] < national_share(self.instance, year) * (self.total[year] + 1) - 1e-9:
                return None
            return TrainerOrigin.INTERNATIONAL
        return TrainerOrigin.NATIONAL

    def candidate(
        self, module: Module, location: str, quarter: int, *, must: str = ""
    ) -> tuple[float, float, Session] | None:
        """The best filling of one more session: (value per unit of cost, value, session), or None."""
        parameters = self.parameters
        origin = self._origin(module, quarter)
        year = year_of(quarter)
        if (
            origin is None
            or self.days[quarter] + module.duration_days > parameters.trainer_days_per_quarter + 1e-9
            or self.at_location[(location, quarter)] >= parameters.sessions_per_location_per_quarter
        ):
            return None
        per_seat = module.cost_per_participant[location]
        cost = module.cost_per_session[location]
        budget = self.budget_left[year - 1]
        if cost + per_seat * module.participants_min > budget + 1e-9:
            return None
        seat_budget = module.participants_max if per_seat <= 0 else int((budget - cost) / per_seat + 1e-9)
        capacity = min(module.participants_max, seat_budget)
        extra: dict[tuple[str, int], int] = defaultdict(int)
        room: dict[tuple[str, int], int] = {}
        together: dict[str, int] = {}
        for code in self._takers(module, location, must):
            together[code] = self._prerequisite_room(module, code, quarter)
            segment = self.segments[code]
            for sex, staff in ((0, segment.staff_female), (1, segment.staff_male)):
                room[(code, sex)] = max(staff - self.seats_by_sex[(module.code, code, sex)], 0)
        women, everyone = self.women, self.all_seats
        target = self.women_target
        value = 0.0
        taken = 0

        def take(code: str, sex: int, count: int, worth: float) -> None:
            nonlocal value, taken, women, everyone
            extra[(code, sex)] += count
            value += worth * count
            taken += count
            everyone += count
            if sex == 0:
                women += count

        def men_allowed() -> int:
            if target <= 0:
                return 1 << 30
            return max(math.floor(women / target - everyone + 1e-9), 0) if target < 1 else 0

        def free(code: str, sex: int) -> int:
            used = extra[(code, 0)] + extra[(code, 1)]
            return min(room[(code, sex)] - extra[(code, sex)], together[code] - used)

        if must:
            needed = min(
                parameters.frontline_year1_seats,
                self.segments[must].staff_female + self.segments[must].staff_male,
            )
            for sex in _SEXES:
                count = min(needed, free(must, sex), capacity - taken)
                if sex == 1:
                    count = min(count, men_allowed())
                if count > 0:
                    worth, _run = self._marginal(module, must, sex, extra[(must, sex)])
                    take(must, sex, count, worth)
                    needed -= count
            if needed > 0:
                return None
        heap: list[tuple[float, str, int, int]] = []
        for code, sex in room:
            if free(code, sex) > 0:
                worth, run = self._marginal(module, code, sex, extra[(code, sex)])
                if worth > 0:
                    heap.append((-worth, code, sex, run))
        heapq.heapify(heap)
        waiting: list[tuple[float, str, int, int]] = []  # men set aside until more women come
        while heap and taken < capacity:
            negative, code, sex, run = heapq.heappop(heap)
            count = min(run, free(code, sex), capacity - taken)
            if sex == 1:
                allowed = men_allowed()
                if allowed <= 0:
                    waiting.append((negative, code, sex, run))
                    continue
                count = min(count, allowed)
            if count <= 0:
                continue
            take(code, sex, count, -negative)
            if sex == 0:
                for item in waiting:
                    heapq.heappush(heap, item)
                waiting.clear()
            if free(code, sex) > 0:
                worth, run = self._marginal(module, code, sex, extra[(code, sex)])
                if worth > 0:
                    heapq.heappush(heap, (-worth, code, sex, run))
        if taken < module.participants_min or (value <= 0 and not must):
            return None
        total_cost = cost + per_seat * taken
        by_segment: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (code, sex), count in extra.items():
            if count:
                by_segment[code][sex] += count
        seats = tuple(Seats(code, female, male) for code, (female, male) in sorted(by_segment.items()))
        ratio = value / total_cost if total_cost > 0 else value * 1e12
        return ratio, value, Session(module.code, location, quarter, origin, seats)

    def add(self, session: Session) -> None:
        module = self.modules[session.module]
        year = year_of(session.quarter)
        self.budget_left[year - 1] -= module.cost_per_session[session.location] + (
            module.cost_per_participant[session.location] * session.participants
        )
        self.days[session.quarter] += module.duration_days
        self.at_location[(session.location, session.quarter)] += 1
        self.sessions_in[session.module][session.quarter] += 1
        self.total[year] += 1
        if session.trainer is TrainerOrigin.NATIONAL:
            self.national[year] += 1
        for seat in session.seats:
            self.seats[(session.module, seat.segment)][session.quarter] += seat.total
            for sex, count in ((0, seat.female), (1, seat.male)):
                self.seats_by_sex[(session.module, seat.segment, sex)] += count
                for competency in module.competencies:
                    need = self.needs.get((seat.segment, competency))
                    key = (seat.segment, competency, sex)
                    if need is not None:
                        before = min(self.trained[key], need.staff[sex])
                        after = min(self.trained[key] + count, need.staff[sex])
                        self.need_met[need.location] += need.weight * (after - before)
                    self.trained[key] += count
            self.women += seat.female
            self.all_seats += seat.total
        self.sessions.append(session)

    # --- the passes ----------------------------------------------------------------------------------

    def _options(self, location: str | None = None) -> list[tuple[Module, str, int]]:
        return [
            (module, place, quarter)
            for module in self.instance.modules
            for place in sorted(module.cost_per_session)
            if location is None or place == location
            for quarter in range(1, self.quarters + 1)
        ]

    def _floors(self) -> None:
        if self.parameters.frontline_year1_seats > 0:
            for segment in self.instance.segments:
                if segment.is_frontline:
                    self._frontline(segment.code)
        for location in sorted(self.need_total):
            floor = self.parameters.need_floor(location) * self.need_total[location]
            while self.need_met[location] < floor - 1e-9:
                found = [
                    option
                    for module, place, quarter in self._options(location)
                    if (option := self.candidate(module, place, quarter)) is not None
                ]
                if not found:
                    break
                self.add(max(found, key=lambda item: (item[0], -item[2].quarter))[2])

    def _frontline(self, code: str) -> None:
        location = self.segments[code].location
        already = sum(
            sum(quarters[1:5])
            for (module_code, segment_code), quarters in self.seats.items()
            if segment_code == code and self.modules[module_code].level is ModuleLevel.FOUNDATIONAL
        )
        if already >= self.parameters.frontline_year1_seats:
            return
        options = [
            found
            for module in self.instance.modules
            if module.level is ModuleLevel.FOUNDATIONAL and location in module.cost_per_session
            for quarter in range(1, min(4, self.quarters) + 1)
            if (found := self.candidate(module, location, quarter, must=code)) is not None
        ]
        if options:
            self.add(max(options, key=lambda item: (item[0], -item[2].quarter))[2])

    def _pass(self) -> int:
        heap: list[tuple[float, int, str, str, int]] = []
        for counter, (module, location, quarter) in enumerate(self._options()):
            found = self.candidate(module, location, quarter)
            if found is not None:
                heap.append((-found[0], counter, module.code, location, quarter))
        heapq.heapify(heap)
        counter = len(heap)
        added = 0
        while heap:
            _ratio, _, module_code, location, quarter = heapq.heappop(heap)
            found = self.candidate(self.modules[module_code], location, quarter)
            if found is None:
                continue
            if heap and found[0] < -heap[0][0] - 1e-12:
                counter += 1
                heapq.heappush(heap, (-found[0], counter, module_code, location, quarter))
                continue
            self.add(found[2])
            added += 1
            counter += 1
            heapq.heappush(heap, (-found[0], counter, module_code, location, quarter))
            # Modules that need this one (or, for an international-only module, room in the national
            # trainers' share) may have become possible: queue them again.
            for module in self.dependants[module_code]:
                for place in sorted(module.cost_per_session):
                    for later in range(quarter + 1, self.quarters + 1):
                        counter += 1
                        heapq.heappush(heap, (-math.inf, counter, module.code, place, later))
        return added

    def run(self) -> tuple[Session, ...]:
        self._floors()
        for _ in range(_MAX_PASSES):
            if not self._pass():
                break
        return tuple(self.sessions)


def greedy_sessions(instance: Instance) -> tuple[Session, ...]:
    return Greedy(instance).run()
