"""The shared vocabulary of the TNA: competencies, the survey instrument and one survey submission.

Every intake path (KoboToolbox and ODK exports, the Kobo API, other spreadsheets through a column mapping,
the built-in web form) ends in :class:`Submission` records, keyed by a stable submission key, so the web
layer stores them the same way whatever their source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class CompetencyLevel(StrEnum):
    FOUNDATIONAL = "foundational"
    SPECIALISED = "specialised"


@dataclass(frozen=True)
class Text:
    """A label in English and French (French falls back to English when missing)."""

    en: str
    fr: str = ""

    def get(self, language: str) -> str:
        return (self.fr or self.en) if language.startswith("fr") else self.en


@dataclass(frozen=True)
class Competency:
    code: str  # e.g. "ID01"; letters, digits and underscores only (it becomes part of XLSForm names)
    title: Text
    description: Text
    pillar: str  # ctip.core.stakeholders.Pillar value
    chain_stage: str  # ctip.core.stakeholders.ChainStage value
    level: CompetencyLevel
    target_types: tuple[str, ...] = ()  # organisation type codes; empty = everyone
    child_sensitive: bool = False
    gender_sensitive: bool = False


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"  # "prefer not to say", or missing in the data


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text


@dataclass(frozen=True)
class Question:
    """A non-rating question of the instrument (profile, institutional or open question)."""

    name: str  # XLSForm name, e.g. "sex", "sop_in_place"
    label: Text
    kind: str  # "select_one", "select_multiple", "integer", "text", "date"
    choices: tuple[Choice, ...] = ()
    required: bool = False
    hint: Text = Text("")
    relevant: str = ""  # an XLSForm relevance expression, e.g. "${prior_training} = 'yes'"
    constraint: str = ""


@dataclass(frozen=True)
class Instrument:
    """A survey instrument: consent, profile block, two ratings per competency, institutional and open
    questions. Rating field names are ``imp_<code>`` (importance) and ``comp_<code>`` (own competence)."""

    title: Text
    form_id: str  # XLSForm settings form_id, e.g. "ctip_tna_mauritius"
    version: str  # XLSForm settings version, e.g. "2026112401"
    scale_max: int  # 5 (default) or 7; ratings run 1..scale_max
    competencies: tuple[Competency, ...]
    profile_questions: tuple[Question, ...]
    institutional_questions: tuple[Question, ...]
    open_questions: tuple[Question, ...]
    consent: Text
    languages: tuple[str, ...] = ("en", "fr")


def importance_field(code: str) -> str:
    return f"imp_{code}"


def competence_field(code: str) -> str:
    return f"comp_{code}"


@dataclass(frozen=True)
class Rating:
    importance: int | None
    competence: int | None


@dataclass(frozen=True)
class Submission:
    """One respondent's answers, whatever the source. ``key`` is stable across re-exports of an edited
    submission (Kobo ``_id`` or ``meta/rootUuid``; ODK ``KEY``/``meta-instanceID`` root; a mapped column;
    the built-in form's token)."""

    key: str
    source: str  # "kobo_csv", "kobo_xlsx", "kobo_api", "odk_csv", "odk_zip", "mapped_file", "web_form"
    submitted_at: dt.datetime | None
    sex: Sex
    organisation: str  # as given in the data (matched to the registry by the web layer)
    profile: Mapping[str, str] = field(
        default_factory=dict
    )  # age_band, role, location, years_of_service, prior_training, ...
    ratings: Mapping[str, Rating] = field(default_factory=dict)  # competency code → ratings
    institutional: Mapping[str, str] = field(default_factory=dict)
    open_answers: Mapping[str, str] = field(default_factory=dict)
    row: int = 0  # the row (or record number) in the source, for messages


@dataclass(frozen=True)
class RowIssue:
    """Why a row is rejected (or what was changed on import): where, and what to do. ``template`` is a
    ``%``-style message marked for translation, filled with ``params`` (see :mod:`ctip.core.errors`)."""

    row: int
    column: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    rejects_row: bool = True

    @property
    def message(self) -> str:
        """The message in English."""
        return self.render()

    def render(self, translate: Callable[[str], str] = str) -> str:
        """The message in the reader's language (``translate``: e.g. Django's ``gettext``)."""
        text = translate(self.template)
        return text % dict(self.params) if self.params else text
