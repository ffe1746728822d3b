"""API endpoints of the National Action Plan, mounted under /api/v1/ (see ctip.web.api).

Plans, elements, cost lines and indicators are identified by UUID (``id``). A plan reads as its tree
(each element with its cost lines and indicators), its budget roll-ups per currency (amounts are strings of
decimals, never floats) and the flags of the checks panel. Writes go through the same services as the
pages; send ``expected_version`` on a change to be told of a conflicting edit (409).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from ctip.core.access import Permission
from ctip.core.nap.budget import budget
from ctip.core.nap.checks import check_nap
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import workspace_access
from ctip.web.nap import selectors, services
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.services.cost_lines import COST_LINE_FIELDS
from ctip.web.nap.services.elements import ACTIVITY_FIELDS
from ctip.web.nap.services.indicators import INDICATOR_FIELDS
from ctip.web.nap.services.plans import PLAN_FIELDS

router = Router(tags=["nap"])


class PlanSummaryOut(Schema):
    id: uuid.UUID
    title: str
    period_start: int
    period_end: int
    currency: str
    status: str
    version: int


class PlanIn(Schema):
    """``values``: title, period_start, period_end, currency, vision, goal, principles, status,
    capacity_per_quarter, unfunded_threshold. ``pillars``: false for a plan without the 4Ps."""

    values: dict[str, Any]
    pillars: bool = True


class ChangeIn(Schema):
    """The fields to change (others keep their value) and the version you started from."""

    values: dict[str, Any]
    expected_version: int | None = None


class ElementIn(Schema):
    """``parent``: the id of the element just above (none for a pillar); ``level``: pillar, objective,
    priority, outcome, output or activity; ``values``: code (empty: the next free code), title, and for
    an activity lead (an organisation id), lead_name, supporting, timeline ([[year, quarter]]), location,
    target_groups, gender_marker, child_sensitive, assumptions, risks, depends_on (activity codes)."""

    parent: uuid.UUID | None = None
    level: str
    values: dict[str, Any]


class ValuesIn(Schema):
    values: dict[str, Any]


class MoveIn(Schema):
    offset: int


def _money(amounts: dict[Any, Decimal]) -> dict[str, str]:
    return {
        "" if key is None else str(getattr(key, "value", key)): str(amount) for key, amount in amounts.items()
    }


def _line_out(line: NapCostLine) -> dict[str, Any]:
    row: dict[str, Any] = {"id": str(line.uuid), "version": line.version}
    for name in COST_LINE_FIELDS:
        value = getattr(line, name)
        row[name] = str(value) if isinstance(value, Decimal) else value
    return row


def _indicator_out(indicator: NapIndicator) -> dict[str, Any]:
    return {"id": str(indicator.uuid), "version": indicator.version} | {
        name: getattr(indicator, name) for name in INDICATOR_FIELDS
    }


def _element_out(element: NapElement, path: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(element.uuid),
        "version": element.version,
        "level": element.level,
        "code": element.code,
        "path": path,
        "title": element.title,
        "position": element.position,
        "parent": str(element.parent.uuid) if element.parent_id and element.parent else None,
        "citations": element.citations,
    }
    if element.level == "activity":
        row |= {name: getattr(element, name) for name in ACTIVITY_FIELDS if name != "lead"}
        row["lead"] = str(element.lead.uuid) if element.lead is not None else None
    return row


def _plan_out(plan: ActionPlan) -> dict[str, Any]:
    """The plan with its tree, roll-ups and flags."""
    elements = list(NapElement.objects.filter(plan=plan).select_related("lead").order_by("position", "id"))
    lines: dict[int, list[dict[str, Any]]] = {}
    for line in NapCostLine.objects.filter(activity__plan=plan).order_by("position", "id"):
        lines.setdefault(line.activity_id, []).append(_line_out(line))
    indicators: dict[int, list[dict[str, Any]]] = {}
    for indicator in NapIndicator.objects.filter(element__plan=plan).order_by("position", "id"):
        indicators.setdefault(indicator.element_id, []).append(_indicator_out(indicator))
    by_pk = {element.pk: element for element in elements}
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for element, _depth, path in selectors.tree_order(elements):
        node = _element_out(element, path)
        node["parent"] = str(by_pk[element.parent_id].uuid) if element.parent_id else None
        node["cost_lines"] = lines.get(element.pk, [])
        node["indicators"] = indicators.get(element.pk, [])
        node["children"] = []
        nodes[element.pk] = node
        (nodes[element.parent_id]["children"] if element.parent_id else roots).append(node)
    nap = selectors.nap_core(plan)
    plan_budget = budget(nap)
    flags = check_nap(
        nap,
        capacity=plan.capacity_per_quarter,
        unfunded_threshold=plan.unfunded_threshold,
        include_budget=True,
    )
    out: dict[str, Any] = {"id": str(plan.uuid), "version": plan.version}
    for name in PLAN_FIELDS:
        value = getattr(plan, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    out["elements"] = roots
    out["budget"] = [
        {
            "currency": currency,
            "total": str(rolled.total),
            "funded": str(rolled.funded),
            "unfunded": str(rolled.unfunded),
            "gender_amount": str(rolled.gender_amount),
            "by_pillar": _money(dict(rolled.by_pillar)),
            "by_year": _money(dict(rolled.by_year)),
            "by_agency": _money(dict(rolled.by_agency)),
            "by_marker": _money(dict(rolled.by_marker)),
            "by_funding": _money(dict(rolled.by_funding)),
        }
        for currency, rolled in plan_budget.by_currency.items()
    ]
    out["flags"] = [
        {
            "kind": flag.kind,
            "severity": flag.severity.value,
            "path": flag.path,
            "message": flag.render(gettext),
        }
        for flag in flags
    ]
    return out


def _plan(workspace: Any, plan: uuid.UUID) -> ActionPlan:
    return get_object_or_404(ActionPlan, workspace=workspace, uuid=plan)


def _element(workspace: Any, element: uuid.UUID) -> NapElement:
    return get_object_or_404(
        NapElement.objects.select_related("plan", "parent", "lead"), workspace=workspace, uuid=element
    )


@router.get("w/{workspace}/nap/plans", response={200: list[PlanSummaryOut], **ERRORS})
def plan_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """The workspace's action plans, the most recent period first."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return [
        {
            "id": plan.uuid,
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "currency": plan.currency,
            "status": plan.status,
            "version": plan.version,
        }
        for plan in ActionPlan.objects.filter(workspace=found)
    ]


