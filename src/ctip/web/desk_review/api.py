"""API endpoints of the desk_review app, mounted under /api/v1/ (see ctip.web.api): the literature library
(``references``), legal instruments with their checklist assessments, and the gap list."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.db.models.functions import Length
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.api import ERRORS, ErrorOut
from ctip.web.accounts.permissions import workspace_access
from ctip.web.desk_review import checklist, selectors, services
from ctip.web.desk_review.models import ChecklistAssessment, LegalInstrument, Reference

router = Router(tags=["desk_review"])
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}  # a file over CTIP_MAX_UPLOAD_MB


# --- schemas --------------------------------------------------------------------------------------------


class FindingOut(Schema):
    id: uuid.UUID
    statement: str
    location: str
    tags: list[str]


class ReferenceOut(Schema):
    id: uuid.UUID
    title: str
    authors: str
    year: int | None
    kind: str
    url: str
    summary: str
    tags: list[str]
    file_name: str
    file_size: int | None
    finding_count: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ReferenceDetailOut(ReferenceOut):
    findings: list[FindingOut]


class ReferenceIn(Schema):
    title: str
    kind: str
    authors: str = ""
    year: int | None = None
    url: str = ""
    summary: str = ""
    tags: list[str] = []
    file_name: str | None = None
    file_base64: str | None = None


class ReferencePatch(Schema):
    title: str | None = None
    kind: str | None = None
    authors: str | None = None
    year: int | None = None
    url: str | None = None
    summary: str | None = None
    tags: list[str] | None = None
    file_name: str | None = None
    file_base64: str | None = None
    remove_file: bool = False
    expected_version: int | None = None


class ChapterScoreOut(Schema):
    chapter: str
    title: str
    met: int
    partly_met: int
    not_met: int
    not_assessed: int
    score: float | None


class InstrumentOut(Schema):
    id: uuid.UUID
    title: str
    short_name: str
    year: int | None
    kind: str
    notes: str
    reference: uuid.UUID | None
    version: int


class AssessmentOut(Schema):
    id: uuid.UUID
    item_code: str
    chapter: str
    title: str
    status: str
    provision: str
    evidence: str
    note: str
    references: list[uuid.UUID]
    version: int


class InstrumentDetailOut(InstrumentOut):
    score: float | None
    chapters: list[ChapterScoreOut]
    assessments: list[AssessmentOut]


class InstrumentIn(Schema):
    title: str
    short_name: str = ""
    year: int | None = None
    kind: str = "act"
    notes: str = ""
    reference: uuid.UUID | None = None


class AssessmentPatch(Schema):
    status: str | None = None
    provision: str | None = None
    evidence: str | None = None
    note: str | None = None
    references: list[uuid.UUID] | None = None
    expected_version: int | None = None


class ConsideredOut(Schema):
    instrument: uuid.UUID
    title: str
    status: str
    provision: str


class GapOut(Schema):
    item_code: str
    chapter: str
    title: str
    best_status: str
    best_instrument: uuid.UUID
    instruments: list[ConsideredOut]


# --- helpers --------------------------------------------------------------------------------------------


def _reference_out(reference: Reference, **extra: Any) -> dict[str, Any]:
    return {
        "id": reference.uuid,
        "title": reference.title,
        "authors": reference.authors,
        "year": reference.year,
        "kind": reference.kind,
        "url": reference.url,
        "summary": reference.summary,
        "tags": list(reference.tags or []),
        "file_name": reference.file_name,
        "file_size": getattr(reference, "file_size", None),
        "finding_count": getattr(reference, "finding_count", 0),
        "version": reference.version,
        "created_at": reference.created_at,
        "updated_at": reference.updated_at,
        **extra,
    }


def _reference_detail(workspace: Any, reference_uuid: uuid.UUID) -> dict[str, Any]:
    found = get_object_or_404(selectors.library_entries(workspace), uuid=reference_uuid)
    findings = [
        {"id": f.uuid, "statement": f.statement, "location": f.location, "tags": list(f.tags or [])}
        for f in selectors.findings_of(found)
    ]
    return _reference_out(found, findings=findings)


def _stored_reference(workspace: Any, reference_uuid: uuid.UUID) -> Reference:
    return get_object_or_404(
        Reference.objects.defer("file_content").annotate(file_size=Length("file_content")),
        uuid=reference_uuid,
        workspace=workspace,
    )


def _upload(file_name: str | None, file_base64: str | None) -> services.UploadedDocument | None:
    if file_base64 is None:
        return None
    try:
        content = base64.b64decode(file_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The file is not valid base64; encode the file's bytes with standard base64."),
            problems=[FieldProblem("file_base64", _("Not valid base64."))],
        ) from error
    if not file_name:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Send the file's name with its content, e.g. “report.pdf”."),
            problems=[FieldProblem("file_name", _("Required with file_base64."))],
        )
    return services.UploadedDocument(name=file_name, content=content)


def _instrument_out(instrument: LegalInstrument) -> dict[str, Any]:
    return {
        "id": instrument.uuid,
        "title": instrument.title,
        "short_name": instrument.short_name,
        "year": instrument.year,
        "kind": instrument.kind,
        "notes": instrument.notes,
        "reference": instrument.reference.uuid if instrument.reference else None,
        "version": instrument.version,
    }


def _instrument_detail(workspace: Any, instrument_uuid: uuid.UUID) -> dict[str, Any]:
    language = get_language()
    found = get_object_or_404(selectors.instruments_of(workspace), uuid=instrument_uuid)
    summary = next(
        s for s in selectors.legal_review_summary(workspace, language) if s.instrument.pk == found.pk
    )
    assessments = []
    for group in selectors.instrument_items(found, language):
        for row in group.rows:
            if row.assessment is None:
                continue
            assessments.append(
                {
                    "id": row.assessment.uuid,
                    "item_code": row.item.code,
                    "chapter": row.item.chapter,
                    "title": row.title,
                    "status": row.assessment.status,
                    "provision": row.assessment.provision,
                    "evidence": row.assessment.evidence,
                    "note": row.assessment.note,
                    "references": [reference.uuid for reference in row.assessment.references.all()],
                    "version": row.assessment.version,
                }
            )
    return {
        **_instrument_out(found),
        "score": summary.score,
        "chapters": [
            {
                "chapter": chapter.key,
                "title": chapter.title,
                "met": chapter.met,
                "partly_met": chapter.partly_met,
                "not_met": chapter.not_met,
                "not_assessed": chapter.not_assessed,
                "score": chapter.score,
            }
            for chapter in summary.chapters
        ],
        "assessments": assessments,
    }


# --- library --------------------------------------------------------------------------------------------


@router.get("w/{workspace}/references", response={200: list[ReferenceOut], **ERRORS})
def reference_list(
    request: HttpRequest, workspace: str, kind: str | None = None, tag: str | None = None, search: str = ""
) -> list[dict[str, Any]]:
    """The library, optionally filtered by type, tag (whole tag, any case) and words in the title, authors
    or summary."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_reference_out(r) for r in selectors.library_entries(found, kind=kind, tag=tag, search=search)]


