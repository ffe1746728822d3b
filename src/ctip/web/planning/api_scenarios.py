"""API of the plan scenarios, mounted under /api/v1/ (see ctip.web.api): list, read (figures, sessions,
the solver's and the greedy baseline's results), create, solve, copy, and edit or lock a session."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.planning.instance_json import parameters_from_json
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import workspace_access
from ctip.web.planning.models import PlanScenario, PlanSession, TrainingModule
from ctip.web.planning.scenario_data import scenario_figures
from ctip.web.planning.services import scenarios as services

router = Router(tags=["plan"])


class ScenarioIn(Schema):
    name: str
    description: str = ""
    parameters: dict[str, Any] = {}
    """Only what differs from the defaults; the keys of the instance format's ``parameters``."""


class CopyIn(Schema):
    name: str
    budget_factor: float = 1.0


class SolveIn(Schema):
    time_limit: float = services.DEFAULT_TIME_LIMIT
    mip_gap: float = services.DEFAULT_MIP_GAP


class SeatIn(Schema):
    segment: str
    female: int = 0
    male: int = 0


class SessionIn(Schema):
    module: str
    location: str
    quarter: int
    trainer: str
    seats: list[SeatIn]
    version: int | None = None


class LockIn(Schema):
    locked: bool


def _scenario(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, permission: Permission
) -> PlanScenario:
    found, _membership = workspace_access(request.user, workspace, permission)
    chosen = PlanScenario.objects.filter(workspace=found, uuid=scenario).first()
    if chosen is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such scenario in this workspace."))
    return chosen


def _summary(scenario: PlanScenario) -> dict[str, Any]:
    figures = scenario_figures(scenario)
    return {
        "uuid": str(scenario.uuid),
        "name": scenario.name,
        "description": scenario.description,
        "status": scenario.status,
        "is_adopted": scenario.is_adopted,
        "based_on": str(scenario.based_on.uuid) if scenario.based_on else None,
        "parameters": scenario.parameters,
        "solved_at": scenario.solved_at.isoformat() if scenario.solved_at else None,
        "objective": figures.objective,
        "greedy_objective": figures.greedy_objective,
        "improvement_over_greedy": figures.improvement,
        "gap": figures.gap,
        "solve_seconds": figures.solve_seconds,
        "sessions": figures.sessions,
        "seats_female": figures.female,
        "seats_male": figures.male,
        "cost_by_year": [year.cost for year in figures.years],
        "budget_by_year": [year.budget for year in figures.years],
        "national_share_by_year": [year.national_share for year in figures.years],
    }


def _session(row: PlanSession) -> dict[str, Any]:
    return {
        "uuid": str(row.uuid),
        "module": row.module.code,
        "location": row.location,
        "quarter": row.quarter,
        "trainer": row.trainer,
        "seats": row.seats,
        "locked": row.locked,
        "origin": row.origin,
        "version": row.version,
    }


def _detail(scenario: PlanScenario) -> dict[str, Any]:
    return _summary(scenario) | {
        "session_list": [_session(row) for row in services.scenario_sessions(scenario)],
        "result": scenario.result,
        "greedy": scenario.greedy,
    }


@router.get("w/{workspace}/plan/scenarios", response={200: list[dict[str, Any]], **ERRORS})
def scenario_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """The workspace's plan scenarios with their headline figures (the adopted one first)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        _summary(s)
        for s in PlanScenario.objects.filter(workspace=found).order_by("-is_adopted", "created_at")
    ]


@router.post("w/{workspace}/plan/scenarios", response={201: dict[str, Any], **ERRORS})
def scenario_create(request: HttpRequest, workspace: str, payload: ScenarioIn) -> tuple[int, dict[str, Any]]:
    """A new scenario; ``parameters`` as in the instance format (e.g. ``{"budget_per_year": [90000]}``)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    created = services.scenario_create(
        workspace=found,
        name=payload.name,
        description=payload.description,
        parameters=parameters_from_json(payload.parameters),
        acting_user=request.user,
    )
    return 201, _detail(created)


