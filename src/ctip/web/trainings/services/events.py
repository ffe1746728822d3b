"""Training events: created ad hoc or from a session of the adopted plan (title, module, location, targets by
sex, trainer origin and dates prefilled from the session, all editable), edited, moved along their status
(planned → kit prepared → delivered → reported, or cancelled) and deleted while nothing hangs on them.

The days must be enough for the modules taught (their durations added up, rounded up to whole days; the
training days are defined in :mod:`.event_plan`).

Every change checks ``run_trainings``, validates, writes and audits in one transaction. A status change
then recomputes the M&E actuals the training data feed (``services.feeds.feeds_recompute``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import EventStatus, TrainerOrigin
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.planning.models import PlanSession, TrainingModule
from ctip.web.trainings.models import Attendance, EventModule, TrainingEvent
from ctip.web.trainings.services.event_plan import (
    LANGUAGES,
    modules_days,
    session_prefill,
    training_days,
    workspace_language,
)

EVENT_FIELDS = [
    "code",
    "title",
    "plan_session",
    "start_date",
    "end_date",
    "venue",
    "location",
    "trainers",
    "audience",
    "target_female",
    "target_male",
    "status",
    "language",
    "pass_mark",
    "trainers_notes",
    "recommendations",
]
"""The audited fields of an event (its modules are audited as a list of codes)."""

EDITABLE_FIELDS = (
    "code",
    "title",
    "start_date",
    "end_date",
    "venue",
    "location",
    "audience",
    "target_female",
    "target_male",
    "language",
    "pass_mark",
    "trainers_notes",
    "recommendations",
)
"""What :func:`event_create` and :func:`event_update` take in ``values`` (with ``trainers``)."""

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
_LIMITS = {"code": 30, "title": 250, "venue": 200, "location": 100}
_TRAINER_LIMITS = {"name": 150, "organisation": 200}
_MULTILINE = ("audience", "trainers_notes", "recommendations")

TRANSITIONS: Mapping[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.PLANNED: (EventStatus.PREPARED, EventStatus.DELIVERED, EventStatus.CANCELLED),
    EventStatus.PREPARED: (EventStatus.DELIVERED, EventStatus.PLANNED, EventStatus.CANCELLED),
    EventStatus.DELIVERED: (EventStatus.REPORTED, EventStatus.PREPARED),
    EventStatus.REPORTED: (EventStatus.DELIVERED,),
    EventStatus.CANCELLED: (EventStatus.PLANNED,),
}
"""Where an event may go from each status: forward (skipping the kit is allowed), one step back to correct a
mistake, cancelled before delivery, and a cancelled event planned again."""


# --- Codes ----------------------------------------------------------------------------------------------


def event_code_next(workspace: Workspace, year: int) -> str:
    """``TR-2026-01``, ``TR-2026-02``…: the next number for ``year`` in the workspace."""
    pattern = re.compile(rf"^TR-{year}-(\d+)$")
    numbers = [
        int(match.group(1))
        for code in TrainingEvent.objects.filter(workspace=workspace, code__startswith=f"TR-{year}-")
        .values_list("code", flat=True)
        .iterator()
        if (match := pattern.match(code))
    ]
    return f"TR-{year}-{max(numbers, default=0) + 1:02d}"


# --- Validation -----------------------------------------------------------------------------------------


def clean_trainers(rows: Iterable[Mapping[str, Any]], problems: list[FieldProblem]) -> list[dict[str, str]]:
    """The trainers as stored; a row with neither name, organisation nor origin is left out. A trainer may be
    unnamed yet (a national trainer to be found) but needs an origin."""
    found: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append(
                FieldProblem(f"trainers[{index}]", _("Give each trainer as name, origin, organisation."))
            )
            continue
        name = " ".join(str(row.get("name") or "").split())
        organisation = " ".join(str(row.get("organisation") or "").split())
        origin = str(row.get("origin") or "").strip().lower()
        if not (name or organisation or origin):
            continue
        if origin not in {item.value for item in TrainerOrigin}:
            problems.append(
                FieldProblem(
                    f"trainers[{index}].origin",
                    _("Say whether %(who)s is a national or an international trainer."),
                    {"who": name or _("this trainer")},
                )
            )
        for field, limit in _TRAINER_LIMITS.items():
            text = name if field == "name" else organisation
            if len(text) > limit:
                problems.append(
                    FieldProblem(
                        f"trainers[{index}].{field}",
                        _("This has %(length)s characters; at most %(limit)s fit. Shorten it."),
                        {"length": len(text), "limit": limit},
                    )
                )
        found.append({"name": name, "origin": origin, "organisation": organisation})
    return found


def _text(values: Mapping[str, Any], field: str, problems: list[FieldProblem], *, required: bool) -> str:
    raw = str(values.get(field) or "")
    text = raw.strip() if field in _MULTILINE else " ".join(raw.split())
    if required and not text:
        problems.append(FieldProblem(field, _("This field is required.")))
    limit = _LIMITS.get(field)
    if limit is not None and len(text) > limit:
        problems.append(
            FieldProblem(
                field,
                _("This has %(length)s characters; at most %(limit)s fit. Shorten it."),
                {"length": len(text), "limit": limit},
            )
        )
    return text


def _date(values: Mapping[str, Any], field: str, problems: list[FieldProblem]) -> dt.date | None:
    value = values.get(field)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            problems.append(
                FieldProblem(
                    field, _("“%(value)s” is not a date; write it as 2026-03-02."), {"value": value.strip()}
                )
            )
            return None
    problems.append(FieldProblem(field, _("This field is required.")))
    return None


def _whole(
    values: Mapping[str, Any], field: str, problems: list[FieldProblem], *, low: int, high: int, default: int
) -> int:
    value = values.get(field)
    if value is None or value == "":
        return default
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
        problems.append(
            FieldProblem(
                field,
                _("Give a whole number from %(low)s to %(high)s."),
                {"low": low, "high": high},
            )
        )
        return default
    return int(number)


def _clean_code(
    workspace: Workspace,
    value: Any,
    start: dt.date | None,
    problems: list[FieldProblem],
    *,
    exclude: int | None,
) -> str:
    code = "".join(str(value or "").split()).upper()
    if not code:
        return event_code_next(workspace, (start or timezone.localdate()).year)
    if len(code) > _LIMITS["code"] or not CODE_PATTERN.match(code):
        problems.append(
            FieldProblem(
                "code",
                _(
                    "“%(value)s” cannot be an event code: use at most 30 letters, digits, dots, hyphens or "
                    "underscores (e.g. TR-2026-03), or leave it empty to have one made."
                ),
                {"value": code},
            )
        )
        return code
    clash = TrainingEvent.objects.filter(workspace=workspace, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        problems.append(
            FieldProblem(
                "code",
                _("Another training already has the code %(code)s; choose another or leave it empty."),
                {"code": code},
            )
        )
    return code


def _clean_modules(
    workspace: Workspace, modules: Sequence[TrainingModule], problems: list[FieldProblem]
) -> list[TrainingModule]:
    if not modules:
        problems.append(FieldProblem("modules", _("Choose at least one module of the catalogue.")))
        return []
    seen: set[int] = set()
    cleaned: list[TrainingModule] = []
    for index, module in enumerate(modules):
        if module.workspace_id != workspace.pk:
            problems.append(
                FieldProblem(f"modules[{index}]", _("This module is not in the workspace's catalogue."))
            )
            continue
        if module.pk in seen:
            problems.append(
                FieldProblem(
                    f"modules[{index}]",
                    _("The module %(code)s is listed twice; keep it once."),
                    {"code": module.code},
                )
            )
            continue
        seen.add(module.pk)
        cleaned.append(module)
    return cleaned


def _clean(
    workspace: Workspace,
    values: Mapping[str, Any],
    modules: Sequence[TrainingModule],
    *,
    event: TrainingEvent | None,
) -> tuple[dict[str, Any], list[TrainingModule]]:
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {
        "title": _text(values, "title", problems, required=True),
        "venue": _text(values, "venue", problems, required=False),
        "location": _text(values, "location", problems, required=True),
        "audience": _text(values, "audience", problems, required=False),
        "trainers_notes": _text(values, "trainers_notes", problems, required=False),
        "recommendations": _text(values, "recommendations", problems, required=False),
        "target_female": _whole(values, "target_female", problems, low=0, high=100_000, default=0),
        "target_male": _whole(values, "target_male", problems, low=0, high=100_000, default=0),
        "pass_mark": _whole(values, "pass_mark", problems, low=1, high=100, default=70),
    }
    language = str(values.get("language") or workspace_language(workspace)).strip().lower()
    if language not in LANGUAGES:
        problems.append(
            FieldProblem("language", _("Choose English (en) or French (fr)."), {"value": language})
        )
    cleaned["language"] = language
    start = _date(values, "start_date", problems)
    end = _date(values, "end_date", problems)
    cleaned["start_date"], cleaned["end_date"] = start, end
    cleaned["code"] = _clean_code(
        workspace, values.get("code"), start, problems, exclude=event.pk if event is not None else None
    )
    cleaned["trainers"] = clean_trainers(values.get("trainers") or [], problems)
    chosen = _clean_modules(workspace, modules, problems)
    if start is not None and end is not None:
        if end < start:
            problems.append(
                FieldProblem(
                    "end_date",
                    _("The last day (%(end)s) is before the first day (%(start)s); correct one of them."),
                    {"end": end.isoformat(), "start": start.isoformat()},
                )
            )
        else:
            needed = modules_days(chosen) if chosen else 0
            available = len(training_days(start, end))
            if available < needed:
                problems.append(
                    FieldProblem(
                        "end_date",
                        _(
                            "The modules take %(needed)s day(s), but %(start)s to %(end)s holds %(days)s "
                            "training day(s) (weekends inside the dates do not count). Move the last day "
                            "later or remove a module."
                        ),
                        {
                            "needed": needed,
                            "days": available,
                            "start": start.isoformat(),
                            "end": end.isoformat(),
                        },
                    )
                )
            if event is not None:
                outside = sorted(
                    set(
                        Attendance.objects.filter(participant__event=event)
                        .exclude(day__range=(start, end))
                        .values_list("day", flat=True)
                    )
                )
                if outside:
                    problems.append(
                        FieldProblem(
                            "start_date" if outside[0] < start else "end_date",
                            _(
                                "Attendance is recorded on %(days)s, outside the new dates. Keep those days "
                                "inside the dates, or clear their attendance first."
                            ),
                            {"days": ", ".join(day.isoformat() for day in outside)},
                        )
                    )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The training cannot be saved; correct the fields listed."),
            problems=problems,
        )
    return cleaned, chosen


def _audited(event: TrainingEvent, modules: Sequence[TrainingModule]) -> dict[str, Any]:
    return {**record_values(event, EVENT_FIELDS), "modules": [module.code for module in modules]}


def _modules_set(event: TrainingEvent, modules: Sequence[TrainingModule]) -> None:
    EventModule.objects.filter(event=event).delete()
    EventModule.objects.bulk_create(
        [EventModule(event=event, module=module, position=index) for index, module in enumerate(modules)]
    )


def event_modules(event: TrainingEvent) -> list[TrainingModule]:
    """The event's modules in the agenda's order."""
    return [row.module for row in EventModule.objects.filter(event=event).select_related("module")]


# --- Changes --------------------------------------------------------------------------------------------


def _check_event(workspace: Workspace, event: TrainingEvent) -> None:
    if event.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such training in this workspace."))


def event_create(
    *,
    workspace: Workspace,
    values: Mapping[str, Any],
    modules: Sequence[TrainingModule],
    acting_user: User | None,
    plan_session: PlanSession | None = None,
) -> TrainingEvent:
    """A new planned event. ``values``: :data:`EDITABLE_FIELDS` and ``trainers`` (a list of ``{name, origin,
    organisation}``); an empty code gets the next ``TR-<year>-<nn>`` of its first day's year."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    if plan_session is not None and plan_session.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such plan session in this workspace."))
    with transaction.atomic():
        cleaned, chosen = _clean(workspace, values, modules, event=None)
        event = TrainingEvent.objects.create(
            workspace=workspace,
            plan_session=plan_session,
            status=EventStatus.PLANNED.value,
            test_token=secrets.token_urlsafe(16),
            **cleaned,
        )
        _modules_set(event, chosen)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="trainingevent.create",
            obj=event,
            after=_audited(event, chosen),
        )
    return event


