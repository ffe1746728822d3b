"""Plan scenarios: create, copy (e.g. budget −20 %), change parameters, solve (HiGHS and the greedy baseline
in one call), adopt, and the sessions of a plan (edit, lock, add, remove) before re-optimising the rest.

Solving keeps the locked sessions as they are and replaces every other session by the solver's; an
infeasible or failed solve changes no session and says which constraint groups conflict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.instance_json import parameters_from_json, parameters_to_json, plan_to_json
from ctip.core.planning.milp import Progress as SolverProgress
from ctip.core.planning.model import Instance, Parameters, Plan, PlanStatus, Seats, Session, TrainerOrigin
from ctip.core.planning.planner import solve, solve_greedy
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.planning.models import PlanScenario, PlanSegment, PlanSession, TrainingModule
from ctip.web.planning.services.instance import build_instance

SCENARIO_FIELDS = ["name", "description", "parameters", "status", "is_adopted"]
SESSION_FIELDS = ["module", "location", "quarter", "trainer", "seats", "locked", "origin"]
DEFAULT_TIME_LIMIT = 20.0
"""Seconds the web page lets the solver run (the command line lets it run longer)."""
DEFAULT_MIP_GAP = 0.005

Progress = Callable[[str], None]
"""Told the step under way (for the command line's progress display)."""


def scenario_parameters(scenario: PlanScenario) -> Parameters:
    """The scenario's parameters (the defaults for what it does not state)."""
    return parameters_from_json(scenario.parameters or {})


def _check_name(workspace: Workspace, name: str, *, exclude: PlanScenario | None = None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Give the scenario a name."),
            problems=[FieldProblem("name", _("This field is required."))],
        )
    clash = PlanScenario.objects.filter(workspace=workspace, name=cleaned)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            _("A scenario called “%(name)s” exists already; choose another name."),
            {"name": cleaned},
            problems=[FieldProblem("name", _("This name is taken."))],
        )
    return cleaned


def scenario_create(
    *,
    workspace: Workspace,
    name: str,
    parameters: Parameters | None = None,
    description: str = "",
    acting_user: User | None,
) -> PlanScenario:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    cleaned = _check_name(workspace, name)
    with transaction.atomic():
        adopted_exists = PlanScenario.objects.filter(workspace=workspace, is_adopted=True).exists()
        return record_create(
            model=PlanScenario,
            workspace=workspace,
            values={
                "workspace": workspace,
                "name": cleaned,
                "description": description,
                "parameters": parameters_to_json(parameters or Parameters()),
                "is_adopted": not adopted_exists,
            },
            acting_user=acting_user,
            audited_fields=SCENARIO_FIELDS,
        )


def scenario_update(
    scenario: PlanScenario,
    *,
    name: str,
    description: str,
    parameters: Parameters,
    acting_user: User | None,
    expected_version: int | None = None,
) -> PlanScenario:
    """New name, description or parameters. The plan stays as it was until the scenario is solved again
    (its status says so)."""
    require_permission(acting_user, scenario.workspace, Permission.EDIT_CONTENT)
    cleaned = _check_name(scenario.workspace, name, exclude=scenario)
    values: dict[str, Any] = {
        "name": cleaned,
        "description": description,
        "parameters": parameters_to_json(parameters),
    }
    scenario.refresh_from_db(fields=["status", "parameters", "version"])
    if values["parameters"] != scenario.parameters and scenario.status != "draft":
        values["status"] = "draft"
    return record_update(
        instance=scenario,
        workspace=scenario.workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=SCENARIO_FIELDS,
        expected_version=expected_version,
    )


