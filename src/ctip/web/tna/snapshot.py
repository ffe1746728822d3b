"""The built instrument as JSON (``SurveyInstrument.snapshot``) and back.

An instrument keeps the questions, choices and competencies it was built with, so that answers collected
with it can still be imported after the workspace's framework changed. Plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ctip.core.tna.model import Choice, Competency, CompetencyLevel, Instrument, Question, Text

SNAPSHOT_VERSION = 1


def _text(value: Text) -> dict[str, str]:
    return {"en": value.en, "fr": value.fr}


def _text_from(value: Any) -> Text:
    if isinstance(value, Mapping):
        return Text(str(value.get("en", "")), str(value.get("fr", "")))
    return Text(str(value or ""))


def competency_to_json(competency: Competency) -> dict[str, Any]:
    return {
        "code": competency.code,
        "title": _text(competency.title),
        "description": _text(competency.description),
        "pillar": competency.pillar,
        "chain_stage": competency.chain_stage,
        "level": CompetencyLevel(competency.level).value,
        "target_types": list(competency.target_types),
        "child_sensitive": competency.child_sensitive,
        "gender_sensitive": competency.gender_sensitive,
    }


def competency_from_json(data: Mapping[str, Any]) -> Competency:
    return Competency(
        code=str(data["code"]),
        title=_text_from(data.get("title")),
        description=_text_from(data.get("description")),
        pillar=str(data.get("pillar", "")),
        chain_stage=str(data.get("chain_stage", "")),
        level=CompetencyLevel(data.get("level", CompetencyLevel.FOUNDATIONAL.value)),
        target_types=tuple(str(code) for code in data.get("target_types", ())),
        child_sensitive=bool(data.get("child_sensitive", False)),
        gender_sensitive=bool(data.get("gender_sensitive", False)),
    )


def _question(question: Question) -> dict[str, Any]:
    return {
        "name": question.name,
        "label": _text(question.label),
        "kind": question.kind,
        "choices": [{"name": c.name, "label": _text(c.label)} for c in question.choices],
        "required": question.required,
        "hint": _text(question.hint),
        "relevant": question.relevant,
        "constraint": question.constraint,
    }


def _question_from(data: Mapping[str, Any]) -> Question:
    return Question(
        name=str(data["name"]),
        label=_text_from(data.get("label")),
        kind=str(data.get("kind", "text")),
        choices=tuple(
            Choice(str(choice["name"]), _text_from(choice.get("label"))) for choice in data.get("choices", ())
        ),
        required=bool(data.get("required", False)),
        hint=_text_from(data.get("hint")),
        relevant=str(data.get("relevant", "")),
        constraint=str(data.get("constraint", "")),
    )


def instrument_to_json(instrument: Instrument) -> dict[str, Any]:
    return {
        "snapshot_version": SNAPSHOT_VERSION,
        "title": _text(instrument.title),
        "form_id": instrument.form_id,
        "version": instrument.version,
        "scale_max": instrument.scale_max,
        "competencies": [competency_to_json(c) for c in instrument.competencies],
        "profile_questions": [_question(q) for q in instrument.profile_questions],
        "institutional_questions": [_question(q) for q in instrument.institutional_questions],
        "open_questions": [_question(q) for q in instrument.open_questions],
        "consent": _text(instrument.consent),
        "languages": list(instrument.languages),
    }


def instrument_from_json(data: Mapping[str, Any]) -> Instrument:
    return Instrument(
        title=_text_from(data.get("title")),
        form_id=str(data["form_id"]),
        version=str(data.get("version", "")),
        scale_max=int(data.get("scale_max", 5)),
        competencies=tuple(competency_from_json(c) for c in data.get("competencies", ())),
        profile_questions=tuple(_question_from(q) for q in data.get("profile_questions", ())),
        institutional_questions=tuple(_question_from(q) for q in data.get("institutional_questions", ())),
        open_questions=tuple(_question_from(q) for q in data.get("open_questions", ())),
        consent=_text_from(data.get("consent")),
        languages=tuple(str(code) for code in data.get("languages", ("en", "fr"))),
    )
