"""The reaction survey (Kirkpatrick level 1, at the end of a training) and the follow-up survey (level 3,
three to six months later): their questions in English and French, the cleaning of one response and the
summaries shown on the event's page and in its report.

Stored answers are keyed by question name: Likert answers are integers 1–5, counts are integers ≥ 0,
``select_one`` answers are the choice name, ``select_multiple`` answers a list of choice names in the
questionnaire's order, text answers a stripped string. Blank answers are left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import SurveyKind


@dataclass(frozen=True)
class Label:
    """A text in English and French (French falls back to English when missing)."""

    en: str
    fr: str = ""

    def get(self, language: str) -> str:
        return (self.fr or self.en) if language.lower().startswith("fr") else self.en


class QuestionKind(StrEnum):
    LIKERT = "likert"
    """Agreement with a statement, 1 (strongly disagree) to 5 (strongly agree)."""
    INTEGER = "integer"
    """A count, 0 or more."""
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    TEXT = "text"


@dataclass(frozen=True)
class SurveyQuestion:
    name: str
    kind: str
    """A :class:`QuestionKind` value."""
    label: Label
    choices: tuple[tuple[str, Label], ...] = ()
    required: bool = True

    def choice_names(self) -> tuple[str, ...]:
        if self.kind == QuestionKind.LIKERT:
            return tuple(name for name, _label in LIKERT_SCALE)
        return tuple(name for name, _label in self.choices)

    def choice_label(self, name: str, language: str) -> str:
        for choice, label in LIKERT_SCALE if self.kind == QuestionKind.LIKERT else self.choices:
            if choice == name:
                return label.get(language)
        return name


LIKERT_SCALE: tuple[tuple[str, Label], ...] = (
    ("1", Label("Strongly disagree", "Pas du tout d'accord")),
    ("2", Label("Disagree", "Pas d'accord")),
    ("3", Label("Neither agree nor disagree", "Ni d'accord ni pas d'accord")),
    ("4", Label("Agree", "D'accord")),
    ("5", Label("Strongly agree", "Tout à fait d'accord")),
)
AGREE_VALUES = (4, 5)
NONE_CHOICE = "none"
"""The exclusive "none of these" choice of ``tools_used``."""

REACTION: tuple[SurveyQuestion, ...] = (
    SurveyQuestion(
        "satisfaction",
        QuestionKind.LIKERT,
        Label(
            "Overall, I am satisfied with this training.",
            "Dans l'ensemble, je suis satisfait·e de cette formation.",
        ),
    ),
    SurveyQuestion(
        "relevance",
        QuestionKind.LIKERT,
        Label("The training is relevant to my work.", "La formation est utile pour mon travail."),
    ),
    SurveyQuestion(
        "trainers",
        QuestionKind.LIKERT,
        Label(
            "The trainers knew the subject and explained it clearly.",
            "Les formateurs maîtrisaient le sujet et l'ont expliqué clairement.",
        ),
    ),
    SurveyQuestion(
        "materials",
        QuestionKind.LIKERT,
        Label(
            "The training materials (handouts, exercises, case studies) were useful.",
            "Les supports de formation (documents, exercices, études de cas) étaient utiles.",
        ),
    ),
    SurveyQuestion(
        "organisation",
        QuestionKind.LIKERT,
        Label(
            "The organisation and the venue were good.",
            "L'organisation et le lieu de la formation étaient bons.",
        ),
    ),
    SurveyQuestion(
        "confidence",
        QuestionKind.LIKERT,
        Label(
            "I feel confident to apply what I learnt in my work.",
            "Je me sens capable d'appliquer ce que j'ai appris dans mon travail.",
        ),
    ),
    SurveyQuestion(
        "most_useful",
        QuestionKind.TEXT,
        Label(
            "What was the most useful part of the training?",
            "Quelle a été la partie la plus utile de la formation ?",
        ),
        required=False,
    ),
    SurveyQuestion(
        "improve",
        QuestionKind.TEXT,
        Label("What should be improved?", "Que faudrait-il améliorer ?"),
        required=False,
    ),
)

APPLIED_CHOICES: tuple[tuple[str, Label], ...] = (
    ("yes", Label("Yes", "Oui")),
    ("partly", Label("Partly", "En partie")),
    ("no", Label("No", "Non")),
)
TOOL_CHOICES: tuple[tuple[str, Label], ...] = (
    ("screening_form", Label("Screening form", "Formulaire de détection")),
    ("referral_form", Label("Referral form", "Formulaire d'orientation")),
    ("sops", Label("Standard operating procedures", "Procédures opérationnelles standard")),
    ("interview_guide", Label("Interview guide", "Guide d'entretien")),
    (NONE_CHOICE, Label("None of these", "Aucun de ces outils")),
)

FOLLOW_UP: tuple[SurveyQuestion, ...] = (
    SurveyQuestion(
        "screenings",
        QuestionKind.INTEGER,
        Label(
            "Since the training, how many people have you screened for signs of trafficking?",
            "Depuis la formation, combien de personnes avez-vous soumises à une détection des signes de traite ?",
        ),
    ),
    SurveyQuestion(
        "referrals",
        QuestionKind.INTEGER,
        Label(
            "Since the training, how many presumed victims have you referred through the national referral "
            "mechanism?",
            "Depuis la formation, combien de victimes présumées avez-vous orientées par le mécanisme national "
            "d'orientation ?",
        ),
    ),
    SurveyQuestion(
        "tools_used",
        QuestionKind.SELECT_MULTIPLE,
        Label(
            "Which tools from the training have you used? (select all that apply)",
            "Quels outils de la formation avez-vous utilisés ? (plusieurs réponses possibles)",
        ),
        choices=TOOL_CHOICES,
    ),
    SurveyQuestion(
        "applied",
        QuestionKind.SELECT_ONE,
        Label(
            "Have you applied what you learnt in your work?",
            "Avez-vous appliqué ce que vous avez appris dans votre travail ?",
        ),
        choices=APPLIED_CHOICES,
    ),
    SurveyQuestion(
        "example",
        QuestionKind.TEXT,
        Label(
            "Give an example of how you used what you learnt.",
            "Donnez un exemple de la façon dont vous avez utilisé ce que vous avez appris.",
        ),
        required=False,
    ),
    SurveyQuestion(
        "barriers",
        QuestionKind.TEXT,
        Label(
            "What, if anything, has made it difficult to apply what you learnt?",
            "Qu'est-ce qui a pu rendre difficile l'application de ce que vous avez appris ?",
        ),
        required=False,
    ),
)

SURVEY_TITLES: dict[SurveyKind, Label] = {
    SurveyKind.REACTION: Label("Training reaction survey", "Questionnaire d'appréciation de la formation"),
    SurveyKind.FOLLOW_UP: Label("Training follow-up survey", "Questionnaire de suivi de la formation"),
}

_SEPARATORS = re.compile(r"[\s,;]+")


def questions(kind: SurveyKind | str) -> tuple[SurveyQuestion, ...]:
    """The questions of the ``kind`` survey, in the questionnaire's order."""
    survey = SurveyKind(kind)
    return REACTION if survey is SurveyKind.REACTION else FOLLOW_UP


