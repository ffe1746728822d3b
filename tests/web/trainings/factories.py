"""Training events, participants and attendance for the trainings tests, made through the services as users
make them (``acting_user=None``: the command line). Shared by every test module of the trainings app.

    workspace fixture → event_make(workspace) → participants_make(event, 4) → attendance_mark(event, {...})
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ctip.web.accounts.models import Workspace
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import PlanScenario, PlanSession, TrainingModule
from ctip.web.trainings import services
from ctip.web.trainings.models import Attendance, Participant, TrainingEvent

MONDAY = dt.date(2026, 3, 2)
"""The first day of the default event (a Monday); the default module SCR takes two days."""

_counter = itertools.count(1)


def modules_ensure(workspace: Workspace) -> dict[str, TrainingModule]:
    """The workspace's catalogue (copied from the default on first use), by code."""
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    return {module.code: module for module in TrainingModule.objects.filter(workspace=workspace)}


def module_get(workspace: Workspace, code: str = "SCR") -> TrainingModule:
    return modules_ensure(workspace)[code]


def event_make(
    workspace: Workspace,
    *,
    modules: Sequence[str | TrainingModule] = ("SCR",),
    acting_user: Any = None,
    **values: Any,
) -> TrainingEvent:
    """A planned event (default: SCR, Monday 2 and Tuesday 3 March 2026 in Mauritius, one national trainer).
    ``values`` override the fields; an end date is worked out from the modules when not given."""
    catalogue = modules_ensure(workspace)
    chosen = [catalogue[item] if isinstance(item, str) else item for item in modules]
    start = values.pop("start_date", MONDAY)
    if "end_date" not in values and isinstance(start, dt.date):
        days = services.modules_days(chosen)
        end = start
        counted = 1
        while counted < days:
            end += dt.timedelta(days=1)
            if end.weekday() < 5:
                counted += 1
        values["end_date"] = end
    defaults: dict[str, Any] = {
        "title": chosen[0].title_en if chosen else f"Training {next(_counter)}",
        "start_date": start,
        "venue": "Police Training School, Beau Bassin",
        "location": "Mauritius",
        "target_female": 10,
        "target_male": 10,
        "language": "en",
        "trainers": [{"name": "Trainer One", "origin": "national", "organisation": "Police Force"}],
    }
    defaults.update(values)
    return services.event_create(
        workspace=workspace, values=defaults, modules=chosen, acting_user=acting_user
    )


def participant_make(event: TrainingEvent, **values: Any) -> Participant:
    """A participant (code made by the app unless given; female unless said)."""
    defaults: dict[str, Any] = {"sex": "female", "age_band": "25-34", "role": "Police officer"}
    defaults.update(values)
    return services.participant_create(event=event, values=defaults, acting_user=None)


def participants_make(
    event: TrainingEvent, count: int, *, sexes: Sequence[str] = ("female", "male"), **values: Any
) -> list[Participant]:
    """``count`` participants P001… with the sexes taken in turn."""
    return [participant_make(event, sex=sexes[index % len(sexes)], **values) for index in range(count)]


def attendance_mark(
    event: TrainingEvent, present: Mapping[Participant, Iterable[dt.date]] | None = None
) -> None:
    """Save the attendance grid: each participant present on the days given (absent on the others); with no
    ``present``, everyone present on every day."""
    if present is None:
        days = services.event_days(event)
        present = {participant: days for participant in Participant.objects.filter(event=event)}
    services.attendance_save(
        event=event,
        present={participant.uuid: list(days) for participant, days in present.items()},
        acting_user=None,
    )


def attendance_rows(event: TrainingEvent) -> list[tuple[str, str, bool]]:
    """(participant code, ISO day, present) of every stored attendance row, sorted: to compare states."""
    return sorted(
        (row.participant.code, row.day.isoformat(), row.present)
        for row in Attendance.objects.filter(participant__event=event).select_related("participant")
    )


def adopted_plan_make(workspace: Workspace) -> tuple[PlanScenario, list[PlanSession]]:
    """An adopted scenario with two sessions: SCR in Mauritius in quarter 3 (national trainer, 8 women and
    6 men) and FND_PROT on Rodrigues in quarter 5 (international trainer, 5 women and 7 men)."""
    catalogue = modules_ensure(workspace)
    scenario = PlanScenario.objects.create(
        workspace=workspace, name=f"Adopted plan {next(_counter)}", status="optimal", is_adopted=True
    )
    sessions = [
        PlanSession.objects.create(
            workspace=workspace,
            scenario=scenario,
            module=catalogue["SCR"],
            location="Mauritius",
            quarter=3,
            trainer="national",
            seats=[{"segment": "S01", "female": 5, "male": 4}, {"segment": "S02", "female": 3, "male": 2}],
        ),
        PlanSession.objects.create(
            workspace=workspace,
            scenario=scenario,
            module=catalogue["FND_PROT"],
            location="Rodrigues",
            quarter=5,
            trainer="international",
            seats=[{"segment": "S03", "female": 5, "male": 7}],
        ),
    ]
    return scenario, sessions
