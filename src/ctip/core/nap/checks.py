"""The "comprehensive and realistic" checks panel of a NAP (issue 8, item 6).

Comprehensive: every pillar (and every Palermo-checklist item the caller lists) has at least one
activity; every output and outcome has an indicator; indicators pass the SMART checker
(:mod:`ctip.core.indicators`). Realistic: every activity has a lead agency, a timeline within the plan's
period and a cost; no agency leads more activities in one quarter than it can manage (``capacity``); the
unfunded share stays below a threshold; activities come after the ones they depend on, dependencies
exist and do not go round in a circle. The budget's marker and beneficiary warnings
(:mod:`ctip.core.nap.budget`) are added to the panel too. Every :class:`~ctip.core.nap.model.Flag` names
the path of the element to fix.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from ctip.core.errors import _
from ctip.core.indicators import Criterion, IndicatorRow, check_indicator
from ctip.core.nap.budget import budget
from ctip.core.nap.coverage import LEGAL, Citations, finding_id, is_under
from ctip.core.nap.model import (
    Activity,
    Flag,
    IndicatorRef,
    Nap,
    Outcome,
    Output,
    Pillar,
    Quarter,
    Severity,
    activities,
    walk,
)

DEFAULT_CAPACITY = 5
"""How many activities one agency can lead in a quarter before the plan looks unrealistic."""
DEFAULT_UNFUNDED_THRESHOLD = Decimal("0.3")
"""The unfunded share (of the total, per currency) above which the plan looks unrealistic."""

CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.SPECIFIC: _("specific"),
    Criterion.MEASURABLE: _("measurable"),
    Criterion.ACHIEVABLE: _("achievable"),
    Criterion.RELEVANT: _("relevant"),
    Criterion.TIME_BOUND: _("time-bound"),
}


class CheckFlag(StrEnum):
    PILLAR_WITHOUT_ACTIVITY = "pillar_without_activity"
    CHECKLIST_ITEM_WITHOUT_ACTIVITY = "checklist_item_without_activity"
    ACTIVITY_WITHOUT_LEAD = "activity_without_lead"
    ACTIVITY_WITHOUT_TIMELINE = "activity_without_timeline"
    ACTIVITY_WITHOUT_COST = "activity_without_cost"
    ACTIVITY_OUTSIDE_PERIOD = "activity_outside_period"
    OUTCOME_WITHOUT_INDICATOR = "outcome_without_indicator"
    OUTPUT_WITHOUT_INDICATOR = "output_without_indicator"
    INDICATOR_NOT_SMART = "indicator_not_smart"
    AGENCY_OVER_CAPACITY = "agency_over_capacity"
    UNFUNDED_SHARE_HIGH = "unfunded_share_high"
    SCHEDULED_BEFORE_DEPENDENCY = "scheduled_before_dependency"
    UNKNOWN_DEPENDENCY = "unknown_dependency"
    DEPENDENCY_CYCLE = "dependency_cycle"


def _quarter(quarter: Quarter) -> str:
    return f"{quarter[0]}-Q{quarter[1]}"


def indicator_row(indicator: IndicatorRef, nap: Nap) -> IndicatorRow:
    """The indicator as a row for the SMART checker: the target is the latest year's total target (or,
    when only targets by sex were given, the latest of those), and the period is the plan's."""
    totals = [target for target in indicator.targets if not target.sex]
    chosen = max(totals or list(indicator.targets), key=lambda target: target.year, default=None)
    sexes = tuple(sorted({target.sex for target in indicator.targets if target.sex}))
    return IndicatorRow(
        text=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline,
        baseline_year=indicator.baseline_year,
        target=chosen.value if chosen else None,
        target_year=chosen.year if chosen else None,
        period=f"{nap.period_start}–{nap.period_end}",
        data_source=indicator.source,
        responsible=indicator.responsible_agency,
        disaggregation=("sex",) if sexes else (),
        frequency=indicator.frequency,
        key=indicator.code,
    )