@router.post("w/{workspace}/references", response={201: ReferenceDetailOut, **UPLOAD_ERRORS})
def reference_create(request: HttpRequest, workspace: str, payload: ReferenceIn) -> Status[dict[str, Any]]:
    """Add a library entry. A file may come along as ``file_name`` + ``file_base64`` (PDF, DOCX, XLSX or
    TXT, within the upload limit)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    data = payload.dict()
    upload = _upload(data.pop("file_name"), data.pop("file_base64"))
    reference = services.reference_create(workspace=found, file=upload, acting_user=request.user, **data)
    return Status(201, _reference_detail(found, reference.uuid))


@router.get("w/{workspace}/references/{reference}", response={200: ReferenceDetailOut, **ERRORS})
def reference_detail(request: HttpRequest, workspace: str, reference: uuid.UUID) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _reference_detail(found, reference)


@router.patch("w/{workspace}/references/{reference}", response={200: ReferenceDetailOut, **UPLOAD_ERRORS})
def reference_update(
    request: HttpRequest, workspace: str, reference: uuid.UUID, payload: ReferencePatch
) -> dict[str, Any]:
    """Change some fields of a library entry; send ``expected_version`` to be told of a conflicting change
    (409) instead of overwriting it."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = _stored_reference(found, reference)
    changes = payload.dict(exclude_unset=True)
    upload = _upload(changes.pop("file_name", None), changes.pop("file_base64", None))
    current = {
        "title": target.title,
        "kind": target.kind,
        "authors": target.authors,
        "year": target.year,
        "url": target.url,
        "summary": target.summary,
        "tags": list(target.tags or []),
    }
    services.reference_update(
        workspace=found,
        reference=target,
        file=upload,
        remove_file=changes.pop("remove_file", False),
        expected_version=changes.pop("expected_version", None),
        acting_user=request.user,
        **{
            **current,
            **{
                key: value
                for key, value in changes.items()
                if key in current and (value is not None or key == "year")
            },
        },
    )
    return _reference_detail(found, reference)


