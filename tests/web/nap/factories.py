"""Plans, elements, cost lines and indicators for the NAP tests, made through the services as users make them
(``acting_user=None``: the command line). Shared by every test module of the NAP app.

    workspace fixture → plan_make(workspace) → element_make(plan, "activity") → cost_line_make(activity)

``element_make`` creates the missing ancestors: ``element_make(plan, "activity")`` adds an objective,
priority, outcome and output under pillar P1 and the activity under them; pass ``parent=`` to choose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ctip.web.accounts.models import Workspace
from ctip.web.nap import services
from ctip.web.nap.models import LEVELS, ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.services.elements import PARENT_LEVEL


def plan_make(
    workspace: Workspace, *, pillars: Any = "default", acting_user: Any = None, **values: Any
) -> ActionPlan:
    """A draft plan 2025–2029 in USD with the 4Ps (``pillars=()`` for none)."""
    defaults: dict[str, Any] = {
        "title": "National Action Plan against Trafficking in Persons",
        "period_start": 2025,
        "period_end": 2029,
        "currency": "USD",
        "vision": "A country free from trafficking in persons.",
        "goal": "Prevent trafficking, protect victims, prosecute traffickers.",
        "principles": ["Victim-centred", "Human-rights-based"],
    }
    return services.plan_create(
        workspace=workspace, values=defaults | values, acting_user=acting_user, pillars=pillars
    )


def element_make(
    plan: ActionPlan,
    level: str = "activity",
    *,
    parent: NapElement | None = None,
    acting_user: Any = None,
    **values: Any,
) -> NapElement:
    """An element of ``level`` under ``parent`` (or under new ancestors down from pillar P1, made when
    missing). ``values`` override the fields (title defaults to "<Level> <n>")."""
    wanted = PARENT_LEVEL[level]
    if parent is None and wanted is not None:
        parent = _ancestor(plan, wanted)
    defaults: dict[str, Any] = {
        "title": f"{level.title()} {NapElement.objects.filter(plan=plan).count() + 1}"
    }
    if level == "activity":
        defaults |= {"lead_name": "Ministry of Labour", "timeline": [[plan.period_start, 1]]}
    return services.element_create(
        plan=plan, parent=parent, level=level, values=defaults | values, acting_user=acting_user
    )


def _ancestor(plan: ActionPlan, level: str) -> NapElement:
    """The first element of ``level`` in the plan, made (with its own ancestors) when there is none."""
    found = NapElement.objects.filter(plan=plan, level=level).order_by("position", "id").first()
    if found is not None:
        return found
    if level == "pillar":
        return element_make(plan, "pillar", title="Prevention")
    parent_level = PARENT_LEVEL[level]
    assert parent_level is not None
    return element_make(plan, level, parent=_ancestor(plan, parent_level))


def cost_line_make(activity: NapElement, *, acting_user: Any = None, **values: Any) -> NapCostLine:
    """A line of 10 participant-days at 50.00 in the plan's currency, government-funded, in the first year."""
    defaults: dict[str, Any] = {
        "description": "Training of labour inspectors",
        "unit": "participant-day",
        "unit_cost": Decimal("50.00"),
        "quantity": Decimal("10"),
        "frequency": Decimal("1"),
        "year": activity.plan.period_start,
        "funding_source": "government",
    }
    return services.cost_line_create(activity=activity, values=defaults | values, acting_user=acting_user)


def indicator_make(element: NapElement, *, acting_user: Any = None, **values: Any) -> NapIndicator:
    """An indicator of an outcome or output with a baseline and one target in the last year."""
    plan = element.plan
    defaults: dict[str, Any] = {
        "name": "Number of victims identified and referred",
        "unit": "number",
        "baseline": "12",
        "baseline_year": plan.period_start - 1,
        "targets": [{"year": plan.period_end, "value": "60", "sex": ""}],
        "source": "National referral mechanism records",
        "responsible_agency": "Ministry of Social Security",
        "frequency": "annual",
    }
    return services.indicator_create(element=element, values=defaults | values, acting_user=acting_user)


__all__ = ["LEVELS", "cost_line_make", "element_make", "indicator_make", "plan_make"]