def check_nap(
    nap: Nap,
    *,
    capacity: int = DEFAULT_CAPACITY,
    unfunded_threshold: Decimal = DEFAULT_UNFUNDED_THRESHOLD,
    checklist: Mapping[str, str] | None = None,
    citations: Citations | None = None,
    language: str = "en",
    today: dt.date | None = None,
    include_budget: bool = True,
) -> tuple[Flag, ...]:
    """Every flag on the plan, errors first then warnings, each group in document order.

    ``checklist`` maps Palermo-checklist item codes (``"P15"``) to labels: an item counts as having an
    activity when an activity, an element above one, or a cost line cites ``"legal:<code>"`` in
    ``citations``. ``language`` and ``today`` are passed to the SMART checker."""
    all_activities = list(activities(nap))
    flags: list[Flag] = []
    flags += _structure_flags(nap, all_activities, language, today)
    flags += _checklist_flags(checklist or {}, citations or {}, all_activities)
    flags += _capacity_flags(all_activities, capacity)
    flags += _sequence_flags(all_activities)
    result = budget(nap)
    for currency, totals in result.by_currency.items():
        if totals.total and totals.unfunded > totals.total * unfunded_threshold:
            flags.append(
                Flag(
                    CheckFlag.UNFUNDED_SHARE_HIGH,
                    Severity.WARNING,
                    _(
                        "%(unfunded)s %(currency)s of %(total)s %(currency)s is unfunded (%(share)s per cent, "
                        "above %(threshold)s per cent): find funding, phase the activities, or cut costs."
                    ),
                    {
                        "unfunded": totals.unfunded,
                        "total": totals.total,
                        "currency": currency,
                        "share": _percent(totals.unfunded_share or Decimal(0)),
                        "threshold": _percent(unfunded_threshold),
                    },
                )
            )
    if include_budget:
        flags += result.warnings
    return tuple(sorted(flags, key=lambda flag: flag.severity is not Severity.ERROR))


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"


def _structure_flags(
    nap: Nap, all_activities: list[tuple[str, Activity]], language: str, today: dt.date | None
) -> list[Flag]:
    flags: list[Flag] = []
    for path, element in walk(nap):
        code = {"code": element.code}
        if isinstance(element, Pillar):
            if not any(is_under(a_path, path) for a_path, _activity in all_activities):
                flags.append(
                    Flag(
                        CheckFlag.PILLAR_WITHOUT_ACTIVITY,
                        Severity.ERROR,
                        _("Pillar %(code)s (%(name)s) has no activity: add at least one."),
                        {"code": element.code, "name": element.name},
                        path,
                    )
                )
        elif isinstance(element, (Outcome, Output)) and not element.indicators:
            is_output = isinstance(element, Output)
            flags.append(
                Flag(
                    CheckFlag.OUTPUT_WITHOUT_INDICATOR if is_output else CheckFlag.OUTCOME_WITHOUT_INDICATOR,
                    Severity.ERROR if is_output else Severity.WARNING,
                    _("Output %(code)s has no indicator: add one to know when it is delivered.")
                    if is_output
                    else _("Outcome %(code)s has no indicator: add one to know whether it is achieved."),
                    code,
                    path,
                )
            )
        elif isinstance(element, IndicatorRef):
            check = check_indicator(indicator_row(element, nap), language=language, today=today)
            if not check.passed:
                failed = [verdict for verdict in check.verdicts if not verdict.passed]
                flags.append(
                    Flag(
                        CheckFlag.INDICATOR_NOT_SMART,
                        Severity.ERROR,
                        _("Indicator %(code)s is not SMART: it fails on %(criteria)s (%(reason)s)."),
                        {
                            "code": element.code,
                            "criteria": ", ".join(CRITERION_LABELS[v.criterion] for v in failed),
                            "reason": next(
                                f.message for v in failed for f in v.findings if f.severity == "error"
                            ),
                            "rules": tuple(sorted(check.rule_ids())),
                        },
                        path,
                    )
                )
        elif isinstance(element, Activity):
            flags += _activity_flags(nap, path, element)
    return flags


def _activity_flags(nap: Nap, path: str, activity: Activity) -> list[Flag]:
    flags: list[Flag] = []
    code = {"code": activity.code}
    if not activity.lead_agency.strip():
        flags.append(
            Flag(
                CheckFlag.ACTIVITY_WITHOUT_LEAD,
                Severity.ERROR,
                _("Activity %(code)s has no lead agency: name the agency accountable for it."),
                code,
                path,
            )
        )
    if not activity.timeline:
        flags.append(
            Flag(
                CheckFlag.ACTIVITY_WITHOUT_TIMELINE,
                Severity.ERROR,
                _("Activity %(code)s has no timeline: tick the quarters it runs in."),
                code,
                path,
            )
        )
    else:
        outside = sorted(q for q in activity.timeline if q[0] not in nap.years)
        if outside:
            flags.append(
                Flag(
                    CheckFlag.ACTIVITY_OUTSIDE_PERIOD,
                    Severity.WARNING,
                    _(
                        "Activity %(code)s is scheduled in %(quarters)s, outside the plan's period %(start)s–%(end)s."
                    ),
                    {
                        "code": activity.code,
                        "quarters": ", ".join(_quarter(q) for q in outside),
                        "start": nap.period_start,
                        "end": nap.period_end,
                    },
                    path,
                )
            )
    if not activity.cost_lines:
        flags.append(
            Flag(
                CheckFlag.ACTIVITY_WITHOUT_COST,
                Severity.ERROR,
                _(
                    "Activity %(code)s has no cost: add its cost lines (a zero-cost line if it costs nothing)."
                ),
                code,
                path,
            )
        )
    return flags


