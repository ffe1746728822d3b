"""``ctip plan solve`` and ``ctip plan generate``: the capacity plan optimizer on instance files, no database.

``solve`` reads a planning instance (the JSON format of docs/planning-instance.md), computes the greedy
baseline and the optimal plan (HiGHS) in the same run, shows the solver's progress on standard error and
prints a summary; ``--json`` writes both plans. ``generate`` writes one of the seeded benchmark instances.
Exit status: 0 solved, 2 bad input (the message names the JSON path), 3 no plan keeps every constraint
(the message names the constraint groups that conflict), 4 no plan found within the time limit. Kept apart from :mod:`ctip.cli`: it never sets
Django up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ctip.core.errors import DomainError, ErrorCode

if TYPE_CHECKING:
    from ctip.core.planning.model import Instance, Plan

EXIT_INFEASIBLE = 3
EXIT_NO_PLAN = 4
TOP_UNMET = 10
PROGRESS_EVERY = 1.0  # seconds between progress lines when standard error is not a terminal


def add_parser(commands: Any) -> Any:
    """Add ``plan`` (with ``solve`` and ``generate``) to the ``ctip`` commands; returns the ``plan``
    subcommands, so that others (``ctip plan optimize``) can be added beside them."""
    plan = commands.add_parser(
        "plan", help="capacity development plan: optimise training sessions on instance files (no database)"
    )
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    solve = actions.add_parser(
        "solve",
        help="optimise a planning instance file and compare with the greedy baseline",
        description="Choose training sessions (module × location × quarter) and seats for each staff "
        "segment over the plan's quarters, maximising the weighted need covered under the budget, "
        "trainer-days, sessions per location, prerequisites and floors of the instance (HiGHS). The greedy "
        "baseline is computed in the same run. Progress goes to standard error, a summary to standard "
        "output; --json writes both plans. Exit status: 0 solved, 2 bad input, 3 infeasible (the "
        "conflicting constraint groups are named), 4 no plan found within the time limit. The file format is in docs/planning-instance.md.",
    )
    solve.add_argument("instance", metavar="INSTANCE.json", help="the planning instance (ctip-plan-instance)")
    solve.add_argument(
        "--json", metavar="OUT.json", help="write the plans as JSON to this file ('-': stdout)"
    )
    solve.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds for the optimizer (default: 60)"
    )
    solve.add_argument(
        "--gap",
        type=float,
        default=0.005,
        metavar="G",
        help="stop when proven within this relative gap of the optimum (default: 0.005, i.e. 0.5 %%)",
    )
    solve.add_argument("--no-greedy", action="store_true", help="skip the greedy baseline")
    solve.add_argument("--quiet", action="store_true", help="no progress display")
    solve.set_defaults(handler=cmd_plan_solve, uses_database=False)
    generate = actions.add_parser(
        "generate",
        help="write a seeded benchmark instance",
        description="Write a seeded random planning instance: 'national' (30 segments, 40 modules, "
        "12 quarters, 3 locations including a remote island) or 'regional' (five countries' worth). The "
        "same seed gives the same file.",
    )
    generate.add_argument("--preset", choices=["national", "regional"], required=True)
    generate.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    generate.add_argument("--out", required=True, metavar="FILE.json", help="the instance file to write")
    generate.set_defaults(handler=cmd_plan_generate, uses_database=False)
    return actions


def cmd_plan_generate(args: argparse.Namespace) -> int:
    from ctip.core.planning.generator import generate_preset
    from ctip.core.planning.instance_json import instance_to_json

    instance = generate_preset(args.preset, seed=args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(instance_to_json(instance), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(
        f"Wrote {out}: {len(instance.modules)} modules, {len(instance.segments)} segments, "
        f"{len(instance.demands)} needs, {len(instance.locations)} locations, "
        f"{instance.parameters.quarters} quarters."
    )
    return 0


def read_instance(path: Path) -> Instance:
    """The instance in ``path``; DomainError (exit 2) naming the JSON path or the line of bad JSON."""
    from ctip.core.planning.instance_json import instance_from_json

    if not path.is_file():
        raise DomainError(ErrorCode.NOT_FOUND, f"INSTANCE: there is no file at {path}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE, f"{path}: not a UTF-8 text file ({error.reason})."
        ) from error
    except json.JSONDecodeError as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).",
        ) from error
    return instance_from_json(data)


@contextlib.contextmanager
def solver_output_hidden() -> Iterator[None]:
    """Send whatever the native solver library writes to standard output (its banner) to /dev/null."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (e.g. captured in a test): nothing native to hide
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


