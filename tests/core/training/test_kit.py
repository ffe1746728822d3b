"""The delivery kit without the database: the concept note from the event's facts, its modules' content and
the needs assessment; the manual's sessions; the fallback for a module without content; the slides; and the
trainer's edits (applied, checked, stored per language and put back as generated)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ctip.core.errors import DomainError
from ctip.core.training.content import Localised, LocalisedList, ModuleContent, Objective, SessionPlan
from ctip.core.training.kit import (
    Finding,
    KitInputs,
    KitModule,
    ParticipantProfile,
    Trainer,
    apply_edits,
    build_kit,
    kit_to_json,
)
from ctip.core.training.kit_edits import clean_edits, edits_for, reset_edits, store_edits
from ctip.core.training.kit_text import NO_SESSION_PLAN

MONDAY = dt.date(2026, 3, 2)


def plan(number: int, minutes: int, objective: str, en: str, fr: str) -> SessionPlan:
    return SessionPlan(
        code=f"SCR-S{number}",
        minutes=minutes,
        objectives=(objective,),
        title=Localised(en, fr),
        key_points=LocalisedList((f"{en} 1", f"{en} 2", f"{en} 3"), (f"{fr} 1", f"{fr} 2", f"{fr} 3")),
        exercise=Localised(f"Exercise: {en}", f"Exercice : {fr}"),
        handout=Localised(f"Handout: {en}", f"Fiche : {fr}"),
    )


SCR = ModuleContent(
    module="SCR",
    objectives=(
        Objective(
            "SCR-LO1", "ID01", Localised("Apply the screening form.", "Appliquer le formulaire de détection.")
        ),
        Objective("SCR-LO2", "ID03", Localised("Recognise the indicators.", "Reconnaître les indicateurs.")),
    ),
    sessions=(
        plan(1, 120, "SCR-LO2", "Indicators", "Indicateurs"),
        plan(2, 90, "SCR-LO1", "Screening form", "Formulaire de détection"),
        plan(3, 120, "SCR-LO1", "Referral", "Orientation"),
    ),
    practice_notes=LocalisedList(("Child note.", "Gender note."), ("Note enfant.", "Note genre.")),
    items=(),
)


def inputs(**changes) -> KitInputs:
    values = {
        "code": "TR-1",
        "title": "Screening for frontline staff",
        "start_date": MONDAY,
        "end_date": MONDAY + dt.timedelta(days=1),
        "location": "Rodrigues",
        "venue": "Town hall",
        "trainers": (Trainer("Aline", "national"), Trainer("Ben", "international")),
        "audience": "police officers",
        "target_female": 12,
        "target_male": 13,
        "pass_mark": 75,
        "modules": (
            KitModule("SCR", "Screening", "Screen people for indicators.", "", ("ID01", "ID03"), 1.0, SCR),
            KitModule(
                "MEDIA", "Media", "Work with the media.", "Protect children's identity.", ("PV02",), 0.5
            ),
        ),
        "findings": (Finding("ID01", "Victim identification", 4.567, 0.68, 120),),
        "profile": ParticipantProfile(
            female=3, male=2, not_stated=1, organisations=(("Police", 4), ("Labour", 2))
        ),
    }
    values.update(changes)
    return KitInputs(**values)


def test_the_concept_note_draws_on_the_event_the_content_and_the_needs_assessment():
    note = build_kit(inputs()).concept_note

    assert (
        "**Victim identification** (ID01): MWDS 4.57; 68 per cent of the 120 respondents" in note.background
    )
    assert "- **Screening** (1 day(s))\n- **Media** (0.5 day(s))" in note.background
    assert "police officers in “Screening” and “Media”" in note.objectives
    assert "- Screen people for indicators.\n- Work with the media." in note.objectives
    assert note.learning_outcomes.splitlines()[2:] == [
        "- Apply the screening form.",
        "- Recognise the indicators.",
        "- Media: no learning objectives in the library for this module yet — write them here.",
    ]
    assert "Aline (national) and Ben (international)" in note.methodology
    assert "Town hall, Rodrigues" in note.methodology and "2 March 2026" in note.methodology
    assert "25 participants (women: 12, men: 13)" in note.participant_profile
    assert (
        "6 participants are registered so far (women: 3, men: 2, sex not stated: 1)"
        in note.participant_profile
    )
    assert "- Police (4)" in note.participant_profile
    assert "75 per cent" in note.expected_results and "75 per cent" in note.evaluation
    for level in ("Level 1, reaction", "Level 2, learning", "Level 3, behaviour"):
        assert level in note.evaluation


def test_without_findings_the_background_says_so_and_names_the_competencies():
    note = build_kit(inputs(findings=())).concept_note
    assert "No results of the training needs assessment are available yet" in note.background
    assert "(ID01, ID03, PV02)" in note.background


def test_the_fixed_sentences_go_through_the_translate_callable():
    kit = build_kit(inputs(), translate=lambda text: text.replace("Level", "NIVEAU"))
    assert "NIVEAU 1" in kit.concept_note.evaluation


def test_in_french_the_content_dates_and_numbers_are_french():
    kit = build_kit(inputs(language="fr"))
    assert [session.title for session in kit.sessions[:3]] == [
        "Indicateurs",
        "Formulaire de détection",
        "Orientation",
    ]
    assert kit.sessions[0].practice_notes == ("Note enfant.", "Note genre.")
    assert "MWDS 4,57" in kit.concept_note.background
    assert "2 mars 2026" in kit.concept_note.methodology
    assert "- Appliquer le formulaire de détection." in kit.concept_note.learning_outcomes


def test_the_manual_has_every_session_and_a_module_without_content_falls_back_to_its_catalogue_entry():
    kit = build_kit(inputs())
    assert [session.code for session in kit.sessions] == ["SCR-S1", "SCR-S2", "SCR-S3", "MEDIA-S1"]
    first = kit.sessions[0]
    assert first.objectives == ("Recognise the indicators.",)
    assert first.key_points == ("Indicators 1", "Indicators 2", "Indicators 3")
    assert first.practice_notes == ("Child note.", "Gender note.") and first.from_library
    media = kit.sessions[-1]
    assert not media.from_library
    assert (media.title, media.minutes) == ("Media", 165)  # half a day of teaching
    assert media.exercise == media.handout == NO_SESSION_PLAN
    assert media.key_points == ("Work with the media.",)
    assert media.practice_notes == ("Protect children's identity.",)
    assert [(chapter.code, len(chapter.sessions)) for chapter in kit.manual] == [("SCR", 3), ("MEDIA", 1)]
    assert kit.agenda.teaching_minutes == 330 + 165


def test_the_slides_cover_objectives_agenda_each_session_and_the_evaluation():
    kit = build_kit(inputs())
    titles = [slide.title for slide in kit.slides]
    assert titles[:2] == ["What you will be able to do", "Agenda"]
    assert titles[2:5] == ["Indicators", "Exercise: Indicators", "Screening form"]
    assert titles[-3:] == ["Media", "Exercise: Media", "How the training is evaluated"]
    assert kit.slides[0].bullets[0] == "Apply the screening form."
    assert kit.slides[1].bullets[0].startswith("**Day 1 (Mon 2 Mar)**: Indicators; Screening form")
    assert "Handout: Indicators" in kit.slides[2].notes
    assert kit.slides[3].bullets == ("Exercise: Indicators",)
    assert "75 per cent" in kit.slides[-1].bullets[0]


def test_edits_replace_texts_and_the_agenda_and_slides_follow():
    kit = build_kit(inputs())
    edited = apply_edits(
        kit,
        {
            "concept_note": {"background": "Our own background.", "learning_outcomes": "- Refer victims."},
            "sessions": {"SCR-S1": {"exercise": "A new case.", "key_points": ["One", "Two"], "minutes": 60}},
            "agenda": {"day_start": "08:30"},
        },
    )
    assert edited.concept_note.background == "Our own background."
    assert edited.concept_note.objectives == kit.concept_note.objectives
    session = edited.session("SCR-S1")
    assert (session.exercise, session.key_points, session.minutes) == ("A new case.", ("One", "Two"), 60)
    assert edited.agenda.teaching_minutes == kit.agenda.teaching_minutes - 60
    assert edited.agenda.days[0].blocks[0].start_text == "08:30"
    assert edited.slides[0].bullets == ("Refer victims.",)
    assert edited.slides[3].bullets == ("A new case.",)
    assert edited.edited == {
        "concept_note.background",
        "concept_note.learning_outcomes",
        "sessions.SCR-S1.exercise",
        "sessions.SCR-S1.key_points",
        "sessions.SCR-S1.minutes",
        "agenda.day_start",
    }


def test_unknown_or_wrong_edits_are_ignored_on_read():
    kit = build_kit(inputs())
    edited = apply_edits(
        kit,
        {
            "colour": "blue",
            "concept_note": {"background": 3, "summary": "x"},
            "sessions": {
                "XYZ-S9": {"title": "?"},
                "SCR-S1": {"minutes": "many", "title": "", "mood": "happy"},
            },
            "agenda": {"day_start": "25:99"},
        },
    )
    assert kit_to_json(edited) == kit_to_json(kit)


def test_edits_are_checked_before_they_are_saved_with_one_problem_each():
    kit = build_kit(inputs())
    with pytest.raises(DomainError) as refused:
        clean_edits(
            kit,
            {
                "colour": {},
                "concept_note": {"summary": "x", "background": 3},
                "sessions": {
                    "XYZ-S9": {},
                    "SCR-S1": {"minutes": 5, "title": " ", "key_points": "one", "mood": "?"},
                },
                "agenda": {"day_end": "7pm"},
            },
        )
    where = [problem.location for problem in refused.value.problems]
    assert where == [
        "colour",
        "concept_note.summary",
        "concept_note.background",
        "sessions.XYZ-S9",
        "sessions.SCR-S1.minutes",
        "sessions.SCR-S1.title",
        "sessions.SCR-S1.key_points",
        "sessions.SCR-S1.mood",
        "agenda.day_end",
    ]
    messages = {problem.location: problem.message for problem in refused.value.problems}
    assert "SCR-S1, SCR-S2, SCR-S3, MEDIA-S1" in messages["sessions.XYZ-S9"]
    assert "from 15 to 480" in messages["sessions.SCR-S1.minutes"]
    assert "9 problem(s)" in refused.value.message
    cleaned = clean_edits(kit, {"sessions": {"SCR-S2": {"handout": " New\r\nhandout ", "minutes": 75}}})
    assert cleaned == {"sessions": {"SCR-S2": {"handout": "New\nhandout", "minutes": 75}}}


def test_edits_are_stored_per_language_with_minutes_and_hours_shared_and_other_keys_kept():
    english = build_kit(inputs())
    french = build_kit(inputs(language="fr"))
    stored = {"_settings": {"follow_up_open": True}}
    stored = store_edits(
        stored,
        english,
        clean_edits(
            english,
            {
                "concept_note": {"background": "Mine.", "evaluation": english.concept_note.evaluation},
                "sessions": {"SCR-S1": {"exercise": "New.", "minutes": 60, "title": "Indicators"}},
                "agenda": {"day_end": "17:30"},
            },
        ),
    )
    assert stored == {
        "_settings": {"follow_up_open": True},
        "en": {"concept_note": {"background": "Mine."}, "sessions": {"SCR-S1": {"exercise": "New."}}},
        "minutes": {"SCR-S1": 60},
        "agenda": {"day_end": "17:30"},
    }
    in_french = build_kit(inputs(language="fr"), edits=edits_for(stored, "fr"))
    assert in_french.concept_note.background == french.concept_note.background
    assert in_french.session("SCR-S1").exercise == "Exercice : Indicateurs"
    assert in_french.session("SCR-S1").minutes == 60 and in_french.day_end == "17:30"
    back = store_edits(stored, english, {"sessions": {"SCR-S1": {"minutes": 120}}})
    assert "minutes" not in back


def test_parts_are_put_back_as_generated():
    stored = {
        "_settings": {"follow_up_open": True},
        "en": {"concept_note": {"background": "Mine."}, "sessions": {"SCR-S1": {"exercise": "New."}}},
        "fr": {"sessions": {"SCR-S1": {"exercise": "Nouveau."}}},
        "minutes": {"SCR-S1": 60, "SCR-S2": 75},
        "agenda": {"day_end": "17:00"},
    }
    assert reset_edits(stored, "en", "sessions.SCR-S1") == {
        "_settings": {"follow_up_open": True},
        "en": {"concept_note": {"background": "Mine."}},
        "fr": {"sessions": {"SCR-S1": {"exercise": "Nouveau."}}},
        "minutes": {"SCR-S2": 75},
        "agenda": {"day_end": "17:00"},
    }
    assert "agenda" not in reset_edits(stored, "en", "agenda")
    assert "concept_note" not in reset_edits(stored, "en", "concept_note")["en"]
    assert reset_edits(stored, "fr", "all") == {"_settings": {"follow_up_open": True}}
    assert stored["minutes"] == {"SCR-S1": 60, "SCR-S2": 75}  # the stored document is not changed
    with pytest.raises(DomainError) as refused:
        reset_edits(stored, "en", "slides")
    assert refused.value.problems[0].location == "part"


def test_the_kit_as_json():
    data = kit_to_json(build_kit(inputs()))
    json.dumps(data)
    assert data["agenda"]["days"][0]["blocks"][0] == {
        "start": "08:30",
        "end": "09:00",
        "kind": "opening",
        "session": "",
        "title": "",
        "continued": False,
    }
    assert data["agenda"]["days_needed"] == data["agenda"]["event_days"] == 2
    assert [session["code"] for session in data["sessions"]][-1] == "MEDIA-S1"
    assert set(data["concept_note"]) == {
        "background",
        "objectives",
        "learning_outcomes",
        "methodology",
        "participant_profile",
        "expected_results",
        "evaluation",
    }
