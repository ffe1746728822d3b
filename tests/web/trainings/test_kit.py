"""The delivery kit page of a training event: every part shown, edits saved (and refused with nothing
changed), parts put back as generated, and the concept note, agenda, manual and slides downloaded in
English or French and opened with python-docx and python-pptx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from pptx import Presentation

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings.models import TrainingEvent
from ctip.web.trainings.services import kit as kit_services
from tests.web.trainings.kit_factories import (
    MONDAY,
    event_make,
    fixed_content,
    participants_make,
    scr_content,
    tna_survey,
)

pytestmark = pytest.mark.django_db

SCR_TITLES = [session.title.en for session in scr_content().sessions]
SCR_TITLES_FR = [session.title.fr for session in scr_content().sessions]


@pytest.fixture(autouse=True)
def library(monkeypatch):
    """The tests' own content library, so that they do not depend on the shipped content files."""
    monkeypatch.setattr(kit_services, "module_content", fixed_content)


@pytest.fixture
def event(workspace):
    return event_make(workspace, end=MONDAY + dt.timedelta(days=2))


@pytest.fixture
def trainer_client(client, workspace, make_member):
    client.force_login(make_member(workspace, "trainer").user)
    return client


def url(name: str, event: TrainingEvent, workspace_slug: str = "mauritius") -> str:
    return reverse(name, kwargs={"workspace": workspace_slug, "event": event.uuid})


def post_edit(client, event: TrainingEvent, **fields):
    data = {"language": "en", "version": event.version, **fields}
    return client.post(url("training-kit-edit", event), data)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def pptx_text(content: bytes) -> str:
    deck = Presentation(io.BytesIO(content))
    return "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )


# --- The page --------------------------------------------------------------------------------------------


def test_every_member_sees_the_whole_kit_but_only_trainers_get_the_forms(
    client, workspace, make_member, event
):
    participants_make(event, ["female", "female", "male"])
    client.force_login(make_member(workspace, "viewer").user)
    response = client.get(url("training-kit", event))

    assert response.status_code == 200
    html = response.content.decode()
    for title in SCR_TITLES:
        assert title in html
    assert "Apply the screening form to decide whether to refer." in html  # a learning outcome
    assert "3 participants are registered so far (women: 2, men: 1)" in html
    assert "08:30–09:00" in html and "Opening and pre-test" in html and "Reaction survey" in html
    assert "Role play on the screening form." in html
    assert 'name="part"' not in html  # no edit or reset forms for a viewer

    client.force_login(make_member(workspace, "trainer").user)
    html = client.get(url("training-kit", event)).content.decode()
    assert 'value="concept_note"' in html and 'name="session" value="SCR-S1"' in html


def test_the_background_draws_on_the_needs_assessment(admin_client, workspace):
    tna_survey(workspace)
    event = event_make(workspace, modules=("FND_PROT",))
    kit = kit_services.event_kit(event, "en").kit

    codes = [finding.code for finding in kit.inputs.findings]
    assert sorted(codes) == ["FD01", "FD02", "FD03"]  # the module's competencies the survey measured
    assert all(finding.n > 0 for finding in kit.inputs.findings)
    html = admin_client.get(url("training-kit", event)).content.decode()
    assert "MWDS" in html and "(FD01)" in html


def test_a_module_without_content_shows_its_catalogue_entry_to_write_in(admin_client, workspace):
    event = event_make(workspace, modules=("MEDIA",), end=MONDAY)
    html = admin_client.get(url("training-kit", event)).content.decode()
    assert "No session plan in the library for this module yet — write it here." in html
    assert "Some modules have no session plan in the library yet" in html


def test_content_longer_than_the_training_is_flagged_with_the_days_needed_and_a_fix(
    trainer_client, workspace
):
    event = event_make(workspace, end=MONDAY + dt.timedelta(days=1))  # two days for two days of teaching
    html = trainer_client.get(url("training-kit", event)).content.decode()
    assert "Check the agenda" not in html and "extra day" not in html  # the default day holds them
    post_edit(trainer_client, event, part="agenda", day_start="09:00", day_end="16:30")
    html = trainer_client.get(url("training-kit", event)).content.decode()
    assert "need 3 days with these hours, but the training has 2" in html
    assert "extra day, beyond the dates of the training" in html
    assert 'name="day_end" value="16:45"' in html

    event.refresh_from_db()
    response = post_edit(trainer_client, event, part="agenda", day_start="09:00", day_end="16:45")
    assert response.status_code == 302
    html = trainer_client.get(url("training-kit", event)).content.decode()
    assert "Check the agenda" not in html and "extra day" not in html


# --- Edits -----------------------------------------------------------------------------------------------


