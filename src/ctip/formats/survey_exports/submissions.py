"""Flat export rows → :class:`~ctip.core.tna.model.Submission` records, with an issue for every problem."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.tna.instrument import CONSENT_QUESTION, OTHER
from ctip.core.tna.model import (
    Instrument,
    Question,
    Rating,
    RowIssue,
    Sex,
    Submission,
    competence_field,
    importance_field,
)
from ctip.formats.survey_exports.columns import (
    KIND_CONSENT,
    KIND_INSTITUTIONAL,
    KIND_KEY,
    KIND_OPEN,
    KIND_PROFILE,
    KIND_SUBMITTED_AT,
    ORGANISATION_QUESTION,
    SEX_QUESTION,
    Binding,
    bind_columns,
    fold,
)
from ctip.formats.survey_exports.model import (
    SHAPE_GENERIC,
    RowValues,
    SubmissionParse,
    SurveyExport,
)

DEFAULT_MISSING_CODES = ("", "NA", "N/A", "-99", "-999")
HASH_KEY_PREFIX = "sha256:"
ORGANISATION_OTHER_QUESTION = "organisation_other"

SEX_VALUES: Mapping[str, Sex] = {
    **dict.fromkeys(("female", "f", "femme", "féminin", "feminin", "woman", "girl", "fille"), Sex.FEMALE),
    **dict.fromkeys(("male", "m", "homme", "masculin", "man", "boy", "garçon"), Sex.MALE),
    **dict.fromkeys(("other", "autre", "non-binary", "non binary", "non_binary"), Sex.OTHER),
    **dict.fromkeys(
        (
            "prefer_not_to_say",
            "prefer not to say",
            "prefer not to answer",
            "not_stated",
            "not stated",
            "préfère ne pas répondre",
            "je préfère ne pas répondre",
            "ne souhaite pas répondre",
            "préfère ne pas le dire",
        ),
        Sex.NOT_STATED,
    ),
}
"""Answers to the sex question (folded: lower-case, spaces collapsed) and what they mean."""

_INTEGER = re.compile(r"\+?(\d{1,6})(?:\.0+)?")
_LABELLED_INTEGER = re.compile(r"(\d{1,6})\s*[-–—:=)]\s*\D.*", re.DOTALL)
_TRUE_CHOICE = frozenset({"1", "true", "yes", "oui", "x", "selected"})
_NOT_A_RATING = -1


@dataclass
class _Context:
    export: SurveyExport
    binding: Binding
    missing: frozenset[str]
    headers: list[str]
    issues: list[RowIssue]

    def issue(
        self, row: int, position: int, template: str, params: Mapping[str, object], rejects: bool
    ) -> None:
        column = self.headers[position] if position >= 0 else ""
        self.issues.append(RowIssue(row, column, template, dict(params), rejects))

    def is_missing(self, text: str) -> bool:
        return text.casefold() in self.missing


def submissions_from_export(
    export: SurveyExport,
    *,
    instrument: Instrument,
    mapping: Mapping[str, str] | None = None,
    missing_codes: Collection[str] = DEFAULT_MISSING_CODES,
) -> SubmissionParse:
    """Turn an export's rows into submissions of ``instrument``.

    **Columns.** Fields (``imp_<code>``, ``comp_<code>``, profile, institutional and open questions, and the
    extra targets ``key`` and ``submitted_at``) are found by the explicit ``mapping`` first (source column,
    as written or normalised → field name; ``""`` ignores a column), then by XML name (``profile/sex``,
    ``profile-sex``, ``sex``; ratings also as ``<code>_importance``/``<code>_competence``), then by the
    English or French label of the question (case- and space-insensitive, after any group labels); a rating
    column's label names the competency (code or title) and says "importance" or "competence". A file in
    which no column matches is refused with a :class:`~ctip.core.errors.DomainError`.

    **Values.** Cells equal to one of ``missing_codes`` (case-insensitive) are missing. Ratings must be whole
    numbers from 1 to ``instrument.scale_max`` (``4``, ``4.0`` and a labelled ``4 - Important`` are read
    as 4): anything else rejects the row, with an issue naming the row and column; a missing rating is
    ``None``. Sex answers (``female``/``male``/``other``/``prefer_not_to_say``, ``F``/``M``, ``femme``/
    ``homme``, the choice labels, …) become :class:`~ctip.core.tna.model.Sex`; a missing or unknown answer
    becomes ``NOT_STATED`` with an issue that does not reject the row. select_one answers given as a label
    become the choice name; select_multiple answers become the space-separated choice names in the
    instrument's order, from the 0/1 choice columns when the file has them, else from the summary column
    (names or labels). Other answers stay text as written. The organisation is kept as written (matching
    it to the registry is the web layer's job).

    **Keys.** Kobo and ODK rows keep the key read from the export (or the mapped ``key`` column). A generic
    file without a ``key`` column gets ``sha256:`` + the SHA-256 of the row's mapped values, so importing
    the same file again finds the same keys (two respondents who gave exactly the same answers then share
    a key: the second is reported as a duplicate). A row whose key was already seen in the file is
    rejected, naming the first row.

    **Times.** ``submitted_at`` is read as ISO 8601 (``2026-03-02T05:32:11``, ``…Z``, ``2026/03/02
    10:15:00``); a time without a zone is taken as UTC, as KoboToolbox and ODK Central write it.
    """
    binding = bind_columns(export, instrument=instrument, mapping=mapping)
    answers = [
        name
        for name in binding.columns
        if binding.fields[name].kind not in (KIND_KEY, KIND_SUBMITTED_AT, KIND_CONSENT)
    ]
    if not answers and not binding.choices:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "No column of this file matches the questions of “%(instrument)s”. Map the columns to the "
                "instrument's fields, or export the data with “XML values and headers”."
            ),
            {"instrument": instrument.title.en},
        )
    context = _Context(
        export=export,
        binding=binding,
        missing=frozenset(code.strip().casefold() for code in missing_codes),
        headers=[export.original_columns[column] for column in export.columns],
        issues=[],
    )
    _report_unmatched(context, instrument)
    reader = _RowReader(context, instrument)
    submissions: list[Submission] = []
    first_row: dict[str, int] = {}
    key_position = binding.columns.get("key", _position(export, export.key_column))
    shared_index = _shared_index(export)
    for row in export.rows:
        values = row.values
        if isinstance(values, RowValues) and values.index is shared_index:
            cells = values.cells
        else:
            cells = tuple(values.get(column, "") for column in export.columns)
        key = reader.key(row.key, cells)
        if not key:
            context.issue(
                row.number,
                key_position,
                _("This row has no submission key (%(column)s is empty); it is skipped."),
                {"column": context.headers[key_position] if key_position >= 0 else "key"},
                True,
            )
            continue
        if key in first_row:
            context.issue(
                row.number,
                key_position,
                _("Submission key “%(key)s” was already used in row %(first)s; this row is skipped."),
                {"key": key, "first": first_row[key]},
                True,
            )
            continue
        first_row[key] = row.number
        submission = reader.submission(row.number, key, row.submitted_at, cells)
        if submission is not None:
            submissions.append(submission)
    return SubmissionParse(submissions=tuple(submissions), issues=tuple(context.issues))


def _position(export: SurveyExport, column: str) -> int:
    return export.columns.index(column) if column in export.columns else -1


def _shared_index(export: SurveyExport) -> Mapping[str, int] | None:
    """The column index shared by the export's rows, when they are :class:`RowValues` in column order."""
    first = export.rows[0].values if export.rows else None
    if isinstance(first, RowValues) and tuple(first.index) == export.columns:
        return first.index
    return None


def _report_unmatched(context: _Context, instrument: Instrument) -> None:
    binding = context.binding
    unmatched = [
        name
        for name, field_ in binding.fields.items()
        if field_.kind not in (KIND_KEY, KIND_SUBMITTED_AT, KIND_CONSENT)
        and name not in binding.columns
        and name not in binding.choices
    ]
    if unmatched:
        context.issue(
            0,
            -1,
            _("No column of the file holds these fields of the instrument (left empty): %(fields)s."),
            {"fields": ", ".join(unmatched)},
            False,
        )


class _RowReader:
    """Reads one row's cells; caches the parsing of repeated values (ratings, choices)."""

    def __init__(self, context: _Context, instrument: Instrument) -> None:
        self.context = context
        self.scale_max = instrument.scale_max
        columns = context.binding.columns
        fields = context.binding.fields
        self.ratings = [
            (
                competency.code,
                columns.get(importance_field(competency.code), -1),
                columns.get(competence_field(competency.code), -1),
            )
            for competency in instrument.competencies
        ]
        values = range(instrument.scale_max + 1)
        self.rating_objects = [
            [Rating(importance or None, competence or None) for competence in values] for importance in values
        ]
        self.rating_cache: dict[str, int] = {}
        self.answers = [  # in instrument order
            (name, field_.kind, field_.question, columns[name])
            for name, field_ in fields.items()
            if name in columns and field_.kind in (KIND_PROFILE, KIND_INSTITUTIONAL, KIND_OPEN)
        ]
        self.choice_columns = context.binding.choices
        self.questions = {
            question.name: question
            for question in (
                *instrument.profile_questions,
                *instrument.institutional_questions,
                *instrument.open_questions,
            )
        }
        self.multi_only = [name for name in self.choice_columns if name not in columns]
        self.key_position = columns.get("key", -1)
        self.consent_position = columns.get(CONSENT_QUESTION.name, -1)
        self.time_position = columns.get("submitted_at", -1)
        self.hash_positions = sorted(
            (name, position) for name, position in columns.items() if fields[name].kind != KIND_KEY
        ) + sorted(
            (f"{question}/{choice}", position)
            for question, pairs in self.choice_columns.items()
            for choice, position in pairs
        )
        self.generic = context.export.shape == SHAPE_GENERIC
        self.time_issue_position = self.time_position
        for column in ("_submission_time", "submissiondate"):
            if self.time_issue_position < 0:
                self.time_issue_position = _position(context.export, column)
        self.select_cache: dict[str, dict[str, str]] = {}
        self.sex_question = self.questions.get(SEX_QUESTION)

    # --- keys and times ---

    def key(self, row_key: str, cells: tuple[str, ...]) -> str:
        # Kobo and ODK exports: the reader's key is the stable root (``meta/rootUuid`` or ``_id``; ODK
        # ``KEY`` without its "uuid:" prefix), so an edited submission keeps its key across exports.
        if row_key and not self.generic:
            return row_key
        if self.key_position >= 0:
            text = cells[self.key_position].strip()
            return "" if self.context.is_missing(text) else text
        if row_key or not self.generic:
            return row_key
        payload = json.dumps(
            [[name, cells[position]] for name, position in self.hash_positions], ensure_ascii=False
        )
        return HASH_KEY_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def submitted_at(self, number: int, text: str) -> dt.datetime | None:
        if not text or self.context.is_missing(text):
            return None
        candidate = text.strip()
        if re.match(r"\d{4}/\d{2}/\d{2}", candidate):
            candidate = candidate.replace("/", "-", 2)
        try:
            moment = dt.datetime.fromisoformat(candidate)
        except ValueError:
            self.context.issue(
                number,
                self.time_issue_position,
                _(
                    "“%(value)s” is not a date and time (such as 2026-03-02T05:32:11); the time is left empty."
                ),
                {"value": text},
                False,
            )
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    # --- the row ---

    def submission(self, number: int, key: str, row_time: str, cells: tuple[str, ...]) -> Submission | None:
        context = self.context
        if (
            self.consent_position >= 0
            and self._select_one(CONSENT_QUESTION, cells[self.consent_position]) == "no"
        ):
            context.issue(
                number,
                self.consent_position,
                _("The respondent did not agree to take part; the row is not imported."),
                {},
                True,
            )
            return None
        rejected = False
        ratings: dict[str, Rating] = {}
        objects = self.rating_objects
        for code, importance_position, competence_position in self.ratings:
            importance = self._rating(number, cells, importance_position) if importance_position >= 0 else 0
            competence = self._rating(number, cells, competence_position) if competence_position >= 0 else 0
            if importance < 0 or competence < 0:
                rejected = True
                continue
            ratings[code] = objects[importance][competence]
        answers: dict[str, dict[str, str]] = {KIND_PROFILE: {}, KIND_INSTITUTIONAL: {}, KIND_OPEN: {}}
        sex = Sex.NOT_STATED
        organisation = ""
        for name, kind, question, position in self.answers:
            text = cells[position]
            if name == SEX_QUESTION:
                sex = self._sex(number, position, text)
                continue
            if name in self.choice_columns:
                value = self._choices_from_columns(name, cells)
                if value:
                    answers[kind][name] = value
                    continue
            if context.is_missing(text):
                continue
            if name == ORGANISATION_QUESTION:
                organisation = self._select_one(question, text) if question is not None else text
                continue
            value = self._answer(number, position, name, question, text, cells)
            if value:
                answers[kind][name] = value
        for name in self.multi_only:
            value = self._choices_from_columns(name, cells)
            if value:
                answers[self._kind_of(name)][name] = value
        if rejected:
            return None
        if organisation == OTHER and answers[KIND_PROFILE].get(ORGANISATION_OTHER_QUESTION):
            organisation = answers[KIND_PROFILE][ORGANISATION_OTHER_QUESTION]
        time_text = cells[self.time_position] if self.time_position >= 0 else row_time
        return Submission(
            key=key,
            source=context.export.source,
            submitted_at=self.submitted_at(number, time_text),
            sex=sex,
            organisation=organisation,
            profile=answers[KIND_PROFILE],
            ratings=ratings,
            institutional=answers[KIND_INSTITUTIONAL],
            open_answers=answers[KIND_OPEN],
            row=number,
        )

    def _kind_of(self, name: str) -> str:
        return self.context.binding.fields[name].kind

    def _rating(self, number: int, cells: tuple[str, ...], position: int) -> int:
        """The rating in a cell: 1..scale_max, 0 when missing, -1 (with a rejecting issue) otherwise."""
        text = cells[position]
        try:
            value = self.rating_cache[text]
        except KeyError:
            value = self.rating_cache[text] = self._rating_value(text)
        if value < 0:
            self.context.issue(
                number,
                position,
                _("“%(value)s” is not a rating: use a whole number from 1 to %(max)s, or leave it empty."),
                {"value": text, "max": self.scale_max},
                True,
            )
        return value

    def _rating_value(self, text: str) -> int:
        stripped = text.strip()
        if stripped.casefold() in self.context.missing:
            return 0
        match = _INTEGER.fullmatch(stripped) or _LABELLED_INTEGER.fullmatch(stripped)
        value = int(match.group(1)) if match else _NOT_A_RATING
        return value if 1 <= value <= self.scale_max else _NOT_A_RATING

    def _sex(self, number: int, position: int, text: str) -> Sex:
        if self.context.is_missing(text):
            self.context.issue(
                number, position, _("The sex is missing; it is recorded as not stated."), {}, False
            )
            return Sex.NOT_STATED
        folded = fold(text)
        sex = SEX_VALUES.get(folded)
        if sex is None and self.sex_question is not None:
            sex = SEX_VALUES.get(fold(self._select_one(self.sex_question, text)))
        if sex is None:
            self.context.issue(
                number,
                position,
                _(
                    "“%(value)s” is not a known answer for sex (female, male, other, prefer not to say); it is recorded as not stated."
                ),
                {"value": text},
                False,
            )
            return Sex.NOT_STATED
        return sex

    def _choice_lookup(self, question: Question) -> dict[str, str]:
        lookup = self.select_cache.get(question.name)
        if lookup is None:
            lookup = {}
            for choice in question.choices:
                for text in (choice.label.en, choice.label.fr):
                    if text.strip():
                        lookup.setdefault(fold(text), choice.name)
            for choice in question.choices:
                lookup[fold(choice.name)] = choice.name
            self.select_cache[question.name] = lookup
        return lookup

    def _select_one(self, question: Question, text: str) -> str:
        return self._choice_lookup(question).get(fold(text), text)

    def _answer(
        self,
        number: int,
        position: int,
        name: str,
        question: Question | None,
        text: str,
        cells: tuple[str, ...],
    ) -> str:
        if question is None or not question.choices:
            return text
        if question.kind == "select_one":
            value = self._select_one(question, text)
            if value == text and fold(text) not in self._choice_lookup(question):
                self.context.issue(
                    number,
                    position,
                    _("“%(value)s” is not one of the choices of “%(question)s”; it is kept as written."),
                    {"value": text, "question": name},
                    False,
                )
            return value
        if question.kind == "select_multiple":
            return self._choices_from_text(number, position, question, text)
        return text

    def _choices_from_columns(self, name: str, cells: tuple[str, ...]) -> str:
        pairs = self.choice_columns.get(name, ())
        return " ".join(choice for choice, position in pairs if cells[position].casefold() in _TRUE_CHOICE)

    def _choices_from_text(self, number: int, position: int, question: Question, text: str) -> str:
        lookup = self._choice_lookup(question)
        remaining = fold(text)
        chosen: set[str] = set()
        unknown: list[str] = []
        labels = sorted(lookup, key=len, reverse=True)
        while remaining:
            for label in labels:
                if remaining == label or remaining.startswith(label + " "):
                    chosen.add(lookup[label])
                    remaining = remaining[len(label) :].lstrip()
                    break
            else:
                token, _space, remaining = remaining.partition(" ")
                unknown.append(token)
        if unknown:
            self.context.issue(
                number,
                position,
                _("“%(value)s” is not among the choices of “%(question)s”; it is left out."),
                {"value": " ".join(unknown), "question": question.name},
                False,
            )
        return " ".join(choice.name for choice in question.choices if choice.name in chosen)
