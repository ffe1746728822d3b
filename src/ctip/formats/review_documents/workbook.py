"""The comment matrix and the differences as Excel workbooks, in the house style of
:mod:`ctip.formats.nap_workbook`: a bold shaded header row, frozen and printed on every page, a filter,
wrapped text, and landscape pages one page wide."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.datavalidation import DataValidation

from ctip.formats.documents.model import xml_safe
from ctip.formats.review_documents.model import (
    CHANGE_KEYS,
    EMPTY,
    CommentMatrix,
    DiffDocument,
    change_detail,
    decision_choices,
    document_language,
    element_text,
    kind_counts,
    wording,
)
from ctip.formats.tabular import column_letter, neutralise_formula

HEADER_FILL = PatternFill("solid", start_color="DDE5EE")
TOTAL_FILL = PatternFill("solid", start_color="F1F4F8")
BOLD = Font(name="Calibri", bold=True)
TITLE = Font(name="Calibri", bold=True, size=13)
LINK = Font(name="Calibri", color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(horizontal="center", vertical="top")
DATE_FORMAT = "d mmm yyyy"
EXCEL_CELL_LIMIT = 32767
LINE_HEIGHT = 15
"""Points per line of 11-point Calibri."""
CHARACTERS_PER_WIDTH = 1.2
"""Characters of ordinary text per unit of column width (the width of a "0"), a little cautious."""
MAX_ROW_HEIGHT = 409
"""Excel's tallest row, in points."""
APPENDED_ROWS = 500
"""The Summary's formulas reach this far below the last comment, so that rows added in Excel count too."""

(
    M_NUMBER,
    M_ELEMENT,
    M_COMMENT,
    M_REVIEWER,
    M_ORGANISATION,
    M_DATE,
    M_RESPONSE,
    M_DECISION,
    M_REASON,
    M_CHANGE,
) = range(1, 11)
_MATRIX_COLUMNS = (
    ("number", 6),
    ("element", 30),
    ("comment", 50),
    ("reviewer", 20),
    ("organisation", 20),
    ("date", 12),
    ("response", 50),
    ("decision", 18),
    ("reason", 32),
    ("change", 26),
)
_DIFF_COLUMNS = (
    ("type", 16),
    ("element", 40),
    ("where", 30),
    ("change", 12),
    ("detail", 22),
    ("before", 40),
    ("after", 40),
)


def comment_matrix_xlsx(matrix: CommentMatrix) -> bytes:
    """The comment matrix as a workbook: a "Comment matrix" sheet a consultant can go on filling (the
    Decision column keeps a drop-down list) and a "Summary" whose counts are live formulas."""
    language = document_language(matrix.language)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = matrix.title
    sheet = workbook.create_sheet(wording("matrix_sheet", language))
    summary = workbook.create_sheet(wording("summary", language))
    choices = decision_choices(matrix, language)
    _header(sheet, [wording(key, language) for key, _width in _MATRIX_COLUMNS])
    for index, row in enumerate(matrix.rows, start=2):
        values = {
            M_ELEMENT: element_text(row, language),
            M_COMMENT: row.comment,
            M_REVIEWER: row.reviewer,
            M_ORGANISATION: row.organisation,
            M_RESPONSE: row.response,
            M_DECISION: row.decision,
            M_REASON: row.reason,
            M_CHANGE: row.change or (wording("see_change", language) if row.change_link else ""),
        }
        sheet.cell(row=index, column=M_NUMBER, value=row.number).alignment = CENTRED
        for column, value in values.items():
            _text(sheet, index, column, value)
        date = row.date.date() if isinstance(row.date, dt.datetime) else row.date
        date_cell = sheet.cell(row=index, column=M_DATE, value=date)
        date_cell.number_format = DATE_FORMAT
        date_cell.alignment = CENTRED
        if row.change_link:
            cell = sheet.cell(row=index, column=M_CHANGE)
            cell.hyperlink = row.change_link
            cell.font = LINK
    last = max(len(matrix.rows) + 1, 2)
    if not matrix.rows:
        _text(sheet, 2, M_NUMBER, wording("no_comments", language)).alignment = Alignment()
    listed = ",".join(choice for choice in choices if "," not in choice and '"' not in choice)
    if listed and len(listed) < 250:
        decision = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        decision.error = wording("choose_decision", language)
        decision.errorTitle = wording("decision", language)
        letter = column_letter(M_DECISION)
        decision.add(f"{letter}2:{letter}{last + APPENDED_ROWS}")
        sheet.add_data_validation(decision)
    _finish(sheet, _MATRIX_COLUMNS, last, matrix.title)
    _matrix_summary(summary, sheet.title, matrix, language, choices, last + APPENDED_ROWS)
    return _saved(workbook, summary, matrix.title)