def event_create_from_session(
    *, session: PlanSession, acting_user: User | None, changes: Mapping[str, Any] | None = None
) -> TrainingEvent:
    """An event for a plan session, prefilled by :func:`session_prefill`; ``changes`` override the
    prefilled values (``modules`` too)."""
    values = session_prefill(session) | dict(changes or {})
    modules = values.pop("modules")
    values.pop("plan_session", None)
    return event_create(
        workspace=session.workspace,
        values=values,
        modules=modules,
        acting_user=acting_user,
        plan_session=session,
    )


def event_update(
    *,
    event: TrainingEvent,
    values: Mapping[str, Any],
    modules: Sequence[TrainingModule] | None = None,
    acting_user: User | None,
    expected_version: int | None = None,
) -> TrainingEvent:
    """Change an event's facts (the fields of ``values`` not given keep their value; ``modules`` replaces the
    modules, in the order given, when not ``None``). Refused with ``conflict`` when ``expected_version`` is
    not the stored version."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        current = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        _check_event(workspace, current)
        submitted = dict(values) if modules is None else {**values, "modules": modules}
        conflict_check(current=current, expected_version=expected_version, submitted=submitted)
        old_modules = event_modules(current)
        merged = {name: getattr(current, name) for name in EDITABLE_FIELDS} | {"trainers": current.trainers}
        merged |= {name: value for name, value in values.items() if name in (*EDITABLE_FIELDS, "trainers")}
        cleaned, chosen = _clean(
            workspace, merged, old_modules if modules is None else modules, event=current
        )
        before = _audited(current, old_modules)
        for name, value in cleaned.items():
            setattr(current, name, value)
        after = _audited(current, chosen)
        if before == after:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        if [module.pk for module in chosen] != [module.pk for module in old_modules]:
            _modules_set(current, chosen)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="trainingevent.update",
            obj=current,
            before=before,
            after=after,
        )
    if current.status in (EventStatus.DELIVERED, EventStatus.REPORTED):
        indicators_refresh(workspace, acting_user)  # the pass mark, the location or the dates count
    return current


def status_choices(event: TrainingEvent) -> tuple[EventStatus, ...]:
    """The statuses the event may move to now."""
    return TRANSITIONS.get(EventStatus(event.status), ())


def event_status_set(*, event: TrainingEvent, status: str, acting_user: User | None) -> TrainingEvent:
    """Move the event to ``status`` (see :data:`TRANSITIONS`), then recompute the indicators the trainings
    feed."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    try:
        wanted = EventStatus(str(status))
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(status)s” is not a status of a training; choose one of %(choices)s."),
            {"status": status, "choices": ", ".join(item.value for item in EventStatus)},
            problems=[FieldProblem("status", _("Choose a status from the list."))],
        ) from None
    with transaction.atomic():
        current = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        _check_event(workspace, current)
        if wanted.value == current.status:
            return current
        allowed = TRANSITIONS.get(EventStatus(current.status), ())
        if wanted not in allowed:
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "A training that is “%(current)s” cannot become “%(wanted)s”. From here it can become: "
                    "%(allowed)s."
                ),
                {
                    "current": current.status,
                    "wanted": wanted.value,
                    "allowed": ", ".join(item.value for item in allowed) or "—",
                },
                problems=[FieldProblem("status", _("Choose one of the statuses offered."))],
            )
        before = record_values(current, ["status"])
        current.status = wanted.value
        current.version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="trainingevent.update",
            obj=current,
            before=before,
            after=record_values(current, ["status"]),
        )
    indicators_refresh(workspace, acting_user)
    return current


