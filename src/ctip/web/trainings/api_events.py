"""API endpoints of the training events and their participants, mounted under /api/v1/ (see ctip.web.api).

Events and participants are identified by UUID (``id``); modules by their catalogue code; a registry
organisation by its UUID. Writes go through the same services as the pages (``run_trainings``); reading needs
membership only. Participants are known by their code: no names are taken or stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import workspace_access
from ctip.web.planning.models import PlanSession, TrainingModule
from ctip.web.planning.services import catalogue_ensure
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings import services
from ctip.web.trainings.models import Attendance, Participant, TrainingEvent
from ctip.web.trainings.services.attendance import SexCounts

router = Router(tags=["trainings"])


class TrainerSchema(Schema):
    name: str = ""
    origin: str = ""
    """``national`` or ``international``."""
    organisation: str = ""


class EventOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    status: str
    start_date: dt.date
    end_date: dt.date
    days: list[dt.date]
    """The training days (weekends inside the dates left out)."""
    venue: str
    location: str
    language: str
    pass_mark: int
    target_female: int
    target_male: int
    audience: str
    trainers: list[TrainerSchema]
    modules: list[str]
    plan_session: uuid.UUID | None
    registered_female: int
    registered_male: int
    registered: int
    attended_female: int
    attended_male: int
    attended: int
    """Participants present on at least one day."""
    version: int


class EventIn(Schema):
    """A new event. With ``plan_session`` (the UUID of a session of the adopted plan) the fields not sent are
    filled in from the session; otherwise ``title``, ``start_date``, ``end_date``, ``location`` and
    ``modules`` are needed. An empty ``code`` gets the next ``TR-<year>-<nn>``."""

    plan_session: uuid.UUID | None = None
    code: str = ""
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    venue: str | None = None
    location: str | None = None
    audience: str | None = None
    target_female: int | None = None
    target_male: int | None = None
    language: str | None = None
    pass_mark: int | None = None
    trainers: list[TrainerSchema] | None = None
    modules: list[str] | None = None
    """Module codes of the catalogue, in the order taught."""


class StatusIn(Schema):
    status: str
    """``planned``, ``prepared``, ``delivered``, ``reported`` or ``cancelled``."""


class ParticipantOut(Schema):
    id: uuid.UUID
    code: str
    sex: str
    age_band: str
    organisation: uuid.UUID | None
    organisation_label: str
    organisation_name: str
    role: str
    location: str
    days_present: list[dt.date]
    version: int


class ParticipantIn(Schema):
    """A participant. ``code`` empty: the next P001… ``sex``: female, male or empty; ``age_band``: 18-24,
    25-34, 35-44, 45-54, 55+ or empty; ``organisation``: the UUID of a registry organisation, otherwise
    ``organisation_name``."""

    code: str = ""
    sex: str = ""
    age_band: str = ""
    organisation: uuid.UUID | None = None
    organisation_name: str = ""
    role: str = ""
    location: str = ""


def _event_out(event: TrainingEvent) -> dict[str, Any]:
    participants = list(event.participants.all())
    attended_ids = set(services.days_attended(event))
    registered = SexCounts.of(participant.sex for participant in participants)
    attended = SexCounts.of(participant.sex for participant in participants if participant.pk in attended_ids)
    return {
        "id": event.uuid,
        "code": event.code,
        "title": event.title,
        "status": event.status,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "days": services.event_days(event),
        "venue": event.venue,
        "location": event.location,
        "language": event.language,
        "pass_mark": event.pass_mark,
        "target_female": event.target_female,
        "target_male": event.target_male,
        "audience": event.audience,
        "trainers": [dict(trainer) for trainer in event.trainers or []],
        "modules": [module.code for module in services.event_modules(event)],
        "plan_session": event.plan_session.uuid if event.plan_session is not None else None,
        "registered_female": registered.female,
        "registered_male": registered.male,
        "registered": registered.total,
        "attended_female": attended.female,
        "attended_male": attended.male,
        "attended": attended.total,
        "version": event.version,
    }


def _participant_out(participant: Participant, present: list[dt.date]) -> dict[str, Any]:
    organisation = participant.organisation
    return {
        "id": participant.uuid,
        "code": participant.code,
        "sex": participant.sex,
        "age_band": participant.age_band,
        "organisation": organisation.uuid if organisation is not None else None,
        "organisation_label": (organisation.acronym or organisation.name)
        if organisation is not None
        else participant.organisation_name,
        "organisation_name": participant.organisation_name,
        "role": participant.role,
        "location": participant.location,
        "days_present": present,
        "version": participant.version,
    }


def _event(workspace: Workspace, event: uuid.UUID) -> TrainingEvent:
    return get_object_or_404(
        TrainingEvent.objects.select_related("workspace", "plan_session"), workspace=workspace, uuid=event
    )


def _modules(workspace: Workspace, codes: list[str]) -> list[TrainingModule]:
    catalogue_ensure(workspace=workspace, acting_user=None)
    found = {module.code: module for module in TrainingModule.objects.filter(workspace=workspace)}
    problems = [
        FieldProblem(f"modules[{index}]", _("There is no module %(code)s in the catalogue."), {"code": code})
        for index, code in enumerate(codes)
        if code.strip().upper() not in found
    ]
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The training cannot be saved; correct the fields listed."),
            problems=problems,
        )
    return [found[code.strip().upper()] for code in codes]


@router.get("w/{workspace}/trainings/events", response={200: list[EventOut], **ERRORS})
def event_list(
    request: HttpRequest,
    workspace: str,
    status: str = "",
    year: int | None = None,
    location: str = "",
) -> list[dict[str, Any]]:
    """The workspace's training events by first day, optionally only those of a ``status``, a ``year`` (of the
    first day) or a training ``location``."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    events: QuerySet[TrainingEvent] = TrainingEvent.objects.filter(workspace=found).select_related(
        "workspace", "plan_session"
    )
    if status:
        events = events.filter(status=status)
    if year is not None:
        events = events.filter(start_date__year=year)
    if location:
        events = events.filter(location__iexact=location)
    return [_event_out(event) for event in events.order_by("start_date", "code")]


