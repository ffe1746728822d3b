"""National Action Plans: created (with the 4P pillars P1–P4 unless told otherwise), edited and deleted.

Every change checks ``edit_content``, validates with field-named problems, writes, bumps the version and
audits (``nap.plan.create`` / ``update`` / ``delete``) in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import FieldProblem, _
from ctip.core.nap.model import DEFAULT_PILLARS
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.nap.models import STATUS_CHOICES, ActionPlan, NapElement
from ctip.web.nap.services import values as read

__all__ = ["PLAN_FIELDS", "plan_create", "plan_delete", "plan_update"]

PLAN_FIELDS = [
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
]
"""What ``values`` may hold, and what the audit log records."""


def _clean(workspace: Workspace, values: Mapping[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "title": read.text(values, "title", problems, required=True, limit=250),
        "vision": read.text(values, "vision", problems, multiline=True),
        "goal": read.text(values, "goal", problems, multiline=True),
        "principles": read.lines(values, "principles"),
        "source_file": read.text(values, "source_file", problems, limit=250),
    }
    start = read.whole(values, "period_start", problems, low=1900, high=2200, required=True)
    end = read.whole(values, "period_end", problems, low=1900, high=2200, required=True)
    if start is not None and end is not None and end < start:
        problems.append(
            FieldProblem(
                "period_end",
                _("The plan ends in %(end)s, before it starts in %(start)s: check the period."),
                {"start": start, "end": end},
            )
        )
    cleaned["period_start"], cleaned["period_end"] = start, end
    currency = str(values.get("currency") or workspace.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        problems.append(
            FieldProblem(
                "currency",
                _("“%(value)s” is not a currency code: use the three letters of ISO 4217, e.g. USD."),
                {"value": currency},
            )
        )
    cleaned["currency"] = currency
    status = str(values.get("status") or "draft")
    if status not in dict(STATUS_CHOICES):
        problems.append(
            FieldProblem(
                "status",
                _("“%(value)s” is not a status: choose draft, validated or adopted."),
                {"value": status},
            )
        )
    cleaned["status"] = status
    cleaned["capacity_per_quarter"] = read.whole(
        values, "capacity_per_quarter", problems, low=1, high=1000, default=5
    )
    threshold = read.decimal(values, "unfunded_threshold", problems, default=Decimal("0.30"))
    if threshold is not None and threshold > 1:
        problems.append(
            FieldProblem(
                "unfunded_threshold",
                _("%(value)s is a share: enter a number from 0 to 1 (0.30 is 30 per cent)."),
                {"value": threshold},
            )
        )
    cleaned["unfunded_threshold"] = threshold
    return cleaned


def plan_create(
    *,
    workspace: Workspace,
    values: Mapping[str, Any],
    acting_user: User | None,
    pillars: Sequence[tuple[str, str]] | str = "default",
) -> ActionPlan:
    """A new plan. ``pillars="default"`` adds the 4Ps P1–P4 (named in the workspace's first language as
    stored: English); ``pillars=()`` none; or give ``(code, name)`` pairs."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    problems: list[FieldProblem] = []
    cleaned = _clean(workspace, values, problems)
    read.refuse(problems, str(_("national action plan")))
    chosen = DEFAULT_PILLARS if pillars == "default" else tuple(pillars)
    with transaction.atomic():
        plan = ActionPlan.objects.create(workspace=workspace, **cleaned)
        read.audit(acting_user=acting_user, instance=plan, action="plan.create", fields=PLAN_FIELDS)
        for position, (code, name) in enumerate(chosen):
            pillar = NapElement.objects.create(
                workspace=workspace, plan=plan, level="pillar", code=code, title=str(name), position=position
            )
            read.audit(
                acting_user=acting_user,
                instance=pillar,
                action="element.create",
                fields=["level", "code", "title"],
            )
    return plan


def plan_update(
    *,
    plan: ActionPlan,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> ActionPlan:
    """Change the plan's facts; fields not in ``values`` keep their value."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        read.version_check(current, expected_version, values, fields=PLAN_FIELDS)
        merged = {name: getattr(current, name) for name in PLAN_FIELDS} | {
            name: value for name, value in values.items() if name in PLAN_FIELDS
        }
        problems: list[FieldProblem] = []
        cleaned = _clean(current.workspace, merged, problems)
        outside = (
            NapElement.objects.filter(plan=current, level="activity")
            .exclude(timeline=[])
            .values_list("code", "timeline")
        )
        start, end = cleaned["period_start"], cleaned["period_end"]
        if start is not None and end is not None:
            for activity_code, timeline in outside:
                years = [int(item[0]) for item in timeline]
                if years and (min(years) < start or max(years) > end):
                    problems.append(
                        FieldProblem(
                            "period_start" if min(years) < start else "period_end",
                            _(
                                "Activity %(code)s is scheduled in %(year)s, outside %(start)s–%(end)s: change its "
                                "timeline first or keep a period that includes it."
                            ),
                            {
                                "code": activity_code,
                                "year": min(years) if min(years) < start else max(years),
                                "start": start,
                                "end": end,
                            },
                        )
                    )
        read.refuse(problems, str(_("national action plan")))
        before = record_values(current, PLAN_FIELDS)
        for name, value in cleaned.items():
            setattr(current, name, value)
        if record_values(current, PLAN_FIELDS) == before:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        read.audit(
            acting_user=acting_user, instance=current, action="plan.update", fields=PLAN_FIELDS, before=before
        )
    return current


def plan_delete(*, plan: ActionPlan, acting_user: User | None) -> None:
    """Delete the plan with its elements, cost lines, indicators and coordination bodies."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        read.audit(
            acting_user=acting_user,
            instance=plan,
            action="plan.delete",
            fields=PLAN_FIELDS,
            before=record_values(plan, PLAN_FIELDS),
            after=False,
        )
        plan.delete()
