"""The capacity plan as an Excel workbook whose totals are live formulas.

Four sheets, written from plain dataclasses (:class:`PlanWorkbook`) in English or French:

* **Schedule** — one row per session: quarter, year, module, pillar, location, trainer, women and men
  (summed from the Seats sheet), participants, the cost per session and per participant of the module at
  that location, and the session's cost ``= cost per session + participants × cost per participant``;
* **Seats** — one row per session × segment, with the women's and men's seats (the numbers a planner edits);
  its quarter and year follow the session's row on the Schedule sheet;
* **Budget** — the cost by year × pillar (``SUMIFS`` over the Schedule), the budget available each year and
  what remains;
* **Targets** — the seats by segment × sex × year and by location × sex × year (``SUMIFS`` over the Seats).

Every total is a formula, so a planner who changes a seat or a cost sees the participants, the session's
cost, the budget and the targets follow. The workbook asks the spreadsheet to recalculate on opening
(openpyxl stores no computed values). Text cells are written as text (a value that a spreadsheet would run
as a formula gets a leading apostrophe).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.properties import CalcProperties

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.model import Text
from ctip.formats.tabular import column_letter, neutralise_formula

LANGUAGES = ("en", "fr")
MONEY_FORMAT = "#,##0"
COUNT_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", start_color="DDE5EE")
INPUT_FILL = PatternFill("solid", start_color="FFF8E1")
"""Cells a planner may change (seats and unit costs): a pale yellow, as spreadsheet users expect."""
TOTAL_FILL = PatternFill("solid", start_color="F1F4F8")
BOLD = Font(name="Calibri", bold=True)

_W: dict[str, Text] = {
    "schedule": Text("Schedule", "Calendrier"),
    "seats": Text("Seats", "Places"),
    "budget": Text("Budget", "Budget"),
    "targets": Text("Targets", "Cibles"),
    "session": Text("Session", "Session"),
    "quarter": Text("Quarter", "Trimestre"),
    "year": Text("Year", "Année"),
    "module": Text("Module", "Module"),
    "title": Text("Title", "Intitulé"),
    "pillar": Text("Pillar", "Pilier"),
    "location": Text("Location", "Lieu"),
    "trainer": Text("Trainer", "Formateur"),
    "women": Text("Women", "Femmes"),
    "men": Text("Men", "Hommes"),
    "participants": Text("Participants", "Participants"),
    "cost_session": Text("Cost per session (%(currency)s)", "Coût par session (%(currency)s)"),
    "cost_participant": Text("Cost per participant (%(currency)s)", "Coût par participant (%(currency)s)"),
    "cost": Text("Cost (%(currency)s)", "Coût (%(currency)s)"),
    "segment": Text("Segment", "Segment"),
    "organisation": Text("Organisation", "Organisation"),
    "role_group": Text("Role group", "Groupe de fonctions"),
    "segment_location": Text("Segment location", "Lieu du segment"),
    "total": Text("Total", "Total"),
    "year_n": Text("Year %(year)s", "Année %(year)s"),
    "year_n_women": Text("Year %(year)s: women", "Année %(year)s : femmes"),
    "year_n_men": Text("Year %(year)s: men", "Année %(year)s : hommes"),
    "total_women": Text("Total women", "Total femmes"),
    "total_men": Text("Total men", "Total hommes"),
    "cost_by_pillar": Text(
        "Cost by year and pillar (%(currency)s)", "Coût par année et par pilier (%(currency)s)"
    ),
    "budget_available": Text("Budget available", "Budget disponible"),
    "remaining": Text("Remaining", "Solde"),
    "by_segment": Text("Seats by segment, sex and year", "Places par segment, sexe et année"),
    "by_location": Text("Seats by location, sex and year", "Places par lieu, sexe et année"),
}


def _w(key: str, language: str, **params: object) -> str:
    text = _W[key].fr if language == "fr" else _W[key].en
    return text % params if params else text


@dataclass(frozen=True)
class SeatRow:
    segment: str
    female: int
    male: int


@dataclass(frozen=True)
class ScheduleRow:
    """One session; ``pillar`` and ``trainer`` are already in the workbook's language."""

    quarter: int
    module_code: str
    module_title: str
    pillar: str
    location: str
    trainer: str
    cost_per_session: float
    cost_per_participant: float
    seats: tuple[SeatRow, ...]


