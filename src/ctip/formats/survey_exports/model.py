"""What the survey export readers return: flat rows of text, one per submission, with their repeat rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ctip.core.tna.model import RowIssue, Submission

SHAPE_KOBO = "kobo"
SHAPE_ODK = "odk"
SHAPE_GENERIC = "generic"
SHAPES = (SHAPE_KOBO, SHAPE_ODK, SHAPE_GENERIC)

SOURCE_KOBO_CSV = "kobo_csv"
SOURCE_KOBO_XLSX = "kobo_xlsx"
SOURCE_KOBO_API = "kobo_api"
SOURCE_ODK_CSV = "odk_csv"
SOURCE_ODK_ZIP = "odk_zip"
SOURCE_MAPPED_FILE = "mapped_file"
"""``SurveyExport.source`` values: the :attr:`ctip.core.tna.model.Submission.source` codes of file imports."""


class RowValues(Mapping[str, str]):
    """One row's cells as a read-only mapping (column → text) that shares its column index with every
    other row of the same table. A dict per row would cost about four times the memory on wide exports
    (110 columns × 100,000 rows)."""

    __slots__ = ("_cells", "_index")

    def __init__(self, index: Mapping[str, int], cells: tuple[str, ...]) -> None:
        if len(cells) != len(index):
            raise ValueError("a row needs exactly one cell per column")
        self._index = index
        self._cells = cells

    @property
    def cells(self) -> tuple[str, ...]:
        """The cells in column order."""
        return self._cells

    @property
    def index(self) -> Mapping[str, int]:
        """Column → position in :attr:`cells` (the same object for every row of a table)."""
        return self._index

    def __getitem__(self, column: str) -> str:
        return self._cells[self._index[column]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"RowValues({dict(self)!r})"


def column_index(columns: tuple[str, ...]) -> dict[str, int]:
    return {name: position for position, name in enumerate(columns)}


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One submission of an export.

    ``number`` is the row the user sees (spreadsheet row, header = 1; for an ODK zip, the row of the main
    CSV). ``values`` maps every column of :attr:`SurveyExport.columns` to its text (``""`` when empty;
    never converted: ``09929760`` stays ``09929760``). ``key`` is the stable submission key (empty when the
    export has none: see :func:`~ctip.formats.survey_exports.submissions_from_export`), ``submitted_at``
    the server's submission time as written in the file. ``repeats`` maps each repeat group (the XLSX
    sheet name or the ODK table name, lower-case) to this submission's rows of that group, in file order.
    """

    number: int
    values: Mapping[str, str]
    key: str
    submitted_at: str = ""
    repeats: Mapping[str, tuple[Mapping[str, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyExport:
    """An export file turned into flat rows.

    ``shape`` is ``"kobo"``, ``"odk"`` or ``"generic"``; ``source`` the
    :attr:`~ctip.core.tna.model.Submission.source` code it yields (``kobo_csv``, ``kobo_xlsx``,
    ``kobo_api``, ``odk_csv``, ``odk_zip``, ``mapped_file``). ``columns`` are the normalised column names in
    file order: the group path stripped to its last segment, lower-case, spaces collapsed (a select_multiple
    choice column keeps its question, ``question/choice``; names that would still collide keep more of their
    path). ``original_columns`` maps each of them to the header as written in the file. ``key_column`` is
    the normalised column the keys come from (``""`` for a generic file).
    """

    shape: str
    source: str
    columns: tuple[str, ...]
    original_columns: Mapping[str, str]
    rows: tuple[ExportRow, ...]
    key_column: str
    separator: str = ""
    """The group separator found in the headers (``"/"``, ``"-"``, …; ``""`` when there are no groups)."""
    header_style: str = "names"
    """``"names"`` (XML names, as in an export with "XML values and headers") or ``"labels"``."""


@dataclass(frozen=True)
class SubmissionParse:
    """The submissions read from an export, and every row issue found (rejected rows are not in
    ``submissions``; an issue with ``rejects_row=False`` says what was changed on import; ``row`` 0 is about
    the whole file)."""

    submissions: tuple[Submission, ...]
    issues: tuple[RowIssue, ...]