def test_a_trainer_edits_the_concept_note_and_it_is_saved_audited_and_shown(trainer_client, event):
    version = event.version
    response = post_edit(
        trainer_client,
        event,
        part="concept_note",
        background="Our background.\r\n\r\n- First reason\r\n- Second reason",
        evaluation=kit_services.event_kit(event, "en").generated.concept_note.evaluation,
    )

    assert response.status_code == 302 and response["Location"].endswith("#concept-note")
    event.refresh_from_db()
    assert event.kit == {
        "en": {"concept_note": {"background": "Our background.\n\n- First reason\n- Second reason"}}
    }
    assert event.version == version + 1
    entry = AuditEntry.objects.get(action="trainingevent.kit_edit")
    assert entry.changes == {
        "en.concept_note.background": [None, "Our background.\n\n- First reason\n- Second reason"]
    }
    html = trainer_client.get(url("training-kit", event)).content.decode()
    assert "<p>Our background.</p><ul><li>First reason</li><li>Second reason</li></ul>" in html


def test_a_session_edit_changes_the_manual_and_the_agenda(trainer_client, event):
    response = post_edit(
        trainer_client,
        event,
        part="session",
        session="SCR-S2",
        title="The screening form, step by step",
        minutes="60",
        key_points="- Consent first\n- Indicators\n\n",
        exercise="Fill in the form for a case.",
        objectives="Apply the screening form to decide whether to refer.",
        practice_notes="Speak to a child with a trusted adult present.\nOffer an interviewer of the same sex.",
        handout="Handout on the screening form.",
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.kit["en"]["sessions"]["SCR-S2"] == {
        "title": "The screening form, step by step",
        "key_points": ["Consent first", "Indicators"],
        "exercise": "Fill in the form for a case.",
    }
    assert event.kit["minutes"] == {"SCR-S2": 60}
    kit = kit_services.event_kit(event, "en").kit
    blocks = [block for day in kit.agenda.days for block in day.blocks if block.session == "SCR-S2"]
    assert sum(block.minutes for block in blocks) == 60
    assert blocks[0].title == "The screening form, step by step"


def test_bad_edits_are_refused_with_clear_errors_and_nothing_changes(trainer_client, event):
    event.kit = {"_settings": {"follow_up_open": True}}
    event.save()
    before = (event.kit, event.version, AuditEntry.objects.count())
    response = post_edit(trainer_client, event, part="session", session="SCR-S1", title=" ", minutes="ninety")

    assert response.status_code == 400
    html = response.content.decode()
    assert "The changes to the kit were not saved: 2 problem(s) to correct." in html
    assert "Give the session&#x27;s length as a whole number of minutes from 15 to 480." in html
    assert 'value="ninety"' in html  # the form keeps what was typed, and stays open
    event.refresh_from_db()
    assert (event.kit, event.version, AuditEntry.objects.count()) == before

    response = post_edit(trainer_client, event, part="agenda", day_start="9 o'clock")
    assert response.status_code == 400 and "HH:MM" in response.content.decode()
    event.refresh_from_db()
    assert (event.kit, event.version, AuditEntry.objects.count()) == before


def test_the_service_refuses_unknown_parts_fields_and_sessions(workspace, admin_user, event):
    with pytest.raises(DomainError) as refused:
        kit_services.kit_edits_save(
            event=event,
            language="en",
            edits={
                "cover": {"colour": "red"},
                "sessions": {"SCR-S99": {"title": "x"}, "SCR-S1": {"mood": "x"}},
            },
            acting_user=admin_user,
        )
    assert [problem.location for problem in refused.value.problems] == [
        "cover",
        "sessions.SCR-S99",
        "sessions.SCR-S1.mood",
    ]
    event.refresh_from_db()
    assert event.kit == {} and event.version == 1


def test_a_stale_form_is_refused_as_a_conflict(trainer_client, event):
    stale = event.version
    post_edit(trainer_client, event, part="concept_note", background="First.")
    response = trainer_client.post(
        url("training-kit-edit", event),
        {"language": "en", "version": stale, "part": "concept_note", "background": "Second."},
    )
    assert response.status_code == 400 and "Someone else changed this training" in response.content.decode()
    event.refresh_from_db()
    assert event.kit["en"]["concept_note"]["background"] == "First."


def test_only_members_who_run_trainings_may_edit(client, workspace, make_member, event):
    client.force_login(make_member(workspace, "viewer").user)
    assert post_edit(client, event, part="concept_note", background="x").status_code == 403
    assert client.post(url("training-kit-reset", event), {"part": "all"}).status_code == 403
    event.refresh_from_db()
    assert event.kit == {}


def test_french_edits_leave_the_english_kit_alone(trainer_client, event):
    trainer_client.post(
        url("training-kit-edit", event),
        {
            "language": "fr",
            "version": event.version,
            "part": "session",
            "session": "SCR-S1",
            "exercise": "Étude de cas.",
        },
    )
    event.refresh_from_db()
    assert kit_services.event_kit(event, "fr").kit.session("SCR-S1").exercise == "Étude de cas."
    assert (
        kit_services.event_kit(event, "en").kit.session("SCR-S1").exercise
        == "Role play on indicators of trafficking."
    )
    html = trainer_client.get(url("training-kit", event) + "?language=en").content.decode()
    assert "Changes made in the other language stay there" in html


def test_parts_are_put_back_as_generated(trainer_client, event):
    post_edit(trainer_client, event, part="concept_note", background="Mine.")
    event.refresh_from_db()
    post_edit(trainer_client, event, part="session", session="SCR-S1", exercise="Mine too.", minutes="60")
    event.refresh_from_db()

    response = trainer_client.post(
        url("training-kit-reset", event),
        {"part": "sessions.SCR-S1", "language": "en", "version": event.version},
    )
    assert response.status_code == 302 and response["Location"].endswith("#session-SCR-S1")
    event.refresh_from_db()
    assert event.kit == {"en": {"concept_note": {"background": "Mine."}}}
    assert AuditEntry.objects.filter(action="trainingevent.kit_reset").count() == 1

    trainer_client.post(
        url("training-kit-reset", event), {"part": "all", "language": "en", "version": event.version}
    )
    event.refresh_from_db()
    assert event.kit == {}

    response = trainer_client.post(
        url("training-kit-reset", event), {"part": "cover", "language": "en"}, follow=True
    )
    assert "is not a part of the kit that can be put back as generated" in response.content.decode()


# --- Downloads -------------------------------------------------------------------------------------------


def test_the_concept_note_agenda_and_manual_open_in_word_with_the_sessions(admin_client, event):
    post_edit(admin_client, event, part="session", session="SCR-S3", exercise="Our own exercise.")

    response = admin_client.get(url("training-kit-concept-note", event))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="concept-note-TR-2026-01-en.docx"'
    note = docx_text(response.content)
    for heading in ("Background", "Learning outcomes", "Methodology", "Evaluation", "Agenda in brief"):
        assert heading in note
    assert "Recognise the indicators of trafficking." in note

    response = admin_client.get(url("training-kit-agenda", event))
    agenda = Document(io.BytesIO(response.content))
    assert len(agenda.tables) == 2  # a table per day
    assert [cell.text for cell in agenda.tables[0].rows[1].cells] == [
        "08:30–09:00",
        "Opening and pre-test",
        "",
    ]
    text = docx_text(response.content)
    for title in SCR_TITLES:
        assert title in text

    manual = docx_text(admin_client.get(url("training-kit-manual", event)).content)
    for title in SCR_TITLES:
        assert title in manual
    assert "Our own exercise." in manual and "Child- and gender-sensitive practice" in manual


def test_the_slides_open_in_powerpoint_with_the_sessions(admin_client, event):
    response = admin_client.get(url("training-kit-slides", event))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("presentation")
    text = pptx_text(response.content)
    for title in SCR_TITLES:
        assert title in text
    assert "Screening for frontline staff" in text


def test_a_french_download_is_in_french(admin_client, event):
    note = docx_text(admin_client.get(url("training-kit-concept-note", event) + "?language=fr").content)
    assert "Reconnaître les indicateurs de la traite." in note and "mars 2026" in note
    assert "Recognise the indicators of trafficking." not in note

    manual = docx_text(admin_client.get(url("training-kit-manual", event) + "?language=fr").content)
    for title in SCR_TITLES_FR:
        assert title in manual
    assert not any(title in manual for title in SCR_TITLES)

    slides = pptx_text(admin_client.get(url("training-kit-slides", event) + "?language=fr").content)
    assert "Le formulaire de détection" in slides and "The screening form" not in slides


def test_a_french_training_gets_its_kit_in_french_unless_asked_otherwise(admin_client, workspace):
    event = event_make(workspace, language="fr", end=MONDAY + dt.timedelta(days=2))
    response = admin_client.get(url("training-kit-agenda", event))
    assert response["Content-Disposition"].endswith('-fr.docx"')
    assert "Le formulaire de détection" in docx_text(response.content)
    assert "Le formulaire de détection" in admin_client.get(url("training-kit", event)).content.decode()
    english = docx_text(admin_client.get(url("training-kit-agenda", event) + "?language=en").content)
    assert "The screening form" in english


def test_an_event_of_another_workspace_is_not_found(client, outsider, workspace, event):
    client.force_login(outsider)
    assert client.get(url("training-kit", event, "rwanda")).status_code == 404
    assert client.get(url("training-kit-manual", event, "rwanda")).status_code == 404