@dataclass(frozen=True)
class SegmentRow:
    code: str
    organisation: str
    role_group: str
    location: str


@dataclass(frozen=True)
class PlanWorkbook:
    sessions: tuple[ScheduleRow, ...]
    segments: tuple[SegmentRow, ...]
    pillars: tuple[str, ...]
    """The pillars' labels, in the order of the Budget sheet's rows (a session's ``pillar`` is one of them)."""
    years: int
    budget_per_year: tuple[float, ...]
    """The budget available in each year; the last value repeats for later years (none: no budget rows)."""
    currency: str
    language: str = "en"


def write_plan_workbook(plan: PlanWorkbook) -> bytes:
    """The workbook as ``.xlsx`` bytes. Raises ``invalid_value`` for a language other than English or
    French, and for a session whose pillar or seats name a pillar or segment the workbook does not list."""
    _check(plan)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    language = plan.language
    schedule = workbook.create_sheet(_w("schedule", language))
    seats = workbook.create_sheet(_w("seats", language))
    budget = workbook.create_sheet(_w("budget", language))
    targets = workbook.create_sheet(_w("targets", language))
    session_rows = _schedule(schedule, seats.title, plan)
    seat_rows = _seats(seats, schedule.title, plan)
    _budget(budget, schedule.title, session_rows, plan)
    _targets(targets, seats.title, seat_rows, plan)
    for sheet in (schedule, seats, budget, targets):
        _print_setup(sheet)
    # openpyxl writes formulas without their values: ask Excel and LibreOffice to compute them on opening.
    workbook.calculation = CalcProperties(fullCalcOnLoad=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check(plan: PlanWorkbook) -> None:
    problems: list[FieldProblem] = []
    if plan.language not in LANGUAGES:
        problems.append(FieldProblem("language", _("Choose “en” or “fr”.")))
    segments = {segment.code for segment in plan.segments}
    for number, session in enumerate(plan.sessions, start=1):
        if session.pillar not in plan.pillars:
            problems.append(
                FieldProblem(
                    f"sessions[{number}].pillar",
                    _("“%(pillar)s” is not one of the workbook's pillars."),
                    {"pillar": session.pillar},
                )
            )
        if not 1 <= session.quarter <= plan.years * 4:
            problems.append(
                FieldProblem(
                    f"sessions[{number}].quarter",
                    _("Quarter %(quarter)s is outside the plan's %(quarters)s quarters."),
                    {"quarter": session.quarter, "quarters": plan.years * 4},
                )
            )
        for seat in session.seats:
            if seat.segment not in segments:
                problems.append(
                    FieldProblem(
                        f"sessions[{number}].seats",
                        _("Segment “%(segment)s” is not one of the workbook's segments."),
                        {"segment": seat.segment},
                    )
                )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The plan workbook cannot be written: %(count)s problems in its data."),
            {"count": len(problems)},
            problems=problems,
        )


# --- Writing cells ---------------------------------------------------------------------------------------


