"""Checks that an instance (and any locked session) makes sense before it reaches the solver."""

from __future__ import annotations

from collections.abc import Sequence

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.model import Instance, Session, TrainerOrigin, TrainerProfile


def _module_problems(instance: Instance) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    codes = {module.code for module in instance.modules}
    for index, module in enumerate(instance.modules):
        where = f"modules[{index}] ({module.code})"
        if module.participants_min < 0 or module.participants_max < max(module.participants_min, 1):
            problems.append(
                FieldProblem(
                    where,
                    _(
                        "The participants must satisfy 0 ≤ minimum ≤ maximum and maximum ≥ 1 (got %(min)s–%(max)s)."
                    ),
                    {"min": module.participants_min, "max": module.participants_max},
                )
            )
        if set(module.cost_per_session) != set(module.cost_per_participant):
            problems.append(
                FieldProblem(
                    where,
                    _("Give a cost per session and a cost per participant for the same locations."),
                )
            )
        if module.duration_days <= 0:
            problems.append(FieldProblem(where, _("The duration must be more than 0 days.")))
        for code in (*module.prerequisites, module.cascade_of):
            if code and code not in codes:
                problems.append(
                    FieldProblem(where, _("“%(code)s” is not a module of the catalogue."), {"code": code})
                )
        if module.code in module.prerequisites:
            problems.append(FieldProblem(where, _("A module cannot be its own prerequisite.")))
    if len(codes) != len(instance.modules):
        problems.append(FieldProblem("modules", _("Two modules have the same code.")))
    return problems


def check_instance(instance: Instance) -> None:
    """Raise DomainError listing every problem in ``instance``."""
    problems = _module_problems(instance)
    segments = {segment.code for segment in instance.segments}
    if len(segments) != len(instance.segments):
        problems.append(FieldProblem("segments", _("Two segments have the same code.")))
    for index, segment in enumerate(instance.segments):
        if segment.staff_female < 0 or segment.staff_male < 0:
            problems.append(
                FieldProblem(f"segments[{index}] ({segment.code})", _("Staff numbers cannot be negative."))
            )
    staff = {segment.code: segment for segment in instance.segments}
    for index, demand in enumerate(instance.demands):
        where = f"demands[{index}]"
        if demand.segment not in segments:
            problems.append(FieldProblem(where, _("“%(code)s” is not a segment."), {"code": demand.segment}))
            continue
        segment = staff[demand.segment]
        if not (
            0 <= demand.staff_female <= segment.staff_female and 0 <= demand.staff_male <= segment.staff_male
        ):
            problems.append(
                FieldProblem(
                    where, _("The staff in need must lie between 0 and the segment's staff, by sex.")
                )
            )
        if demand.weight < 0:
            problems.append(FieldProblem(where, _("The need weight cannot be negative.")))
    parameters = instance.parameters
    if parameters.quarters < 1:
        problems.append(FieldProblem("parameters.quarters", _("The plan needs at least one quarter.")))
    low = 0.0
    previous = float("inf")
    for index, step in enumerate(parameters.return_steps):
        if not (low < step.up_to_share <= 1.0) or not (0 <= step.value <= previous):
            problems.append(
                FieldProblem(
                    f"parameters.return_steps[{index}]",
                    _("Steps must rise in share up to 1 and fall (or stay level) in value."),
                )
            )
        low, previous = step.up_to_share, step.value
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The planning instance is not valid."), problems=problems
        )


def check_locked(instance: Instance, locked: Sequence[Session]) -> None:
    """Raise DomainError if a locked session names an unknown module, location or segment, or breaks the
    module's size or trainer profile."""
    modules = {module.code: module for module in instance.modules}
    segments = {segment.code: segment for segment in instance.segments}
    problems: list[FieldProblem] = []
    for index, session in enumerate(locked):
        where = f"locked[{index}]"
        module = modules.get(session.module)
        if module is None:
            problems.append(FieldProblem(where, _("“%(code)s” is not a module."), {"code": session.module}))
            continue
        if session.location not in module.cost_per_session:
            problems.append(
                FieldProblem(
                    where,
                    _("Module %(module)s is not offered at %(location)s."),
                    {"module": module.code, "location": session.location},
                )
            )
        if not 1 <= session.quarter <= instance.parameters.quarters:
            problems.append(FieldProblem(where, _("The quarter must be in the plan's horizon.")))
        if not module.participants_min <= session.participants <= module.participants_max:
            problems.append(
                FieldProblem(
                    where,
                    _("The session must have between %(min)s and %(max)s participants."),
                    {"min": module.participants_min, "max": module.participants_max},
                )
            )
        wrong_origin = (
            module.trainer_profile is TrainerProfile.INTERNATIONAL
            and session.trainer is TrainerOrigin.NATIONAL
        ) or (
            (module.trainer_profile is TrainerProfile.NATIONAL or module.cascade_of)
            and session.trainer is TrainerOrigin.INTERNATIONAL
        )
        if wrong_origin:
            problems.append(
                FieldProblem(where, _("This module's trainer profile does not allow that trainer."))
            )
        for seat in session.seats:
            segment = segments.get(seat.segment)
            if segment is None or segment.location != session.location:
                problems.append(
                    FieldProblem(
                        where,
                        _("“%(code)s” is not a segment at the session's location."),
                        {"code": seat.segment},
                    )
                )
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("A locked session is not valid."), problems=problems)
