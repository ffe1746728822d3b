"""Reading every worksheet of a large ``.xlsx`` export with bounded memory.

python-calamine reads a worksheet fast, but it holds the whole sheet in memory while it does: a
KoboToolbox export of 100,000 submissions × 110 columns peaks at 1.2 GB. So the worksheet XML is streamed out
of the zip archive and cut between two ``</row>`` tags into slices of about :data:`SLICE_BYTES`; each slice
becomes a small uncompressed workbook (the original workbook, styles and shared strings, and that one slice of
the sheet) that calamine reads on its own. Cell positions come from the ``r`` attributes, so row numbers and
columns stay those of the original sheet.

Formulas are refused, as :func:`ctip.formats.tabular.read_table` does: calamine only sees the value that a
formula last computed (nothing at all when it was never calculated), so the user is asked to paste values.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.tabular import MAX_PROBLEMS, column_letter

SLICE_BYTES = 16 * 1024 * 1024
"""Worksheet XML per slice read by calamine (its peak memory is about twenty times the slice)."""
_READ_BYTES = 1024 * 1024
_MAX_HEAD_BYTES = 8 * 1024 * 1024
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_WORKSHEET_TYPE = "/worksheet"
_OFFICE_DOCUMENT_TYPE = "/officeDocument"
_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?sheetData\b[^>]*?(/?)>")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension\b[^>]*>")
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-:]*)[\s>/]")
_ROW_REFERENCE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row\b[^>]*?\br=\"\d+\"")
_FORMULA_CELL = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"[^>]*>\s*<(?:[A-Za-z_][\w.\-]*:)?f[\s>/]")

Cells = tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    """One table read from a file: ``headers`` as written (stripped), one per kept column; ``rows`` the
    non-empty data rows as (row number the user sees, cells aligned with ``headers``); ``letters`` the column
    letters of the headers (empty for CSV)."""

    name: str
    headers: tuple[str, ...]
    rows: list[tuple[int, Cells]]
    letters: tuple[str, ...] = ()


@dataclass(frozen=True)
class _SheetPart:
    name: str
    path: str
    visible: bool


def not_excel(filename: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” is not a valid Excel file (.xlsx): it may be damaged or cut short, protected by a "
            "password, or another kind of file renamed. Open it in Excel or LibreOffice, save it as “Excel "
            "Workbook (.xlsx)” and upload it again, or download the export again."
        ),
        {"file": filename},
    )


def read_workbook(
    archive: zipfile.ZipFile, *, filename: str, other_sheets: Callable[[Grid], bool] = lambda _main: True
) -> list[Grid]:
    """The first visible worksheet of an opened ``.xlsx`` archive, then (when ``other_sheets(main)`` says
    so) every other worksheet, empty ones left out. The caller has checked the archive's size and entry
    count."""
    sheets = _sheet_parts(archive, filename)
    visible = [sheet for sheet in sheets if sheet.visible] or sheets
    ordered = visible[:1] + [sheet for sheet in sheets if sheet is not visible[0]]
    names = set(archive.namelist())
    # Everything calamine needs to open the workbook (workbook, relationships, styles, shared strings), but
    # no worksheet and no images.
    support = [
        (info.filename, archive.read(info))
        for info in archive.infolist()
        if info.filename.endswith((".xml", ".rels"))
        and "worksheets/" not in info.filename
        and not info.filename.startswith(("xl/media/", "xl/drawings/", "xl/charts/", "docProps/"))
    ]
    grids: list[Grid] = []
    for position, sheet in enumerate(ordered):
        if sheet.path not in names:
            if position == 0:
                raise not_excel(filename)
            continue
        if position == 1 and not other_sheets(grids[0]):
            break
        grid = _read_sheet(archive, sheet, support, filename)
        if grid is not None and (grid.rows or position > 0):
            grids.append(grid)
        elif position == 0:
            raise DomainError(
                ErrorCode.REQUIRED,
                _(
                    "“%(file)s” holds no submissions: its sheet “%(sheet)s” has no data below the header. "
                    "Export the submissions again (with at least one submission) and upload that file."
                ),
                {"file": filename, "sheet": sheet.name},
            )
    return grids


def _parse_xml(data: bytes, filename: str) -> ElementTree.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise not_excel(filename)  # never in a real workbook part; refused rather than expanded
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise not_excel(filename) from error


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, path: str, filename: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target path inside the archive) of the part ``path``."""
    folder, base = posixpath.split(path)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = _parse_xml(archive.read(rels_path), filename)
    except KeyError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for element in root.iter():
        if _local(element.tag) != "Relationship":
            continue
        target = element.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(resolved))
    return found


