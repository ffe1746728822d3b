"""Interviews and focus-group discussions: audited create / update / delete, with the transcript upload.

The audit log shows a transcript as its length and a digest (not the whole text), and the organisations
as their UUIDs. Updates are written here rather than through ``accounts.records.record_update`` because
the organisations (many-to-many) and the transcript are part of the same change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.qualitative.models import RECORD_KINDS, QualitativeRecord
from ctip.web.qualitative.services.common import (
    invalid,
    model_problems,
    same_workspace,
    stripped,
    unknown_fields,
)
from ctip.web.qualitative.transcripts import UploadedTranscript, transcript_read
from ctip.web.stakeholders.models import Organisation

RECORD_CHANGEABLE = [
    "kind",
    "date",
    "title",
    "participants_women",
    "participants_men",
    "participants_other",
    "facilitator",
    "location",
    "notes",
]
_PLAIN_AUDITED = [*RECORD_CHANGEABLE, "transcript_name"]
RECORD_KIND_CODES = [code for code, _label in RECORD_KINDS]
_PARTICIPANT_FIELDS = ("participants_women", "participants_men", "participants_other")


def _text_label(text: str) -> str | None:
    """How the audit log shows a transcript: its length and the start of its SHA-256."""
    if not text:
        return None
    return f"{len(text)} characters, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _snapshot(record: QualitativeRecord, organisations: Iterable[Organisation]) -> dict[str, Any]:
    values = record_values(record, _PLAIN_AUDITED)
    values["transcript_text"] = _text_label(record.transcript_text)
    values["organisations"] = sorted(str(organisation.uuid) for organisation in organisations)
    return values


def _record_problems(values: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if values.get("kind") not in RECORD_KIND_CODES:
        problems.append(
            FieldProblem(
                "kind",
                _("“%(value)s” is not a type of record; use one of %(codes)s."),
                {"value": values.get("kind"), "codes": ", ".join(RECORD_KIND_CODES)},
            )
        )
    if not str(values.get("title") or "").strip():
        problems.append(
            FieldProblem("title", _("Give a title, e.g. “Interview with a labour inspector (Port Louis)”."))
        )
    if not isinstance(values.get("date"), dt.date):
        problems.append(FieldProblem("date", _("Give the date of the interview or discussion.")))
    for name in _PARTICIPANT_FIELDS:
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(
                FieldProblem(name, _("Give a number of participants (0 or more); names are not recorded."))
            )
    return problems


def _organisation_problems(workspace: Workspace, organisations: Sequence[Organisation]) -> list[FieldProblem]:
    if any(organisation.workspace_id != workspace.pk for organisation in organisations):
        return [
            FieldProblem("organisations", _("Choose organisations of this workspace's stakeholder registry."))
        ]
    return []


def _check(
    workspace: Workspace,
    record: QualitativeRecord,
    organisations: Sequence[Organisation],
    problems: list[FieldProblem],
    transcript_error: DomainError | None,
) -> None:
    """Raise every problem at once; a refused transcript alone keeps its own specific message."""
    problems = [*problems, *_organisation_problems(workspace, organisations)]
    flagged = {problem.location for problem in problems}
    problems.extend(
        problem
        for problem in model_problems(record, exclude=["workspace", "transcript_text"])
        if problem.location not in flagged
    )
    if transcript_error is not None:
        if not problems:
            raise transcript_error
        problems.extend(transcript_error.problems)
    if problems:
        error = invalid(QualitativeRecord, problems)
        if transcript_error is not None and transcript_error.code is ErrorCode.UPLOAD_TOO_LARGE:
            error.code = ErrorCode.UPLOAD_TOO_LARGE
        raise error


def _transcript(upload: UploadedTranscript | None) -> tuple[dict[str, str], DomainError | None]:
    if upload is None:
        return {}, None
    try:
        read = transcript_read(upload)
    except DomainError as error:
        return {}, error
    return {"transcript_name": read.name, "transcript_text": read.text}, None


def qualitative_record_create(
    *,
    workspace: Workspace,
    kind: str,
    date: dt.date,
    title: str,
    organisations: Sequence[Organisation] = (),
    participants_women: int = 0,
    participants_men: int = 0,
    participants_other: int = 0,
    facilitator: str = "",
    location: str = "",
    notes: str = "",
    transcript: UploadedTranscript | None = None,
    acting_user: User | None,
) -> QualitativeRecord:
    """Record an interview or focus-group discussion: how many took part (by sex, no names), which
    organisations of the registry, notes and optionally a transcript (.docx or .txt, whose text is kept)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    values: dict[str, Any] = stripped(
        {
            "kind": kind,
            "date": date,
            "title": title,
            "participants_women": participants_women,
            "participants_men": participants_men,
            "participants_other": participants_other,
            "facilitator": facilitator,
            "location": location,
            "notes": notes,
        }
    )
    problems = _record_problems(values)
    transcript_values, transcript_error = _transcript(transcript)
    record = QualitativeRecord(workspace=workspace, **values, **transcript_values)
    organisations = list(dict.fromkeys(organisations))
    _check(workspace, record, organisations, problems, transcript_error)
    with transaction.atomic():
        record.save()
        record.organisations.set(organisations)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="qualitativerecord.create",
            obj=record,
            after=_snapshot(record, organisations),
        )
    return record