@router.get("w/{workspace}/plan/scenarios/{scenario}", response={200: dict[str, Any], **ERRORS})
def scenario_get(request: HttpRequest, workspace: str, scenario: uuid.UUID) -> dict[str, Any]:
    """One scenario: figures, sessions, and the last solve's plan and greedy baseline (``result``, ``greedy``:
    objective, gap, solve_seconds, cost_by_year, explanations, unmet needs with reasons, conflicts)."""
    return _detail(_scenario(request, workspace, scenario, Permission.VIEW_WORKSPACE))


@router.post("w/{workspace}/plan/scenarios/{scenario}/solve", response={200: dict[str, Any], **ERRORS})
def scenario_solve(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, payload: SolveIn
) -> dict[str, Any]:
    """Solve (HiGHS, locked sessions kept) and compute the greedy baseline in the same call. An infeasible
    scenario answers 200 with ``status: infeasible`` and the conflicting constraint groups in
    ``result.conflicts``; its sessions are unchanged."""
    chosen = _scenario(request, workspace, scenario, Permission.ANALYSE_DATA)
    time_limit = min(max(payload.time_limit, 1.0), 300.0)
    outcome = services.scenario_solve(
        chosen,
        acting_user=request.user,
        time_limit=time_limit,
        mip_gap=payload.mip_gap,
    )
    return _detail(outcome.scenario)


@router.post("w/{workspace}/plan/scenarios/{scenario}/copy", response={201: dict[str, Any], **ERRORS})
def scenario_copy(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, payload: CopyIn
) -> tuple[int, dict[str, Any]]:
    """A copy with every year's budget times ``budget_factor`` (0.8: 20 % lower), not solved yet."""
    chosen = _scenario(request, workspace, scenario, Permission.EDIT_CONTENT)
    copied = services.scenario_copy(
        chosen,
        name=payload.name,
        budget_factor=payload.budget_factor,
        acting_user=request.user,
    )
    return 201, _detail(copied)


def _plan_session(scenario: PlanScenario, session: uuid.UUID) -> PlanSession:
    row = PlanSession.objects.filter(scenario=scenario, uuid=session).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such session in this scenario."))
    return row


def _module(scenario: PlanScenario, code: str) -> TrainingModule:
    module = TrainingModule.objects.filter(workspace=scenario.workspace, code=code).first()
    if module is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No module %(code)s in the catalogue."), {"code": code})
    return module


@router.post("w/{workspace}/plan/scenarios/{scenario}/sessions", response={201: dict[str, Any], **ERRORS})
def session_add(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, payload: SessionIn
) -> tuple[int, dict[str, Any]]:
    """A session added by hand (locked)."""
    chosen = _scenario(request, workspace, scenario, Permission.EDIT_CONTENT)
    row = services.session_save(
        chosen,
        module=_module(chosen, payload.module),
        location=payload.location,
        quarter=payload.quarter,
        trainer=payload.trainer,
        seats=[seat.dict() for seat in payload.seats],
        acting_user=request.user,
    )
    return 201, _session(row)


@router.put(
    "w/{workspace}/plan/scenarios/{scenario}/sessions/{session}", response={200: dict[str, Any], **ERRORS}
)
def session_put(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, session: uuid.UUID, payload: SessionIn
) -> dict[str, Any]:
    """Change a session (it becomes locked); ``version`` guards against overwriting someone else's change."""
    chosen = _scenario(request, workspace, scenario, Permission.EDIT_CONTENT)
    row = services.session_save(
        chosen,
        module=_module(chosen, payload.module),
        location=payload.location,
        quarter=payload.quarter,
        trainer=payload.trainer,
        seats=[seat.dict() for seat in payload.seats],
        acting_user=request.user,
        session=_plan_session(chosen, session),
        expected_version=payload.version,
    )
    return _session(row)


@router.post(
    "w/{workspace}/plan/scenarios/{scenario}/sessions/{session}/lock",
    response={200: dict[str, Any], **ERRORS},
)
def session_lock(
    request: HttpRequest, workspace: str, scenario: uuid.UUID, session: uuid.UUID, payload: LockIn
) -> dict[str, Any]:
    """Lock (kept when re-optimising) or unlock a session."""
    chosen = _scenario(request, workspace, scenario, Permission.EDIT_CONTENT)
    row = services.session_set_locked(
        _plan_session(chosen, session),
        locked=payload.locked,
        acting_user=request.user,
    )
    return _session(row)
