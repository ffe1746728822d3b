"""When and where a training happens: its *training days* — the dates from its first to its last day,
without the Saturdays and Sundays that fall strictly inside them (a weekend first or last day is kept: it was
chosen on purpose) — the days its modules take, the plan's quarters as dates, and what a new event takes
from a session of the adopted plan."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import PlanScenario, PlanSession, TrainingModule
from ctip.web.trainings.models import Attendance, TrainingEvent

LANGUAGES = ("en", "fr")
_SATURDAY = 5


# --- Days -----------------------------------------------------------------------------------------------


def training_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` without the weekend days strictly inside them."""
    days: list[dt.date] = []
    day = start
    while day <= end:
        if day in (start, end) or day.weekday() < _SATURDAY:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def event_days(event: TrainingEvent) -> list[dt.date]:
    """The event's training days, plus any other day inside its dates with attendance recorded."""
    recorded = set(
        Attendance.objects.filter(participant__event=event).values_list("day", flat=True).distinct()
    )
    return sorted(set(training_days(event.start_date, event.end_date)) | recorded)


def modules_days(modules: Iterable[TrainingModule]) -> int:
    """Whole days the modules take one after the other (at least one)."""
    total = sum((Decimal(module.duration_days) for module in modules), Decimal(0))
    return max(1, math.ceil(total))


def plan_quarter_span(workspace: Workspace, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of plan quarter ``quarter`` (quarter 1 starts with the plan's first fiscal year, as
    in the plan's documents)."""

    def first(number: int) -> dt.date:
        months = workspace.fiscal_year_start_month - 1 + 3 * (number - 1)
        return dt.date(workspace.plan_start_year + months // 12, months % 12 + 1, 1)

    return first(quarter), first(quarter + 1) - dt.timedelta(days=1)


def suggested_dates(workspace: Workspace, quarter: int, days: int) -> tuple[dt.date, dt.date]:
    """Dates for a training of ``days`` days in plan quarter ``quarter``: from the first Monday two weeks into
    the quarter, on weekdays."""
    quarter_start, _quarter_end = plan_quarter_span(workspace, quarter)
    start = quarter_start + dt.timedelta(days=14)
    start += dt.timedelta(days=(7 - start.weekday()) % 7)
    end = start
    counted = 1
    while counted < days:
        end += dt.timedelta(days=1)
        if end.weekday() < _SATURDAY:
            counted += 1
    return start, end


# --- The adopted plan -----------------------------------------------------------------------------------


def adopted_scenario(workspace: Workspace) -> PlanScenario | None:
    return PlanScenario.objects.filter(workspace=workspace, is_adopted=True).order_by("created_at").first()


def plan_sessions_open(workspace: Workspace) -> QuerySet[PlanSession]:
    """The adopted plan's sessions that have no event yet, in the plan's order."""
    scenario = adopted_scenario(workspace)
    if scenario is None:
        return PlanSession.objects.none()
    return (
        PlanSession.objects.filter(workspace=workspace, scenario=scenario, events__isnull=True)
        .select_related("module")
        .order_by("quarter", "location", "module__position", "module__code", "id")
    )


def workspace_language(workspace: Workspace) -> str:
    languages = [str(language) for language in (workspace.languages or [])]
    return next((language for language in languages if language in LANGUAGES), "en")


def module_title(module: TrainingModule, language: str) -> str:
    return (module.title_fr or module.title_en) if language == "fr" else module.title_en


def session_prefill(session: PlanSession) -> dict[str, Any]:
    """The values of a new event for a plan session (``values`` of ``event_create``, with its
    ``modules`` and ``plan_session``): the module's title in the workspace's language, the session's
    training location, its seats by sex as targets, a trainer of the session's origin (not named yet) and
    weekday dates in the session's quarter."""
    workspace = session.workspace
    language = workspace_language(workspace)
    start, end = suggested_dates(workspace, session.quarter, modules_days([session.module]))
    seats = [seat for seat in (session.seats or []) if isinstance(seat, Mapping)]
    return {
        "title": module_title(session.module, language),
        "start_date": start,
        "end_date": end,
        "venue": "",
        "location": session.location,
        "audience": "",
        "target_female": sum(int(seat.get("female") or 0) for seat in seats),
        "target_male": sum(int(seat.get("male") or 0) for seat in seats),
        "language": language,
        "pass_mark": 70,
        "trainers": [{"name": "", "origin": session.trainer, "organisation": ""}],
        "modules": [session.module],
        "plan_session": session,
    }


__all__ = [
    "LANGUAGES",
    "adopted_scenario",
    "event_days",
    "module_title",
    "modules_days",
    "plan_quarter_span",
    "plan_sessions_open",
    "session_prefill",
    "suggested_dates",
    "training_days",
    "workspace_language",
]