@router.delete("w/{workspace}/references/{reference}", response={204: None, **ERRORS})
def reference_delete(request: HttpRequest, workspace: str, reference: uuid.UUID) -> Status[None]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.reference_delete(
        workspace=found, reference=_stored_reference(found, reference), acting_user=request.user
    )
    return Status(204, None)


# --- legal instruments ----------------------------------------------------------------------------------


@router.get("w/{workspace}/legal-instruments", response={200: list[InstrumentOut], **ERRORS})
def instrument_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_instrument_out(instrument) for instrument in selectors.instruments_of(found)]


@router.post("w/{workspace}/legal-instruments", response={201: InstrumentDetailOut, **ERRORS})
def instrument_create(request: HttpRequest, workspace: str, payload: InstrumentIn) -> Status[dict[str, Any]]:
    """Add an instrument; its 20 checklist items start as ``not_assessed``."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    data = payload.dict()
    reference_uuid = data.pop("reference")
    reference = None
    if reference_uuid is not None:
        reference = (
            Reference.objects.defer("file_content").filter(workspace=found, uuid=reference_uuid).first()
        )
        if reference is None:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("There is no library entry %(id)s in this workspace."),
                {"id": reference_uuid},
                problems=[FieldProblem("reference", _("Unknown library entry."))],
            )
    instrument = services.instrument_create(
        workspace=found, reference=reference, acting_user=request.user, **data
    )
    return Status(201, _instrument_detail(found, instrument.uuid))


@router.get("w/{workspace}/legal-instruments/{instrument}", response={200: InstrumentDetailOut, **ERRORS})
def instrument_detail(request: HttpRequest, workspace: str, instrument: uuid.UUID) -> dict[str, Any]:
    """The instrument with its scores and every checklist assessment (titles in the request's language)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _instrument_detail(found, instrument)


@router.patch(
    "w/{workspace}/legal-instruments/{instrument}/items/{item_code}", response={200: AssessmentOut, **ERRORS}
)
def assessment_update(
    request: HttpRequest, workspace: str, instrument: uuid.UUID, item_code: str, payload: AssessmentPatch
) -> dict[str, Any]:
    """Assess one checklist item (``P01``…``P20``) of an instrument. Fields left out keep their value;
    ``references`` replaces the list of library documents. Send ``expected_version`` to be told of a
    conflicting change (409)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(
        ChecklistAssessment.objects.select_related("instrument"),
        instrument__uuid=instrument,
        instrument__workspace=found,
        item_code=item_code.upper(),
    )
    changes = payload.dict(exclude_unset=True)
    references = changes.get("references")
    updated = services.assessment_update(
        workspace=found,
        assessment=target,
        status=changes.get("status") or target.status,
        provision=changes["provision"] if changes.get("provision") is not None else target.provision,
        evidence=changes["evidence"] if changes.get("evidence") is not None else target.evidence,
        note=changes["note"] if changes.get("note") is not None else target.note,
        reference_uuids=references
        if references is not None
        else list(target.references.values_list("uuid", flat=True)),
        expected_version=changes.get("expected_version"),
        acting_user=request.user,
    )
    item = checklist.checklist_item(updated.item_code)
    return {
        "id": updated.uuid,
        "item_code": updated.item_code,
        "chapter": item.chapter if item else "",
        "title": checklist.localized(item.title, get_language()) if item else updated.item_code,
        "status": updated.status,
        "provision": updated.provision,
        "evidence": updated.evidence,
        "note": updated.note,
        "references": list(updated.references.order_by("title").values_list("uuid", flat=True)),
        "version": updated.version,
    }


@router.get("w/{workspace}/legal-gaps", response={200: list[GapOut], **ERRORS})
def gap_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """Checklist items whose best status across all instruments is ``not_met`` or ``partly_met``, with the
    instruments considered."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        {
            "item_code": gap.item_code,
            "chapter": gap.chapter.key,
            "title": gap.title,
            "best_status": gap.best_status,
            "best_instrument": gap.best.instrument.uuid,
            "instruments": [
                {
                    "instrument": row.instrument.uuid,
                    "title": row.instrument.title,
                    "status": row.status,
                    "provision": row.assessment.provision,
                }
                for row in gap.considered
            ],
        }
        for gap in selectors.legal_gaps(found, get_language())
    ]
