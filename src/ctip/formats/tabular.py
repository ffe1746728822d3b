"""Tabular files that spreadsheet users open directly, and the uploads they send back.

**Writing.** CSV files are written as UTF-8 with a byte-order mark (so Excel shows accents in "Ministère"
correctly), comma-delimited, CRLF line ends (RFC 4180). Cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with an apostrophe: an
exported audit log must never execute on a coordinator's machine (OWASP "CSV injection"). :func:`write_xlsx`
writes Excel workbooks (import templates and exports) with the same protection, a frozen bold header,
header notes and drop-down lists.

**Reading.** :func:`read_table` turns an uploaded ``.csv``/``.txt`` or ``.xlsx`` file into a :class:`Table`
of stripped strings keyed by normalised column names (``"Staff total"`` → ``staff_total``). Row numbers are
the ones the user sees in the spreadsheet (the header is row 1). Real files arrive from Excel, KoboToolbox
(``;``-delimited CSV), ODK Central and Google Forms, in UTF-8 with or without a BOM, UTF-16 or Windows-1252,
so the encoding and the delimiter are detected. Formulas are refused: the importer would otherwise store
whatever the formula last computed, or nothing at all when the file was never recalculated, so the user is
asked to paste values only. Every problem found (up to :data:`MAX_PROBLEMS`) is reported in one
:class:`~ctip.core.errors.DomainError`, each naming its row and column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"

CSV_EXTENSIONS = (".csv", ".txt")
EXCEL_EXTENSIONS = (".xlsx",)
ACCEPTED_FORMATS = ".csv, .txt, .xlsx"
MAX_PROBLEMS = 50
CSV_DELIMITERS = (",", ";", "\t")
"""Candidates, in order of preference when the header is ambiguous (KoboToolbox exports use ``;``)."""
MAX_UNCOMPRESSED_RATIO = 100
"""An ``.xlsx`` is a zip archive: refuse one that would expand to more than this many times the upload limit
(a "zip bomb" would otherwise pass the size check)."""
LISTS_SHEET = "lists"
INLINE_LIST_LIMIT = 255
"""Excel refuses an inline drop-down list (``"a,b,c"``) longer than 255 characters."""
EXCEL_MAX_ROW = 1_048_576

_MEGABYTE = 1024 * 1024
_FORMULA_PREVIEW = 40
_HEADER_SPACES = re.compile(r"[\s\-]+")
_SEPARATOR_HINT = re.compile(r"^sep=(\\t|[^\r\n])\r?\n")
# Characters that never occur in a real spreadsheet text: seeing them means the bytes are not text at all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# --- Writing -------------------------------------------------------------------------------------------


def neutralise_formula(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _is_plain_number(text):
        return "'" + text
    return text


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole CSV document as text, BOM included."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])
    return buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    """One worksheet for :func:`write_xlsx`.

    ``column_notes`` become comments on the header cells (what to type, in which format); ``choices`` become
    drop-down lists on the column's data cells. Both are keyed by the header text.
    """

    name: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    column_notes: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An Excel workbook with one worksheet per :class:`Sheet`, in order.

    Each has a bold, frozen header with an autofilter and column widths fitted to the content. Numbers and
    dates are written as such; text that a spreadsheet would run as a formula gets a leading apostrophe
    (:func:`neutralise_formula`), which :func:`read_table` removes again. Drop-down lists warn rather than
    refuse, because some columns take several codes separated by ``;`` and the importer validates anyway;
    long lists (or values containing commas) live on a hidden ``lists`` sheet.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    lists: list[tuple[str, tuple[str, ...]]] = []
    lists_title = LISTS_SHEET
    worksheets: list[tuple[Any, Sheet]] = []
    for sheet in sheets:
        title = _sheet_title(sheet.name, taken)
        worksheets.append((workbook.create_sheet(title), sheet))
    while lists_title.lower() in taken:
        lists_title += "_"
    for worksheet, sheet in worksheets:
        _write_sheet(worksheet, sheet, lists, lists_title)
    if lists:
        lists_sheet = workbook.create_sheet(lists_title)
        lists_sheet.sheet_state = "hidden"
        for index, (heading, values) in enumerate(lists, start=1):
            lists_sheet.cell(row=1, column=index, value=neutralise_formula(_xml_safe(heading)))
            for offset, value in enumerate(values, start=2):
                lists_sheet.cell(row=offset, column=index, value=neutralise_formula(_xml_safe(value)))
    if not worksheets:
        workbook.create_sheet("Sheet1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, unique regardless of case."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'").strip() or "Sheet"
    title = base[:31]
    counter = 2
    while title.lower() in taken:
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    taken.add(title.lower())
    return title


def _write_sheet(
    worksheet: Any, sheet: Sheet, lists: list[tuple[str, tuple[str, ...]]], lists_title: str
) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", start_color="DDE5EE")
    widths = [len(text) for text in sheet.header]
    for column, text in enumerate(sheet.header, start=1):
        cell = worksheet.cell(row=1, column=column, value=neutralise_formula(_xml_safe(text)))
        cell.font = bold
        cell.fill = fill
        note = sheet.column_notes.get(text)
        if note:
            comment = Comment(_xml_safe(note), "C-TIP Planner")
            comment.width = 320
            comment.height = max(80, 20 * (1 + len(note) // 45))
            cell.comment = comment
    for row_number, row in enumerate(sheet.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(row=row_number, column=column)
            written = _cell_value(value)
            cell.value = written
            if isinstance(written, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(written, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], _display_length(written))
            else:
                widths.append(_display_length(written))
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[column_letter(column)].width = min(max(width + 2, 8), 60)
    worksheet.freeze_panes = "A2"
    if sheet.header:
        last_row = max(len(sheet.rows) + 1, 2)
        worksheet.auto_filter.ref = f"A1:{column_letter(len(sheet.header))}{last_row}"
    for column, text in enumerate(sheet.header, start=1):
        values = sheet.choices.get(text)
        if not values:
            continue
        letter = column_letter(column)
        validation = DataValidation(
            type="list",
            formula1=_list_formula(text, values, lists, lists_title),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Not in the list",
            error="This value is not in the list. Check the spelling (see the note on the header cell).",
        )
        validation.add(f"{letter}2:{letter}{EXCEL_MAX_ROW}")
        worksheet.add_data_validation(validation)


def _list_formula(
    heading: str, values: tuple[str, ...], lists: list[tuple[str, tuple[str, ...]]], lists_title: str
) -> str:
    inline = ",".join(values)
    if len(inline) + 2 <= INLINE_LIST_LIMIT and not any("," in v or '"' in v for v in values):
        return f'"{inline}"'
    lists.append((heading, values))
    letter = column_letter(len(lists))
    return f"'{lists_title}'!${letter}$2:${letter}${len(values) + 1}"


def _cell_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the wall-clock time the value carries.
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return neutralise_formula(_xml_safe(str(value)))


def _display_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _xml_safe(text: str) -> str:
    """Drop the control characters that XML (hence XLSX) cannot hold; openpyxl would refuse the file."""
    return _XML_ILLEGAL.sub("", text)


def column_letter(number: int) -> str:
    """Spreadsheet column letter for a 1-based column number: 1 → ``A``, 27 → ``AA``."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --- Reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One data row: ``number`` is the row number the user sees in the spreadsheet (header = 1);
    ``values`` maps every column of the table (normalised name) to its stripped text, ``""`` when empty."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    """An uploaded table.

    ``columns`` are the normalised header names in file order; ``labels`` and ``letters`` give, for each of
    them, the header as typed and the column letter, for messages. ``source`` is the file name; ``sheet``
    the worksheet read (empty for CSV).
    """

    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    source: str
    sheet: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    letters: Mapping[str, str] = field(default_factory=dict)

    def numbered_rows(self) -> list[tuple[int, dict[str, str]]]:
        """``(row number, values)`` pairs, the shape the ``ctip.core`` row parsers take."""
        return [(row.number, row.values) for row in self.rows]


def normalise_header(text: str) -> str:
    """``" Staff total "`` → ``staff_total``; ``"meta-instanceID"`` → ``meta_instanceid``."""
    return _HEADER_SPACES.sub("_", text.strip().lower()).strip("_")


def read_table(data: bytes, *, filename: str, max_bytes: int, sheet: str | None = None) -> Table:
    """Read an uploaded ``.csv``/``.txt`` or ``.xlsx`` file (``sheet``: the worksheet to read, by default the
    first one) into a :class:`Table`, or raise a :class:`DomainError` that says what to fix and where."""
    if len(data) > max_bytes:
        size, limit = _megabytes_pair(len(data), max_bytes)
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE,
            _(
                "“%(file)s” is %(size)s MB, more than the %(limit)s MB allowed. Delete unused sheets, "
                "columns and rows, or split the data into several files, then upload again."
            ),
            {"file": filename, "size": size, "limit": limit},
        )
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in CSV_EXTENSIONS:
        grid = _csv_grid(data, filename)
        return _table(grid, _csv_formulas(grid), filename, "")
    if extension in EXCEL_EXTENSIONS:
        grid, formulas, sheet_name = _xlsx_grid(data, filename, sheet, max_bytes)
        return _table(grid, formulas, filename, sheet_name)
    if extension in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers"):
        template = _(
            "“%(file)s” is a %(extension)s file, which cannot be imported. Open it in your spreadsheet "
            "program and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8 (.csv)”, then upload that file. "
            "Accepted formats: %(accepted)s."
        )
    else:
        template = _(
            "“%(file)s” is not a spreadsheet this import can read. Upload an Excel workbook (.xlsx) or a "
            "CSV file (.csv, .txt). Accepted formats: %(accepted)s."
        )
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        template,
        {"file": filename, "extension": extension or "?", "accepted": ACCEPTED_FORMATS},
    )


def _megabytes_pair(size: int, limit: int) -> tuple[str, str]:
    for decimals in (1, 2, 3):
        shown_size = f"{size / _MEGABYTE:.{decimals}f}"
        shown_limit = f"{limit / _MEGABYTE:.{decimals}f}"
        if shown_size != shown_limit:
            break
    return shown_size, shown_limit


# --- CSV -----------------------------------------------------------------------------------------------


def _csv_grid(data: bytes, filename: str) -> list[list[str]]:
    text = _decode(data, filename)
    # Excel writes (and honours) a first line "sep=;" naming the delimiter; it does not show it as a row.
    hint = _SEPARATOR_HINT.match(text)
    if hint:
        delimiter = "\t" if hint.group(1) == "\\t" else hint.group(1)
        text = text[hint.end() :]
    else:
        delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [list(record) for record in reader]
    except csv.Error as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is not a valid CSV file: near line %(line)s, %(detail)s. Open it in a spreadsheet "
                "program, save it again as “CSV UTF-8 (.csv)” and upload that file."
            ),
            {"file": filename, "line": reader.line_num, "detail": str(error)},
        ) from error


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is named as a CSV file but holds an Excel workbook. Rename it to end in .xlsx "
                "(or save it from Excel as “CSV UTF-8 (.csv)”) and upload it again."
            ),
            {"file": filename},
        )
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict_decode(data, encoding, filename)
            break
    else:
        bom_less_utf16 = _utf16_without_bom(data)
        if bom_less_utf16:
            text = _strict_decode(data, bom_less_utf16, filename)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                # Excel's "CSV (Comma delimited)" on Windows in Western Europe and Africa: Windows-1252, a
                # superset of Latin-1 for every printable character.
                text = _strict_decode(data, "cp1252", filename)
    text = text.removeprefix(UTF8_BOM)
    control = _CONTROL_CHARACTERS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” does not look like a text (CSV) file: line %(line)s holds characters that are not "
                "text. Open the file in your spreadsheet program, save it as “CSV UTF-8 (.csv)” or “Excel "
                "Workbook (.xlsx)” and upload that file."
            ),
            {"file": filename, "line": line},
        )
    return text


def _strict_decode(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” could not be read as text: the bytes on line %(line)s are not valid in any of "
                "the encodings tried (UTF-8, UTF-16, Windows-1252). Save the file from your spreadsheet "
                "program as “CSV UTF-8 (.csv)” and upload it again."
            ),
            {"file": filename, "line": line},
        ) from error


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly-ASCII text has a zero in every other byte."""
    sample = data[:200]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros >= 0.8 * half and even_zeros == 0:
        return "utf-16-le"
    if even_zeros >= 0.8 * half and odd_zeros == 0:
        return "utf-16-be"
    return None


