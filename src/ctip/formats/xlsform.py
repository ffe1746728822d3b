"""The TNA survey as an XLSForm, the spreadsheet form standard of KoboToolbox and ODK.

:func:`build_xlsform` writes an :class:`~ctip.core.tna.model.Instrument` as a workbook with the three
sheets of the standard (``survey``, ``choices``, ``settings``), labelled in English and French. The
respondent first reads the consent statement and answers a required yes/no consent question; every block
after it (profile, one rating group per pillar, institutional and open questions) is a group that is only
relevant when the answer is yes, so a “no” ends the survey. Each competency gets two required ratings on
the ``scale`` list, ``imp_<code>`` (importance) and ``comp_<code>`` (own competence), shown as a Likert row.

:func:`xlsform_problems` runs ODK's own converter (pyxform), optionally with ODK Validate (Java), and
returns what it reports as readable sentences; :func:`xlsform_to_xform` returns the XForm itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font
from pyxform.errors import PyXFormError
from pyxform.validators.odk_validate import ODKValidateError
from pyxform.xls2xform import convert

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.instrument import (
    CONSENT_DECLINED,
    CONSENT_QUESTION,
    YES_NO,
    YES_NO_DONT_KNOW,
    constraint_message,
    scale_choices,
)
from ctip.core.tna.model import Choice, Instrument, Question, Text
from ctip.core.tna.sections import (
    INSTITUTIONAL_SECTION,
    OPEN_SECTION,
    PROFILE_SECTION,
    instrument_sections,
    rating_questions,
    rating_section,
)

ENGLISH = "English (en)"
FRENCH = "French (fr)"
SURVEY_COLUMNS: tuple[str, ...] = (
    "type",
    "name",
    f"label::{ENGLISH}",
    f"label::{FRENCH}",
    f"hint::{ENGLISH}",
    f"hint::{FRENCH}",
    "required",
    "constraint",
    f"constraint_message::{ENGLISH}",
    f"constraint_message::{FRENCH}",
    "relevant",
    "appearance",
)
CHOICES_COLUMNS: tuple[str, ...] = ("list_name", "name", f"label::{ENGLISH}", f"label::{FRENCH}")
SETTINGS_COLUMNS: tuple[str, ...] = ("form_title", "form_id", "version", "default_language")
SCALE_LIST = "scale"
CONSENTED = "${consent} = 'yes'"
PROFILE_GROUP = PROFILE_SECTION
INSTITUTIONAL_GROUP = INSTITUTIONAL_SECTION
OPEN_GROUP = OPEN_SECTION
rating_group = rating_section
"""Group names: the instrument's sections (:mod:`ctip.core.tna.sections`)."""

