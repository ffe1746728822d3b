"""The ``reviews`` section of a workspace backup: the versions of each deliverable (with their snapshot of
elements), the review rounds, the comments with their responses and decisions, and the accepted reviewer
invitations.

Rows are identified by UUID and refer to each other by UUID: a version to the one it is based on, a round
to its version, a comment to its round and to the version that resolved it. Meetings (a round's meeting, a
version's validation meeting) are referred to by UUID too; the ``meetings`` section is restored before
this one. A NAP version's ``subject`` is its plan's UUID, which the ``nap`` section keeps, so it stays
valid. People are referred to by username, and only the members of the restored workspace (``accounts``
section) are matched: the same username in another database may be somebody else. A person who is no
longer a member is left out of a round's reviewers and of the "by" fields, while the names written on the
rows (a version's author, a comment's reviewer) are kept.

Not in the backup:

- the links' secrets of reviewer invitations (only their hashes are stored, and a backup file must not
  open the workspace to anybody). Every invitation is written, with its dates, for the record; only the
  accepted ones are restored, as history, with a fresh secret nobody holds. An invitation still pending
  is not restored: invite the reviewer again.
- the notifications waiting for the next email digest (``PendingNotification``): they are transient, and
  a restored workspace should not email people about what happened before the backup.

A damaged section restores nothing (the restore's transaction is rolled back) and says which row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.diff import element_from_json
from ctip.web.accounts.models import User, Workspace
from ctip.web.meetings.models import Meeting
from ctip.web.reviews.models import (
    DECISION_CHOICES,
    DELIVERABLE_CHOICES,
    ROUND_STATUS_CHOICES,
    VERSION_STATUS_CHOICES,
    DeliverableVersion,
    ReviewComment,
    ReviewerInvitation,
    ReviewRound,
)

SECTION = "reviews"
_COMMON = ("uuid", "created_at", "updated_at", "version")
_OPTIONAL_TIMES = ("validated_at", "finalised_at", "closed_at", "responded_at", "expires_at", "accepted_at")
VERSION_FIELDS = (
    "deliverable",
    "subject",
    "number",
    "title",
    "status",
    "note",
    "elements",
    "author_label",
    "validation_decision",
    "validation_conditions",
    "validated_at",
    "finalised_at",
)
ROUND_FIELDS = ("title", "due_date", "status", "closed_at")
COMMENT_FIELDS = (
    "number",
    "element_id",
    "element_kind",
    "element_label",
    "text",
    "reviewer_label",
    "organisation",
    "response",
    "decision",
    "reason",
    "responded_at",
    "resolved_element_id",
)
INVITATION_FIELDS = ("email", "name", "organisation_name", "expires_at", "accepted_at")
_CHOICES: dict[str, Collection[str]] = {
    "deliverable": {value for value, _label in DELIVERABLE_CHOICES},
    "status": {value for value, _label in VERSION_STATUS_CHOICES},
    "round_status": {value for value, _label in ROUND_STATUS_CHOICES},
    "decision": {"", *(value for value, _label in DECISION_CHOICES)},
}


# --- Export ----------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row(instance: models.Model, fields: Iterable[str], **references: Any) -> dict[str, Any]:
    row = {name: _plain(getattr(instance, name)) for name in (*_COMMON, *fields)}
    row["uuid"] = str(row["uuid"])
    return row | references


def _uuid(instance: Any) -> str | None:
    return str(instance.uuid) if instance is not None else None


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _versions_export(workspace: Workspace) -> list[dict[str, Any]]:
    versions = (
        DeliverableVersion.objects.filter(workspace=workspace)
        .select_related("author", "based_on", "validation_meeting", "validated_by", "finalised_by")
        .order_by("deliverable", "subject", "number")
    )
    return [
        _row(
            version,
            VERSION_FIELDS,
            author=_username(version.author),
            based_on=_uuid(version.based_on),
            validation_meeting=_uuid(version.validation_meeting),
            validated_by=_username(version.validated_by),
            finalised_by=_username(version.finalised_by),
        )
        for version in versions
    ]


def _rounds_export(workspace: Workspace) -> list[dict[str, Any]]:
    rounds = (
        ReviewRound.objects.filter(workspace=workspace)
        .select_related("deliverable_version", "meeting", "opened_by")
        .prefetch_related("reviewers")
        .order_by("created_at", "uuid")
    )
    return [
        _row(
            round,
            ROUND_FIELDS,
            deliverable_version=str(round.deliverable_version.uuid),
            meeting=_uuid(round.meeting),
            opened_by=_username(round.opened_by),
            reviewers=sorted(user.username for user in round.reviewers.all()),
        )
        for round in rounds
    ]


def _comments_export(workspace: Workspace) -> list[dict[str, Any]]:
    comments = (
        ReviewComment.objects.filter(workspace=workspace)
        .select_related("round", "reviewer", "responded_by", "resolved_in")
        .order_by("round__created_at", "round__uuid", "number")
    )
    return [
        _row(
            comment,
            COMMENT_FIELDS,
            round=str(comment.round.uuid),
            reviewer=_username(comment.reviewer),
            responded_by=_username(comment.responded_by),
            resolved_in=_uuid(comment.resolved_in),
        )
        for comment in comments
    ]


def _invitations_export(workspace: Workspace) -> list[dict[str, Any]]:
    invitations = (
        ReviewerInvitation.objects.filter(workspace=workspace)
        .select_related("round", "invited_by", "accepted_by")
        .order_by("created_at", "uuid")
    )
    return [
        _row(
            invitation,
            INVITATION_FIELDS,
            round=_uuid(invitation.round),
            invited_by=_username(invitation.invited_by),
            accepted_by=_username(invitation.accepted_by),
        )
        for invitation in invitations
    ]


def section_export(workspace: Workspace) -> dict[str, Any]:
    return {
        "versions": _versions_export(workspace),
        "rounds": _rounds_export(workspace),
        "comments": _comments_export(workspace),
        "invitations": _invitations_export(workspace),
    }


# --- Restore ---------------------------------------------------------------------------------------------


class _DamagedRow(ValueError):
    """What is wrong with one row, in words for the person restoring."""


def _damaged(where: str, problem: str) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The review part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, problem)],
    )


def _problem(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"the field {error.args[0]!r} is missing"
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IntegrityError):
        return f"the row cannot be stored ({error}); is it repeated, or is a value missing?"
    return str(error)


def _when(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None:
        raise _DamagedRow(f"the date and time {value!r} has no time zone")
    return when


def _values(record: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The row's own values: ``fields`` present in ``record`` (the model's defaults for the others), the
    UUID, the timestamps and the optimistic-lock number."""
    values = {name: record[name] for name in fields if name in record}
    for name in _OPTIONAL_TIMES:
        if name in values:
            values[name] = _when(values[name])
    if values.get("due_date") is not None:
        values["due_date"] = dt.date.fromisoformat(values["due_date"])
    for name in ("created_at", "updated_at"):
        if record.get(name) is None:
            raise KeyError(name)
        values[name] = _when(record[name])
    values["uuid"] = record["uuid"]
    values["version"] = record.get("version", 1)
    return values


