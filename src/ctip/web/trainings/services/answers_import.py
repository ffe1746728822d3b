"""Paper answer sheets of an event's pre- and post-test: a CSV or XLSX file with one row per participant and
phase, checked row by row (preview), then written all together or not at all (apply).

Columns: ``participant`` (the participant's code), ``phase`` (``pre`` or ``post``; optional when a phase is
chosen for the whole file), then one column per item code of that phase's form, holding the key(s) of the
option(s) ticked on paper — several keys separated by spaces, commas or semicolons; an empty cell is an
unanswered item; true/false items also take T/F, V/F, true/false, vrai/faux. A row whose item cells are all
empty (a participant who did not sit the test) is left out.

Each row becomes an attempt with channel ``paper``, submitted when imported. A paper attempt imported
before is replaced (or left as it is when the answers are the same); an attempt a participant started
online but never submitted is replaced by the paper sheet; an attempt submitted online is never
overwritten: the row is refused. After the import, the indicators fed by the trainings are recomputed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import Channel, ItemKind, Phase
from ctip.core.training.scoring import Score, score
from ctip.formats.tabular import MAX_PROBLEMS, Sheet, Table, normalise_header, read_table, write_xlsx
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.trainings.models import Answer, AssessmentForm, Attempt, Participant, TrainingEvent
from ctip.web.trainings.services import feeds

CREATE = "create"
REPLACE = "replace"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
"""Row actions of the preview: a new attempt, an attempt replaced, the same answers, no answers at all."""

PARTICIPANT_COLUMNS = ("participant", "participant_code", "code")
PHASE_COLUMN = "phase"
PHASE_WORDS: dict[str, Phase] = {
    "pre": Phase.PRE,
    "pretest": Phase.PRE,
    "pre_test": Phase.PRE,
    "avant": Phase.PRE,
    "post": Phase.POST,
    "posttest": Phase.POST,
    "post_test": Phase.POST,
    "apres": Phase.POST,
}
TRUE_WORDS = frozenset({"true", "t", "v", "vrai", "yes", "oui"})
FALSE_WORDS = frozenset({"false", "f", "faux", "no", "non"})
KEY_SEPARATORS = re.compile(r"[\s,;]+")
LEGEND_SHEET = "options"

_MEGABYTE = 1024 * 1024
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class SheetRow:
    """One row of the file as the import will treat it."""

    row: int
    participant: str
    phase: str
    responses: Mapping[str, tuple[str, ...]]
    action: str
    replaces: str = ""
    """The channel of the attempt replaced (``paper`` or ``online`` for an unsubmitted online attempt)."""
    result: Score | None = None

    @property
    def answered(self) -> int:
        return len(self.responses)


@dataclass(frozen=True)
class AnswersPreview:
    filename: str
    rows: tuple[SheetRow, ...]

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
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def has_changes(self) -> bool:
        return any(row.action in (CREATE, REPLACE) for row in self.rows)


# --- Participant codes (shared with the survey import) -------------------------------------------------


def _folded(code: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", code.casefold())


class ParticipantCodes:
    """The event's participants by code: exact match first, then ignoring case, then ignoring case,
    spaces, hyphens and other punctuation (``p 07`` finds ``P-07``) when that is unambiguous."""

    def __init__(self, participants: Sequence[Participant]) -> None:
        self.by_code = {p.code: p for p in participants}
        self._by_case: dict[str, list[Participant]] = {}
        self._by_fold: dict[str, list[Participant]] = {}
        for participant in participants:
            self._by_case.setdefault(participant.code.strip().casefold(), []).append(participant)
            self._by_fold.setdefault(_folded(participant.code), []).append(participant)

    def find(self, code: str) -> Participant | None:
        text = code.strip()
        if text in self.by_code:
            return self.by_code[text]
        for found in (self._by_case.get(text.casefold(), []), self._by_fold.get(_folded(text), [])):
            if len(found) == 1:
                return found[0]
        return None


def unknown_participant(location: str, code: str, event: TrainingEvent) -> FieldProblem:
    return FieldProblem(
        location,
        _(
            "No participant with the code “%(code)s” is registered for %(event)s. Correct the code, or register "
            "the participant on the event's participants page first."
        ),
        {"code": code, "event": event.code},
    )


# --- Reading -------------------------------------------------------------------------------------------


def normalise_phase(text: str) -> Phase | None:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return PHASE_WORDS.get(re.sub(r"[\s\-]+", "_", plain).strip("_"))


def parse_cell(item: Mapping[str, Any], text: str) -> tuple[tuple[str, ...], str | None]:
    """The option keys in a cell, in the item's option order, or an error template (params: value,
    item, keys)."""
    tokens = [token for token in KEY_SEPARATORS.split(text.strip()) if token]
    if not tokens:
        return (), None
    keys = [str(option["key"]) for option in item.get("options", [])]
    by_lower = {key.lower(): key for key in keys}
    chosen: set[str] = set()
    for token in tokens:
        lower = token.lower()
        if lower in by_lower:
            chosen.add(by_lower[lower])
        elif item.get("kind") == ItemKind.TRUE_FALSE and lower in TRUE_WORDS and "true" in keys:
            chosen.add("true")
        elif item.get("kind") == ItemKind.TRUE_FALSE and lower in FALSE_WORDS and "false" in keys:
            chosen.add("false")
        else:
            return (), _(
                "“%(value)s” is not an option of item %(item)s: its options are %(keys)s. Write the letter(s) "
                "of the option(s) ticked on the sheet."
            )
    if item.get("kind") != ItemKind.MULTIPLE and len(chosen) > 1:
        return (), _(
            "Item %(item)s takes one answer, but the cell holds “%(value)s”. Keep the option ticked, or leave "
            "the cell empty when the sheet shows several ticks."
        )
    return tuple(key for key in keys if key in chosen), None


def _read(data: bytes, filename: str) -> Table:
    return read_table(data, filename=filename, max_bytes=int(settings.CTIP_MAX_UPLOAD_MB) * _MEGABYTE)


def _forms(event: TrainingEvent) -> dict[str, AssessmentForm]:
    return {form.phase: form for form in AssessmentForm.objects.filter(event=event)}


def _stored_answers(attempt: Attempt) -> dict[str, tuple[str, ...]]:
    return {
        answer.item_code: tuple(answer.response)
        for answer in attempt.answers.all()
        if answer.response  # an empty list is an unanswered item
    }


Target = tuple[Participant, AssessmentForm, Attempt | None]


class _Planner:
    """Reads the table of one upload against the event's forms, participants and attempts: every problem
    found goes to ``problems``; good rows to ``rows`` and ``targets`` (row number → what to write)."""

    def __init__(self, event: TrainingEvent, table: Table, chosen_phase: str) -> None:
        self.event, self.table, self.chosen = event, table, chosen_phase
        self.problems: list[FieldProblem] = []
        self.rows: list[SheetRow] = []
        self.targets: dict[int, Target] = {}
        self.forms = _forms(event)
        self.participant_column = next((name for name in PARTICIPANT_COLUMNS if name in table.columns), "")
        self.has_phase = PHASE_COLUMN in table.columns
        self.items: dict[str, dict[str, Mapping[str, Any]]] = {}  # column → phase → item
        for phase, built in self.forms.items():
            for item in built.items or []:
                self.items.setdefault(normalise_header(str(item["code"])), {})[phase] = item
        self.item_columns: list[str] = []
        self._missing_forms: set[str] = set()
        self._seen: dict[tuple[int, str], int] = {}

    def where(self, row: int, column: str) -> str:
        label = self.table.labels.get(column, column)
        return f"row {row}, column “{label}” ({self.table.letters.get(column, '?')})"

    def problem(self, location: str, template: str, params: Mapping[str, object] | None = None) -> None:
        self.problems.append(FieldProblem(location, template, params or {}))

    def check_columns(self) -> None:
        if not self.participant_column:
            self.problem(
                "header row",
                _(
                    "The file has no “participant” column. Put the participants' codes in a column named "
                    "“participant” (download the answer-sheet template to start from)."
                ),
            )
        if not self.has_phase and not self.chosen:
            self.problem(
                "header row",
                _(
                    "The file has no “phase” column and no test was chosen for the whole file. Add a column "
                    "“phase” (pre or post) or choose the test in the form."
                ),
            )
        for column in self.table.columns:
            if column in (self.participant_column, PHASE_COLUMN):
                continue
            if column in self.items:
                self.item_columns.append(column)
                continue
            label = self.table.labels.get(column, column)
            self.problem(
                f"header row, column “{label}” ({self.table.letters.get(column, '?')})",
                _(
                    "“%(column)s” is not the code of an item of %(event)s's tests. Use the item codes of the "
                    "answer-sheet template, or delete the column."
                ),
                {"column": label, "event": self.event.code},
            )

    def phase_of(self, number: int, values: Mapping[str, str]) -> Phase | None:
        text = values.get(PHASE_COLUMN, "").strip() if self.has_phase else ""
        if not text:
            if self.chosen:
                return Phase(self.chosen)
            self.problem(self.where(number, PHASE_COLUMN), _("The phase is missing: write “pre” or “post”."))
            return None
        phase = normalise_phase(text)
        if phase is None:
            self.problem(
                self.where(number, PHASE_COLUMN),
                _("“%(value)s” is not a phase: write “pre” for the pre-test or “post” for the post-test."),
                {"value": text},
            )
        elif self.chosen and phase != self.chosen:
            self.problem(
                self.where(number, PHASE_COLUMN),
                _(
                    "This row says “%(value)s” but “%(chosen)s” was chosen for the whole file. Correct the "
                    "cell, empty it, or import the file with the phase column."
                ),
                {"value": text, "chosen": self.chosen},
            )
            return None
        return phase

    def form_of(self, number: int, phase: Phase) -> AssessmentForm | None:
        form = self.forms.get(phase.value)
        if form is not None and form.items:
            return form
        if phase.value not in self._missing_forms:  # said once, at the first row that needs it
            self._missing_forms.add(phase.value)
            self.problem(
                self.where(number, PHASE_COLUMN) if self.has_phase else f"row {number}",
                _(
                    "The %(phase)s test of %(event)s has not been built yet, so its answers cannot be "
                    "imported. Build it on the event's tests page, then upload the file again."
                ),
                {"phase": phase.value, "event": self.event.code},
            )
        return None

    def participant_of(self, number: int, code: str, participants: ParticipantCodes) -> Participant | None:
        location = self.where(number, self.participant_column)
        if not code:
            self.problem(
                location, _("The participant code is missing. Write the code shown on the answer sheet.")
            )
            return None
        participant = participants.find(code)
        if participant is None:
            self.problems.append(unknown_participant(location, code, self.event))
        return participant

    def responses_of(
        self, number: int, values: Mapping[str, str], phase: Phase
    ) -> dict[str, tuple[str, ...]]:
        responses: dict[str, tuple[str, ...]] = {}
        for column in self.item_columns:
            text = values.get(column, "").strip()
            if not text:
                continue
            item = self.items[column].get(phase.value)
            if item is None:
                self.problem(
                    self.where(number, column),
                    _(
                        "Item %(item)s is not in the %(phase)s test of this event: leave this cell empty on %(phase)s rows."
                    ),
                    {"item": self.table.labels.get(column, column), "phase": phase.value},
                )
                continue
            keys, error = parse_cell(item, text)
            if error is not None:
                options = ", ".join(str(option["key"]) for option in item.get("options", []))
                self.problem(
                    self.where(number, column), error, {"value": text, "item": item["code"], "keys": options}
                )
            elif keys:
                responses[str(item["code"])] = keys
        return responses

    def first_row(self, number: int, participant: Participant, form: AssessmentForm) -> bool:
        first = self._seen.setdefault((participant.pk, form.phase), number)
        if first != number:
            self.problem(
                self.where(number, self.participant_column),
                _(
                    "%(code)s's %(phase)s test is already on row %(first)s. Keep one row per participant and test."
                ),
                {"code": participant.code, "phase": form.phase, "first": first},
            )
        return first == number

    def run(self) -> None:
        participants = ParticipantCodes(list(Participant.objects.filter(event=self.event)))
        attempts = {
            (attempt.participant_id, attempt.form_id): attempt
            for attempt in Attempt.objects.filter(form__event=self.event).prefetch_related("answers")
        }
        for table_row in self.table.rows:
            number, values = table_row.number, table_row.values
            before = len(self.problems)
            code = values.get(self.participant_column, "").strip()
            phase = self.phase_of(number, values)
            if len(self.problems) == before and not any(values.get(c, "").strip() for c in self.item_columns):
                self.rows.append(SheetRow(number, code, phase.value if phase else "", {}, SKIPPED))
                continue
            participant = self.participant_of(number, code, participants)
            form = self.form_of(number, phase) if phase is not None else None
            if phase is None or form is None:
                continue
            responses = self.responses_of(number, values, phase)
            if (
                participant is None
                or not self.first_row(number, participant, form)
                or len(self.problems) > before
            ):
                continue
            self.add(number, participant, form, attempts.get((participant.pk, form.pk)), responses)

    def add(
        self,
        number: int,
        participant: Participant,
        form: AssessmentForm,
        attempt: Attempt | None,
        responses: dict[str, tuple[str, ...]],
    ) -> None:
        action, replaces = CREATE, ""
        if attempt is not None:
            if attempt.channel != Channel.PAPER and attempt.submitted_at is not None:
                self.problem(
                    self.where(number, self.participant_column),
                    _(
                        "%(code)s already submitted the %(phase)s test online on %(date)s; online answers are "
                        "never overwritten. Delete this row from the file."
                    ),
                    {
                        "code": participant.code,
                        "phase": form.phase,
                        "date": timezone.localtime(attempt.submitted_at).strftime("%Y-%m-%d"),
                    },
                )
                return
            same = attempt.channel == Channel.PAPER and _stored_answers(attempt) == responses
            action, replaces = (UNCHANGED, "") if same else (REPLACE, attempt.channel)
        key = {str(item["code"]): list(item.get("correct", [])) for item in form.items}
        result = score(key, {code: list(keys) for code, keys in responses.items()})
        self.rows.append(SheetRow(number, participant.code, form.phase, responses, action, replaces, result))
        self.targets[number] = (participant, form, attempt)


def _plan(
    event: TrainingEvent, table: Table, chosen_phase: str, filename: str
) -> tuple[AnswersPreview, dict[int, Target]]:
    planner = _Planner(event, table, chosen_phase)
    planner.check_columns()
    if planner.problems:
        _raise(planner.problems, filename)
    planner.run()
    if planner.problems:
        _raise(planner.problems, filename)
    return AnswersPreview(filename, tuple(planner.rows)), planner.targets


def _raise(problems: list[FieldProblem], filename: str) -> None:
    shown = problems[:MAX_PROBLEMS]
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” cannot be imported: %(count)s problem(s) found, listed below with their row and column. "
            "Nothing was saved. Correct the file and upload it again."
        ),
        {"file": filename, "count": len(problems)},
        problems=shown,
    )


def _check_phase(phase: str) -> str:
    if phase and phase not in (Phase.PRE, Phase.POST):
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("“%(value)s” is not a phase: choose pre or post."), {"value": phase}
        )
    return phase


# --- Services ------------------------------------------------------------------------------------------


def answers_import_preview(
    *,
    workspace: Workspace,
    event: TrainingEvent,
    data: bytes,
    filename: str,
    acting_user: User | None,
    phase: str = "",
) -> AnswersPreview:
    """What importing the file would do, row by row; raises :class:`DomainError` listing every problem
    (row and column) — nothing is stored either way."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    _same_workspace(workspace, event)
    preview, _targets = _plan(event, _read(data, filename), _check_phase(phase), filename)
    return preview


