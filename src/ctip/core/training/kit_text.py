"""The text of the delivery kit (:mod:`.kit`): its fixed sentences, marked for translation, and the writing
of the concept note and the slides from them. Each sentence goes through the ``translate`` callable the kit
is given (``gettext`` in the web layer) before its named parameters are filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from ctip.core.errors import _

if TYPE_CHECKING:
    from ctip.core.training.agenda import Agenda
    from ctip.core.training.kit import KitInputs, KitSession

Translate = Callable[[str], str]

AND_LIST = _("%(first)s and %(last)s")
LANGUAGE_NAMES = {"en": _("English"), "fr": _("French")}
ORIGIN_LABELS = {"national": _("national"), "international": _("international")}

# --- Modules without content ---------------------------------------------------------------------------

NO_SESSION_PLAN = _("No session plan in the library for this module yet — write it here.")
NO_OBJECTIVES = _("%(module)s: no learning objectives in the library for this module yet — write them here.")

# --- Concept note --------------------------------------------------------------------------------------

BACKGROUND = _(
    "The training “%(title)s” is part of the national capacity development programme against trafficking "
    "in persons. It is made of these modules:"
)
MODULE_LINE = _("**%(title)s** (%(days)s day(s))")
TNA_INTRO = _(
    "The training needs assessment asked staff how important each competency is to their work and how "
    "competent they feel in it. The mean weighted discrepancy score (MWDS) combines the two: the larger it "
    "is, the larger the need. For the competencies this training builds, it found:"
)
FINDING = _(
    "**%(name)s** (%(code)s): MWDS %(mwds)s; %(share)s per cent of the %(n)s respondents rate their "
    "competence below its importance."
)
TNA_NONE = _(
    "No results of the training needs assessment are available yet for the competencies this training "
    "builds (%(competencies)s). Describe here the needs the training answers and where they were found."
)
GENERAL_OBJECTIVE = _(
    "General objective: to strengthen the competencies of %(audience)s in %(modules)s, so that victims of "
    "trafficking are identified, referred and assisted, and traffickers prosecuted, according to national "
    "procedures and international standards."
)
THE_PARTICIPANTS = _("the participants")
SPECIFIC_OBJECTIVES = _("Specific objectives:")
OUTCOMES_INTRO = _("By the end of the training, participants will be able to:")
METHODOLOGY = _(
    "The training is participatory and practical: short presentations alternate with case studies, role "
    "plays and group work drawn from the participants' own work, and with practice on the screening and "
    "referral tools in use. It follows a victim-centred, trauma-informed, child- and gender-sensitive "
    "approach."
)
PRACTICALITIES = _(
    "It lasts %(days)s day(s), with %(hours)s hours of sessions, at %(place)s from %(start)s to %(end)s, in "
    "%(language)s. Each participant receives the handouts of the sessions."
)
TRAINER = _("%(name)s (%(origin)s)")
TRAINERS = _("Trainers: %(trainers)s.")
TRAINERS_TBC = _("Trainers: to be confirmed.")
TARGETS = _("The training is planned for %(total)s participants (women: %(women)s, men: %(men)s).")
REGISTERED = _("%(total)s participants are registered so far (%(counts)s).")
COUNT_WOMEN = _("women: %(n)s")
COUNT_MEN = _("men: %(n)s")
COUNT_NOT_STATED = _("sex not stated: %(n)s")
FROM_ORGANISATIONS = _("They come from:")
BALANCE = _(
    "Participants are nominated by their institutions for their role in identifying, referring or "
    "assisting victims; a balance of women and men is sought."
)
EXPECTED_INTRO = _("At the end of the training:")
EXPECTED_PASS = _("participants reach at least %(pass_mark)s per cent of correct answers on the post-test;")
EXPECTED_GAIN = _("their scores rise from the pre-test to the post-test on every learning objective;")
EXPECTED_APPLY = _(
    "three to six months later, they report applying what they learned: screenings carried out, referrals "
    "made through the national referral mechanism and tools used;"
)
EXPECTED_MATERIALS = _(
    "the agenda, manual and slides are ready for national trainers to run the training again."
)
EVALUATION_INTRO = _("The training is evaluated at the first three levels of the Kirkpatrick model:")
LEVEL_1 = _(
    "Level 1, reaction: a short survey at the end of the training on satisfaction, relevance and what to "
    "improve."
)
LEVEL_2 = _(
    "Level 2, learning: a pre-test on the first morning and a post-test on the last afternoon, built from "
    "parallel versions of the same questions; the pass mark is %(pass_mark)s per cent of correct answers."
)
LEVEL_3 = _(
    "Level 3, behaviour: a follow-up survey three to six months later on screenings, referrals through the "
    "national referral mechanism and tools used."
)
EVALUATION_BY_SEX = _(
    "Participants take the tests with their participant code, never their name. Results are reported for "
    "women and men as well as overall."
)

# --- Slides --------------------------------------------------------------------------------------------

SLIDE_OBJECTIVES = _("What you will be able to do")
SLIDE_AGENDA = _("Agenda")
DAY = _("Day %(number)s (%(date)s)")
EXTRA_DAY = _("(extra day)")
NO_SESSION = _("no session planned")
SLIDE_NOTES_OBJECTIVES = _("Learning objectives of this session:")
SLIDE_EXERCISE = _("Exercise: %(title)s")
SLIDE_EVALUATION = _("How the training is evaluated")
SLIDE_PRE_POST = _(
    "**Pre-test and post-test**: the same topics before and after; pass mark %(pass_mark)s per cent"
)
SLIDE_REACTION = _("**Reaction survey** at the end: tell us what worked and what to improve")
SLIDE_FOLLOW_UP = _("**Follow-up survey** in three to six months: how you applied the training")

# --- Checking edits ------------------------------------------------------------------------------------

EDITS_NOT_OBJECT = _("The kit's edits must be an object of parts and fields.")
EDITS_REFUSED = _("The changes to the kit were not saved: %(count)s problem(s) to correct.")
UNKNOWN_PART = _("“%(name)s” is not a part of the kit; the parts are: %(parts)s.")
UNKNOWN_FIELD = _("“%(name)s” is not a field here; the fields are: %(fields)s.")
UNKNOWN_SESSION = _("There is no session %(code)s in this kit; its sessions are: %(codes)s.")
NEEDS_FIELDS = _("Give the fields to change (%(fields)s).")
NEEDS_TEXT = _("This must be text.")
REQUIRED_TEXT = _("This cannot be empty.")
NEEDS_LIST = _("This must be a list of texts, one per line.")
TOO_LONG = _("This text has %(length)s characters; at most %(limit)s are kept.")
TOO_MANY = _("This list has %(count)s lines; at most %(limit)s are kept.")
BAD_MINUTES = _("Give the session's length as a whole number of minutes from %(low)s to %(high)s.")
UNKNOWN_RESET = _("“%(part)s” is not a part of the kit that can be put back as generated.")
RESET_PARTS = _("Choose all, concept_note, agenda or sessions.<session code>.")


# --- Writing the generated text -------------------------------------------------------------------------


def _say(t: Translate, template: str, **params: object) -> str:
    translated = t(template)
    return translated % params if params else translated


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines if line.strip())


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def babel_locale(language: str) -> str:
    """The locale for dates and numbers: British English ("2 March 2026") or French."""
    return "fr" if language == "fr" else "en_GB"


def long_date(day: dt.date, language: str) -> str:
    return format_date(day, format="long", locale=babel_locale(language))


def decimal(value: float, language: str) -> str:
    return format_decimal(value, format="0.00", locale=babel_locale(language))


def _list(items: Sequence[str], t: Translate) -> str:
    """``a, b and c`` in the kit's language."""
    shown = [item for item in items if item]
    if len(shown) <= 1:
        return "".join(shown)
    return _say(t, AND_LIST, first=", ".join(shown[:-1]), last=shown[-1])