def qualitative_record_update(
    *,
    workspace: Workspace,
    record: QualitativeRecord,
    acting_user: User | None,
    organisations: Sequence[Organisation] | None = None,
    transcript: UploadedTranscript | None = None,
    remove_transcript: bool = False,
    expected_version: int | None = None,
    **changes: Any,
) -> QualitativeRecord:
    """Change a record (any of ``RECORD_CHANGEABLE``; ``organisations`` replaces the list). A new
    ``transcript`` replaces the stored text; ``remove_transcript`` drops it. ``expected_version`` guards
    against overwriting a change someone else saved meanwhile (``conflict``)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, record.workspace_id, str(QualitativeRecord._meta.verbose_name))
    unknown_fields(changes, RECORD_CHANGEABLE)
    changes = stripped(changes)
    transcript_values, transcript_error = _transcript(transcript)
    if remove_transcript and transcript is None:
        transcript_values = {"transcript_name": "", "transcript_text": ""}
    with transaction.atomic():
        current = QualitativeRecord.objects.select_for_update().get(pk=record.pk)
        submitted = changes if organisations is None else {**changes, "organisations": organisations}
        conflict_check(current=current, expected_version=expected_version, submitted=submitted)
        stored_organisations = list(current.organisations.all())
        new_organisations = (
            stored_organisations if organisations is None else list(dict.fromkeys(organisations))
        )
        before = _snapshot(current, stored_organisations)
        problems = _record_problems(
            {**{name: getattr(current, name) for name in RECORD_CHANGEABLE}, **changes}
        )
        for name, value in {**changes, **transcript_values}.items():
            setattr(current, name, value)
        _check(workspace, current, new_organisations, problems, transcript_error)
        after = _snapshot(current, new_organisations)
        if before == after:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        if organisations is not None:
            current.organisations.set(new_organisations)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="qualitativerecord.update",
            obj=current,
            before=before,
            after=after,
        )
    return current


def qualitative_record_delete(
    *, workspace: Workspace, record: QualitativeRecord, acting_user: User | None
) -> None:
    """Delete a record with its coded excerpts (and so its quotes)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, record.workspace_id, str(QualitativeRecord._meta.verbose_name))
    with transaction.atomic():
        before = _snapshot(record, record.organisations.all())
        before["excerpts"] = record.excerpts.count()
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="qualitativerecord.delete",
            obj=record,
            before=before,
        )
        record.delete()
