"""The ``planning`` section of a workspace backup: the module catalogue, the training locations, the plan's
segments and demand, the scenarios with their results and their sessions. Rows are identified by UUID; a segment refers to its
registry organisation by the organisation's UUID (the stakeholders section is restored first)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import (
    DemandRow,
    PlanScenario,
    PlanSegment,
    PlanSession,
    TrainingLocation,
    TrainingModule,
)
from ctip.web.stakeholders.models import Organisation

SECTION = "planning"
_COMMON = ("uuid", "created_at", "updated_at", "version")
MODULE_FIELDS = (
    "code",
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "pillar",
    "level",
    "competencies",
    "duration_days",
    "delivery_mode",
    "participants_min",
    "participants_max",
    "costs",
    "trainer_profile",
    "trainer_profile_note_en",
    "trainer_profile_note_fr",
    "prerequisites",
    "is_training_of_trainers",
    "cascade_of",
    "sensitivity_en",
    "sensitivity_fr",
    "assessment_link",
    "is_active",
    "position",
)
VENUE_FIELDS = ("place", "venue")
SEGMENT_FIELDS = ("code", "role_group", "location", "is_frontline", "staff_female", "staff_male", "edited")
DEMAND_FIELDS = ("competency", "staff_female", "staff_male", "need_score", "weight", "edited", "note")
SCENARIO_FIELDS = (
    "name",
    "description",
    "parameters",
    "status",
    "result",
    "greedy",
    "solved_at",
    "is_adopted",
)
SESSION_FIELDS = ("location", "quarter", "trainer", "seats", "locked", "origin")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(instance: models.Model, fields: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    row = {name: _plain(getattr(instance, name)) for name in (*_COMMON, *fields)}
    row["uuid"] = str(row["uuid"])
    return row | extra


def section_export(workspace: Workspace) -> dict[str, Any]:
    segments = PlanSegment.objects.filter(workspace=workspace).select_related("organisation").order_by("uuid")
    return {
        "modules": [
            _row(m, MODULE_FIELDS)
            for m in TrainingModule.objects.filter(workspace=workspace).order_by("uuid")
        ],
        "venues": [
            _row(v, VENUE_FIELDS)
            for v in TrainingLocation.objects.filter(workspace=workspace).order_by("uuid")
        ],
        "segments": [_row(s, SEGMENT_FIELDS, organisation=str(s.organisation.uuid)) for s in segments],
        "demand": [
            _row(d, DEMAND_FIELDS, segment=str(d.segment.uuid))
            for d in DemandRow.objects.filter(workspace=workspace).select_related("segment").order_by("uuid")
        ],
        "scenarios": [
            _row(s, SCENARIO_FIELDS, based_on=str(s.based_on.uuid) if s.based_on else None)
            for s in PlanScenario.objects.filter(workspace=workspace)
            .select_related("based_on")
            .order_by("uuid")
        ],
        "sessions": [
            _row(s, SESSION_FIELDS, scenario=str(s.scenario.uuid), module=str(s.module.uuid))
            for s in PlanSession.objects.filter(workspace=workspace)
            .select_related("scenario", "module")
            .order_by("uuid")
        ],
    }


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The capacity plan part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _values(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    values = {name: record[name] for name in fields if name in record}
    for name in ("created_at", "updated_at"):
        values[name] = dt.datetime.fromisoformat(record[name])
    if values.get("solved_at"):
        values["solved_at"] = dt.datetime.fromisoformat(values["solved_at"])
    if "duration_days" in values:
        values["duration_days"] = Decimal(str(values["duration_days"]))
    values["uuid"] = record["uuid"]
    values["version"] = record.get("version", 1)
    return values


def _lookup(found: dict[str, Any], key: Any, what: str) -> Any:
    if key not in found:
        raise KeyError(f"{what} {key} is not in the backup")
    return found[key]


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    organisations = {str(o.uuid): o for o in Organisation.objects.filter(workspace=workspace)}
    modules: dict[str, TrainingModule] = {}
    segments: dict[str, PlanSegment] = {}
    scenarios: dict[str, PlanScenario] = {}
    where = "planning"
    try:
        for index, record in enumerate(section.get("modules", [])):
            where = f"modules[{index}]"
            module = TrainingModule.objects.create(workspace=workspace, **_values(record, MODULE_FIELDS))
            modules[str(module.uuid)] = module
        for index, record in enumerate(section.get("venues", [])):
            where = f"venues[{index}]"
            TrainingLocation.objects.create(workspace=workspace, **_values(record, VENUE_FIELDS))
        for index, record in enumerate(section.get("segments", [])):
            where = f"segments[{index}]"
            organisation = _lookup(organisations, record.get("organisation"), "organisation")
            segment = PlanSegment.objects.create(
                workspace=workspace, organisation=organisation, **_values(record, SEGMENT_FIELDS)
            )
            segments[str(segment.uuid)] = segment
        for index, record in enumerate(section.get("demand", [])):
            where = f"demand[{index}]"
            DemandRow.objects.create(
                workspace=workspace,
                segment=_lookup(segments, record.get("segment"), "segment"),
                **_values(record, DEMAND_FIELDS),
            )
        records = section.get("scenarios", [])
        for index, record in enumerate(records):
            where = f"scenarios[{index}]"
            scenario = PlanScenario.objects.create(workspace=workspace, **_values(record, SCENARIO_FIELDS))
            scenarios[str(scenario.uuid)] = scenario
        for index, record in enumerate(records):
            if record.get("based_on"):
                where = f"scenarios[{index}].based_on"
                scenario = scenarios[str(record["uuid"])]
                scenario.based_on = scenarios.get(record["based_on"])
                scenario.save(update_fields=["based_on"])
        for index, record in enumerate(section.get("sessions", [])):
            where = f"sessions[{index}]"
            PlanSession.objects.create(
                workspace=workspace,
                scenario=_lookup(scenarios, record.get("scenario"), "scenario"),
                module=_lookup(modules, record.get("module"), "module"),
                **_values(record, SESSION_FIELDS),
            )
    except (KeyError, TypeError, ValueError) as error:
        raise _damaged(where, error) from error
