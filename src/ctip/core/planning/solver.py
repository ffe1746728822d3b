"""Solving the capacity plan's programme with HiGHS: the LP relaxation, a dive to whole sessions, a search
near the dive's plan, then the full programme in the time left (see :func:`optimise`).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from ctip.core.planning.milp import Formulation, Progress, _Model

_HEURISTIC_EFFORT = 0.3  # HiGHS's mip_heuristic_effort


def _highs(model: _Model, *, maximise: bool, time_limit: float, mip_gap: float) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("mip_heuristic_effort", _HEURISTIC_EFFORT)
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
    status: str  # "optimal", "feasible", "infeasible", "no_solution"
    values: list[float]
    gap: float
    seconds: float
    bound: float = math.nan  # best bound on the model's objective (tie-break term included)


def run(
    formulation: Formulation,
    *,
    time_limit: float,
    mip_gap: float,
    start: Sequence[float] | dict[int, float] | None = None,
    progress: Progress | None = None,
) -> Solved:
    highs = _highs(formulation.model, maximise=True, time_limit=time_limit, mip_gap=mip_gap)
    if isinstance(start, dict):  # some columns only: HiGHS completes the rest
        columns = np.array(sorted(start), dtype=np.int32)
        highs.setSolution(len(columns), columns, np.array([start[c] for c in columns], dtype=np.float64))
    elif start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(start)
        solution.value_valid = True
        highs.setSolution(solution)
    if progress is not None:
        last = [-1.0]

        def report(event: highspy.highs.HighsCallbackEvent) -> None:
            out = event.data_out
            if out.running_time - last[0] < 0.25:
                return
            last[0] = out.running_time
            primal, dual = float(out.mip_primal_bound), float(out.mip_dual_bound)
            gap = float(out.mip_gap) if abs(primal) < 1e30 else math.nan
            progress(
                float(out.running_time),
                primal if abs(primal) < 1e30 else math.nan,
                dual if abs(dual) < 1e30 else math.nan,
                gap,
            )

        highs.cbMipInterrupt.subscribe(report)
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
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else math.nan
    return Solved(verdict, values, max(gap, 0.0), seconds, bound)


def _restricted(model: _Model, columns: Sequence[int], values: Sequence[float], *, exact: bool) -> _Model:
    """``model`` with each of ``columns`` held to the whole numbers around (or, ``exact``, at) ``values``."""
    lower, upper = list(model.lower), list(model.upper)
    for column in columns:
        value = values[column]
        if exact:
            lower[column] = upper[column] = float(round(value))
        else:
            lower[column] = float(math.floor(value + 1e-6))
            upper[column] = float(math.ceil(value - 1e-6))
    return dataclasses.replace(model, lower=lower, upper=upper)


def _model_objective(model: _Model, values: Sequence[float]) -> float:
    return float(np.dot(np.asarray(model.cost), np.asarray(values)))


_DIVE_SHARE = 0.5  # share of the fractional session counts rounded in each round of the dive
_DIVE_SHARE_LARGE = 0.8  # the same for large models, whose LP takes longer to solve again
_LARGE = 30_000  # columns from which a model counts as large
_FINAL_MINIMUM = 1.0  # seconds: less than this left after the dive, the full programme is not started


def _dive(
    highs: highspy.Highs, formulation: Formulation, *, deadline: float, share: float = 0.5
) -> list[float] | None:
    """Round the LP's session counts to whole numbers a batch at a time (nearest first), solving the LP
    again after each batch so the rest of the plan adapts; None if it runs into a dead end. At the
    ``deadline``, the last LP solution, with some counts still fractional.

    ``highs`` holds the solved LP relaxation; its bounds are changed.
    """
    columns = np.array(sorted(formulation.sessions.values()), dtype=np.int32)
    values = np.asarray(highs.getSolution().col_value)
    model = formulation.model
    bounds = (np.asarray(model.lower)[columns], np.asarray(model.upper)[columns])
    while time.perf_counter() < deadline:
        counts = values[columns]
        distance = np.abs(counts - np.round(counts))
        open_ = np.nonzero(distance > 1e-6)[0]
        if len(open_) == 0:
            return list(values)
        batch = open_[np.argsort(distance[open_], kind="stable")][: max(1, int(len(open_) * share))]
        lower, upper = bounds[0][batch].copy(), bounds[1][batch].copy()
        rounded = np.round(counts[batch])
        highs.changeColsBounds(len(batch), columns[batch], rounded, rounded)
        bounds[0][batch], bounds[1][batch] = rounded, rounded
        highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.05))
        highs.run()
        if highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
            break
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            highs.changeColsBounds(len(batch), columns[batch], lower, upper)
            bounds[0][batch], bounds[1][batch] = lower, upper
            if len(batch) == 1:
                return None
            share /= 4  # smaller steps from here on
            highs.run()
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
        values = np.asarray(highs.getSolution().col_value)
    # Out of time: the last LP solved, some counts still fractional (see :func:`optimise`).
    return list(values)


def _neighbourhood(
    formulation: Formulation,
    relaxation: Sequence[float],
    incumbent: Sequence[float] | dict[int, float],
    *,
    time_limit: float,
    mip_gap: float,
    progress: Progress | None,
) -> list[float] | None:
    """A better plan near both the LP relaxation and ``incumbent``, if one is found in ``time_limit``.

    Each session count may only range between the incumbent's and the LP's (rounded outwards), seats may
    be fractional: a much smaller programme, started from the incumbent. Its session counts are then
    fixed and the seats solved in whole people.
    """
    started = time.perf_counter()
    model = formulation.model
    lower, upper = list(model.lower), list(model.upper)
    for column in formulation.sessions.values():
        lower[column] = float(min(round(incumbent[column]), math.floor(relaxation[column] + 1e-6)))
        upper[column] = float(max(round(incumbent[column]), math.ceil(relaxation[column] - 1e-6)))
    if isinstance(incumbent, dict):  # seats may be fractional in this programme: start from none fixed
        incumbent = {
            column: value for column, value in incumbent.items() if column in formulation.sessions_set
        }
    near = dataclasses.replace(
        model,
        lower=lower,
        upper=upper,
        integer=[flag and column in formulation.sessions_set for column, flag in enumerate(model.integer)],
    )

    def tell(seconds: float, value: float, _bound: float, _gap: float) -> None:
        if progress is not None:
            progress(seconds, value, math.nan, math.nan)

    found = run(
        dataclasses.replace(formulation, model=near),
        time_limit=max(0.75 * time_limit, 0.2),
        mip_gap=mip_gap / 4,
        start=incumbent,
        progress=tell,
    )
    if not found.values:
        return None
    fixed = _restricted(model, list(formulation.sessions.values()), found.values, exact=True)
    whole = run(
        dataclasses.replace(formulation, model=fixed),
        time_limit=max(time_limit - (time.perf_counter() - started), 0.2),
        mip_gap=mip_gap / 4,
    )
    return whole.values or None


def optimise(
    formulation: Formulation,
    *,
    time_limit: float,
    mip_gap: float,
    progress: Progress | None = None,
    fallback: dict[int, float] | None = None,
) -> Solved:
    """Solve ``formulation`` (whole seats) within ``time_limit`` seconds, to ``mip_gap`` if possible.

    HiGHS's own heuristics find good plans slowly on this model (a fractional session just moves between
    quarters), so a plan is first built from the LP relaxation by diving (:func:`_dive`); its session
    counts are then fixed and the seats solved in whole people.
    That plan starts the full programme, which proves or improves it in the
    time left. The gap is measured against the best bound known: the LP relaxation's or the full
    programme's, whichever is lower.
    """
    started = time.perf_counter()

    def left() -> float:
        return max(time_limit - (time.perf_counter() - started), 0.0)

    model = formulation.model
    relaxed = dataclasses.replace(model, integer=[False] * len(model.cost))
    highs = _highs(relaxed, maximise=True, time_limit=max(left(), 0.1), mip_gap=mip_gap)
    large = len(model.cost) > _LARGE
    if large:  # the interior point method is several times faster on large relaxations
        highs.setOptionValue("solver", "ipm")
    highs.run()
    highs.setOptionValue("solver", "simplex")  # the dive re-solves from the last basis
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        status = (
            "infeasible" if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible else "no_solution"
        )
        return Solved(status, [], 0.0, time.perf_counter() - started)
    bound = float(highs.getInfo().objective_function_value)
    relaxation = list(highs.getSolution().col_value)
    best: list[float] | None = None
    best_value = -math.inf

    def tell(seconds: float, incumbent: float, dual: float, _gap: float) -> None:
        if progress is not None:
            top = min(bound, dual) if math.isfinite(dual) else bound
            value = max(incumbent, best_value) if math.isfinite(incumbent) else best_value
            shown = (top - value) / max(abs(value), 1e-9) if math.isfinite(value) else math.nan
            progress(time.perf_counter() - started, value if math.isfinite(value) else math.nan, top, shown)

    tell(0.0, math.nan, bound, math.nan)
    dived = _dive(
        highs,
        formulation,
        deadline=started + (0.45 if large else 0.55) * time_limit,
        share=_DIVE_SHARE_LARGE if large else _DIVE_SHARE,
    )
    session_columns = list(formulation.sessions.values())
    if dived is not None and any(abs(dived[c] - round(dived[c])) > 1e-6 for c in session_columns):
        # The dive ran out of time: the counts still fractional go up or down as a small programme (the
        # others held, seats fractional) decides.
        near = _restricted(relaxed, session_columns, dived, exact=False)
        near.integer = [
            flag and column in formulation.sessions_set for column, flag in enumerate(model.integer)
        ]
        rounded = run(
            dataclasses.replace(formulation, model=near),
            time_limit=max(min(0.6 * left(), left() - 1.0), min(5.0, 0.1 * time_limit)),
            mip_gap=mip_gap,
        )
        dived = rounded.values or None
    if dived is not None:
        # The seats in whole people with the dive's sessions.
        fixed = _restricted(model, session_columns, dived, exact=True)
        whole = run(
            dataclasses.replace(formulation, model=fixed),
            time_limit=max(min(0.5 * left(), left() - 0.5), min(5.0, 0.1 * time_limit)),
            mip_gap=mip_gap / 4,
        )
        if whole.values and _model_objective(model, whole.values) > best_value:
            best, best_value = whole.values, _model_objective(model, whole.values)
            tell(0.0, best_value, bound, math.nan)
    if best is None and fallback is not None and left() > 2 * _FINAL_MINIMUM:
        # No plan from the dive: search between the plan given (e.g. the greedy one) and the relaxation.
        found = _neighbourhood(
            formulation, relaxation, fallback, time_limit=0.8 * left(), mip_gap=mip_gap, progress=tell
        )
        if found is not None:
            best, best_value = found, _model_objective(model, found)
            tell(0.0, best_value, bound, math.nan)
    if (
        best is not None
        and (bound - best_value) > mip_gap * max(abs(best_value), 1e-9)
        and left() > 2 * _FINAL_MINIMUM
    ):
        improved = _neighbourhood(
            formulation, relaxation, best, time_limit=0.65 * left(), mip_gap=mip_gap, progress=tell
        )
        if improved is not None and _model_objective(model, improved) > best_value:
            best, best_value = improved, _model_objective(model, improved)
            tell(0.0, best_value, bound, math.nan)
    if best is not None and (bound - best_value) <= mip_gap * max(abs(best_value), 1e-9):
        return Solved(
            "optimal",
            list(best),
            max((bound - best_value) / max(abs(best_value), 1e-9), 0.0),
            time.perf_counter() - started,
            bound,
        )
    if best is not None and left() < _FINAL_MINIMUM:
        gap = max((bound - best_value) / max(abs(best_value), 1e-9), 0.0)
        return Solved("feasible", list(best), gap, time.perf_counter() - started, bound)
    final = run(formulation, time_limit=max(left() - 0.3, 0.5), mip_gap=mip_gap, start=best, progress=tell)
    seconds = time.perf_counter() - started
    if not final.values:
        if best is not None:
            gap = max((bound - best_value) / max(abs(best_value), 1e-9), 0.0)
            return Solved("feasible", list(best), gap, seconds, bound)
        return dataclasses.replace(final, seconds=seconds, bound=bound)
    values = final.values
    value = _model_objective(model, values)
    if best is not None and best_value > value:
        values, value = list(best), best_value
    top = min(bound, final.bound) if math.isfinite(final.bound) else bound
    gap = max((top - value) / max(abs(value), 1e-9), 0.0)
    status = "optimal" if final.status == "optimal" or gap <= mip_gap + 1e-12 else "feasible"
    return Solved(status, values, gap if final.status != "optimal" else min(gap, final.gap), seconds, top)
