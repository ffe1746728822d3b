"""The sections of a survey instrument, in the order a respondent meets them.

After the consent question come: the profile block (“About you”), one section of ratings per 4P pillar
(two ratings per competency), the institutional questions (“Your organisation”) and the open questions
(“Your views”). The XLSForm writes each section as a group named as here (``profile``,
``ratings_protection``, ``institutional``, ``open``), so Kobo and ODK column paths such as
``ratings_protection/imp_ID01`` follow it; the built-in web form shows one section per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctip.core.tna.instrument import (
    PILLAR_TEXT,
    RATING_INSTRUCTIONS,
    competence_label,
    competencies_by_pillar,
    importance_label,
    scale_choices,
)
from ctip.core.tna.model import Competency, Instrument, Question, Text, competence_field, importance_field

NO_TEXT = Text("")
PROFILE_SECTION = "profile"
INSTITUTIONAL_SECTION = "institutional"
OPEN_SECTION = "open"

SECTION_LABELS: dict[str, Text] = {
    PROFILE_SECTION: Text("About you", "À propos de vous"),
    INSTITUTIONAL_SECTION: Text("Your organisation", "Votre organisation"),
    OPEN_SECTION: Text("Your views", "Votre avis"),
}


def rating_section(pillar: str) -> str:
    """The name of the section (and XLSForm group) holding a pillar's ratings (``ratings_protection``)."""
    return f"ratings_{pillar}"


def rating_section_label(pillar: str) -> Text:
    pillar_text = PILLAR_TEXT.get(pillar, Text(pillar, pillar))
    return Text(f"{pillar_text.en}: rating the skills", f"{pillar_text.get('fr')} : notation des compétences")


def rating_questions(competency: Competency, scale_max: int) -> tuple[Question, Question]:
    """The two required ratings of ``competency``: importance to the job (``imp_<code>``) and own
    competence today (``comp_<code>``), on the scale 1..``scale_max``, with the description as hint."""
    choices = scale_choices(scale_max)
    return (
        Question(
            importance_field(competency.code),
            importance_label(competency),
            "select_one",
            choices=choices,
            required=True,
            hint=competency.description,
        ),
        Question(
            competence_field(competency.code),
            competence_label(competency),
            "select_one",
            choices=choices,
            required=True,
            hint=competency.description,
        ),
    )


@dataclass(frozen=True)
class Section:
    """One section: either questions (profile, institutional, open) or competencies to rate."""

    name: str
    label: Text
    questions: tuple[Question, ...] = ()
    competencies: tuple[Competency, ...] = ()
    intro: Text = NO_TEXT


def instrument_sections(instrument: Instrument) -> tuple[Section, ...]:
    """The instrument's sections after the consent question, in order (empty sections left out)."""
    sections = [Section(PROFILE_SECTION, SECTION_LABELS[PROFILE_SECTION], instrument.profile_questions)]
    sections.extend(
        Section(
            rating_section(pillar),
            rating_section_label(pillar),
            competencies=competencies,
            intro=RATING_INSTRUCTIONS,
        )
        for pillar, competencies in competencies_by_pillar(instrument.competencies)
    )
    sections.append(
        Section(
            INSTITUTIONAL_SECTION, SECTION_LABELS[INSTITUTIONAL_SECTION], instrument.institutional_questions
        )
    )
    sections.append(Section(OPEN_SECTION, SECTION_LABELS[OPEN_SECTION], instrument.open_questions))
    return tuple(section for section in sections if section.questions or section.competencies)
