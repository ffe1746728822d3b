"""What kind of export a table is, its normalised column names, and the key of each of its rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from ctip.formats.survey_exports.model import (
    SHAPE_GENERIC,
    SHAPE_KOBO,
    SHAPE_ODK,
    SOURCE_KOBO_CSV,
    SOURCE_KOBO_XLSX,
    SOURCE_MAPPED_FILE,
    SOURCE_ODK_CSV,
    SOURCE_ODK_ZIP,
    ExportRow,
    RowValues,
    SurveyExport,
    column_index,
)
from ctip.formats.survey_exports.workbook import Grid

KOBO_METADATA = frozenset(
    {
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_status",
        "_submitted_by",
        "__version__",
        "_index",
        "_notes",
        "_tags",
    }
)
"""Metadata columns of a KoboToolbox export (two of them make a file a Kobo export)."""
NO_REPEATS: Mapping[str, tuple[Mapping[str, str], ...]] = MappingProxyType({})

_SEPARATORS = ("/", "-", ".", ":", "|")
_ROOT_UUID = re.compile(r"(?:^|[^a-z0-9_])rootuuid$")
_INSTANCE_ID = re.compile(r"(?:^|[^a-z0-9_])instanceid$")
_UUID_PREFIX = re.compile(r"^uuid:", re.IGNORECASE)


def fold_header(text: str) -> str:
    return " ".join(text.split()).lower()


def folded_headers(headers: Iterable[str]) -> list[str]:
    return [fold_header(header) for header in headers]


def is_odk(headers: Sequence[str]) -> bool:
    lowered = set(folded_headers(headers))
    return "key" in lowered and bool({"submissiondate", "meta-instanceid", "parent_key"} & lowered)


def is_kobo(headers: Sequence[str]) -> bool:
    lowered = folded_headers(headers)
    return len(KOBO_METADATA & set(lowered)) >= 2 or any(_ROOT_UUID.search(header) for header in lowered)


def detect_shape(headers: Sequence[str]) -> str:
    """``"odk"``, ``"kobo"`` or ``"generic"`` from a table's headers (as written)."""
    if is_odk(headers):
        return SHAPE_ODK
    if is_kobo(headers):
        return SHAPE_KOBO
    return SHAPE_GENERIC


def header_style(headers: Sequence[str]) -> str:
    questions = [header for header in headers if not header.startswith("_")]
    return "labels" if any(len(header.split()) > 1 for header in questions) else "names"


def find_separator(headers: Sequence[str], shape: str, style: str) -> str:
    """The group separator: ``-`` for ODK; ``/`` in XML names (where it cannot be part of a name); else the
    candidate whose prefix is shared by the most headers (labels: only ``/``, and only so shared)."""
    if shape == SHAPE_ODK:
        return "-"
    if style == "names" and any("/" in header.strip("/") for header in headers):
        return "/"
    best, best_count = "", 0
    for separator in ("/",) if style == "labels" else _SEPARATORS:
        prefixes = Counter(
            header.split(separator, 1)[0]
            for header in headers
            if separator in header.strip(separator) and not header.startswith("_")
        )
        count = sum(number for number in prefixes.values() if number >= 2)
        if count > best_count:
            best, best_count = separator, count
    return best


def normalised_columns(headers: Sequence[str], separator: str) -> tuple[str, ...]:
    """Each header's last path segment, lower-case, spaces collapsed; a column whose path minus its last
    segment is another column (a select_multiple choice column) keeps that question (``topics/referral``);
    names that collide keep more of their path until they differ."""
    paths = []
    for header in headers:
        segments = [fold_header(segment) for segment in (header.split(separator) if separator else [header])]
        paths.append([segment for segment in segments if segment] or [fold_header(header) or "column"])
    full = {tuple(path) for path in paths}
    depths = [2 if len(path) >= 2 and tuple(path[:-1]) in full else 1 for path in paths]
    while True:
        names = ["/".join(path[-depth:]) for path, depth in zip(paths, depths, strict=True)]
        counts = Counter(names)
        grown = False
        for position, name in enumerate(names):
            if counts[name] > 1 and depths[position] < len(paths[position]):
                depths[position] += 1
                grown = True
        if not grown:
            break
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}~{seen[name]}")
    return tuple(unique)


def key_text(value: str, shape: str) -> str:
    text = value.strip()
    if shape == SHAPE_ODK:
        text = text.split("/", 1)[0]
    return _UUID_PREFIX.sub("", text).strip()


def find_key_position(lowered: list[str], shape: str) -> int:
    if shape == SHAPE_KOBO:
        for position, header in enumerate(lowered):
            if _ROOT_UUID.search(header):
                return position
        return lowered.index("_id") if "_id" in lowered else -1
    if shape == SHAPE_ODK:
        if "key" in lowered:
            return lowered.index("key")
        for position, header in enumerate(lowered):
            if _INSTANCE_ID.search(header):
                return position
    return -1


def find_time_position(lowered: list[str], shape: str) -> int:
    wanted = {SHAPE_KOBO: "_submission_time", SHAPE_ODK: "submissiondate"}.get(shape)
    return lowered.index(wanted) if wanted in lowered else -1


def source_code(shape: str, container: str) -> str:
    """The Submission.source code of a table of ``shape`` read from a ``container`` ("csv", "xlsx", "zip"
    or, for rows that did not come from a file, the source code itself)."""
    if container not in ("csv", "xlsx", "zip"):
        return container
    if shape == SHAPE_KOBO:
        return SOURCE_KOBO_XLSX if container == "xlsx" else SOURCE_KOBO_CSV
    if shape == SHAPE_ODK:
        return SOURCE_ODK_ZIP if container == "zip" else SOURCE_ODK_CSV
    return SOURCE_MAPPED_FILE


def build_export(grid: Grid, *, container: str) -> SurveyExport:
    shape = detect_shape(grid.headers)
    style = header_style(grid.headers)
    separator = find_separator(grid.headers, shape, style)
    columns = normalised_columns(grid.headers, separator)
    lowered = folded_headers(grid.headers)
    key_position = find_key_position(lowered, shape)
    time_position = find_time_position(lowered, shape)
    index = column_index(columns)
    rows = tuple(
        ExportRow(
            number,
            RowValues(index, cells),
            key_text(cells[key_position], shape) if key_position >= 0 else "",
            cells[time_position] if time_position >= 0 else "",
            NO_REPEATS,
        )
        for number, cells in grid.rows
    )
    return SurveyExport(
        shape=shape,
        source=source_code(shape, container),
        columns=columns,
        original_columns=dict(zip(columns, grid.headers, strict=True)),
        rows=rows,
        key_column=columns[key_position] if key_position >= 0 else "",
        separator=separator,
        header_style=style,
    )


def replace_rows(export: SurveyExport, rows: Sequence[ExportRow]) -> SurveyExport:
    return SurveyExport(
        shape=export.shape,
        source=export.source,
        columns=export.columns,
        original_columns=export.original_columns,
        rows=tuple(rows),
        key_column=export.key_column,
        separator=export.separator,
        header_style=export.header_style,
    )