def question(kind: SurveyKind | str, name: str) -> SurveyQuestion | None:
    return next((q for q in questions(kind) if q.name == name), None)


def likert_questions(kind: SurveyKind | str = SurveyKind.REACTION) -> tuple[SurveyQuestion, ...]:
    return tuple(q for q in questions(kind) if q.kind == QuestionKind.LIKERT)


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, Sequence):
        return all(_is_blank(part) for part in value)
    return False


def _as_whole_number(value: object) -> int | None:
    """``3``, ``"3"``, ``"3.0"`` or ``3.0`` → 3; anything else (``"3.5"``, ``"three"``, ``True``) → None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(float(text))
    return None


def _split_choices(value: object) -> list[str]:
    if isinstance(value, str):
        parts = _SEPARATORS.split(value)
    elif isinstance(value, Sequence):
        parts = [str(part) for part in value]
    else:
        parts = [str(value)]
    return [part.strip() for part in parts if part and part.strip()]


def _clean_one(q: SurveyQuestion, value: object) -> tuple[Any, FieldProblem | None]:
    if q.kind == QuestionKind.TEXT:
        text = " ".join(value) if isinstance(value, Sequence) and not isinstance(value, str) else str(value)
        return text.strip(), None
    if q.kind == QuestionKind.LIKERT:
        number = _as_whole_number(value)
        if number is None or not 1 <= number <= 5:
            return None, FieldProblem(
                q.name,
                _(
                    "“%(value)s” is not an answer on the scale: give a whole number from 1 (strongly disagree) "
                    "to 5 (strongly agree)."
                ),
                {"value": value},
            )
        return number, None
    if q.kind == QuestionKind.INTEGER:
        number = _as_whole_number(value)
        if number is None or number < 0:
            return None, FieldProblem(
                q.name, _("“%(value)s” is not a count: give a whole number, 0 or more."), {"value": value}
            )
        return number, None
    names = q.choice_names()
    by_lower = {name.lower(): name for name in names}
    chosen = _split_choices(value)
    unknown = [part for part in chosen if part.lower() not in by_lower]
    if unknown:
        return None, FieldProblem(
            q.name,
            _("“%(value)s” is not one of the choices; use %(choices)s."),
            {"value": " ".join(unknown), "choices": ", ".join(names)},
        )
    keys = {by_lower[part.lower()] for part in chosen}
    if q.kind == QuestionKind.SELECT_ONE:
        if len(keys) > 1:
            return None, FieldProblem(
                q.name, _("Only one choice is allowed here, not “%(value)s”."), {"value": " ".join(chosen)}
            )
        return keys.pop(), None
    if NONE_CHOICE in keys and len(keys) > 1:
        return None, FieldProblem(
            q.name,
            _(
                "“%(none)s” cannot be chosen together with other tools; keep either “%(none)s” or the tools used."
            ),
            {"none": NONE_CHOICE},
        )
    return [name for name in names if name in keys], None


def clean_answers(
    kind: SurveyKind | str, raw: Mapping[str, str | Sequence[str]], *, enforce_required: bool = True
) -> dict[str, Any]:
    """The answers of one response, checked and typed (see the module's docstring).

    Keys that are not question names are ignored. Raises :class:`DomainError` with one
    :class:`FieldProblem` per bad or missing required answer, located at the question's name. With
    ``enforce_required=False`` (imports of responses collected elsewhere) a blank answer is an unanswered
    question whatever the question; the answers given are still checked.
    """
    cleaned: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for q in questions(kind):
        value = raw.get(q.name)
        if _is_blank(value):
            if q.required and enforce_required:
                problems.append(FieldProblem(q.name, _("An answer is required.")))
            continue
        answer, problem = _clean_one(q, value)
        if problem is not None:
            problems.append(problem)
        elif answer not in ("", [], None):
            cleaned[q.name] = answer
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Some answers of the survey are missing or not valid; correct them and try again."),
            problems=problems,
        )
    return cleaned


def _count(value: object) -> int:
    number = _as_whole_number(value) if value is not None else None
    return number if number is not None and number > 0 else 0


def applied_training(answers: Mapping[str, Any]) -> bool:
    """Whether a follow-up respondent applied the training: answered yes or partly, or screened someone,
    or referred someone through the national referral mechanism, or used one of the tools."""
    if str(answers.get("applied") or "").lower() in ("yes", "partly"):
        return True
    if _count(answers.get("screenings")) > 0 or _count(answers.get("referrals")) > 0:
        return True
    tools = answers.get("tools_used") or []
    if isinstance(tools, str):
        tools = _split_choices(tools)
    return any(str(tool) != NONE_CHOICE for tool in tools)


def _mean_sd(values: Sequence[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(variance)


def _texts(responses: Sequence[Mapping[str, Any]], name: str) -> list[str]:
    return [str(r[name]).strip() for r in responses if not _is_blank(r.get(name))]


def summarise_reactions(responses: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per Likert question of the reaction survey: ``n`` (answers), ``mean``, ``sd`` (sample standard
    deviation, ``None`` below two answers), ``distribution`` (count per value 1–5) and ``agree_percent``
    (share answering 4 or 5, per cent of ``n``); plus the open answers under ``comments``."""
    result: dict[str, Any] = {"n": len(responses), "questions": {}, "comments": {}}
    for q in REACTION:
        if q.kind == QuestionKind.TEXT:
            result["comments"][q.name] = _texts(responses, q.name)
            continue
        values = [
            number
            for r in responses
            if (number := _as_whole_number(r.get(q.name)) if r.get(q.name) is not None else None) is not None
            and 1 <= number <= 5
        ]
        mean, sd = _mean_sd(values)
        agree = sum(1 for v in values if v in AGREE_VALUES)
        result["questions"][q.name] = {
            "n": len(values),
            "mean": mean,
            "sd": sd,
            "distribution": {value: values.count(value) for value in range(1, 6)},
            "agree_percent": 100.0 * agree / len(values) if values else None,
        }
    return result


def summarise_follow_up(responses: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The follow-up survey in figures: ``n`` respondents, ``screenings_total`` and ``screenings_mean``
    (over respondents who answered), ``referrals_total`` and ``referrals_mean``, ``applied_count`` and
    ``application_rate`` (per cent of ``n``, see :func:`applied_training`), ``applied`` (count per choice),
    ``tools`` (count per tool) and the ``examples`` and ``barriers`` given."""
    n = len(responses)
    screenings = [_count(r.get("screenings")) for r in responses if not _is_blank(r.get("screenings"))]
    referrals = [_count(r.get("referrals")) for r in responses if not _is_blank(r.get("referrals"))]
    tools = {name: 0 for name, _label in TOOL_CHOICES}
    applied = {name: 0 for name, _label in APPLIED_CHOICES}
    for r in responses:
        used = r.get("tools_used") or []
        for tool in set(_split_choices(used) if isinstance(used, str) else map(str, used)):
            if tool in tools:
                tools[tool] += 1
        answer = str(r.get("applied") or "")
        if answer in applied:
            applied[answer] += 1
    applied_count = sum(1 for r in responses if applied_training(r))
    return {
        "n": n,
        "screenings_total": sum(screenings),
        "screenings_mean": sum(screenings) / len(screenings) if screenings else None,
        "referrals_total": sum(referrals),
        "referrals_mean": sum(referrals) / len(referrals) if referrals else None,
        "applied_count": applied_count,
        "application_rate": 100.0 * applied_count / n if n else None,
        "applied": applied,
        "tools": tools,
        "examples": _texts(responses, "example"),
        "barriers": _texts(responses, "barriers"),
    }