_NO_TEXT = Text("")
_NAMED_LISTS = {YES_NO: "yes_no", YES_NO_DONT_KNOW: "yes_no_dont_know"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VALIDATE_NOISE = re.compile(
    r"ODK Validate Errors:|>>|The following files failed validation:\s*\S*|Result: Invalid\.?"
)
_STACK_LINE = re.compile(r"^\s*(at\s+[\w.$]+\(|\.\.\. \d+ more|Caused by:)")

# --- Writing -------------------------------------------------------------------------------------------------


def build_xlsform(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook (``.xlsx``)."""
    lists = _ChoiceLists()
    scale_list = lists.name_for(SCALE_LIST, scale_choices(instrument.scale_max))
    survey: list[dict[str, str]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        _note("consent_note", instrument.consent),
        _question_row(CONSENT_QUESTION, lists),
        _note("consent_declined", CONSENT_DECLINED, relevant="${consent} = 'no'"),
    ]

    for section in instrument_sections(instrument):
        survey.append(_begin_group(section.name, section.label))
        if section.intro.en:
            survey.append(_note(f"{section.name}_intro", section.intro))
        survey.extend(_question_row(question, lists) for question in section.questions)
        for competency in section.competencies:
            for question in rating_questions(competency, instrument.scale_max):
                survey.append(
                    _row(
                        type=f"select_one {scale_list}",
                        name=question.name,
                        label=question.label,
                        hint=question.hint,
                        required="yes",
                        appearance="likert",
                    )
                )
        survey.append(_end_group(section.name))

    settings = {
        "form_title": instrument.title.en,
        "form_id": instrument.form_id,
        "version": instrument.version,
        "default_language": ENGLISH,
    }
    workbook = openpyxl.Workbook()
    _fill(workbook.active, "survey", SURVEY_COLUMNS, survey)
    _fill(workbook.create_sheet(), "choices", CHOICES_COLUMNS, lists.rows)
    _fill(workbook.create_sheet(), "settings", SETTINGS_COLUMNS, [settings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _ChoiceLists:
    """The choice lists of the form; questions with the same choices share one list."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self._by_choices: dict[tuple[Choice, ...], str] = {}

    def name_for(self, preferred: str, choices: tuple[Choice, ...]) -> str:
        if choices in self._by_choices:
            return self._by_choices[choices]
        taken = set(self._by_choices.values())
        name, number = _NAMED_LISTS.get(choices, preferred), 2
        while name in taken:
            name, number = f"{preferred}_{number}", number + 1
        self._by_choices[choices] = name
        for choice in choices:
            self.rows.append(
                {
                    "list_name": name,
                    "name": choice.name,
                    f"label::{ENGLISH}": choice.label.en,
                    f"label::{FRENCH}": choice.label.get("fr"),
                }
            )
        return name


def _row(
    *,
    type: str,
    name: str,
    label: Text = _NO_TEXT,
    hint: Text = _NO_TEXT,
    required: str = "",
    constraint: str = "",
    constraint_text: Text = _NO_TEXT,
    relevant: str = "",
    appearance: str = "",
) -> dict[str, str]:
    return {
        "type": type,
        "name": name,
        f"label::{ENGLISH}": label.en,
        f"label::{FRENCH}": label.get("fr") if label.en else "",
        f"hint::{ENGLISH}": hint.en,
        f"hint::{FRENCH}": hint.get("fr") if hint.en else "",
        "required": required,
        "constraint": constraint,
        f"constraint_message::{ENGLISH}": constraint_text.en,
        f"constraint_message::{FRENCH}": constraint_text.get("fr") if constraint_text.en else "",
        "relevant": relevant,
        "appearance": appearance,
    }


def _note(name: str, text: Text, *, relevant: str = "") -> dict[str, str]:
    return _row(type="note", name=name, label=text, relevant=relevant)


def _begin_group(name: str, label: Text) -> dict[str, str]:
    return _row(type="begin_group", name=name, label=label, relevant=CONSENTED)


def _end_group(name: str) -> dict[str, str]:
    return {"type": "end_group", "name": name}


def _question_row(question: Question, lists: _ChoiceLists) -> dict[str, str]:
    kind = question.kind
    if kind in ("select_one", "select_multiple"):
        kind = f"{kind} {lists.name_for(question.name, question.choices)}"
    return _row(
        type=kind,
        name=question.name,
        label=question.label,
        hint=question.hint,
        required="yes" if question.required else "",
        constraint=question.constraint,
        constraint_text=constraint_message(question),
        relevant=question.relevant,
    )


def _fill(worksheet: Any, title: str, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    worksheet.title = title
    worksheet.append(list(columns))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            text = _NOT_XML.sub("", values.get(column, ""))
            if not text:
                continue
            cell = worksheet.cell(row=number, column=index, value=text)
            cell.data_type = "s"  # a label starting with “=” is text, never a formula
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        longest = max([len(column), *(len(values.get(column, "")) for values in rows)])
        worksheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = (
            min(max(longest, 8), 60) + 2
        )


# --- Checking --------------------------------------------------------------------------------------------


def xlsform_problems(data: bytes, *, validate: bool = False) -> list[str]:
    """What pyxform (and, with ``validate``, ODK Validate, which needs Java) says about an XLSForm: errors
    first, then warnings, one readable sentence each; an empty list when the form converts cleanly."""
    _xform, problems = _convert(data, validate=validate)
    return problems


def xlsform_to_xform(data: bytes, *, validate: bool = False) -> str:
    """The XForm (XML) of an XLSForm, as ODK Collect and Enketo use it. Raises a :class:`DomainError`
    listing pyxform's errors and warnings when there are any."""
    xform, problems = _convert(data, validate=validate)
    if problems or xform is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The XLSForm cannot be converted: %(count)s problem(s) were reported."),
            {"count": len(problems)},
            problems=[FieldProblem("xlsform", "%(text)s", {"text": text}) for text in problems],
        )
    return xform


def _convert(data: bytes, *, validate: bool) -> tuple[str | None, list[str]]:
    warnings: list[str] = []
    errors: list[str] = []
    xform: str | None = None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return None, [
            "The file is not an Excel workbook (.xlsx): save the XLSForm in Excel format and try again."
        ]
    try:
        result = convert(xlsform=data, warnings=warnings, validate=validate, file_type=".xlsx")
        xform = str(result.xform)
    except ODKValidateError as error:
        text = _readable(_VALIDATE_NOISE.sub(" ", str(error))).strip(" .:")
        errors.append(f"ODK Validate: {text}.")
    except PyXFormError as error:
        errors.append(_readable(str(error)))
    except Exception as error:  # a damaged workbook fails inside openpyxl or zipfile, not pyxform
        errors.append(f"The file could not be read as an XLSForm workbook ({type(error).__name__}: {error}).")
    return (xform if not errors else None), [*errors, *(_readable(text) for text in warnings)]


def _readable(text: str) -> str:
    """pyxform and ODK Validate messages without Java stack traces, blank lines and repeated spaces."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not _STACK_LINE.match(line)]
    return re.sub(r"\s+", " ", " ".join(kept)).strip()
