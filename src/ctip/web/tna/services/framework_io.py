"""The competency framework in and out of a spreadsheet (the columns of
``ctip.core.tna.framework.FRAMEWORK_COLUMNS``, plus ``retired``).

The preview reads the file (``read_table``) and parses every row with ``framework_from_rows``, which reports
every problem with its row and column; it then says for each competency whether it is added, updated (with
each field's before and after) or unchanged. Applying re-runs the preview and writes it in one transaction.
Competencies are matched by code (ignoring case); competencies that are not in the file are kept; columns
the file does not have are left as they are. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.framework import FRAMEWORK_COLUMNS, framework_from_rows
from ctip.formats.tabular import read_table
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.tna.models import WorkspaceCompetency
from ctip.web.tna.services.competencies import (
    COMPETENCY_FIELDS,
    RETIRED_COLUMN,
    competency_values,
    framework_ensure,
    known_type_codes,
    next_position,
)

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
_MEGABYTE = 1024 * 1024
_YES = frozenset({"yes", "y", "true", "1", "oui", "x"})
_NO = frozenset({"no", "n", "false", "0", "non", ""})


@dataclass(frozen=True)
class FrameworkChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class FrameworkRow:
    row: int
    code: str
    title: str
    action: str
    changes: tuple[FrameworkChange, ...] = ()


@dataclass(frozen=True)
class FrameworkImportPreview:
    filename: str
    rows: tuple[FrameworkRow, ...]
    not_in_file: int = 0

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


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


@dataclass
class _Item:
    row: int
    values: dict[str, Any]
    existing: WorkspaceCompetency | None
    action: str = UNCHANGED
    changes: tuple[FrameworkChange, ...] = ()


def _plan(workspace: Workspace, data: bytes, filename: str) -> tuple[FrameworkImportPreview, list[_Item]]:
    table = read_table(data, filename=filename, max_bytes=settings.CTIP_MAX_UPLOAD_MB * _MEGABYTE)
    numbered = table.numbered_rows()
    competencies = framework_from_rows(numbered, type_codes=known_type_codes(workspace))
    filled = [(number, values) for number, values in numbered if any(v.strip() for v in values.values())]
    columns = set(table.columns)
    fields = [
        name
        for name in COMPETENCY_FIELDS
        if (name in FRAMEWORK_COLUMNS and name in columns)
        or (name == "is_retired" and RETIRED_COLUMN in columns)
    ]
    existing = {row.code.casefold(): row for row in WorkspaceCompetency.objects.filter(workspace=workspace)}
    problems: list[FieldProblem] = []
    items: list[_Item] = []
    for (number, raw), competency in zip(filled, competencies, strict=True):
        values = competency_values(competency)
        if "is_retired" in fields:
            flag = raw.get(RETIRED_COLUMN, "").strip().lower()
            if flag not in _YES | _NO:
                problems.append(
                    FieldProblem(
                        f"row {number}, column “{RETIRED_COLUMN}”",
                        _("“%(value)s” is not yes or no."),
                        {"value": raw.get(RETIRED_COLUMN, "")},
                    )
                )
            values["is_retired"] = flag in _YES
        found = existing.get(competency.code.casefold())
        item = _Item(row=number, values=values, existing=found)
        if found is None:
            item.action = CREATE
            item.values = {**values, "is_retired": values.get("is_retired", False)}
        else:
            current = record_values(found, fields)
            item.changes = tuple(
                FrameworkChange(name, _shown(current[name]), _shown(values[name]))
                for name in fields
                if name != "code" and _normal(current[name]) != _normal(values[name])
            )
            item.action = UPDATE if item.changes else UNCHANGED
            item.values = {name: values[name] for name in fields if name != "code"}
        items.append(item)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "The competency file has %(count)s problem(s); nothing was imported. Correct them and try again."
            ),
            {"count": len(problems)},
            problems=problems,
        )
    in_file = {competency.code.casefold() for competency in competencies}
    preview = FrameworkImportPreview(
        filename=filename,
        rows=tuple(
            FrameworkRow(
                row=item.row,
                code=item.existing.code if item.existing else str(item.values["code"]),
                title=str(item.values.get("title_en") or (item.existing.title_en if item.existing else "")),
                action=item.action,
                changes=item.changes,
            )
            for item in items
        ),
        not_in_file=sum(1 for code in existing if code not in in_file),
    )
    return preview, items


def _normal(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    return value


def framework_import_preview(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None
) -> FrameworkImportPreview:
    """What importing ``data`` (CSV or XLSX) would do to the framework; raises a :class:`DomainError`
    listing every problem with its row and column when the file cannot be imported."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    framework_ensure(workspace=workspace, acting_user=acting_user)
    preview, _items = _plan(workspace, data, filename)
    return preview


def framework_import_apply(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None
) -> FrameworkImportPreview:
    """Import ``data`` as :func:`framework_import_preview` describes it, every row or none; each added or
    changed competency gets its audit row."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    framework_ensure(workspace=workspace, acting_user=acting_user)
    with transaction.atomic():
        list(WorkspaceCompetency.objects.select_for_update().filter(workspace=workspace).values_list("pk"))
        preview, items = _plan(workspace, data, filename)
        now = timezone.now()
        position = next_position(workspace)
        for item in items:
            if item.action == CREATE:
                created = WorkspaceCompetency(workspace=workspace, position=position, **item.values)
                position += 1
                created.full_clean(validate_unique=False)
                created.save()
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="workspacecompetency.create",
                    obj=created,
                    after=record_values(created, COMPETENCY_FIELDS),
                )
            elif item.action == UPDATE and item.existing is not None:
                target = item.existing
                before = record_values(target, COMPETENCY_FIELDS)
                for name, value in item.values.items():
                    if name != "code":
                        setattr(target, name, value)
                target.version += 1
                target.updated_at = now
                target.full_clean(validate_unique=False)
                target.save()
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="workspacecompetency.update",
                    obj=target,
                    before=before,
                    after=record_values(target, COMPETENCY_FIELDS),
                )
    return preview
