"""The capacity development plan (DOCX), its workbook (XLSX) and its deck (PPTX), written from a small plan
typed in by hand (``report_factories.plan_make``: every expected figure is worked out there), reopened with
python-docx, openpyxl and python-pptx."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import transaction
from django.utils import formats, translation
from docx import Document
from pptx import Presentation

from ctip.formats.documents.model import Figure
from ctip.web.planning.demo_documents import demo_plan_documents
from ctip.web.planning.models import PlanScenario, PlanSession
from ctip.web.planning.report import adopted_scenario, plan_documents
from tests.formats.test_plan_workbook import recalculated
from tests.web.factories import user_make, workspace_make
from tests.web.monitoring.factories import framework_make
from tests.web.planning.report_factories import plan_make

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plan(django_db_setup, django_db_blocker):
    """The plan's documents in both languages, built once for the module (the data is rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        admin = user_make("ada-plan")
        workspace = workspace_make("mauritius", admin=admin, name="Mauritius C-TIP programme")
        scenario = plan_make(workspace)
        framework_make(workspace)
        documents = {
            language: plan_documents(workspace, scenario, language=language) for language in ("en", "fr")
        }
        transaction.set_rollback(True)
    return SimpleNamespace(documents=documents)


def docx(plan, language="en"):
    return Document(io.BytesIO(plan.documents[language].docx))


