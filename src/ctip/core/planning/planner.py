"""The two planners behind one shape of answer: :func:`solve` (HiGHS) and :func:`solve_greedy`."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence

from ctip.core.planning.evaluate import cost_by_year, objective, violations
from ctip.core.planning.explain import conflicting_groups, session_explanations, unmet_needs
from ctip.core.planning.greedy import greedy_sessions
from ctip.core.planning.milp import formulate, run, sessions_from
from ctip.core.planning.model import ConstraintGroup, Instance, Plan, PlanStatus, Session
from ctip.core.planning.validation import check_instance, check_locked

_FLOORS = (
    ConstraintGroup.FRONTLINE_YEAR1,
    ConstraintGroup.LOCATION_NEED_FLOOR,
    ConstraintGroup.WOMEN_SEATS,
    ConstraintGroup.NATIONAL_TRAINERS,
)


def _plan(
    instance: Instance, sessions: tuple[Session, ...], status: PlanStatus, gap: float, seconds: float
) -> Plan:
    return Plan(
        status=status,
        sessions=sessions,
        objective=objective(instance, sessions),
        gap=gap,
        solve_seconds=seconds,
        cost_by_year=cost_by_year(instance, sessions),
        explanations=session_explanations(instance, sessions),
        unmet=unmet_needs(instance, sessions),
    )


def solve(
    instance: Instance, *, locked: Sequence[Session] = (), time_limit: float = 60.0, mip_gap: float = 0.005
) -> Plan:
    """The optimal plan (to ``mip_gap``) keeping ``locked`` sessions; for an infeasible instance, a plan
    with no sessions, status ``infeasible`` and the constraint groups that conflict.

    Raises DomainError for an instance or a locked session that does not make sense.
    """
    check_instance(instance)
    check_locked(instance, locked)
    formulation = formulate(instance, locked)
    solved = run(formulation, time_limit=time_limit, mip_gap=mip_gap)
    if solved.status in ("optimal", "feasible"):
        sessions = sessions_from(formulation, solved.values)
        status = PlanStatus.OPTIMAL if solved.status == "optimal" else PlanStatus.FEASIBLE
        # Seats are continuous in the model; whole-person sessions are checked again, and a plan that
        # rounding broke says so instead of passing for feasible.
        broken = violations(instance, sessions)
        if broken:
            plan = _plan(instance, sessions, PlanStatus.ROUNDING_BROKE, solved.gap, solved.seconds)
            return dataclasses.replace(plan, notes=tuple(group.value for group in broken))
        return _plan(instance, sessions, status, solved.gap, solved.seconds)
    conflicts = conflicting_groups(formulation, time_limit=time_limit)
    return Plan(status=PlanStatus.INFEASIBLE, solve_seconds=solved.seconds, conflicts=conflicts)


def solve_greedy(instance: Instance) -> Plan:
    """The greedy baseline's plan; status ``violates_floors`` (with the floors in ``notes``) when it
    misses a floor, since the greedy never breaks an upper limit."""
    check_instance(instance)
    started = time.perf_counter()
    sessions = greedy_sessions(instance)
    seconds = time.perf_counter() - started
    missed = tuple(group for group in violations(instance, sessions) if group in _FLOORS)
    plan = _plan(
        instance, sessions, PlanStatus.VIOLATES_FLOORS if missed else PlanStatus.FEASIBLE, math.nan, seconds
    )
    return dataclasses.replace(plan, notes=tuple(group.value for group in missed))