class ProgressLine:
    """Elapsed time, incumbent, best bound and gap on standard error: one line redrawn on a terminal, a
    line a second otherwise."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.terminal = stream.isatty()
        self.last = -math.inf
        self.drawn = False

    def __call__(self, seconds: float, incumbent: float, bound: float, gap: float) -> None:
        if not self.enabled:
            return
        if not self.terminal and seconds - self.last < PROGRESS_EVERY:
            return
        self.last = seconds
        text = (
            f"  optimising: {seconds:6.1f} s   plan {_figure(incumbent)}   bound {_figure(bound)}   "
            f"gap {_percent(gap)}"
        )
        if self.terminal:
            self.stream.write("\r" + text.ljust(78))
            self.drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.done()
            self.stream.write(text + "\n")
            self.stream.flush()

    def done(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _figure(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:,.1f}"


def _percent(value: float) -> str:
    return "—" if value is None or math.isnan(value) or math.isinf(value) else f"{100 * value:.2f} %"


def improvement(plan: Plan, greedy: Plan | None) -> float | None:
    """How much more weighted need the optimizer covers than the greedy plan (0.25 = 25 % more)."""
    if greedy is None or not plan.sessions or greedy.objective <= 0:
        return None
    return plan.objective / greedy.objective - 1.0


def cmd_plan_solve(args: argparse.Namespace) -> int:
    from ctip.core.planning import solve, solve_greedy
    from ctip.core.planning.explain import conflict_message
    from ctip.core.planning.instance_json import plan_to_json
    from ctip.core.planning.model import PlanStatus

    if args.time_limit <= 0:
        raise DomainError(ErrorCode.INVALID_VALUE, "--time-limit: give a number of seconds above 0.")
    if not 0 <= args.gap < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE, "--gap: give a relative gap from 0 to less than 1 (e.g. 0.005)."
        )
    instance = read_instance(Path(args.instance))
    summary_out = sys.stderr if args.json == "-" else sys.stdout
    line = ProgressLine(sys.stderr, enabled=not args.quiet)
    greedy = None
    with solver_output_hidden():
        if not args.no_greedy:
            line.note("Greedy baseline …")
            greedy = solve_greedy(instance)
        line.note(f"Optimising with HiGHS (time limit {args.time_limit:g} s, gap {_percent(args.gap)}) …")
        started = time.perf_counter()
        plan = solve(
            instance,
            time_limit=args.time_limit,
            mip_gap=args.gap,
            progress=line,
            fallback=greedy.sessions if greedy is not None else None,
        )
        line.done()
    gain = improvement(plan, greedy)
    if args.json:
        document = {
            "instance": instance.name,
            "plan": plan_to_json(plan),
            "greedy": plan_to_json(greedy) if greedy is not None else None,
            "improvement_over_greedy": gain,
        }
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            out = Path(args.json)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    if plan.status is PlanStatus.INFEASIBLE:
        template, params = conflict_message(plan.conflicts)
        print(f"error: {template % params}", file=sys.stderr)
        print(f"  (no plan found in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
        return EXIT_INFEASIBLE
    if plan.status is PlanStatus.TIME_LIMIT:
        print(
            f"error: no plan found within the time limit ({args.time_limit:g} s) and none proven impossible; "
            "give more time with --time-limit.",
            file=sys.stderr,
        )
        return EXIT_NO_PLAN
    print_summary(instance, plan, greedy, gain, summary_out)
    if args.json and args.json != "-":
        print(f"Wrote the plans to {args.json}.", file=summary_out)
    return 0


def print_summary(
    instance: Instance, plan: Plan, greedy: Plan | None, gain: float | None, out: TextIO
) -> None:
    from ctip.core.planning.explain import UNMET_REASON_LABELS
    from ctip.core.planning.model import PlanStatus, TrainerOrigin, year_of

    parameters = instance.parameters
    write = out.write
    write(
        f"Instance: {instance.name or '(no name)'} — {len(instance.modules)} modules, "
        f"{len(instance.segments)} segments, {len(instance.demands)} needs, {len(instance.locations)} "
        f"locations, {parameters.quarters} quarters\n"
    )
    status = {
        PlanStatus.OPTIMAL: "optimal (proven within the requested gap)",
        PlanStatus.FEASIBLE: "feasible (time limit reached before the gap was proven)",
        PlanStatus.ROUNDING_BROKE: "BROKEN: the plan breaks " + ", ".join(plan.notes),
    }.get(plan.status, plan.status.value)
    if "fallback" in plan.notes:
        status += "; the solver found no plan in time, this is the greedy plan"
    write(f"Status: {status}\n")
    write(
        f"Weighted need covered: {_figure(plan.objective)} (best bound {_figure(plan.best_bound)}, "
        f"gap {_percent(plan.gap)})\n"
    )
    write(f"Solve time: {plan.solve_seconds:.1f} s\n")
    if greedy is not None:
        missed = f", misses {', '.join(greedy.notes)}" if greedy.notes else ""
        write(
            f"Greedy baseline: {_figure(greedy.objective)} ({greedy.solve_seconds:.1f} s{missed}); the optimizer "
            f"covers {_percent(gain) if gain is not None else '—'} more\n"
        )
    write("By year:\n")
    for year, cost in enumerate(plan.cost_by_year, start=1):
        sessions = [session for session in plan.sessions if year_of(session.quarter) == year]
        national = sum(1 for session in sessions if session.trainer is TrainerOrigin.NATIONAL)
        people = sum(session.participants for session in sessions)
        write(
            f"  year {year}: cost {cost:,.0f} of {parameters.budget_for_year(year):,.0f}; {len(sessions)} "
            f"sessions ({national} led by national trainers), {people:,} seats\n"
        )
    reasons = Counter(need.reason for need in plan.unmet)
    write(f"Needs not fully met: {len(plan.unmet)} of {len(instance.demands)}")
    if reasons:
        write(
            " ("
            + ", ".join(f"{UNMET_REASON_LABELS[reason]}: {count}" for reason, count in reasons.most_common())
            + ")"
        )
    write("\n")
    weights = {(demand.segment, demand.competency): demand.weight for demand in instance.demands}
    top = sorted(
        plan.unmet,
        key=lambda need: (
            -weights[(need.segment, need.competency)] * (need.staff - need.covered),
            need.segment,
        ),
    )[:TOP_UNMET]
    for need in top:
        write(
            f"  {need.segment} × {need.competency}: {need.covered} of {need.staff} trained — "
            f"{UNMET_REASON_LABELS[need.reason]}\n"
        )
