"""API endpoints of the qualitative app, mounted under /api/v1/ (see ctip.web.api).

Every member may list the interviews and focus groups and the counts of sources per theme; notes,
transcripts, excerpts and quotes need the ``analyse_data`` permission (they are ``null`` otherwise, and the
quote bank answers 403)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.api import ERRORS, ErrorOut
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import may, workspace_access
from ctip.web.qualitative import selectors, services
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation

router = Router(tags=["qualitative"])

UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}  # a transcript over CTIP_MAX_UPLOAD_MB


class TranscriptIn(Schema):
    name: str
    content_base64: str


class OrganisationRefOut(Schema):
    id: uuid.UUID
    label: str
    type: str


class ExcerptOut(Schema):
    id: uuid.UUID
    theme: uuid.UUID
    theme_code: str
    text: str
    is_quote: bool
    anonymised: bool


class RecordListOut(Schema):
    id: uuid.UUID
    kind: str
    date: dt.date
    title: str
    organisations: list[OrganisationRefOut]
    participants_women: int
    participants_men: int
    participants_other: int
    facilitator: str
    location: str
    transcript_name: str
    excerpt_count: int
    quote_count: int
    version: int


class RecordOut(RecordListOut):
    notes: str | None
    transcript_text: str | None
    excerpts: list[ExcerptOut] | None


class RecordIn(Schema):
    kind: str = "interview"
    date: dt.date
    title: str
    organisations: list[uuid.UUID] = []
    participants_women: int = 0
    participants_men: int = 0
    participants_other: int = 0
    facilitator: str = ""
    location: str = ""
    notes: str = ""
    transcript: TranscriptIn | None = None


class RecordPatch(Schema):
    kind: str | None = None
    date: dt.date | None = None
    title: str | None = None
    organisations: list[uuid.UUID] | None = None
    participants_women: int | None = None
    participants_men: int | None = None
    participants_other: int | None = None
    facilitator: str | None = None
    location: str | None = None
    notes: str | None = None
    transcript: TranscriptIn | None = None
    remove_transcript: bool = False
    expected_version: int | None = None


class ThemeIn(Schema):
    code: str
    name: str
    description: str = ""
    pillar: str = ""
    competency_codes: list[str] = []
    parent: uuid.UUID | None = None


class ThemeOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    description: str
    pillar: str
    competency_codes: list[str]
    parent: uuid.UUID | None
    version: int


class ThemeCountOut(Schema):
    theme: uuid.UUID
    code: str
    name: str
    sources: int
    by_organisation_type: dict[str, int]


class QuoteOut(Schema):
    id: uuid.UUID
    text: str
    theme: uuid.UUID
    theme_code: str
    theme_name: str
    record: uuid.UUID
    record_kind: str
    record_date: dt.date
    organisation_types: list[str]


def _record_list_out(record: QualitativeRecord, excerpt_count: int, quote_count: int) -> dict:
    return {
        "id": record.uuid,
        "kind": record.kind,
        "date": record.date,
        "title": record.title,
        "organisations": [
            OrganisationRefOut(id=o.uuid, label=str(o), type=o.type) for o in record.organisations.all()
        ],
        "participants_women": record.participants_women,
        "participants_men": record.participants_men,
        "participants_other": record.participants_other,
        "facilitator": record.facilitator,
        "location": record.location,
        "transcript_name": record.transcript_name,
        "excerpt_count": excerpt_count,
        "quote_count": quote_count,
        "version": record.version,
    }


def _record_out(workspace: Workspace, record_uuid: uuid.UUID, *, can_read: bool) -> RecordOut:
    record = selectors.record_with_excerpts(workspace, record_uuid)
    if record is None:
        raise Http404("No such record")
    excerpts = list(record.excerpts.all())
    return RecordOut(
        **_record_list_out(record, len(excerpts), sum(e.is_quote for e in excerpts)),
        notes=record.notes if can_read else None,
        transcript_text=record.transcript_text if can_read else None,
        excerpts=[_excerpt_out(e) for e in excerpts] if can_read else None,
    )


def _excerpt_out(excerpt: CodedExcerpt) -> ExcerptOut:
    return ExcerptOut(
        id=excerpt.uuid,
        theme=excerpt.theme.uuid,
        theme_code=excerpt.theme.code,
        text=excerpt.text,
        is_quote=excerpt.is_quote,
        anonymised=excerpt.anonymised,
    )


def _theme_out(theme: Theme) -> ThemeOut:
    return ThemeOut(
        id=theme.uuid,
        code=theme.code,
        name=theme.name,
        description=theme.description,
        pillar=theme.pillar,
        competency_codes=list(theme.competency_codes or []),
        parent=theme.parent.uuid if theme.parent is not None else None,
        version=theme.version,
    )


def _organisations(workspace: Workspace, ids: list[uuid.UUID]) -> list[Organisation]:
    found = {o.uuid: o for o in Organisation.objects.filter(workspace=workspace, uuid__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("There is no organisation %(id)s in this workspace's registry."),
            {"id": missing[0]},
            problems=[
                FieldProblem("organisations", _("Unknown organisation %(id)s."), {"id": i}) for i in missing
            ],
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _transcript(payload: TranscriptIn | None) -> services.UploadedTranscript | None:
    if payload is None:
        return None
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The transcript's content_base64 is not valid base64."),
            problems=[FieldProblem("transcript.content_base64", _("Encode the file's bytes in base64."))],
        ) from error
    return services.UploadedTranscript(name=payload.name, content=content)


def _record(workspace: Workspace, record: uuid.UUID) -> QualitativeRecord:
    return get_object_or_404(QualitativeRecord, uuid=record, workspace=workspace)


@router.get("w/{workspace}/qualitative-records", response={200: list[RecordListOut], **ERRORS})
def record_list(request: HttpRequest, workspace: str, kind: str = "") -> list[RecordListOut]:
    """Interviews (``kind=interview``) and focus-group discussions (``kind=focus_group``), newest first."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        RecordListOut(**_record_list_out(r, r.excerpt_count, r.quote_count))
        for r in selectors.records_of(found, kind=kind)
    ]


