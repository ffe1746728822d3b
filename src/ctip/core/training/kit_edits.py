"""The trainer's edits of a delivery kit: checked before they are saved, and kept in the event's stored
document (``TrainingEvent.kit``).

The stored document keeps texts per language, so that a French edit does not replace the English text,
while a session's minutes and the day's hours hold for both languages::

    {"agenda": {"day_start": "08:30"},
     "minutes": {"SCR-S2": 60},
     "en": {"concept_note": {"background": "…"}, "sessions": {"SCR-S1": {"exercise": "…"}}},
     "fr": {…}}

:func:`edits_for` reads one language's edits from it in the form :func:`ctip.core.training.kit.apply_edits`
takes; :func:`clean_edits` refuses unknown parts, fields and sessions and wrong values with one problem each;
:func:`store_edits` merges cleaned edits in (an edit equal to the generated text is dropped, so the kit
keeps following its content where the trainer changed nothing) and :func:`reset_edits` puts a part back as
generated.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem
from ctip.core.training import kit_text as text
from ctip.core.training.agenda import clock, settings_for
from ctip.core.training.kit import (
    AGENDA_FIELDS,
    CONCEPT_NOTE_SECTIONS,
    LANGUAGES,
    MAX_LIST,
    MAX_TEXT,
    PARTS,
    SESSION_FIELDS,
    SESSION_LISTS,
    SESSION_MINUTES,
    SESSION_TEXTS,
    Kit,
    list_value,
    minutes_value,
    text_value,
)


def _problem(problems: list[FieldProblem], where: str, template: str, **params: object) -> None:
    problems.append(FieldProblem(where, template, params))


def _clean_text(
    value: object, where: str, problems: list[FieldProblem], *, required: bool = False
) -> str | None:
    cleaned = text_value(value)
    if cleaned is None:
        _problem(problems, where, text.NEEDS_TEXT)
    elif len(cleaned) > MAX_TEXT:
        _problem(problems, where, text.TOO_LONG, limit=MAX_TEXT, length=len(cleaned))
    elif required and not cleaned:
        _problem(problems, where, text.REQUIRED_TEXT)
    else:
        return cleaned
    return None


def _clean_session(code: str, wanted: object, problems: list[FieldProblem]) -> dict[str, Any]:
    where = f"sessions.{code}"
    if not isinstance(wanted, Mapping):
        _problem(problems, where, text.NEEDS_FIELDS, fields=", ".join(SESSION_FIELDS))
        return {}
    cleaned: dict[str, Any] = {}
    for name, value in wanted.items():
        place = f"{where}.{name}"
        if name in SESSION_TEXTS:
            found = _clean_text(value, place, problems, required=name == "title")
            if found is not None:
                cleaned[name] = found
        elif name in SESSION_LISTS:
            listed = list_value(value)
            if listed is None:
                _problem(problems, place, text.NEEDS_LIST)
            elif len(listed) > MAX_LIST:
                _problem(problems, place, text.TOO_MANY, limit=MAX_LIST, count=len(listed))
            elif any(len(item) > MAX_TEXT for item in listed):
                _problem(problems, place, text.TOO_LONG, limit=MAX_TEXT, length=max(map(len, listed)))
            else:
                cleaned[name] = list(listed)
        elif name == "minutes":
            minutes = minutes_value(value)
            if minutes is None:
                _problem(problems, place, text.BAD_MINUTES, low=SESSION_MINUTES[0], high=SESSION_MINUTES[1])
            else:
                cleaned[name] = minutes
        else:
            _problem(problems, place, text.UNKNOWN_FIELD, name=name, fields=", ".join(SESSION_FIELDS))
    return cleaned


def clean_edits(kit: Kit, edits: object) -> dict[str, Any]:
    """``edits`` checked against ``kit`` before they are saved: texts where texts go (at most 20,000
    characters), lists of texts, minutes from 15 to 480, times of day, and only the parts, fields and
    sessions the kit has. Raises ``invalid_value`` with one problem per fault (located as
    ``sessions.SCR-S1.minutes``); returns the cleaned edits."""
    problems: list[FieldProblem] = []
    if not isinstance(edits, Mapping):
        raise DomainError(ErrorCode.INVALID_VALUE, text.EDITS_NOT_OBJECT)
    cleaned: dict[str, Any] = {}
    for part, values in edits.items():
        if part not in PARTS:
            _problem(problems, str(part), text.UNKNOWN_PART, name=part, parts=", ".join(PARTS))
            continue
        if not isinstance(values, Mapping):
            _problem(problems, part, text.NEEDS_FIELDS, fields="…")
            continue
        if part == "concept_note":
            note: dict[str, str] = {}
            for name, value in values.items():
                if name not in CONCEPT_NOTE_SECTIONS:
                    _problem(
                        problems,
                        f"concept_note.{name}",
                        text.UNKNOWN_FIELD,
                        name=name,
                        fields=", ".join(CONCEPT_NOTE_SECTIONS),
                    )
                    continue
                found = _clean_text(value, f"concept_note.{name}", problems)
                if found is not None:
                    note[name] = found
            cleaned["concept_note"] = note
        elif part == "sessions":
            codes = [session.code for session in kit.sessions]
            sessions: dict[str, dict[str, Any]] = {}
            for code, wanted in values.items():
                if code not in codes:
                    _problem(
                        problems, f"sessions.{code}", text.UNKNOWN_SESSION, code=code, codes=", ".join(codes)
                    )
                    continue
                sessions[code] = _clean_session(code, wanted, problems)
            cleaned["sessions"] = sessions
        else:
            agenda: dict[str, str] = {}
            for name, value in values.items():
                if name not in AGENDA_FIELDS:
                    _problem(
                        problems,
                        f"agenda.{name}",
                        text.UNKNOWN_FIELD,
                        name=name,
                        fields=", ".join(AGENDA_FIELDS),
                    )
                elif not isinstance(value, str):
                    _problem(problems, f"agenda.{name}", text.NEEDS_TEXT)
                else:
                    agenda[name] = value.strip()
            try:
                settings = settings_for(
                    agenda.get("day_start", kit.day_start), agenda.get("day_end", kit.day_end)
                )
            except DomainError as error:
                problems.extend(
                    replace(problem, location=f"agenda.{problem.location}") for problem in error.problems
                )
            else:
                for name in agenda:
                    agenda[name] = clock(getattr(settings, name))
                cleaned["agenda"] = agenda
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, text.EDITS_REFUSED, {"count": len(problems)}, problems=problems
        )
    return cleaned


# --- Stored edits (TrainingEvent.kit) -----------------------------------------------------------------------


STORED_KEYS = ("agenda", "minutes", *LANGUAGES)
"""The keys of the stored document that hold edits; any other key (e.g. ``_settings``, the event's switches
kept by the tests' pages) is left as it is."""


def _language(language: str) -> str:
    return "fr" if language.lower().startswith("fr") else "en"


def edits_for(stored: Mapping[str, Any] | None, language: str) -> dict[str, Any]:
    """The edits of one language from the stored document ``{"agenda": {…}, "minutes": {code: n},
    "en": {"concept_note": {…}, "sessions": {…}}, "fr": {…}}``, as :func:`apply_edits` takes them."""
    if not isinstance(stored, Mapping):
        return {}
    texts = stored.get(_language(language))
    flat: dict[str, Any] = {}
    if isinstance(texts, Mapping):
        if isinstance(texts.get("concept_note"), Mapping):
            flat["concept_note"] = dict(texts["concept_note"])
        if isinstance(texts.get("sessions"), Mapping):
            flat["sessions"] = {
                code: dict(values)
                for code, values in texts["sessions"].items()
                if isinstance(values, Mapping)
            }
    minutes = stored.get("minutes")
    if isinstance(minutes, Mapping):
        sessions = flat.setdefault("sessions", {})
        for code, value in minutes.items():
            sessions.setdefault(code, {})["minutes"] = value
    if isinstance(stored.get("agenda"), Mapping):
        flat["agenda"] = dict(stored["agenda"])
    return flat


def _json_copy(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    return copy.deepcopy(dict(stored)) if isinstance(stored, Mapping) else {}


def store_edits(
    stored: Mapping[str, Any] | None, generated: Kit, cleaned: Mapping[str, Any]
) -> dict[str, Any]:
    """The stored document with ``cleaned`` edits (from :func:`clean_edits`) of ``generated.language``
    merged in. A value equal to the generated one removes the edit, so that the kit follows later changes
    of the content (and of the needs assessment) where the trainer changed nothing."""
    document = _json_copy(stored)
    texts = document.setdefault(generated.language, {})
    if not isinstance(texts, dict):
        texts = document[generated.language] = {}
    note = cleaned.get("concept_note", {})
    if note:
        section_edits = texts.setdefault("concept_note", {})
        for name, value in note.items():
            if value == getattr(generated.concept_note, name):
                section_edits.pop(name, None)
            else:
                section_edits[name] = value
    for code, values in cleaned.get("sessions", {}).items():
        session = generated.session(code)
        if session is None:
            continue
        session_edits = texts.setdefault("sessions", {}).setdefault(code, {})
        for name, value in values.items():
            same = (
                list(getattr(session, name)) if name in SESSION_LISTS else getattr(session, name)
            ) == value
            if name == "minutes":
                minutes = document.setdefault("minutes", {})
                if same:
                    minutes.pop(code, None)
                else:
                    minutes[code] = value
            elif same:
                session_edits.pop(name, None)
            else:
                session_edits[name] = value
    agenda = cleaned.get("agenda", {})
    if agenda:
        agenda_edits = document.setdefault("agenda", {})
        for name, value in agenda.items():
            if value == getattr(generated, name):
                agenda_edits.pop(name, None)
            else:
                agenda_edits[name] = value
    return _pruned(document)


def reset_edits(stored: Mapping[str, Any] | None, language: str, part: str) -> dict[str, Any]:
    """The stored document without the edits of ``part``: ``all`` (every edit, in both languages),
    ``concept_note`` or ``sessions.<code>`` (in ``language``; a session's minutes too) or ``agenda``. Raises
    ``invalid_value`` for another part."""
    document = _json_copy(stored)
    texts = document.get(_language(language))
    if part == "all":
        return {key: value for key, value in document.items() if key not in STORED_KEYS}
    if part == "concept_note":
        if isinstance(texts, dict):
            texts.pop("concept_note", None)
    elif part == "agenda":
        document.pop("agenda", None)
    elif part.startswith("sessions.") and len(part) > len("sessions."):
        code = part[len("sessions.") :]
        if isinstance(texts, dict) and isinstance(texts.get("sessions"), dict):
            texts["sessions"].pop(code, None)
        if isinstance(document.get("minutes"), dict):
            document["minutes"].pop(code, None)
    else:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            text.UNKNOWN_RESET,
            {"part": part},
            problems=[FieldProblem("part", text.RESET_PARTS)],
        )
    return _pruned(document)


def _pruned(document: dict[str, Any]) -> dict[str, Any]:
    """Without empty objects, so that a kit with nothing edited stores ``{}``."""
    kept: dict[str, Any] = {}
    for key, value in document.items():
        inner = _pruned(value) if isinstance(value, dict) else value
        if inner != {}:
            kept[key] = inner
    return kept
