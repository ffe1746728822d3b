"""API endpoints of the training needs assessment, mounted under /api/v1/ (see ctip.web.api).

Competencies are identified by their code, instruments and submissions by UUID (``id``). Writes go through
the same services as the pages. Free-text answers are returned only to members who may analyse data.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import may, workspace_access
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna import documents, selectors, services
from ctip.web.tna.models import FormLink, SurveyInstrument, SurveySubmission
from ctip.web.tna.services import web_form

router = Router(tags=["tna"])

MAX_PAGE_SIZE = 500


class CompetencyOut(Schema):
    id: uuid.UUID
    code: str
    title_en: str
    title_fr: str
    description_en: str
    description_fr: str
    pillar: str
    chain_stage: str
    level: str
    target_types: list[str]
    child_sensitive: bool
    gender_sensitive: bool
    is_retired: bool
    version: int


class InstrumentOut(Schema):
    id: uuid.UUID
    title: str
    form_id: str
    form_version: str
    scale_max: int
    languages: list[str]
    segment: str
    competencies: list[str]
    created_at: dt.datetime
    submissions: int


class InstrumentIn(Schema):
    title: str
    segment: str = ""
    competency_codes: list[str]
    scale_max: int = 5


class RowProblemOut(Schema):
    column: str
    message: str


class ImportRowOut(Schema):
    row: int
    key: str
    action: str
    organisation: str
    problems: list[RowProblemOut]
    notes: list[RowProblemOut]
    suggestions: list[str]


class ImportOut(Schema):
    dry_run: bool
    filename: str
    shape: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    batch: uuid.UUID | None
    rejected_rows_csv: str
    rows: list[ImportRowOut]


class RatingOut(Schema):
    code: str
    importance: int | None
    competence: int | None


class SubmissionOut(Schema):
    id: uuid.UUID
    instrument: uuid.UUID
    key: str
    source: str
    submitted_at: dt.datetime | None
    sex: str
    organisation: uuid.UUID | None
    organisation_text: str
    profile: dict[str, str]
    institutional: dict[str, str]
    open_answers: dict[str, str] | None
    ratings: list[RatingOut]


class SubmissionPageOut(Schema):
    count: int
    page: int
    page_size: int
    free_text_included: bool
    results: list[SubmissionOut]


def _competency_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.uuid,
        **{name: getattr(row, name) for name in services.COMPETENCY_FIELDS},
        "target_types": list(row.target_types or []),
        "version": row.version,
    }


def _instrument_out(row: SurveyInstrument) -> dict[str, Any]:
    return {
        "id": row.uuid,
        "title": row.title,
        "form_id": row.form_id,
        "form_version": row.form_version,
        "scale_max": row.scale_max,
        "languages": list(row.languages or []),
        "segment": row.segment,
        "competencies": sorted(c.code for c in row.competencies.all()),
        "created_at": row.created_at,
        "submissions": row.submission_count if hasattr(row, "submission_count") else row.submissions.count(),
    }


@router.get("w/{workspace}/competencies", response={200: list[CompetencyOut], **ERRORS})
def competency_list(
    request: HttpRequest, workspace: str, include_retired: bool = False
) -> list[dict[str, Any]]:
    """The workspace's competency framework, by code (seeded from the default framework on first use)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    services.framework_ensure(workspace=found, acting_user=request.user)
    filters = selectors.CompetencyFilter(show_retired=include_retired)
    return [_competency_out(row) for row in selectors.competencies(found, filters)]


@router.get("w/{workspace}/instruments", response={200: list[InstrumentOut], **ERRORS})
def instrument_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [_instrument_out(row) for row in selectors.instruments(found).prefetch_related("competencies")]


