"""The delivery kit of a training event: concept note, agenda, trainer's manual and slides, generated from
the event's facts, its modules' content (:mod:`.content`) and the needs assessment's findings, in English or
French, with the trainer's edits on top.

:func:`build_kit` writes the kit from :class:`KitInputs`; its fixed sentences are marked with ``_`` and go
through the ``translate`` callable (the web layer passes ``gettext``), the module content comes in the kit's
language. A module without content in the library falls back to its catalogue entry (title, summary,
child- and gender-sensitive content) with one session that says so, for the trainer to write.

The trainer's edits are replacements, by part and field::

    {"concept_note": {"background": "…"},
     "sessions": {"SCR-S1": {"exercise": "…", "key_points": ["…", "…"], "minutes": 60}},
     "agenda": {"day_start": "08:30", "day_end": "17:00"}}

:func:`apply_edits` lays them on a kit (unknown parts, fields and sessions are ignored, so a kit still opens
after its modules change); :func:`clean_edits` checks edits before they are saved and refuses unknown keys
and wrong values with one problem each. Texts are kept per language (a French edit does not replace the
English text) while a session's minutes and the day's hours hold for both: :func:`edits_for` reads the
edits of one language from the stored document and :func:`store_edits` / :func:`reset_edits` write it.

Texts use two marks that the documents understand: a blank line between paragraphs, and ``- `` at the start
of a line for a bullet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ctip.core.errors import DomainError
from ctip.core.training import kit_text as text
from ctip.core.training.agenda import (
    Agenda,
    AgendaSession,
    build_agenda,
    clock,
    settings_for,
    suggest_day_end,
    working_days,
)
from ctip.core.training.content import ModuleContent, teaching_minutes

Translate = text.Translate

CONCEPT_NOTE_SECTIONS = (
    "background",
    "objectives",
    "learning_outcomes",
    "methodology",
    "participant_profile",
    "expected_results",
    "evaluation",
)
SESSION_TEXTS = ("title", "exercise", "handout")
SESSION_LISTS = ("objectives", "key_points", "practice_notes")
SESSION_FIELDS = ("title", "minutes", *SESSION_LISTS, "exercise", "handout")
AGENDA_FIELDS = ("day_start", "day_end")
PARTS = ("concept_note", "sessions", "agenda")
LANGUAGES = ("en", "fr")
MAX_TEXT = 20_000
MAX_LIST = 30
SESSION_MINUTES = (15, 480)


def _same(template: str) -> str:
    return template


# --- Inputs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trainer:
    name: str
    origin: str = ""
    """``national`` or ``international`` (``ctip.core.training.model.TrainerOrigin``); empty when unknown."""


@dataclass(frozen=True)
class Finding:
    """What the needs assessment found for one competency."""

    code: str
    name: str
    mwds: float | None
    """Mean weighted discrepancy score (Borich): larger means a larger need."""
    share_with_gap: float | None
    """Share (0–1) of respondents who rate their competence below its importance."""
    n: int


@dataclass(frozen=True)
class KitModule:
    code: str
    title: str
    summary: str = ""
    sensitivity: str = ""
    """The catalogue's child- and gender-sensitive content, in the kit's language."""
    competencies: tuple[str, ...] = ()
    duration_days: float = 1.0
    content: ModuleContent | None = None


@dataclass(frozen=True)
class ParticipantProfile:
    """The participants registered so far (no names: counts only)."""

    female: int = 0
    male: int = 0
    not_stated: int = 0
    organisations: tuple[tuple[str, int], ...] = ()
    """Organisation → participants, largest first."""

    @property
    def total(self) -> int:
        return self.female + self.male + self.not_stated


@dataclass(frozen=True)
class KitInputs:
    code: str
    title: str
    start_date: dt.date
    end_date: dt.date
    location: str
    language: str = "en"
    venue: str = ""
    trainers: tuple[Trainer, ...] = ()
    audience: str = ""
    target_female: int = 0
    target_male: int = 0
    pass_mark: int = 70
    modules: tuple[KitModule, ...] = ()
    findings: tuple[Finding, ...] = ()
    profile: ParticipantProfile = field(default_factory=ParticipantProfile)
    organisation: str = ""
    """Who runs the training (the workspace's name), for the documents' title page."""


# --- The kit ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConceptNote:
    background: str
    objectives: str
    learning_outcomes: str
    methodology: str
    participant_profile: str
    expected_results: str
    evaluation: str

    def sections(self) -> tuple[tuple[str, str], ...]:
        """``(name, text)`` in the note's order."""
        return tuple((name, getattr(self, name)) for name in CONCEPT_NOTE_SECTIONS)


@dataclass(frozen=True)
class KitSession:
    code: str
    module: str
    module_title: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]
    exercise: str
    handout: str
    practice_notes: tuple[str, ...]
    from_library: bool
    """False for a module without content: the session is the catalogue's entry, to be written."""


