"""Importing indicator values (actuals, and targets when the ``kind`` column says so) from a CSV or XLSX
file: a preview that says, row by row, what would be added, changed or left as it is, then an apply that
re-reads the file and writes it all in one transaction — or nothing, when any row has a problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ctip.core.access import Permission
from ctip.core.monitoring import Unit, ValueEntry, parse_value_rows
from ctip.formats.monitoring_io import read_values
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.monitoring.services.values import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ValueInput,
    value_action,
    write_value,
)

_MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ImportRow:
    row: int
    entry: ValueEntry
    action: str
    before: str  # the stored value, as text ("" for a new one)


@dataclass(frozen=True)
class ValuesPreview:
    filename: str
    rows: tuple[ImportRow, ...]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def to_update(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return any(row.action != UNCHANGED for row in self.rows)


def _input(entry: ValueEntry) -> ValueInput:
    return ValueInput(
        entry.kind.value, str(entry.period), entry.sex, entry.location, entry.value, entry.source, entry.note
    )


def _plain(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _preview(
    workspace: Workspace, entries: list[ValueEntry], filename: str
) -> tuple[ValuesPreview, dict[str, Indicator]]:
    indicators = {
        row.code: row for row in Indicator.objects.filter(workspace=workspace).select_related("workspace")
    }
    stored: dict[tuple[str, str, str, str, str], IndicatorValue] = {}
    for value in (
        IndicatorValue.objects.filter(workspace=workspace).select_related("indicator").order_by("id")
    ):
        key = (value.indicator.code, value.kind, value.period, value.sex, value.location.casefold())
        stored.setdefault(key, value)
    rows = []
    for entry in entries:
        current = stored.get(
            (entry.indicator, entry.kind.value, str(entry.period), entry.sex, entry.location.casefold())
        )
        action = value_action(current, _input(entry))
        rows.append(ImportRow(entry.row, entry, action, _plain(current.value) if current is not None else ""))
    return ValuesPreview(filename, tuple(rows)), indicators


def _read(workspace: Workspace, data: bytes, filename: str, language: str) -> list[ValueEntry]:
    units = {
        code: Unit(unit)
        for code, unit in Indicator.objects.filter(workspace=workspace).values_list("code", "unit")
    }
    return read_values(
        data,
        filename=filename,
        max_bytes=int(settings.CTIP_MAX_UPLOAD_MB) * _MEGABYTE,
        units=units,
        language=language,
    )


def values_import_preview(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None, language: str = "en"
) -> ValuesPreview:
    """What importing the file would do; raises :class:`DomainError` with every problem (row, column)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    preview, _indicators = _preview(workspace, _read(workspace, data, filename, language), filename)
    return preview


def values_import_apply(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None, language: str = "en"
) -> ValuesPreview:
    """Import the file: every row or none. Returns the preview that was applied."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    entries = _read(workspace, data, filename, language)
    return _apply(workspace, entries, filename, acting_user)


def values_entries_apply(
    *,
    workspace: Workspace,
    rows: Sequence[Mapping[str, str]],
    acting_user: User | None,
    dry_run: bool = False,
    language: str = "en",
) -> ValuesPreview:
    """Values sent as a list of rows (the columns of the import; the API): checked like a file (problems
    located as ``values[i].column``), then written all together, or only previewed with ``dry_run``."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    units = {
        code: Unit(unit)
        for code, unit in Indicator.objects.filter(workspace=workspace).values_list("code", "unit")
    }
    entries = parse_value_rows(
        [(number, dict(row)) for number, row in enumerate(rows, start=1)],
        units=units,
        language=language,
        locate=lambda row, column: f"values[{row - 1}].{column}",
    )
    if dry_run:
        preview, _indicators = _preview(workspace, entries, "api")
        return preview
    return _apply(workspace, entries, "api", acting_user)


def _apply(
    workspace: Workspace, entries: list[ValueEntry], filename: str, acting_user: User | None
) -> ValuesPreview:
    with transaction.atomic():
        preview, indicators = _preview(workspace, entries, filename)
        for row in preview.rows:
            if row.action != UNCHANGED:
                write_value(
                    indicator=indicators[row.entry.indicator], item=_input(row.entry), acting_user=acting_user
                )
    return preview
