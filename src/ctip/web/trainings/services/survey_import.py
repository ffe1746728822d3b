"""Reaction and follow-up survey responses from a KoboToolbox or ODK export of the event's XLSForm
(:mod:`ctip.formats.training_surveys_xlsform`): a preview that says, row by row, which participant's response
is added, replaces an earlier one or is unchanged, then an apply that writes them all in one transaction —
or nothing, when any row has a problem.

The export may be a ``;``- or ``,``-delimited CSV (with or without a byte-order mark) or an XLSX, with XML
names or labels as headers (English or French), group paths (``group/screenings``, ODK's
``group-screenings``) and select_multiple answers as a space-separated column or one 0/1 column per choice.
The ``participant_code`` column links each response to a participant of the event; metadata columns
(``_id``, ``_submission_time`` …) are ignored, except the submission time, which dates the response.
Answers are checked as :func:`~ctip.core.training.surveys.clean_answers` does; a blank answer (or ``NA``,
``-99``) is recorded as unanswered, since the form itself made the questions required when they were
collected, but a required question's column must be in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import SurveyKind
from ctip.core.training.surveys import (
    LIKERT_SCALE,
    QuestionKind,
    SurveyQuestion,
    clean_answers,
    questions,
    summarise_follow_up,
    summarise_reactions,
)
from ctip.formats.survey_exports import read_survey_export
from ctip.formats.survey_exports.columns import fold
from ctip.formats.survey_exports.model import SurveyExport
from ctip.formats.tabular import MAX_PROBLEMS, column_letter
from ctip.formats.training_surveys_xlsform import PARTICIPANT_CODE, PARTICIPANT_CODE_LABEL
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.trainings.models import Participant, SurveyResponse, TrainingEvent
from ctip.web.trainings.services import feeds
from ctip.web.trainings.services.answers_import import (
    CREATE,
    REPLACE,
    UNCHANGED,
    ParticipantCodes,
    unknown_participant,
)

PARTICIPANT_ALIASES = (PARTICIPANT_CODE, "participant", "code")
MISSING_CODES = frozenset({"na", "n/a", "-99", "-999"})
CHOSEN = frozenset({"1", "true", "yes", "oui", "vrai", "x", "selected"})
END_COLUMN = "end"

_MEGABYTE = 1024 * 1024
_LIKERT_NUMBER = re.compile(r"^\s*([1-5])(?:\s|[–—:.)-]|$)")


@dataclass(frozen=True)
class SurveyRow:
    row: int
    participant: str
    answers: Mapping[str, Any]
    action: str
    submitted_at: dt.datetime
    replaced_at: dt.datetime | None = None
    """When the response replaced was submitted (``None`` for a new response)."""


@dataclass(frozen=True)
class SurveyPreview:
    filename: str
    kind: str
    rows: tuple[SurveyRow, ...]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def to_replace(self) -> int:
        return self.count(REPLACE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return any(row.action != UNCHANGED for row in self.rows)


# --- Columns -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Binding:
    participant: int
    questions: Mapping[str, int]
    """Question name → column position of its answer."""
    choice_columns: Mapping[str, tuple[tuple[str, int], ...]]
    """select_multiple question name → (choice name, position) of its one-column-per-choice columns."""
    end: int


def _ends_with(column: str, name: str, separator: str = "/") -> bool:
    return column == name or column.endswith(separator + name)


def _find(columns: Sequence[str], names: Sequence[str], labels: Sequence[str]) -> int:
    folded = [fold(column) for column in columns]
    for wanted in [fold(name) for name in names] + [fold(label) for label in labels if label.strip()]:
        for position, column in enumerate(folded):
            if _ends_with(column, wanted):
                return position
    return -1


def _choice_of_column(header: str, separators: Sequence[str], prefixes: set[str]) -> str:
    """The choice of a one-column-per-choice header (``tools_used/sops``, ``group/tools_used/sops``,
    ``group-tools_used-sops``) of a question whose name or label is in ``prefixes``; ``""`` otherwise."""
    folded = fold(header)
    for separator in separators:
        head, found, tail = folded.rpartition(separator)
        if found and any(_ends_with(head, prefix, separator) for prefix in prefixes):
            return tail
    return ""


def _choice_lookup(question: SurveyQuestion) -> dict[str, str]:
    lookup: dict[str, str] = {}
    choices = LIKERT_SCALE if question.kind == QuestionKind.LIKERT else question.choices
    for name, label in choices:
        for text in (label.en, label.fr):
            if text.strip():
                lookup.setdefault(fold(text), name)
                lookup.setdefault(fold(f"{name} – {text}"), name)
    for name, _label in choices:
        lookup[fold(name)] = name
    return lookup


def _bind(export: SurveyExport, kind: SurveyKind, filename: str) -> _Binding:
    columns = export.columns
    problems: list[FieldProblem] = []
    participant = _find(columns, PARTICIPANT_ALIASES, (PARTICIPANT_CODE_LABEL.en, PARTICIPANT_CODE_LABEL.fr))
    if participant < 0:
        problems.append(
            FieldProblem(
                "header row",
                _(
                    "The file has no “participant_code” column. Export the submissions of the survey form "
                    "downloaded from this page: its first question is the participant code."
                ),
            )
        )
    separators = tuple(dict.fromkeys(sep for sep in (export.separator, "/") if sep))
    found: dict[str, int] = {}
    choice_columns: dict[str, tuple[tuple[str, int], ...]] = {}
    taken = {participant}
    for question in questions(kind):
        position = _find(columns, (question.name,), (question.label.en, question.label.fr))
        if position >= 0 and position not in taken:
            found[question.name] = position
            taken.add(position)
        if question.kind == QuestionKind.SELECT_MULTIPLE:
            prefixes = {
                text
                for text in (fold(question.name), fold(question.label.en), fold(question.label.fr))
                if text
            }
            lookup = _choice_lookup(question)
            pairs = []
            for index, column in enumerate(columns):
                if index in taken:
                    continue
                choice = _choice_of_column(export.original_columns.get(column, column), separators, prefixes)
                if choice in lookup:
                    pairs.append((lookup[choice], index))
                    taken.add(index)
            if pairs:
                choice_columns[question.name] = tuple(pairs)
    if not found and not choice_columns:
        other = SurveyKind.FOLLOW_UP if kind == SurveyKind.REACTION else SurveyKind.REACTION
        looks_like_other = any(
            _find(columns, (q.name,), (q.label.en, q.label.fr)) >= 0 for q in questions(other)
        )
        if looks_like_other:
            template = _(
                "The file has none of the questions of the %(kind)s survey but those of the %(other)s survey: "
                "choose the %(other)s survey and upload it again."
            )
        else:
            template = _(
                "The file has none of the questions of the %(kind)s survey (%(names)s). Export the submissions "
                "of the form downloaded from this page, with “XML values and headers”."
            )
        problems.append(
            FieldProblem(
                "header row",
                template,
                {
                    "kind": kind.value.replace("_", "-"),
                    "other": other.value.replace("_", "-"),
                    "names": ", ".join(q.name for q in questions(kind)),
                },
            )
        )
    else:
        for question in questions(kind):
            if question.required and question.name not in found and question.name not in choice_columns:
                problems.append(
                    FieldProblem(
                        "header row",
                        _(
                            "The column of the question “%(name)s” is missing. Export every question of the "
                            "form (the %(name)s column is required)."
                        ),
                        {"name": question.name},
                    )
                )
    if problems:
        _raise(problems, filename)
    return _Binding(participant, found, choice_columns, _find(columns, (END_COLUMN,), ()))


# --- Values --------------------------------------------------------------------------------------------


def _is_missing(text: str) -> bool:
    return not text.strip() or text.strip().casefold() in MISSING_CODES


def _choice_value(question: SurveyQuestion, text: str) -> str:
    """A select_one or Likert answer written as a name, a label or ``4 – Agree``, as its choice name; any
    other text is returned as written for :func:`clean_answers` to report."""
    if question.kind == QuestionKind.LIKERT:
        match = _LIKERT_NUMBER.match(text)
        if match:
            return match.group(1)
    return _choice_lookup(question).get(fold(text), text.strip())


def _multiple_value(question: SurveyQuestion, text: str) -> list[str]:
    """A space-separated select_multiple answer (names, or labels in an export with labels) as the choice
    names; unknown words are kept for :func:`clean_answers` to report."""
    lookup = _choice_lookup(question)
    remaining = fold(text)
    chosen: list[str] = []
    labels = sorted(lookup, key=len, reverse=True)
    while remaining:
        for label in labels:
            if remaining == label or remaining.startswith(label + " "):
                chosen.append(lookup[label])
                remaining = remaining[len(label) :].lstrip()
                break
        else:
            token, _space, remaining = remaining.partition(" ")
            chosen.append(token)
    return chosen


def _raw_answers(kind: SurveyKind, binding: _Binding, cells: Sequence[str]) -> dict[str, str | list[str]]:
    raw: dict[str, str | list[str]] = {}
    for question in questions(kind):
        position = binding.questions.get(question.name, -1)
        text = cells[position] if position >= 0 else ""
        if question.kind == QuestionKind.SELECT_MULTIPLE:
            if not _is_missing(text):
                raw[question.name] = _multiple_value(question, text)
            elif question.name in binding.choice_columns:
                ticked = [
                    name
                    for name, index in binding.choice_columns[question.name]
                    if cells[index].strip().casefold() in CHOSEN
                ]
                if ticked:
                    raw[question.name] = ticked
            continue
        if _is_missing(text):
            continue
        if question.kind in (QuestionKind.LIKERT, QuestionKind.SELECT_ONE):
            raw[question.name] = _choice_value(question, text)
        else:
            raw[question.name] = text
    return raw


def _moment(text: str) -> dt.datetime | None:
    candidate = text.strip()
    if not candidate:
        return None
    if re.match(r"\d{4}/\d{2}/\d{2}", candidate):
        candidate = candidate.replace("/", "-", 2)
    try:
        moment = dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None
    # KoboToolbox writes ``_submission_time`` in UTC without an offset (as the TNA import reads it).
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- Preview and apply ---------------------------------------------------------------------------------


def _where(export: SurveyExport, row: int, position: int) -> str:
    column = export.columns[position]
    return (
        f"row {row}, column “{export.original_columns.get(column, column)}” ({column_letter(position + 1)})"
    )


def _raise(problems: list[FieldProblem], filename: str) -> None:
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” cannot be imported: %(count)s problem(s) found, listed below with their row and column. "
            "Nothing was saved. Correct the export (or the submissions in KoboToolbox or ODK) and upload it "
            "again."
        ),
        {"file": filename, "count": len(problems)},
        problems=problems[:MAX_PROBLEMS],
    )


def _plan(
    event: TrainingEvent, kind: SurveyKind, export: SurveyExport, filename: str
) -> tuple[SurveyPreview, dict[int, tuple[Participant, SurveyResponse | None]]]:
    binding = _bind(export, kind, filename)
    participants = ParticipantCodes(list(Participant.objects.filter(event=event)))
    stored = {
        response.participant_id: response
        for response in SurveyResponse.objects.filter(event=event, kind=kind, participant__isnull=False)
    }
    problems: list[FieldProblem] = []
    seen: dict[int, int] = {}
    rows: list[SurveyRow] = []
    targets: dict[int, tuple[Participant, SurveyResponse | None]] = {}
    now = timezone.now()
    for export_row in export.rows:
        number = export_row.number
        cells = [export_row.values[column] for column in export.columns]
        code = cells[binding.participant].strip()
        participant = None
        if not code:
            problems.append(
                FieldProblem(
                    _where(export, number, binding.participant),
                    _(
                        "The participant code is missing. Every response needs the code given at the training."
                    ),
                )
            )
        else:
            participant = participants.find(code)
            if participant is None:
                problems.append(unknown_participant(_where(export, number, binding.participant), code, event))
            elif participant.pk in seen:
                problems.append(
                    FieldProblem(
                        _where(export, number, binding.participant),
                        _(
                            "%(code)s has a response on row %(first)s too. Keep one response per participant: "
                            "delete the other submission in KoboToolbox or ODK, or its row in the file."
                        ),
                        {"code": participant.code, "first": seen[participant.pk]},
                    )
                )
                participant = None
            else:
                seen[participant.pk] = number
        try:
            answers = clean_answers(kind, _raw_answers(kind, binding, cells), enforce_required=False)
        except DomainError as error:
            for problem in error.problems:
                position = binding.questions.get(problem.location, -1)
                if position < 0 and problem.location in binding.choice_columns:
                    position = binding.choice_columns[problem.location][0][1]
                location = (
                    _where(export, number, position) if position >= 0 else f"row {number}, {problem.location}"
                )
                problems.append(FieldProblem(location, problem.template, problem.params))
            continue
        if not answers:
            problems.append(
                FieldProblem(
                    f"row {number}",
                    _(
                        "This response has no answer at all. Delete the row (or the empty submission) and try again."
                    ),
                )
            )
            continue
        if participant is None:
            continue
        submitted = _moment(export_row.submitted_at)
        if submitted is None and binding.end >= 0:
            submitted = _moment(cells[binding.end])
        earlier = stored.get(participant.pk)
        action = CREATE
        if earlier is not None:
            action = UNCHANGED if earlier.answers == answers else REPLACE
        rows.append(
            SurveyRow(
                number,
                participant.code,
                answers,
                action,
                submitted or now,
                earlier.submitted_at if earlier is not None else None,
            )
        )
        targets[number] = (participant, earlier)
    if problems:
        _raise(problems, filename)
    return SurveyPreview(filename, kind.value, tuple(rows)), targets


def _read(data: bytes, filename: str) -> SurveyExport:
    return read_survey_export(data, filename=filename, max_bytes=int(settings.CTIP_MAX_UPLOAD_MB) * _MEGABYTE)


def _checked(workspace: Workspace, event: TrainingEvent, kind: str) -> SurveyKind:
    if event.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such training event in this workspace."))
    try:
        return SurveyKind(kind)
    except ValueError as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(value)s” is not a survey: choose reaction or follow_up."),
            {"value": kind},
        ) from error


def survey_import_preview(
    *,
    workspace: Workspace,
    event: TrainingEvent,
    kind: str,
    data: bytes,
    filename: str,
    acting_user: User | None,
) -> SurveyPreview:
    """What importing the export would do; raises :class:`DomainError` listing every problem (row and
    column). Nothing is stored."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    survey = _checked(workspace, event, kind)
    preview, _targets = _plan(event, survey, _read(data, filename), filename)
    return preview


