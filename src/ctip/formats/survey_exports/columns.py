"""Which column of an export holds which field of the instrument: by XML name, by label, or by a mapping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.instrument import CONSENT_QUESTION, competence_label, importance_label
from ctip.core.tna.model import Instrument, Question, competence_field, importance_field
from ctip.formats.survey_exports.model import SurveyExport

KEY_FIELD = "key"
"""Mapping target for a column that identifies the respondent (a generic file's own id)."""
SUBMITTED_AT_FIELD = "submitted_at"
"""Mapping target for the time of the answer (a Google Forms "Timestamp", for example)."""
SEX_QUESTION = "sex"
"""The profile question whose answer becomes :attr:`Submission.sex`."""
ORGANISATION_QUESTION = "organisation"
"""The profile question whose answer becomes :attr:`Submission.organisation`."""

KIND_IMPORTANCE = "importance"
KIND_COMPETENCE = "competence"
KIND_PROFILE = "profile"
KIND_INSTITUTIONAL = "institutional"
KIND_OPEN = "open"
KIND_KEY = "key"
KIND_SUBMITTED_AT = "submitted_at"
KIND_CONSENT = "consent"

_SEPARATORS = "/-.:|"
_IMPORTANCE_WORDS = ("importance", "important")
_COMPETENCE_WORDS = ("competence", "compétence", "competency", "current", "actuel", "how well", "maîtrise")


@dataclass(frozen=True)
class InstrumentField:
    """A field a column can hold: a rating (``imp_<code>``/``comp_<code>``), a question, or a key/time."""

    name: str
    kind: str
    code: str = ""
    question: Question | None = None


@dataclass(frozen=True)
class Binding:
    """Field name → column position in :attr:`SurveyExport.columns`; select_multiple question name →
    (choice name, column position) of its 0/1 choice columns."""

    fields: Mapping[str, InstrumentField]
    columns: Mapping[str, int]
    choices: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)


def fold(text: str) -> str:
    """Case- and space-insensitive form of a header or label (Unicode NFC, spaces collapsed)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def instrument_fields(instrument: Instrument) -> dict[str, InstrumentField]:
    """Every field a column can be mapped to, by name, in instrument order."""
    fields: dict[str, InstrumentField] = {}
    for competency in instrument.competencies:
        for name, kind in (
            (importance_field(competency.code), KIND_IMPORTANCE),
            (competence_field(competency.code), KIND_COMPETENCE),
        ):
            fields[name] = InstrumentField(name, kind, competency.code)
    for questions, kind in (
        (instrument.profile_questions, KIND_PROFILE),
        (instrument.institutional_questions, KIND_INSTITUTIONAL),
        (instrument.open_questions, KIND_OPEN),
    ):
        for question in questions:
            fields.setdefault(question.name, InstrumentField(question.name, kind, question=question))
    fields.setdefault(
        CONSENT_QUESTION.name, InstrumentField(CONSENT_QUESTION.name, KIND_CONSENT, question=CONSENT_QUESTION)
    )
    fields.setdefault(KEY_FIELD, InstrumentField(KEY_FIELD, KIND_KEY))
    fields.setdefault(SUBMITTED_AT_FIELD, InstrumentField(SUBMITTED_AT_FIELD, KIND_SUBMITTED_AT))
    return fields


def match_columns(
    export: SurveyExport, *, instrument: Instrument, mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The column mapping that :func:`submissions_from_export` would use: header as written → field name
    (select_multiple choice columns → ``question/choice``). The web layer shows it as the proposed
    mapping of a file."""
    binding = bind_columns(export, instrument=instrument, mapping=mapping)
    headers = [export.original_columns[column] for column in export.columns]
    found = {headers[position]: name for name, position in binding.columns.items()}
    for question, choices in binding.choices.items():
        for choice, position in choices:
            found[headers[position]] = f"{question}/{choice}"
    return dict(sorted(found.items(), key=lambda item: headers.index(item[0])))


def bind_columns(
    export: SurveyExport, *, instrument: Instrument, mapping: Mapping[str, str] | None = None
) -> Binding:
    """Bind columns to fields: the explicit ``mapping`` first (source column → field name; ``""`` ignores
    the column), then by XML name, then by English or French label."""
    fields = instrument_fields(instrument)
    headers = [export.original_columns[column] for column in export.columns]
    folded = [fold(header) for header in headers]
    columns: dict[str, int] = {}
    taken: set[int] = set()
    if mapping:
        _apply_mapping(mapping, fields, headers, export.columns, columns, taken)
    choices = _choice_columns(instrument, folded, export.separator, taken)
    for position in (position for pairs in choices.values() for _choice, position in pairs):
        taken.add(position)
    _bind_by_name(fields, folded, columns, taken)
    _bind_by_label(instrument, fields, folded, columns, taken)
    return Binding(fields=fields, columns=columns, choices=choices)


def _apply_mapping(
    mapping: Mapping[str, str],
    fields: Mapping[str, InstrumentField],
    headers: list[str],
    normalised: tuple[str, ...],
    columns: dict[str, int],
    taken: set[int],
) -> None:
    by_fold = {fold(name): name for name in fields}
    problems: list[FieldProblem] = []
    for source, target in mapping.items():
        position = _find_column(source, headers, normalised)
        location = f"column “{source}”"
        if position < 0:
            problems.append(
                FieldProblem(location, _("The file has no column “%(column)s”."), {"column": source})
            )
            continue
        taken.add(position)
        if not target.strip():
            continue
        name = by_fold.get(fold(target))
        if name is None:
            problems.append(
                FieldProblem(
                    location,
                    _(
                        "“%(field)s” is not a field of this instrument (ratings, questions, key, submitted_at)."
                    ),
                    {"field": target},
                )
            )
        elif name in columns:
            problems.append(
                FieldProblem(
                    location,
                    _("“%(field)s” is already mapped from column “%(other)s”; map each field once."),
                    {"field": name, "other": headers[columns[name]]},
                )
            )
        else:
            columns[name] = position
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The column mapping does not fit this file and instrument. Correct the columns listed below."),
            problems=problems,
        )


