"""Indicator values as spreadsheets: reading an uploaded table of actuals (or targets) and writing the
template to fill in. The rows are checked by :func:`ctip.core.monitoring.parse_value_rows`; problems name
the row and the column as the file shows them (``row 4, column “Value” (E)``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ctip.core.monitoring import Unit, ValueEntry, parse_value_rows
from ctip.core.monitoring.values import COLUMN_ALIASES, COLUMNS, Locate
from ctip.formats.tabular import Sheet, Table, column_letter, read_table, write_xlsx


def _locator(table: Table) -> Locate:
    by_canonical: dict[str, str] = {}
    for name in table.columns:
        by_canonical.setdefault(COLUMN_ALIASES.get(name, name), name)

    def locate(row: int, column: str) -> str:
        name = by_canonical.get(column)
        if name is None:
            return f"row {row}, column “{column}”"
        label = table.labels.get(name, name)
        letter = table.letters.get(name) or column_letter(table.columns.index(name) + 1)
        return f"row {row}, column “{label}” ({letter})"

    return locate


def read_values(
    data: bytes,
    *,
    filename: str,
    max_bytes: int,
    units: Mapping[str, Unit],
    language: str = "en",
) -> list[ValueEntry]:
    """The checked rows of an uploaded CSV or XLSX file; :class:`DomainError` with every problem."""
    table = read_table(data, filename=filename, max_bytes=max_bytes)
    return parse_value_rows(table.numbered_rows(), units=units, language=language, locate=_locator(table))


def values_template_xlsx(
    indicators: Sequence[tuple[str, str]],
    *,
    periods: Sequence[str],
    locations: Sequence[str],
    notes: Mapping[str, str],
    example_rows: Sequence[Sequence[object]] = (),
) -> bytes:
    """A workbook with the import's columns (``notes``: the comment of each column), drop-down lists for
    the indicator codes, periods, sex and kind, the example rows, and a second sheet listing the
    indicators (code, name)."""
    return write_xlsx(
        [
            Sheet(
                name="values",
                header=COLUMNS,
                rows=list(example_rows),
                column_notes=dict(notes),
                choices={
                    "indicator": tuple(code for code, _name in indicators),
                    "period": tuple(periods),
                    "sex": ("all", "women", "men"),
                    "location": tuple(locations),
                    "kind": ("actual", "target"),
                },
            ),
            Sheet(name="indicators", header=("code", "name"), rows=[list(row) for row in indicators]),
        ]
    )