def _detect_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields (quotes respected)."""
    header = next((line for line in text[:65536].splitlines() if line.strip()), "")
    best, best_count = CSV_DELIMITERS[0], 1
    for delimiter in CSV_DELIMITERS:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


# --- XLSX ----------------------------------------------------------------------------------------------


def _not_excel(filename: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” is not a valid Excel file (.xlsx): it may be damaged, protected by a password, or "
            "another kind of file renamed. Open it in Excel or LibreOffice, save it as “Excel Workbook "
            "(.xlsx)” and upload it again."
        ),
        {"file": filename},
    )


def _xlsx_grid(
    data: bytes, filename: str, sheet: str | None, max_bytes: int
) -> tuple[list[list[str]], dict[tuple[int, int], str], str]:
    if data.startswith(_OLE2_MAGIC):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is an Excel 97–2003 workbook (.xls) or is protected by a password. Remove the "
                "password, save it as “Excel Workbook (.xlsx)” and upload it again."
            ),
            {"file": filename},
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _not_excel(filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _not_excel(filename) from error
    if expanded > MAX_UNCOMPRESSED_RATIO * max_bytes:
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE,
            _(
                "“%(file)s” expands to %(size)s MB of spreadsheet data, more than this import can read. "
                "Delete unused sheets, columns and rows, or split the data into several files."
            ),
            {"file": filename, "size": f"{expanded / _MEGABYTE:.0f}"},
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as error:
        raise _not_excel(filename) from error
    try:
        sheet_name = _pick_sheet(workbook, sheet, filename)
        try:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except CalamineError as error:
            raise _not_excel(filename) from error
    finally:
        workbook.close()
    grid = [[_excel_text(value) for value in row] for row in values]
    return grid, _formula_cells(data, sheet_name, filename), sheet_name


def _pick_sheet(workbook: CalamineWorkbook, sheet: str | None, filename: str) -> str:
    names = workbook.sheet_names
    if sheet is not None:
        wanted = sheet.strip().lower()
        for name in names:
            if name.strip().lower() == wanted:
                return name
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s. Rename the sheet that "
                "holds the data or choose one of these."
            ),
            {"file": filename, "sheet": sheet, "sheets": ", ".join(f"“{name}”" for name in names)},
        )
    for metadata in workbook.sheets_metadata:
        if metadata.typ == SheetTypeEnum.WorkSheet and metadata.visible == SheetVisibleEnum.Visible:
            return metadata.name
    if names:
        return names[0]
    raise _not_excel(filename)


def _formula_cells(data: bytes, sheet_name: str, filename: str) -> dict[tuple[int, int], str]:
    """Every formula cell: (row, column), 1-based → the formula. Calamine reads only the cached results, so
    openpyxl (with ``data_only=False``) tells which cells are formulas."""
    found: dict[tuple[int, int], str] = {}
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    # openpyxl raises a variety of errors (KeyError, ValueError, zip and XML errors) on damaged files.
    except Exception as error:
        raise _not_excel(filename) from error
    try:
        worksheet = workbook[sheet_name]
        # Some programs write a wrong <dimension>; without a reset, read-only mode would trust it and stop early.
        worksheet.reset_dimensions()
        for row in worksheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found[(int(cell.row), int(cell.column))] = _formula_text(cell.value)
    except Exception as error:
        raise _not_excel(filename) from error
    finally:
        workbook.close()
    return found


def _excel_text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel shows at most 15 significant digits: 0.1 + 0.2 is "0.3", not "0.30000000000000004".
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


# --- Both ----------------------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    """Undo :func:`neutralise_formula`: ``'=SUM(A1)`` was written by an export as the text ``=SUM(A1)``."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _location(row: int, label: str, column: int) -> str:
    if label:
        return f"row {row}, column “{label}” ({column_letter(column)})"
    return f"row {row}, column {column_letter(column)}"


