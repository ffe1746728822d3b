"""The two planners behind one shape of answer: :func:`solve` (HiGHS) and :func:`solve_greedy`."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence

from ctip.core.planning.evaluate import cost_by_year, objective, violations
from ctip.core.planning.explain import conflicting_groups, session_explanations, unmet_needs
from ctip.core.planning.greedy import greedy_sessions
from ctip.core.planning.milp import Progress, formulate, plan_columns, sessions_from
from ctip.core.planning.model import ConstraintGroup, Instance, Plan, PlanStatus, Session
from ctip.core.planning.solver import optimise
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
    instance: Instance,
    *,
    locked: Sequence[Session] = (),
    time_limit: float = 60.0,
    mip_gap: float = 0.005,
    progress: Progress | None = None,
    fallback: Sequence[Session] | None = None,
) -> Plan:
    """The optimal plan (to ``mip_gap``) keeping ``locked`` sessions; for an infeasible instance, a plan
    with no sessions, status ``infeasible`` and the constraint groups that conflict.

    ``fallback`` is a plan (e.g. the greedy one) returned if the solver finds none in time and it keeps
    every constraint (``notes`` then says ``fallback``); with neither, the status is ``time_limit``.
    ``progress`` is called now and then while HiGHS works (seconds, incumbent, bound, gap).
    Raises DomainError for an instance or a locked session that does not make sense.
    """
    check_instance(instance)
    check_locked(instance, locked)
    started = time.perf_counter()
    formulation = formulate(instance, locked)
    solved = optimise(
        formulation,
        time_limit=max(time_limit - (time.perf_counter() - started), 0.5),
        mip_gap=mip_gap,
        progress=progress,
        fallback=plan_columns(formulation, fallback)
        if fallback is not None and not violations(instance, (*locked, *fallback))
        else None,
    )
    seconds = time.perf_counter() - started
    if solved.status in ("optimal", "feasible"):
        sessions = sessions_from(formulation, solved.values)
        status = PlanStatus.OPTIMAL if solved.status == "optimal" else PlanStatus.FEASIBLE
        plan = _plan(instance, sessions, status, solved.gap, seconds)
        plan = dataclasses.replace(plan, best_bound=solved.bound)
        # Seats are whole people in the model; the written-out sessions are checked again all the same,
        # and a plan that breaks a constraint says so instead of passing for feasible.
        broken = violations(instance, sessions)
        if broken:
            return dataclasses.replace(
                plan, status=PlanStatus.ROUNDING_BROKE, notes=tuple(group.value for group in broken)
            )
        return plan
    if fallback is not None and not violations(instance, (*locked, *fallback)):
        # No plan from the solver in time, but the plan given (e.g. the greedy one) keeps every constraint.
        sessions = (*locked, *fallback)
        value = objective(instance, sessions)
        gap = (
            max((solved.bound - value) / value, 0.0)
            if value > 0 and math.isfinite(solved.bound)
            else math.nan
        )
        plan = _plan(instance, sessions, PlanStatus.FEASIBLE, gap, time.perf_counter() - started)
        return dataclasses.replace(plan, best_bound=solved.bound, notes=("fallback",))
    if solved.status != "infeasible":
        return Plan(status=PlanStatus.TIME_LIMIT, solve_seconds=seconds, best_bound=solved.bound)
    conflicts = conflicting_groups(formulation, time_limit=time_limit)
    return Plan(
        status=PlanStatus.INFEASIBLE, solve_seconds=time.perf_counter() - started, conflicts=conflicts
    )


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
