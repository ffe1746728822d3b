"""The ``stakeholders`` section of a workspace backup: organisation types, organisations, focal points,
prior trainings and relations. Rows are identified by UUID (parents and relation ends too), never by
database id. Restored after ``accounts``, inside the restore's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from ctip.core.errors import DomainError, ErrorCode, FieldProblem
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import (
    FocalPoint,
    Organisation,
    OrganisationRelation,
    OrganisationType,
    PriorTraining,
)

SECTION = "stakeholders"
TYPE_KEYS = ["code", "label", "is_active"]
ORGANISATION_KEYS = [
    "key",
    "name",
    "acronym",
    "type",
    "sector",
    "level",
    "location",
    "pillars",
    "chain_stages",
    "mandate",
    "staff_women",
    "staff_men",
    "staff_total",
    "frontline_women",
    "frontline_men",
    "influence",
    "interest",
    "figures_fictional",
    "version",
]
FOCAL_POINT_KEYS = ["name", "title", "sex", "email", "phone"]
PRIOR_TRAINING_KEYS = ["year", "topic", "provider", "participants_women", "participants_men"]


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def section_export(workspace: Workspace) -> dict[str, Any]:
    organisations = list(
        Organisation.objects.filter(workspace=workspace).select_related("parent").order_by("uuid")
    )
    return {
        "types": [
            {"uuid": str(row.uuid), **{key: getattr(row, key) for key in TYPE_KEYS}}
            for row in OrganisationType.objects.filter(workspace=workspace).order_by("code")
        ],
        "organisations": [
            {
                "uuid": str(o.uuid),
                **{key: getattr(o, key) for key in ORGANISATION_KEYS},
                "parent": str(o.parent.uuid) if o.parent_id else None,
                "staff_as_of": o.staff_as_of.isoformat() if o.staff_as_of else None,
                "created_at": _when(o.created_at),
                "updated_at": _when(o.updated_at),
            }
            for o in organisations
        ],
        "focal_points": [
            {
                "uuid": str(row.uuid),
                "organisation": str(row.organisation.uuid),
                **{key: getattr(row, key) for key in FOCAL_POINT_KEYS},
            }
            for row in FocalPoint.objects.filter(organisation__workspace=workspace)
            .select_related("organisation")
            .order_by("uuid")
        ],
        "prior_trainings": [
            {
                "uuid": str(row.uuid),
                "organisation": str(row.organisation.uuid),
                **{key: getattr(row, key) for key in PRIOR_TRAINING_KEYS},
            }
            for row in PriorTraining.objects.filter(organisation__workspace=workspace)
            .select_related("organisation")
            .order_by("uuid")
        ],
        "relations": [
            {
                "uuid": str(row.uuid),
                "source": str(row.source.uuid),
                "target": str(row.target.uuid),
                "kind": row.kind,
            }
            for row in OrganisationRelation.objects.filter(source__workspace=workspace)
            .select_related("source", "target")
            .order_by("uuid")
        ],
    }


def _damaged(where: str, detail: str) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        "The backup is damaged: %(where)s %(detail)s.",
        {"where": where, "detail": detail},
        problems=[FieldProblem(where, detail)],
    )


def _records(section: dict[str, Any], name: str, keys: list[str]) -> list[dict[str, Any]]:
    records = section.get(name, [])
    if not isinstance(records, list):
        raise _damaged(f"{SECTION}.{name}", "is not a list")
    for index, record in enumerate(records):
        where = f"{SECTION}.{name}[{index}]"
        if not isinstance(record, dict):
            raise _damaged(where, "is not an object")
        missing = [key for key in ["uuid", *keys] if key not in record]
        if missing:
            raise _damaged(where, "lacks " + ", ".join(missing))
    return records


def _parsed_when(value: Any, where: str) -> dt.datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _damaged(where, "is not a date and time")
    return parsed


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the section's rows in ``workspace`` (just restored by the accounts section)."""
    if not isinstance(section, dict):
        raise _damaged(SECTION, "is not an object")
    for record in _records(section, "types", TYPE_KEYS):
        OrganisationType.objects.create(
            uuid=record["uuid"], workspace=workspace, **{key: record[key] for key in TYPE_KEYS}
        )
    by_uuid: dict[str, Organisation] = {}
    organisation_records = _records(
        section, "organisations", [*ORGANISATION_KEYS, "parent", "staff_as_of", "created_at", "updated_at"]
    )
    for index, record in enumerate(organisation_records):
        where = f"{SECTION}.organisations[{index}]"
        staff_as_of = parse_date(record["staff_as_of"]) if record["staff_as_of"] else None
        by_uuid[str(record["uuid"])] = Organisation.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            **{key: record[key] for key in ORGANISATION_KEYS},
            staff_as_of=staff_as_of,
            created_at=_parsed_when(record["created_at"], f"{where}.created_at"),
            updated_at=_parsed_when(record["updated_at"], f"{where}.updated_at"),
        )

    def organisation(value: Any, where: str) -> Organisation:
        found = by_uuid.get(str(value))
        if found is None:
            raise _damaged(where, "names an organisation that is not in the backup")
        return found

    for index, record in enumerate(organisation_records):
        if record["parent"]:
            child = by_uuid[str(record["uuid"])]
            child.parent = organisation(record["parent"], f"{SECTION}.organisations[{index}].parent")
            child.save(update_fields=["parent"])
    for index, record in enumerate(_records(section, "focal_points", ["organisation", *FOCAL_POINT_KEYS])):
        FocalPoint.objects.create(
            uuid=record["uuid"],
            organisation=organisation(
                record["organisation"], f"{SECTION}.focal_points[{index}].organisation"
            ),
            **{key: record[key] for key in FOCAL_POINT_KEYS},
        )
    for index, record in enumerate(
        _records(section, "prior_trainings", ["organisation", *PRIOR_TRAINING_KEYS])
    ):
        PriorTraining.objects.create(
            uuid=record["uuid"],
            organisation=organisation(
                record["organisation"], f"{SECTION}.prior_trainings[{index}].organisation"
            ),
            **{key: record[key] for key in PRIOR_TRAINING_KEYS},
        )
    for index, record in enumerate(_records(section, "relations", ["source", "target", "kind"])):
        where = f"{SECTION}.relations[{index}]"
        OrganisationRelation.objects.create(
            uuid=record["uuid"],
            source=organisation(record["source"], f"{where}.source"),
            target=organisation(record["target"], f"{where}.target"),
            kind=record["kind"],
        )
