"""Export files (KoboToolbox CSV/XLSX, ODK Central CSV/zip, any other table) → :class:`SurveyExport`."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from xml.etree import ElementTree

from python_calamine import CalamineError

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.formats.survey_exports.model import (
    SHAPE_KOBO,
    SOURCE_KOBO_API,
    ExportRow,
    RowValues,
    SurveyExport,
    column_index,
)
from ctip.formats.survey_exports.repeats import REPEAT_LINKS, attach_kobo_repeats, attach_odk_repeats
from ctip.formats.survey_exports.shape import (
    build_export,
    detect_shape,
    fold_header,
    folded_headers,
    is_odk,
    normalised_columns,
    replace_rows,
)
from ctip.formats.survey_exports.workbook import Grid, not_excel, read_workbook
from ctip.formats.tabular import CSV_EXTENSIONS, MAX_UNCOMPRESSED_RATIO, read_table

MAX_ZIP_ENTRIES = 1000
"""An export archive (or workbook) with more entries than this is refused: real ones hold a few dozen."""
ACCEPTED_EXPORTS = ".csv, .txt, .xlsx, .zip (ODK Central)"

_MEGABYTE = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_READ_ERRORS = (
    ValueError,
    KeyError,
    IndexError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    CalamineError,
    csv.Error,
    ElementTree.ParseError,
)


def read_survey_export(data: bytes, *, filename: str, max_bytes: int) -> SurveyExport:
    """Read an uploaded export into flat rows, recognising its shape from its headers.

    - **KoboToolbox** (``;``- or ``,``-delimited CSV, or XLSX): headers as XML names or labels, group paths
      with ``/`` (or another separator, or none), select_multiple answers as a space-separated column and/or
      one 0/1 column per choice, metadata columns (``_id``, ``_uuid``, ``_submission_time``, …). In an XLSX
      export each repeat group is a sheet of its own; its rows are attached to their submission through
      ``_submission__id``, ``_submission__uuid`` or ``_parent_index`` → ``_index``. Key: ``meta/rootUuid``
      when the export has it, else ``_id`` (``_uuid`` changes when a submission is edited).
    - **ODK Central** (CSV, or the zip of the main CSV and one CSV per repeat group, linked by
      ``PARENT_KEY`` → ``KEY``): ``-`` as the group separator; key: the root of ``KEY`` (or of
      ``meta-instanceID``), without its ``uuid:`` prefix.
    - anything else is ``"generic"``: its columns are mapped by the caller.

    Values stay text exactly as written (``09929760``, ``10-5``). CSV and the text of each zip entry are
    decoded by :func:`ctip.formats.tabular.read_table` (encodings, delimiters, BOM, formulas). Archives
    (``.xlsx``, ``.zip``) that would expand to more than ``MAX_UNCOMPRESSED_RATIO × max_bytes`` or hold more
    than :data:`MAX_ZIP_ENTRIES` entries are refused, as are damaged and truncated files. Every failure is a
    :class:`~ctip.core.errors.DomainError` that says what to do.
    """
    try:
        return _read(data, filename, max_bytes)
    except DomainError:
        raise
    except _READ_ERRORS as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” could not be read: it may be damaged or cut short. Download the export again "
                "and upload the new file."
            ),
            {"file": filename},
        ) from error


def survey_export_from_records(
    records: Iterable[Mapping[str, object]], *, source: str = SOURCE_KOBO_API
) -> SurveyExport:
    """Rows already flattened elsewhere (such as :func:`ctip.formats.kobo_api.submissions_to_rows`: text
    values under export column names, and repeat tables under ``"_repeats"``) as a :class:`SurveyExport`,
    so that they go through the same column matching as an uploaded file. Records are numbered from 1."""
    records = list(records)
    headers: dict[str, None] = {}
    for record in records:
        for column, value in record.items():
            if isinstance(value, str):
                headers.setdefault(column, None)
    grid = Grid(
        name="",
        headers=tuple(headers),
        rows=[
            (number, tuple(_as_text(record.get(column)) for column in headers))
            for number, record in enumerate(records, start=1)
        ],
    )
    export = build_export(grid, container=source)
    rows: list[ExportRow] = []
    for row, record in zip(export.rows, records, strict=True):
        tables = record.get("_repeats")
        repeats: dict[str, tuple[Mapping[str, str], ...]] = {}
        if isinstance(tables, Mapping):
            for path, items in tables.items():
                if isinstance(items, Sequence):
                    name = fold_header(str(path)).rsplit("/", 1)[-1]
                    repeats[name] = tuple(_record_values(item) for item in items if isinstance(item, Mapping))
        rows.append(ExportRow(row.number, row.values, row.key, row.submitted_at, repeats))
    return replace_rows(export, rows)


# --- Files ---------------------------------------------------------------------------------------------


def _read(data: bytes, filename: str, max_bytes: int) -> SurveyExport:
    if len(data) > max_bytes:
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE,
            _(
                "“%(file)s” is %(size)s MB, more than the %(limit)s MB allowed. Export fewer submissions "
                "(for example by date) into several files and upload them one by one."
            ),
            {
                "file": filename,
                "size": f"{len(data) / _MEGABYTE:.1f}",
                "limit": f"{max_bytes / _MEGABYTE:.1f}",
            },
        )
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in CSV_EXTENSIONS:
        return build_export(_table_grid(data, filename, max_bytes), container="csv")
    if extension == ".xlsx":
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
            raise not_excel(filename)
        with _archive(data, filename, max_bytes, not_excel(filename)) as archive:
            grids = read_workbook(
                archive, filename=filename, other_sheets=lambda main: detect_shape(main.headers) == SHAPE_KOBO
            )
        return _xlsx_export(grids, filename)
    if extension == ".zip":
        return _zip_export(data, filename, max_bytes)
    if extension in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers"):
        read_table(data, filename=filename, max_bytes=max_bytes)  # raises the "save it as .xlsx" advice
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” is not an export this import can read. Upload the KoboToolbox export (.xlsx or .csv), "
            "the ODK Central export (.zip or .csv) or another table (.xlsx, .csv). Accepted formats: "
            "%(accepted)s."
        ),
        {"file": filename, "accepted": ACCEPTED_EXPORTS},
    )


def _table_grid(data: bytes, filename: str, max_bytes: int, name: str = "") -> Grid:
    table = read_table(data, filename=filename, max_bytes=max_bytes)
    columns = table.columns
    return Grid(
        name=name,
        headers=tuple(table.labels[column] for column in columns),
        rows=[(row.number, tuple([row.values[column] for column in columns])) for row in table.rows],
    )


def _archive(data: bytes, filename: str, max_bytes: int, damaged: DomainError) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise damaged from error
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or expanded > MAX_UNCOMPRESSED_RATIO * max_bytes:
        archive.close()
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE,
            _(
                "“%(file)s” holds %(entries)s files that expand to %(size)s MB, more than this import can "
                "read (at most %(max_entries)s files and %(max_size)s MB). Export fewer submissions into "
                "several files, without media attachments."
            ),
            {
                "file": filename,
                "entries": len(entries),
                "size": f"{expanded / _MEGABYTE:.0f}",
                "max_entries": MAX_ZIP_ENTRIES,
                "max_size": f"{MAX_UNCOMPRESSED_RATIO * max_bytes / _MEGABYTE:.0f}",
            },
        )
    return archive


def _zip_export(data: bytes, filename: str, max_bytes: int) -> SurveyExport:
    not_zip = DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "“%(file)s” is not a valid zip archive: it may be damaged, cut short, or another kind of file "
            "renamed. Download the ODK Central export (“CSV files (.zip)”) again and upload it unchanged."
        ),
        {"file": filename},
    )
    if not data.startswith(_ZIP_MAGIC):
        raise not_zip
    tables: list[Grid] = []
    empty: list[DomainError] = []
    with _archive(data, filename, max_bytes, not_zip) as archive:
        for entry in archive.infolist():
            if entry.is_dir() or not entry.filename.lower().endswith(".csv"):
                continue
            try:
                content = archive.read(entry)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                NotImplementedError,
                RuntimeError,
            ) as error:
                raise not_zip from error
            name = entry.filename.rsplit("/", 1)[-1]
            label = f"{filename}: {entry.filename}"
            try:
                tables.append(_table_grid(content, label, MAX_UNCOMPRESSED_RATIO * max_bytes, name=name))
            except DomainError as error:
                if error.code is not ErrorCode.REQUIRED:
                    raise
                empty.append(error)  # a repeat group nobody filled in: its CSV holds only a header
    main_tables = [table for table in tables if "parent_key" not in folded_headers(table.headers)]
    if not main_tables and empty:
        raise empty[0]
    if len(main_tables) != 1 or not is_odk(main_tables[0].headers):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is not an ODK Central export: it should hold one main CSV file (with the columns "
                "KEY and SubmissionDate) and one CSV file per repeat group (with PARENT_KEY). It holds: "
                "%(entries)s. Download “CSV files (.zip)” from ODK Central again, or upload a single CSV file."
            ),
            {"file": filename, "entries": ", ".join(table.name for table in tables) or "—"},
        )
    main = main_tables[0]
    export = build_export(main, container="zip")
    stem = main.name[: -len(".csv")]
    repeats = [
        (_repeat_name(table.name, stem), table) for table in tables if table is not main and table.headers
    ]
    return attach_odk_repeats(export, repeats, filename)


def _repeat_name(entry: str, stem: str) -> str:
    name = entry[: -len(".csv")] if entry.lower().endswith(".csv") else entry
    if name.startswith(stem + "-"):
        name = name[len(stem) + 1 :]
    return fold_header(name)


def _xlsx_export(grids: list[Grid], filename: str) -> SurveyExport:
    main, others = grids[0], grids[1:]
    export = build_export(main, container="xlsx")
    if export.shape != SHAPE_KOBO:
        return export
    repeats = [grid for grid in others if set(REPEAT_LINKS) & set(folded_headers(grid.headers))]
    return attach_kobo_repeats(export, main, repeats, filename)


def _as_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _record_values(item: Mapping[str, object]) -> RowValues:
    headers = [column for column, value in item.items() if isinstance(value, str)]
    columns = normalised_columns(headers, "/")
    return RowValues(column_index(columns), tuple(_as_text(item[column]) for column in headers))