@dataclass(frozen=True)
class ManualModule:
    """The manual's chapter for one module."""

    code: str
    title: str
    summary: str
    sessions: tuple[KitSession, ...]


@dataclass(frozen=True)
class KitSlide:
    title: str
    bullets: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Kit:
    inputs: KitInputs
    language: str
    concept_note: ConceptNote
    sessions: tuple[KitSession, ...]
    agenda: Agenda
    slides: tuple[KitSlide, ...]
    day_start: str
    day_end: str
    edited: frozenset[str] = frozenset()
    """The fields the trainer changed: ``concept_note.background``, ``sessions.SCR-S1.exercise``,
    ``agenda.day_start``…"""
    translate: Translate = field(default=_same, compare=False, repr=False)

    @property
    def manual(self) -> tuple[ManualModule, ...]:
        chapters = []
        for module in self.inputs.modules:
            sessions = tuple(session for session in self.sessions if session.module == module.code)
            chapters.append(ManualModule(module.code, module.title, module.summary, sessions))
        return tuple(chapters)

    def session(self, code: str) -> KitSession | None:
        return next((session for session in self.sessions if session.code == code), None)

    def suggested_day_end(self) -> str:
        """The earliest end of the day (``HH:MM``, 18:00 at the latest) at which the agenda fits in the
        event's days; empty when it fits already or when no such hour exists."""
        end = suggest_day_end(
            working_days(self.inputs.start_date, self.inputs.end_date),
            _agenda_sessions(self.sessions),
            self.agenda.settings,
        )
        return clock(end) if end is not None else ""


# --- Generating --------------------------------------------------------------------------------------------


def _sessions(module: KitModule, language: str, t: Translate) -> tuple[KitSession, ...]:
    content = module.content
    sensitivity = tuple(line.strip() for line in module.sensitivity.splitlines() if line.strip())
    if content is None or not content.sessions:
        return (
            KitSession(
                code=f"{module.code}-S1",
                module=module.code,
                module_title=module.title,
                title=module.title,
                minutes=teaching_minutes(module.duration_days),
                objectives=(),
                key_points=tuple(filter(None, [module.summary.strip()])),
                exercise=t(text.NO_SESSION_PLAN),
                handout=t(text.NO_SESSION_PLAN),
                practice_notes=sensitivity,
                from_library=False,
            ),
        )
    notes = content.practice_notes.get(language) or sensitivity
    sessions = []
    for plan in content.sessions:
        objectives = tuple(
            found.text.get(language)
            for code in plan.objectives
            if (found := content.objective(code)) is not None
        )
        sessions.append(
            KitSession(
                code=plan.code,
                module=module.code,
                module_title=module.title,
                title=plan.title.get(language),
                minutes=plan.minutes,
                objectives=objectives,
                key_points=plan.key_points.get(language),
                exercise=plan.exercise.get(language),
                handout=plan.handout.get(language),
                practice_notes=tuple(notes),
                from_library=True,
            )
        )
    return tuple(sessions)


def _agenda_sessions(sessions: Sequence[KitSession]) -> list[AgendaSession]:
    return [
        AgendaSession(session.code, session.title, session.minutes, session.module, session.module_title)
        for session in sessions
    ]


def _agenda(inputs: KitInputs, sessions: Sequence[KitSession], day_start: str, day_end: str) -> Agenda:
    return build_agenda(
        working_days(inputs.start_date, inputs.end_date),
        _agenda_sessions(sessions),
        settings_for(day_start, day_end),
    )


def _slides(
    inputs: KitInputs, concept: ConceptNote, sessions: Sequence[KitSession], agenda: Agenda, t: Translate
) -> tuple[KitSlide, ...]:
    return tuple(
        KitSlide(title, bullets, notes)
        for title, bullets, notes in text.slide_texts(inputs, concept.learning_outcomes, sessions, agenda, t)
    )


def build_kit(
    inputs: KitInputs, *, translate: Translate = _same, edits: Mapping[str, Any] | None = None
) -> Kit:
    """The kit as generated, with ``edits`` (:func:`edits_for`) applied when given."""
    language = "fr" if inputs.language.lower().startswith("fr") else "en"
    inputs = replace(inputs, language=language)
    sessions = tuple(
        session for module in inputs.modules for session in _sessions(module, language, translate)
    )
    start, end = clock(settings_for().day_start), clock(settings_for().day_end)
    agenda = _agenda(inputs, sessions, start, end)
    concept = ConceptNote(**text.concept_note_sections(inputs, sessions, agenda, translate))
    kit = Kit(
        inputs=inputs,
        language=language,
        concept_note=concept,
        sessions=sessions,
        agenda=agenda,
        slides=_slides(inputs, concept, sessions, agenda, translate),
        day_start=start,
        day_end=end,
        translate=translate,
    )
    return apply_edits(kit, edits) if edits else kit


