"""The capacity plan as a mixed-integer programme, solved by HiGHS (``highspy``).

Variables (locked sessions are not variables: they are constants, see below):

* ``sessions[m,l,q]`` — integer number of (further) sessions of module *m* at location *l* in quarter *q*.
  Who leads them follows from the module: national trainers for national-only and cascade modules and
  for modules any trainer may lead, international ones for international-only modules. The national
  trainers' share therefore only depends on how many sessions of international-only modules run.
* ``seats[m,s,q]`` — integer seats of segment *s* (at *l*) in those sessions, both sexes together;
* ``female[m,s]`` — integer women's seats of segment *s* in module *m* over the whole plan. Nothing but
  the totals by sex matters (coverage, staff and the women's floor are totals), so the women are spread
  over the quarters' seats only when the sessions are written out;
* ``covered[d,sex,k]`` — people of need *d* covered on diminishing-returns step *k* (continuous).

The objective is the weighted need covered, each step worth ``weight x value_k`` per person; the steps'
values fall, so the LP fills them in order and no binaries are needed for the piecewise-linear returns.
A tiny cost term breaks ties towards the cheaper plan. Each constraint row belongs to a
:class:`ConstraintGroup` (or to none for the structure: seats within sessions, coverage within seats),
which is what :func:`conflicting_groups` relaxes to explain an infeasible instance.

Locked sessions enter every row as constants multiplied by one column ``keep`` that a row of the
``locked_sessions`` group holds at 1: relaxing that group (in the infeasibility diagnosis) drops them.

Tightening: a session count is bounded by the location's sessions per quarter, the trainer-days, the
year's budget and the staff who could fill it; seats are only created for the segments that need what a
module builds (and the prerequisites of those), and not in quarters where a prerequisite cannot have
been taken yet.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ctip.core.planning.evaluate import national_share, women_share_of_need
from ctip.core.planning.model import (
    ConstraintGroup,
    Instance,
    Module,
    ModuleLevel,
    Seats,
    Session,
    TrainerOrigin,
    TrainerProfile,
    year_of,
)

_TIE_BREAK = 1e-4  # the whole cost term is worth at most this much objective per unit of budget
_INF = math.inf

# Called while solving with (seconds, incumbent objective or NaN, best bound or NaN, relative gap or NaN).
Progress = Callable[[float, float, float, float], None]


@dataclass
class _Row:
    lower: float
    upper: float
    terms: dict[int, float]
    group: ConstraintGroup | None


@dataclass
class _Model:
    """Columns and rows in plain lists, passed to HiGHS in one go."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)

    def column(self, cost: float, upper: float, *, integer: bool, lower: float = 0.0) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(
        self,
        terms: dict[int, float],
        *,
        lower: float = -_INF,
        upper: float = _INF,
        group: ConstraintGroup | None,
    ) -> None:
        self.rows.append(_Row(lower, upper, terms, group))


@dataclass
class Formulation:
    """The model and where each decision sits in it."""

    model: _Model
    sessions: dict[tuple[str, str, int], int]  # (module, location, quarter) -> column
    seats: dict[tuple[str, str, int], int]  # (module, segment, quarter) -> column
    female: dict[tuple[str, str], int]  # (module, segment) -> column
    keep: int
    locked: Sequence[Session]
    instance: Instance

    @property
    def sessions_set(self) -> set[int]:
        return set(self.sessions.values())


def _add(terms: dict[int, float], column: int, value: float) -> None:
    terms[column] = terms.get(column, 0.0) + value


def origin_of(module: Module) -> TrainerOrigin:
    """Who leads the optimizer's sessions of ``module``."""
    if module.trainer_profile is TrainerProfile.INTERNATIONAL and not module.cascade_of:
        return TrainerOrigin.INTERNATIONAL
    return TrainerOrigin.NATIONAL


@dataclass
class _Locked:
    """The locked sessions, added up by the keys the rows use."""

    sessions: dict[tuple[str, str, int], int] = field(default_factory=lambda: defaultdict(int))
    international: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # year -> sessions
    seats: dict[tuple[str, str, int], int] = field(default_factory=lambda: defaultdict(int))
    female: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    male: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))