def event_delete(*, event: TrainingEvent, acting_user: User | None) -> None:
    """Delete a planned or cancelled event that has no participants yet (otherwise: cancel it)."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        current = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        _check_event(workspace, current)
        registered = current.participants.count()
        if registered or current.status not in (EventStatus.PLANNED, EventStatus.CANCELLED):
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "%(code)s cannot be deleted: it has %(count)s registered participant(s) or is past the "
                    "planning stage. Cancel it instead; its records are kept."
                ),
                {"code": current.code, "count": registered},
            )
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="trainingevent.delete",
            obj=current,
            before=_audited(current, event_modules(current)),
        )
        current.delete()
    indicators_refresh(workspace, acting_user)


def indicators_refresh(workspace: Workspace, acting_user: User | None = None) -> int:
    """Recompute the M&E actuals the training data feed (0 while that part of the app is not installed)."""
    try:
        from ctip.web.trainings.services.feeds import feeds_recompute
    except ModuleNotFoundError as error:  # pragma: no cover - the feeds service is written separately
        if error.name == "ctip.web.trainings.services.feeds":
            return 0
        raise
    return int(feeds_recompute(workspace, acting_user=acting_user))


__all__ = [
    "EDITABLE_FIELDS",
    "EVENT_FIELDS",
    "TRANSITIONS",
    "clean_trainers",
    "event_code_next",
    "event_create",
    "event_create_from_session",
    "event_delete",
    "event_modules",
    "event_status_set",
    "event_update",
    "indicators_refresh",
    "status_choices",
]
