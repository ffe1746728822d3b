"""The ``nap`` section of a workspace backup: the action plans with their elements (in tree order, parents
first), cost lines, indicators, coordination bodies and lead/support overrides.

Rows are identified by UUID. Organisations (``stakeholders``, restored before this section) are referred to
by UUID, as are the plan's own rows between themselves (an element's parent, a body's pillar and the body it
reports to). A damaged section restores nothing: the restore's transaction is rolled back.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.nap.models import (
    ActionPlan,
    CoordinationBody,
    LeadSupportOverride,
    NapCostLine,
    NapElement,
    NapIndicator,
)
from ctip.web.nap.selectors import tree_order
from ctip.web.stakeholders.models import Organisation

SECTION = "nap"
_COMMON = ("uuid", "created_at", "updated_at", "version")
PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "vision",
    "goal",
    "principles",
    "currency",
    "status",
    "capacity_per_quarter",
    "unfunded_threshold",
    "source_file",
)
ELEMENT_FIELDS = (
    "level",
    "code",
    "title",
    "position",
    "lead_name",
    "supporting",
    "timeline",
    "location",
    "target_groups",
    "gender_marker",
    "child_sensitive",
    "assumptions",
    "risks",
    "depends_on",
    "citations",
)
COST_LINE_FIELDS = (
    "code",
    "description",
    "unit",
    "unit_cost",
    "quantity",
    "frequency",
    "year",
    "currency",
    "funding_source",
    "funder",
    "gender_marker",
    "marker_justification",
    "beneficiaries_women",
    "beneficiaries_men",
    "beneficiaries_girls",
    "beneficiaries_boys",
    "targets_women_or_girls",
    "position",
)
INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "unit",
    "baseline",
    "baseline_year",
    "targets",
    "source",
    "responsible_agency",
    "frequency",
    "position",
)
BODY_FIELDS = ("name", "kind", "chair_name", "meeting_frequency", "mandate", "position")
OVERRIDE_FIELDS = ("role",)
_LINE_DECIMALS = ("unit_cost", "quantity", "frequency")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _row(instance: models.Model, fields: Iterable[str], **extra: Any) -> dict[str, Any]:
    row = {name: _plain(getattr(instance, name)) for name in (*_COMMON, *fields)}
    row["uuid"] = str(row["uuid"])
    return row | extra


def _uuid(instance: Any) -> str | None:
    return str(instance.uuid) if instance is not None else None


def section_export(workspace: Workspace) -> dict[str, Any]:
    plans = list(ActionPlan.objects.filter(workspace=workspace).order_by("uuid"))
    elements = list(
        NapElement.objects.filter(workspace=workspace)
        .select_related("plan", "parent", "lead")
        .order_by("position", "id")
    )
    by_plan: dict[int, list[NapElement]] = {}
    for element in elements:
        by_plan.setdefault(element.plan_id, []).append(element)
    ordered = [item for plan in plans for item, _depth, _path in tree_order(by_plan.get(plan.pk, []))]
    members: dict[int, list[str]] = {}
    for body_id, organisation_uuid in CoordinationBody.members.through.objects.filter(
        coordinationbody__workspace=workspace
    ).values_list("coordinationbody_id", "organisation__uuid"):
        members.setdefault(body_id, []).append(str(organisation_uuid))
    return {
        "plans": [_row(plan, PLAN_FIELDS) for plan in plans],
        "elements": [
            _row(
                element,
                ELEMENT_FIELDS,
                plan=str(element.plan.uuid),
                parent=_uuid(element.parent),
                lead=_uuid(element.lead),
            )
            for element in ordered
        ],
        "cost_lines": [
            _row(line, COST_LINE_FIELDS, activity=str(line.activity.uuid))
            for line in NapCostLine.objects.filter(workspace=workspace)
            .select_related("activity")
            .order_by("uuid")
        ],
        "indicators": [
            _row(indicator, INDICATOR_FIELDS, element=str(indicator.element.uuid))
            for indicator in NapIndicator.objects.filter(workspace=workspace)
            .select_related("element")
            .order_by("uuid")
        ],
        "bodies": [
            _row(
                body,
                BODY_FIELDS,
                plan=str(body.plan.uuid),
                chair=_uuid(body.chair),
                members=sorted(members.get(body.pk, [])),
                reports_to=_uuid(body.reports_to),
                pillar=_uuid(body.pillar),
            )
            for body in CoordinationBody.objects.filter(workspace=workspace)
            .select_related("plan", "chair", "reports_to", "pillar")
            .order_by("uuid")
        ],
        "role_overrides": [
            _row(
                override,
                OVERRIDE_FIELDS,
                output=str(override.output.uuid),
                organisation=str(override.organisation.uuid),
            )
            for override in LeadSupportOverride.objects.filter(workspace=workspace)
            .select_related("output", "organisation")
            .order_by("uuid")
        ],
    }


# --- Restore ---------------------------------------------------------------------------------------------


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The action plan part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _values(record: Mapping[str, Any], fields: Iterable[str], decimals: Iterable[str] = ()) -> dict[str, Any]:
    values = {
        name: decimal.Decimal(record[name]) if name in decimals else record[name]
        for name in fields
        if name in record
    }
    for name in ("created_at", "updated_at"):
        values[name] = dt.datetime.fromisoformat(record[name])
    values["uuid"] = record["uuid"]
    values["version"] = record.get("version", 1)
    return values


def _lookup(found: Mapping[str, Any], key: Any, what: str, *, optional: bool = False) -> Any:
    if key is None and optional:
        return None
    if key not in found:
        raise KeyError(f"{what} {key} is not in the backup")
    return found[key]


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the plans of ``section`` in ``workspace`` (inside the restore's transaction)."""
    organisations = {str(row.uuid): row for row in Organisation.objects.filter(workspace=workspace)}
    plans: dict[str, ActionPlan] = {}
    elements: dict[str, NapElement] = {}
    bodies: dict[str, CoordinationBody] = {}
    where = SECTION
    try:
        for index, record in enumerate(section.get("plans", [])):
            where = f"plans[{index}]"
            plan = ActionPlan.objects.create(
                workspace=workspace, **_values(record, PLAN_FIELDS, ("unfunded_threshold",))
            )
            plans[str(plan.uuid)] = plan
        for index, record in enumerate(section.get("elements", [])):
            where = f"elements[{index}]"
            element = NapElement.objects.create(
                workspace=workspace,
                plan=_lookup(plans, record.get("plan"), "plan"),
                parent=_lookup(elements, record.get("parent"), "parent element", optional=True),
                lead=_lookup(organisations, record.get("lead"), "organisation", optional=True),
                **_values(record, ELEMENT_FIELDS),
            )
            elements[str(element.uuid)] = element
        for index, record in enumerate(section.get("cost_lines", [])):
            where = f"cost_lines[{index}]"
            NapCostLine.objects.create(
                workspace=workspace,
                activity=_lookup(elements, record.get("activity"), "activity"),
                **_values(record, COST_LINE_FIELDS, _LINE_DECIMALS),
            )
        for index, record in enumerate(section.get("indicators", [])):
            where = f"indicators[{index}]"
            NapIndicator.objects.create(
                workspace=workspace,
                element=_lookup(elements, record.get("element"), "element"),
                **_values(record, INDICATOR_FIELDS),
            )
        records = list(enumerate(section.get("bodies", [])))
        for index, record in records:
            where = f"bodies[{index}]"
            body = CoordinationBody.objects.create(
                workspace=workspace,
                plan=_lookup(plans, record.get("plan"), "plan"),
                chair=_lookup(organisations, record.get("chair"), "organisation", optional=True),
                pillar=_lookup(elements, record.get("pillar"), "pillar", optional=True),
                **_values(record, BODY_FIELDS),
            )
            body.members.set(
                [_lookup(organisations, key, "organisation") for key in record.get("members", [])]
            )
            bodies[str(body.uuid)] = body
        for index, record in records:
            where = f"bodies[{index}]"
            if record.get("reports_to") is not None:
                body = bodies[record["uuid"]]
                body.reports_to = _lookup(bodies, record["reports_to"], "body")
                body.save(update_fields=["reports_to"])
        for index, record in enumerate(section.get("role_overrides", [])):
            where = f"role_overrides[{index}]"
            LeadSupportOverride.objects.create(
                workspace=workspace,
                output=_lookup(elements, record.get("output"), "output"),
                organisation=_lookup(organisations, record.get("organisation"), "organisation"),
                **_values(record, OVERRIDE_FIELDS),
            )
    except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as error:
        raise _damaged(where, error) from error
