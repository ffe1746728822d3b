"""The programme in figures (trainings against the adopted plan, pooled learning, recommendations) and the
capacity development report (Word and PowerPoint, English and French), its page and downloads.

"Today" is fixed at 1 October 2026 so that which planned sessions are due does not depend on the day the
tests run. The workspace's plan starts in July 2025 (fiscal year from July): quarter 1 ends on
30 September 2025, quarter 2 on 31 December 2025, quarter 3 on 31 March 2026, quarter 12 on 30 June 2028.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pptx import Presentation

from ctip.web.trainings.report_advice import recommendations
from ctip.web.trainings.report_programme import programme_report_docx
from ctip.web.trainings.report_programme_deck import programme_report_pptx
from ctip.web.trainings.services import programme as programme_module
from ctip.web.trainings.services.programme import programme_results, quarter_end
from tests.web.trainings.results_factories import (
    adopted_plan_build,
    event_build,
    organisation_make,
    simulated_class,
    surveys_build,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(programme_module.timezone, "localdate", lambda: TODAY)
    from ctip.web.trainings import report_advice, report_programme

    monkeypatch.setattr(report_programme.timezone, "localdate", lambda: TODAY)
    monkeypatch.setattr(report_advice.timezone, "localdate", lambda: TODAY)


def programme(workspace):
    adopted_plan_build(
        workspace,
        [
            ("SCR", "Mauritius", 1, 8, 6),
            ("SCR", "Rodrigues", 2, 5, 5),
            ("FND_PROT", "Mauritius", 3, 6, 6),
            ("FND_PROT", "Rodrigues", 2, 4, 4),
            ("SCR", "Mauritius", 12, 6, 6),
        ],
    )
    organisations = [organisation_make(workspace, "NPF"), organisation_make(workspace, "MOL"), "Shelter X"]
    first = simulated_class(
        workspace,
        seed=3,
        n=14,
        items=8,
        code="TR-2026-01",
        organisations=organisations,
        start=dt.date(2026, 3, 2),
        mean_gain=2.5,
    )
    surveys_build(first.event, first.participants, seed=4)
    second = simulated_class(
        workspace,
        seed=5,
        mean_gain=2.5,
        n=9,
        items=10,
        parallel=True,
        code="TR-2026-02",
        location="Rodrigues",
        status="reported",
        start=dt.date(2026, 4, 6),
        recommendations="- Translate the handouts into Creole",
    )
    surveys_build(second.event, second.participants, seed=6)
    third = simulated_class(
        workspace,
        seed=8,
        n=10,
        items=8,
        code="TR-2026-03",
        modules=("FND_PROT",),
        mean_gain=-0.2,
        start=dt.date(2026, 5, 4),
    )
    event_build(workspace, code="TR-2026-04", status="planned", start=dt.date(2026, 11, 2))
    event_build(workspace, code="TR-2026-05", status="cancelled", start=dt.date(2026, 6, 1))
    return first, second, third


def test_quarters_follow_the_fiscal_year(workspace):
    assert quarter_end(workspace, 1) == dt.date(2025, 9, 30)
    assert quarter_end(workspace, 2) == dt.date(2025, 12, 31)
    assert quarter_end(workspace, 12) == dt.date(2028, 6, 30)


def test_trainings_are_set_against_the_plan_by_module_and_location(workspace):
    programme(workspace)
    p = programme_results(workspace)
    assert (len(p.events), p.upcoming, p.cancelled) == (3, 1, 1)
    cells = {(cell.module_code, cell.location): cell for cell in p.plan}
    scr = cells[("SCR", "Mauritius")]
    assert (scr.planned, scr.due, scr.held, scr.upcoming) == (2, 1, 1, 1)
    assert (scr.planned_female, scr.planned_male) == (14, 12)
    assert (scr.trained_female, scr.trained_male, scr.trained_total) == (7, 7, 14)
    rodrigues = cells[("SCR", "Rodrigues")]
    assert (rodrigues.planned, rodrigues.due, rodrigues.held, rodrigues.trained_total) == (1, 1, 1, 9)
    assert (cells[("FND_PROT", "Rodrigues")].due, cells[("FND_PROT", "Rodrigues")].held) == (1, 0)
    by_location = {row.location: row for row in p.plan_by("location")}
    assert (
        by_location["Rodrigues"].planned,
        by_location["Rodrigues"].due,
        by_location["Rodrigues"].held,
    ) == (2, 2, 1)
    assert (by_location["Mauritius"].planned, by_location["Mauritius"].held) == (3, 2)
    by_module = {row.module_code: row for row in p.plan_by("module")}
    assert by_module["SCR"].held == 2 and by_module["FND_PROT"].held == 1
    assert p.by_sex.rows["female"] == (17, 17) and p.registered == 33
    assert p.by_location.rows["Rodrigues"] == (9, 9)


def test_learning_is_pooled_over_trainings_and_by_module(workspace):
    first, second, third = programme(workspace)
    p = programme_results(workspace)
    assert p.pooled["paired"] is True
    assert p.pooled["matching"]["matched"] == 33
    assert set(p.pooled["groups"]["location"]) == {"Mauritius", "Rodrigues"}
    # Pooled means are the means of every matched participant's percentages.
    percents = [
        pair
        for made in (first, second, third)
        for pair in programme_module.event_results(made.event).pairs_percent().values()
    ]
    assert p.pooled["overall"]["pre_mean_pct"] == pytest.approx(sum(pre for pre, _ in percents) / 33)
    modules = {gain.module_code: gain for gain in p.modules}
    assert modules["SCR"].events == 2 and modules["SCR"].learning["n"] == 23
    assert modules["FND_PROT"].learning["n"] == 10
    assert modules["FND_PROT"].learning["hake_g"] < 0.3


def test_recommendations_are_generated_from_the_figures(workspace):
    programme(workspace)
    p = programme_results(workspace)
    texts = recommendations(p)
    assert any(text.startswith("**Rodrigues is behind the plan**: 1 of the 2 sessions due") for text in texts)
    assert not any("Mauritius is behind" in text for text in texts)
    assert any(text.startswith("**Review module FND_PROT") for text in texts)
    assert not any(text.startswith("**Review module SCR") for text in texts)
    # The follow-up surveys: 12 responses from the 33 participants of trainings ended more than 90 days ago.
    assert any(
        text.startswith("**Collect the follow-up surveys**") and "12 responses" in text for text in texts
    )


def test_an_empty_programme_says_so(workspace, admin_client):
    p = programme_results(workspace)
    assert p.events == () and p.pooled is None
    assert recommendations(p) == [
        "No training has been delivered yet: deliver the first sessions of the plan."
    ]
    text = "\n".join(
        paragraph.text for paragraph in Document(io.BytesIO(programme_report_docx(workspace))).paragraphs
    )
    assert "No training has been delivered yet." in text
    assert Presentation(io.BytesIO(programme_report_pptx(workspace))).slides
    assert admin_client.get(f"/w/{workspace.slug}/trainings/programme-report/").status_code == 200


def test_the_word_report_has_every_section(workspace):
    programme(workspace)
    document = Document(io.BytesIO(programme_report_docx(workspace, "en")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for heading in (
        "Summary",
        "Trainings held against the plan",
        "Who was trained",
        "Learning gains",
        "Reactions (Kirkpatrick level 1)",
        "Behaviour change at follow-up (Kirkpatrick level 3)",
        "Changes observed",
        "Lessons learnt",
        "Recommendations for the next year",
        "Trainings held",
        "Definitions",
    ):
        assert heading in text, heading
    assert "Rodrigues is behind the plan" in text
    assert "TR-2026-02: Translate the handouts into Creole" in text
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    by_location = next(table for table in tables if table[0][0] == "Location" and "Due by now" in table[0])
    assert ["Rodrigues", "2", "2", "1", "0", "9 / 9", "5 / 4"] in by_location
    by_training = next(table for table in tables if table[0][0] == "Training" and "Hake g" in table[0])
    assert [row[0] for row in by_training[1:]] == ["TR-2026-01", "TR-2026-02", "TR-2026-03"]
    assert len(document.inline_shapes) >= 5


def test_the_french_report_and_the_deck(workspace):
    programme(workspace)
    french = Document(io.BytesIO(programme_report_docx(workspace, "fr")))
    text = "\n".join(paragraph.text for paragraph in french.paragraphs)
    assert "1 octobre 2026" in text
    deck = Presentation(io.BytesIO(programme_report_pptx(workspace, "en")))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    for title in (
        "The programme in numbers",
        "Trainings held against the plan",
        "Who was trained",
        "Learning: scores before and after",
        "Recommendations for the next year",
    ):
        assert title in titles, title
    words = " ".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )
    assert "Rodrigues" in words and "Review module FND_PROT" in words


def test_the_page_and_its_downloads(workspace, admin_client):
    programme(workspace)
    base = f"/w/{workspace.slug}/trainings/programme-report/"
    page = admin_client.get(base)
    assert page.status_code == 200
    html = page.content.decode()
    assert "behind the plan" in html and "Rodrigues" in html
    assert "<strong>Review module FND_PROT" in html
    assert "report.docx?language=fr" in html and "deck.pptx?language=fr" in html
    docx = admin_client.get(base + "report.docx?language=fr")
    assert docx.status_code == 200
    assert f"capacity-development-report-{workspace.slug}-fr.docx" in docx["Content-Disposition"]
    pptx = admin_client.get(base + "deck.pptx")
    assert pptx.status_code == 200 and pptx["Content-Type"].endswith("presentationml.presentation")
    assert Presentation(io.BytesIO(pptx.content)).slides
