"""Meetings, attendees, decisions and action points: audited create / update / delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.db.models import Max

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.meetings.models import ACTION_STATUS, MEETING_KINDS, ActionPoint, Attendee, Decision, Meeting
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation

MEETING_FIELDS = ["kind", "title", "date", "end_date", "place", "agenda", "minutes"]
ATTENDEE_FIELDS = ["meeting", "name", "organisation", "organisation_name", "sex", "function"]
ATTENDEE_CHANGEABLE = ["name", "organisation", "organisation_name", "sex", "function"]
DECISION_FIELDS = ["meeting", "text", "position"]
ACTION_POINT_FIELDS = ["meeting", "text", "owner", "due_date", "status"]
ACTION_POINT_CHANGEABLE = ["text", "owner", "due_date", "status"]

MEETING_KIND_CODES = [code for code, _label in MEETING_KINDS]
SEX_CODES = [code for code, _label in SEX_CHOICES]
ACTION_STATUS_CODES = [code for code, _label in ACTION_STATUS]


def attendee_identity(
    name: str, organisation: Organisation | None, organisation_name: str
) -> tuple[str, str]:
    """Who an attendee is, for spotting the same person twice: the name and the organisation, compared
    ignoring case and repeated spaces."""
    where = f"registry:{organisation.pk}" if organisation is not None else _folded(organisation_name)
    return _folded(name), where


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _invalid(model: type[models.Model], problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _("The %(what)s cannot be saved; correct the fields listed."),
        {"what": model._meta.verbose_name},
        problems=problems,
    )


def _unknown_fields(changes: dict[str, Any], allowed: list[str]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(field)s” cannot be changed here; the fields that can are: %(allowed)s."),
            {"field": unknown[0], "allowed": ", ".join(allowed)},
            problems=[FieldProblem(name, _("This field cannot be changed here.")) for name in unknown],
        )


def _own_meeting(workspace: Workspace, meeting: Meeting) -> None:
    if meeting.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such meeting in this workspace."))


# --- Meetings ------------------------------------------------------------------------------------------


def _meeting_problems(values: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if values.get("kind") not in MEETING_KIND_CODES:
        problems.append(
            FieldProblem(
                "kind",
                _("“%(value)s” is not a type of meeting; choose one of %(codes)s."),
                {"value": values.get("kind"), "codes": ", ".join(MEETING_KIND_CODES)},
            )
        )
    if not str(values.get("title") or "").strip():
        problems.append(FieldProblem("title", _("Give the meeting a title, e.g. “Inception meeting”.")))
    date, end_date = values.get("date"), values.get("end_date")
    if not isinstance(date, dt.date):
        problems.append(FieldProblem("date", _("Give the date of the meeting (its first day).")))
    elif isinstance(end_date, dt.date) and end_date < date:
        problems.append(
            FieldProblem(
                "end_date",
                _("The last day (%(end)s) is before the first day (%(start)s)."),
                {"end": end_date.isoformat(), "start": date.isoformat()},
            )
        )
    return problems


def meeting_create(
    *,
    workspace: Workspace,
    kind: str,
    title: str,
    date: dt.date,
    end_date: dt.date | None = None,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    acting_user: User | None,
) -> Meeting:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    values: dict[str, Any] = {
        "kind": kind,
        "title": title.strip(),
        "date": date,
        "end_date": end_date,
        "place": place.strip(),
        "agenda": agenda.strip(),
        "minutes": minutes.strip(),
    }
    problems = _meeting_problems(values)
    if problems:
        raise _invalid(Meeting, problems)
    return record_create(
        model=Meeting,
        workspace=workspace,
        values={"workspace": workspace, **values},
        acting_user=acting_user,
        audited_fields=MEETING_FIELDS,
    )


def meeting_update(
    *,
    workspace: Workspace,
    meeting: Meeting,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Meeting:
    """Change a meeting's details (any of ``MEETING_FIELDS``). ``expected_version`` guards against
    overwriting a change someone else saved meanwhile."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, meeting)
    _unknown_fields(changes, MEETING_FIELDS)
    changes = {key: value.strip() if isinstance(value, str) else value for key, value in changes.items()}
    problems = _meeting_problems({**{name: getattr(meeting, name) for name in MEETING_FIELDS}, **changes})
    if problems:
        raise _invalid(Meeting, problems)
    return record_update(
        instance=meeting,
        workspace=workspace,
        changes=changes,
        acting_user=acting_user,
        audited_fields=MEETING_FIELDS,
        expected_version=expected_version,
    )