def concept_note_sections(
    inputs: KitInputs, sessions: Sequence[KitSession], agenda: Agenda, t: Translate
) -> dict[str, str]:
    """The concept note's sections as generated, by name."""
    language = inputs.language
    module_titles = [module.title for module in inputs.modules]
    competencies = list(dict.fromkeys(code for module in inputs.modules for code in module.competencies))
    if inputs.findings:
        findings = [
            _say(
                t,
                FINDING,
                name=finding.name,
                code=finding.code,
                mwds=decimal(finding.mwds, language) if finding.mwds is not None else "—",
                share=round(100 * finding.share_with_gap) if finding.share_with_gap is not None else "—",
                n=finding.n,
            )
            for finding in inputs.findings
        ]
        tna = _paragraphs(t(TNA_INTRO), _bullets(findings))
    else:
        tna = _say(t, TNA_NONE, competencies=", ".join(competencies) or "—")
    background = _paragraphs(
        _say(t, BACKGROUND, title=inputs.title),
        _bullets(
            [
                _say(
                    t,
                    MODULE_LINE,
                    title=module.title,
                    days=format_decimal(module.duration_days, format="0.#", locale=babel_locale(language)),
                )
                for module in inputs.modules
            ]
        ),
        tna,
    )
    objectives = _paragraphs(
        _say(
            t,
            GENERAL_OBJECTIVE,
            audience=inputs.audience.strip() or t(THE_PARTICIPANTS),
            modules=_list([f"“{title}”" for title in module_titles], t) or "—",
        ),
        t(SPECIFIC_OBJECTIVES),
        _bullets([module.summary.strip() or module.title for module in inputs.modules]),
    )
    outcomes: list[str] = []
    for module in inputs.modules:
        if module.content is not None and module.content.objectives:
            outcomes.extend(objective.text.get(language) for objective in module.content.objectives)
        else:
            outcomes.append(_say(t, NO_OBJECTIVES, module=module.title))
    learning_outcomes = _paragraphs(t(OUTCOMES_INTRO), _bullets(outcomes))
    trainers = [
        _say(t, TRAINER, name=trainer.name, origin=t(ORIGIN_LABELS[trainer.origin]))
        if trainer.origin in ORIGIN_LABELS
        else trainer.name
        for trainer in inputs.trainers
        if trainer.name.strip()
    ]
    teaching = sum(session.minutes for session in sessions)
    place = ", ".join(part for part in (inputs.venue.strip(), inputs.location.strip()) if part)
    methodology = _paragraphs(
        t(METHODOLOGY),
        _say(
            t,
            PRACTICALITIES,
            days=agenda.event_days,
            hours=format_decimal(teaching / 60, format="0.##", locale=babel_locale(language)),
            place=place or "—",
            start=long_date(inputs.start_date, language),
            end=long_date(inputs.end_date, language),
            language=t(LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["en"])),
        ),
        _say(t, TRAINERS, trainers=_list(trainers, t)) if trainers else t(TRAINERS_TBC),
    )
    profile_parts = [inputs.audience.strip()]
    total = inputs.target_female + inputs.target_male
    if total:
        profile_parts.append(
            _say(t, TARGETS, total=total, women=inputs.target_female, men=inputs.target_male)
        )
    registered = inputs.profile
    if registered.total:
        profile_parts.append(
            _say(
                t,
                REGISTERED,
                total=registered.total,
                counts=", ".join(
                    _say(t, template, n=count)
                    for template, count in (
                        (COUNT_WOMEN, registered.female),
                        (COUNT_MEN, registered.male),
                        (COUNT_NOT_STATED, registered.not_stated),
                    )
                    if count
                ),
            )
        )
        if registered.organisations:
            profile_parts.append(
                _paragraphs(
                    t(FROM_ORGANISATIONS),
                    _bullets([f"{name} ({count})" for name, count in registered.organisations]),
                )
            )
    profile_parts.append(t(BALANCE))
    participant_profile = _paragraphs(*profile_parts)
    expected = _paragraphs(
        t(EXPECTED_INTRO),
        _bullets(
            [
                _say(t, EXPECTED_PASS, pass_mark=inputs.pass_mark),
                t(EXPECTED_GAIN),
                t(EXPECTED_APPLY),
                t(EXPECTED_MATERIALS),
            ]
        ),
    )
    evaluation = _paragraphs(
        t(EVALUATION_INTRO),
        _bullets(
            [
                t(LEVEL_1),
                _say(t, LEVEL_2, pass_mark=inputs.pass_mark),
                t(LEVEL_3),
            ]
        ),
        t(EVALUATION_BY_SEX),
    )
    return dict(
        background=background,
        objectives=objectives,
        learning_outcomes=learning_outcomes,
        methodology=methodology,
        participant_profile=participant_profile,
        expected_results=expected,
        evaluation=evaluation,
    )


