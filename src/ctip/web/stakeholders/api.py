"""API endpoints of the stakeholder registry, mounted under /api/v1/ (see ctip.web.api).

Organisations are identified by their UUID (``id``); ``parent`` is the UUID of another organisation of the
workspace. Writes go through the same services as the pages, so the same rules and audit apply.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import workspace_access
from ctip.web.stakeholders import selectors, services
from ctip.web.stakeholders.models import Organisation
from ctip.web.stakeholders.services import ImportPreview

router = Router(tags=["stakeholders"])


class FocalPointOut(Schema):
    id: uuid.UUID
    name: str
    title: str
    sex: str
    email: str
    phone: str


class PriorTrainingOut(Schema):
    id: uuid.UUID
    year: int
    topic: str
    provider: str
    participants_women: int
    participants_men: int


class RelationOut(Schema):
    id: uuid.UUID
    source: uuid.UUID
    target: uuid.UUID
    kind: str


class OrganisationOut(Schema):
    id: uuid.UUID
    key: str
    name: str
    acronym: str
    type: str
    sector: str
    level: str
    location: str
    parent: uuid.UUID | None
    pillars: list[str]
    chain_stages: list[str]
    mandate: str
    staff_women: int | None
    staff_men: int | None
    staff_total: int | None
    frontline_women: int | None
    frontline_men: int | None
    staff_as_of: dt.date | None
    influence: int | None
    interest: int | None
    figures_fictional: bool
    version: int


class OrganisationDetailOut(OrganisationOut):
    focal_points: list[FocalPointOut]
    prior_trainings: list[PriorTrainingOut]
    relations: list[RelationOut]


class OrganisationIn(Schema):
    name: str
    type: str
    key: str = ""
    acronym: str = ""
    sector: str = ""
    level: str = ""
    location: str = ""
    parent: uuid.UUID | None = None
    pillars: list[str] = []
    chain_stages: list[str] = []
    mandate: str = ""
    staff_women: int | None = None
    staff_men: int | None = None
    staff_total: int | None = None
    frontline_women: int | None = None
    frontline_men: int | None = None
    staff_as_of: dt.date | None = None
    influence: int | None = None
    interest: int | None = None
    figures_fictional: bool = False


class OrganisationPatch(Schema):
    """Only the fields sent change; send ``"parent": null`` to remove the parent."""

    name: str | None = None
    type: str | None = None
    key: str | None = None
    acronym: str | None = None
    sector: str | None = None
    level: str | None = None
    location: str | None = None
    parent: uuid.UUID | None = None
    pillars: list[str] | None = None
    chain_stages: list[str] | None = None
    mandate: str | None = None
    staff_women: int | None = None
    staff_men: int | None = None
    staff_total: int | None = None
    frontline_women: int | None = None
    frontline_men: int | None = None
    staff_as_of: dt.date | None = None
    influence: int | None = None
    interest: int | None = None
    figures_fictional: bool | None = None
    expected_version: int | None = None


class FieldChangeOut(Schema):
    field: str
    column: str
    before: str
    after: str


class ImportRowOut(Schema):
    row: int
    key: str
    name: str
    action: str
    changes: list[FieldChangeOut]


class ImportOut(Schema):
    dry_run: bool
    filename: str
    created: int
    updated: int
    unchanged: int
    not_in_file: int
    ignored_columns: list[str]
    rows: list[ImportRowOut]


class MatrixCellOut(Schema):
    pillar: str
    stage: str
    organisations: list[str]


class GridPointOut(Schema):
    key: str
    name: str
    influence: int
    interest: int
    quadrant: str


class CountRowOut(Schema):
    value: str
    organisations: int
    staff_women: int
    staff_men: int
    staff_total: int
    frontline_women: int
    frontline_men: int
    without_staff_figures: int


class CountsOut(Schema):
    by_type: list[CountRowOut]
    by_sector: list[CountRowOut]
    by_location: list[CountRowOut]
    total: CountRowOut


class EdgeOut(Schema):
    source: str
    target: str
    kind: str


class MappingOut(Schema):
    """Codes, not labels; organisations by key. ``grid_cut``: scores at or above it are high."""

    pillars: list[str]
    stages: list[str]
    matrix: list[MatrixCellOut]
    grid_cut: float
    grid: list[GridPointOut]
    unscored: list[str]
    counts: CountsOut
    network: list[EdgeOut]


def _out(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.uuid,
        **{name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS if name != "parent"},
        "parent": organisation.parent.uuid if organisation.parent_id else None,
        "pillars": list(organisation.pillars or []),
        "chain_stages": list(organisation.chain_stages or []),
        "version": organisation.version,
    }


def _detail(workspace: Workspace, organisation_id: uuid.UUID) -> dict[str, Any]:
    found = get_object_or_404(selectors.organisation_detail(workspace, organisation_id))
    relations = [*found.relations_out.all(), *found.relations_in.all()]
    return {
        **_out(found),
        "focal_points": [
            {"id": p.uuid, "name": p.name, "title": p.title, "sex": p.sex, "email": p.email, "phone": p.phone}
            for p in found.focal_points.all()
        ],
        "prior_trainings": [
            {
                "id": t.uuid,
                "year": t.year,
                "topic": t.topic,
                "provider": t.provider,
                "participants_women": t.participants_women,
                "participants_men": t.participants_men,
            }
            for t in found.prior_trainings.all()
        ],
        "relations": [
            {"id": r.uuid, "source": r.source.uuid, "target": r.target.uuid, "kind": r.kind}
            for r in relations
        ],
    }


def _parent(workspace: Workspace, parent: uuid.UUID | None) -> Organisation | None:
    if parent is None:
        return None
    found = Organisation.objects.filter(workspace=workspace, uuid=parent).first()
    if found is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The parent is not an organisation of this workspace."),
            problems=[
                FieldProblem("parent", _("No organisation “%(id)s” in this workspace."), {"id": str(parent)})
            ],
        )
    return found


@router.get("w/{workspace}/organisations", response={200: list[OrganisationOut], **ERRORS})
def organisation_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """The registry, by name."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_out(organisation) for organisation in selectors.organisations(found)]


