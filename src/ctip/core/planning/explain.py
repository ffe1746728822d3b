"""Why the plan looks as it does: the gaps each session serves, why each unmet need stays unmet, and which
constraint groups conflict when no plan keeps them all.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from ctip.core.errors import _
from ctip.core.planning.evaluate import cost_by_year, coverage
from ctip.core.planning.milp import Formulation, _Model
from ctip.core.planning.model import (
    ConstraintGroup,
    Gap,
    Instance,
    Session,
    SessionExplanation,
    UnmetNeed,
    UnmetReason,
    year_of,
)
from ctip.core.planning.solver import _highs

# What each constraint group and unmet reason means, in words (templates marked for translation).
CONSTRAINT_GROUP_LABELS: dict[ConstraintGroup, str] = {
    ConstraintGroup.BUDGET: _("the budget per year"),
    ConstraintGroup.TRAINERS: _("the trainer-days per quarter"),
    ConstraintGroup.LOCATION_CAPACITY: _("the sessions per location per quarter"),
    ConstraintGroup.PREREQUISITE: _(
        "the prerequisites (foundational before specialised, ToT before cascade)"
    ),
    ConstraintGroup.FRONTLINE_YEAR1: _("the year-1 foundational seats for every frontline segment"),
    ConstraintGroup.LOCATION_NEED_FLOOR: _("the minimum share of need covered in each location"),
    ConstraintGroup.WOMEN_SEATS: _("the women's share of seats"),
    ConstraintGroup.NATIONAL_TRAINERS: _("the national trainers' share of sessions"),
    ConstraintGroup.LOCKED_SESSIONS: _("the locked sessions"),
}
UNMET_REASON_LABELS: dict[UnmetReason, str] = {
    UnmetReason.BUDGET: _("budget"),
    UnmetReason.TRAINERS: _("trainer-days"),
    UnmetReason.PREREQUISITE: _("prerequisite"),
    UnmetReason.CAPACITY: _("sessions per location"),
    UnmetReason.NO_MODULE: _("no module offered there"),
    UnmetReason.LOWER_PRIORITY: _("lower priority"),
}


def conflict_message(groups: Sequence[ConstraintGroup]) -> tuple[str, dict[str, object]]:
    """A message template and its parameters saying which constraint groups conflict (for an infeasible
    instance): relaxing the groups named is enough for a plan to exist."""
    names = [CONSTRAINT_GROUP_LABELS[group] for group in groups]
    if not names:
        return _("No plan keeps every constraint, even with every group of constraints relaxed."), {}
    if len(names) == 1:
        return (
            _(
                "No plan keeps every constraint: %(group)s cannot be kept together with the other "
                "constraints. Relax it (or what it competes with) and solve again."
            ),
            {"group": names[0]},
        )
    return (
        _(
            "No plan keeps every constraint: %(groups)s and %(last)s cannot be kept together with the "
            "other constraints. Relax these and solve again."
        ),
        {"groups": ", ".join(names[:-1]), "last": names[-1]},
    )


# When several constraints block the options for a need, the most frequent wins; ties go in this order.
_REASON_ORDER = (UnmetReason.BUDGET, UnmetReason.TRAINERS, UnmetReason.CAPACITY, UnmetReason.PREREQUISITE)


def session_explanations(instance: Instance, sessions: Sequence[Session]) -> tuple[SessionExplanation, ...]:
    """For each session, the needs (segment × competency) its seats serve and how many people."""
    modules = {module.code: module for module in instance.modules}
    needs = {(demand.segment, demand.competency) for demand in instance.demands}
    result = []
    for index, session in enumerate(sessions):
        serves = tuple(
            Gap(seat.segment, competency, seat.total)
            for seat in session.seats
            for competency in modules[session.module].competencies
            if (seat.segment, competency) in needs and seat.total > 0
        )
        result.append(SessionExplanation(index, serves))
    return tuple(result)


def unmet_needs(instance: Instance, sessions: Sequence[Session]) -> tuple[UnmetNeed, ...]:
    """Each need not fully covered, with the constraint that blocks one more session (or seat) serving it.

    For every module building the competency and every quarter, the check asks what stops adding one
    more seat for the segment (in a session with room) or one more session: the year's budget, the
    quarter's trainer-days, the location's sessions per quarter, or the segment's prerequisites. A need
    with an unblocked option is ``lower_priority``: the plan spent its resources on needs worth more.
    """
    parameters = instance.parameters
    quarters = range(1, parameters.quarters + 1)
    segments = {segment.code: segment for segment in instance.segments}
    spent = cost_by_year(instance, sessions)
    days: dict[int, float] = defaultdict(float)
    at_location: dict[tuple[str, int], int] = defaultdict(int)
    room: dict[tuple[str, str, int], int] = defaultdict(int)
    seats: dict[tuple[str, str, int], int] = defaultdict(int)
    count: dict[tuple[str, int], int] = defaultdict(int)
    modules = {module.code: module for module in instance.modules}
    for session in sessions:
        module = modules[session.module]
        days[session.quarter] += module.duration_days
        at_location[(session.location, session.quarter)] += 1
        room[(session.module, session.location, session.quarter)] += (
            module.participants_max - session.participants
        )
        count[(session.module, session.quarter)] += 1
        for seat in session.seats:
            seats[(session.module, seat.segment, session.quarter)] += seat.total

    def prerequisite_blocks(module_code: str, segment_code: str, quarter: int) -> bool:
        module = modules[module_code]
        for prerequisite in module.prerequisites:
            taken = sum(seats[(module_code, segment_code, q)] for q in range(1, quarter))
            before = sum(seats[(prerequisite, segment_code, q)] for q in range(1, quarter))
            for later in range(quarter, parameters.quarters + 1):
                taken += seats[(module_code, segment_code, later)]
                if before - taken < 1:
                    return True
                before += seats[(prerequisite, segment_code, later)]
        if module.cascade_of:
            earlier = sum(count[(module.cascade_of, q)] for q in range(1, quarter))
            if count[(module_code, quarter)] + 1 > parameters.cascade_sessions_per_tot_session * earlier:
                return True
        return False

    covered = coverage(instance, sessions)
    result = []
    for demand in instance.demands:
        people = sum(covered[(demand.segment, demand.competency)])
        if people >= demand.staff:
            continue
        location = segments[demand.segment].location
        options = [
            module
            for module in instance.modules
            if demand.competency in module.competencies and location in module.cost_per_session
        ]
        if not options:
            result.append(
                UnmetNeed(demand.segment, demand.competency, demand.staff, people, UnmetReason.NO_MODULE)
            )
            continue
        blockers: Counter[UnmetReason] = Counter()
        free = False
        for module in options:
            for quarter in quarters:
                budget_left = parameters.budget_for_year(year_of(quarter)) - spent[year_of(quarter) - 1]
                per_seat = module.cost_per_participant[location]
                found: list[UnmetReason] = []
                if prerequisite_blocks(module.code, demand.segment, quarter):
                    found.append(UnmetReason.PREREQUISITE)
                if room[(module.code, location, quarter)] > 0:
                    if budget_left < per_seat:
                        found.append(UnmetReason.BUDGET)
                else:
                    new_session = module.cost_per_session[location] + per_seat * module.participants_min
                    if budget_left < new_session:
                        found.append(UnmetReason.BUDGET)
                    if days[quarter] + module.duration_days > parameters.trainer_days_per_quarter:
                        found.append(UnmetReason.TRAINERS)
                    if at_location[(location, quarter)] >= parameters.sessions_per_location_per_quarter:
                        found.append(UnmetReason.CAPACITY)
                if not found:
                    free = True
                blockers.update(found)
        if free or not blockers:
            reason = UnmetReason.LOWER_PRIORITY
        else:
            reason = max(_REASON_ORDER, key=lambda item: (blockers[item], -_REASON_ORDER.index(item)))
        result.append(UnmetNeed(demand.segment, demand.competency, demand.staff, people, reason))
    return tuple(result)


def conflicting_groups(formulation: Formulation, *, time_limit: float = 30.0) -> tuple[ConstraintGroup, ...]:
    """The fewest constraint groups that must give way for a plan to exist.

    Every grouped row gets an elastic slack, bounded by the most it could ever need (from the columns'
    bounds) and switched on by one binary per group; the programme minimises the number of groups
    switched on. Rows without a group (seats within sessions, coverage within seats) stay hard.
    """
    source = formulation.model
    model = _Model(
        cost=[0.0] * len(source.cost),
        lower=list(source.lower),
        upper=list(source.upper),
        integer=list(source.integer),
        rows=[],
    )
    switches: dict[ConstraintGroup, int] = {}
    for row in source.rows:
        if row.group is None:
            model.rows.append(row)
            continue
        if row.group not in switches:
            switches[row.group] = model.column(1.0, 1.0, integer=True)
        high = sum(max(v * source.lower[c], v * source.upper[c]) for c, v in row.terms.items())
        low = sum(min(v * source.lower[c], v * source.upper[c]) for c, v in row.terms.items())
        terms = dict(row.terms)
        if math.isfinite(row.upper):
            reach = max(0.0, high - row.upper)
            slack = model.column(0.0, reach, integer=False)
            terms[slack] = -1.0
            model.row({slack: 1.0, switches[row.group]: -reach}, upper=0.0, group=None)
        if math.isfinite(row.lower):
            reach = max(0.0, row.lower - low)
            slack = model.column(0.0, reach, integer=False)
            terms[slack] = 1.0
            model.row({slack: 1.0, switches[row.group]: -reach}, upper=0.0, group=None)
        model.row(terms, lower=row.lower, upper=row.upper, group=None)
    highs = _highs(model, maximise=False, time_limit=time_limit, mip_gap=0.0)
    highs.run()
    if highs.getInfo().primal_solution_status != 2:  # even fully relaxed: the structure itself fails
        return tuple(switches)
    values = np.asarray(highs.getSolution().col_value)
    return tuple(group for group in ConstraintGroup if group in switches and values[switches[group]] > 0.5)
