"""The ``monitoring`` section of a workspace backup: the tier names, the results, the indicators with
their metadata and the values (targets and actuals). Rows are identified by UUID; the user who entered a
value by username (``accounts`` section, restored first). Restored inside the restore's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User, Workspace
from ctip.web.monitoring.models import Indicator, IndicatorValue, Logframe, ResultNode

SECTION = "monitoring"
NODE_KEYS = ["tier", "code", "statement_en", "statement_fr", "pillar", "position", "version"]
INDICATOR_KEYS = [
    "code",
    "name_en",
    "name_fr",
    "definition_en",
    "definition_fr",
    "unit",
    "direction",
    "baseline_not_applicable",
    "baseline_note",
    "baseline_detail",
    "cumulative_rule",
    "disaggregation",
    "means_of_verification",
    "collection_method",
    "frequency",
    "responsible_agency",
    "data_source",
    "position",
    "version",
]
VALUE_KEYS = ["kind", "period", "sex", "location", "source", "note", "version"]


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _number(value: decimal.Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _stamps(row: Any) -> dict[str, str]:
    return {"created_at": _when(row.created_at), "updated_at": _when(row.updated_at)}


def section_export(workspace: Workspace) -> dict[str, Any]:
    logframe = Logframe.objects.filter(workspace=workspace).first()
    return {
        "logframe": {"uuid": str(logframe.uuid), "tiers": logframe.tiers, "version": logframe.version}
        if logframe is not None
        else None,
        "results": [
            {
                "uuid": str(row.uuid),
                "parent": str(row.parent.uuid) if row.parent_id else None,
                **{key: getattr(row, key) for key in NODE_KEYS},
                **_stamps(row),
            }
            for row in ResultNode.objects.filter(workspace=workspace)
            .select_related("parent")
            .order_by("tier", "uuid")
        ],
        "indicators": [
            {
                "uuid": str(row.uuid),
                "result": str(row.node.uuid),
                **{key: getattr(row, key) for key in INDICATOR_KEYS},
                "baseline_value": _number(row.baseline_value),
                "baseline_date": row.baseline_date.isoformat() if row.baseline_date else None,
                "lop_target": _number(row.lop_target),
                **_stamps(row),
            }
            for row in Indicator.objects.filter(workspace=workspace).select_related("node").order_by("uuid")
        ],
        "values": [
            {
                "uuid": str(row.uuid),
                "indicator": str(row.indicator.uuid),
                **{key: getattr(row, key) for key in VALUE_KEYS},
                "value": str(row.value),
                "entered_by": row.entered_by.username if row.entered_by_id else None,
                **_stamps(row),
            }
            for row in IndicatorValue.objects.filter(workspace=workspace)
            .select_related("indicator", "entered_by")
            .order_by("uuid")
        ],
    }


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The monitoring part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _decimal(value: str | None) -> decimal.Decimal | None:
    return decimal.Decimal(value) if value is not None else None


def _times(record: dict[str, Any]) -> dict[str, dt.datetime]:
    return {
        "created_at": dt.datetime.fromisoformat(record["created_at"]),
        "updated_at": dt.datetime.fromisoformat(record["updated_at"]),
    }


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    try:
        logframe = section.get("logframe")
        if logframe:
            Logframe.objects.create(
                workspace=workspace,
                uuid=logframe["uuid"],
                tiers=logframe["tiers"],
                version=logframe.get("version", 1),
            )
    except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as error:
        raise _damaged("logframe", error) from error
    nodes: dict[str, ResultNode] = {}
    for index, record in enumerate(section.get("results", [])):
        try:
            nodes[record["uuid"]] = ResultNode.objects.create(
                workspace=workspace,
                uuid=record["uuid"],
                parent=nodes[record["parent"]] if record.get("parent") else None,
                **{key: record[key] for key in NODE_KEYS if key in record},
                **_times(record),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _damaged(f"results[{index}]", error) from error
    indicators: dict[str, Indicator] = {}
    for index, record in enumerate(section.get("indicators", [])):
        try:
            indicators[record["uuid"]] = Indicator.objects.create(
                workspace=workspace,
                uuid=record["uuid"],
                node=nodes[record["result"]],
                **{key: record[key] for key in INDICATOR_KEYS if key in record},
                baseline_value=_decimal(record.get("baseline_value")),
                baseline_date=dt.date.fromisoformat(record["baseline_date"])
                if record.get("baseline_date")
                else None,
                lop_target=_decimal(record.get("lop_target")),
                **_times(record),
            )
        except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as error:
            raise _damaged(f"indicators[{index}]", error) from error
    wanted = {record.get("entered_by") for record in section.get("values", []) if isinstance(record, dict)}
    users = {user.username: user for user in User.objects.filter(username__in=[n for n in wanted if n])}
    rows = []
    for index, record in enumerate(section.get("values", [])):
        try:
            rows.append(
                IndicatorValue(
                    workspace=workspace,
                    uuid=record["uuid"],
                    indicator=indicators[record["indicator"]],
                    **{key: record[key] for key in VALUE_KEYS if key in record},
                    value=decimal.Decimal(record["value"]),
                    entered_by=users.get(record.get("entered_by") or ""),
                    **_times(record),
                )
            )
        except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as error:
            raise _damaged(f"values[{index}]", error) from error
    IndicatorValue.objects.bulk_create(rows)