def _csv_formulas(grid: list[list[str]]) -> dict[tuple[int, int], str]:
    """CSV cells that Excel would run as a formula: text starting with ``=``. Cells starting with ``-`` or
    ``+`` are left alone: they are negative numbers and telephone numbers far more often than formulas."""
    found: dict[tuple[int, int], str] = {}
    for row_index, row in enumerate(grid):
        for column_index, cell in enumerate(row):
            text = cell.strip()
            if text.startswith("=") and len(text) > 1:
                found[(row_index + 1, column_index + 1)] = text
    return found


def _formula_text(value: object) -> str:
    text = getattr(value, "text", value)  # ArrayFormula keeps its formula in ``text``
    return "" if text is None else str(text)


def _table(
    grid: list[list[str]], formulas: Mapping[tuple[int, int], str], filename: str, sheet_name: str
) -> Table:
    """Header, rows and every problem found, from the cells of a CSV or a worksheet (0-based grid, whose
    index + 1 is the spreadsheet row number). ``formulas``: (row, column) → formula, 1-based."""
    problems: list[FieldProblem] = []
    cells = [[cell.strip() for cell in row] for row in grid]
    formula_rows = {row for row, _column in formulas}
    # A formula that was never calculated has no cached value, so the values reader may stop above it.
    cells.extend([] for _missing in range(max(formula_rows, default=0) - len(cells)))
    header_index = next(
        (index for index, row in enumerate(cells) if any(row) or index + 1 in formula_rows), None
    )
    if header_index is None:
        raise DomainError(
            ErrorCode.REQUIRED,
            _(
                "“%(file)s” is empty. Put the column names in row 1 and one record per row below them "
                "(download the template to start from), then upload it again."
            ),
            {"file": filename},
        )
    header_row = header_index + 1
    header = cells[header_index]
    data_cells = cells[header_index + 1 :]
    width = max(
        max(len(row) for row in cells[header_index:]),
        max((column for row, column in formulas if row >= header_row), default=0),
    )
    used_columns = {index for row in data_cells for index, value in enumerate(row) if value}
    used_columns |= {column - 1 for row, column in formulas if row > header_row}

    columns: list[tuple[int, str, str]] = []  # (0-based index, normalised name, header as typed)
    seen: dict[str, tuple[int, str]] = {}
    for index in range(width):
        label = header[index] if index < len(header) else ""
        if (header_row, index + 1) in formulas:
            problems.append(_formula_problem(header_row, "", index + 1, formulas[(header_row, index + 1)]))
            continue
        name = normalise_header(_unescape(label))
        if not name:
            if index in used_columns:
                problems.append(
                    FieldProblem(
                        _location(header_row, "", index + 1),
                        _(
                            "Column %(letter)s has values but no name in the header row (row %(row)s). Type "
                            "the column name in that cell (see the template), or delete the column."
                        ),
                        {"letter": column_letter(index + 1), "row": header_row},
                    )
                )
            continue
        if name in seen:
            first_index, first_label = seen[name]
            problems.append(
                FieldProblem(
                    _location(header_row, label, index + 1),
                    _(
                        "The column name “%(label)s” is used twice: column %(letter)s repeats column "
                        "%(first_letter)s (“%(first_label)s”); names are compared ignoring case, spaces and "
                        "hyphens. Rename or delete one of the two columns."
                    ),
                    {
                        "label": label,
                        "letter": column_letter(index + 1),
                        "first_letter": column_letter(first_index + 1),
                        "first_label": first_label,
                    },
                )
            )
            continue
        seen[name] = (index, label)
        columns.append((index, name, label))

    rows: list[TableRow] = []
    for offset, row in enumerate(data_cells):
        number = header_row + 1 + offset
        if not any(row) and number not in formula_rows:
            continue
        values: dict[str, str] = {}
        for index, name, label in columns:
            formula = formulas.get((number, index + 1))
            if formula is not None:
                problems.append(_formula_problem(number, label, index + 1, formula))
                values[name] = ""
                continue
            values[name] = _unescape(row[index] if index < len(row) else "")
        rows.append(TableRow(number=number, values=values))

    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            template = _(
                "“%(file)s” cannot be imported: %(count)s problems were found; the first %(shown)s are listed "
                "below. Fix them in the spreadsheet and upload it again."
            )
        else:
            template = _(
                "“%(file)s” cannot be imported. Problems found: %(count)s, listed below with their row and "
                "column. Fix them in the spreadsheet and upload it again."
            )
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            template,
            {"file": filename, "count": len(problems), "shown": len(shown)},
            problems=shown,
        )
    if not columns:
        raise DomainError(
            ErrorCode.REQUIRED,
            _(
                "“%(file)s” has no column names in its first row. Put the column names in row 1 (download "
                "the template to start from) and upload it again."
            ),
            {"file": filename},
        )
    if not rows:
        raise DomainError(
            ErrorCode.REQUIRED,
            _(
                "“%(file)s” has a header row (row %(row)s) but no data below it. Add one record per row "
                "under the header and upload it again."
            ),
            {"file": filename, "row": header_row},
        )
    return Table(
        columns=tuple(name for _index, name, _label in columns),
        rows=tuple(rows),
        source=filename,
        sheet=sheet_name,
        labels={name: label for _index, name, label in columns},
        letters={name: column_letter(index + 1) for index, name, _label in columns},
    )


def _formula_problem(row: int, label: str, column: int, formula: str) -> FieldProblem:
    location = _location(row, label, column)
    if formula:
        preview = formula if len(formula) <= _FORMULA_PREVIEW else formula[: _FORMULA_PREVIEW - 1] + "…"
        return FieldProblem(
            location,
            _(
                "This cell holds a formula (%(formula)s). Imports take values only: in your spreadsheet copy "
                "the cells and use Paste Special → Values, or type the value, then upload the file again."
            ),
            {"formula": preview},
        )
    return FieldProblem(
        location,
        _(
            "This cell holds a formula. Imports take values only: copy the cells and use Paste Special → "
            "Values over them, save and upload the file again."
        ),
    )
