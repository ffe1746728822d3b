"""Repeat-group rows attached to their submission: Kobo XLSX sheets and ODK Central zip tables."""

from __future__ import annotations

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.survey_exports.model import SHAPE_ODK, ExportRow, RowValues, SurveyExport, column_index
from ctip.formats.survey_exports.shape import (
    fold_header,
    folded_headers,
    key_text,
    normalised_columns,
    replace_rows,
)
from ctip.formats.survey_exports.workbook import Grid
from ctip.formats.tabular import MAX_PROBLEMS

REPEAT_LINKS = ("_submission__id", "_submission__uuid", "_parent_index")
"""Columns of a Kobo XLSX repeat sheet that tie its rows to their submission."""


def _orphans_error(filename: str, problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” has %(count)s repeat-group rows that belong to no submission of the main table "
            "(at most %(shown)s are listed below). Download the whole export again rather than editing its "
            "sheets, and upload the new file."
        ),
        {"file": filename, "count": len(problems), "shown": MAX_PROBLEMS},
        problems=problems[:MAX_PROBLEMS],
    )


def _repeat_rows(grid: Grid, separator: str, dropped: set[str]) -> tuple[list[int], dict[str, int]]:
    """The kept positions of a repeat table's cells and their normalised column index."""
    lowered = folded_headers(grid.headers)
    kept = [position for position, header in enumerate(lowered) if header not in dropped]
    columns = normalised_columns([grid.headers[position] for position in kept], separator)
    return kept, column_index(columns)


def attach_kobo_repeats(export: SurveyExport, main: Grid, repeats: list[Grid], filename: str) -> SurveyExport:
    lowered = folded_headers(main.headers)
    lookups: dict[str, dict[str, int]] = {}
    for link, column in (
        ("_submission__id", "_id"),
        ("_submission__uuid", "_uuid"),
        ("_parent_index", "_index"),
    ):
        if column in lowered:
            position = lowered.index(column)
            lookups[link] = {cells[position]: row for row, (_number, cells) in enumerate(main.rows)}
    attached: dict[int, dict[str, list[RowValues]]] = {}
    problems: list[FieldProblem] = []
    for grid in repeats:
        repeat_lowered = folded_headers(grid.headers)
        links = [
            (link, repeat_lowered.index(link), lookups[link])
            for link in REPEAT_LINKS
            if link in repeat_lowered and link in lookups
        ]
        parent_table = (
            repeat_lowered.index("_parent_table_name") if "_parent_table_name" in repeat_lowered else -1
        )
        dropped = {"_parent_table_name"} | {
            header for header in repeat_lowered if header.startswith("_submission_")
        }
        kept, index = _repeat_rows(grid, export.separator, dropped)
        name = fold_header(grid.name)
        for number, cells in grid.rows:
            parent = -1
            for link, position, lookup in links:
                if link == "_parent_index" and parent_table >= 0 and not _is_main(cells[parent_table], main):
                    continue  # the _parent_index of a nested repeat points into another repeat sheet
                parent = lookup.get(cells[position], -1)
                if parent >= 0:
                    break
            if parent < 0:
                problems.append(
                    FieldProblem(
                        f"sheet “{grid.name}”, row {number}",
                        _("This row names no submission of the main sheet (“%(sheet)s”)."),
                        {"sheet": main.name},
                    )
                )
                continue
            values = RowValues(index, tuple([cells[position] for position in kept]))
            attached.setdefault(parent, {}).setdefault(name, []).append(values)
    if problems:
        raise _orphans_error(filename, problems)
    return _with_repeats(export, attached)


def _is_main(table_name: str, main: Grid) -> bool:
    """Whether a ``_parent_table_name`` names the main sheet (sheet names are cut at 31 characters)."""
    folded, sheet = fold_header(table_name), fold_header(main.name)
    return bool(folded) and (folded == sheet or (folded.startswith(sheet) and len(sheet) == 31))


def attach_odk_repeats(export: SurveyExport, repeats: list[tuple[str, Grid]], filename: str) -> SurveyExport:
    by_key = {row.key: position for position, row in enumerate(export.rows) if row.key}
    attached: dict[int, dict[str, list[RowValues]]] = {}
    problems: list[FieldProblem] = []
    for name, grid in repeats:
        lowered = folded_headers(grid.headers)
        parent_key = lowered.index("parent_key")
        kept, index = _repeat_rows(grid, "-", set())
        for number, cells in grid.rows:
            parent = by_key.get(key_text(cells[parent_key], SHAPE_ODK), -1)
            if parent < 0:
                problems.append(
                    FieldProblem(
                        f"{grid.name}, row {number}",
                        _("PARENT_KEY “%(key)s” is the KEY of no submission of the main table."),
                        {"key": cells[parent_key]},
                    )
                )
                continue
            values = RowValues(index, tuple([cells[position] for position in kept]))
            attached.setdefault(parent, {}).setdefault(name, []).append(values)
    if problems:
        raise _orphans_error(filename, problems)
    return _with_repeats(export, attached)


def _with_repeats(export: SurveyExport, attached: dict[int, dict[str, list[RowValues]]]) -> SurveyExport:
    if not attached:
        return export
    rows = list(export.rows)
    for position, tables in attached.items():
        row = rows[position]
        repeats = {name: tuple(values) for name, values in tables.items()}
        rows[position] = ExportRow(row.number, row.values, row.key, row.submitted_at, repeats)
    return replace_rows(export, rows)