@router.post("w/{workspace}/trainings/events", response={201: EventOut, **ERRORS})
def event_create(request: HttpRequest, workspace: str, payload: EventIn) -> Status[dict[str, Any]]:
    """Create a planned event, ad hoc or from a session of the plan (see the fields)."""
    found, _membership = workspace_access(request.user, workspace, Permission.RUN_TRAININGS)
    sent = payload.dict(exclude_unset=True)
    session_id = sent.pop("plan_session", None)
    codes = sent.pop("modules", None)
    session = None
    values: dict[str, Any] = {}
    modules: list[TrainingModule] = []
    if session_id is not None:
        session = get_object_or_404(
            PlanSession.objects.select_related("module", "workspace"), workspace=found, uuid=session_id
        )
        values = services.session_prefill(session)
        modules = list(values.pop("modules"))
        values.pop("plan_session")
    values |= {name: value for name, value in sent.items() if value is not None}
    if codes is not None:
        modules = _modules(found, list(codes))
    event = services.event_create(
        workspace=found, values=values, modules=modules, acting_user=request.user, plan_session=session
    )
    return Status(201, _event_out(_event(found, event.uuid)))


@router.get("w/{workspace}/trainings/events/{event}", response={200: EventOut, **ERRORS})
def event_get(request: HttpRequest, workspace: str, event: uuid.UUID) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _event_out(_event(found, event))


@router.post("w/{workspace}/trainings/events/{event}/status", response={200: EventOut, **ERRORS})
def event_status(request: HttpRequest, workspace: str, event: uuid.UUID, payload: StatusIn) -> dict[str, Any]:
    """Move the event on: planned → prepared → delivered → reported, or cancelled (one step back is allowed
    to correct a mistake). A status the event cannot take from its current one gives 409."""
    found, _membership = workspace_access(request.user, workspace, Permission.RUN_TRAININGS)
    target = _event(found, event)
    services.event_status_set(event=target, status=payload.status, acting_user=request.user)
    return _event_out(_event(found, event))


@router.get(
    "w/{workspace}/trainings/events/{event}/participants", response={200: list[ParticipantOut], **ERRORS}
)
def participant_list(request: HttpRequest, workspace: str, event: uuid.UUID) -> list[dict[str, Any]]:
    """The event's participants by code, with the days each was present."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    target = _event(found, event)
    present: dict[int, list[dt.date]] = {}
    for participant_id, day in (
        Attendance.objects.filter(participant__event=target, present=True)
        .order_by("day")
        .values_list("participant_id", "day")
    ):
        present.setdefault(participant_id, []).append(day)
    return [
        _participant_out(participant, present.get(participant.pk, []))
        for participant in target.participants.select_related("organisation").order_by("code")
    ]


@router.post("w/{workspace}/trainings/events/{event}/participants", response={201: ParticipantOut, **ERRORS})
def participant_create(
    request: HttpRequest, workspace: str, event: uuid.UUID, payload: ParticipantIn
) -> Status[dict[str, Any]]:
    """Register a participant (see the fields)."""
    found, _membership = workspace_access(request.user, workspace, Permission.RUN_TRAININGS)
    target = _event(found, event)
    values = payload.dict()
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(workspace=found, uuid=payload.organisation).first()
        if organisation is None:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("There is no organisation %(id)s in this workspace's registry."),
                {"id": str(payload.organisation)},
                problems=[FieldProblem("organisation", _("Give the UUID of a registry organisation."))],
            )
    values["organisation"] = organisation
    participant = services.participant_create(event=target, values=values, acting_user=request.user)
    return Status(201, _participant_out(participant, []))