@router.post("w/{workspace}/instruments", response={201: InstrumentOut, **ERRORS})
def instrument_create(request: HttpRequest, workspace: str, payload: InstrumentIn) -> Status[dict[str, Any]]:
    """Build an instrument: ``segment`` is an organisation type code (empty: all staff),
    ``competency_codes`` codes of the framework, ``scale_max`` 5 or 7."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    created = services.instrument_create(
        workspace=found,
        title=payload.title,
        segment=payload.segment,
        competency_codes=payload.competency_codes,
        scale_max=payload.scale_max,
        acting_user=request.user,
    )
    return Status(201, _instrument_out(created))


@router.get(
    "w/{workspace}/instruments/{survey}/xlsform",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The XLSForm (.xlsx)",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            }
        }
    },
)
def instrument_xlsform(request: HttpRequest, workspace: str, survey: uuid.UUID) -> HttpResponse:
    """The instrument as an XLSForm workbook for KoboToolbox or ODK."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    target = get_object_or_404(SurveyInstrument, workspace=found, uuid=survey)
    response = HttpResponse(
        documents.instrument_xlsform(target),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{target.form_id}.xlsx"'
    return response


def _mapping(text: str) -> dict[str, str] | None:
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _('The mapping must be a JSON object of instrument field → file column, e.g. {"sex": "Gender"}.'),
            problems=[FieldProblem("mapping", _("Send a JSON object whose keys and values are text."))],
        )
    return value


