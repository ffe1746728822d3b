"""An XLSForm back into a survey instrument: the inverse of :func:`ctip.formats.xlsform.build_xlsform`.

:func:`read_xlsform` reads the ``survey``, ``choices`` and ``settings`` sheets and rebuilds the
:class:`~ctip.core.tna.model.Instrument` the form asks: one competency per pair of ratings ``imp_<code>`` /
``comp_<code>`` (its pillar from the enclosing group ``ratings_<pillar>``, its title from the question
label, its description from the hint), the rating scale from the ratings' choice list, the profile,
institutional and open questions with their choices, and the form id, version and title from the settings.

It is tolerant of a form edited in KoboToolbox or by hand: label columns written ``label::English (en)``,
``label::en``, ``label::English`` or plain ``label``; extra columns (``$kuid``, ``required_message``, …);
``begin group`` or ``begin_group``; rows reordered within their groups; no groups at all (the competencies
then have the pillar ``""`` and the other questions are placed by their names). What a form cannot say
about a competency (stage of the response chain, level, organisation types, sensitivity) is taken from the
default competency library when the code is one of its codes; other codes are foundational competencies
with no chain stage.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import openpyxl

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import (
    CONSENT_QUESTION,
    INSTITUTIONAL_QUESTIONS,
    OPEN_QUESTIONS,
    SCALE_MAXIMA,
)
from ctip.core.tna.model import (
    Choice,
    Competency,
    CompetencyLevel,
    Instrument,
    Question,
    Text,
    competence_field,
    importance_field,
)
from ctip.core.tna.sections import INSTITUTIONAL_SECTION, OPEN_SECTION, PROFILE_SECTION

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
"""A workbook expanding to more than this is refused (an XLSForm is a few hundred kilobytes)."""
RATINGS_GROUP_PREFIX = "ratings_"
CONSENT_NOTE = "consent_note"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_RATING_NAME = re.compile(r"(imp|comp)_([A-Za-z0-9_]+)")
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$")
_LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
}
_TITLE_PATTERNS: Mapping[str, tuple[re.Pattern[str], ...]] = {
    "en": (
        re.compile(r"(.*?)\s*:\s*how important\b", re.IGNORECASE | re.DOTALL),
        re.compile(r"(.*?)\s*:\s*how well\b", re.IGNORECASE | re.DOTALL),
    ),
    "fr": (
        re.compile(r"(.*?)\s*:\s*quelle importance\b", re.IGNORECASE | re.DOTALL),
        re.compile(r"(.*?)\s*:\s*quel est votre niveau\b", re.IGNORECASE | re.DOTALL),
    ),
}
_TRUE = frozenset({"yes", "true", "true()", "1", "y", "oui"})
_GROUP_BEGIN = frozenset({"begin_group", "begin_repeat"})
_GROUP_END = frozenset({"end_group", "end_repeat"})
_KEPT_KINDS = frozenset({"select_one", "select_multiple", "integer", "text", "date"})
_NOT_QUESTIONS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "calculate",
        "note",
        "hidden",
        "start-geopoint",
        "background-audio",
        "xml-external",
        "csv-external",
    }
)
_PROFILE_NAMES = frozenset(
    {
        "sex",
        "age_band",
        "organisation",
        "organisation_other",
        "role_rank",
        "location",
        "years_of_service",
        "prior_training",
        "prior_training_year",
        "prior_training_topic",
    }
)
_INSTITUTIONAL_NAMES = frozenset(question.name for question in INSTITUTIONAL_QUESTIONS)
_OPEN_NAMES = frozenset(question.name for question in OPEN_QUESTIONS)
_SECTIONS = (PROFILE_SECTION, INSTITUTIONAL_SECTION, OPEN_SECTION)


@dataclass(frozen=True)
class _Sheet:
    """One worksheet: lower-cased column names and the non-empty rows (row number, column → text)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]


