"""The demo programme's capacity plan: the catalogue and the demand drawn from the (fictional) TNA, a
baseline scenario solved by HiGHS with its greedy baseline, and a copy with a budget 20 % lower, solved
too, so that the scenario comparison has something to show. Idempotent: a workspace that already has
scenarios keeps them."""

from __future__ import annotations

from ctip.core.planning.model import Parameters, ReturnStep
from ctip.web.accounts.models import User, Workspace
from ctip.web.planning.models import PlanScenario
from ctip.web.planning.services import scenarios as services

BASELINE = "Baseline plan (fictional)"
LEAN = "Budget −20 % (fictional)"
DEMO_TIME_LIMIT = 10.0
COST_FACTOR = 45.0
"""The default catalogue's costs are in US dollars; the demo workspace counts in Mauritian rupees."""
BUDGET_PER_YEAR = 6_750_000.0
"""About USD 150,000 a year, in rupees (fictional)."""


def demo_parameters() -> Parameters:
    """The demo's constraints: the defaults, except six sessions per location per quarter, at least 1 % of
    the weighted need covered at each location and 10 % on Rodrigues, and returns that fall early (the
    demo's demand counts whole ministries' staff, so the first 2 % of a group trained in a competency is
    worth most, then 10 %): the plan then spreads over more modules than the broad foundational ones."""
    return Parameters(
        return_steps=(ReturnStep(0.02, 1.0), ReturnStep(0.1, 0.4), ReturnStep(1.0, 0.1)),
        budget_per_year=(BUDGET_PER_YEAR, BUDGET_PER_YEAR, BUDGET_PER_YEAR),
        sessions_per_location_per_quarter=6,
        location_need_floor=0.01,
        location_need_floor_by_location={"Rodrigues": 0.10},
    )


def demo_plan(*, workspace: Workspace, acting_user: User | None) -> PlanScenario | None:
    """Seed the plan's inputs and solve the two demo scenarios; ``None`` when the workspace has no demand
    (no survey answers) to plan for."""
    from ctip.web.planning.demo import seed_planning_inputs

    if not seed_planning_inputs(workspace, acting_user=acting_user, cost_factor=COST_FACTOR):
        return None
    existing = PlanScenario.objects.filter(workspace=workspace, name=BASELINE).first()
    if existing is not None:
        return existing
    baseline = services.scenario_create(
        workspace=workspace,
        name=BASELINE,
        description="Fictional demo scenario: a budget of about USD 150,000 a year, six sessions per "
        "location per quarter, at least 1 % of each location's weighted need covered and 10 % on Rodrigues.",
        parameters=demo_parameters(),
        acting_user=acting_user,
    )
    outcome = services.scenario_solve(baseline, acting_user=acting_user, time_limit=DEMO_TIME_LIMIT)
    if outcome.plan.status.value == "infeasible":
        return outcome.scenario
    lean = services.scenario_copy(outcome.scenario, name=LEAN, budget_factor=0.8, acting_user=acting_user)
    services.scenario_solve(lean, acting_user=acting_user, time_limit=DEMO_TIME_LIMIT)
    services.scenario_adopt(outcome.scenario, acting_user=acting_user)
    outcome.scenario.refresh_from_db()
    return outcome.scenario