@router.post("w/{workspace}/instruments/{survey}/imports", response={200: ImportOut, **ERRORS})
def survey_import(
    request: HttpRequest,
    workspace: str,
    survey: uuid.UUID,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    valid_rows_only: Form[bool] = False,
    mapping: Form[str] = "",
) -> dict[str, Any]:
    """Import survey answers (multipart: ``file``, a Kobo/ODK export or any spreadsheet with ``mapping``,
    a JSON object column as the file writes it → instrument field, ``""`` to ignore a column, e.g.
    ``{"Gender": "sex", "Agency": "organisation"}``). With ``dry_run`` nothing is saved. Otherwise every row is
    imported or, when a row is rejected, nothing (400 listing the problems) — unless ``valid_rows_only``:
    then the valid rows are imported and the rejected ones come back as CSV (``rejected_rows_csv``)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(SurveyInstrument, workspace=found, uuid=survey)
    data = file.read()
    name = file.name or "upload.csv"
    arguments = {
        "workspace": found,
        "instrument": target,
        "data": data,
        "filename": name,
        "mapping": _mapping(mapping),
        "acting_user": request.user,
    }
    batch = None
    rejected_csv = b""
    if dry_run:
        preview = services.survey_import_preview(**arguments)
    else:
        result = services.survey_import_apply(**arguments, valid_rows_only=valid_rows_only)
        preview, batch, rejected_csv = result.preview, result.batch, result.rejected_rows_csv
    return {
        "dry_run": dry_run,
        "filename": preview.filename,
        "shape": preview.shape,
        "created": preview.to_create,
        "updated": preview.to_update,
        "unchanged": preview.unchanged,
        "rejected": preview.rejected,
        "batch": batch.uuid if batch is not None else None,
        "rejected_rows_csv": rejected_csv.decode("utf-8-sig"),
        "rows": [
            {
                "row": row.row,
                "key": row.key,
                "action": row.action,
                "organisation": row.organisation,
                "problems": [{"column": p.column, "message": p.message} for p in row.problems],
                "notes": [{"column": p.column, "message": p.message} for p in row.notes],
                "suggestions": list(row.suggestions),
            }
            for row in preview.rows
        ],
    }


@router.get("w/{workspace}/submissions", response={200: SubmissionPageOut, **ERRORS})
def submission_list(
    request: HttpRequest,
    workspace: str,
    instrument: uuid.UUID | None = None,
    page: int = 1,
    page_size: int = 100,
) -> dict[str, Any]:
    """Survey submissions with their ratings, newest first, ``page_size`` (at most 500) at a time.
    ``open_answers`` (free text) is ``null`` unless the caller may analyse data."""
    found, membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    free_text = may(membership, Permission.ANALYSE_DATA)
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    chosen = None
    if instrument is not None:
        chosen = get_object_or_404(SurveyInstrument, workspace=found, uuid=instrument)
    rows = selectors.submissions(found, instrument=chosen)
    if not free_text:
        rows = rows.defer("open_answers")
    count = rows.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "free_text_included": free_text,
        "results": [_submission_out(row, free_text) for row in rows[start : start + page_size]],
    }


def _submission_out(row: SurveySubmission, free_text: bool) -> dict[str, Any]:
    return {
        "id": row.uuid,
        "instrument": row.instrument.uuid,
        "key": row.key,
        "source": row.source,
        "submitted_at": row.submitted_at,
        "sex": row.sex,
        "organisation": row.organisation.uuid if row.organisation_id else None,
        "organisation_text": row.organisation_text,
        "profile": {str(k): str(v) for k, v in (row.profile or {}).items()},
        "institutional": {str(k): str(v) for k, v in (row.institutional or {}).items()},
        "open_answers": {str(k): str(v) for k, v in (row.open_answers or {}).items()} if free_text else None,
        "ratings": [
            {"code": r.code, "importance": r.importance, "competence": r.competence}
            for r in row.ratings.all()
        ],
    }


# --- Links to the built-in web form ----------------------------------------------------------------------


class FormLinkOut(Schema):
    id: uuid.UUID
    label: str
    kind: str
    organisation: uuid.UUID | None
    language: str
    is_open: bool
    url: str
    started: int
    submitted: int
    declined: int


class FormLinksIn(Schema):
    kind: str
    count: int = 0
    label_prefix: str = ""
    organisations: list[uuid.UUID] = []
    language: str = "en"


def _links_out(request: HttpRequest, links: list[FormLink]) -> list[dict[str, Any]]:
    counts = web_form.link_counts(links)
    return [
        {
            "id": link.uuid,
            "label": link.label,
            "kind": link.kind,
            "organisation": link.organisation.uuid if link.organisation_id else None,
            "language": link.language,
            "is_open": link.is_open,
            "url": request.build_absolute_uri(reverse("respond-start", kwargs={"token": link.token})),
            "started": counts[link.pk].started,
            "submitted": counts[link.pk].submitted,
            "declined": counts[link.pk].declined,
        }
        for link in links
    ]


@router.get("w/{workspace}/instruments/{survey}/form-links", response={200: list[FormLinkOut], **ERRORS})
def form_link_list(request: HttpRequest, workspace: str, survey: uuid.UUID) -> list[dict[str, Any]]:
    """The instrument's links to the built-in web form, with how many people started, submitted and
    declined through each."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    target = get_object_or_404(SurveyInstrument, workspace=found, uuid=survey)
    links = list(target.form_links.select_related("organisation").order_by("label", "id"))
    return _links_out(request, links)


@router.post("w/{workspace}/instruments/{survey}/form-links", response={201: list[FormLinkOut], **ERRORS})
def form_link_create(
    request: HttpRequest, workspace: str, survey: uuid.UUID, payload: FormLinksIn
) -> Status[list[dict[str, Any]]]:
    """Make links: ``kind`` ``respondent`` (``count`` numbered links of one response each, labelled
    ``label_prefix 001`` …) or ``organisation`` (one link per organisation in ``organisations``, which
    everyone working there opens to answer separately)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = get_object_or_404(SurveyInstrument, workspace=found, uuid=survey)
    wanted = {str(value) for value in payload.organisations}
    organisations = list(Organisation.objects.filter(workspace=found, uuid__in=wanted))
    if len(organisations) != len(wanted):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Some organisations are not in this workspace."),
            problems=[FieldProblem("organisations", _("Use the ids of this workspace's organisations."))],
        )
    made = web_form.form_links_create(
        workspace=found,
        instrument=target,
        kind=payload.kind,
        count=payload.count,
        label_prefix=payload.label_prefix,
        organisations=organisations,
        language=payload.language,
        acting_user=request.user,
    )
    return Status(201, _links_out(request, made))