def diff_xlsx(document: DiffDocument) -> bytes:
    """The differences as a workbook: a "Changes" sheet, one row per change, and a "Summary" of counts."""
    language = document_language(document.language)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = document.title
    sheet = workbook.create_sheet(wording("changes", language))
    summary = workbook.create_sheet(wording("summary", language))
    _header(sheet, [wording(key, language) for key, _width in _DIFF_COLUMNS])
    for index, line in enumerate(document.lines, start=2):
        change = line.change
        values = (
            line.element_kind_label or change.element_kind,
            change.label,
            line.where,
            wording(CHANGE_KEYS[change.kind], language),
            change_detail(line, language),
            line.before,
            line.after,
        )
        for column, value in enumerate(values, start=1):
            _text(sheet, index, column, value)
    last = max(len(document.lines) + 1, 2)
    if not document.lines:
        _text(sheet, 2, 1, wording("no_changes", language)).alignment = Alignment()
    _finish(sheet, _DIFF_COLUMNS, last, document.title)

    row = _summary_details(
        summary,
        document.title,
        language,
        (("from", document.old_label), ("to", document.new_label), ("date", document.generated)),
    )
    _text(summary, row, 1, wording("by_kind", language)).font = BOLD
    header = ["type", *CHANGE_KEYS.values(), "total"]
    _header(summary, [wording(key, language) for key in header], row=row + 1)
    counts = kind_counts(document.lines, language)
    for current, (kind, numbers) in enumerate(counts, start=row + 2):
        _text(summary, current, 1, kind)
        for column, number in enumerate(numbers, start=2):
            summary.cell(row=current, column=column, value=number)
    _total_style(summary, row + 1 + len(counts), len(header))
    _widths(summary, (30, 12, 12, 12, 12, 12))
    return _saved(workbook, summary, document.title)


def _matrix_summary(
    sheet: Any, matrix_title: str, matrix: CommentMatrix, language: str, choices: Sequence[str], end: int
) -> None:
    """Counts by decision and by organisation, as COUNTIFS over the matrix sheet."""
    facts = (
        ("deliverable", matrix.deliverable),
        ("version", matrix.version_label),
        ("round", matrix.round_title),
        ("meeting", matrix.meeting),
        ("date", matrix.generated),
    )
    row = _summary_details(sheet, matrix.title, language, facts)
    reference = "'" + matrix_title.replace("'", "''") + "'"

    def whole(column: int) -> str:
        letter = column_letter(column)
        return f"{reference}!${letter}$2:${letter}${end}"

    comments = f'{whole(M_COMMENT)},"<>"'

    def count(*conditions: tuple[int, str]) -> str:
        extra = "".join(f",{whole(column)},{_criterion(value)}" for column, value in conditions)
        return f"=COUNTIFS({comments}{extra})"

    _text(sheet, row, 1, wording("by_decision", language)).font = BOLD
    _header(sheet, (wording("decision", language), wording("comments", language)), row=row + 1)
    first = row + 2
    total_row = first + len(choices) + 1
    for offset, choice in enumerate(choices):
        _text(sheet, first + offset, 1, choice)
        sheet.cell(row=first + offset, column=2, value=count((M_DECISION, choice)))
    _text(sheet, total_row - 1, 1, wording("no_decision", language))
    sheet.cell(row=total_row - 1, column=2, value=f"=B{total_row}-SUM(B{first}:B{total_row - 2})")
    _text(sheet, total_row, 1, wording("total", language))
    sheet.cell(row=total_row, column=2, value=count())
    _total_style(sheet, total_row, 2)

    row = total_row + 2
    organisations: dict[str, str] = {}
    for comment in matrix.rows:
        if comment.organisation.strip():
            organisations.setdefault(comment.organisation.strip().casefold(), comment.organisation.strip())
    names = sorted(organisations.values(), key=str.casefold)
    header = [
        wording("organisation", language),
        wording("comments", language),
        *choices,
        wording("no_decision", language),
    ]
    _text(sheet, row, 1, wording("by_organisation", language)).font = BOLD
    _header(sheet, header, row=row + 1)
    first = row + 2
    other_row, total_row = first + len(names), first + len(names) + 1
    undecided = len(header)
    for offset, name in enumerate(names):
        current = first + offset
        _text(sheet, current, 1, name)
        sheet.cell(row=current, column=2, value=count((M_ORGANISATION, name)))
        for index, choice in enumerate(choices, start=3):
            sheet.cell(row=current, column=index, value=count((M_ORGANISATION, name), (M_DECISION, choice)))
    _text(sheet, other_row, 1, wording("other_organisation", language))
    _text(sheet, total_row, 1, wording("total", language))
    sheet.cell(row=total_row, column=2, value=count())
    for index, choice in enumerate(choices, start=3):
        sheet.cell(row=total_row, column=index, value=count((M_DECISION, choice)))
    for column in range(2, undecided):
        letter = column_letter(column)
        above = f"-SUM({letter}{first}:{letter}{other_row - 1})" if names else ""
        sheet.cell(row=other_row, column=column, value=f"={letter}{total_row}{above}")
    last_choice = column_letter(undecided - 1)
    for current in range(first, total_row + 1):
        sheet.cell(row=current, column=undecided, value=f"=B{current}-SUM(C{current}:{last_choice}{current})")
    _total_style(sheet, total_row, undecided)
    _widths(sheet, (34, 14, *([16] * len(choices)), 18))


