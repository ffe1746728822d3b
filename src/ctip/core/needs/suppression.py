"""Small-cell suppression for disaggregated tables.

A *cell* is one group of a one-way table (e.g. one location) or one combination of a two-way table
(e.g. women in Rodrigues). A cell with fewer than ``min_cell`` respondents is suppressed
(``small_cell``). Because the table's total is published, one suppressed cell in a *line* could be
worked out as the total minus the other cells, so:

* the lines of a one-way table are the table itself; the lines of a two-way table are every row, every
  column and the whole table;
* whenever a line holds exactly one suppressed cell and at least one other cell, its smallest remaining
  cell (the first in table order on a tie) is suppressed too (``complementary``), and the rule is applied
  again until no line changes.

The rule is applied to the groups (by their respondent counts) and then to each item's column of cells
(by the number of respondents who rated the item), where cells with no rating at all are not cells: they
give nothing away and hiding them would protect nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ReasonArray = npt.NDArray[np.int8]

SHOWN = 0
SMALL_CELL = 1
COMPLEMENTARY = 2
REASONS = ("", "small_cell", "complementary")
"""The ``suppressed`` text of each reason code."""


def table_lines(coordinates: IntArray) -> list[IntArray]:
    """The lines of a table whose cells sit at ``coordinates`` (one row per cell, one column per
    attribute): the whole table, plus every row and column of a two-way table."""
    cells = coordinates.shape[0]
    lines = [np.arange(cells)]
    if coordinates.ndim == 2 and coordinates.shape[1] == 2:
        for axis in (0, 1):
            for value in np.unique(coordinates[:, axis]).tolist():
                lines.append(np.flatnonzero(coordinates[:, axis] == value))
    return lines


def _complete(
    reasons: ReasonArray, counts: IntArray, is_cell: BoolArray, lines: Sequence[IntArray]
) -> ReasonArray:
    """Apply the complementary rule to every column of ``reasons`` (cells × columns) until stable."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.size < 2:
                continue
            line_reasons = reasons[line]
            line_cells = is_cell[line]
            suppressed = (line_reasons != SHOWN) & line_cells
            needs_more = (suppressed.sum(axis=0) == 1) & (line_cells.sum(axis=0) >= 2)
            if not needs_more.any():
                continue
            candidates = line_cells & ~suppressed
            size = np.where(candidates, counts[line], np.iinfo(np.int64).max)
            pick = np.argmin(size, axis=0)
            columns = np.flatnonzero(needs_more)
            reasons[line[pick[columns]], columns] = COMPLEMENTARY
            changed = True
    return reasons


def suppress_groups(sizes: IntArray, lines: Sequence[IntArray], min_cell: int) -> ReasonArray:
    """The reason code of every group, from its number of respondents."""
    counts = np.asarray(sizes, dtype=np.int64).reshape(-1, 1)
    reasons = np.where(counts < min_cell, SMALL_CELL, SHOWN).astype(np.int8)
    return _complete(reasons, counts, np.ones(counts.shape, dtype=bool), lines)[:, 0]


def suppress_cells(
    counts: IntArray, group_reasons: ReasonArray, lines: Sequence[IntArray], min_cell: int
) -> ReasonArray:
    """The reason code of every (group, item) cell: the group's own reason, else ``small_cell`` when
    0 < n < min_cell, then the complementary rule per item."""
    counts = np.asarray(counts, dtype=np.int64)
    inherited = np.broadcast_to(group_reasons[:, np.newaxis], counts.shape)
    small = (counts > 0) & (counts < min_cell)
    reasons = np.where(inherited != SHOWN, inherited, np.where(small, SMALL_CELL, SHOWN)).astype(np.int8)
    is_cell = (counts > 0) | (reasons != SHOWN)
    return _complete(reasons, counts, is_cell, lines)