def meeting_delete(*, workspace: Workspace, meeting: Meeting, acting_user: User | None) -> None:
    """Delete a meeting with its attendance, decisions and action points."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, meeting)
    record_delete(
        instance=meeting, workspace=workspace, acting_user=acting_user, audited_fields=MEETING_FIELDS
    )


# --- Attendees -----------------------------------------------------------------------------------------


def _attendee_problems(
    workspace: Workspace, meeting: Meeting, values: dict[str, Any], *, exclude: Attendee | None = None
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    organisation = values.get("organisation")
    if not values["name"]:
        problems.append(FieldProblem("name", _("Give the attendee's name.")))
    if organisation is not None and organisation.workspace_id != workspace.pk:
        problems.append(
            FieldProblem("organisation", _("That organisation is not in this workspace's registry."))
        )
    if values["sex"] not in SEX_CODES and values["sex"] != "":
        problems.append(
            FieldProblem(
                "sex",
                _("“%(value)s” is not a sex code; use one of %(codes)s, or leave it empty."),
                {"value": values["sex"], "codes": ", ".join(SEX_CODES)},
            )
        )
    if problems:
        return problems
    identity = attendee_identity(values["name"], organisation, values["organisation_name"])
    others = meeting.attendees.select_related("organisation")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if any(attendee_identity(a.name, a.organisation, a.organisation_name) == identity for a in others):
        problems.append(
            FieldProblem(
                "name",
                _("%(name)s of this organisation is already on the attendance list."),
                {"name": values["name"]},
            )
        )
    return problems


def _attendee_values(
    *, name: str, organisation: Organisation | None, organisation_name: str, sex: str, function: str
) -> dict[str, Any]:
    return {
        "name": " ".join(name.split()),
        "organisation": organisation,
        # An organisation of the registry is named there; the free text is only for those not in it.
        "organisation_name": "" if organisation is not None else " ".join(organisation_name.split()),
        "sex": sex.strip(),
        "function": function.strip(),
    }


def attendee_add(
    *,
    workspace: Workspace,
    meeting: Meeting,
    name: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    sex: str = "",
    function: str = "",
    acting_user: User | None,
) -> Attendee:
    """Add someone to the attendance list. ``organisation`` is an organisation of the registry;
    ``organisation_name`` the free-text name of one that is not in it."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, meeting)
    values = _attendee_values(
        name=name, organisation=organisation, organisation_name=organisation_name, sex=sex, function=function
    )
    problems = _attendee_problems(workspace, meeting, values)
    if problems:
        raise _invalid(Attendee, problems)
    return record_create(
        model=Attendee,
        workspace=workspace,
        values={"meeting": meeting, **values},
        acting_user=acting_user,
        audited_fields=ATTENDEE_FIELDS,
    )


def attendee_update(
    *, workspace: Workspace, attendee: Attendee, acting_user: User | None, **changes: Any
) -> Attendee:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, attendee.meeting)
    _unknown_fields(changes, ATTENDEE_CHANGEABLE)
    current = {name: getattr(attendee, name) for name in ATTENDEE_CHANGEABLE}
    if "organisation" in changes and changes["organisation"] is not None:
        current["organisation_name"] = ""
    values = _attendee_values(**{**current, **changes})
    problems = _attendee_problems(workspace, attendee.meeting, values, exclude=attendee)
    if problems:
        raise _invalid(Attendee, problems)
    return record_update(
        instance=attendee,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=ATTENDEE_FIELDS,
    )


def attendee_remove(*, workspace: Workspace, attendee: Attendee, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, attendee.meeting)
    record_delete(
        instance=attendee, workspace=workspace, acting_user=acting_user, audited_fields=ATTENDEE_FIELDS
    )


# --- Decisions -----------------------------------------------------------------------------------------


def decision_add(*, workspace: Workspace, meeting: Meeting, text: str, acting_user: User | None) -> Decision:
    """Record a decision; decisions keep the order in which they were recorded."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, meeting)
    text = text.strip()
    if not text:
        raise _invalid(Decision, [FieldProblem("text", _("Write the decision."))])
    with transaction.atomic():
        # Lock the meeting so that two decisions recorded at once get different positions.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = meeting.decisions.aggregate(last=Max("position"))["last"]
        return record_create(
            model=Decision,
            workspace=workspace,
            values={"meeting": meeting, "text": text, "position": 1 if last is None else last + 1},
            acting_user=acting_user,
            audited_fields=DECISION_FIELDS,
        )


def decision_remove(*, workspace: Workspace, decision: Decision, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, decision.meeting)
    record_delete(
        instance=decision, workspace=workspace, acting_user=acting_user, audited_fields=DECISION_FIELDS
    )


# --- Action points -------------------------------------------------------------------------------------


def _action_point_problems(values: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not values["text"]:
        problems.append(FieldProblem("text", _("Say what is to be done.")))
    if values["status"] not in ACTION_STATUS_CODES:
        problems.append(
            FieldProblem(
                "status",
                _("“%(value)s” is not a status; use one of %(codes)s."),
                {"value": values["status"], "codes": ", ".join(ACTION_STATUS_CODES)},
            )
        )
    return problems


def action_point_add(
    *,
    workspace: Workspace,
    meeting: Meeting,
    text: str,
    owner: str = "",
    due_date: dt.date | None = None,
    status: str = "open",
    acting_user: User | None,
) -> ActionPoint:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, meeting)
    values: dict[str, Any] = {
        "text": text.strip(),
        "owner": owner.strip(),
        "due_date": due_date,
        "status": status,
    }
    problems = _action_point_problems(values)
    if problems:
        raise _invalid(ActionPoint, problems)
    return record_create(
        model=ActionPoint,
        workspace=workspace,
        values={"meeting": meeting, **values},
        acting_user=acting_user,
        audited_fields=ACTION_POINT_FIELDS,
    )


def action_point_update(
    *, workspace: Workspace, action_point: ActionPoint, acting_user: User | None, **changes: Any
) -> ActionPoint:
    """Change an action point, most often its status (open → in progress → done)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, action_point.meeting)
    _unknown_fields(changes, ACTION_POINT_CHANGEABLE)
    changes = {key: value.strip() if isinstance(value, str) else value for key, value in changes.items()}
    problems = _action_point_problems(
        {**{name: getattr(action_point, name) for name in ACTION_POINT_CHANGEABLE}, **changes}
    )
    if problems:
        raise _invalid(ActionPoint, problems)
    return record_update(
        instance=action_point,
        workspace=workspace,
        changes=changes,
        acting_user=acting_user,
        audited_fields=ACTION_POINT_FIELDS,
    )


def action_point_remove(*, workspace: Workspace, action_point: ActionPoint, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_meeting(workspace, action_point.meeting)
    record_delete(
        instance=action_point,
        workspace=workspace,
        acting_user=acting_user,
        audited_fields=ACTION_POINT_FIELDS,
    )
