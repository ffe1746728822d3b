"""Real objects of the target workspace for the NAP routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from ctip.web.nap.models import CoordinationBody
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make


def isolation_parameters(workspace) -> dict[str, str]:
    plan = plan_make(workspace, title="Isolation plan")
    activity = element_make(plan, "activity")
    line = cost_line_make(activity)
    indicator = indicator_make(activity.parent)
    body = CoordinationBody.objects.create(
        workspace=workspace, plan=plan, name="National coordination committee"
    )
    return {
        "plan": str(plan.uuid),
        "element": str(activity.uuid),
        "cost_line": str(line.uuid),
        "nap_indicator": str(indicator.uuid),
        "body": str(body.uuid),
    }