def _criterion(value: str) -> str:
    """A COUNTIFS criterion matching ``value`` exactly: "=" keeps a leading "<" or ">" from reading as a
    comparison, and "~" keeps "*" and "?" from reading as wildcards."""
    escaped = value.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return f'"={escaped}"'


def _summary_details(
    sheet: Any, title: str, language: str, facts: Sequence[tuple[str, str | dt.date]]
) -> int:
    """The title and the facts of the document at the top of a Summary sheet; returns the next free row."""
    heading = _text(sheet, 1, 1, title)
    heading.font = TITLE
    heading.alignment = Alignment()
    for row, (key, value) in enumerate(facts, start=2):
        _text(sheet, row, 1, wording(key, language)).font = BOLD
        if isinstance(value, dt.date):
            cell = sheet.cell(row=row, column=2, value=value)
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")
        else:
            _text(sheet, row, 2, value or EMPTY).alignment = Alignment()
    return len(facts) + 3


def _header(sheet: Any, titles: Sequence[str], *, row: int = 1) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=neutralise_formula(title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    sheet.row_dimensions[row].height = 30


def _text(sheet: Any, row: int, column: int, value: str) -> Any:
    """A text cell: no control characters (XML cannot hold them), within Excel's limit, never a formula."""
    cell = sheet.cell(row=row, column=column, value=neutralise_formula(xml_safe(value)[:EXCEL_CELL_LIMIT]))
    cell.alignment = WRAP
    return cell


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = width


def _total_style(sheet: Any, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = BOLD
        cell.fill = TOTAL_FILL


def _finish(sheet: Any, columns: Sequence[tuple[str, float]], last: int, title: str) -> None:
    """Column widths, row heights, frozen header, filter, and the header row printed on every page."""
    widths = [width for _key, width in columns]
    _widths(sheet, widths)
    for row in range(2, last + 1):
        lines = _lines(sheet, row, widths)
        if lines > 1:
            sheet.row_dimensions[row].height = min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(columns))}{last}"
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = title.replace("&", "&&")[:200]


def _lines(sheet: Any, row: int, widths: Sequence[float]) -> int:
    """How many lines the row's tallest wrapped cell takes (spreadsheets do not grow a row by themselves
    when they open a file)."""
    counts = [1]
    for column, width in enumerate(widths, start=1):
        cell = sheet.cell(row=row, column=column)
        if cell.value is None or not cell.alignment.wrap_text:
            continue
        parts = str(cell.value).split("\n")
        counts.append(sum(max(1, math.ceil(len(part) / (width * CHARACTERS_PER_WIDTH))) for part in parts))
    return max(counts)


def _saved(workbook: Any, summary: Any, title: str) -> bytes:
    for sheet in workbook.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddFooter.right.text = "&P / &N"
    summary.oddHeader.center.text = title.replace("&", "&&")[:200]
    workbook.calculation = CalcProperties(fullCalcOnLoad=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