@router.get("w/{workspace}/nap/plans/{plan}", response={200: dict[str, Any], **ERRORS})
def plan_get(request: HttpRequest, workspace: str, plan: uuid.UUID) -> dict[str, Any]:
    """The plan: its facts, its tree (``elements``, each with ``cost_lines``, ``indicators`` and
    ``children``), its ``budget`` per currency (amounts as decimal strings) and its ``flags``."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _plan_out(_plan(found, plan))


@router.post("w/{workspace}/nap/plans", response={201: dict[str, Any], **ERRORS})
def plan_post(request: HttpRequest, workspace: str, payload: PlanIn) -> Status:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    plan = services.plan_create(
        workspace=found,
        values=payload.values,
        acting_user=request.user,
        pillars="default" if payload.pillars else (),
    )
    return Status(201, _plan_out(plan))


@router.patch("w/{workspace}/nap/plans/{plan}", response={200: dict[str, Any], **ERRORS})
def plan_patch(request: HttpRequest, workspace: str, plan: uuid.UUID, payload: ChangeIn) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changed = services.plan_update(
        plan=_plan(found, plan),
        values=payload.values,
        acting_user=request.user,
        expected_version=payload.expected_version,
    )
    return _plan_out(changed)


@router.post("w/{workspace}/nap/plans/{plan}/elements", response={201: dict[str, Any], **ERRORS})
def element_post(request: HttpRequest, workspace: str, plan: uuid.UUID, payload: ElementIn) -> Status:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    target = _plan(found, plan)
    parent = (
        get_object_or_404(NapElement, plan=target, uuid=payload.parent)
        if payload.parent is not None
        else None
    )
    element = services.element_create(
        plan=target, parent=parent, level=payload.level, values=payload.values, acting_user=request.user
    )
    return Status(201, _element_out(element))


@router.patch("w/{workspace}/nap/elements/{element}", response={200: dict[str, Any], **ERRORS})
def element_patch(
    request: HttpRequest, workspace: str, element: uuid.UUID, payload: ChangeIn
) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changed = services.element_update(
        element=_element(found, element),
        values=payload.values,
        acting_user=request.user,
        expected_version=payload.expected_version,
    )
    return _element_out(_element(found, changed.uuid))


@router.post("w/{workspace}/nap/elements/{element}/move", response={200: dict[str, Any], **ERRORS})
def element_move(request: HttpRequest, workspace: str, element: uuid.UUID, payload: MoveIn) -> dict[str, Any]:
    """Swap the element with its previous (``offset`` −1) or next (+1) sibling."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    moved = services.element_move(
        element=_element(found, element), offset=payload.offset, acting_user=request.user
    )
    return _element_out(_element(found, moved.uuid))