def survey_import_apply(
    *,
    workspace: Workspace,
    event: TrainingEvent,
    kind: str,
    data: bytes,
    filename: str,
    acting_user: User | None,
) -> SurveyPreview:
    """Import the export: every response or none. A participant's earlier response to the same survey is
    replaced. Returns the preview that was applied."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    survey = _checked(workspace, event, kind)
    export = _read(data, filename)
    with transaction.atomic():
        preview, targets = _plan(event, survey, export, filename)
        now = timezone.now()
        written = []
        for row in preview.rows:
            if row.action == UNCHANGED:
                continue
            participant, earlier = targets[row.row]
            if earlier is None:
                SurveyResponse.objects.create(
                    workspace=workspace,
                    event=event,
                    participant=participant,
                    kind=survey.value,
                    answers=dict(row.answers),
                    channel="online",
                    submitted_at=row.submitted_at,
                )
            else:
                earlier.answers = dict(row.answers)
                earlier.channel = "online"
                earlier.submitted_at = row.submitted_at
                earlier.version += 1
                earlier.updated_at = now
                earlier.save(update_fields=["answers", "channel", "submitted_at", "version", "updated_at"])
            written.append(f"{row.participant}: {row.action}")
        if written:
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="trainingevent.survey_import",
                obj=event,
                after={"file": filename, "survey": survey.value, "responses": written},
            )
    if preview.has_changes:
        feeds.feeds_recompute(workspace, acting_user=acting_user)
    return preview


def survey_summaries(event: TrainingEvent) -> dict[str, dict[str, Any]]:
    """The responses received so far, summarised per survey (``reaction``, ``follow_up``)."""
    answers: dict[str, list[Mapping[str, Any]]] = {kind.value: [] for kind in SurveyKind}
    for kind, stored in SurveyResponse.objects.filter(event=event).values_list("kind", "answers"):
        if kind in answers and isinstance(stored, Mapping):
            answers[kind].append(stored)
    return {
        SurveyKind.REACTION.value: summarise_reactions(answers[SurveyKind.REACTION.value]),
        SurveyKind.FOLLOW_UP.value: summarise_follow_up(answers[SurveyKind.FOLLOW_UP.value]),
    }