@router.post("w/{workspace}/qualitative-records", response={201: RecordOut, **UPLOAD_ERRORS})
def record_create(request: HttpRequest, workspace: str, payload: RecordIn) -> Status[RecordOut]:
    """Record an interview or focus group. ``organisations``: UUIDs of registry organisations.
    ``transcript``: ``{"name": "notes.docx", "content_base64": "…"}`` (.docx or .txt; the text is kept)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    data = payload.dict(exclude={"organisations", "transcript"})
    record = services.qualitative_record_create(
        workspace=found,
        organisations=_organisations(found, payload.organisations),
        transcript=_transcript(payload.transcript),
        acting_user=request.user,
        **data,
    )
    return Status(201, _record_out(found, record.uuid, can_read=True))


@router.get("w/{workspace}/qualitative-records/{record}", response={200: RecordOut, **ERRORS})
def record_detail(request: HttpRequest, workspace: str, record: uuid.UUID) -> RecordOut:
    """A record with its notes, transcript text and coded excerpts (``null`` without ``analyse_data``)."""
    found, membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _record_out(found, record, can_read=may(membership, Permission.ANALYSE_DATA))


@router.patch("w/{workspace}/qualitative-records/{record}", response={200: RecordOut, **UPLOAD_ERRORS})
def record_update(request: HttpRequest, workspace: str, record: uuid.UUID, payload: RecordPatch) -> RecordOut:
    """Change a record; ``organisations`` replaces the list, ``transcript`` the stored text,
    ``remove_transcript`` drops it. Send ``expected_version`` to get 409 instead of overwriting someone
    else's change."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changes = payload.dict(exclude_unset=True, exclude={"organisations", "transcript", "remove_transcript"})
    expected = changes.pop("expected_version", None)
    services.qualitative_record_update(
        workspace=found,
        record=_record(found, record),
        organisations=(
            _organisations(found, payload.organisations) if payload.organisations is not None else None
        ),
        transcript=_transcript(payload.transcript),
        remove_transcript=payload.remove_transcript,
        expected_version=expected,
        acting_user=request.user,
        **changes,
    )
    return _record_out(found, record, can_read=True)


@router.delete("w/{workspace}/qualitative-records/{record}", response={204: None, **ERRORS})
def record_delete(request: HttpRequest, workspace: str, record: uuid.UUID) -> Status[None]:
    """Delete a record with its coded excerpts."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.qualitative_record_delete(
        workspace=found, record=_record(found, record), acting_user=request.user
    )
    return Status(204, None)


@router.get("w/{workspace}/themes", response={200: list[ThemeOut], **ERRORS})
def theme_list(request: HttpRequest, workspace: str) -> list[ThemeOut]:
    """The codebook, each theme followed by its sub-themes."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_theme_out(t) for t in selectors.codebook_order(list(selectors.themes_of(found)))]


@router.post("w/{workspace}/themes", response={201: ThemeOut, **ERRORS})
def theme_create(request: HttpRequest, workspace: str, payload: ThemeIn) -> Status[ThemeOut]:
    """Add a theme. ``pillar``: prevention, protection, prosecution, partnership or empty;
    ``competency_codes``: codes of the competency framework, e.g. ["ID01"]; ``parent``: a theme's UUID."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    parent = None
    if payload.parent is not None:
        parent = Theme.objects.filter(workspace=found, uuid=payload.parent).first()
        if parent is None:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("There is no theme %(id)s in this workspace's codebook."),
                {"id": str(payload.parent)},
                problems=[FieldProblem("parent", _("Unknown theme."))],
            )
    theme = services.theme_create(
        workspace=found, parent=parent, acting_user=request.user, **payload.dict(exclude={"parent"})
    )
    return Status(201, _theme_out(theme))


@router.get("w/{workspace}/theme-counts", response={200: list[ThemeCountOut], **ERRORS})
def theme_counts(request: HttpRequest, workspace: str) -> list[ThemeCountOut]:
    """Every theme with the number of sources (records) coded to it, in total and per organisation type
    code of the records' organisations."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        ThemeCountOut(
            theme=count.theme.uuid,
            code=count.theme.code,
            name=count.theme.name,
            sources=count.sources,
            by_organisation_type=dict(count.by_organisation_type),
        )
        for count in selectors.theme_source_counts(found)
    ]


@router.get("w/{workspace}/quotes", response={200: list[QuoteOut], **ERRORS})
def quote_list(request: HttpRequest, workspace: str, theme: uuid.UUID | None = None) -> list[QuoteOut]:
    """The anonymised quote bank (needs ``analyse_data``); ``theme`` limits it to a theme and its
    sub-themes."""
    found, _membership = workspace_access(request.user, workspace, Permission.ANALYSE_DATA)
    chosen = get_object_or_404(Theme, workspace=found, uuid=theme) if theme is not None else None
    return [
        QuoteOut(
            id=q.uuid,
            text=q.text,
            theme=q.theme.uuid,
            theme_code=q.theme.code,
            theme_name=q.theme.name,
            record=q.record.uuid,
            record_kind=q.record.kind,
            record_date=q.record.date,
            organisation_types=sorted({o.type for o in q.record.organisations.all()}),
        )
        for q in selectors.quote_bank(found, chosen)
    ]