def headings(document):
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def text_of(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_with(document, first_header, *, containing=""):
    return next(
        table
        for table in document.tables
        if table.rows[0].cells[0].text == first_header
        and (not containing or any(cell.text == containing for row in table.rows for cell in row.cells))
    )


def row_of(table, first_cell):
    return next([cell.text for cell in row.cells] for row in table.rows if row.cells[0].text == first_cell)


def figure(plan, caption, language="en"):
    return next(
        block
        for block in plan.documents[language].report.blocks
        if isinstance(block, Figure) and block.caption == caption
    )


# --- The Word plan ---------------------------------------------------------------------------------------


def test_the_plan_has_every_section_of_the_issue(plan):
    found = headings(docx(plan))
    for section in (
        "Summary",
        "Rationale: the needs the plan answers",
        "Training catalogue",
        "Three-year schedule",
        "Year 1 (2025–26)",
        "Year 3 (2027–28)",
        "Targets: who is trained, where and when",
        "Budget by year and pillar",
        "Needs the plan does not meet",
        "Monitoring and evaluation framework",
        "Handover to national ownership",
        "Risks and mitigation",
    ):
        assert section in found, section
    assert found[0] == "Summary"


def test_the_summary_gives_sessions_seats_cost_and_budget(plan):
    text = text_of(docx(plan))
    assert (
        "schedules 6 training sessions over 3 years, from Year 1 (2025–26) to Year 3 (2027–28), at 2 locations. "
        "They offer 85 seats: 38 for women and 47 for men (45% women). The plan costs 21,050 MUR, 47% of the "
        "budget of 45,000 MUR." in text
    )
    assert "optimality gap 0.4%" in text
    assert "40 of 129 staff-needs stay uncovered" in text


def test_the_schedule_has_the_gantt_chart_and_every_session(plan):
    document = docx(plan)
    gantt = figure(plan, "The schedule of the plan")
    images = [part.blob for part in document.part.package.parts if part.content_type == "image/png"]
    assert gantt.png in images
    year1 = table_with(document, "Quarter", containing="Q1")
    assert [cell.text for cell in year1.rows[1].cells] == [
        "Q1",
        "TT01 Training of trainers: victim identification",
        "Port Louis",
        "International",
        "4",
        "6",
        "5,500",
    ]
    assert len(year1.rows) == 4  # header and sessions 1 to 3
    assert "Q11" in text_of(document)


def test_the_budget_table_sums_by_year_and_pillar(plan):
    budget = table_with(docx(plan), "Pillar", containing="Budget available")
    assert budget.rows[0].cells[1].text == "Year 1 (2025–26)"
    assert row_of(budget, "Protection")[1:] == ["11,050", "0", "2,000", "13,050"]
    assert row_of(budget, "Prosecution")[1:] == ["0", "4,000", "4,000", "8,000"]
    assert row_of(budget, "Prevention")[1:] == ["0", "0", "0", "0"]
    assert row_of(budget, "Total")[1:] == ["11,050", "4,000", "6,000", "21,050"]
    assert row_of(budget, "Budget available")[1:] == ["20,000", "15,000", "10,000", "45,000"]
    assert row_of(budget, "Share of the budget used")[1:] == ["55%", "27%", "60%", "47%"]


def test_the_targets_by_location_year_and_sex(plan):
    targets = table_with(docx(plan), "Location", containing="Rodrigues")
    assert row_of(targets, "Port Louis")[1:] == ["17 / 18", "3 / 7", "10 / 20", "30", "45", "75"]
    assert row_of(targets, "Rodrigues")[1:] == ["8 / 2", "0 / 0", "0 / 0", "8", "2", "10"]
    segments = table_with(docx(plan), "Segment", containing="Year 1")
    assert row_of(segments, "S01 MPF · Frontline officers · Port Louis")[1:] == ["30", "10", "30", "27", "43"]
    assert row_of(segments, "S03 Labour Inspectorate · Inspectors · Port Louis")[1:] == [
        "5",
        "0",
        "0",
        "3",
        "2",
    ]


def test_the_catalogue_lists_offered_modules_with_their_sessions(plan):
    document = docx(plan)
    catalogue = table_with(document, "Code")
    codes = [row.cells[0].text for row in catalogue.rows[1:]]
    assert codes == ["TT01", "ID01", "PR01"]  # XX09 is not offered and not used
    assert row_of(catalogue, "ID01")[-1] == "3"
    text = text_of(document)
    assert "TT01 is a training of trainers" in text
    assert "PR01 requires ID01 in an earlier quarter." in text


def test_the_rationale_without_a_survey_uses_the_demand(plan):
    document = docx(plan)
    text = text_of(document)
    assert "No training needs survey has been recorded in this workspace yet." in text
    demand = table_with(document, "Competency", containing="ID01")
    assert row_of(demand, "ID01")[1:] == ["48", "61", "109", "55"]
    assert row_of(demand, "PR01")[1:] == ["5", "15", "20", "20"]


def test_unmet_needs_by_reason_and_the_national_trainer_share(plan):
    document = docx(plan)
    reasons = table_with(document, "Reason")
    assert row_of(reasons, "budget")[1:] == ["1", "30"]
    assert row_of(reasons, "trainer time")[1:] == ["1", "10"]
    national = table_with(document, "Year", containing="National trainers")
    assert [row.cells[3].text for row in national.rows[1:]] == ["33%", "0%", "100%"]
    assert [row.cells[4].text for row in national.rows[1:]] == ["—", "30%", "50%"]
    assert "Training of trainers: 1 session (10 seats) from Q1" in text_of(document)


def test_the_plan_in_french(plan):
    document = docx(plan, "fr")
    text = text_of(document)
    assert "Maurice" in text
    with translation.override("fr"):
        total = formats.number_format(21050, decimal_pos=0, force_grouping=True)
    budget = table_with(document, "Pilier", containing=total)
    assert any(row.cells[0].text == "Poursuites" for row in budget.rows)
    assert "Identifier et orienter les victimes" in text
    assert document.core_properties.language.startswith("fr")


# --- The workbook ----------------------------------------------------------------------------------------


def test_the_workbook_has_the_sessions_with_formulas(plan):
    book = openpyxl.load_workbook(io.BytesIO(plan.documents["en"].xlsx))
    assert book.sheetnames == ["Schedule", "Seats", "Budget", "Targets"]
    schedule = book["Schedule"]
    assert [schedule.cell(row=row, column=4).value for row in range(2, 8)] == [
        "TT01",
        "ID01",
        "ID01",
        "PR01",
        "ID01",
        "PR01",
    ]
    assert schedule["F5"].value == "Prosecution"
    assert (schedule["L2"].value, schedule["M2"].value) == (4000, 150)
    assert schedule["N2"].value == "=L2+K2*M2"
    assert book["Seats"].max_row == 9  # 7 seat rows, the header and the total


def test_libreoffice_computes_the_plan_totals(plan, tmp_path):
    book = recalculated(tmp_path, plan.documents["en"].xlsx)
    schedule, _seats, budget, _targets = (book[name] for name in book.sheetnames)
    assert [schedule[f"N{row}"].value for row in range(2, 8)] == [5500, 2250, 3300, 4000, 2000, 4000]
    assert schedule["N8"].value == 21050
    total = next(
        row for row in range(1, budget.max_row + 1) if budget.cell(row=row, column=1).value == "Total"
    )
    assert [budget.cell(row=total, column=column).value for column in range(2, 6)] == [
        11050,
        4000,
        6000,
        21050,
    ]


# --- The deck --------------------------------------------------------------------------------------------


def test_the_deck_presents_the_plan_for_validation(plan):
    deck = Presentation(io.BytesIO(plan.documents["en"].pptx))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert titles[0] == "Capacity development plan — Mauritius"
    for title in (
        "The plan in numbers",
        "Three-year schedule",
        "Who is trained, where",
        "Budget by year",
        "Handover to national trainers",
        "What the plan leaves unmet, and why",
        "Risks and mitigation",
        "Questions for validation",
    ):
        assert title in titles, title
    schedule = next(slide for slide in deck.slides if slide.shapes.title.text == "Three-year schedule")
    assert any(shape.shape_type == 13 for shape in schedule.shapes)  # a picture
    numbers = next(slide for slide in deck.slides if slide.shapes.title.text == "The plan in numbers")
    assert "85 seats: 38 women, 47 men" in " ".join(
        shape.text_frame.text for shape in numbers.shapes if shape.has_text_frame
    )


# --- Choosing the scenario, and the demo -----------------------------------------------------------------


def test_the_adopted_scenario_is_the_default_and_the_demo_writes_six_files(workspace):
    assert adopted_scenario(workspace) is None
    assert demo_plan_documents(workspace) == []
    scenario = plan_make(workspace)
    PlanScenario.objects.create(workspace=workspace, name="Budget −20 %", is_adopted=False)
    assert adopted_scenario(workspace) == scenario
    documents = demo_plan_documents(workspace)
    assert [(document.kind, document.file_name) for document in documents] == [
        ("capacity-plan", "capacity-plan.docx"),
        ("capacity-plan-workbook", "capacity-plan.xlsx"),
        ("capacity-plan-deck", "capacity-plan-deck.pptx"),
        ("capacity-plan", "capacity-plan-fr.docx"),
        ("capacity-plan-workbook", "capacity-plan-fr.xlsx"),
        ("capacity-plan-deck", "capacity-plan-deck-fr.pptx"),
    ]
    assert all(len(document.content) > 5_000 for document in documents)
    assert openpyxl.load_workbook(io.BytesIO(documents[4].content)).sheetnames[0] == "Calendrier"


def test_an_adopted_scenario_without_sessions_gives_no_demo_documents(workspace):
    scenario = plan_make(workspace)
    PlanSession.objects.filter(scenario=scenario).delete()
    assert demo_plan_documents(workspace) == []


def test_the_monitoring_section_lists_the_workspaces_framework(plan):
    document = docx(plan)
    table = table_with(document, "Result")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    indicators = [row[1] for row in rows]
    assert any(
        text.startswith("Percentage of frontline officers rating their competence in screening")
        for text in indicators
    )
    assert any(row[0].endswith("1.1: Frontline officers are trained") for row in rows)
    outcome = next(row for row in rows if row[0].startswith("Outcome 1"))
    assert outcome[4] == "Training records · Yearly" and outcome[5] == "Police Training School"
    assert next(row for row in rows if row[0].startswith("Output 1.1"))[2] == "0 (2024)"
