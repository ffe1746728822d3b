"""``ctip plan optimize``: solve a workspace's capacity plan from its catalogue and its demand.

The workspace's scenario (the adopted one, or the one named with ``--scenario``; created with the default
parameters when the workspace has none) is solved with any parameter given on the command line changed
first, then stored exactly as the web page stores it: the plan's sessions, the solver's and the greedy
baseline's results. A progress line on standard error shows what is being done.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from ctip.cli_plan import ProgressLine, solver_output_hidden

OPTIMIZE_HELP = (
    "Solve the workspace's capacity development plan: the adopted scenario (or --scenario NAME, created "
    "when missing) with the parameters given here changed first, the locked sessions kept. Prints the "
    "status, the weighted need covered, the optimality gap, the solve time and the greedy baseline's figures, "
    "cost by year and the needs left unmet with the reason; --json writes the scenario, the plan and the "
    "greedy plan. Exit status 2 on bad input, 3 when the constraints conflict (they are named), 4 when no "
    "plan was found within the time limit."
)


def add_optimize_parser(plan_commands: Any, handler: Any) -> None:
    """Add ``optimize`` to the ``ctip plan`` subcommands; ``handler`` runs it once Django is set up."""
    optimize = plan_commands.add_parser(
        "optimize", help="solve a workspace's plan (uses the database)", description=OPTIMIZE_HELP
    )
    optimize.add_argument("--workspace", required=True, metavar="SLUG", help="the workspace")
    optimize.add_argument(
        "--scenario", metavar="NAME", help="the scenario to solve (default: the adopted one)"
    )
    optimize.add_argument(
        "--budget-per-year",
        type=float,
        nargs="+",
        metavar="N",
        help="budget of years 1, 2, 3 (the last repeats)",
    )
    optimize.add_argument("--trainer-days-per-quarter", type=float, metavar="N")
    optimize.add_argument("--sessions-per-location-per-quarter", type=int, metavar="N")
    optimize.add_argument("--frontline-year1-seats", type=int, metavar="N")
    optimize.add_argument("--location-need-floor", type=float, metavar="SHARE", help="e.g. 0.05 for 5 %%")
    optimize.add_argument(
        "--location-floor",
        action="append",
        default=[],
        metavar="LOCATION=SHARE",
        help="a floor for one location, e.g. Rodrigues=0.1; may be repeated",
    )
    optimize.add_argument("--women-seat-factor", type=float, metavar="F")
    optimize.add_argument("--national-share-year2", type=float, metavar="SHARE")
    optimize.add_argument("--national-share-year3", type=float, metavar="SHARE")
    optimize.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS", help="default 60")
    optimize.add_argument(
        "--gap", type=float, default=0.005, metavar="G", help="relative gap to stop at (0.005)"
    )
    optimize.add_argument("--json", metavar="OUT", help="write the result as JSON to this file")
    optimize.add_argument("--quiet", action="store_true", help="no progress line")
    optimize.set_defaults(handler=handler)


_PARAMETER_OPTIONS = (
    "trainer_days_per_quarter",
    "sessions_per_location_per_quarter",
    "frontline_year1_seats",
    "location_need_floor",
    "women_seat_factor",
    "national_share_year2",
    "national_share_year3",
)


def changed_parameters(args: argparse.Namespace, parameters: Any) -> Any:
    """``parameters`` with the options given on the command line."""
    from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

    changes: dict[str, Any] = {
        name: getattr(args, name) for name in _PARAMETER_OPTIONS if getattr(args, name) is not None
    }
    if args.budget_per_year:
        changes["budget_per_year"] = tuple(args.budget_per_year)
    if args.location_floor:
        floors = dict(parameters.location_need_floor_by_location)
        for given in args.location_floor:
            location, separator, share = given.partition("=")
            try:
                value = float(share)
            except ValueError:
                value = -1.0
            if not separator or not location.strip() or not 0 <= value <= 1:
                raise DomainError(
                    ErrorCode.INVALID_VALUE,
                    _("--location-floor takes LOCATION=SHARE with a share from 0 to 1, e.g. Rodrigues=0.1."),
                    problems=[
                        FieldProblem(
                            "--location-floor", _("“%(given)s” is not of that form."), {"given": given}
                        )
                    ],
                )
            floors[location.strip()] = value
        changes["location_need_floor_by_location"] = floors
    return dataclasses.replace(parameters, **changes)


def cmd_plan_optimize(args: argparse.Namespace, workspace: Any) -> int:
    from ctip.web.planning.models import PlanScenario
    from ctip.web.planning.scenario_data import CONFLICT_LABELS, UNMET_REASON_LABELS, scenario_figures
    from ctip.web.planning.services import scenarios as services

    if args.scenario:
        scenario = PlanScenario.objects.filter(workspace=workspace, name=args.scenario.strip()).first()
    else:
        scenario = (
            PlanScenario.objects.filter(workspace=workspace).order_by("-is_adopted", "created_at").first()
        )
    if scenario is None:
        scenario = services.scenario_create(
            workspace=workspace, name=(args.scenario or "Baseline plan").strip(), acting_user=None
        )
        print(f"Created the scenario “{scenario.name}”.")
    parameters = changed_parameters(args, services.scenario_parameters(scenario))
    if parameters != services.scenario_parameters(scenario):
        scenario = services.scenario_update(
            scenario,
            name=scenario.name,
            description=scenario.description,
            parameters=parameters,
            acting_user=None,
        )
    line = ProgressLine(sys.stderr, enabled=not args.quiet)
    try:
        with solver_output_hidden():
            outcome = services.scenario_solve(
                scenario,
                acting_user=None,
                time_limit=args.time_limit,
                mip_gap=args.gap,
                progress=lambda step: line.note(f"{step}…"),
                solver_progress=line,
            )
    finally:
        line.done()
    plan, greedy = outcome.plan, outcome.greedy
    figures = scenario_figures(outcome.scenario)
    print(f"Scenario: {outcome.scenario.name} ({workspace.slug})")
    print(f"Status: {plan.status.value}")
    if plan.status.value == "time_limit":
        print(f"No plan found within {args.time_limit:g} s; give it more time (--time-limit).")
        _write_json(args, outcome)
        return 4
    if plan.status.value == "infeasible":
        print("No plan keeps every constraint. These constraints conflict; relax one of them:")
        for group in plan.conflicts:
            print(f"  - {CONFLICT_LABELS.get(group.value, group.value)}")
        _write_json(args, outcome)
        return 3
    improvement = figures.improvement
    print(
        f"Weighted need covered: {plan.objective:,.1f} (greedy baseline {greedy.objective:,.1f}"
        + (f", {improvement:+.1%})" if improvement is not None else ")")
    )
    print(f"Optimality gap: {plan.gap:.2%}   Solve time: {plan.solve_seconds:.1f} s")
    print(f"Sessions: {len(plan.sessions)}   Seats: {figures.female} women, {figures.male} men")
    for year in figures.years:
        print(
            f"  Year {year.year}: {year.sessions} sessions, cost {year.cost:,.0f} of {year.budget:,.0f}, "
            f"national trainers {year.national_share or 0:.0%}"
        )
    if plan.unmet:
        print("Needs left unmet (top 10 by staff):")
        for need in sorted(plan.unmet, key=lambda n: n.staff - n.covered, reverse=True)[:10]:
            print(
                f"  {need.segment} {need.competency}: {need.covered} of {need.staff} trained — "
                f"{UNMET_REASON_LABELS.get(need.reason.value, need.reason.value)}"
            )
    _write_json(args, outcome)
    return 0


def _write_json(args: argparse.Namespace, outcome: Any) -> None:
    if not args.json:
        return
    from ctip.web.planning.services.scenarios import improvement_over_greedy

    scenario = outcome.scenario
    payload = {
        "workspace": scenario.workspace.slug,
        "scenario": {"uuid": str(scenario.uuid), "name": scenario.name, "parameters": scenario.parameters},
        "plan": scenario.result,
        "greedy": scenario.greedy,
        "improvement_over_greedy": improvement_over_greedy(scenario.result, scenario.greedy),
    }
    Path(args.json).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}")