def _find_column(source: str, headers: list[str], normalised: tuple[str, ...]) -> int:
    if source in headers:
        return headers.index(source)
    wanted = fold(source)
    for candidates in ([fold(header) for header in headers], list(normalised)):
        if wanted in candidates:
            return candidates.index(wanted)
    return -1


def _ends_with_name(header: str, name: str) -> bool:
    """``profile/sex``, ``profile-sex`` and ``sex`` all hold the field ``sex`` (not ``profile/age_sex``)."""
    return header == name or (
        header.endswith(name) and len(header) > len(name) and header[-len(name) - 1] in _SEPARATORS
    )


def _name_aliases(field_: InstrumentField) -> tuple[str, ...]:
    name = field_.name.casefold()
    code = field_.code.casefold()
    if field_.kind == KIND_IMPORTANCE:
        return (name, f"{code}_importance")
    if field_.kind == KIND_COMPETENCE:
        return (name, f"{code}_competence")
    return (name,)


def _bind_by_name(
    fields: Mapping[str, InstrumentField], folded: list[str], columns: dict[str, int], taken: set[int]
) -> None:
    # Longest names first, so that "years_of_service" is not taken by a field called "service".
    for field_ in sorted(fields.values(), key=lambda item: -len(item.name)):
        if field_.name in columns:
            continue
        aliases = _name_aliases(field_)
        for position, header in enumerate(folded):
            if position not in taken and any(_ends_with_name(header, alias) for alias in aliases):
                columns[field_.name] = position
                taken.add(position)
                break


def _labels(*texts: str) -> set[str]:
    return {fold(text) for text in texts if text.strip()}


def _ends_with_label(header: str, labels: set[str]) -> bool:
    return any(header == label or header.endswith("/" + label) for label in labels)


def _bind_by_label(
    instrument: Instrument,
    fields: Mapping[str, InstrumentField],
    folded: list[str],
    columns: dict[str, int],
    taken: set[int],
) -> None:
    labelled: list[tuple[str, set[str]]] = [
        (question.name, _labels(question.label.en, question.label.fr))
        for question in (
            CONSENT_QUESTION,
            *instrument.profile_questions,
            *instrument.institutional_questions,
            *instrument.open_questions,
        )
    ]
    for competency in instrument.competencies:
        importance, competence = importance_label(competency), competence_label(competency)
        labelled.append((importance_field(competency.code), _labels(importance.en, importance.fr)))
        labelled.append((competence_field(competency.code), _labels(competence.en, competence.fr)))
    for name, labels in labelled:
        if name in columns or name not in fields:
            continue
        for position, header in enumerate(folded):
            if position not in taken and _ends_with_label(header, labels):
                columns[name] = position
                taken.add(position)
                break
    for position, header in enumerate(folded):
        if position in taken:
            continue
        field_name = _rating_by_label(instrument, header)
        if field_name and field_name in fields and field_name not in columns:
            columns[field_name] = position
            taken.add(position)


def _rating_by_label(instrument: Instrument, header: str) -> str:
    """``"Identifying victims: importance to your job"`` → ``imp_ID01``: the header names a competency (its
    code or its English or French title; the longest title wins) and says which rating."""
    importance = any(word in header for word in _IMPORTANCE_WORDS)
    competence = any(word in header for word in _COMPETENCE_WORDS)
    if importance == competence:
        return ""
    best, best_length = "", 0
    for competency in instrument.competencies:
        titles = _labels(competency.title.en, competency.title.fr)
        length = max((len(title) for title in titles if title in header), default=0)
        if not length and re.search(rf"(?<![\w]){re.escape(competency.code.casefold())}(?![\w])", header):
            length = 1
        if length > best_length:
            best, best_length = competency.code, length
    if not best:
        return ""
    return importance_field(best) if importance else competence_field(best)


def _choice_columns(
    instrument: Instrument, folded: list[str], separator: str, taken: set[int]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """The 0/1 columns of each select_multiple question: ``group/question/choice`` (XML names) or
    ``Question label/Choice label`` (labels)."""
    found: dict[str, tuple[tuple[str, int], ...]] = {}
    questions = [
        *instrument.profile_questions,
        *instrument.institutional_questions,
        *instrument.open_questions,
    ]
    for question in questions:
        if question.kind != "select_multiple" or not question.choices:
            continue
        question_labels = _labels(question.label.en, question.label.fr)
        pairs: list[tuple[str, int]] = []
        for choice in question.choices:
            names = {fold(question.name) + sep + fold(choice.name) for sep in (separator or "/")}
            labels = {
                question_label + "/" + choice_label
                for question_label in question_labels
                for choice_label in _labels(choice.label.en, choice.label.fr)
            }
            for position, header in enumerate(folded):
                if position in taken:
                    continue
                if any(_ends_with_name(header, name) for name in names) or _ends_with_label(header, labels):
                    pairs.append((choice.name, position))
                    break
        if pairs:
            found[question.name] = tuple(pairs)
    return found