def _relevant(instance: Instance, locked: _Locked) -> set[tuple[str, str]]:
    """(module, segment) pairs that may have seats: the segment needs what the module builds, or is
    frontline and the module foundational, or has locked seats; and the prerequisites of all of these."""
    parameters = instance.parameters
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    needs: dict[str, set[str]] = defaultdict(set)
    for demand in instance.demands:
        if demand.staff > 0 and demand.weight > 0:
            needs[demand.segment].add(demand.competency)
    relevant: set[tuple[str, str]] = set()
    for module in instance.modules:
        for segment in instance.segments:
            if (
                segment.location not in module.cost_per_session
                or segment.staff_female + segment.staff_male == 0
            ):
                continue
            if needs[segment.code] & set(module.competencies) or (
                segment.is_frontline
                and module.level is ModuleLevel.FOUNDATIONAL
                and parameters.frontline_year1_seats > 0
            ):
                relevant.add((module.code, segment.code))
    relevant |= {(module_code, segment_code) for module_code, segment_code, _q in locked.seats}
    pending = list(relevant)
    while pending:
        module_code, segment_code = pending.pop()
        for prerequisite in modules[module_code].prerequisites:
            pair = (prerequisite, segment_code)
            if (
                pair not in relevant
                and segments[segment_code].location in modules[prerequisite].cost_per_session
            ):
                relevant.add(pair)
                pending.append(pair)
    return relevant


def _earliest(instance: Instance) -> dict[str, int]:
    """The first quarter in which a module's seats can be taken: after its prerequisites' first quarter."""
    modules = {module.code: module for module in instance.modules}
    earliest: dict[str, int] = {}

    def first(code: str, seen: frozenset[str]) -> int:
        if code in earliest:
            return earliest[code]
        if code in seen:  # a cycle of prerequisites: nothing can ever start
            return instance.parameters.quarters + 1
        module = modules[code]
        start = 1
        for prerequisite in module.prerequisites:
            start = max(start, first(prerequisite, seen | {code}) + 1)
        if module.cascade_of:
            start = max(start, first(module.cascade_of, seen | {code}) + 1)
        earliest[code] = start
        return start

    for module in instance.modules:
        first(module.code, frozenset())
    return earliest