# --- Edits -------------------------------------------------------------------------------------------------


def text_value(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def list_value(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        return None
    return tuple(item.strip() for item in value if item.strip())


def minutes_value(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if SESSION_MINUTES[0] <= value <= SESSION_MINUTES[1] else None


def _session_changes(wanted: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in SESSION_TEXTS:
        value = text_value(wanted.get(name))
        if value is not None and (value or name != "title"):
            changes[name] = value
    for name in SESSION_LISTS:
        listed = list_value(wanted.get(name))
        if listed is not None:
            changes[name] = listed
    minutes = minutes_value(wanted.get("minutes"))
    if minutes is not None:
        changes["minutes"] = minutes
    return changes


def apply_edits(kit: Kit, edits: Mapping[str, Any] | None) -> Kit:
    """``kit`` with the trainer's ``edits`` laid on it; the agenda and the slides follow the edited sessions.
    Unknown parts, fields and sessions, and values of the wrong kind, are ignored."""
    if not edits:
        return kit
    edited: set[str] = set(kit.edited)
    concept = kit.concept_note
    note_edits = edits.get("concept_note")
    if isinstance(note_edits, Mapping):
        sections: dict[str, str] = {}
        for name in CONCEPT_NOTE_SECTIONS:
            value = text_value(note_edits.get(name))
            if value is not None:
                sections[name] = value
                edited.add(f"concept_note.{name}")
        concept = replace(concept, **sections)
    sessions = list(kit.sessions)
    session_edits = edits.get("sessions")
    if isinstance(session_edits, Mapping):
        for index, session in enumerate(sessions):
            wanted = session_edits.get(session.code)
            if isinstance(wanted, Mapping):
                changes = _session_changes(wanted)
                edited.update(f"sessions.{session.code}.{name}" for name in changes)
                sessions[index] = replace(session, **changes)
    day_start, day_end = kit.day_start, kit.day_end
    agenda_edits = edits.get("agenda")
    if isinstance(agenda_edits, Mapping):
        try:
            settings = settings_for(
                str(agenda_edits.get("day_start") or day_start), str(agenda_edits.get("day_end") or day_end)
            )
        except DomainError:
            settings = None
        if settings is not None:
            new_start, new_end = clock(settings.day_start), clock(settings.day_end)
            edited.update(f"agenda.{name}" for name in AGENDA_FIELDS if name in agenda_edits)
            day_start, day_end = new_start, new_end
    agenda = _agenda(kit.inputs, sessions, day_start, day_end)
    return replace(
        kit,
        concept_note=concept,
        sessions=tuple(sessions),
        agenda=agenda,
        slides=_slides(kit.inputs, concept, sessions, agenda, kit.translate),
        day_start=day_start,
        day_end=day_end,
        edited=frozenset(edited),
    )


# --- As JSON -----------------------------------------------------------------------------------------------


def kit_to_json(kit: Kit) -> dict[str, Any]:
    """The kit as plain JSON values (for the API and for tests)."""
    return {
        "code": kit.inputs.code,
        "title": kit.inputs.title,
        "language": kit.language,
        "concept_note": dict(kit.concept_note.sections()),
        "sessions": [
            {
                "code": session.code,
                "module": session.module,
                "title": session.title,
                "minutes": session.minutes,
                "objectives": list(session.objectives),
                "key_points": list(session.key_points),
                "exercise": session.exercise,
                "handout": session.handout,
                "practice_notes": list(session.practice_notes),
                "from_library": session.from_library,
            }
            for session in kit.sessions
        ],
        "agenda": {
            "day_start": kit.day_start,
            "day_end": kit.day_end,
            "event_days": kit.agenda.event_days,
            "days_needed": kit.agenda.days_needed,
            "teaching_minutes": kit.agenda.teaching_minutes,
            "days": [
                {
                    "number": day.number,
                    "date": day.date.isoformat(),
                    "extra": day.extra,
                    "blocks": [
                        {
                            "start": block.start_text,
                            "end": block.end_text,
                            "kind": block.kind.value,
                            "session": block.session,
                            "title": block.title,
                            "continued": block.continued,
                        }
                        for block in day.blocks
                    ],
                }
                for day in kit.agenda.days
            ],
        },
        "slides": [
            {"title": slide.title, "bullets": list(slide.bullets), "notes": slide.notes}
            for slide in kit.slides
        ],
        "edited": sorted(kit.edited),
    }
