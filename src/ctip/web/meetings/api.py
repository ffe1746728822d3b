"""API endpoints of the meetings app, mounted under /api/v1/ (see ctip.web.api)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.web.accounts.api import ERRORS, ErrorOut
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import workspace_access
from ctip.web.meetings import selectors, services
from ctip.web.meetings.models import Attendee, Meeting
from ctip.web.meetings.selectors import AttendanceSummary
from ctip.web.meetings.services import AttendanceImport
from ctip.web.stakeholders.models import Organisation

router = Router(tags=["meetings"])


class MeetingIn(Schema):
    kind: str = "other"
    title: str
    date: dt.date
    end_date: dt.date | None = None
    place: str = ""
    agenda: str = ""
    minutes: str = ""


class MeetingPatch(Schema):
    kind: str | None = None
    title: str | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    place: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    expected_version: int | None = None


class MeetingListOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    place: str
    attendee_count: int
    open_action_count: int
    version: int


class AttendeeIn(Schema):
    name: str
    organisation: uuid.UUID | None = None
    organisation_name: str = ""
    sex: str = ""
    function: str = ""


class AttendeeOut(Schema):
    id: uuid.UUID
    name: str
    organisation: uuid.UUID | None
    organisation_label: str
    organisation_name: str
    sex: str
    function: str


class DecisionOut(Schema):
    id: uuid.UUID
    text: str
    position: int


class ActionPointOut(Schema):
    id: uuid.UUID
    text: str
    owner: str
    due_date: dt.date | None
    status: str


class TallyOut(Schema):
    key: str
    label: str
    count: int


class AttendanceSummaryOut(Schema):
    total: int
    by_sex: list[TallyOut]
    by_sector: list[TallyOut]
    by_organisation: list[TallyOut]


class MeetingOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    place: str
    agenda: str
    minutes: str
    version: int
    attendees: list[AttendeeOut]
    decisions: list[DecisionOut]
    action_points: list[ActionPointOut]
    attendance_summary: AttendanceSummaryOut


class ImportRowOut(Schema):
    row: int
    name: str
    organisation: uuid.UUID | None
    organisation_name: str
    sex: str
    function: str
    status: str


class AttendanceImportOut(Schema):
    file: str
    dry_run: bool
    added: int
    skipped: int
    ignored_columns: list[str]
    rows: list[ImportRowOut]


def _attendee_out(attendee: Attendee) -> AttendeeOut:
    organisation = attendee.organisation
    return AttendeeOut(
        id=attendee.uuid,
        name=attendee.name,
        organisation=organisation.uuid if organisation is not None else None,
        organisation_label=str(organisation) if organisation is not None else attendee.organisation_name,
        organisation_name=attendee.organisation_name,
        sex=attendee.sex,
        function=attendee.function,
    )


def _summary_out(summary: AttendanceSummary) -> AttendanceSummaryOut:
    def tallies(items: tuple) -> list[TallyOut]:
        return [TallyOut(key=t.key, label=t.label, count=t.count) for t in items]

    return AttendanceSummaryOut(
        total=summary.total,
        by_sex=tallies(summary.by_sex),
        by_sector=tallies(summary.by_sector),
        by_organisation=tallies(summary.by_organisation),
    )


def _meeting_out(workspace: Workspace, meeting_uuid: uuid.UUID) -> MeetingOut:
    meeting = selectors.meeting_with_records(workspace, meeting_uuid)
    if meeting is None:
        raise Http404("No such meeting")
    return MeetingOut(
        id=meeting.uuid,
        kind=meeting.kind,
        title=meeting.title,
        date=meeting.date,
        end_date=meeting.end_date,
        place=meeting.place,
        agenda=meeting.agenda,
        minutes=meeting.minutes,
        version=meeting.version,
        attendees=[_attendee_out(a) for a in meeting.attendees.all()],
        decisions=[DecisionOut(id=d.uuid, text=d.text, position=d.position) for d in meeting.decisions.all()],
        action_points=[
            ActionPointOut(id=p.uuid, text=p.text, owner=p.owner, due_date=p.due_date, status=p.status)
            for p in meeting.action_points.all()
        ],
        attendance_summary=_summary_out(selectors.attendance_summary(meeting)),
    )


def _meeting(workspace: Workspace, meeting: uuid.UUID) -> Meeting:
    return get_object_or_404(Meeting, uuid=meeting, workspace=workspace)


@router.get("w/{workspace}/meetings", response={200: list[MeetingListOut], **ERRORS})
def meeting_list(request: HttpRequest, workspace: str) -> list[MeetingListOut]:
    """The workspace's meetings, newest first."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        MeetingListOut(
            id=m.uuid,
            kind=m.kind,
            title=m.title,
            date=m.date,
            end_date=m.end_date,
            place=m.place,
            attendee_count=m.attendee_count,
            open_action_count=m.open_action_count,
            version=m.version,
        )
        for m in selectors.meetings_of(found)
    ]