def scenario_copy(
    scenario: PlanScenario,
    *,
    name: str,
    budget_factor: float = 1.0,
    acting_user: User | None,
) -> PlanScenario:
    """A new scenario with the same parameters (the budget of every year times ``budget_factor``) and the
    same sessions, locked ones still locked; not solved yet."""
    workspace = scenario.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if not 0 < budget_factor <= 10:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The budget factor must be more than 0 and at most 10 (e.g. 0.8 for a budget a fifth lower)."),
            problems=[FieldProblem("budget_factor", _("Give a number such as 0.8."))],
        )
    cleaned = _check_name(workspace, name)
    parameters = scenario_parameters(scenario)
    parameters = dataclasses.replace(
        parameters,
        budget_per_year=tuple(round(value * budget_factor, 2) for value in parameters.budget_per_year),
    )
    with transaction.atomic():
        copied = record_create(
            model=PlanScenario,
            workspace=workspace,
            values={
                "workspace": workspace,
                "name": cleaned,
                "description": scenario.description,
                "based_on": scenario,
                "parameters": parameters_to_json(parameters),
            },
            acting_user=acting_user,
            audited_fields=SCENARIO_FIELDS,
        )
        PlanSession.objects.bulk_create(
            PlanSession(
                workspace=workspace,
                scenario=copied,
                module_id=session.module_id,
                location=session.location,
                quarter=session.quarter,
                trainer=session.trainer,
                seats=session.seats,
                locked=session.locked,
                origin=session.origin,
            )
            for session in scenario.sessions.order_by("id")
        )
    return copied


