"""The training report of one event (Word, English and French): read back with python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ctip.web.trainings.report_event import event_report_docx
from tests.web.trainings.results_factories import simulated_class, surveys_build
from tests.web.trainings.test_results import small_class

pytestmark = pytest.mark.django_db


def document_text(data: bytes) -> tuple[str, list[list[list[str]]], int]:
    """All paragraph text, every table as rows of cell texts, and the number of pictures."""
    document = Document(io.BytesIO(data))
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables, len(document.inline_shapes)


def table_with(tables: list[list[list[str]]], header: str) -> list[list[str]]:
    return next(table for table in tables if header in table[0])


def test_the_report_holds_delivery_participants_results_items_surveys_and_definitions(workspace):
    event, _people = small_class(workspace)
    event.trainers_notes = "The group was engaged.\n- More role play on the second day"
    event.recommendations = "- Add a session on labour exploitation"
    event.save()
    text, tables, pictures = document_text(event_report_docx(event, "en"))
    for heading in (
        "Summary",
        "Delivery",
        "Participants",
        "Attendance",
        "Learning: pre-test and post-test",
        "Item analysis",
        "Reaction and follow-up",
        "Trainers' notes",
        "Recommendations",
        "Definitions",
    ):
        assert heading in text, heading
    assert "rose from 40.0% to 73.3% (class-average normalised gain 0.56, medium)" in text
    assert "6 of the 7 post-test takers reached the pass mark of 60%" in text
    assert "No pre-test from: P007." in text
    assert "The group was engaged." in text and "Add a session on labour exploitation" in text
    delivery = table_with(tables, "Details")
    assert ["Trainers", "Asha Trainer (national trainer, Police Force)"] in delivery
    scores = table_with(tables, "Average individual gain")
    overall = scores[1]
    assert overall[:6] == ["All matched participants", "6", "40.0%", "73.3%", "+33.3%", "0.56 (medium)"]
    assert ["Women", "3", *(["n<5"] * 6)] in scores
    passing = table_with(tables, "Post-test takers")
    assert passing[1] == ["All post-test takers", "7", "6", "86%"]
    assert passing[2] == ["Women", "4", "n<5", "n<5"]
    items = table_with(tables, "McNemar")
    assert [row[0].split()[0] for row in items[1:]] == ["Q01", "Q02", "Q03", "Q04", "Q05"]
    # Everyone got Q01 right after the training: it cannot tell participants apart (D = 0), so it is flagged.
    assert items[1][0] == "Q01 ⚑" and items[1][7] == "0.00"
    assert all(row[5] == "exact" for row in items[1:])
    attendance = table_with(tables, "Share of registered")
    assert attendance[1][1:] == ["6", "6", "86%"]
    definitions = table_with(tables, "Definition")
    assert any(row[0] == "Effect size d_av" and "Lakens 2013" in row[1] for row in definitions)
    assert pictures == 1  # each participant's scores; no chart by sex with groups of three


def test_the_report_in_french_with_surveys_and_charts(workspace):
    made = simulated_class(workspace, seed=41, n=12, items=8)
    surveys_build(made.event, made.participants, seed=42)
    text, tables, pictures = document_text(event_report_docx(made.event, "fr"))
    assert "2 mars 2026" in text  # dates written the French way
    sexes = table_with(tables, "Femmes") if any("Femmes" in table[0] for table in tables) else None
    assert sexes is None  # "Femmes" is a row, not a header
    assert any(row[0] == "Femmes" for table in tables for row in table)
    assert pictures == 3  # participants, means by sex, reaction survey
    assert "“The case studies” (×12)" in text  # identical answers quoted once, with their number


def test_the_download_names_the_event_and_language(workspace, admin_client):
    made = simulated_class(workspace, seed=51, n=6, items=5, code="TR-2026-09")
    url = f"/w/{workspace.slug}/trainings/{made.event.uuid}/report.docx"
    response = admin_client.get(url + "?language=fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "training-report-TR-2026-09-fr.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert any("TR-2026-09" in paragraph.text for paragraph in document.paragraphs)
    english = admin_client.get(url + "?language=xx")  # unknown: the page's language
    assert "-en.docx" in english["Content-Disposition"]


def test_an_event_with_no_data_still_gives_a_report(workspace, admin_client):
    from tests.web.trainings.results_factories import event_build

    event = event_build(workspace, status="planned")
    text, _tables, pictures = document_text(event_report_docx(event, "en"))
    assert "No participant has been registered for this training." in text
    assert "No test has been submitted yet." in text
    assert pictures == 0