@router.delete("w/{workspace}/nap/elements/{element}", response={204: None, **ERRORS})
def element_remove(request: HttpRequest, workspace: str, element: uuid.UUID, cascade: bool = False) -> Status:
    """Delete the element; one with children, cost lines or indicators needs ``?cascade=true`` (409
    otherwise, saying what would go)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.element_delete(element=_element(found, element), acting_user=request.user, cascade=cascade)
    return Status(204, None)


@router.post("w/{workspace}/nap/elements/{element}/cost-lines", response={201: dict[str, Any], **ERRORS})
def cost_line_post(request: HttpRequest, workspace: str, element: uuid.UUID, payload: ValuesIn) -> Status:
    """A cost line of an activity: unit_cost and quantity as decimal strings ("1250.50")."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    line = services.cost_line_create(
        activity=_element(found, element), values=payload.values, acting_user=request.user
    )
    return Status(201, _line_out(line))


@router.patch("w/{workspace}/nap/cost-lines/{cost_line}", response={200: dict[str, Any], **ERRORS})
def cost_line_patch(
    request: HttpRequest, workspace: str, cost_line: uuid.UUID, payload: ChangeIn
) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    line = get_object_or_404(NapCostLine, workspace=found, uuid=cost_line)
    changed = services.cost_line_update(
        line=line, values=payload.values, acting_user=request.user, expected_version=payload.expected_version
    )
    return _line_out(changed)


@router.delete("w/{workspace}/nap/cost-lines/{cost_line}", response={204: None, **ERRORS})
def cost_line_remove(request: HttpRequest, workspace: str, cost_line: uuid.UUID) -> Status:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.cost_line_delete(
        line=get_object_or_404(NapCostLine, workspace=found, uuid=cost_line), acting_user=request.user
    )
    return Status(204, None)


@router.post("w/{workspace}/nap/elements/{element}/indicators", response={201: dict[str, Any], **ERRORS})
def indicator_post(request: HttpRequest, workspace: str, element: uuid.UUID, payload: ValuesIn) -> Status:
    """An indicator of an outcome or output; ``targets``: [{"year": 2027, "value": "60", "sex": ""}]."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    indicator = services.indicator_create(
        element=_element(found, element), values=payload.values, acting_user=request.user
    )
    return Status(201, _indicator_out(indicator))


@router.patch("w/{workspace}/nap/indicators/{nap_indicator}", response={200: dict[str, Any], **ERRORS})
def indicator_patch(
    request: HttpRequest, workspace: str, nap_indicator: uuid.UUID, payload: ChangeIn
) -> dict[str, Any]:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changed = services.indicator_update(
        indicator=get_object_or_404(NapIndicator, workspace=found, uuid=nap_indicator),
        values=payload.values,
        acting_user=request.user,
        expected_version=payload.expected_version,
    )
    return _indicator_out(changed)


@router.delete("w/{workspace}/nap/indicators/{nap_indicator}", response={204: None, **ERRORS})
def indicator_remove(request: HttpRequest, workspace: str, nap_indicator: uuid.UUID) -> Status:
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.indicator_delete(
        indicator=get_object_or_404(NapIndicator, workspace=found, uuid=nap_indicator),
        acting_user=request.user,
    )
    return Status(204, None)