def scenario_adopt(scenario: PlanScenario, *, acting_user: User | None) -> PlanScenario:
    """Make this the workspace's adopted plan (the one the plan documents and the M&E targets use)."""
    require_permission(acting_user, scenario.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        PlanScenario.objects.filter(workspace=scenario.workspace, is_adopted=True).exclude(
            pk=scenario.pk
        ).update(is_adopted=False)
        if not scenario.is_adopted:
            scenario = record_update(
                instance=scenario,
                workspace=scenario.workspace,
                changes={"is_adopted": True},
                acting_user=acting_user,
                audited_fields=SCENARIO_FIELDS,
            )
    return scenario


def scenario_delete(scenario: PlanScenario, *, acting_user: User | None) -> None:
    require_permission(acting_user, scenario.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        audit_record(
            acting_user=acting_user,
            workspace=scenario.workspace,
            action="delete",
            obj=scenario,
            before=record_values(scenario, SCENARIO_FIELDS),
        )
        was_adopted = scenario.is_adopted
        workspace = scenario.workspace
        scenario.delete()
        if was_adopted:
            following = PlanScenario.objects.filter(workspace=workspace).order_by("created_at", "id").first()
            if following is not None:
                PlanScenario.objects.filter(pk=following.pk).update(is_adopted=True)


# --- Sessions ------------------------------------------------------------------------------------------------


def core_session(session: PlanSession) -> Session:
    return Session(
        module=session.module.code,
        location=session.location,
        quarter=session.quarter,
        trainer=TrainerOrigin(session.trainer),
        seats=tuple(
            Seats(str(seat["segment"]), int(seat.get("female", 0)), int(seat.get("male", 0)))
            for seat in session.seats
        ),
    )


def scenario_sessions(scenario: PlanScenario) -> list[PlanSession]:
    return list(
        scenario.sessions.select_related("module").order_by("quarter", "location", "module__code", "id")
    )


def _session_problems(
    workspace: Workspace, parameters: Parameters, module: TrainingModule, values: Mapping[str, Any]
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    quarter = values["quarter"]
    if not 1 <= quarter <= parameters.quarters:
        problems.append(
            FieldProblem("quarter", _("Choose a quarter from 1 to %(last)s."), {"last": parameters.quarters})
        )
    location = values["location"]
    if location not in (module.costs or {}):
        problems.append(
            FieldProblem(
                "location",
                _("Module %(code)s is not offered at %(location)s (it has no costs there)."),
                {"code": module.code, "location": location},
            )
        )
    known = dict(
        PlanSegment.objects.filter(workspace=workspace).values_list("code", "location").order_by("code")
    )
    participants = 0
    for index, seat in enumerate(values["seats"]):
        segment = seat["segment"]
        if segment not in known:
            problems.append(
                FieldProblem(f"seats[{index}].segment", _("Unknown segment “%(code)s”."), {"code": segment})
            )
        elif known[segment] != location:
            problems.append(
                FieldProblem(
                    f"seats[{index}].segment",
                    _("Segment %(code)s works at %(segment_location)s, not at %(location)s."),
                    {"code": segment, "segment_location": known[segment], "location": location},
                )
            )
        for sex in ("female", "male"):
            if seat[sex] < 0:
                problems.append(FieldProblem(f"seats[{index}].{sex}", _("Seats cannot be negative.")))
        participants += seat["female"] + seat["male"]
    if participants > module.participants_max:
        problems.append(
            FieldProblem(
                "seats",
                _("%(count)s participants is more than the module's maximum of %(max)s."),
                {"count": participants, "max": module.participants_max},
            )
        )
    return problems


def _clean_seats(seats: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    for seat in seats:
        female, male = int(seat.get("female") or 0), int(seat.get("male") or 0)
        if female or male:
            cleaned.append({"segment": str(seat["segment"]), "female": female, "male": male})
    return cleaned


def session_save(
    scenario: PlanScenario,
    *,
    module: TrainingModule,
    location: str,
    quarter: int,
    trainer: str,
    seats: Sequence[Mapping[str, Any]],
    acting_user: User | None,
    session: PlanSession | None = None,
    expected_version: int | None = None,
) -> PlanSession:
    """Add a session by hand or change one; either way it is locked, so re-optimising keeps it."""
    workspace = scenario.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if module.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such module in this workspace."))
    values: dict[str, Any] = {
        "module": module,
        "location": location.strip(),
        "quarter": quarter,
        "trainer": trainer,
        "seats": _clean_seats(seats),
        "locked": True,
    }
    if trainer not in {origin.value for origin in TrainerOrigin}:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Choose a national or an international trainer."),
            problems=[FieldProblem("trainer", _("Choose a national or an international trainer."))],
        )
    problems = _session_problems(workspace, scenario_parameters(scenario), module, values)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The session cannot be saved; correct the fields listed."),
            problems=problems,
        )
    with transaction.atomic():
        if session is None:
            saved = record_create(
                model=PlanSession,
                workspace=workspace,
                values={"workspace": workspace, "scenario": scenario, "origin": "user", **values},
                acting_user=acting_user,
                audited_fields=SESSION_FIELDS,
            )
        else:
            saved = record_update(
                instance=session,
                workspace=session.workspace,
                changes=values,
                acting_user=acting_user,
                audited_fields=SESSION_FIELDS,
                expected_version=expected_version,
            )
        _mark_changed(scenario)
    return saved


def session_set_locked(session: PlanSession, *, locked: bool, acting_user: User | None) -> PlanSession:
    require_permission(acting_user, session.workspace, Permission.EDIT_CONTENT)
    if session.locked == locked:
        return session
    return record_update(
        instance=session,
        workspace=session.workspace,
        changes={"locked": locked},
        acting_user=acting_user,
        audited_fields=SESSION_FIELDS,
    )


def session_delete(session: PlanSession, *, acting_user: User | None) -> None:
    require_permission(acting_user, session.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        audit_record(
            acting_user=acting_user,
            workspace=session.workspace,
            action="delete",
            obj=session,
            before=record_values(session, SESSION_FIELDS),
        )
        scenario = session.scenario
        session.delete()
        _mark_changed(scenario)


def _mark_changed(scenario: PlanScenario) -> None:
    """A hand-made change leaves the solver's figures out of date: say so until the next solve."""
    PlanScenario.objects.filter(pk=scenario.pk).exclude(status="draft").update(status="draft")
    scenario.status = "draft"


# --- Solving -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SolveOutcome:
    scenario: PlanScenario
    plan: Plan
    greedy: Plan
    instance: Instance


def improvement_over_greedy(plan: Mapping[str, Any], greedy: Mapping[str, Any]) -> float | None:
    """How much more weighted need the solver's plan covers than the greedy one, as a fraction (0.15 = 15 %
    more); ``None`` when either is missing or the greedy covers nothing."""
    ours, theirs = plan.get("objective"), greedy.get("objective")
    if ours is None or theirs is None or not theirs or plan.get("status") == PlanStatus.INFEASIBLE.value:
        return None
    return float(ours) / float(theirs) - 1.0


def scenario_solve(
    scenario: PlanScenario,
    *,
    acting_user: User | None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = DEFAULT_MIP_GAP,
    progress: Progress | None = None,
    solver_progress: SolverProgress | None = None,
) -> SolveOutcome:
    """Solve the scenario with HiGHS (keeping its locked sessions) and compute the greedy baseline in the
    same call; store both. A feasible plan replaces the unlocked sessions; an infeasible one changes no
    session and keeps the conflicting constraint groups in the result."""
    workspace = scenario.workspace
    require_permission(acting_user, workspace, Permission.ANALYSE_DATA)
    scenario.refresh_from_db()  # solve what is stored, not what a caller's copy remembers
    parameters = scenario_parameters(scenario)
    instance = build_instance(workspace, parameters, name=scenario.name)
    locked_rows = [row for row in scenario_sessions(scenario) if row.locked]
    locked = [core_session(row) for row in locked_rows]
    if progress:
        progress(_("Greedy baseline"))
    greedy = solve_greedy(instance)
    if progress:
        progress(_("Optimising with HiGHS"))
    plan = solve(
        instance,
        locked=locked,
        time_limit=time_limit,
        mip_gap=mip_gap,
        progress=solver_progress,
        # Without locked sessions the greedy plan is a plan the solver can fall back on (or start from).
        fallback=None if locked else greedy.sessions,
    )
    modules = {module.code: module for module in TrainingModule.objects.filter(workspace=workspace)}
    locked_keys = {_session_key(session) for session in locked}
    with transaction.atomic():
        fresh = PlanScenario.objects.select_for_update().get(pk=scenario.pk)
        before = record_values(fresh, ["status"])
        fresh.status = plan.status.value
        fresh.result = plan_to_json(plan)
        fresh.greedy = plan_to_json(greedy)
        fresh.solved_at = timezone.now()
        fresh.version += 1
        fresh.save(update_fields=["status", "result", "greedy", "solved_at", "version", "updated_at"])
        if plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE, PlanStatus.ROUNDING_BROKE):
            fresh.sessions.filter(locked=False).delete()
            remaining = list(locked_keys)
            new_rows = []
            for session in plan.sessions:
                key = _session_key(session)
                if key in remaining:  # a locked session the solver kept as it was
                    remaining.remove(key)
                    continue
                new_rows.append(
                    PlanSession(
                        workspace=workspace,
                        scenario=fresh,
                        module=modules[session.module],
                        location=session.location,
                        quarter=session.quarter,
                        trainer=session.trainer.value,
                        seats=[
                            {"segment": seat.segment, "female": seat.female, "male": seat.male}
                            for seat in session.seats
                        ],
                        origin="optimizer",
                    )
                )
            PlanSession.objects.bulk_create(new_rows)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="solve",
            obj=fresh,
            before=before,
            after={
                "status": fresh.status,
                "objective": plan.objective,
                "sessions": len(plan.sessions),
                "greedy_objective": greedy.objective,
            },
        )
    return SolveOutcome(fresh, plan, greedy, instance)


def _session_key(session: Session) -> tuple[Any, ...]:
    return (
        session.module,
        session.location,
        session.quarter,
        session.trainer.value,
        tuple(sorted((seat.segment, seat.female, seat.male) for seat in session.seats)),
    )


def name_taken(workspace: Workspace, name: str) -> bool:
    return PlanScenario.objects.filter(workspace=workspace, name=name.strip()).exists()


def free_name(workspace: Workspace, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``, ``wanted (3)``… — the first that no scenario uses."""
    if not name_taken(workspace, wanted):
        return wanted
    number = 2
    while name_taken(workspace, f"{wanted} ({number})"):
        number += 1
    return f"{wanted} ({number})"


__all__ = [
    "DEFAULT_TIME_LIMIT",
    "SolveOutcome",
    "free_name",
    "improvement_over_greedy",
    "scenario_adopt",
    "scenario_copy",
    "scenario_create",
    "scenario_delete",
    "scenario_solve",
    "scenario_update",
    "session_delete",
    "session_save",
    "session_set_locked",
]
