import io

import docx
import pytest

from ctip.core.errors import DomainError
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument, segment_competencies
from ctip.core.tna.model import Text
from ctip.formats.documents.docx_writer import write_docx
from ctip.formats.documents.model import Table
from ctip.formats.tna_documents import (
    BOX,
    focus_group_guide_report,
    interview_guide_report,
    questionnaire_report,
)


def instrument_of(scale_max=5, competencies=None):
    return build_instrument(
        competencies=competencies if competencies is not None else default_framework(),
        title=Text("TNA Mauritius 2026", "ENF Maurice 2026"),
        form_id="ctip_tna_mu",
        version="2026112401",
        current_year=2026,
        organisations=[("atu", "Police Anti-Trafficking Unit")],
        locations=("Port Louis", "Rodrigues"),
        scale_max=scale_max,
        contact="tna@example.org",
    )


def reopen(report, tmp_path, name):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(write_docx(report))
    return docx.Document(str(path))


def headings(document, level=None):
    wanted = (f"Heading {level}",) if level else ("Heading 1", "Heading 2", "Heading 3")
    return [p.text for p in document.paragraphs if p.style.name in wanted]


def body_text(document):
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)


@pytest.mark.parametrize("scale_max", [5, 7])
def test_questionnaire_has_a_rating_table_per_pillar_with_boxes(tmp_path, scale_max):
    instrument = instrument_of(scale_max)

    document = reopen(questionnaire_report(instrument, language="en"), tmp_path, f"q{scale_max}")

    assert headings(document, 1) == [
        "How to fill in this questionnaire",
        "Consent",
        "About you",
        "Rating the competencies",
        "Your organisation",
        "Your views",
    ]
    assert headings(document, 2) == ["Prevention", "Protection", "Prosecution", "Partnership"]
    assert len(document.tables) == 4
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == [
        "Competency",
        *(f"I{point}" for point in range(1, scale_max + 1)),
        *(f"C{point}" for point in range(1, scale_max + 1)),
    ]
    rows = sum(len(table.rows) - 1 for table in document.tables)
    assert rows == 48
    first_row = [cell.text for cell in document.tables[1].rows[1].cells]
    assert first_row[0].startswith("FD01 Defining trafficking in persons")
    assert first_row[1:] == [BOX] * (2 * scale_max)


def test_questionnaire_asks_consent_profile_institutional_and_open_questions(tmp_path):
    document = reopen(questionnaire_report(instrument_of(), language="en"), tmp_path, "q")

    text = body_text(document)
    assert "tna@example.org" in text and "voluntary" in text
    assert f"{BOX} Yes    {BOX} No" in text
    assert f"{BOX} Prefer not to say" in text
    assert f"{BOX} Police Anti-Trafficking Unit" in text and f"{BOX} Rodrigues" in text
    assert "standard operating procedures" in text
    assert f"{BOX} Usually" in text
    assert "biggest obstacle" in text
    assert text.count("_" * 70) >= 3 * 3  # three lines per open question


def test_questionnaire_in_french(tmp_path):
    report = questionnaire_report(instrument_of(7), language="fr")

    document = reopen(report, tmp_path, "q_fr")

    assert report.language == "fr" and report.title == "ENF Maurice 2026"
    assert headings(document, 1)[1:3] == ["Consentement", "À propos de vous"]
    assert headings(document, 2) == ["Prévention", "Protection", "Poursuites", "Partenariat"]
    assert [cell.text for cell in document.tables[0].rows[0].cells][-1] == "M7"
    text = body_text(document)
    assert "FD01 Définir la traite des personnes :" in text
    assert f"{BOX} Oui" in text and "Je préfère ne pas répondre" in text
    assert report.version_text == "Version du formulaire 2026112401"


