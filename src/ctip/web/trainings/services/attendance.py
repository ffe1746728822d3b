"""Attendance of a training event: who was present on which training day, saved as a whole grid
(participants × days, one form without JavaScript), and the figures drawn from it — attendance by day and by
sex, and who attended at least one day (the people trained).

Saving the grid records every participant on the form on every training day: a ticked box is *present*, an
empty one *absent*; participants not on the form (registered meanwhile, say) keep what they have. A
participant with no row for a day has no attendance recorded for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import SEX_LABELS, EventStatus, Sex
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.trainings.models import Attendance, Participant, TrainingEvent
from ctip.web.trainings.services.event_plan import event_days
from ctip.web.trainings.services.events import indicators_refresh

SEXES = (Sex.FEMALE.value, Sex.MALE.value, Sex.UNDISCLOSED.value)


@dataclass(frozen=True)
class SexCounts:
    female: int = 0
    male: int = 0
    not_stated: int = 0

    @property
    def total(self) -> int:
        return self.female + self.male + self.not_stated

    def get(self, sex: str) -> int:
        return {Sex.FEMALE.value: self.female, Sex.MALE.value: self.male}.get(sex, self.not_stated)

    @classmethod
    def of(cls, sexes: Iterable[str]) -> SexCounts:
        counted: dict[str, int] = defaultdict(int)
        for sex in sexes:
            counted[sex if sex in (Sex.FEMALE.value, Sex.MALE.value) else ""] += 1
        return cls(counted[Sex.FEMALE.value], counted[Sex.MALE.value], counted[""])


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class DayAttendance:
    day: dt.date
    present: SexCounts
    registered: SexCounts
    recorded: int
    """Participants with attendance recorded for the day (present or absent)."""

    @property
    def rate(self) -> float | None:
        return _rate(self.present.total, self.registered.total)

    def rate_of(self, sex: str) -> float | None:
        return _rate(self.present.get(sex), self.registered.get(sex))


@dataclass(frozen=True)
class SexAttendance:
    sex: str
    """``female``, ``male``, ``""`` (not stated) or ``all``."""
    label: str
    registered: int
    attended: int
    """Present on at least one day."""
    attended_all: int
    """Present on every training day."""
    days_present: int
    days_possible: int

    @property
    def rate(self) -> float | None:
        """Person-days present over person-days possible."""
        return _rate(self.days_present, self.days_possible)


@dataclass(frozen=True)
class AttendanceSummary:
    days: tuple[DayAttendance, ...]
    by_sex: tuple[SexAttendance, ...]
    """Women, men, not stated (only when someone did not state it), then everyone."""
    registered: SexCounts
    attended: SexCounts
    """Participants present on at least one day, by sex."""
    recorded: bool
    """Whether any attendance is recorded at all."""

    @property
    def overall(self) -> SexAttendance:
        return self.by_sex[-1]


@dataclass(frozen=True)
class GridRow:
    participant: Participant
    present: frozenset[dt.date]
    recorded: frozenset[dt.date]

    @property
    def days_present(self) -> int:
        return len(self.present)


@dataclass(frozen=True)
class AttendanceGrid:
    days: tuple[dt.date, ...]
    rows: tuple[GridRow, ...]


def attendance_grid(event: TrainingEvent) -> AttendanceGrid:
    """Every participant (by code) with the days they were present and the days recorded."""
    days = tuple(event_days(event))
    present: dict[int, set[dt.date]] = defaultdict(set)
    recorded: dict[int, set[dt.date]] = defaultdict(set)
    for participant_id, day, is_present in Attendance.objects.filter(participant__event=event).values_list(
        "participant_id", "day", "present"
    ):
        recorded[participant_id].add(day)
        if is_present:
            present[participant_id].add(day)
    rows = tuple(
        GridRow(participant, frozenset(present[participant.pk]), frozenset(recorded[participant.pk]))
        for participant in Participant.objects.filter(event=event)
        .select_related("organisation")
        .order_by("code")
    )
    return AttendanceGrid(days, rows)


def days_attended(event: TrainingEvent) -> dict[int, int]:
    """Participant id → number of days present (participants never present are left out)."""
    counted: dict[int, int] = defaultdict(int)
    for participant_id in Attendance.objects.filter(participant__event=event, present=True).values_list(
        "participant_id", flat=True
    ):
        counted[participant_id] += 1
    return dict(counted)


def attendance_summary(event: TrainingEvent) -> AttendanceSummary:
    """Attendance by day and by sex (labels in the active language)."""
    grid = attendance_grid(event)
    sexes = {row.participant.pk: row.participant.sex for row in grid.rows}
    registered = SexCounts.of(sexes.values())
    day_rows = tuple(
        DayAttendance(
            day=day,
            present=SexCounts.of(row.participant.sex for row in grid.rows if day in row.present),
            registered=registered,
            recorded=sum(1 for row in grid.rows if day in row.recorded),
        )
        for day in grid.days
    )
    training_days = len(grid.days)
    groups: list[tuple[str, str, list[GridRow]]] = [
        (Sex.FEMALE.value, gettext(SEX_LABELS[Sex.FEMALE]), []),
        (Sex.MALE.value, gettext(SEX_LABELS[Sex.MALE]), []),
        (Sex.UNDISCLOSED.value, gettext(SEX_LABELS[Sex.UNDISCLOSED]), []),
    ]
    for row in grid.rows:
        index = {Sex.FEMALE.value: 0, Sex.MALE.value: 1}.get(row.participant.sex, 2)
        groups[index][2].append(row)
    if not groups[2][2]:
        groups.pop()
    groups.append(("all", gettext("All participants"), list(grid.rows)))
    by_sex = tuple(
        SexAttendance(
            sex=sex,
            label=label,
            registered=len(rows),
            attended=sum(1 for row in rows if row.present),
            attended_all=sum(1 for row in rows if training_days and len(row.present) >= training_days),
            days_present=sum(len(row.present) for row in rows),
            days_possible=len(rows) * training_days,
        )
        for sex, label, rows in groups
    )
    return AttendanceSummary(
        days=day_rows,
        by_sex=by_sex,
        registered=registered,
        attended=SexCounts.of(row.participant.sex for row in grid.rows if row.present),
        recorded=any(row.recorded for row in grid.rows),
    )


def _key(value: object) -> str:
    return str(value).strip().lower()


def attendance_save(
    *,
    event: TrainingEvent,
    present: Mapping[Any, Iterable[dt.date]],
    acting_user: User | None,
    days: Sequence[dt.date] | None = None,
) -> int:
    """Record the grid: each participant in ``present`` (keyed by UUID) is, on every day of ``days`` (by
    default all the event's training days), present when the day is in ``present[uuid]`` and absent
    otherwise. Participants left out of ``present`` keep their attendance. Returns how many participant-days
    changed."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    allowed_days = event_days(event)
    chosen_days = list(allowed_days if days is None else days)
    problems: list[FieldProblem] = []
    for day in chosen_days:
        if day not in allowed_days:
            problems.append(
                FieldProblem(
                    "days",
                    _("%(day)s is not a training day of this training (%(start)s to %(end)s)."),
                    {
                        "day": day.isoformat(),
                        "start": event.start_date.isoformat(),
                        "end": event.end_date.isoformat(),
                    },
                )
            )
    participants = {_key(row.uuid): row for row in Participant.objects.filter(event=event)}
    wanted: dict[int, set[dt.date]] = {}
    for key, marked in present.items():
        participant = participants.get(_key(key.uuid if isinstance(key, Participant) else key))
        if participant is None:
            problems.append(
                FieldProblem(
                    str(key), _("This participant is not registered for this training; reload the page.")
                )
            )
            continue
        wanted[participant.pk] = {day for day in marked if day in chosen_days}
        for day in marked:
            if day not in allowed_days:
                problems.append(
                    FieldProblem(
                        participant.code,
                        _("%(day)s is not a training day of this training."),
                        {"day": day.isoformat()},
                    )
                )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The attendance cannot be saved; nothing was changed."),
            problems=problems,
        )
    changed = 0
    with transaction.atomic():
        TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
        stored = {
            (row.participant_id, row.day): row
            for row in Attendance.objects.select_for_update().filter(
                participant__event=event, day__in=chosen_days
            )
        }
        before: dict[str, list[str]] = {}
        after: dict[str, list[str]] = {}
        for participant in participants.values():
            if participant.pk not in wanted:
                continue
            present_days = wanted[participant.pk]
            was = sorted(
                day.isoformat() for (pid, day), row in stored.items() if pid == participant.pk and row.present
            )
            for day in chosen_days:
                is_present = day in present_days
                row = stored.get((participant.pk, day))
                if row is None:
                    Attendance.objects.create(participant=participant, day=day, present=is_present)
                    changed += 1
                elif row.present != is_present:
                    row.present = is_present
                    row.save(update_fields=["present"])
                    changed += 1
            now = sorted(day.isoformat() for day in present_days)
            if was != now:
                before[participant.code], after[participant.code] = was, now
        if changed:
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="attendance.update",
                obj=event,
                before=before,
                after=after,
            )
    if changed and event.status in (EventStatus.DELIVERED, EventStatus.REPORTED):
        indicators_refresh(workspace, acting_user)
    return changed


__all__ = [
    "AttendanceGrid",
    "AttendanceSummary",
    "DayAttendance",
    "SexAttendance",
    "SexCounts",
    "attendance_grid",
    "attendance_save",
    "attendance_summary",
    "days_attended",
]