@dataclass(frozen=True)
class _SurveyRow:
    number: int
    kind: str  # the first word of the type, normalised (“begin group” → “begin_group”)
    list_name: str  # the choice list of a select question (“” otherwise)
    name: str
    label: Text
    hint: Text
    required: bool
    relevant: str
    constraint: str
    groups: tuple[str, ...]  # the names of the enclosing groups, outermost first


class _Texts:
    """Which columns of a sheet hold one kind of text (``label``, ``hint``) in English and in French."""

    def __init__(self, columns: Sequence[str], base: str) -> None:
        by_language: dict[str, list[str]] = {}
        for column in columns:
            language = _language_of(column, base)
            if language is not None:
                by_language.setdefault(language, []).append(column)
        # Plain ``label`` is the form's default language; English comes first when both are there.
        self.english = [*by_language.pop("en", []), *by_language.pop("", [])]
        self.french = by_language.pop("fr", [])
        self.others = [column for group in by_language.values() for column in group]

    def text(self, values: Mapping[str, str]) -> Text:
        english = _first(values, self.english)
        french = _first(values, self.french)
        # A form without English labels still needs a main text: the French one, else any language.
        return Text(english or french or _first(values, self.others), french)


def read_xlsform(data: bytes, *, filename: str) -> Instrument:
    """The survey instrument of an XLSForm workbook (``.xlsx``).

    Raises a :class:`~ctip.core.errors.DomainError` saying what to do when the file is not an ``.xlsx``
    workbook (or is damaged), has no ``survey`` sheet or no rating pairs, or when a rating lacks its
    partner (``imp_X`` without ``comp_X`` or the reverse), is repeated, or is not on a 1–5 or 1–7 choice
    list; each problem names its sheet, row and field."""
    sheets = _read_sheets(data, filename)
    survey = sheets.get("survey")
    if survey is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” has no “survey” sheet, so it is not an XLSForm (its sheets: %(sheets)s). "
                "Upload the XLSForm of the survey, as downloaded from KoboToolbox or written by C-TIP Planner."
            ),
            {"file": filename, "sheets": ", ".join(sheet.name for sheet in sheets.values()) or "none"},
        )
    rows = _survey_rows(survey)
    choices = _choice_lists(sheets.get("choices"))
    settings = _settings(sheets.get("settings"))
    competencies, scale_max = _competencies(rows, choices, filename)
    sections = _questions(rows, choices)
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "form"
    languages = ("en", "fr") if any(row.label.fr for row in rows) else ("en",)
    return Instrument(
        title=Text(settings.get("form_title", "") or stem),
        form_id=settings.get("form_id", "") or stem,
        version=settings.get("version", ""),
        scale_max=scale_max,
        competencies=competencies,
        profile_questions=sections[PROFILE_SECTION],
        institutional_questions=sections[INSTITUTIONAL_SECTION],
        open_questions=sections[OPEN_SECTION],
        consent=next((row.label for row in rows if row.name == CONSENT_NOTE), Text("")),
        languages=languages,
    )


# --- The workbook ---------------------------------------------------------------------------------------