@router.post("w/{workspace}/organisations", response={201: OrganisationDetailOut, **ERRORS})
def organisation_create(
    request: HttpRequest, workspace: str, payload: OrganisationIn
) -> Status[dict[str, Any]]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    values = payload.dict()
    values["parent"] = _parent(found, values["parent"])
    created = services.organisation_create(workspace=found, acting_user=request.user, **values)
    return Status(201, _detail(found, created.uuid))


@router.post("w/{workspace}/organisations/import", response={200: ImportOut, **ERRORS})
def organisation_import(
    request: HttpRequest, workspace: str, file: File[UploadedFile], dry_run: bool = False
) -> dict[str, Any]:
    """Import a spreadsheet (CSV or XLSX in the template's columns, multipart field ``file``). With
    ``?dry_run=true`` nothing is saved and the answer says what would change; otherwise the whole file is
    imported or, on any problem, nothing (400 with every problem's row and column)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    data = file.read()
    name = file.name or "upload.csv"
    if dry_run:
        preview: ImportPreview = services.stakeholder_import_preview(
            workspace=found, data=data, filename=name, acting_user=request.user
        )
    else:
        preview = services.stakeholder_import_apply(
            workspace=found, data=data, filename=name, acting_user=request.user
        ).preview
    return {
        "dry_run": dry_run,
        "filename": preview.filename,
        "created": preview.to_create,
        "updated": preview.to_update,
        "unchanged": preview.unchanged,
        "not_in_file": preview.not_in_file,
        "ignored_columns": list(preview.ignored_columns),
        "rows": [
            {
                "row": row.row,
                "key": row.key,
                "name": row.name,
                "action": row.action,
                "changes": [vars(change) for change in row.changes],
            }
            for row in preview.rows
        ],
    }


@router.get("w/{workspace}/organisations/{organisation}", response={200: OrganisationDetailOut, **ERRORS})
def organisation_detail(request: HttpRequest, workspace: str, organisation: uuid.UUID) -> dict[str, Any]:
    """One organisation with its focal points, prior trainings and relations."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _detail(found, organisation)


@router.patch("w/{workspace}/organisations/{organisation}", response={200: OrganisationDetailOut, **ERRORS})
def organisation_update(
    request: HttpRequest, workspace: str, organisation: uuid.UUID, payload: OrganisationPatch
) -> dict[str, Any]:
    """Change the fields sent. Send ``expected_version`` to be told of a conflicting change (409)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(Organisation, workspace=found, uuid=organisation)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    if "parent" in changes:
        changes["parent"] = _parent(found, changes["parent"])
    services.organisation_update(
        workspace=found, organisation=target, acting_user=request.user, expected_version=expected, **changes
    )
    return _detail(found, organisation)


@router.delete("w/{workspace}/organisations/{organisation}", response={204: None, **ERRORS})
def organisation_delete(request: HttpRequest, workspace: str, organisation: uuid.UUID) -> Status[None]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(Organisation, workspace=found, uuid=organisation)
    services.organisation_delete(workspace=found, organisation=target, acting_user=request.user)
    return Status(204, None)


@router.get("w/{workspace}/stakeholder-mapping", response={200: MappingOut, **ERRORS})
def stakeholder_mapping(request: HttpRequest, workspace: str) -> dict[str, Any]:
    """The mapping as data: the pillar × stage matrix, the influence/interest grid, counts and the network."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    matrix = selectors.stakeholder_matrix(found)
    grid = selectors.stakeholder_grid(found)
    counts = selectors.stakeholder_counts(found)
    network = selectors.stakeholder_network(found)
    return {
        "pillars": list(matrix.pillars),
        "stages": list(matrix.stages),
        "matrix": [
            {"pillar": pillar, "stage": stage, "organisations": [o.key for o in matrix.cell(pillar, stage)]}
            for pillar in matrix.pillars
            for stage in matrix.stages
        ],
        "grid_cut": grid.influence_cut,
        "grid": [
            {
                "key": point.organisation.key,
                "name": point.organisation.name,
                "influence": point.influence,
                "interest": point.interest,
                "quadrant": point.quadrant.value,
            }
            for point in grid.points
        ],
        "unscored": [o.key for o in grid.unscored],
        "counts": {
            "by_type": [vars(row) for row in counts.by_type],
            "by_sector": [vars(row) for row in counts.by_sector],
            "by_location": [vars(row) for row in counts.by_location],
            "total": vars(counts.total),
        },
        "network": [vars(edge) for edge in network.edges],
    }