def answers_import_apply(
    *,
    workspace: Workspace,
    event: TrainingEvent,
    data: bytes,
    filename: str,
    acting_user: User | None,
    phase: str = "",
) -> AnswersPreview:
    """Import the file: every row or none (one transaction). Returns the preview that was applied."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    _same_workspace(workspace, event)
    table = _read(data, filename)
    chosen = _check_phase(phase)
    with transaction.atomic():
        preview, targets = _plan(event, table, chosen, filename)
        now = timezone.now()
        written = []
        for row in preview.rows:
            if row.action not in (CREATE, REPLACE):
                continue
            participant, form, attempt = targets[row.row]
            if attempt is None:
                attempt = Attempt.objects.create(
                    workspace=workspace,
                    form=form,
                    participant=participant,
                    channel=Channel.PAPER.value,
                    started_at=now,
                    submitted_at=now,
                )
            else:
                attempt.answers.all().delete()
                attempt.channel = Channel.PAPER.value
                attempt.submitted_at = now
                attempt.version += 1
                attempt.updated_at = now
                attempt.save(update_fields=["channel", "submitted_at", "version", "updated_at"])
            Answer.objects.bulk_create(
                Answer(attempt=attempt, item_code=code, response=list(keys), answered_at=now)
                for code, keys in row.responses.items()
            )
            written.append(f"{row.participant} ({row.phase}): {row.action}")
        if written:
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="trainingevent.answers_import",
                obj=event,
                after={"file": filename, "channel": "paper", "attempts": written},
            )
    if preview.has_changes:
        feeds.feeds_recompute(workspace, acting_user=acting_user)
    return preview


def _same_workspace(workspace: Workspace, event: TrainingEvent) -> None:
    if event.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such training event in this workspace."))


# --- Template ------------------------------------------------------------------------------------------


def answer_sheet_template(*, event: TrainingEvent, phase: str, language: str = "en") -> bytes:
    """An XLSX to type the paper answer sheets into: one row per participant (codes filled in, phase set),
    one column per item code of the ``phase`` form; the options of every item on a second sheet."""
    chosen = _check_phase(phase) or Phase.PRE
    form = AssessmentForm.objects.filter(event=event, phase=chosen).first()
    if form is None or not form.items:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _(
                "The %(phase)s test of %(event)s has not been built yet: build it on the event's tests page first."
            ),
            {"phase": chosen, "event": event.code},
        )
    french = language.startswith("fr")
    codes = [str(item["code"]) for item in form.items]
    header = ("participant", "phase", *codes)
    rows = [[p.code, chosen, *([""] * len(codes))] for p in Participant.objects.filter(event=event)]
    legend_rows: list[list[object]] = []
    with translation.override("fr" if french else "en"):
        notes = {
            "participant": gettext("The participant's code, as on the answer sheet (do not change it)."),
            "phase": gettext("pre or post."),
        }
        for item in form.items:
            keys = " ".join(str(option["key"]) for option in item.get("options", []))
            if item.get("kind") == ItemKind.MULTIPLE:
                note = gettext("The letters ticked (%(keys)s), separated by spaces; empty when not answered.")
            else:
                note = gettext("The one option ticked (%(keys)s); empty when not answered.")
            notes[str(item["code"])] = note % {"keys": keys}
        legend_header = (gettext("item"), gettext("question"), gettext("option"), gettext("option text"))
    for item in form.items:
        stem = (item.get("stem_fr") or item.get("stem_en")) if french else item.get("stem_en")
        for option in item.get("options", []):
            label = (option.get("fr") or option.get("en")) if french else option.get("en")
            legend_rows.append([item["code"], stem, option["key"], label])
            stem = ""
    return write_xlsx(
        [
            Sheet(
                name=f"{event.code} {chosen}"[:31],
                header=header,
                rows=rows,
                column_notes=notes,
                choices={"phase": ("pre", "post")},
            ),
            Sheet(name=LEGEND_SHEET, header=legend_header, rows=legend_rows),
        ]
    )
