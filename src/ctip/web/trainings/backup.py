"""The ``trainings`` section of a workspace backup: training events with their modules, participants with
their attendance, the item bank, the test forms with their attempts and answers, the survey responses, and
the indicator feeds with the trace of each computed actual.

Rows are identified by UUID. Other sections' rows are referred to by UUID too: modules and plan sessions
(``planning``), organisations (``stakeholders``), indicators and values (``monitoring``) — all restored
before this section (``INSTALLED_APPS`` order). Rows without a UUID of their own (an event's modules, a
participant's attendance, an attempt's answers, a value's trace) travel inside their parent.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.planning.models import PlanSession, TrainingModule
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import (
    Answer,
    AssessmentForm,
    AssessmentItem,
    Attempt,
    Attendance,
    EventModule,
    FeedTrace,
    IndicatorFeed,
    Participant,
    SurveyResponse,
    TrainingEvent,
)

SECTION = "trainings"
_COMMON = ("uuid", "created_at", "updated_at", "version")
EVENT_FIELDS = (
    "code",
    "title",
    "start_date",
    "end_date",
    "venue",
    "location",
    "trainers",
    "audience",
    "target_female",
    "target_male",
    "status",
    "language",
    "pass_mark",
    "kit",
    "trainers_notes",
    "recommendations",
    "test_token",
)
PARTICIPANT_FIELDS = ("code", "sex", "age_band", "organisation_name", "role", "location")
ITEM_FIELDS = (
    "code",
    "kind",
    "stem_en",
    "stem_fr",
    "options",
    "correct",
    "objective",
    "competency",
    "parallel_group",
    "form_version",
    "is_active",
    "position",
)
FORM_FIELDS = ("phase", "items", "is_open")
ATTEMPT_FIELDS = ("channel", "started_at", "submitted_at")
SURVEY_FIELDS = ("kind", "answers", "channel", "submitted_at")
FEED_FIELDS = ("metric", "updated_at_values")
_DATES = {"start_date", "end_date", "day"}
_DATETIMES = {"created_at", "updated_at", "started_at", "submitted_at", "updated_at_values", "answered_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _row(instance: models.Model, fields: Iterable[str], **extra: Any) -> dict[str, Any]:
    row = {name: _plain(getattr(instance, name)) for name in (*_COMMON, *fields)}
    row["uuid"] = str(row["uuid"])
    return row | extra


def _uuid(instance: Any) -> str | None:
    return str(instance.uuid) if instance is not None else None


def section_export(workspace: Workspace) -> dict[str, Any]:
    events = TrainingEvent.objects.filter(workspace=workspace).select_related("plan_session").order_by("uuid")
    modules: dict[int, list[dict[str, Any]]] = {}
    for link in (
        EventModule.objects.filter(event__workspace=workspace).select_related("module").order_by("id")
    ):
        modules.setdefault(link.event_id, []).append(
            {"module": str(link.module.uuid), "position": link.position}
        )
    attendance: dict[int, list[dict[str, Any]]] = {}
    for row in Attendance.objects.filter(participant__workspace=workspace).order_by("participant_id", "day"):
        attendance.setdefault(row.participant_id, []).append(
            {"day": row.day.isoformat(), "present": row.present}
        )
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in Answer.objects.filter(attempt__workspace=workspace).order_by("attempt_id", "item_code"):
        answers.setdefault(answer.attempt_id, []).append(
            {
                "item_code": answer.item_code,
                "response": answer.response,
                "answered_at": _plain(answer.answered_at),
            }
        )
    return {
        "events": [
            _row(
                event,
                EVENT_FIELDS,
                plan_session=_uuid(event.plan_session),
                modules=modules.get(event.pk, []),
            )
            for event in events
        ],
        "participants": [
            _row(
                participant,
                PARTICIPANT_FIELDS,
                event=str(participant.event.uuid),
                organisation=_uuid(participant.organisation),
                attendance=attendance.get(participant.pk, []),
            )
            for participant in Participant.objects.filter(workspace=workspace)
            .select_related("event", "organisation")
            .order_by("uuid")
        ],
        "items": [
            _row(item, ITEM_FIELDS, module=str(item.module.uuid))
            for item in AssessmentItem.objects.filter(workspace=workspace)
            .select_related("module")
            .order_by("uuid")
        ],
        "forms": [
            _row(form, FORM_FIELDS, event=str(form.event.uuid))
            for form in AssessmentForm.objects.filter(workspace=workspace)
            .select_related("event")
            .order_by("uuid")
        ],
        "attempts": [
            _row(
                attempt,
                ATTEMPT_FIELDS,
                form=str(attempt.form.uuid),
                participant=str(attempt.participant.uuid),
                answers=answers.get(attempt.pk, []),
            )
            for attempt in Attempt.objects.filter(workspace=workspace)
            .select_related("form", "participant")
            .order_by("uuid")
        ],
        "survey_responses": [
            _row(
                response,
                SURVEY_FIELDS,
                event=str(response.event.uuid),
                participant=_uuid(response.participant),
            )
            for response in SurveyResponse.objects.filter(workspace=workspace)
            .select_related("event", "participant")
            .order_by("uuid")
        ],
        "feeds": [
            _row(feed, FEED_FIELDS, indicator=str(feed.indicator.uuid))
            for feed in IndicatorFeed.objects.filter(workspace=workspace)
            .select_related("indicator")
            .order_by("uuid")
        ],
        "traces": [
            {
                "value": str(trace.value.uuid),
                "event": str(trace.event.uuid),
                "numerator": str(trace.numerator),
                "denominator": _plain(trace.denominator),
            }
            for trace in FeedTrace.objects.filter(value__workspace=workspace)
            .select_related("value", "event")
            .order_by("value__uuid", "event__uuid")
        ],
    }


# --- Restore ---------------------------------------------------------------------------------------------


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The trainings part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _when(value: Any, name: str) -> Any:
    """Dates and times from their ISO text; any other value as it is."""
    if name in _DATETIMES:
        return dt.datetime.fromisoformat(value) if value else None
    if name in _DATES:
        return dt.date.fromisoformat(value)
    return value


def _values(record: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    values = {name: _when(record[name], name) for name in fields if name in record}
    for name in ("created_at", "updated_at"):
        values[name] = dt.datetime.fromisoformat(record[name])
    values["uuid"] = record["uuid"]
    values["version"] = record.get("version", 1)
    return values


def _lookup(found: Mapping[str, Any], key: Any, what: str, *, optional: bool = False) -> Any:
    if key is None and optional:
        return None
    if key not in found:
        raise KeyError(f"{what} {key} is not in the backup")
    return found[key]


def _by_uuid(model: type[models.Model], workspace: Workspace) -> dict[str, Any]:
    rows: Any = model._default_manager.filter(workspace=workspace)
    return {str(row.uuid): row for row in rows}


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the trainings of ``section`` in ``workspace`` (inside the restore's transaction)."""
    modules = _by_uuid(TrainingModule, workspace)
    sessions = _by_uuid(PlanSession, workspace)
    organisations = _by_uuid(Organisation, workspace)
    indicators = _by_uuid(Indicator, workspace)
    values = _by_uuid(IndicatorValue, workspace)
    events: dict[str, TrainingEvent] = {}
    participants: dict[str, Participant] = {}
    forms: dict[str, AssessmentForm] = {}
    where = "trainings"
    try:
        for index, record in enumerate(section.get("events", [])):
            where = f"events[{index}]"
            event = TrainingEvent.objects.create(
                workspace=workspace,
                plan_session=_lookup(sessions, record.get("plan_session"), "plan session", optional=True),
                **_values(record, EVENT_FIELDS),
            )
            events[str(event.uuid)] = event
            EventModule.objects.bulk_create(
                EventModule(
                    event=event,
                    module=_lookup(modules, link.get("module"), "module"),
                    position=link.get("position", 0),
                )
                for link in record.get("modules", [])
            )
        for index, record in enumerate(section.get("participants", [])):
            where = f"participants[{index}]"
            participant = Participant.objects.create(
                workspace=workspace,
                event=_lookup(events, record.get("event"), "event"),
                organisation=_lookup(
                    organisations, record.get("organisation"), "organisation", optional=True
                ),
                **_values(record, PARTICIPANT_FIELDS),
            )
            participants[str(participant.uuid)] = participant
            Attendance.objects.bulk_create(
                Attendance(
                    participant=participant,
                    day=dt.date.fromisoformat(day["day"]),
                    present=bool(day["present"]),
                )
                for day in record.get("attendance", [])
            )
        for index, record in enumerate(section.get("items", [])):
            where = f"items[{index}]"
            AssessmentItem.objects.create(
                workspace=workspace,
                module=_lookup(modules, record.get("module"), "module"),
                **_values(record, ITEM_FIELDS),
            )
        for index, record in enumerate(section.get("forms", [])):
            where = f"forms[{index}]"
            form = AssessmentForm.objects.create(
                workspace=workspace,
                event=_lookup(events, record.get("event"), "event"),
                **_values(record, FORM_FIELDS),
            )
            forms[str(form.uuid)] = form
        for index, record in enumerate(section.get("attempts", [])):
            where = f"attempts[{index}]"
            attempt = Attempt.objects.create(
                workspace=workspace,
                form=_lookup(forms, record.get("form"), "form"),
                participant=_lookup(participants, record.get("participant"), "participant"),
                **_values(record, ATTEMPT_FIELDS),
            )
            Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    item_code=answer["item_code"],
                    response=answer.get("response") or [],
                    answered_at=dt.datetime.fromisoformat(answer["answered_at"]),
                )
                for answer in record.get("answers", [])
            )
        for index, record in enumerate(section.get("survey_responses", [])):
            where = f"survey_responses[{index}]"
            SurveyResponse.objects.create(
                workspace=workspace,
                event=_lookup(events, record.get("event"), "event"),
                participant=_lookup(participants, record.get("participant"), "participant", optional=True),
                **_values(record, SURVEY_FIELDS),
            )
        for index, record in enumerate(section.get("feeds", [])):
            where = f"feeds[{index}]"
            IndicatorFeed.objects.create(
                workspace=workspace,
                indicator=_lookup(indicators, record.get("indicator"), "indicator"),
                **_values(record, FEED_FIELDS),
            )
        for index, trace in enumerate(section.get("traces", [])):
            where = f"traces[{index}]"
            FeedTrace.objects.create(
                value=_lookup(values, trace.get("value"), "indicator value"),
                event=_lookup(events, trace.get("event"), "event"),
                numerator=decimal.Decimal(str(trace.get("numerator", "0"))),
                denominator=decimal.Decimal(str(trace["denominator"]))
                if trace.get("denominator") is not None
                else None,
            )
    except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as error:
        raise _damaged(where, error) from error
