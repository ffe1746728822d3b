"""The ``meetings`` section of a workspace backup: meetings with their attendees, decisions and action
points. Rows are identified by UUID; an attendee's organisation is referred to by the registry
organisation's UUID (the stakeholders section is restored first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.meetings.models import ActionPoint, Attendee, Decision, Meeting
from ctip.web.stakeholders.models import Organisation

SECTION = "meetings"


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def section_export(workspace: Workspace) -> dict[str, Any]:
    meetings = (
        Meeting.objects.filter(workspace=workspace)
        .prefetch_related("attendees__organisation", "decisions", "action_points")
        .order_by("uuid")
    )
    return {
        "meetings": [
            {
                "uuid": str(m.uuid),
                "kind": m.kind,
                "title": m.title,
                "date": m.date.isoformat(),
                "end_date": _day(m.end_date),
                "place": m.place,
                "agenda": m.agenda,
                "minutes": m.minutes,
                "created_at": _when(m.created_at),
                "updated_at": _when(m.updated_at),
                "version": m.version,
                "attendees": [
                    {
                        "uuid": str(a.uuid),
                        "name": a.name,
                        "organisation": str(a.organisation.uuid) if a.organisation is not None else None,
                        "organisation_label": str(a.organisation) if a.organisation is not None else "",
                        "organisation_name": a.organisation_name,
                        "sex": a.sex,
                        "function": a.function,
                    }
                    for a in sorted(m.attendees.all(), key=lambda a: str(a.uuid))
                ],
                "decisions": [
                    {"uuid": str(d.uuid), "text": d.text, "position": d.position}
                    for d in sorted(m.decisions.all(), key=lambda d: (d.position, str(d.uuid)))
                ],
                "action_points": [
                    {
                        "uuid": str(p.uuid),
                        "text": p.text,
                        "owner": p.owner,
                        "due_date": _day(p.due_date),
                        "status": p.status,
                    }
                    for p in sorted(m.action_points.all(), key=lambda p: str(p.uuid))
                ],
            }
            for m in meetings
        ]
    }


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The meetings part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _attendee(meeting: Meeting, record: dict[str, Any], organisations: dict[str, Organisation]) -> Attendee:
    organisation = organisations.get(record.get("organisation") or "")
    organisation_name = record.get("organisation_name", "")
    if organisation is None and not organisation_name:
        # The organisation is not in the restored registry: keep its name as free text.
        organisation_name = record.get("organisation_label", "")
    return Attendee(
        meeting=meeting,
        uuid=record["uuid"],
        name=record["name"],
        organisation=organisation,
        organisation_name=organisation_name,
        sex=record.get("sex", ""),
        function=record.get("function", ""),
    )


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    organisations = {str(o.uuid): o for o in Organisation.objects.filter(workspace=workspace)}
    for index, record in enumerate(section.get("meetings", [])):
        where = f"meetings[{index}]"
        try:
            meeting = Meeting.objects.create(
                workspace=workspace,
                uuid=record["uuid"],
                kind=record["kind"],
                title=record["title"],
                date=dt.date.fromisoformat(record["date"]),
                end_date=dt.date.fromisoformat(record["end_date"]) if record.get("end_date") else None,
                place=record.get("place", ""),
                agenda=record.get("agenda", ""),
                minutes=record.get("minutes", ""),
                created_at=dt.datetime.fromisoformat(record["created_at"]),
                updated_at=dt.datetime.fromisoformat(record["updated_at"]),
                version=record.get("version", 1),
            )
            Attendee.objects.bulk_create(
                [_attendee(meeting, a, organisations) for a in record.get("attendees", [])]
            )
            Decision.objects.bulk_create(
                [
                    Decision(meeting=meeting, uuid=d["uuid"], text=d["text"], position=d.get("position", 0))
                    for d in record.get("decisions", [])
                ]
            )
            ActionPoint.objects.bulk_create(
                [
                    ActionPoint(
                        meeting=meeting,
                        uuid=p["uuid"],
                        text=p["text"],
                        owner=p.get("owner", ""),
                        due_date=dt.date.fromisoformat(p["due_date"]) if p.get("due_date") else None,
                        status=p.get("status", "open"),
                    )
                    for p in record.get("action_points", [])
                ]
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _damaged(where, error) from error