@router.post("w/{workspace}/meetings", response={201: MeetingOut, **ERRORS})
def meeting_create(request: HttpRequest, workspace: str, payload: MeetingIn) -> Status[MeetingOut]:
    """Create a meeting. ``kind``: inception_meeting, validation_workshop, technical_committee_workshop,
    validation_meeting, training_debrief or other."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    meeting = services.meeting_create(workspace=found, acting_user=request.user, **payload.dict())
    return Status(201, _meeting_out(found, meeting.uuid))


@router.get("w/{workspace}/meetings/{meeting}", response={200: MeetingOut, **ERRORS})
def meeting_detail(request: HttpRequest, workspace: str, meeting: uuid.UUID) -> MeetingOut:
    """A meeting with its attendees, decisions, action points and attendance counts."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _meeting_out(found, meeting)


@router.patch("w/{workspace}/meetings/{meeting}", response={200: MeetingOut, **ERRORS})
def meeting_update(
    request: HttpRequest, workspace: str, meeting: uuid.UUID, payload: MeetingPatch
) -> MeetingOut:
    """Change a meeting's details. Send ``expected_version`` to get 409 instead of overwriting someone
    else's change."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    services.meeting_update(
        workspace=found,
        meeting=_meeting(found, meeting),
        acting_user=request.user,
        expected_version=expected,
        **changes,
    )
    return _meeting_out(found, meeting)


@router.delete("w/{workspace}/meetings/{meeting}", response={204: None, **ERRORS})
def meeting_delete(request: HttpRequest, workspace: str, meeting: uuid.UUID) -> Status[None]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.meeting_delete(workspace=found, meeting=_meeting(found, meeting), acting_user=request.user)
    return Status(204, None)


@router.post("w/{workspace}/meetings/{meeting}/attendees", response={201: AttendeeOut, **ERRORS})
def attendee_add(
    request: HttpRequest, workspace: str, meeting: uuid.UUID, payload: AttendeeIn
) -> Status[AttendeeOut]:
    """Add an attendee. ``organisation`` is the UUID of an organisation of the registry; otherwise give
    ``organisation_name``. ``sex``: female, male, other, undisclosed or empty."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(workspace=found, uuid=payload.organisation).first()
        if organisation is None:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                _("There is no organisation %(id)s in this workspace's registry."),
                {"id": str(payload.organisation)},
            )
    attendee = services.attendee_add(
        workspace=found,
        meeting=_meeting(found, meeting),
        name=payload.name,
        organisation=organisation,
        organisation_name=payload.organisation_name,
        sex=payload.sex,
        function=payload.function,
        acting_user=request.user,
    )
    return Status(201, _attendee_out(attendee))


def _import_out(result: AttendanceImport, *, dry_run: bool) -> AttendanceImportOut:
    return AttendanceImportOut(
        file=result.filename,
        dry_run=dry_run,
        added=len(result.new_rows),
        skipped=len(result.skipped_rows),
        ignored_columns=list(result.ignored_columns),
        rows=[
            ImportRowOut(
                row=row.row,
                name=row.name,
                organisation=row.organisation.uuid if row.organisation is not None else None,
                organisation_name=row.organisation_name,
                sex=row.sex,
                function=row.function,
                status=row.status,
            )
            for row in result.rows
        ],
    )


@router.post(
    "w/{workspace}/meetings/{meeting}/attendance/import",
    response={200: AttendanceImportOut, 413: ErrorOut, **ERRORS},
)
def attendance_import(
    request: HttpRequest,
    workspace: str,
    meeting: uuid.UUID,
    file: UploadedFile = File(...),  # noqa: B008
    dry_run: bool = Form(False),
) -> AttendanceImportOut:
    """Import a sign-in sheet (multipart ``file``: .xlsx or .csv with the columns name, organisation, sex,
    function). With ``dry_run`` true nothing is saved and the answer says what would be added. Each row's
    ``status`` is ``new`` (added), ``already_listed`` or ``repeated``. A sheet with a problem adds nobody
    (400, every problem with its row and column)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = _meeting(found, meeting)
    arguments = {
        "workspace": found,
        "meeting": target,
        "data": file.read(),
        "filename": file.name or "upload",
        "acting_user": request.user,
    }
    if dry_run:
        return _import_out(services.attendance_import_preview(**arguments), dry_run=True)
    return _import_out(services.attendance_import_apply(**arguments), dry_run=False)
