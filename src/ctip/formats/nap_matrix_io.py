"""An existing NAP draft's implementation matrix as a file: reading an uploaded CSV or XLSX (through
:func:`ctip.formats.tabular.read_table`: encodings, ``;`` delimiters, byte-order marks and formulas are
handled there) into headers and rows for :func:`ctip.core.nap.matrix.parse_matrix`, and writing the
fictional example matrix as a workbook with merged cells, as real matrices are."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ctip.core.nap.matrix import MatrixPreview, parse_matrix, suggest_mapping
from ctip.core.nap.matrix_example import EXAMPLE_HEADER
from ctip.formats.tabular import neutralise_formula, read_table

_MERGED_COLUMNS = 4  # pillar, objective, outcome, output: merged down over their activities
_INDICATOR_COLUMNS = (5, 6, 7)  # indicator, baseline, target: merged with their output
_WIDTHS = (14, 34, 34, 34, 44, 34, 14, 14, 18, 16, 30, 18, 20)


@dataclass(frozen=True)
class MatrixFile:
    """An uploaded matrix: the headers as typed, their column letters, and ``(row number, cells)`` pairs
    (row numbers as the spreadsheet shows them; blank rows left out)."""

    source: str
    sheet: str
    headers: tuple[str, ...]
    letters: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def suggested_mapping(self) -> dict[str, int]:
        return suggest_mapping(self.headers)

    def preview(
        self,
        mapping: Mapping[str, int],
        *,
        plan_period: tuple[int, int],
        known_agencies: Mapping[str, Sequence[str]],
        default_currency: str = "",
    ) -> MatrixPreview:
        """The rows read through ``mapping`` (see :func:`ctip.core.nap.matrix.parse_matrix`)."""
        return parse_matrix(
            self.rows,
            mapping,
            plan_period=plan_period,
            known_agencies=known_agencies,
            headers=self.headers,
            letters=self.letters,
            default_currency=default_currency,
        )


def read_matrix(data: bytes, *, filename: str, max_bytes: int, sheet: str | None = None) -> MatrixFile:
    """Read an uploaded ``.csv``/``.txt``/``.xlsx`` matrix; a :class:`~ctip.core.errors.DomainError` names
    what to fix (empty file, formulas, a column with values but no name, …)."""
    table = read_table(data, filename=filename, max_bytes=max_bytes, sheet=sheet)
    return MatrixFile(
        source=table.source,
        sheet=table.sheet,
        headers=tuple(table.labels.get(name, name) for name in table.columns),
        letters=tuple(table.letters.get(name, "") for name in table.columns),
        rows=tuple((row.number, tuple(row.values[name] for name in table.columns)) for row in table.rows),
    )


def write_example_matrix_xlsx(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = EXAMPLE_HEADER,
    title: str = "Implementation matrix",
) -> bytes:
    """The example matrix (:func:`ctip.core.nap.matrix_example.example_matrix_rows`) as a workbook: the
    header in row 1, the pillar/objective/outcome/output cells merged down over their activities (and the
    indicator, baseline and target over their output's activities), as a ministry's matrix looks."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([neutralise_formula(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise_formula(value) for value in row])
    for index, width in enumerate(_WIDTHS[: len(header)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    _merge_blanks(sheet, rows, header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merge_blanks(sheet: Worksheet, rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    """Merge each filled grouping cell with the blank cells below it (within its parent's group)."""
    merge = sheet.merge_cells
    group_columns = list(range(min(_MERGED_COLUMNS, len(header))))
    starts: list[list[int]] = [[] for _column in header]
    for column in group_columns:
        for index, row in enumerate(rows):
            parent_changed = any(rows[index][higher] for higher in group_columns if higher < column)
            if row[column] or parent_changed or index == 0:
                starts[column].append(index)
    output_column = group_columns[-1] if group_columns else None
    for column in [*group_columns, *(c for c in _INDICATOR_COLUMNS if c < len(header))]:
        column_starts = starts[
            output_column if column in _INDICATOR_COLUMNS and output_column is not None else column
        ]
        for position, first in enumerate(column_starts):
            last = (column_starts[position + 1] if position + 1 < len(column_starts) else len(rows)) - 1
            if last > first and all(not rows[index][column] for index in range(first + 1, last + 1)):
                merge(start_row=first + 2, end_row=last + 2, start_column=column + 1, end_column=column + 1)
