"""M&E objects for tests, made through the services as users make them: a small logframe (a goal, an
outcome, an output) with a percentage indicator and a count of people trained."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctip.web.accounts.models import Workspace
from ctip.web.monitoring import services
from ctip.web.monitoring.models import Indicator, ResultNode


def node_make(workspace: Workspace, code: str, parent: ResultNode | None = None, **extra: Any) -> ResultNode:
    return services.result_node_create(
        workspace=workspace,
        parent=parent,
        code=code,
        statement_en=extra.pop("statement_en", f"Result {code} is achieved"),
        acting_user=None,
        **extra,
    )


def indicator_make(workspace: Workspace, node: ResultNode, code: str, **fields: Any) -> Indicator:
    values = {
        "name_en": "Number of frontline police officers trained in victim identification",
        "unit": "number",
        "cumulative_rule": "cumulative",
        "responsible_agency": "Police Training School",
        "data_source": "Attendance sheets",
        "means_of_verification": "Training records",
        "frequency": "quarterly",
        "disaggregation": ["sex", "location"],
        "baseline_value": 0,
        "baseline_date": dt.date(2024, 12, 31),
        **fields,
    }
    return services.indicator_create(workspace=workspace, node=node, code=code, acting_user=None, **values)


def framework_make(workspace: Workspace) -> dict[str, Any]:
    goal = node_make(workspace, "G", statement_en="Victims of trafficking are identified and protected")
    outcome = node_make(
        workspace, "1", goal, statement_en="Frontline officers identify victims", pillar="protection"
    )
    output = node_make(
        workspace, "1.1", outcome, statement_en="Frontline officers are trained", pillar="protection"
    )
    percent = indicator_make(
        workspace,
        outcome,
        "OC1",
        name_en="Percentage of frontline officers rating their competence in screening at 4 or 5",
        unit="percent",
        cumulative_rule="non_cumulative",
        baseline_value=None,
        baseline_date=None,
        data_source="TNA survey",
        frequency="yearly",
        disaggregation=["sex"],
    )
    trained = indicator_make(workspace, output, "OUT1")
    return {"goal": goal, "outcome": outcome, "output": output, "percent": percent, "trained": trained}