def _choice(value: Any, choices: str, what: str) -> None:
    if value not in _CHOICES[choices]:
        allowed = ", ".join(sorted(repr(choice) for choice in _CHOICES[choices]))
        raise _DamagedRow(f"{what} {value!r} is not one of {allowed}")


def _lookup(found: Mapping[str, Any], key: Any, what: str, *, optional: bool = False) -> Any:
    if key is None:
        if optional:
            return None
        raise _DamagedRow(f"the {what} is missing")
    if key not in found:
        raise _DamagedRow(f"{what} {key} is not in the backup")
    return found[key]


def _rows(section: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The rows of ``section[key]``, each with its index (for the messages), once they are checked to be
    objects: a list of something else is refused as a whole."""
    rows = section.get(key, [])
    if not isinstance(rows, list):
        raise _damaged(key, f"'{key}' is not a list of rows")
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise _damaged(f"{key}[{index}]", "the row is not an object")
    return list(enumerate(rows))


def _elements_check(elements: Any) -> None:
    if not isinstance(elements, list):
        raise _DamagedRow("the snapshot of elements is not a list")
    for position, element in enumerate(elements):
        if not isinstance(element, dict) or "id" not in element:
            raise _DamagedRow(f"element {position + 1} of the snapshot has no id")
        element_from_json(element)


def _version_restore(
    record: Mapping[str, Any],
    workspace: Workspace,
    meetings: Mapping[str, Meeting],
    users: Mapping[str, User],
) -> DeliverableVersion:
    _choice(record.get("deliverable"), "deliverable", "the deliverable")
    _choice(record.get("status"), "status", "the status")
    _elements_check(record.get("elements"))
    return DeliverableVersion.objects.create(
        workspace=workspace,
        author=users.get(record.get("author") or ""),
        validation_meeting=_lookup(
            meetings, record.get("validation_meeting"), "validation meeting", optional=True
        ),
        validated_by=users.get(record.get("validated_by") or ""),
        finalised_by=users.get(record.get("finalised_by") or ""),
        **_values(record, VERSION_FIELDS),
    )


def _round_restore(
    record: Mapping[str, Any],
    workspace: Workspace,
    versions: Mapping[str, DeliverableVersion],
    meetings: Mapping[str, Meeting],
    users: Mapping[str, User],
) -> ReviewRound:
    _choice(record.get("status"), "round_status", "the status")
    round = ReviewRound.objects.create(
        workspace=workspace,
        deliverable_version=_lookup(versions, record.get("deliverable_version"), "version"),
        meeting=_lookup(meetings, record.get("meeting"), "meeting", optional=True),
        opened_by=users.get(record.get("opened_by") or ""),
        **_values(record, ROUND_FIELDS),
    )
    round.reviewers.set([users[name] for name in record.get("reviewers", []) if name in users])
    return round


def _comment_restore(
    record: Mapping[str, Any],
    workspace: Workspace,
    rounds: Mapping[str, ReviewRound],
    versions: Mapping[str, DeliverableVersion],
    users: Mapping[str, User],
) -> ReviewComment:
    _choice(record.get("decision", ""), "decision", "the decision")
    return ReviewComment.objects.create(
        workspace=workspace,
        round=_lookup(rounds, record.get("round"), "review round"),
        reviewer=users.get(record.get("reviewer") or ""),
        responded_by=users.get(record.get("responded_by") or ""),
        resolved_in=_lookup(versions, record.get("resolved_in"), "version", optional=True),
        **_values(record, COMMENT_FIELDS),
    )


def _invitation_restore(
    record: Mapping[str, Any],
    workspace: Workspace,
    rounds: Mapping[str, ReviewRound],
    users: Mapping[str, User],
) -> None:
    if record.get("accepted_at") is None:
        return  # still pending or expired: its link cannot be restored (see the module's docstring)
    ReviewerInvitation.objects.create(
        workspace=workspace,
        round=_lookup(rounds, record.get("round"), "review round", optional=True),
        invited_by=users.get(record.get("invited_by") or ""),
        accepted_by=users.get(record.get("accepted_by") or ""),
        # A hash of a secret nobody holds: the restored invitation is history, its link opens nothing.
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        **_values(record, INVITATION_FIELDS),
    )


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the review history of ``section`` in ``workspace`` (inside the restore's transaction)."""
    meetings = {str(meeting.uuid): meeting for meeting in Meeting.objects.filter(workspace=workspace)}
    users = {user.username: user for user in User.objects.filter(memberships__workspace=workspace)}
    versions: dict[str, DeliverableVersion] = {}
    rounds: dict[str, ReviewRound] = {}
    if not isinstance(section, dict):
        raise _damaged(SECTION, "the section is not an object")
    where = SECTION
    try:
        records = _rows(section, "versions")
        for index, record in records:
            where = f"versions[{index}]"
            version = _version_restore(record, workspace, meetings, users)
            versions[str(version.uuid)] = version
        for index, record in records:  # a second pass: the version it is based on may come later
            where = f"versions[{index}]"
            if record.get("based_on") is not None:
                DeliverableVersion.objects.filter(uuid=record["uuid"]).update(
                    based_on=_lookup(versions, record["based_on"], "version it is based on")
                )
        for index, record in _rows(section, "rounds"):
            where = f"rounds[{index}]"
            round = _round_restore(record, workspace, versions, meetings, users)
            rounds[str(round.uuid)] = round
        for index, record in _rows(section, "comments"):
            where = f"comments[{index}]"
            _comment_restore(record, workspace, rounds, versions, users)
        for index, record in _rows(section, "invitations"):
            where = f"invitations[{index}]"
            _invitation_restore(record, workspace, rounds, users)
    except (KeyError, TypeError, ValueError, ValidationError, IntegrityError) as error:
        raise _damaged(where, _problem(error)) from error
