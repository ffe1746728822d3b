"""The capacity plan as a mixed-integer programme, solved by HiGHS (``highspy``).

Variables, per module *m* offered at location *l*, quarter *q*:

* ``national[m,l,q]``, ``international[m,l,q]`` — integer numbers of sessions by trainer origin;
* ``seats[m,s,q,sex]`` — integer seats for segment *s* (at *l*), by sex;
* ``covered[d,sex,k]`` — people of need *d* covered on diminishing-returns step *k* (continuous).

The objective is the weighted need covered, each step worth ``weight x value_k`` per person; the steps'
values fall, so the LP fills them in order and no binaries are needed for the piecewise-linear returns.
A tiny cost term breaks ties towards the cheaper plan. Each constraint row belongs to a
:class:`ConstraintGroup` (or to none for the structure: seats within sessions, coverage within seats),
which is what :func:`conflicting_groups` relaxes to explain an infeasible instance.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from ctip.core.planning.evaluate import national_share, women_share_of_need
from ctip.core.planning.model import (
    ConstraintGroup,
    Instance,
    ModuleLevel,
    Seats,
    Session,
    TrainerOrigin,
    TrainerProfile,
    year_of,
)

_SEXES = ("female", "male")
_TIE_BREAK = 1e-4  # the whole cost term is worth at most this much objective per unit of budget
_INF = math.inf
SEATS_INTEGER = False


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
    national: dict[tuple[str, str, int], int]
    international: dict[tuple[str, str, int], int]
    seats: dict[tuple[str, str, int, str], int]
    locked: Sequence[Session]
    segment_locations: dict[str, str]


def _add(terms: dict[int, float], column: int, value: float) -> None:
    terms[column] = terms.get(column, 0.0) + value


def formulate(instance: Instance, locked: Sequence[Session] = ()) -> Formulation:
    """Build the MILP for ``instance`` with ``locked`` sessions kept (see the module docstring)."""
    parameters = instance.parameters
    quarters = range(1, parameters.quarters + 1)
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    demands_of: dict[str, set[str]] = defaultdict(set)
    for demand in instance.demands:
        demands_of[demand.segment].add(demand.competency)
    locked_sessions: dict[tuple[str, str, int, TrainerOrigin], int] = defaultdict(int)
    locked_seats: dict[tuple[str, str, int, str], int] = defaultdict(int)
    for session in locked:
        locked_sessions[(session.module, session.location, session.quarter, session.trainer)] += 1
        for seat in session.seats:
            locked_seats[(session.module, seat.segment, session.quarter, "female")] += seat.female
            locked_seats[(session.module, seat.segment, session.quarter, "male")] += seat.male

    # Which segments may sit in which modules: those that need a competency it builds, frontline segments
    # in foundational modules, locked seats, and then the prerequisites of all of these.
    relevant: set[tuple[str, str]] = set()
    for module in instance.modules:
        for segment in instance.segments:
            if segment.location not in module.cost_per_session:
                continue
            if demands_of[segment.code] & set(module.competencies) or (
                segment.is_frontline
                and module.level is ModuleLevel.FOUNDATIONAL
                and parameters.frontline_year1_seats > 0
            ):
                relevant.add((module.code, segment.code))
    relevant |= {(key[0], key[1]) for key in locked_seats}
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

    total_budget = sum(parameters.budget_for_year(year) for year in range(1, parameters.years + 1))
    cost_weight = _TIE_BREAK / max(total_budget, 1.0)
    model = _Model()
    national: dict[tuple[str, str, int], int] = {}
    international: dict[tuple[str, str, int], int] = {}
    for module in instance.modules:
        for location in sorted(module.cost_per_session):
            for quarter in quarters:
                key = (module.code, location, quarter)
                cap = float(parameters.sessions_per_location_per_quarter)
                session_cost = -cost_weight * module.cost_per_session[location]
                may_national = module.trainer_profile is not TrainerProfile.INTERNATIONAL
                may_international = (
                    module.trainer_profile is not TrainerProfile.NATIONAL and not module.cascade_of
                )
                locked_national = locked_sessions[(*key, TrainerOrigin.NATIONAL)]
                locked_international = locked_sessions[(*key, TrainerOrigin.INTERNATIONAL)]
                national[key] = model.column(
                    session_cost, max(cap, locked_national) if may_national else locked_national, integer=True
                )
                international[key] = model.column(
                    session_cost,
                    max(cap, locked_international) if may_international else locked_international,
                    integer=True,
                )
    seats: dict[tuple[str, str, int, str], int] = {}
    for module_code, segment_code in sorted(relevant):
        module = modules[module_code]
        segment = segments[segment_code]
        for quarter in quarters:
            for sex in _SEXES:
                staff = segment.staff_female if sex == "female" else segment.staff_male
                cost = -cost_weight * module.cost_per_participant[segment.location]
                seats[(module_code, segment_code, quarter, sex)] = model.column(
                    cost, float(staff), integer=SEATS_INTEGER
                )

    # A segment cannot send more people to a module than it has staff.
    for module_code, segment_code in relevant:
        for sex in _SEXES:
            staff = (
                segments[segment_code].staff_female if sex == "female" else segments[segment_code].staff_male
            )
            model.row(
                {seats[(module_code, segment_code, q, sex)]: 1.0 for q in quarters}, upper=staff, group=None
            )

    # Seats fill sessions between their minimum and maximum size (locked sessions counted apart, so the
    # remaining sessions can be filled on their own).
    segments_at: dict[str, list[str]] = defaultdict(list)
    for segment in instance.segments:
        segments_at[segment.location].append(segment.code)
    for (module_code, location, quarter), national_column in national.items():
        module = modules[module_code]
        international_column = international[(module_code, location, quarter)]
        fixed_sessions = sum(
            locked_sessions[(module_code, location, quarter, origin)] for origin in TrainerOrigin
        )
        fixed_seats = sum(
            locked_seats[(module_code, segment_code, quarter, sex)]
            for segment_code in segments_at[location]
            for sex in _SEXES
        )
        seat_terms = {
            seats[(module_code, segment_code, quarter, sex)]: 1.0
            for segment_code in segments_at[location]
            for sex in _SEXES
            if (module_code, segment_code, quarter, sex) in seats
        }
        upper = dict(seat_terms)
        _add(upper, national_column, -module.participants_max)
        _add(upper, international_column, -module.participants_max)
        model.row(upper, upper=fixed_seats - module.participants_max * fixed_sessions, group=None)
        lower = dict(seat_terms)
        _add(lower, national_column, -module.participants_min)
        _add(lower, international_column, -module.participants_min)
        model.row(lower, lower=fixed_seats - module.participants_min * fixed_sessions, group=None)

    # Coverage of each need by sex, on the diminishing-returns steps.
    covered_by_location: dict[str, dict[int, float]] = defaultdict(dict)
    need_by_location: dict[str, float] = defaultdict(float)
    for demand in instance.demands:
        location = segments[demand.segment].location
        need_by_location[location] += demand.weight * demand.staff
        for sex in _SEXES:
            staff = demand.staff_female if sex == "female" else demand.staff_male
            terms: dict[int, float] = {}
            low = 0.0
            for step in parameters.return_steps:
                column = model.column(
                    demand.weight * step.value, (step.up_to_share - low) * staff, integer=False
                )
                low = step.up_to_share
                terms[column] = 1.0
                covered_by_location[location][column] = demand.weight
            for module in instance.modules:
                if demand.competency in module.competencies:
                    for quarter in quarters:
                        seat_key = (module.code, demand.segment, quarter, sex)
                        if seat_key in seats:
                            _add(terms, seats[seat_key], -1.0)
            model.row(terms, upper=0.0, group=None)

    for year in range(1, parameters.years + 1):
        terms = {}
        for (module_code, location, quarter), column in national.items():
            if year_of(quarter) == year:
                per_session = modules[module_code].cost_per_session[location]
                _add(terms, column, per_session)
                _add(terms, international[(module_code, location, quarter)], per_session)
        for (module_code, segment_code, quarter, _sex), column in seats.items():
            if year_of(quarter) == year:
                _add(
                    terms, column, modules[module_code].cost_per_participant[segments[segment_code].location]
                )
        model.row(terms, upper=parameters.budget_for_year(year), group=ConstraintGroup.BUDGET)

    for quarter in quarters:
        terms = {}
        per_location: dict[str, dict[int, float]] = defaultdict(dict)
        for (module_code, location, session_quarter), column in national.items():
            if session_quarter != quarter:
                continue
            for origin_column in (column, international[(module_code, location, quarter)]):
                _add(terms, origin_column, modules[module_code].duration_days)
                _add(per_location[location], origin_column, 1.0)
        model.row(terms, upper=parameters.trainer_days_per_quarter, group=ConstraintGroup.TRAINERS)
        for location_terms in per_location.values():
            model.row(
                location_terms,
                upper=parameters.sessions_per_location_per_quarter,
                group=ConstraintGroup.LOCATION_CAPACITY,
            )

    # Prerequisites: by each quarter, a segment's seats in a module never exceed its seats in each
    # prerequisite in earlier quarters (both sexes together, to keep the model small).
    for module_code, segment_code in sorted(relevant):
        for prerequisite in modules[module_code].prerequisites:
            for quarter in quarters:
                terms = {}
                for earlier in range(1, quarter + 1):
                    for sex in _SEXES:
                        _add(terms, seats[(module_code, segment_code, earlier, sex)], 1.0)
                        prior = (prerequisite, segment_code, earlier - 1, sex)
                        if prior in seats:
                            _add(terms, seats[prior], -1.0)
                model.row(terms, upper=0.0, group=ConstraintGroup.PREREQUISITE)
    # Cascades: national trainers trained in earlier ToT sessions lead the cascade module's sessions.
    for module in instance.modules:
        if not module.cascade_of:
            continue
        for quarter in quarters:
            terms = {}
            for (module_code, _location, session_quarter), column in national.items():
                if module_code == module.code and session_quarter == quarter:
                    _add(terms, column, 1.0)
                    _add(terms, international[(module_code, _location, session_quarter)], 1.0)
                if module_code == module.cascade_of and session_quarter < quarter:
                    _add(terms, column, -parameters.cascade_sessions_per_tot_session)
                    _add(
                        terms,
                        international[(module_code, _location, session_quarter)],
                        -parameters.cascade_sessions_per_tot_session,
                    )
            model.row(terms, upper=0.0, group=ConstraintGroup.PREREQUISITE)

    if parameters.frontline_year1_seats > 0:
        for segment in instance.segments:
            if not segment.is_frontline:
                continue
            terms = {
                column: 1.0
                for (module_code, segment_code, quarter, _sex), column in seats.items()
                if segment_code == segment.code
                and quarter <= 4
                and modules[module_code].level is ModuleLevel.FOUNDATIONAL
            }
            needed = min(parameters.frontline_year1_seats, segment.staff_female + segment.staff_male)
            model.row(terms, lower=needed, group=ConstraintGroup.FRONTLINE_YEAR1)

    for location, total in need_by_location.items():
        floor = parameters.need_floor(location) * total
        if floor > 0:
            model.row(covered_by_location[location], lower=floor, group=ConstraintGroup.LOCATION_NEED_FLOOR)

    women = parameters.women_seat_factor * women_share_of_need(instance)
    if women > 0:
        terms = {column: (1.0 - women) if key[3] == "female" else -women for key, column in seats.items()}
        model.row(terms, lower=0.0, group=ConstraintGroup.WOMEN_SEATS)

    for year in range(2, parameters.years + 1):
        share = national_share(instance, year)
        if share <= 0:
            continue
        terms = {}
        for key, column in national.items():
            if year_of(key[2]) == year:
                _add(terms, column, 1.0 - share)
                _add(terms, international[key], -share)
        model.row(terms, lower=0.0, group=ConstraintGroup.NATIONAL_TRAINERS)

    # Locked sessions and their seats stay (rows rather than bounds, so that the infeasibility diagnosis
    # can name them).
    for (module_code, location, quarter, origin), count in locked_sessions.items():
        columns = national if origin is TrainerOrigin.NATIONAL else international
        model.row(
            {columns[(module_code, location, quarter)]: 1.0},
            lower=count,
            group=ConstraintGroup.LOCKED_SESSIONS,
        )
    for seat_key, count in locked_seats.items():
        if count:
            model.row({seats[seat_key]: 1.0}, lower=count, group=ConstraintGroup.LOCKED_SESSIONS)
    return Formulation(
        model,
        national,
        international,
        seats,
        locked,
        {code: segment.location for code, segment in segments.items()},
    )


def _highs(model: _Model, *, maximise: bool, time_limit: float, mip_gap: float) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    highs.setOptionValue("random_seed", 0)
    count = len(model.cost)
    highs.addVars(count, np.array(model.lower, dtype=np.float64), np.array(model.upper, dtype=np.float64))
    highs.changeColsCost(count, np.arange(count, dtype=np.int32), np.array(model.cost, dtype=np.float64))
    integer = [index for index, flag in enumerate(model.integer) if flag]
    if integer:
        highs.changeColsIntegrality(
            len(integer), np.array(integer, dtype=np.int32), np.ones(len(integer), dtype=np.uint8)
        )
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    for row in model.rows:
        starts.append(len(indices))
        for column, value in row.terms.items():
            if value != 0.0:
                indices.append(column)
                values.append(value)
    infinity = highs.getInfinity()
    highs.addRows(
        len(model.rows),
        np.array([max(row.lower, -infinity) for row in model.rows], dtype=np.float64),
        np.array([min(row.upper, infinity) for row in model.rows], dtype=np.float64),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    return highs


@dataclass(frozen=True)
class Solved:
    status: str  # "optimal", "feasible", "infeasible"
    values: list[float]
    gap: float
    seconds: float


def run(formulation: Formulation, *, time_limit: float, mip_gap: float) -> Solved:
    highs = _highs(formulation.model, maximise=True, time_limit=time_limit, mip_gap=mip_gap)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kOptimal:
        verdict = "optimal"
    elif has_solution:
        verdict = "feasible"
    else:
        verdict = "infeasible" if status == highspy.HighsModelStatus.kInfeasible else "no_solution"
    values = list(highs.getSolution().col_value) if has_solution else []
    gap = float(info.mip_gap) if has_solution and math.isfinite(info.mip_gap) else 0.0
    return Solved(verdict, values, max(gap, 0.0), seconds)


def sessions_from(formulation: Formulation, values: Sequence[float]) -> tuple[Session, ...]:
    """Turn session counts and seats into individual sessions: locked ones as given, the rest evenly filled."""
    sessions: list[Session] = list(formulation.locked)
    locked_count: dict[tuple[str, str, int, TrainerOrigin], int] = defaultdict(int)
    locked_seat_count: dict[tuple[str, str, int, str], int] = defaultdict(int)
    for session in formulation.locked:
        locked_count[(session.module, session.location, session.quarter, session.trainer)] += 1
        for seat in session.seats:
            locked_seat_count[(session.module, seat.segment, session.quarter, "female")] += seat.female
            locked_seat_count[(session.module, seat.segment, session.quarter, "male")] += seat.male
    seats_at: dict[tuple[str, int], list[tuple[str, str, int]]] = defaultdict(list)
    for (module_code, segment_code, quarter, sex), column in sorted(formulation.seats.items()):
        count = round(values[column]) - locked_seat_count[(module_code, segment_code, quarter, sex)]
        if count > 0:
            seats_at[(module_code, quarter)].append((segment_code, sex, count))
    for module_code, location, quarter in sorted(formulation.national):
        key = (module_code, location, quarter)
        origins = [TrainerOrigin.NATIONAL] * (
            round(values[formulation.national[key]]) - locked_count[(*key, TrainerOrigin.NATIONAL)]
        ) + [TrainerOrigin.INTERNATIONAL] * (
            round(values[formulation.international[key]]) - locked_count[(*key, TrainerOrigin.INTERNATIONAL)]
        )
        if not origins:
            continue
        pool = [
            item
            for item in seats_at[(module_code, quarter)]
            if formulation.segment_locations[item[0]] == location
        ]
        sessions.extend(_fill(module_code, location, quarter, origins, pool))
    return tuple(sessions)


def _fill(
    module_code: str,
    location: str,
    quarter: int,
    origins: list[TrainerOrigin],
    pool: list[tuple[str, str, int]],
) -> list[Session]:
    total = sum(count for _segment, _sex, count in pool)
    sizes = [
        total // len(origins) + (1 if index < total % len(origins) else 0) for index in range(len(origins))
    ]
    queue = list(pool)
    result = []
    for origin, size in zip(origins, sizes, strict=True):
        taken: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        while size > 0 and queue:
            segment_code, sex, count = queue[0]
            used = min(size, count)
            taken[segment_code][0 if sex == "female" else 1] += used
            size -= used
            if used == count:
                queue.pop(0)
            else:
                queue[0] = (segment_code, sex, count - used)
        seats = tuple(Seats(code, female, male) for code, (female, male) in sorted(taken.items()))
        result.append(Session(module_code, location, quarter, origin, seats))
    return result
