"""The built-in web form: the survey instrument answered one page at a time, without KoboToolbox.

The pages are the consent page followed by the instrument's sections (:mod:`ctip.core.tna.sections`): the
profile, one page of ratings per pillar, the institutional questions and the open questions. Answers are
kept as ``field name → text`` (the XLSForm names: ``sex``, ``imp_ID01``, ``sop_in_place``; a
select_multiple answer is its choice names separated by spaces), the same values a Kobo or ODK export
holds, and become one :class:`~ctip.core.tna.model.Submission` when the respondent submits.

:func:`check_page` reads what a page posted: it keeps every valid answer (so nothing typed is lost when
another answer on the page is wrong) and lists a problem for each wrong or missing one. Questions whose
relevance condition is false (the year of an earlier training when there was none) are cleared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ctip.core.errors import FieldProblem, _
from ctip.core.tna.instrument import CONSENT_QUESTION, OTHER
from ctip.core.tna.model import (
    Instrument,
    Question,
    Rating,
    Sex,
    Submission,
    Text,
    competence_field,
    importance_field,
)
from ctip.core.tna.sections import (
    INSTITUTIONAL_SECTION,
    NO_TEXT,
    OPEN_SECTION,
    PROFILE_SECTION,
    instrument_sections,
    rating_questions,
)

CONSENT_PAGE = "consent"
SOURCE_WEB_FORM = "web_form"
MAX_TEXT_LENGTH = 2000
"""The longest free-text answer kept (characters); longer answers are refused with a message."""
SEX_QUESTION = "sex"
ORGANISATION_QUESTION = "organisation"
ORGANISATION_OTHER_QUESTION = "organisation_other"

IMPORTANCE_PROMPT = Text("How important is this for your job?", "Quelle importance pour votre travail ?")
COMPETENCE_PROMPT = Text("How well can you do this today?", "Quel est votre niveau de maîtrise aujourd’hui ?")
"""The short questions shown under a competency's title on a rating page (the full labels name the
competency, which the page already shows as a heading)."""

_SEX_ANSWERS = {
    "female": Sex.FEMALE,
    "male": Sex.MALE,
    "other": Sex.OTHER,
    "prefer_not_to_say": Sex.NOT_STATED,
}
_CONDITION = re.compile(r"\$\{(\w+)\}\s*(!?=)\s*'([^']*)'")
_SELECTED = re.compile(r"selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)")
_RANGE = re.compile(r"\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)")
_INTEGER = re.compile(r"[+-]?\d{1,9}")


@dataclass(frozen=True)
class FormPage:
    """One page of the form: its questions, in order (a competency's two ratings side by side)."""

    key: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text = NO_TEXT
    competency_codes: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(question.name for question in self.questions)


@dataclass(frozen=True)
class PageCheck:
    """What one page posted: the valid answers (every field of the page; ``""`` clears an answer) and a
    problem for each answer that is wrong or missing (``location``: the field name)."""

    answers: dict[str, str]
    problems: list[FieldProblem] = field(default_factory=list)


def form_pages(instrument: Instrument, consent: Text | None = None) -> tuple[FormPage, ...]:
    """The pages of the form for ``instrument``: consent (with the consent statement as introduction),
    then one page per section."""
    pages = [
        FormPage(
            CONSENT_PAGE,
            Text("About this survey", "À propos de cette enquête"),
            (CONSENT_QUESTION,),
            intro=consent or instrument.consent,
        )
    ]
    for section in instrument_sections(instrument):
        questions = list(section.questions)
        for competency in section.competencies:
            questions.extend(rating_questions(competency, instrument.scale_max))
        pages.append(
            FormPage(
                section.name,
                section.label,
                tuple(questions),
                intro=section.intro,
                competency_codes=tuple(competency.code for competency in section.competencies),
            )
        )
    return tuple(pages)


def is_relevant(question: Question, answers: Mapping[str, str]) -> bool:
    """Whether ``question`` is asked given the ``answers`` so far. Understands the conditions the
    instrument builder writes (``${name} = 'value'``, ``!=``, ``selected(${name}, 'value')``, joined by
    ``and``/``or``); a question with any other condition is asked."""
    expression = question.relevant.strip()
    if not expression:
        return True
    alternatives = []
    for alternative in re.split(r"\s+or\s+", expression):
        results = []
        for term in re.split(r"\s+and\s+", alternative):
            term = term.strip().removeprefix("(").removesuffix(")").strip()
            condition = _CONDITION.fullmatch(term)
            selected = _SELECTED.fullmatch(term)
            if condition:
                name, operator, value = condition.groups()
                equal = answers.get(name, "") == value
                results.append(equal if operator == "=" else not equal)
            elif selected:
                name, value = selected.groups()
                results.append(value in answers.get(name, "").split())
            else:
                return True
        alternatives.append(all(results))
    return any(alternatives)


def condition_hint(question: Question, questions: Sequence[Question]) -> Text:
    """For a question asked only after a given answer (``${name} = 'value'``) and without its own hint:
    “Only if you answered “<choice>” above.” (the form shows every question; JavaScript is not needed).
    Empty otherwise."""
    condition = _CONDITION.fullmatch(question.relevant.strip())
    if condition is None or question.hint.en or condition.group(2) != "=":
        return NO_TEXT
    name, _operator, value = condition.groups()
    for earlier in questions:
        for choice in earlier.choices if earlier.name == name else ():
            if choice.name == value:
                return Text(
                    f"Only if you answered “{choice.label.en}” above.",
                    f"Seulement si vous avez répondu « {choice.label.get('fr')} » ci-dessus.",
                )
    return NO_TEXT


def check_page(
    page: FormPage,
    posted: Mapping[str, Sequence[str]],
    answers: Mapping[str, str],
    *,
    require: bool = True,
) -> PageCheck:
    """Read the values ``posted`` for ``page`` (field name → the values sent; several for a
    select_multiple) against the ``answers`` given so far. ``require=False`` (going back a page, or
    saving to continue later) does not complain about unanswered required questions."""
    merged = dict(answers)
    cleaned: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for question in page.questions:
        values = [value.strip() for value in posted.get(question.name, ()) if value.strip()]
        value, problem = _value(question, values)
        if problem is not None:
            problems.append(problem)
            value = ""
        cleaned[question.name] = value
        merged[question.name] = value
    for question in page.questions:
        if not is_relevant(question, merged):
            cleaned[question.name] = ""
            merged[question.name] = ""
            problems = [problem for problem in problems if problem.location != question.name]
        elif (
            require
            and question.required
            and not merged[question.name]
            and not any(problem.location == question.name for problem in problems)
        ):
            problems.append(FieldProblem(question.name, _("Please answer this question.")))
    return PageCheck(cleaned, problems)


def _value(question: Question, values: list[str]) -> tuple[str, FieldProblem | None]:
    if not values:
        return "", None
    names = [choice.name for choice in question.choices]
    if question.kind == "select_one":
        if len(values) > 1 or values[0] not in names:
            return "", FieldProblem(question.name, _("Choose one of the answers offered."))
        return values[0], None
    if question.kind == "select_multiple":
        if any(value not in names for value in values):
            return "", FieldProblem(question.name, _("Choose among the answers offered."))
        return " ".join(name for name in names if name in values), None
    text = values[0]
    if question.kind == "integer":
        if not _INTEGER.fullmatch(text):
            return "", FieldProblem(question.name, _("Enter a whole number, such as 4."))
        number = int(text)
        limits = _RANGE.fullmatch(question.constraint.strip())
        if limits and not int(limits.group(1)) <= number <= int(limits.group(2)):
            return "", FieldProblem(
                question.name,
                _("Enter a whole number from %(low)s to %(high)s."),
                {"low": limits.group(1), "high": limits.group(2)},
            )
        return str(number), None
    if len(text) > MAX_TEXT_LENGTH:
        return "", FieldProblem(
            question.name,
            _("Shorten this answer to at most %(max)s characters (it has %(count)s)."),
            {"max": MAX_TEXT_LENGTH, "count": len(text)},
        )
    return text, None


def consent_given(answers: Mapping[str, str]) -> bool | None:
    """True when the respondent agreed, False when they declined, None when not answered yet."""
    answer = answers.get(CONSENT_QUESTION.name, "")
    return True if answer == "yes" else False if answer == "no" else None


def unanswered(pages: Sequence[FormPage], answers: Mapping[str, str]) -> list[tuple[int, Question]]:
    """The required questions still unanswered, with the index of their page."""
    return [
        (index, question)
        for index, page in enumerate(pages)
        for question in page.questions
        if question.required and is_relevant(question, answers) and not answers.get(question.name)
    ]


def answered_count(pages: Sequence[FormPage], answers: Mapping[str, str]) -> tuple[int, int]:
    """How many of the questions asked (relevant ones) have an answer, and how many are asked."""
    asked = [q for page in pages for q in page.questions if is_relevant(q, answers)]
    return sum(1 for question in asked if answers.get(question.name)), len(asked)


def submission_from_answers(
    instrument: Instrument, *, key: str, answers: Mapping[str, str], submitted_at: dt.datetime
) -> Submission:
    """The submission the web form's ``answers`` make (the same shape as an imported one)."""
    sections = {section.name: section for section in instrument_sections(instrument)}
    sex = _SEX_ANSWERS.get(answers.get(SEX_QUESTION, ""), Sex.NOT_STATED)
    organisation = answers.get(ORGANISATION_QUESTION, "")
    if organisation == OTHER and answers.get(ORGANISATION_OTHER_QUESTION):
        organisation = answers[ORGANISATION_OTHER_QUESTION]

    def given(section: str, skip: tuple[str, ...] = ()) -> dict[str, str]:
        questions = sections[section].questions if section in sections else ()
        return {
            question.name: answers[question.name]
            for question in questions
            if question.name not in skip and answers.get(question.name) and is_relevant(question, answers)
        }

    ratings = {}
    for competency in instrument.competencies:
        importance = answers.get(importance_field(competency.code), "")
        competence = answers.get(competence_field(competency.code), "")
        ratings[competency.code] = Rating(
            int(importance) if importance.isdigit() else None,
            int(competence) if competence.isdigit() else None,
        )
    return Submission(
        key=key,
        source=SOURCE_WEB_FORM,
        submitted_at=submitted_at,
        sex=sex,
        organisation=organisation,
        profile=given(PROFILE_SECTION, (SEX_QUESTION, ORGANISATION_QUESTION)),
        ratings=ratings,
        institutional=given(INSTITUTIONAL_SECTION),
        open_answers=given(OPEN_SECTION),
    )
