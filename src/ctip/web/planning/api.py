"""API endpoints of the module catalogue and the demand, mounted under /api/v1/ (see ctip.web.api).

Modules are identified by their code, segments and demand rows by UUID (``id``). Writes go through the same
services as the pages; listing the catalogue copies the default catalogue into a workspace that has none.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ctip.core.access import Permission
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import workspace_access
from ctip.web.planning import selectors, services
from ctip.web.planning.models import DemandRow, TrainingModule

router = Router(tags=["planning"])


class LocationCostOut(Schema):
    location: str
    session: float
    participant: float
    remote: bool


class ModuleOut(Schema):
    code: str
    title_en: str
    title_fr: str
    summary_en: str
    summary_fr: str
    pillar: str
    level: str
    competencies: list[str]
    duration_days: float
    delivery_mode: str
    participants_min: int
    participants_max: int
    costs: list[LocationCostOut]
    trainer_profile: str
    trainer_profile_note_en: str
    trainer_profile_note_fr: str
    prerequisites: list[str]
    is_training_of_trainers: bool
    cascade_of: str
    sensitivity_en: str
    sensitivity_fr: str
    assessment_link: str
    is_active: bool
    version: int


class LocationCostIn(Schema):
    session: float
    participant: float
    remote: bool = False


class ModulePatch(Schema):
    """Only the fields sent change. ``costs`` replaces all the module's costs (location → costs); a location
    left out is no longer offered."""

    title_en: str | None = None
    title_fr: str | None = None
    summary_en: str | None = None
    summary_fr: str | None = None
    pillar: str | None = None
    level: str | None = None
    competencies: list[str] | None = None
    duration_days: float | None = None
    delivery_mode: str | None = None
    participants_min: int | None = None
    participants_max: int | None = None
    costs: dict[str, LocationCostIn] | None = None
    trainer_profile: str | None = None
    trainer_profile_note_en: str | None = None
    trainer_profile_note_fr: str | None = None
    prerequisites: list[str] | None = None
    is_training_of_trainers: bool | None = None
    cascade_of: str | None = None
    sensitivity_en: str | None = None
    sensitivity_fr: str | None = None
    assessment_link: str | None = None
    is_active: bool | None = None
    expected_version: int | None = None


class DemandRowOut(Schema):
    id: uuid.UUID
    segment: str
    segment_id: uuid.UUID
    organisation: str
    role_group: str
    location: str
    is_frontline: bool
    segment_staff_female: int
    segment_staff_male: int
    competency: str
    staff_female: int
    staff_male: int
    need_score: float | None
    weight: float
    edited: bool
    note: str
    version: int


class DemandRowPatch(Schema):
    staff_female: int | None = None
    staff_male: int | None = None
    weight: float | None = None
    note: str | None = None
    expected_version: int | None = None


def _module_out(row: TrainingModule) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in ModuleOut.model_fields if name not in ("costs",)}
    values["duration_days"] = float(row.duration_days)
    values["costs"] = [
        {
            "location": location,
            "session": cost.session,
            "participant": cost.participant,
            "remote": bool((row.costs or {}).get(location, {}).get("remote")),
        }
        for location, cost in services.module_costs(row).items()
    ]
    return values


def _row_out(row: DemandRow) -> dict[str, Any]:
    segment = row.segment
    return {
        "id": row.uuid,
        "segment": segment.code,
        "segment_id": segment.uuid,
        "organisation": str(segment.organisation),
        "role_group": segment.role_group,
        "location": segment.location,
        "is_frontline": segment.is_frontline,
        "segment_staff_female": segment.staff_female,
        "segment_staff_male": segment.staff_male,
        "competency": row.competency,
        "staff_female": row.staff_female,
        "staff_male": row.staff_male,
        "need_score": row.need_score,
        "weight": row.weight,
        "edited": row.edited,
        "note": row.note,
        "version": row.version,
    }


@router.get("w/{workspace}/plan/modules", response={200: list[ModuleOut], **ERRORS})
def module_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """The workspace's module catalogue, in catalogue order (copied from the default on first use)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    services.catalogue_ensure(workspace=found, acting_user=request.user)
    return [_module_out(row) for row in selectors.modules(found)]


@router.get("w/{workspace}/plan/modules/{code}", response={200: ModuleOut, **ERRORS})
def module_get(request: HttpRequest, workspace: str, code: str) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    services.catalogue_ensure(workspace=found, acting_user=request.user)
    return _module_out(get_object_or_404(TrainingModule, workspace=found, code=code.upper()))


@router.patch("w/{workspace}/plan/modules/{code}", response={200: ModuleOut, **ERRORS})
def module_patch(request: HttpRequest, workspace: str, code: str, payload: ModulePatch) -> dict[str, Any]:
    """Change the fields sent; ``is_active`` withdraws or offers the module again. Send
    ``expected_version`` to be told of a conflicting change (409)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.catalogue_ensure(workspace=found, acting_user=request.user)
    module = get_object_or_404(TrainingModule, workspace=found, code=code.upper())
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    active = changes.pop("is_active", None)
    if changes:
        module = services.module_update(
            workspace=found, module=module, acting_user=request.user, expected_version=expected, **changes
        )
    if active is not None and active != module.is_active:
        change = services.module_activate if active else services.module_deactivate
        module = change(workspace=found, module=module, acting_user=request.user)
    module.refresh_from_db()
    return _module_out(module)


@router.get("w/{workspace}/plan/demand", response={200: list[DemandRowOut], **ERRORS})
def demand_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """Every demand row, by segment code and competency."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_row_out(row) for row in selectors.demand_rows(found)]


@router.patch("w/{workspace}/plan/demand/{row}", response={200: DemandRowOut, **ERRORS})
def demand_row_patch(
    request: HttpRequest, workspace: str, row: uuid.UUID, payload: DemandRowPatch
) -> dict[str, Any]:
    """Change the staff in need, the weight or the note of one row; the row is then kept when the demand is
    derived again."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(DemandRow.objects.select_related("segment"), workspace=found, uuid=row)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    services.demand_row_update(
        workspace=found, row=target, acting_user=request.user, expected_version=expected, **changes
    )
    return _row_out(selectors.demand_rows(found).get(pk=target.pk))