def _sheet_parts(archive: zipfile.ZipFile, filename: str) -> list[_SheetPart]:
    workbook_path = next(
        (
            target
            for kind, target in _relationships(archive, "", filename).values()
            if kind.endswith(_OFFICE_DOCUMENT_TYPE)
        ),
        "xl/workbook.xml",
    )
    try:
        workbook = _parse_xml(archive.read(workbook_path), filename)
    except KeyError as error:
        raise not_excel(filename) from error
    relationships = _relationships(archive, workbook_path, filename)
    sheets: list[_SheetPart] = []
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        relationship = next((value for key, value in element.attrib.items() if _local(key) == "id"), "")
        kind, path = relationships.get(relationship, ("", ""))
        if kind.endswith(_WORKSHEET_TYPE):
            state = element.get("state", "visible")
            sheets.append(_SheetPart(element.get("name", ""), path, state == "visible"))
    if not sheets:
        raise not_excel(filename)
    return sheets


def _read_sheet(
    archive: zipfile.ZipFile, sheet: _SheetPart, support: list[tuple[str, bytes]], filename: str
) -> Grid | None:
    header: list[str] | None = None
    kept: list[int] = []
    unnamed: list[int] = []
    rows: list[tuple[int, Cells]] = []
    problems: list[FieldProblem] = []
    width = 0
    pick: Callable[[list[str]], Cells] = tuple
    for first_row, first_column, values in _slices(archive, sheet, support, filename):
        padding = [""] * first_column
        for offset, raw in enumerate(values):
            texts = [value.strip() if value.__class__ is str else _text(value) for value in raw]
            if padding:
                texts = padding + texts
            number = first_row + offset + 1
            if header is None:
                if any(texts):
                    header, width = texts, len(texts)
                    kept = [index for index, label in enumerate(header) if label]
                    unnamed = [index for index, label in enumerate(header) if not label]
                    pick = _picker(kept, width)
                    _check_header(header, number, sheet.name, problems)
                continue
            if not any(texts):
                continue
            if len(texts) > width or unnamed:
                _check_unnamed(texts, header, unnamed, number, problems)
            if len(texts) < width:
                texts.extend([""] * (width - len(texts)))
            rows.append((number, pick(texts)))
    if problems:
        raise _problems_error(filename, problems)
    if header is None:
        return None
    return Grid(
        name=sheet.name,
        headers=tuple(header[index] for index in kept),
        rows=rows,
        letters=tuple(column_letter(index + 1) for index in kept),
    )


def _picker(kept: list[int], width: int) -> Callable[[list[str]], Cells]:
    """The cells of the named columns, as a tuple (fast paths: every column, or a single one)."""
    if kept == list(range(width)):
        return lambda texts: tuple(texts[:width])
    if len(kept) == 1:
        return lambda texts: (texts[kept[0]],)
    getter = operator.itemgetter(*kept)
    return lambda texts: tuple(getter(texts))


def _check_header(header: list[str], number: int, sheet: str, problems: list[FieldProblem]) -> None:
    seen: dict[str, int] = {}
    for index, label in enumerate(header):
        if not label:
            continue
        folded = " ".join(label.casefold().split())
        if folded in seen:
            problems.append(
                FieldProblem(
                    f"sheet “{sheet}”, row {number}, column {column_letter(index + 1)}",
                    _(
                        "The column name “%(label)s” is used twice: column %(letter)s repeats column "
                        "%(first_letter)s. Export again with “XML values and headers”, or rename one of "
                        "the two columns."
                    ),
                    {
                        "label": label,
                        "letter": column_letter(index + 1),
                        "first_letter": column_letter(seen[folded] + 1),
                    },
                )
            )
        else:
            seen[folded] = index


def _check_unnamed(
    texts: list[str], header: list[str], unnamed: list[int], number: int, problems: list[FieldProblem]
) -> None:
    extra = [index for index in unnamed if texts[index]]
    extra += [index for index in range(len(header), len(texts)) if texts[index]]
    for index in extra:
        letter = column_letter(index + 1)
        if any(problem.params.get("letter") == letter for problem in problems):
            continue
        problems.append(
            FieldProblem(
                f"row {number}, column {letter}",
                _(
                    "Column %(letter)s has values but no name in the header row. Type the column name in "
                    "that cell, or delete the column."
                ),
                {"letter": letter},
            )
        )


def _problems_error(filename: str, problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” cannot be imported. Problems found: %(count)s (at most %(shown)s are listed below "
            "with their row and column). Fix them in the spreadsheet and upload it again."
        ),
        {"file": filename, "count": len(problems), "shown": MAX_PROBLEMS},
        problems=problems[:MAX_PROBLEMS],
    )


