"""Importing the registry from a spreadsheet (CSV or XLSX, the columns of the template): preview, then apply.

The preview reads the file (``ctip.formats.tabular.read_table``), checks every row with the core rules
(``ctip.core.stakeholders.parse_organisation_rows``) and the registry (parent loops through organisations
already mapped, field lengths), and says for each row whether it creates an organisation, updates one
(with each field's before and after) or leaves it unchanged. Any problem stops the import and is reported
with its row and column, all of them at once.

Applying re-runs the preview and writes it in one transaction: organisations are matched by key (ignoring
case), parents are resolved once every row exists, each created or changed organisation gets its audit row.
Columns the file does not have are left as they are; organisations that are not in the file are kept.
Importing the same file twice changes nothing the second time and writes no audit row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import (
    STAKEHOLDER_COLUMN_NAMES,
    ChainStage,
    OrganisationRecord,
    ParseResult,
    Pillar,
    cell_location,
    parse_organisation_rows,
)
from ctip.formats.tabular import Table, read_table
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.stakeholders.models import Organisation
from ctip.web.stakeholders.services.organisations import (
    ORGANISATION_FIELDS,
    column_of_field,
    ordered_codes,
    record_field_values,
    type_codes_of,
)

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
_UPDATABLE = [name for name in ORGANISATION_FIELDS if name != "key"]
_ROW_NUMBER = re.compile(r"^row (\d+)")
_MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class FieldChange:
    """One field of one row: its value in the registry (``before``, empty for a new organisation) and in
    the file (``after``), as text."""

    field: str
    column: str
    before: str
    after: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    key: str
    name: str
    action: str
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    """What importing the file would do. ``ignored_columns``: columns of the file that are not template
    columns; ``not_in_file``: organisations of the registry the file does not mention (they are kept)."""

    filename: str
    rows: tuple[ImportRow, ...]
    ignored_columns: tuple[str, ...] = ()
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


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    created: tuple[Organisation, ...] = ()
    updated: tuple[Organisation, ...] = ()


@dataclass
class _Item:
    row: int
    record: OrganisationRecord
    key: str
    values: dict[str, Any]
    fields: list[str]
    organisation: Organisation | None
    action: str = UNCHANGED
    changes: list[FieldChange] = field(default_factory=list)


def display_value(value: Any) -> str:
    """A field value as the template writes it (and as the preview shows it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def _current_values(organisation: Organisation) -> dict[str, Any]:
    values = {name: getattr(organisation, name) for name in _UPDATABLE if name != "parent"}
    values["pillars"] = ordered_codes(values["pillars"] or [], Pillar)
    values["chain_stages"] = ordered_codes(values["chain_stages"] or [], ChainStage)
    values["parent"] = organisation.parent.key if organisation.parent_id else ""
    return values


def _fields_in(table: Table) -> list[str]:
    """The fields the file sets: those with a template column (``staff_total`` also when it is computed
    from women and men)."""
    columns = set(table.columns)
    fields = [name for name in _UPDATABLE if column_of_field(name) in columns]
    if "staff_total" not in fields and {"staff_women", "staff_men"} <= columns:
        fields.append("staff_total")
    return fields


def _length_problems(row: int, values: Mapping[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name, value in values.items():
        limit = getattr(Organisation._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(
                FieldProblem(
                    cell_location(row, column_of_field(name)),
                    _("This text is %(length)s characters long; shorten it to %(limit)s characters at most."),
                    {"length": len(value), "limit": limit},
                )
            )
    return problems


def _loop_problems(items: list[_Item], existing: Mapping[str, Organisation]) -> list[FieldProblem]:
    """Parent chains that would loop once the file is applied, through organisations already mapped."""
    parent_of = {
        key: (organisation.parent.key.casefold() if organisation.parent_id else "")
        for key, organisation in existing.items()
    }
    for item in items:
        if "parent" in item.fields or item.organisation is None:
            parent_of[item.key.casefold()] = str(item.values.get("parent", "")).casefold()
    problems: list[FieldProblem] = []
    for item in items:
        start = item.key.casefold()
        if "parent" not in item.fields or not parent_of.get(start):
            continue
        seen = {start}
        step = parent_of.get(start, "")
        while step and step not in seen:
            seen.add(step)
            step = parent_of.get(step, "")
        if step == start:
            problems.append(
                FieldProblem(
                    cell_location(item.row, "parent"),
                    _(
                        "With this parent, the parent chain would loop back to “%(key)s” through organisations "
                        "already in the registry. Correct the “parent” column or the registry."
                    ),
                    {"key": item.key},
                )
            )
    return problems


def _row_of(problem: FieldProblem) -> int:
    match = _ROW_NUMBER.match(problem.location)
    return int(match.group(1)) if match else 0


def _plan(
    workspace: Workspace, data: bytes, filename: str, acting_user: User | None
) -> tuple[ImportPreview, list[_Item]]:
    table = read_table(data, filename=filename, max_bytes=settings.CTIP_MAX_UPLOAD_MB * _MEGABYTE)
    registry = list(Organisation.objects.filter(workspace=workspace).select_related("parent"))
    existing = {organisation.key.casefold(): organisation for organisation in registry}
    type_codes = type_codes_of(
        workspace, also={organisation.type for organisation in registry}, acting_user=acting_user
    )
    parsed = parse_organisation_rows(
        table.numbered_rows(), type_codes=type_codes, known_keys=[o.key for o in registry]
    )
    row_of_key: dict[str, int] = {}
    for table_row in table.rows:
        raw = table_row.values
        raw_key = (raw.get("id") or raw.get("acronym") or "").strip().casefold()
        row_of_key.setdefault(raw_key, table_row.number)

    def canonical(key: str) -> str:
        found = existing.get(key.casefold())
        return found.key if found is not None else key

    fields = _fields_in(table)
    items: list[_Item] = []
    problems = list(parsed.problems)
    for record in parsed.records:
        row = row_of_key.get(record.key.casefold(), 0)
        values = {**record_field_values(record), "parent": canonical(record.parent) if record.parent else ""}
        problems.extend(_length_problems(row, values))
        organisation = existing.get(record.key.casefold())
        items.append(
            _Item(
                row=row,
                record=record,
                key=canonical(record.key),
                values=values,
                fields=fields if organisation is not None else list(_UPDATABLE),
                organisation=organisation,
            )
        )
    problems.extend(_loop_problems(items, existing))
    if problems:
        ordered = sorted(problems, key=_row_of)  # stable: the core's column order within a row is kept
        ParseResult(records=(), problems=tuple(ordered)).raise_for_problems()

    for item in items:
        if item.organisation is None:
            item.action = CREATE
            item.changes = [
                FieldChange(name, column_of_field(name), "", display_value(item.values[name]))
                for name in _UPDATABLE
                if display_value(item.values[name]) not in ("", "no")
            ]
            continue
        current = _current_values(item.organisation)
        item.changes = [
            FieldChange(
                name, column_of_field(name), display_value(current[name]), display_value(item.values[name])
            )
            for name in item.fields
            if current[name] != item.values[name]
        ]
        item.action = UPDATE if item.changes else UNCHANGED

    in_file = {item.key.casefold() for item in items}
    preview = ImportPreview(
        filename=filename,
        rows=tuple(
            ImportRow(row=i.row, key=i.key, name=i.record.name, action=i.action, changes=tuple(i.changes))
            for i in items
        ),
        ignored_columns=tuple(
            table.labels.get(column, column)
            for column in table.columns
            if column not in STAKEHOLDER_COLUMN_NAMES
        ),
        not_in_file=sum(1 for key in existing if key not in in_file),
    )
    return preview, items


def stakeholder_import_preview(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None
) -> ImportPreview:
    """What importing ``data`` (a CSV or XLSX file named ``filename``) would do; raises a
    :class:`DomainError` listing every problem, with its row and column, when the file cannot be imported."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    preview, _items = _plan(workspace, data, filename, acting_user)
    return preview


def _saved(organisation: Organisation, row: int) -> None:
    """Validate and save, reporting a model-level problem with the row and column of the file."""
    try:
        organisation.full_clean(validate_unique=False)
    except ValidationError as error:
        problems = [
            FieldProblem(
                cell_location(row, column_of_field(name)) if name != "__all__" else f"row {row}", message
            )
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The organisations were not imported: row %(row)s cannot be saved."),
            {"row": row},
            problems=problems,
        ) from error
    organisation.save()


def stakeholder_import_apply(
    *, workspace: Workspace, data: bytes, filename: str, acting_user: User | None
) -> ImportResult:
    """Import ``data`` as :func:`stakeholder_import_preview` describes it, all rows or none."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        # Lock the registry: the plan must still hold when it is written.
        list(
            Organisation.objects.select_for_update().filter(workspace=workspace).values_list("pk", flat=True)
        )
        preview, items = _plan(workspace, data, filename, acting_user)
        changing = [item for item in items if item.action != UNCHANGED]
        if not changing:
            return ImportResult(preview=preview)
        before: dict[int, dict[str, Any]] = {}
        by_key = {
            organisation.key.casefold(): organisation
            for organisation in Organisation.objects.filter(workspace=workspace)
        }
        now = timezone.now()
        for item in changing:
            own = {name: item.values[name] for name in item.fields if name != "parent"}
            if item.organisation is None:
                organisation = Organisation(workspace=workspace, key=item.key, **own)
            else:
                organisation = by_key[item.key.casefold()]
                before[organisation.pk] = record_values(organisation, ORGANISATION_FIELDS)
                for name, value in own.items():
                    setattr(organisation, name, value)
                organisation.version += 1
                organisation.updated_at = now
            _saved(organisation, item.row)
            by_key[item.key.casefold()] = organisation
        created: list[Organisation] = []
        updated: list[Organisation] = []
        for item in changing:
            organisation = by_key[item.key.casefold()]
            if "parent" in item.fields:
                parent_key = str(item.values["parent"])
                parent = by_key[parent_key.casefold()] if parent_key else None
                if organisation.parent_id != (parent.pk if parent else None):
                    organisation.parent = parent
                    _saved(organisation, item.row)
            if item.organisation is None:
                created.append(organisation)
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="organisation.create",
                    obj=organisation,
                    after=record_values(organisation, ORGANISATION_FIELDS),
                )
            else:
                updated.append(organisation)
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="organisation.update",
                    obj=organisation,
                    before=before[organisation.pk],
                    after=record_values(organisation, ORGANISATION_FIELDS),
                )
    return ImportResult(preview=preview, created=tuple(created), updated=tuple(updated))