def slide_texts(
    kit_inputs: KitInputs,
    learning_outcomes: str,
    sessions: Sequence[KitSession],
    agenda: Agenda,
    t: Translate,
) -> list[tuple[str, tuple[str, ...], str]]:
    """The slides after the title slide, as ``(title, bullets, speaker notes)``."""
    language = kit_inputs.language
    outcomes = tuple(line[2:].strip() for line in learning_outcomes.splitlines() if line.startswith("- "))
    slides: list[tuple[str, tuple[str, ...], str]] = [(t(SLIDE_OBJECTIVES), outcomes, "")]
    day_lines = []
    for day in agenda.days:
        titles = list(dict.fromkeys(block.title for block in day.blocks if block.title))
        label = _say(
            t,
            DAY,
            number=day.number,
            date=format_date(day.date, format="EEE d MMM", locale=babel_locale(language)),
        )
        if day.extra:
            label = f"{label} {t(EXTRA_DAY)}"
        day_lines.append(f"**{label}**: {'; '.join(titles) or t(NO_SESSION)}")
    slides.append((t(SLIDE_AGENDA), tuple(day_lines), ""))
    for session in sessions:
        notes = _paragraphs(
            _paragraphs(t(SLIDE_NOTES_OBJECTIVES), _bullets(session.objectives))
            if session.objectives
            else "",
            session.handout,
        )
        slides.append((session.title, session.key_points or (session.exercise,), notes))
        if session.key_points:
            slides.append((_say(t, SLIDE_EXERCISE, title=session.title), (session.exercise,), ""))
    slides.append(
        (
            t(SLIDE_EVALUATION),
            (
                _say(t, SLIDE_PRE_POST, pass_mark=kit_inputs.pass_mark),
                t(SLIDE_REACTION),
                t(SLIDE_FOLLOW_UP),
            ),
            "",
        )
    )
    return slides