def _slices(
    archive: zipfile.ZipFile, sheet: _SheetPart, support: list[tuple[str, bytes]], filename: str
) -> Iterator[tuple[int, int, Sequence[Sequence[object]]]]:
    """(first row, first column, cell values) of each slice of the sheet, 0-based positions."""
    try:
        stream = archive.open(sheet.path)
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as error:
        raise not_excel(filename) from error
    with stream:
        head = b""
        while True:
            match = _SHEET_DATA.search(head)
            if match:
                break
            more = _read(stream, filename)
            if not more or len(head) > _MAX_HEAD_BYTES:
                raise not_excel(filename)
            head += more
        prefix = match.group(1) + b":" if match.group(1) else b""
        if match.group(2):  # <sheetData/>: no rows at all
            return
        root = _ROOT.search(head.split(b"?>", 1)[-1])
        if root is None:
            raise not_excel(filename)
        opening = _DIMENSION.sub(b"", head[: match.end()])
        closing = b"</" + prefix + b"sheetData></" + root.group(1) + b">"
        row_end = b"</" + prefix + b"row>"
        end_of_data = b"</" + prefix + b"sheetData>"
        formula_start = b"<" + prefix + b"f"
        formula_marks = (formula_start + b">", formula_start + b" ", formula_start + b"/>")
        first = True
        for body in _bodies(stream, head[match.end() :], row_end, end_of_data, filename):
            # One quick scan; "<f" also starts <family> (rich text), hence the closer look.
            if formula_start in body and any(mark in body for mark in formula_marks):
                raise _formula_error(body, filename)
            if body.strip():
                if not first and _ROW_REFERENCE.search(body) is None:
                    raise not_excel(filename)  # rows without positions cannot be read slice by slice
                first = False
                yield _read_slice(opening + body + closing, sheet, support, filename)


def _bodies(
    stream: IO[bytes], start: bytes, row_end: bytes, end_of_data: bytes, filename: str
) -> Iterator[bytes]:
    """The rows of ``<sheetData>`` in pieces of at most :data:`SLICE_BYTES` (or one row, when a row is larger),
    each ending after a ``</row>``."""
    pieces = [start]
    size = len(start)
    found = end_of_data in start
    wanted = SLICE_BYTES
    while True:
        while not found and size < wanted:
            more = _read(stream, filename)
            if not more:
                raise not_excel(filename)  # the sheet stops before its end: a truncated file
            found = end_of_data in pieces[-1][-len(end_of_data) :] + more
            pieces.append(more)
            size += len(more)
        buffer = b"".join(pieces)
        available = buffer.find(end_of_data) if found else len(buffer)
        offset = 0
        while offset < available and (found or available - offset >= SLICE_BYTES):
            if available - offset <= SLICE_BYTES:
                stop = available
            else:
                stop = buffer.rfind(row_end, offset, offset + SLICE_BYTES)
                if stop < 0:  # a single row larger than a slice
                    stop = buffer.find(row_end, offset, available)
                if stop < 0:
                    if not found:
                        wanted = 2 * size  # no </row> yet in a huge row: read on (doubling, not row by row)
                        break
                    stop = available
                else:
                    stop += len(row_end)
            yield buffer[offset:stop]
            offset = stop
        if found:
            return
        pieces = [buffer[offset:]]
        size = len(pieces[0])
        if offset:
            wanted = SLICE_BYTES


def _read(stream: IO[bytes], filename: str) -> bytes:
    try:
        return stream.read(_READ_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise not_excel(filename) from error


def _read_slice(
    xml: bytes, sheet: _SheetPart, support: list[tuple[str, bytes]], filename: str
) -> tuple[int, int, Sequence[Sequence[object]]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as workbook:
        for name, content in support:
            workbook.writestr(name, content)
        workbook.writestr(sheet.path, xml)
    del xml
    buffer.seek(0)
    try:
        with CalamineWorkbook.from_filelike(buffer) as reader:
            part = reader.get_sheet_by_name(sheet.name)
            start = part.start
            values: Sequence[Sequence[object]] = part.to_python() if start is not None else []
    except (CalamineError, ValueError, OSError) as error:
        raise not_excel(filename) from error
    if start is None:
        return 0, 0, []
    return start[0], start[1], values


def _formula_error(body: bytes, filename: str) -> DomainError:
    problems = [
        FieldProblem(
            f"row {int(row)}, column {letter.decode()}",
            _(
                "This cell holds a formula. Imports take values only: copy the cells and use Paste Special → "
                "Values over them, save and upload the file again."
            ),
        )
        for letter, row in _FORMULA_CELL.findall(body)[:MAX_PROBLEMS]
    ]
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” holds formulas. Imports take values only: in your spreadsheet copy the cells and use "
            "Paste Special → Values, or download the export again, then upload it."
        ),
        {"file": filename},
        problems=problems,
    )


def _text(value: object) -> str:
    """A cell as the text the spreadsheet shows (the same rules as :func:`ctip.formats.tabular.read_table`)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip()
