"""Benchmark: the NAP outline page of a large plan — the same generated plan as
:mod:`benchmarks.nap_documents` (300 activities, 1,000 cost lines) stored in a fresh test database — served
through Django's test client (the whole request path: middleware, permissions, queries, checks, template),
against a plan a tenth of its size as the baseline of the same run. Goal: p95 ≤ 150 ms.

    python -m benchmarks.nap_outline
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from typing import Any

GOAL_P95_MS = 150.0
REQUESTS = 30


def _store(plan: Any, nap: Any) -> None:
    """Write the core plan's tree into the database (bulk, as an import does)."""
    from ctip.web.nap.models import NapCostLine, NapElement, NapIndicator

    position = 0

    def element(parent: Any, level: str, code: str, title: str, **extra: Any) -> Any:
        nonlocal position
        position += 1
        return NapElement.objects.create(
            workspace=plan.workspace,
            plan=plan,
            parent=parent,
            level=level,
            code=code,
            title=title,
            position=position,
            **extra,
        )

    lines: list[Any] = []
    indicators: list[Any] = []

    def indicators_of(owner: Any, refs: Any) -> None:
        for number, ref in enumerate(refs):
            indicators.append(
                NapIndicator(
                    workspace=plan.workspace, element=owner, code=ref.code, name=ref.name, position=number
                )
            )

    for pillar in nap.pillars:
        p = element(None, "pillar", pillar.code, pillar.name)
        for objective in pillar.objectives:
            o = element(p, "objective", objective.code, objective.name)
            for priority in objective.priorities:
                s = element(o, "priority", priority.code, priority.name)
                for outcome in priority.outcomes:
                    c = element(s, "outcome", outcome.code, outcome.name)
                    indicators_of(c, outcome.indicators)
                    for output in outcome.outputs:
                        u = element(c, "output", output.code, output.name)
                        indicators_of(u, output.indicators)
                        for activity in output.activities:
                            a = element(
                                u,
                                "activity",
                                activity.code,
                                activity.description,
                                lead_name=activity.lead_agency,
                                timeline=[list(quarter) for quarter in activity.timeline],
                            )
                            for number, line in enumerate(activity.cost_lines):
                                lines.append(
                                    NapCostLine(
                                        workspace=plan.workspace,
                                        activity=a,
                                        code=line.code,
                                        description=line.description,
                                        unit=line.unit,
                                        unit_cost=line.unit_cost,
                                        quantity=line.quantity,
                                        frequency=line.frequency,
                                        year=line.year,
                                        currency=line.currency,
                                        funding_source=line.funding_source.value,
                                        gender_marker=int(line.gender_marker),
                                        position=number,
                                    )
                                )
    NapCostLine.objects.bulk_create(lines)
    NapIndicator.objects.bulk_create(indicators)


def _time_outline(client: Any, url: str) -> list[float]:
    client.get(url)  # warm up: templates, translations
    # As the WSGI entry point does after start-up (ctip/web/config/wsgi.py): what is loaded stays loaded.
    gc.collect()
    gc.freeze()
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))],
        "max": ordered[-1],
    }


def run() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.web.config.settings.test")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from benchmarks.nap_documents import ACTIVITIES, COST_LINES, large_nap
    from ctip.core.workspace_profile import WorkspaceProfile
    from ctip.web.accounts.models import User
    from ctip.web.accounts.services import workspace_create
    from ctip.web.nap.models import ActionPlan

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = User.objects.create_user("bench", password="bench-only-password-123")
        workspace = workspace_create(
            profile=WorkspaceProfile(
                slug="bench",
                name="Benchmark (fictional)",
                country="RW",
                languages=("en", "fr"),
                currency="USD",
                fiscal_year_start_month=7,
                plan_start_year=2025,
                plan_end_year=2029,
            ),
            admin=user,
            acting_user=None,
        )
        client = Client()
        client.force_login(user)
        result: dict[str, Any] = {}
        for label, activities, lines in (
            ("large", ACTIVITIES, COST_LINES),
            ("baseline", ACTIVITIES // 10, COST_LINES // 10),
        ):
            nap = large_nap(activities, lines)
            plan = ActionPlan.objects.create(
                workspace=workspace,
                title=f"{label} plan",
                period_start=nap.period_start,
                period_end=nap.period_end,
                currency="USD",
            )
            _store(plan, nap)
            url = f"/w/bench/nap/{plan.uuid}/"
            result[label] = _summary(_time_outline(client, url)) | {
                "activities": activities,
                "elements": plan.elements.count(),
            }
        return result
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


HEADING = "## National Action Plan outline page"


def render(result: dict[str, Any]) -> list[str]:
    large, small = result["large"], result["baseline"]
    verdict = "met" if large["p95"] <= GOAL_P95_MS else "**not met**"
    return [
        HEADING,
        "",
        f"The outline page of a generated plan ({large['activities']} activities, {large['elements']} elements "
        "in all, 1,000 cost lines) through Django's test client — middleware, permissions, the queries (a "
        f"constant number, tested), the checks panel's flags (cached while the plan does not change) and the "
        f"template — {REQUESTS} requests after a warm-up and `gc.freeze()` as the WSGI entry point does, "
        f"against a plan a tenth of its size in the same run. Goal: p95 ≤ {GOAL_P95_MS:.0f} ms.",
        "",
        "| Plan | p50 | p95 | max | Goal |",
        "|---|---|---|---|---|",
        f"| {large['activities']} activities | {large['p50']:.0f} ms | {large['p95']:.0f} ms | {large['max']:.0f} ms "
        f"| {verdict} |",
        f"| Baseline: {small['activities']} activities | {small['p50']:.0f} ms | {small['p95']:.0f} ms | "
        f"{small['max']:.0f} ms | |",
        "",
        f"Ten times the plan takes {large['p95'] / small['p95']:.1f}× the time at p95.",
        "",
    ]


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
