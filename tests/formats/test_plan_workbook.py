"""The plan workbook: the sheets, their headings in English and French, the formulas in the cells, and the
values LibreOffice computes from them (the totals are formulas, never typed numbers)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.formats.plan_workbook import PlanWorkbook, ScheduleRow, SeatRow, SegmentRow, write_plan_workbook
from tests.formats.libreoffice import recalculated

SEGMENTS = (
    SegmentRow("S01", "Police (MPF)", "Frontline officers", "Port Louis"),
    SegmentRow("S02", "Social Security", "Case workers", "Rodrigues"),
    SegmentRow("S03", "Labour inspectorate", "Inspectors", "Port Louis"),
)
PILLARS = ("Prevention", "Protection", "Prosecution", "Partnership")


def sample(language: str = "en", **changes: object) -> PlanWorkbook:
    sessions = (
        # 1000 + 12 × 50 = 1600, year 1, Protection
        ScheduleRow(
            1,
            "ID01",
            "Identifying victims",
            "Protection",
            "Port Louis",
            "National",
            1000.0,
            50.0,
            (SeatRow("S01", 4, 6), SeatRow("S03", 1, 1)),
        ),
        # 2000 + 8 × 100 = 2800, year 2, Protection
        ScheduleRow(
            6,
            "CM02",
            "Case management",
            "Protection",
            "Rodrigues",
            "International",
            2000.0,
            100.0,
            (SeatRow("S02", 5, 3),),
        ),
        # 500 + 20 × 10 = 700, year 3, Prosecution
        ScheduleRow(
            12,
            "PR01",
            "=Investigating cases",
            "Prosecution",
            "Port Louis",
            "National",
            500.0,
            10.0,
            (SeatRow("S01", 8, 10), SeatRow("S03", 2, 0)),
        ),
    )
    values: dict[str, object] = {
        "sessions": sessions,
        "segments": SEGMENTS,
        "pillars": PILLARS,
        "years": 3,
        "budget_per_year": (5000.0, 4000.0),
        "currency": "MUR",
        "language": language,
    }
    values.update(changes)
    return PlanWorkbook(**values)  # type: ignore[arg-type]


def workbook(plan: PlanWorkbook, **options: bool) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_plan_workbook(plan)), **options)


def row_of(sheet, first_cell: str) -> int:
    return next(
        row for row in range(1, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == first_cell
    )


def test_the_four_sheets_have_frozen_headings_and_the_sessions_in_order():
    book = workbook(sample())
    assert book.sheetnames == ["Schedule", "Seats", "Budget", "Targets"]
    schedule = book["Schedule"]
    assert [cell.value for cell in schedule[1]] == [
        "Session",
        "Quarter",
        "Year",
        "Module",
        "Title",
        "Pillar",
        "Location",
        "Trainer",
        "Women",
        "Men",
        "Participants",
        "Cost per session (MUR)",
        "Cost per participant (MUR)",
        "Cost (MUR)",
    ]
    assert schedule.freeze_panes == "A2"
    assert [schedule.cell(row=row, column=4).value for row in (2, 3, 4)] == ["ID01", "CM02", "PR01"]
    assert schedule.cell(row=2, column=1).font.bold is False
    assert schedule.column_dimensions["E"].width >= 30
    assert schedule["N2"].number_format == "#,##0"
    # User text that looks like a formula stays text.
    assert schedule["E4"].value == "'=Investigating cases"


def test_costs_participants_and_totals_are_formulas():
    book = workbook(sample())
    schedule, seats, budget, targets = (book[name] for name in book.sheetnames)
    assert schedule["N2"].value == "=L2+K2*M2"
    assert schedule["K2"].value == "=I2+J2"
    assert schedule["C4"].value == "=INT((B4-1)/4)+1"
    assert schedule["I2"].value == "=SUMIFS('Seats'!$I$2:$I$6,'Seats'!$A$2:$A$6,A2)"
    assert schedule["A5"].value == "Total" and schedule["N5"].value == "=SUM(N2:N4)"
    assert seats["B2"].value == "='Schedule'!$B$2"
    assert seats["I2"].value == 4 and seats["K2"].value == "=I2+J2"
    protection = row_of(budget, "Protection")
    assert budget.cell(row=protection, column=2).value.startswith("=SUMIFS('Schedule'!$N$2:$N$4,")
    assert "Remaining" in [cell.value for cell in budget["A"]]
    assert targets.cell(row=row_of(targets, "S01"), column=5).value.startswith("=SUMIFS('Seats'!$I$2:$I$6")
    for sheet in (schedule, seats, budget, targets):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "Total" and cell.column == 1:
                    totals = [c.value for c in row[1:] if c.value is not None]
                    assert totals and all(str(value).startswith("=") for value in totals), sheet.title


def test_french_headings():
    book = workbook(sample("fr"))
    assert book.sheetnames == ["Calendrier", "Places", "Budget", "Cibles"]
    assert book["Calendrier"]["B1"].value == "Trimestre"
    assert book["Calendrier"]["N1"].value == "Coût (MUR)"
    assert book["Cibles"]["E1"].value == "Année 1 : femmes"
    assert "Budget disponible" in [cell.value for cell in book["Budget"]["A"]]
    # Formulas name the French sheets.
    assert book["Calendrier"]["I2"].value.startswith("=SUMIFS('Places'!")


def test_bad_data_is_refused_with_every_problem_named():
    bad = sample(
        language="de",
        sessions=(
            ScheduleRow(13, "X", "X", "Nowhere", "Port Louis", "National", 1.0, 1.0, (SeatRow("S99", 1, 1),)),
        ),
    )
    with pytest.raises(DomainError) as raised:
        write_plan_workbook(bad)
    locations = [problem.location for problem in raised.value.problems]
    assert locations == ["language", "sessions[1].pillar", "sessions[1].quarter", "sessions[1].seats"]
    assert "S99" in raised.value.problems[-1].message


def test_libreoffice_computes_the_expected_totals(tmp_path):
    book = recalculated(tmp_path, write_plan_workbook(sample()))
    schedule, seats, budget, targets = (book[name] for name in book.sheetnames)
    assert [schedule[f"N{row}"].value for row in (2, 3, 4)] == [1600, 2800, 700]
    assert [schedule[f"C{row}"].value for row in (2, 3, 4)] == [1, 2, 3]
    assert [schedule[f"I{row}"].value for row in (2, 3, 4)] == [5, 5, 10]
    assert schedule["N5"].value == 5100 and schedule["K5"].value == 40
    assert seats["K7"].value == 40
    protection, prosecution, total = (row_of(budget, name) for name in ("Protection", "Prosecution", "Total"))
    assert [budget.cell(row=protection, column=c).value for c in (2, 3, 4, 5)] == [1600, 2800, 0, 4400]
    assert [budget.cell(row=prosecution, column=c).value for c in (2, 3, 4, 5)] == [0, 0, 700, 700]
    assert [budget.cell(row=total, column=c).value for c in (2, 3, 4, 5)] == [1600, 2800, 700, 5100]
    remaining = row_of(budget, "Remaining")
    # The last year's budget repeats: 5000, 4000, 4000.
    assert [budget.cell(row=remaining, column=c).value for c in (2, 3, 4, 5)] == [3400, 1200, 3300, 7900]
    s01 = row_of(targets, "S01")
    # Year 1: 4 women, 6 men; year 3: 8 women, 10 men; totals 12, 16, 28.
    assert [targets.cell(row=s01, column=c).value for c in range(5, 14)] == [4, 6, 0, 0, 8, 10, 12, 16, 28]
    port_louis = next(
        row
        for row in range(1, targets.max_row + 1)
        if targets.cell(row=row, column=4).value == "Port Louis" and not targets.cell(row=row, column=1).value
    )
    # Port Louis: S01 and S03 (year 1: 5 women, 7 men; year 3: 10 women, 10 men).
    assert [targets.cell(row=port_louis, column=c).value for c in range(5, 14)] == [
        5,
        7,
        0,
        0,
        10,
        10,
        15,
        17,
        32,
    ]
    totals = [
        row for row in range(1, targets.max_row + 1) if targets.cell(row=row, column=1).value == "Total"
    ]
    assert [targets.cell(row=row, column=13).value for row in totals] == [40, 40]