def formulate(instance: Instance, locked: Sequence[Session] = (), *, whole_seats: bool = True) -> Formulation:
    """Build the MILP for ``instance`` with ``locked`` sessions kept (see the module docstring)."""
    parameters = instance.parameters
    quarters = range(1, parameters.quarters + 1)
    years = range(1, parameters.years + 1)
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    fixed = _Locked()
    for session in locked:
        fixed.sessions[(session.module, session.location, session.quarter)] += 1
        if session.trainer is TrainerOrigin.INTERNATIONAL:
            fixed.international[year_of(session.quarter)] += 1
        for seat in session.seats:
            fixed.seats[(session.module, seat.segment, session.quarter)] += seat.total
            fixed.female[(session.module, seat.segment)] += seat.female
            fixed.male[(session.module, seat.segment)] += seat.male
    relevant = _relevant(instance, fixed)
    earliest = _earliest(instance)
    segments_at: dict[str, list[str]] = defaultdict(list)
    for segment in instance.segments:
        segments_at[segment.location].append(segment.code)

    total_budget = sum(parameters.budget_for_year(year) for year in years)
    cost_weight = _TIE_BREAK / max(total_budget, 1.0)
    model = _Model()
    keep = model.column(0.0, 1.0, integer=False)
    model.row({keep: 1.0}, lower=1.0, group=ConstraintGroup.LOCKED_SESSIONS)

    # Seats: only for relevant pairs, from the module's earliest possible quarter.
    seats: dict[tuple[str, str, int], int] = {}
    female: dict[tuple[str, str], int] = {}
    for module_code, segment_code in sorted(relevant):
        module = modules[module_code]
        segment = segments[segment_code]
        staff = segment.staff_female + segment.staff_male
        per_seat = -cost_weight * module.cost_per_participant[segment.location]
        for quarter in quarters:
            if quarter >= earliest[module_code]:
                seats[(module_code, segment_code, quarter)] = model.column(
                    per_seat, float(staff), integer=whole_seats
                )
        female[(module_code, segment_code)] = model.column(
            0.0, float(segment.staff_female), integer=whole_seats
        )

    # Sessions, bounded by what could fill and pay for them.
    sessions: dict[tuple[str, str, int], int] = {}
    for module in instance.modules:
        for location in sorted(module.cost_per_session):
            pool = sum(
                segments[code].staff_female + segments[code].staff_male
                for code in segments_at[location]
                if (module.code, code) in relevant
            )
            if pool == 0:
                continue
            per_session = module.cost_per_session[location]
            smallest = per_session + module.cost_per_participant[location] * module.participants_min
            for quarter in quarters:
                if quarter < earliest[module.code]:
                    continue
                bound = float(parameters.sessions_per_location_per_quarter)
                bound = min(
                    bound, math.floor(parameters.trainer_days_per_quarter / module.duration_days + 1e-9)
                )
                if smallest > 0:
                    bound = min(
                        bound, math.floor(parameters.budget_for_year(year_of(quarter)) / smallest + 1e-9)
                    )
                if module.participants_min > 0:
                    bound = min(bound, math.floor(pool / module.participants_min))
                if bound <= 0:
                    continue
                sessions[(module.code, location, quarter)] = model.column(
                    -cost_weight * per_session, float(bound), integer=True
                )

    # Seats fill sessions between their minimum and maximum size; seats need a session.
    for (module_code, segment_code, quarter), column in list(seats.items()):
        if (module_code, segments[segment_code].location, quarter) not in sessions:
            model.upper[column] = 0.0
    for (module_code, location, quarter), column in sessions.items():
        module = modules[module_code]
        seat_terms = {
            seats[(module_code, code, quarter)]: 1.0
            for code in segments_at[location]
            if (module_code, code, quarter) in seats
        }
        upper = dict(seat_terms)
        _add(upper, column, -module.participants_max)
        model.row(upper, upper=0.0, group=None)
        # The same for each segment alone (tighter when a segment is smaller than a session).
        for code in segments_at[location]:
            seat_column = seats.get((module_code, code, quarter))
            if seat_column is not None:
                reach = min(segments[code].staff_female + segments[code].staff_male, module.participants_max)
                if reach < module.participants_max:
                    model.row({seat_column: 1.0, column: -float(reach)}, upper=0.0, group=None)
        if module.participants_min > 0:
            lower = dict(seat_terms)
            _add(lower, column, -module.participants_min)
            model.row(lower, lower=0.0, group=None)

    # Seats of each (module, segment) over the plan (a column of its own keeps the rows below short), and
    # a segment cannot send more people to a module than it has staff, by sex.
    totals: dict[tuple[str, str], int] = {}
    for (module_code, segment_code), female_column in female.items():
        segment = segments[segment_code]
        total = model.column(0.0, float(segment.staff_female + segment.staff_male), integer=False)
        totals[(module_code, segment_code)] = total
        terms = {
            seats[(module_code, segment_code, q)]: -1.0
            for q in quarters
            if (module_code, segment_code, q) in seats
        }
        terms[total] = 1.0
        model.row(terms, lower=0.0, upper=0.0, group=None)
        locked_female = fixed.female[(module_code, segment_code)]
        locked_male = fixed.male[(module_code, segment_code)]
        model.row({female_column: 1.0, keep: float(locked_female)}, upper=segment.staff_female, group=None)
        # men = seats - women, within 0 .. the men's staff less the locked men
        model.row({total: 1.0, female_column: -1.0}, lower=0.0, group=None)
        model.row(
            {total: 1.0, female_column: -1.0, keep: float(locked_male)}, upper=segment.staff_male, group=None
        )

    # Coverage of each need by sex, on the diminishing-returns steps.
    covered_by_location: dict[str, dict[int, float]] = defaultdict(dict)
    need_by_location: dict[str, float] = defaultdict(float)
    for demand in instance.demands:
        location = segments[demand.segment].location
        need_by_location[location] += demand.weight * demand.staff
        building = [
            module.code
            for module in instance.modules
            if demand.competency in module.competencies and (module.code, demand.segment) in relevant
        ]
        for sex in ("female", "male"):
            staff = demand.staff_female if sex == "female" else demand.staff_male
            if staff == 0:
                continue
            terms = {}
            low = 0.0
            for step in parameters.return_steps:
                column = model.column(
                    demand.weight * step.value, (step.up_to_share - low) * staff, integer=False
                )
                low = step.up_to_share
                terms[column] = 1.0
                covered_by_location[location][column] = demand.weight
            locked_people = 0
            for module_code in building:
                pair = (module_code, demand.segment)
                if sex == "female":
                    _add(terms, female[pair], -1.0)
                    locked_people += fixed.female[pair]
                else:
                    _add(terms, totals[pair], -1.0)
                    _add(terms, female[pair], 1.0)
                    locked_people += fixed.male[pair]
            if locked_people:
                _add(terms, keep, -float(locked_people))
            model.row(terms, upper=0.0, group=None)

    def locked_cost(year: int) -> float:
        total = 0.0
        for session in locked:
            if year_of(session.quarter) == year:
                module = modules[session.module]
                total += module.cost_per_session[session.location]
                total += module.cost_per_participant[session.location] * session.participants
        return total

    for year in years:
        terms = {keep: locked_cost(year)}
        for (module_code, location, quarter), column in sessions.items():
            if year_of(quarter) == year:
                _add(terms, column, modules[module_code].cost_per_session[location])
        for (module_code, segment_code, quarter), column in seats.items():
            if year_of(quarter) == year:
                _add(
                    terms, column, modules[module_code].cost_per_participant[segments[segment_code].location]
                )
        model.row(terms, upper=parameters.budget_for_year(year), group=ConstraintGroup.BUDGET)

    for quarter in quarters:
        days = {
            keep: sum(
                modules[session.module].duration_days for session in locked if session.quarter == quarter
            )
        }
        per_location: dict[str, dict[int, float]] = defaultdict(dict)
        for (module_code, location, session_quarter), column in sessions.items():
            if session_quarter == quarter:
                _add(days, column, modules[module_code].duration_days)
                _add(per_location[location], column, 1.0)
        for session in locked:
            if session.quarter == quarter:
                _add(per_location[session.location], keep, 1.0)
        model.row(days, upper=parameters.trainer_days_per_quarter, group=ConstraintGroup.TRAINERS)
        for location_terms in per_location.values():
            model.row(
                location_terms,
                upper=parameters.sessions_per_location_per_quarter,
                group=ConstraintGroup.LOCATION_CAPACITY,
            )

    # Prerequisites: by each quarter, a segment's seats in a module never exceed its seats in each
    # prerequisite in earlier quarters (both sexes together).
    for module_code, segment_code in sorted(relevant):
        for prerequisite in modules[module_code].prerequisites:
            taken: dict[int, float] = {}
            for quarter in quarters:
                own = seats.get((module_code, segment_code, quarter))
                if own is not None:
                    _add(taken, own, 1.0)
                _add(taken, keep, float(fixed.seats[(module_code, segment_code, quarter)]))
                prior = seats.get((prerequisite, segment_code, quarter - 1))
                if prior is not None:
                    _add(taken, prior, -1.0)
                _add(taken, keep, -float(fixed.seats[(prerequisite, segment_code, quarter - 1)]))
                if own is not None or fixed.seats[(module_code, segment_code, quarter)]:
                    model.row(dict(taken), upper=0.0, group=ConstraintGroup.PREREQUISITE)
    # Cascades: national trainers trained in earlier ToT sessions lead the cascade module's sessions.
    ratio = float(parameters.cascade_sessions_per_tot_session)
    for module in instance.modules:
        if not module.cascade_of:
            continue
        tot: dict[int, float] = {}
        for quarter in quarters:
            terms = {
                column: 1.0 for key, column in sessions.items() if key[0] == module.code and key[2] == quarter
            }
            locked_here = sum(
                count for key, count in fixed.sessions.items() if key[0] == module.code and key[2] == quarter
            )
            runs = bool(terms) or locked_here > 0
            for column, value in tot.items():
                _add(terms, column, value)
            _add(terms, keep, float(locked_here))
            if runs:
                model.row(terms, upper=0.0, group=ConstraintGroup.PREREQUISITE)
            for key, column in sessions.items():
                if key[0] == module.cascade_of and key[2] == quarter:
                    _add(tot, column, -ratio)
            locked_tot = sum(
                count
                for key, count in fixed.sessions.items()
                if key[0] == module.cascade_of and key[2] == quarter
            )
            _add(tot, keep, -ratio * locked_tot)

    if parameters.frontline_year1_seats > 0:
        for segment in instance.segments:
            if not segment.is_frontline:
                continue
            terms = {
                column: 1.0
                for (module_code, segment_code, quarter), column in seats.items()
                if segment_code == segment.code
                and quarter <= 4
                and modules[module_code].level is ModuleLevel.FOUNDATIONAL
            }
            locked_seats = sum(
                count
                for (module_code, segment_code, quarter), count in fixed.seats.items()
                if segment_code == segment.code
                and quarter <= 4
                and modules[module_code].level is ModuleLevel.FOUNDATIONAL
            )
            _add(terms, keep, float(locked_seats))
            needed = min(parameters.frontline_year1_seats, segment.staff_female + segment.staff_male)
            model.row(terms, lower=needed, group=ConstraintGroup.FRONTLINE_YEAR1)

    for location, weighted_need in need_by_location.items():
        floor = parameters.need_floor(location) * weighted_need
        if floor > 0:
            model.row(
                dict(covered_by_location[location]), lower=floor, group=ConstraintGroup.LOCATION_NEED_FLOOR
            )

    women = parameters.women_seat_factor * women_share_of_need(instance)
    if women > 0:
        terms = {}
        for column in female.values():
            _add(terms, column, 1.0)
        for column in totals.values():
            _add(terms, column, -women)
        locked_women = sum(fixed.female.values())
        locked_all = locked_women + sum(fixed.male.values())
        _add(terms, keep, locked_women - women * locked_all)
        model.row(terms, lower=0.0, group=ConstraintGroup.WOMEN_SEATS)

    for year in years:
        share = national_share(instance, year)
        if share <= 0:
            continue
        terms = {}
        locked_national = sum(
            1 for s in locked if year_of(s.quarter) == year and s.trainer is TrainerOrigin.NATIONAL
        )
        for key, column in sessions.items():
            if year_of(key[2]) == year:
                national = origin_of(modules[key[0]]) is TrainerOrigin.NATIONAL
                _add(terms, column, (1.0 - share) if national else -share)
        _add(terms, keep, (1.0 - share) * locked_national - share * fixed.international[year])
        model.row(terms, lower=0.0, group=ConstraintGroup.NATIONAL_TRAINERS)

    return Formulation(model, sessions, seats, female, keep, locked, instance)