def test_questionnaire_tables_follow_the_segment(tmp_path):
    competencies = segment_competencies(default_framework(), "media")
    report = questionnaire_report(instrument_of(competencies=competencies), language="en")

    tables = [block for block in report.blocks if isinstance(block, Table)]

    assert sum(len(table.rows) for table in tables) == len(competencies)
    assert {row[0].split()[0] for table in tables for row in table.rows} == {c.code for c in competencies}


def test_interview_guide_has_script_consent_pillars_probes_and_closing(tmp_path):
    document = reopen(interview_guide_report(instrument_of(), language="en"), tmp_path, "interview")

    assert headings(document, 1) == [
        "About this guide",
        "Introduction",
        "Consent",
        "The interviewee’s role",
        "Questions by pillar",
        "Your institution",
        "Closing",
    ]
    assert headings(document, 2) == ["Prevention", "Protection", "Prosecution", "Partnership"]
    text = body_text(document)
    assert "My name is" in text
    assert "Do you agree to take part?" in text
    assert "Main question:" in text
    # questions come from the chain stages of the pillar's competencies, probes from their titles
    assert "Identification." in text and "Adjudication." in text
    assert "Financial investigation and asset recovery" in text
    assert "Is it different for women, men, girls and boys?" in text
    assert "focal point" in text and "national referral mechanism" in text
    assert "Who else should we talk to?" in text
    assert not document.tables


def test_interview_guide_in_french_covers_only_the_pillars_rated(tmp_path):
    competencies = [c for c in default_framework() if c.pillar == "prosecution"]
    report = interview_guide_report(instrument_of(competencies=competencies), language="fr-FR")

    document = reopen(report, tmp_path, "interview_fr")

    assert report.language == "fr"
    assert headings(document, 2) == ["Poursuites"]
    text = body_text(document)
    assert "Question principale :" in text
    assert "Je m’appelle" in text
    assert "Enquête." in text and "Jugement." in text
    assert " ; " in text


def test_focus_group_guide_has_notes_ground_rules_warm_up_blocks_and_closing(tmp_path):
    document = reopen(focus_group_guide_report(instrument_of(), language="en"), tmp_path, "fgd")

    assert headings(document, 1) == [
        "Facilitator notes",
        "Ground rules",
        "Consent",
        "Warm-up (10 minutes)",
        "Discussion",
        "Institutions (10 minutes)",
        "Closing (10 minutes)",
    ]
    assert headings(document, 2) == [
        "Prevention (about 15 minutes)",
        "Protection (about 15 minutes)",
        "Prosecution (about 15 minutes)",
        "Partnership (about 15 minutes)",
    ]
    text = body_text(document)
    assert "confidential" in text
    assert "Do not mention the names or details of any case" in text
    assert "note-taker" in text
    assert "How confident are you and your colleagues in these areas" in text


def test_focus_group_guide_in_french(tmp_path):
    competencies = [c for c in default_framework() if c.pillar in ("prevention", "partnership")]
    report = focus_group_guide_report(instrument_of(competencies=competencies), language="fr")

    document = reopen(report, tmp_path, "fgd_fr")

    assert headings(document, 1)[:2] == ["Notes pour l’animateur", "Règles de base"]
    assert headings(document, 2) == ["Prévention (environ 30 minutes)", "Partenariat (environ 30 minutes)"]
    assert "confidentiel" in body_text(document)


@pytest.mark.parametrize("builder", [questionnaire_report, interview_guide_report, focus_group_guide_report])
def test_unknown_language_is_refused(builder):
    with pytest.raises(DomainError) as caught:
        builder(instrument_of(), language="de")

    assert [problem.location for problem in caught.value.problems] == ["language"]


def test_reports_carry_organisation_date_and_version():
    report = interview_guide_report(
        instrument_of(), language="en", organisation="IOM Mauritius", date_text="1 March 2026"
    )

    assert (report.organisation, report.date_text) == ("IOM Mauritius", "1 March 2026")
    assert report.subtitle == "Key-informant interview guide"
    assert report.version_text == "Form version 2026112401"
    assert io.BytesIO(write_docx(report)).getvalue()[:2] == b"PK"