def _header(sheet: Any, titles: Sequence[str], *, row: int = 1) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=neutralise_formula(title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Room for headings on two lines (spreadsheets do not grow a row for wrapped text written by a program).
    sheet.row_dimensions[row].height = 30


def _text(sheet: Any, row: int, column: int, value: str) -> None:
    sheet.cell(row=row, column=column, value=neutralise_formula(value))


def _number(sheet: Any, row: int, column: int, value: object, number_format: str = COUNT_FORMAT) -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = width


def _total_style(sheet: Any, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = BOLD
        cell.fill = TOTAL_FILL


def _print_setup(sheet: Any) -> None:
    """Printed landscape, one page wide, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _sheet_reference(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


# --- The sheets ------------------------------------------------------------------------------------------

# Schedule columns
_S_NUMBER, _S_QUARTER, _S_YEAR, _S_MODULE, _S_TITLE, _S_PILLAR, _S_LOCATION, _S_TRAINER = range(1, 9)
_S_WOMEN, _S_MEN, _S_PARTICIPANTS, _S_COST_SESSION, _S_COST_PARTICIPANT, _S_COST = range(9, 15)
# Seats columns
_T_SESSION, _T_QUARTER, _T_YEAR, _T_MODULE, _T_SEGMENT, _T_ORGANISATION, _T_ROLE, _T_LOCATION = range(1, 9)
_T_WOMEN, _T_MEN, _T_TOTAL = range(9, 12)


def _schedule(sheet: Any, seats_title: str, plan: PlanWorkbook) -> tuple[int, int]:
    """Writes the Schedule; returns its first and last data rows."""
    language, currency = plan.language, plan.currency
    _header(
        sheet,
        (
            _w("session", language),
            _w("quarter", language),
            _w("year", language),
            _w("module", language),
            _w("title", language),
            _w("pillar", language),
            _w("location", language),
            _w("trainer", language),
            _w("women", language),
            _w("men", language),
            _w("participants", language),
            _w("cost_session", language, currency=currency),
            _w("cost_participant", language, currency=currency),
            _w("cost", language, currency=currency),
        ),
    )
    seats = _sheet_reference(seats_title)
    last_seat_row = 1 + sum(len(session.seats) for session in plan.sessions)
    seat_sessions = f"{seats}!${column_letter(_T_SESSION)}$2:${column_letter(_T_SESSION)}${last_seat_row}"
    first = 2
    for index, session in enumerate(plan.sessions):
        row = first + index
        _number(sheet, row, _S_NUMBER, index + 1)
        _number(sheet, row, _S_QUARTER, session.quarter)
        _number(sheet, row, _S_YEAR, f"=INT(({column_letter(_S_QUARTER)}{row}-1)/4)+1")
        _text(sheet, row, _S_MODULE, session.module_code)
        _text(sheet, row, _S_TITLE, session.module_title)
        _text(sheet, row, _S_PILLAR, session.pillar)
        _text(sheet, row, _S_LOCATION, session.location)
        _text(sheet, row, _S_TRAINER, session.trainer)
        for column, source in ((_S_WOMEN, _T_WOMEN), (_S_MEN, _T_MEN)):
            letter = column_letter(source)
            _number(
                sheet,
                row,
                column,
                f"=SUMIFS({seats}!${letter}$2:${letter}${last_seat_row},{seat_sessions},"
                f"{column_letter(_S_NUMBER)}{row})",
            )
        _number(sheet, row, _S_PARTICIPANTS, f"={column_letter(_S_WOMEN)}{row}+{column_letter(_S_MEN)}{row}")
        _number(sheet, row, _S_COST_SESSION, session.cost_per_session, MONEY_FORMAT).fill = INPUT_FILL
        _number(sheet, row, _S_COST_PARTICIPANT, session.cost_per_participant, MONEY_FORMAT).fill = INPUT_FILL
        _number(
            sheet,
            row,
            _S_COST,
            f"={column_letter(_S_COST_SESSION)}{row}+{column_letter(_S_PARTICIPANTS)}{row}"
            f"*{column_letter(_S_COST_PARTICIPANT)}{row}",
            MONEY_FORMAT,
        )
    last = first + len(plan.sessions) - 1
    total_row = max(last, first - 1) + 1
    _text(sheet, total_row, _S_NUMBER, _w("total", language))
    for column, number_format in (
        (_S_WOMEN, COUNT_FORMAT),
        (_S_MEN, COUNT_FORMAT),
        (_S_PARTICIPANTS, COUNT_FORMAT),
        (_S_COST, MONEY_FORMAT),
    ):
        letter = column_letter(column)
        _number(sheet, total_row, column, f"=SUM({letter}{first}:{letter}{max(last, first)})", number_format)
    _total_style(sheet, total_row, _S_COST)
    _widths(sheet, (9, 9, 7, 10, 42, 14, 16, 14, 9, 9, 12, 18, 18, 14))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(_S_COST)}{max(last, first)}"
    return first, max(last, first)


def _seats(sheet: Any, schedule_title: str, plan: PlanWorkbook) -> tuple[int, int]:
    language = plan.language
    _header(
        sheet,
        (
            _w("session", language),
            _w("quarter", language),
            _w("year", language),
            _w("module", language),
            _w("segment", language),
            _w("organisation", language),
            _w("role_group", language),
            _w("segment_location", language),
            _w("women", language),
            _w("men", language),
            _w("total", language),
        ),
    )
    schedule = _sheet_reference(schedule_title)
    segments = {segment.code: segment for segment in plan.segments}
    row = 2
    for index, session in enumerate(plan.sessions):
        schedule_row = 2 + index
        for seat in session.seats:
            segment = segments[seat.segment]
            _number(sheet, row, _T_SESSION, index + 1)
            # The quarter follows the session's row, so moving a session moves its seats to the new year.
            _number(sheet, row, _T_QUARTER, f"={schedule}!${column_letter(_S_QUARTER)}${schedule_row}")
            _number(sheet, row, _T_YEAR, f"=INT(({column_letter(_T_QUARTER)}{row}-1)/4)+1")
            _text(sheet, row, _T_MODULE, session.module_code)
            _text(sheet, row, _T_SEGMENT, segment.code)
            _text(sheet, row, _T_ORGANISATION, segment.organisation)
            _text(sheet, row, _T_ROLE, segment.role_group)
            _text(sheet, row, _T_LOCATION, segment.location)
            _number(sheet, row, _T_WOMEN, seat.female).fill = INPUT_FILL
            _number(sheet, row, _T_MEN, seat.male).fill = INPUT_FILL
            _number(sheet, row, _T_TOTAL, f"={column_letter(_T_WOMEN)}{row}+{column_letter(_T_MEN)}{row}")
            row += 1
    last = max(row - 1, 2)
    _text(sheet, row, _T_SESSION, _w("total", language))
    for column in (_T_WOMEN, _T_MEN, _T_TOTAL):
        letter = column_letter(column)
        _number(sheet, row, column, f"=SUM({letter}2:{letter}{last})")
    _total_style(sheet, row, _T_TOTAL)
    _widths(sheet, (9, 9, 7, 10, 10, 30, 24, 16, 9, 9, 9))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(_T_TOTAL)}{last}"
    return 2, last


def _budget(sheet: Any, schedule_title: str, rows: tuple[int, int], plan: PlanWorkbook) -> None:
    language, years = plan.language, plan.years
    schedule = _sheet_reference(schedule_title)
    first, last = rows

    def column_range(column: int) -> str:
        letter = column_letter(column)
        return f"{schedule}!${letter}${first}:${letter}${last}"

    _header(
        sheet,
        (
            _w("cost_by_pillar", language, currency=plan.currency),
            *(_w("year_n", language, year=year) for year in range(1, years + 1)),
            _w("total", language),
        ),
    )
    total_column = years + 2
    for index, pillar in enumerate(plan.pillars):
        row = 2 + index
        _text(sheet, row, 1, pillar)
        for year in range(1, years + 1):
            _number(
                sheet,
                row,
                1 + year,
                f"=SUMIFS({column_range(_S_COST)},{column_range(_S_PILLAR)},$A{row},"
                f"{column_range(_S_YEAR)},{year})",
                MONEY_FORMAT,
            )
        _number(sheet, row, total_column, f"=SUM(B{row}:{column_letter(years + 1)}{row})", MONEY_FORMAT)
    last_pillar = 1 + len(plan.pillars)
    total_row = last_pillar + 1
    _text(sheet, total_row, 1, _w("total", language))
    for column in range(2, total_column + 1):
        letter = column_letter(column)
        _number(sheet, total_row, column, f"=SUM({letter}2:{letter}{max(last_pillar, 2)})", MONEY_FORMAT)
    _total_style(sheet, total_row, total_column)
    if plan.budget_per_year:
        available_row, remaining_row = total_row + 2, total_row + 3
        _text(sheet, available_row, 1, _w("budget_available", language))
        _text(sheet, remaining_row, 1, _w("remaining", language))
        for year in range(1, years + 1):
            amount = plan.budget_per_year[min(year, len(plan.budget_per_year)) - 1]
            _number(sheet, available_row, 1 + year, amount, MONEY_FORMAT).fill = INPUT_FILL
            letter = column_letter(1 + year)
            _number(
                sheet,
                remaining_row,
                1 + year,
                f"={letter}{available_row}-{letter}{total_row}",
                MONEY_FORMAT,
            )
        for row in (available_row, remaining_row):
            _number(sheet, row, total_column, f"=SUM(B{row}:{column_letter(years + 1)}{row})", MONEY_FORMAT)
        _total_style(sheet, remaining_row, total_column)
    _widths(sheet, (34, *([14] * years), 14))
    sheet.freeze_panes = "B2"


def _targets(sheet: Any, seats_title: str, rows: tuple[int, int], plan: PlanWorkbook) -> None:
    language, years = plan.language, plan.years
    seats = _sheet_reference(seats_title)
    first, last = rows

    def column_range(column: int) -> str:
        letter = column_letter(column)
        return f"{seats}!${letter}${first}:${letter}${last}"

    year_titles: list[str] = []
    for year in range(1, years + 1):
        year_titles += [_w("year_n_women", language, year=year), _w("year_n_men", language, year=year)]
    totals = (_w("total_women", language), _w("total_men", language), _w("total", language))
    _header(
        sheet,
        (
            _w("segment", language),
            _w("organisation", language),
            _w("role_group", language),
            _w("location", language),
            *year_titles,
            *totals,
        ),
    )
    first_value = 5
    total_women = first_value + 2 * years
    header_row = 1

    def write_block(start: int, keys: Sequence[tuple[Sequence[str], str]], criterion_column: int) -> int:
        """Rows of SUMIFS for each key (its label cells, the value matched in ``criterion_column`` of the
        Seats sheet); returns the row of the block's total."""
        for index, (labels, _key) in enumerate(keys):
            row = start + index
            for column, label in enumerate(labels, start=1):
                _text(sheet, row, column, label)
            key_cell = f"$A{row}" if criterion_column == _T_SEGMENT else f"$D{row}"
            for year in range(1, years + 1):
                for offset, source in enumerate((_T_WOMEN, _T_MEN)):
                    _number(
                        sheet,
                        row,
                        first_value + 2 * (year - 1) + offset,
                        f"=SUMIFS({column_range(source)},{column_range(criterion_column)},{key_cell},"
                        f"{column_range(_T_YEAR)},{year})",
                    )
            women = [column_letter(first_value + 2 * (year - 1)) + str(row) for year in range(1, years + 1)]
            men = [column_letter(first_value + 2 * (year - 1) + 1) + str(row) for year in range(1, years + 1)]
            _number(sheet, row, total_women, "=" + "+".join(women))
            _number(sheet, row, total_women + 1, "=" + "+".join(men))
            _number(
                sheet,
                row,
                total_women + 2,
                f"={column_letter(total_women)}{row}+{column_letter(total_women + 1)}{row}",
            )
        end = start + len(keys) - 1
        total_row = max(end, start - 1) + 1
        _text(sheet, total_row, 1, _w("total", language))
        for column in range(first_value, total_women + 3):
            letter = column_letter(column)
            _number(sheet, total_row, column, f"=SUM({letter}{start}:{letter}{max(end, start)})")
        _total_style(sheet, total_row, total_women + 2)
        return total_row

    segment_keys = [
        ((segment.code, segment.organisation, segment.role_group, segment.location), segment.code)
        for segment in plan.segments
    ]
    _text(sheet, header_row + 1, 1, _w("by_segment", language))
    sheet.cell(row=header_row + 1, column=1).font = BOLD
    end = write_block(header_row + 2, segment_keys, _T_SEGMENT)
    locations = sorted({segment.location for segment in plan.segments}, key=str.casefold)
    _text(sheet, end + 2, 1, _w("by_location", language))
    sheet.cell(row=end + 2, column=1).font = BOLD
    write_block(end + 3, [(("", "", "", location), location) for location in locations], _T_LOCATION)
    _widths(sheet, (12, 30, 24, 16, *([11] * (2 * years)), 11, 11, 11))
    sheet.freeze_panes = "E2"