def _checklist_flags(
    checklist: Mapping[str, str], citations: Citations, all_activities: list[tuple[str, Activity]]
) -> list[Flag]:
    flags: list[Flag] = []
    for item, label in checklist.items():
        citing = [path for path, ids in citations.items() if finding_id(LEGAL, item) in ids]
        covered = any(
            is_under(a_path, cited) or is_under(cited, a_path)
            for cited in citing
            for a_path, _activity in all_activities
        )
        if not covered:
            flags.append(
                Flag(
                    CheckFlag.CHECKLIST_ITEM_WITHOUT_ACTIVITY,
                    Severity.WARNING,
                    _(
                        "Checklist item %(code)s (%(label)s) has no activity: add one, or cite the item from one."
                    ),
                    {"code": item, "label": label},
                    citing[0] if citing else "",
                )
            )
    return flags


def _capacity_flags(all_activities: list[tuple[str, Activity]], capacity: int) -> list[Flag]:
    led: dict[tuple[str, Quarter], list[tuple[str, Activity]]] = defaultdict(list)
    for path, activity in all_activities:
        agency = activity.lead_agency.strip()
        if agency:
            for quarter in sorted(set(activity.timeline)):
                led[(agency, quarter)].append((path, activity))
    return [
        Flag(
            CheckFlag.AGENCY_OVER_CAPACITY,
            Severity.WARNING,
            _(
                "%(agency)s leads %(count)s activities in %(quarter)s (%(activities)s), more than the "
                "%(capacity)s it can manage: spread them over other quarters or share the lead."
            ),
            {
                "agency": agency,
                "count": len(items),
                "quarter": _quarter(quarter),
                "activities": ", ".join(activity.code for _path, activity in items),
                "capacity": capacity,
            },
            items[capacity][0],
        )
        for (agency, quarter), items in sorted(led.items(), key=lambda entry: (entry[0][1], entry[0][0]))
        if len(items) > capacity
    ]


def _sequence_flags(all_activities: list[tuple[str, Activity]]) -> list[Flag]:
    by_code = {activity.code: (path, activity) for path, activity in all_activities}
    flags: list[Flag] = []
    for path, activity in all_activities:
        for dependency in activity.depends_on:
            if dependency not in by_code:
                flags.append(
                    Flag(
                        CheckFlag.UNKNOWN_DEPENDENCY,
                        Severity.ERROR,
                        _(
                            "Activity %(code)s depends on %(dependency)s, which is not in the plan: correct the code."
                        ),
                        {"code": activity.code, "dependency": dependency},
                        path,
                    )
                )
                continue
            before = by_code[dependency][1]
            if activity.start and before.start and activity.start < before.start:
                flags.append(
                    Flag(
                        CheckFlag.SCHEDULED_BEFORE_DEPENDENCY,
                        Severity.ERROR,
                        _(
                            "Activity %(code)s starts in %(start)s, before %(dependency)s, which it depends "
                            "on, starts in %(dependency_start)s: move it later or move %(dependency)s earlier."
                        ),
                        {
                            "code": activity.code,
                            "start": _quarter(activity.start),
                            "dependency": dependency,
                            "dependency_start": _quarter(before.start),
                        },
                        path,
                    )
                )
    for cycle in dependency_cycles({code: activity.depends_on for code, (_p, activity) in by_code.items()}):
        flags.append(
            Flag(
                CheckFlag.DEPENDENCY_CYCLE,
                Severity.ERROR,
                _(
                    "Activities depend on each other in a circle (%(cycle)s): remove one of these dependencies."
                ),
                {"cycle": " → ".join((*cycle, cycle[0]))},
                by_code[cycle[0]][0],
            )
        )
    return flags


def dependency_cycles(graph: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The circles in ``graph`` (code → codes it depends on), each once, starting from its code that
    comes first in ``graph``'s order. Unknown codes are ignored. Depth-first search with colours."""
    order = {code: index for index, code in enumerate(graph)}
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    seen: set[frozenset[str]] = set()

    def visit(code: str) -> None:
        state[code] = 1
        stack.append(code)
        for dependency in graph[code]:
            if dependency not in graph:
                continue
            if state.get(dependency) == 1:
                cycle = stack[stack.index(dependency) :]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
                    found.append(tuple(cycle[first:] + cycle[:first]))
            elif dependency not in state:
                visit(dependency)
        stack.pop()
        state[code] = 2

    for code in graph:
        if code not in state:
            visit(code)
    return found