def plan_columns(formulation: Formulation, plan: Sequence[Session]) -> dict[int, float] | None:
    """The session, seat and women's-seat columns of ``plan`` (e.g. the greedy one), to start a solve
    from; None if the model cannot hold the plan. HiGHS works out the other columns itself."""
    modules = {module.code: module for module in formulation.instance.modules}
    values: dict[int, float] = {formulation.keep: 1.0}
    for column in (*formulation.sessions.values(), *formulation.seats.values(), *formulation.female.values()):
        values[column] = 0.0
    for session in plan:
        key = (session.module, session.location, session.quarter)
        if key not in formulation.sessions or origin_of(modules[session.module]) is not session.trainer:
            return None
        values[formulation.sessions[key]] += 1.0
        for seat in session.seats:
            seat_key = (session.module, seat.segment, session.quarter)
            pair = (session.module, seat.segment)
            if seat_key not in formulation.seats or pair not in formulation.female:
                return None
            values[formulation.seats[seat_key]] += seat.total
            values[formulation.female[pair]] += seat.female
    model = formulation.model
    if any(value > model.upper[column] + 1e-9 for column, value in values.items()):
        return None
    return values


def sessions_from(formulation: Formulation, values: Sequence[float]) -> tuple[Session, ...]:
    """Turn session counts and seats into individual sessions: locked ones as given, the rest evenly filled."""
    instance = formulation.instance
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    quarters = range(1, instance.parameters.quarters + 1)
    # Women's seats of each (module, segment), spread over its quarters in order.
    by_quarter: dict[tuple[str, str, int], tuple[int, int]] = {}
    for (module_code, segment_code), column in formulation.female.items():
        women = round(values[column])
        for quarter in quarters:
            seat_column = formulation.seats.get((module_code, segment_code, quarter))
            total = round(values[seat_column]) if seat_column is not None else 0
            if total <= 0:
                continue
            here = min(women, total)
            women -= here
            by_quarter[(module_code, segment_code, quarter)] = (here, total - here)
    result: list[Session] = list(formulation.locked)
    for (module_code, location, quarter), column in sorted(formulation.sessions.items()):
        count = round(values[column])
        if count <= 0:
            continue
        pool = [
            (code, *by_quarter[(module_code, code, quarter)])
            for code in sorted(segments)
            if segments[code].location == location and (module_code, code, quarter) in by_quarter
        ]
        result.extend(_fill(modules[module_code], location, quarter, count, pool))
    return tuple(result)


def _fill(
    module: Module, location: str, quarter: int, count: int, pool: list[tuple[str, int, int]]
) -> list[Session]:
    """``count`` sessions sharing the seats of ``pool`` ((segment, women, men)) as evenly as possible."""
    queue: list[tuple[str, int, int]] = []  # (segment, sex index, people)
    for code, women, men in pool:
        if women:
            queue.append((code, 0, women))
        if men:
            queue.append((code, 1, men))
    total = sum(people for _code, _sex, people in queue)
    sizes = [total // count + (1 if index < total % count else 0) for index in range(count)]
    origin = origin_of(module)
    result = []
    for size in sizes:
        taken: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        while size > 0 and queue:
            code, sex, people = queue[0]
            used = min(size, people)
            taken[code][sex] += used
            size -= used
            if used == people:
                queue.pop(0)
            else:
                queue[0] = (code, sex, people - used)
        seats = tuple(Seats(code, women, men) for code, (women, men) in sorted(taken.items()))
        result.append(Session(module.code, location, quarter, origin, seats))
    return result
