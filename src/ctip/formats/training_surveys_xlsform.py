"""The reaction and follow-up surveys of a training as XLSForms, for KoboToolbox and ODK.

:func:`build_survey_xlsform` writes the questions of :mod:`ctip.core.training.surveys` as a workbook with
the three sheets of the standard (``survey``, ``choices``, ``settings``), labelled in English and French
(``label::English (en)`` / ``label::French (fr)``, as :mod:`ctip.formats.xlsform`). The respondent first
gives the participant code received at the training (names are never asked); Likert statements share the
``agree5`` list and show as a Likert row; counts must be whole numbers, 0 or more; in the tools question
“none” cannot be ticked together with a tool. The question names are the keys of the stored answers, so a
KoboToolbox or ODK export of the form imports back without any column mapping.

Check a built form with :func:`ctip.formats.xlsform.xlsform_problems` (pyxform, and ODK Validate with Java).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ctip.core.training.model import SurveyKind
from ctip.core.training.surveys import (
    LIKERT_SCALE,
    NONE_CHOICE,
    SURVEY_TITLES,
    Label,
    QuestionKind,
    SurveyQuestion,
    questions,
)
from ctip.formats.xlsform import CHOICES_COLUMNS, ENGLISH, FRENCH, SETTINGS_COLUMNS, SURVEY_COLUMNS

PARTICIPANT_CODE = "participant_code"
"""The first question of both forms: the participant's pseudonymous code."""
LIKERT_LIST = "agree5"
COUNT_CONSTRAINT = ". >= 0"
NONE_EXCLUSIVE = "not(selected(., '{none}') and count-selected(.) > 1)"

PARTICIPANT_CODE_LABEL = Label("Your participant code", "Votre code de participant")
PARTICIPANT_CODE_HINT = Label(
    "The code you received at the training (for example P-07). Your name is not asked.",
    "Le code reçu lors de la formation (par exemple P-07). Votre nom n'est pas demandé.",
)
INTRO = {
    SurveyKind.REACTION: Label(
        "Thank you for taking part in the training. Please tell us what you thought of it: your answers help "
        "to improve the next sessions. Only your participant code links your answers to the training.",
        "Merci d'avoir participé à la formation. Dites-nous ce que vous en avez pensé : vos réponses aident à "
        "améliorer les prochaines sessions. Seul votre code de participant relie vos réponses à la formation.",
    ),
    SurveyKind.FOLLOW_UP: Label(
        "A few months have passed since the training. Please tell us how you have used what you learnt in "
        "your work. Only your participant code links your answers to the training.",
        "Quelques mois se sont écoulés depuis la formation. Dites-nous comment vous avez utilisé ce que vous "
        "avez appris dans votre travail. Seul votre code de participant relie vos réponses à la formation.",
    ),
}
COUNT_MESSAGE = Label("Enter a whole number, 0 or more.", "Saisissez un nombre entier, 0 ou plus.")
NONE_MESSAGE = Label(
    "“None of these” cannot be ticked together with a tool.",
    "« Aucun de ces outils » ne peut pas être coché avec un outil.",
)
_NO_TEXT = Label("")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def form_id(kind: SurveyKind | str, event_code: str = "") -> str:
    """An XML-safe form id, e.g. ``ctip_reaction_TR_2026_01``."""
    suffix = _NOT_NAME.sub("_", event_code).strip("_")
    return f"ctip_{SurveyKind(kind).value}" + (f"_{suffix}" if suffix else "")


def build_survey_xlsform(
    kind: SurveyKind | str, *, event_code: str = "", event_title: str = "", version: str = "1"
) -> bytes:
    """The ``kind`` survey as an XLSForm workbook (``.xlsx``); ``event_code`` and ``event_title`` name the
    training in the form's title and id, ``version`` is the form's version string."""
    survey_kind = SurveyKind(kind)
    lists: dict[str, tuple[tuple[str, Label], ...]] = {}
    survey: list[dict[str, str]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        _row(type="note", name="intro", label=INTRO[survey_kind]),
        _row(
            type="text",
            name=PARTICIPANT_CODE,
            label=PARTICIPANT_CODE_LABEL,
            hint=PARTICIPANT_CODE_HINT,
            required="yes",
        ),
    ]
    for question in questions(survey_kind):
        survey.append(_question_row(question, lists))

    title = SURVEY_TITLES[survey_kind].en
    if event_code or event_title:
        title = f"{title} – {' '.join(part for part in (event_code, event_title) if part)}"
    settings = {
        "form_title": title,
        "form_id": form_id(survey_kind, event_code),
        "version": version,
        "default_language": ENGLISH,
    }
    choices = [
        {
            "list_name": list_name,
            "name": name,
            f"label::{ENGLISH}": label.en,
            f"label::{FRENCH}": label.get("fr"),
        }
        for list_name, entries in lists.items()
        for name, label in entries
    ]
    workbook = openpyxl.Workbook()
    _fill(workbook.active, "survey", SURVEY_COLUMNS, survey)
    _fill(workbook.create_sheet(), "choices", CHOICES_COLUMNS, choices)
    _fill(workbook.create_sheet(), "settings", SETTINGS_COLUMNS, [settings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _question_row(
    question: SurveyQuestion, lists: dict[str, tuple[tuple[str, Label], ...]]
) -> dict[str, str]:
    required = "yes" if question.required else ""
    if question.kind == QuestionKind.LIKERT:
        lists[LIKERT_LIST] = tuple(
            (name, Label(f"{name} – {label.en}", f"{name} – {label.get('fr')}"))
            for name, label in LIKERT_SCALE
        )
        return _row(
            type=f"select_one {LIKERT_LIST}",
            name=question.name,
            label=question.label,
            required=required,
            appearance="likert",
        )
    if question.kind == QuestionKind.INTEGER:
        return _row(
            type="integer",
            name=question.name,
            label=question.label,
            required=required,
            constraint=COUNT_CONSTRAINT,
            constraint_text=COUNT_MESSAGE,
        )
    if question.kind in (QuestionKind.SELECT_ONE, QuestionKind.SELECT_MULTIPLE):
        lists[question.name] = question.choices
        names = {name for name, _label in question.choices}
        exclusive = question.kind == QuestionKind.SELECT_MULTIPLE and NONE_CHOICE in names
        return _row(
            type=f"{question.kind} {question.name}",
            name=question.name,
            label=question.label,
            required=required,
            constraint=NONE_EXCLUSIVE.format(none=NONE_CHOICE) if exclusive else "",
            constraint_text=NONE_MESSAGE if exclusive else _NO_TEXT,
        )
    return _row(
        type="text", name=question.name, label=question.label, required=required, appearance="multiline"
    )


def _row(
    *,
    type: str,
    name: str,
    label: Label = _NO_TEXT,
    hint: Label = _NO_TEXT,
    required: str = "",
    constraint: str = "",
    constraint_text: Label = _NO_TEXT,
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
        "appearance": appearance,
    }


def _fill(worksheet: Any, title: str, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    worksheet.title = title
    worksheet.append(list(columns))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            text = _NOT_XML.sub("", values.get(column, ""))
            if text:
                cell = worksheet.cell(row=number, column=index, value=text)
                cell.data_type = "s"  # a label starting with “=” stays text, never a formula
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        longest = max([len(column), *(len(values.get(column, "")) for values in rows)])
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 8), 60) + 2