def _read_sheets(data: bytes, filename: str) -> dict[str, _Sheet]:
    """Every sheet by lower-cased name; a file that is not a readable ``.xlsx`` is a DomainError."""
    if data.startswith(_OLE2_MAGIC):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is an Excel 97–2003 workbook (.xls) or is protected by a password. Remove the "
                "password, save it as “Excel Workbook (.xlsx)” and try again."
            ),
            {"file": filename},
        )
    not_a_workbook = DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” is not an Excel workbook (.xlsx) or is damaged. Download the XLSForm again (in "
            "KoboToolbox: Form → Download → XLS) and use the new file."
        ),
        {"file": filename},
    )
    if not data.startswith(_ZIP_MAGIC):
        raise not_a_workbook
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
        if expanded > MAX_UNCOMPRESSED_BYTES:
            raise DomainError(
                ErrorCode.UPLOAD_TOO_LARGE,
                _(
                    "“%(file)s” expands to more than %(limit)s MB, far more than an XLSForm needs. Check that "
                    "it is the survey's XLSForm."
                ),
                {"file": filename, "limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
            )
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (data validation, styles); none matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = [_sheet(worksheet) for worksheet in workbook.worksheets]
            finally:
                workbook.close()
    except DomainError:
        raise
    except Exception as error:  # damaged archives fail anywhere inside zipfile, zlib, XML or openpyxl
        raise not_a_workbook from error
    found: dict[str, _Sheet] = {}
    for sheet in sheets:
        found.setdefault(sheet.name.strip().casefold(), sheet)
    return found


def _sheet(worksheet: Any) -> _Sheet:
    if hasattr(worksheet, "reset_dimensions"):
        # Some writers record a wrong used range; without it every row is read until the end.
        worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = tuple(_cell_text(value).casefold() for value in header)
    kept: list[tuple[int, Mapping[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        record = {
            column: text
            for column, value in zip(columns, values, strict=False)
            if column and (text := _cell_text(value))
        }
        if record:
            kept.append((number, record))
    return _Sheet(str(worksheet.title), columns, tuple(kept))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _language_of(column: str, base: str) -> str | None:
    """``en``/``fr``/… for a ``base::Language (xx)`` column, ``""`` for the plain ``base``, else None."""
    if column == base:
        return ""
    prefix = f"{base}::"
    if not column.startswith(prefix):
        return None
    language = column[len(prefix) :].strip()
    match = _LANGUAGE_CODE.search(language)
    if match:
        return match.group(1).casefold()
    return _LANGUAGE_NAMES.get(language, language)


def _first(values: Mapping[str, str], columns: Iterable[str]) -> str:
    return next((values[column] for column in columns if values.get(column)), "")


# --- The three sheets ------------------------------------------------------------------------------------


def _survey_rows(sheet: _Sheet) -> list[_SurveyRow]:
    labels = _Texts(sheet.columns, "label")
    hints = _Texts(sheet.columns, "hint")
    groups: list[str] = []
    rows: list[_SurveyRow] = []
    for number, values in sheet.rows:
        kind, list_name = _question_type(values.get("type", ""))
        if not kind:
            continue
        name = values.get("name", "")
        if kind in _GROUP_END:
            if groups:
                groups.pop()
            continue
        rows.append(
            _SurveyRow(
                number=number,
                kind=kind,
                list_name=list_name,
                name=name,
                label=labels.text(values),
                hint=hints.text(values),
                required=values.get("required", "").casefold() in _TRUE,
                relevant=values.get("relevant", ""),
                constraint=values.get("constraint", ""),
                groups=tuple(groups),
            )
        )
        if kind in _GROUP_BEGIN:
            groups.append(name)
    return rows


def _question_type(text: str) -> tuple[str, str]:
    """The kind and choice list of a ``type`` cell: ``select_one scale`` → (``select_one``, ``scale``);
    the spellings with a space (``begin group``, ``select one scale``) are read as with ``_``."""
    words = text.split()
    if not words:
        return "", ""
    kind, rest = words[0].casefold(), words[1:]
    if kind in ("begin", "end", "select") and rest:
        kind, rest = f"{kind}_{rest[0].casefold()}", rest[1:]
    return kind, (rest[0] if kind.startswith("select_") and rest else "")


def _choice_lists(sheet: _Sheet | None) -> dict[str, tuple[Choice, ...]]:
    if sheet is None:
        return {}
    labels = _Texts(sheet.columns, "label")
    lists: dict[str, list[Choice]] = {}
    for _number, values in sheet.rows:
        list_name, name = values.get("list_name", ""), values.get("name", "")
        if list_name and name:
            lists.setdefault(list_name, []).append(Choice(name, labels.text(values)))
    return {name: tuple(choices) for name, choices in lists.items()}


def _settings(sheet: _Sheet | None) -> Mapping[str, str]:
    return sheet.rows[0][1] if sheet is not None and sheet.rows else {}


# --- Competencies -------------------------------------------------------------------------------------------


def _where(row: _SurveyRow) -> str:
    return f"survey, row {row.number} ({row.name})"


def _competencies(
    rows: Sequence[_SurveyRow], choices: Mapping[str, tuple[Choice, ...]], filename: str
) -> tuple[tuple[Competency, ...], int]:
    """The competencies of the rating pairs, in the order of the form, and the scale's maximum."""
    pairs: dict[str, dict[str, _SurveyRow]] = {}
    problems: list[FieldProblem] = []
    for row in rows:
        match = _RATING_NAME.fullmatch(row.name)
        if match is None or row.kind in _NOT_QUESTIONS or row.kind in _GROUP_BEGIN:
            continue
        rating, code = match.groups()
        pair = pairs.setdefault(code, {})
        if rating in pair:
            problems.append(
                FieldProblem(
                    _where(row),
                    _("“%(name)s” is asked twice (first in row %(first)s); keep one of the two rows."),
                    {"name": row.name, "first": pair[rating].number},
                )
            )
            continue
        pair[rating] = row
    if not pairs:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” has no rating questions: a TNA survey rates each competency twice, in questions "
                "named imp_<code> (importance) and comp_<code> (own competence). Use the XLSForm written by "
                "C-TIP Planner (ctip tna instrument) or rename the rating questions that way."
            ),
            {"file": filename},
        )
    scales: list[tuple[_SurveyRow, int]] = []
    for code, pair in pairs.items():
        for rating, partner in (("imp", competence_field(code)), ("comp", importance_field(code))):
            if rating in pair and len(pair) == 1:
                problems.append(
                    FieldProblem(
                        _where(pair[rating]),
                        _("“%(name)s” has no partner question “%(partner)s”: add it, or remove both."),
                        {"name": pair[rating].name, "partner": partner},
                    )
                )
        for row in pair.values():
            scale = _scale_of(row, choices, problems)
            if scale is not None:
                scales.append((row, scale))
    distinct = sorted({scale for _row, scale in scales})
    if len(distinct) > 1:
        first = next(row for row, scale in scales if scale == distinct[0])
        other = next(row for row, scale in scales if scale == distinct[1])
        problems.append(
            FieldProblem(
                _where(other),
                _(
                    "The ratings use different scales: “%(first)s” runs from 1 to %(first_max)s and "
                    "“%(other)s” from 1 to %(other_max)s. Put every rating on the same choice list."
                ),
                {
                    "first": first.name,
                    "first_max": distinct[0],
                    "other": other.name,
                    "other_max": distinct[1],
                },
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The rating questions of “%(file)s” cannot be read: %(count)s problem(s) to correct."),
            {"file": filename, "count": len(problems)},
            problems=problems,
        )
    library = {competency.code: competency for competency in default_framework()}
    ordered = sorted(pairs.items(), key=lambda item: min(row.number for row in item[1].values()))
    competencies = tuple(_competency(code, pair["imp"], pair["comp"], library) for code, pair in ordered)
    return competencies, distinct[0]


def _scale_of(
    row: _SurveyRow, choices: Mapping[str, tuple[Choice, ...]], problems: list[FieldProblem]
) -> int | None:
    """The maximum of the 1..N scale of a rating question (N is 5 or 7), or None after a problem."""
    if row.kind != "select_one" or not row.list_name:
        problems.append(
            FieldProblem(
                _where(row),
                _(
                    "“%(name)s” is a “%(type)s” question; a rating must be a select_one question on a "
                    "choice list of the numbers 1 to 5 (or 1 to 7)."
                ),
                {"name": row.name, "type": row.kind},
            )
        )
        return None
    names = [choice.name for choice in choices.get(row.list_name, ())]
    if not names:
        problems.append(
            FieldProblem(
                _where(row),
                _("The choice list “%(list)s” of “%(name)s” is missing from the choices sheet."),
                {"list": row.list_name, "name": row.name},
            )
        )
        return None
    numbers = sorted(int(name) for name in names if name.isdigit())
    if (
        len(numbers) != len(names)
        or numbers != list(range(1, len(numbers) + 1))
        or len(numbers) not in SCALE_MAXIMA
    ):
        problems.append(
            FieldProblem(
                _where(row),
                _(
                    "The choice list “%(list)s” of “%(name)s” holds %(values)s; a rating scale must hold the "
                    "numbers 1 to 5 or 1 to 7."
                ),
                {"list": row.list_name, "name": row.name, "values": ", ".join(names)},
            )
        )
        return None
    return len(numbers)


def _competency(
    code: str, importance: _SurveyRow, competence: _SurveyRow, library: Mapping[str, Competency]
) -> Competency:
    pillar = next(
        (group[len(RATINGS_GROUP_PREFIX) :] for group in reversed(importance.groups) if _is_ratings(group)),
        "",
    )
    title = Text(
        _title(importance.label.en, competence.label.en, ("en", "fr")) or code,
        _title(importance.label.fr, competence.label.fr, ("fr",)),
    )
    description = importance.hint if importance.hint.en else competence.hint
    known = library.get(code)
    if known is not None:
        return replace(known, title=title, description=description, pillar=pillar)
    return Competency(
        code=code,
        title=title,
        description=description,
        pillar=pillar,
        chain_stage="",
        level=CompetencyLevel.FOUNDATIONAL,
    )


def _is_ratings(group: str) -> bool:
    return group.startswith(RATINGS_GROUP_PREFIX) and len(group) > len(RATINGS_GROUP_PREFIX)


def _title(importance_label: str, competence_label: str, languages: Sequence[str]) -> str:
    """The competency's title: the label before “: how important…” (or “ : quelle importance…”)."""
    for language in languages:
        for label, pattern in zip(
            (importance_label, competence_label), _TITLE_PATTERNS[language], strict=True
        ):
            match = pattern.match(label)
            if match and match.group(1).strip():
                return match.group(1).strip()
    return ""


# --- Other questions ---------------------------------------------------------------------------------------


def _questions(
    rows: Sequence[_SurveyRow], choices: Mapping[str, tuple[Choice, ...]]
) -> dict[str, tuple[Question, ...]]:
    """The profile, institutional and open questions: placed by their group, else by their name (profile
    when unknown)."""
    found: dict[str, list[Question]] = {section: [] for section in _SECTIONS}
    for row in _answerable(rows):
        section = next((group for group in reversed(row.groups) if group in _SECTIONS), "")
        if not section:
            if any(_is_ratings(group) for group in row.groups):
                continue  # a question added among the ratings is not part of the instrument's blocks
            if row.name == CONSENT_QUESTION.name:
                continue
            section = (
                INSTITUTIONAL_SECTION
                if row.name in _INSTITUTIONAL_NAMES
                else OPEN_SECTION
                if row.name in _OPEN_NAMES
                else PROFILE_SECTION
            )
        kind = row.kind if row.kind in _KEPT_KINDS else "text"
        options = choices.get(row.list_name, ()) if kind in ("select_one", "select_multiple") else ()
        if kind.startswith("select_") and not options:
            kind = "text"  # a list kept outside the form (select_one_from_file) or missing: answers as given
        found[section].append(
            Question(
                name=row.name,
                label=row.label,
                kind=kind,
                choices=options,
                required=row.required,
                hint=row.hint,
                relevant=row.relevant,
                constraint=row.constraint,
            )
        )
    return {section: tuple(questions) for section, questions in found.items()}


def _answerable(rows: Sequence[_SurveyRow]) -> Iterator[_SurveyRow]:
    for row in rows:
        if not row.name or row.kind in _NOT_QUESTIONS or row.kind in _GROUP_BEGIN:
            continue
        if _RATING_NAME.fullmatch(row.name):
            continue
        yield row
