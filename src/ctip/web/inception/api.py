"""API endpoints of the inception app, mounted under /api/v1/ (see ctip.web.api)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from ctip.core.access import Permission
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import workspace_access
from ctip.web.inception import selectors, services
from ctip.web.inception.models import SamplingSettings
from ctip.web.inception.services import PhaseDatesInput

router = Router(tags=["inception"])


class SamplingSettingsIn(Schema):
    confidence: float = 0.95
    margin: float = 0.05
    minimum_per_organisation: int = 3
    interviews_per_organisation: int = 1
    focus_groups: int = 4
    focus_group_size: int = 8
    expected_version: int | None = None


class SamplingSettingsOut(Schema):
    confidence: float
    margin: float
    minimum_per_organisation: int
    interviews_per_organisation: int
    focus_groups: int
    focus_group_size: int
    version: int


class StratumOut(Schema):
    key: str
    label: str
    population: int
    sex_split_known: bool
    women: int | None
    men: int | None
    allocated_total: int
    allocated_women: int | None
    allocated_men: int | None
    sampling_fraction: float
    interviews: int


class NoteOut(Schema):
    code: str
    message: str


class SamplingPlanOut(Schema):
    population: int
    women: int
    men: int
    confidence: float
    margin: float
    z: float
    n0: float
    n0_rounded: int
    n: int
    total_allocated: int
    minimum_per_organisation: int
    strata: list[StratumOut]
    total_interviews: int
    focus_groups: int
    focus_group_size: int
    focus_group_participants: int
    notes: list[NoteOut]


class PhaseIn(Schema):
    phase: str
    label: str = ""
    start: dt.date
    end: dt.date


class PhaseOut(Schema):
    id: uuid.UUID | None
    phase: str
    label: str
    start: dt.date
    end: dt.date


class TimelineIn(Schema):
    phases: list[PhaseIn]


class TimelineOut(Schema):
    plan_start_year: int
    plan_end_year: int
    phases: list[PhaseOut]
    suggestion: list[PhaseOut]
    warnings: list[str]


def _settings_out(parameters: SamplingSettings) -> SamplingSettingsOut:
    return SamplingSettingsOut(
        confidence=float(parameters.confidence),
        margin=float(parameters.margin),
        minimum_per_organisation=parameters.minimum_per_organisation,
        interviews_per_organisation=parameters.interviews_per_organisation,
        focus_groups=parameters.focus_groups,
        focus_group_size=parameters.focus_group_size,
        version=parameters.version,
    )


@router.get("w/{workspace}/sampling-settings", response={200: SamplingSettingsOut, **ERRORS})
def sampling_settings_get(request: HttpRequest, workspace: str) -> SamplingSettingsOut:
    """The TNA sampling parameters (the defaults until someone sets them). ``confidence`` and ``margin``
    are fractions: 0.95 is 95%, 0.05 is ±5 percentage points."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _settings_out(selectors.sampling_settings_for(found))


@router.put("w/{workspace}/sampling-settings", response={200: SamplingSettingsOut, **ERRORS})
def sampling_settings_put(
    request: HttpRequest, workspace: str, payload: SamplingSettingsIn
) -> SamplingSettingsOut:
    """Set the sampling parameters. Send ``expected_version`` to get 409 instead of overwriting a change
    someone else made."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    data = payload.dict()
    expected = data.pop("expected_version")
    return _settings_out(
        services.sampling_settings_update(
            workspace=found, acting_user=request.user, expected_version=expected, **data
        )
    )


@router.get("w/{workspace}/sampling-plan", response={200: SamplingPlanOut, **ERRORS})
def sampling_plan_get(request: HttpRequest, workspace: str) -> SamplingPlanOut:
    """The sampling plan computed from the stakeholder registry's staff numbers and the sampling
    parameters. For an organisation whose staff is known only as a total, ``sex_split_known`` is false and
    the split fields are null. 400 ``required`` when no organisation has staff numbers."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    registry = selectors.registry_strata(found)
    plan = selectors.inception_sampling_plan(found, registry)
    size = plan.sample_size
    strata = []
    for row, interviews in zip(plan.allocation.strata, plan.interviews, strict=True):
        known = row.key not in registry.split_unknown
        strata.append(
            StratumOut(
                key=row.key,
                label=row.label,
                population=row.population,
                sex_split_known=known,
                women=row.women if known else None,
                men=row.men if known else None,
                allocated_total=row.allocated_total,
                allocated_women=row.allocated_women if known else None,
                allocated_men=row.allocated_men if known else None,
                sampling_fraction=row.sampling_fraction,
                interviews=interviews.planned,
            )
        )
    return SamplingPlanOut(
        population=plan.population,
        women=plan.women,
        men=plan.men,
        confidence=size.confidence,
        margin=size.margin,
        z=size.z,
        n0=size.n0,
        n0_rounded=size.n0_rounded,
        n=size.n,
        total_allocated=plan.allocation.total_allocated,
        minimum_per_organisation=plan.allocation.minimum_per_stratum,
        strata=strata,
        total_interviews=plan.total_interviews,
        focus_groups=plan.focus_groups,
        focus_group_size=plan.focus_group_size,
        focus_group_participants=plan.focus_group_participants,
        notes=[NoteOut(code=note.code, message=note.render(gettext)) for note in plan.notes],
    )


def _timeline_out(workspace: Workspace, warnings: list[str] | None = None) -> TimelineOut:
    saved = selectors.phase_dates_of(workspace)
    return TimelineOut(
        plan_start_year=workspace.plan_start_year,
        plan_end_year=workspace.plan_end_year,
        phases=[
            PhaseOut(id=row.uuid, phase=row.phase, label=row.label, start=row.start, end=row.end)
            for row in saved
        ],
        suggestion=[]
        if saved
        else [
            PhaseOut(id=None, phase=item.phase, label=item.label, start=item.start, end=item.end)
            for item in selectors.timeline_suggestion(workspace)
        ],
        warnings=warnings or [],
    )


@router.get("w/{workspace}/timeline", response={200: TimelineOut, **ERRORS})
def timeline_get(request: HttpRequest, workspace: str) -> TimelineOut:
    """The programme timeline: the saved phases in date order, or (while none is saved) a suggestion over
    the plan period."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _timeline_out(found)


@router.put("w/{workspace}/timeline", response={200: TimelineOut, **ERRORS})
def timeline_put(request: HttpRequest, workspace: str, payload: TimelineIn) -> TimelineOut:
    """Replace the whole timeline with ``phases`` (phases not listed are removed). The programme's phases
    are inception, needs, plan, trainings, action-plan and monitoring; others need a ``label``. Dates far
    outside the plan period are saved and reported in ``warnings``."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    saved = services.timeline_replace(
        workspace=found,
        phases=[
            PhaseDatesInput(phase=p.phase, label=p.label, start=p.start, end=p.end) for p in payload.phases
        ],
        acting_user=request.user,
    )
    warnings = [
        warning
        for row in saved
        for warning in selectors.timeline_warnings(found, label=row.label, start=row.start, end=row.end)
    ]
    return _timeline_out(found, warnings)
