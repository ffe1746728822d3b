"""Participants and their attendance from a sign-in sheet (CSV or XLSX): a preview that says, row by row,
who would be added, whose details would change and who stays as they are; then an apply that reads the
file again and writes it all in one transaction — or nothing, when any row has a problem.

Columns (English or French headers, any order, only one needed): code (empty: one is made, ``P001``…), sex,
age band (or age, turned into its band), organisation (matched to the stakeholder registry by key, acronym or
name, ignoring case; any other name is kept as written, with the registry's closest names suggested in the
preview), role and location; then one column per training day holding attendance, headed by the date
(``2026-03-02`` or ``02/03/2026``, day first) or by ``Day 1`` / ``Jour 1``, with ``x``, ``1``, ``yes``,
``present``, ``oui`` for present and ``0``, ``no``, ``absent``, ``non`` for absent (an empty cell records
nothing). Columns of names or signatures are ignored: names are never stored.

A row whose code is already registered updates that participant (only the cells filled in change); rows
without a code always add a new participant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import AGE_BAND_LABELS, SEX_LABELS, AgeBand, EventStatus, Sex
from ctip.formats.tabular import Table, read_table
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import Attendance, Participant, TrainingEvent
from ctip.web.trainings.services.event_plan import event_days
from ctip.web.trainings.services.events import indicators_refresh
from ctip.web.trainings.services.participants import (
    PARTICIPANT_FIELDS,
    age_band_for_age,
    age_band_from_text,
    code_problem,
    normalise_code,
    participant_code_next,
    sex_from_text,
)
from ctip.web.trainings.services.signin_sheet import (
    Registry,
    attendance_mark,
    cell_location,
    sheet_columns,
)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
_LIMITS = {"role": 150, "location": 100, "organisation": 250}


@dataclass(frozen=True)
class Change:
    field: str
    """A participant field, or the ISO date of an attendance day."""
    before: str
    after: str

    @property
    def label(self) -> str:
        """The field's name in the active language, or the day's date."""
        if self.field in PARTICIPANT_FIELDS:
            return str(Participant._meta.get_field(self.field).verbose_name)
        return self.field


@dataclass(frozen=True)
class SigninRow:
    """One row of the sheet as it will be (or was) imported."""

    row: int
    code: str
    code_generated: bool
    action: str
    """``create``, ``update`` or ``unchanged``."""
    values: Mapping[str, Any]
    """The participant fields the sheet gives (cells left empty are not in it)."""
    attendance: tuple[tuple[dt.date, bool], ...]
    """(day, present) for the days the sheet marks."""
    changes: tuple[Change, ...] = ()
    suggestions: tuple[str, ...] = ()
    """Registry organisations close to an organisation that is not in the registry."""
    participant: Participant | None = None

    @property
    def organisation_label(self) -> str:
        organisation = self.values.get("organisation")
        if organisation is not None:
            return organisation.acronym or organisation.name
        return str(self.values.get("organisation_name", ""))

    @property
    def not_in_registry(self) -> bool:
        return self.values.get("organisation") is None and bool(self.values.get("organisation_name"))

    @property
    def sex_label(self) -> str:
        return _label("sex", self.values["sex"]) if "sex" in self.values else ""

    @property
    def age_band_label(self) -> str:
        return _label("age_band", self.values["age_band"]) if "age_band" in self.values else ""

    @property
    def days_present(self) -> list[dt.date]:
        return [day for day, present in self.attendance if present]

    @property
    def days_absent(self) -> list[dt.date]:
        return [day for day, present in self.attendance if not present]


@dataclass(frozen=True)
class SigninImport:
    filename: str
    rows: tuple[SigninRow, ...]
    days: tuple[tuple[str, dt.date], ...] = ()
    """(column as typed, training day) of the attendance columns."""
    ignored_columns: tuple[str, ...] = ()
    name_columns: tuple[str, ...] = ()
    """Columns of names or signatures: never read, never stored."""
    applied: bool = field(default=False)

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


def _label(field_name: str, value: str) -> str:
    if field_name == "sex":
        return gettext(SEX_LABELS.get(Sex(value), value)) if value in {s.value for s in Sex} else value
    if field_name == "age_band":
        return (
            gettext(AGE_BAND_LABELS.get(AgeBand(value), value))
            if value in {b.value for b in AgeBand}
            else value
        )
    return value


def _shown(field_name: str, value: Any) -> str:
    if isinstance(value, Organisation):
        return value.acronym or value.name
    if value is None:
        return ""
    return _label(field_name, str(value))


# --- Rows -----------------------------------------------------------------------------------------------


def _parse(event: TrainingEvent, table: Table) -> SigninImport:
    days = event_days(event)
    columns = sheet_columns(table, days)
    registry = Registry(event.workspace)
    existing = {
        row.code: row for row in Participant.objects.filter(event=event).select_related("organisation")
    }
    stored_attendance: dict[tuple[int, dt.date], bool] = {
        (participant_id, day): present
        for participant_id, day, present in Attendance.objects.filter(participant__event=event).values_list(
            "participant_id", "day", "present"
        )
    }
    problems: list[FieldProblem] = []
    seen_codes: dict[str, int] = {}
    parsed: list[tuple[int, str, dict[str, Any], list[tuple[dt.date, bool]], tuple[str, ...]]] = []
    wanted = columns.fields
    for table_row in table.rows:
        number = table_row.number
        cells = {name: table_row.values.get(column, "") for name, column in wanted.items()}
        marks = {column: table_row.values.get(column, "") for column in columns.days}
        named = any(table_row.values.get(column, "") for column in columns.name_columns)
        if not any(cells.values()) and not any(marks.values()) and not named:
            continue
        values: dict[str, Any] = {}
        code = normalise_code(cells.get("code", ""))
        if code:
            template = code_problem(code)
            if template is not None:
                problems.append(
                    FieldProblem(cell_location(table, number, wanted["code"]), template, {"value": code})
                )
            elif code in seen_codes:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted["code"]),
                        _(
                            "Row %(first)s has the code %(code)s already; give each participant their own code."
                        ),
                        {"first": seen_codes[code], "code": code},
                    )
                )
            else:
                seen_codes[code] = number
        if cells.get("sex"):
            sex = sex_from_text(cells["sex"])
            if sex is None:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted["sex"]),
                        _(
                            "“%(value)s” is not a sex this import understands. Write female or male (also F/M, "
                            "woman/man, femme/homme, F/H), or leave the cell empty."
                        ),
                        {"value": cells["sex"]},
                    )
                )
            else:
                values["sex"] = sex
        if cells.get("age_band"):
            band = age_band_from_text(cells["age_band"])
            if band is None and cells["age_band"].isdigit():
                band = age_band_for_age(int(cells["age_band"]))
            if band is None:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted["age_band"]),
                        _(
                            "“%(value)s” is not an age band. Write 18-24, 25-34, 35-44, 45-54 or 55+, or the age in years."
                        ),
                        {"value": cells["age_band"]},
                    )
                )
            else:
                values["age_band"] = band
        if cells.get("age"):
            text = cells["age"].strip()
            band = age_band_for_age(int(text)) if text.isdigit() else age_band_from_text(text)
            if band is None:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted["age"]),
                        _(
                            "“%(value)s” is not an age this import takes: write the age in whole years, from 18 to 99."
                        ),
                        {"value": text},
                    )
                )
            else:
                values["age_band"] = band
        suggestions: tuple[str, ...] = ()
        if cells.get("organisation"):
            typed = " ".join(cells["organisation"].split())
            organisation, candidates = registry.find(typed)
            if candidates:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted["organisation"]),
                        _(
                            "“%(value)s” could be any of %(candidates)s in the stakeholder registry. Write the "
                            "organisation's key instead (%(keys)s)."
                        ),
                        {
                            "value": typed,
                            "candidates": ", ".join(str(c) for c in candidates),
                            "keys": ", ".join(c.key for c in candidates),
                        },
                    )
                )
            values["organisation"] = organisation
            values["organisation_name"] = "" if organisation is not None else typed
            if organisation is None and not candidates:
                suggestions = registry.suggest(typed)
        for name in ("role", "location"):
            if cells.get(name):
                values[name] = " ".join(cells[name].split())
        for name, limit in _LIMITS.items():
            text = cells.get(name, "")
            if len(text) > limit:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, wanted[name]),
                        _("This cell has %(length)s characters; at most %(limit)s fit. Shorten it."),
                        {"length": len(text), "limit": limit},
                    )
                )
        attendance: list[tuple[dt.date, bool]] = []
        for column, day in columns.days.items():
            mark = marks[column]
            if not mark:
                continue
            try:
                present = attendance_mark(mark)
            except ValueError:
                problems.append(
                    FieldProblem(
                        cell_location(table, number, column),
                        _(
                            "“%(value)s” is not an attendance mark. Write x, 1, yes or present (oui, présent) for "
                            "present; 0, no or absent (non) for absent; or leave the cell empty."
                        ),
                        {"value": mark},
                    )
                )
                continue
            attendance.append((day, present))
        parsed.append((number, code, values, attendance, suggestions))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” cannot be imported: %(count)s problem(s), listed below with their row and column. "
                "Correct the sheet and upload it again; nothing was saved."
            ),
            {"file": table.source, "count": len(problems)},
            problems=problems,
        )
    if not parsed:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("“%(file)s” lists nobody: every row below the header is empty."),
            {"file": table.source},
        )
    rows: list[SigninRow] = []
    taken = set(existing) | set(seen_codes)
    for number, code, values, attendance, suggestions in parsed:
        generated = not code
        if generated:
            code = participant_code_next(event, taken)
            taken.add(code)
        current = existing.get(code)
        if current is None:
            full = {name: "" for name in PARTICIPANT_FIELDS if name not in ("code", "organisation")}
            rows.append(
                SigninRow(
                    row=number,
                    code=code,
                    code_generated=generated,
                    action=CREATE,
                    values=full | {"organisation": None} | values,
                    attendance=tuple(attendance),
                    suggestions=suggestions,
                )
            )
            continue
        changes = [
            Change(name, _shown(name, getattr(current, name)), _shown(name, value))
            for name, value in values.items()
            if name != "organisation_name" and getattr(current, name) != value
        ]
        if (
            "organisation_name" in values
            and values.get("organisation") is None
            and current.organisation_name != values["organisation_name"]
            and not any(change.field == "organisation" for change in changes)
        ):
            changes.append(Change("organisation", current.organisation_name, values["organisation_name"]))
        for day, present in attendance:
            stored = stored_attendance.get((current.pk, day))
            if stored != present:
                changes.append(
                    Change(
                        day.isoformat(),
                        "" if stored is None else (gettext("present") if stored else gettext("absent")),
                        gettext("present") if present else gettext("absent"),
                    )
                )
        rows.append(
            SigninRow(
                row=number,
                code=code,
                code_generated=False,
                action=UPDATE if changes else UNCHANGED,
                values=values,
                attendance=tuple(attendance),
                changes=tuple(changes),
                suggestions=suggestions,
                participant=current,
            )
        )
    return SigninImport(
        filename=table.source,
        rows=tuple(rows),
        days=tuple((table.labels.get(column, column), day) for column, day in columns.days.items()),
        ignored_columns=columns.ignored,
        name_columns=columns.names,
    )


def _read(data: bytes, filename: str) -> Table:
    return read_table(data, filename=filename, max_bytes=int(settings.CTIP_MAX_UPLOAD_MB) * 1024 * 1024)


def _check(workspace: Workspace, event: TrainingEvent) -> None:
    if event.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such training in this workspace."))


def signin_preview(
    *, event: TrainingEvent, data: bytes, filename: str, acting_user: User | None
) -> SigninImport:
    """What importing the sheet would do, row by row, without saving anything (or a :class:`DomainError`
    listing every problem with its row and column)."""
    require_permission(acting_user, event.workspace, Permission.RUN_TRAININGS)
    _check(event.workspace, event)
    return _parse(event, _read(data, filename))


def _attendance_write(participant: Participant, attendance: Sequence[tuple[dt.date, bool]]) -> None:
    for day, present in attendance:
        Attendance.objects.update_or_create(participant=participant, day=day, defaults={"present": present})


def signin_apply(
    *, event: TrainingEvent, data: bytes, filename: str, acting_user: User | None
) -> SigninImport:
    """Import the sheet: every row or none. Returns what was done (the preview, applied)."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    _check(workspace, event)
    table = _read(data, filename)
    with transaction.atomic():
        TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
        result = _parse(event, table)
        for row in result.rows:
            if row.action == UNCHANGED:
                continue
            provenance = {"file": filename, "row": row.row}
            if row.action == CREATE:
                participant = Participant.objects.create(
                    workspace=workspace, event=event, code=row.code, **dict(row.values)
                )
                _attendance_write(participant, row.attendance)
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="participant.import",
                    obj=participant,
                    after={
                        **record_values(participant, PARTICIPANT_FIELDS),
                        **provenance,
                        "present": [day.isoformat() for day in row.days_present],
                        "absent": [day.isoformat() for day in row.days_absent],
                    },
                )
                continue
            assert row.participant is not None
            days = {day.isoformat() for day, _present in row.attendance}
            participant = Participant.objects.select_for_update().get(pk=row.participant.pk)
            before = record_values(participant, PARTICIPANT_FIELDS)
            for name, value in row.values.items():
                setattr(participant, name, value)
            if record_values(participant, PARTICIPANT_FIELDS) != before:
                participant.version += 1
                participant.updated_at = timezone.now()
                participant.save()
            _attendance_write(participant, row.attendance)
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="participant.import",
                obj=participant,
                before={
                    **before,
                    **{change.field: change.before for change in row.changes if change.field in days},
                },
                after={
                    **record_values(participant, PARTICIPANT_FIELDS),
                    **{change.field: change.after for change in row.changes if change.field in days},
                    **provenance,
                },
            )
    if result.has_changes and event.status in (EventStatus.DELIVERED, EventStatus.REPORTED):
        indicators_refresh(workspace, acting_user)
    return SigninImport(
        filename=result.filename,
        rows=result.rows,
        days=result.days,
        ignored_columns=result.ignored_columns,
        name_columns=result.name_columns,
        applied=True,
    )


__all__ = [
    "CREATE",
    "UNCHANGED",
    "UPDATE",
    "Change",
    "SigninImport",
    "SigninRow",
    "signin_apply",
    "signin_preview",
]
