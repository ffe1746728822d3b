"""The training programme in figures: every delivered or reported event's results (``.results``), pooled
over the programme, set against the adopted capacity plan (sessions planned by module and location against
the events held), with recommendations for the next year generated from the data.

The capacity development report (DOCX and PPTX), its page and the API read this one structure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.errors import DomainError
from ctip.core.training.model import EventStatus
from ctip.core.training.surveys import summarise_follow_up, summarise_reactions
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import PlanScenario, PlanSession, TrainingModule
from ctip.web.trainings.models import EventModule, TrainingEvent
from ctip.web.trainings.services.results import (
    HELD_STATUSES,
    MIN_GROUP,
    NOT_STATED,
    EventResults,
    PassSummary,
    event_results,
)

__all__ = ["ProgrammeResults", "programme_results"]

POOLED_GROUP_BY = ("sex", "organisation", "location")


@dataclass(frozen=True)
class EventLine:
    event: TrainingEvent
    modules: tuple[TrainingModule, ...]
    results: EventResults


@dataclass(frozen=True)
class PlanCell:
    """One module at one training location: the adopted plan's sessions and seats against the events
    held (delivered or reported) and those still to come."""

    module: TrainingModule | None
    module_code: str
    location: str
    planned: int
    due: int
    """Planned sessions whose quarter has ended by today."""
    planned_female: int
    planned_male: int
    held: int
    upcoming: int
    """Events planned or prepared, not yet delivered."""
    trained_female: int
    trained_male: int
    trained_total: int
    """Participants present at least one day (including those whose sex was not recorded)."""


@dataclass(frozen=True)
class ModuleGain:
    module: TrainingModule | None
    module_code: str
    events: int
    learning: Mapping[str, Any] | None
    """The ``overall`` group of the pooled evaluation of the module's events (scores in per cent)."""
    passing: PassSummary


@dataclass(frozen=True)
class Totals:
    """Rows of a breakdown: value → (registered, present at least one day)."""

    rows: Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class ProgrammeResults:
    workspace: Workspace
    language: str
    events: tuple[EventLine, ...]
    upcoming: int
    cancelled: int
    scenario_name: str | None
    plan: tuple[PlanCell, ...]
    by_sex: Totals
    by_organisation: Totals
    by_location: Totals
    pooled: Mapping[str, Any] | None
    pooled_missing: str
    modules: tuple[ModuleGain, ...]
    passing: PassSummary
    reactions: Mapping[str, Any]
    follow_up: Mapping[str, Any]
    item_flags: tuple[tuple[str, str, str], ...]
    """(event code, item code, reason: ``negative_item_rest`` or ``negative_discrimination``)."""
    no_attendance: tuple[str, ...]
    """Codes of held events with no attendance recorded."""

    @property
    def registered(self) -> int:
        return sum(registered for registered, _present in self.by_sex.rows.values())

    @property
    def trained(self) -> int:
        return sum(present for _registered, present in self.by_sex.rows.values())

    def trained_by_sex(self, sex: str) -> int:
        return self.by_sex.rows.get(sex, (0, 0))[1]

    def module_title(self, module: TrainingModule | None, code: str) -> str:
        if module is None:
            return code
        if self.language.startswith("fr"):
            return module.title_fr or module.title_en
        return module.title_en

    def plan_by(self, key: str) -> list[PlanCell]:
        """The plan cells summed by ``location`` or by ``module``."""
        found: dict[str, list[Any]] = {}
        for cell in self.plan:
            name = cell.location if key == "location" else cell.module_code
            if name not in found:
                found[name] = [cell.module if key == "module" else None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            row = found[name]
            for index, value in enumerate(
                (
                    cell.planned,
                    cell.due,
                    cell.planned_female,
                    cell.planned_male,
                    cell.held,
                    cell.upcoming,
                    cell.trained_female,
                    cell.trained_male,
                    cell.trained_total,
                ),
                start=1,
            ):
                row[index] += value
        return [
            PlanCell(
                module=row[0],
                module_code=name if key == "module" else "",
                location=name if key == "location" else "",
                planned=row[1],
                due=row[2],
                planned_female=row[3],
                planned_male=row[4],
                held=row[5],
                upcoming=row[6],
                trained_female=row[7],
                trained_male=row[8],
                trained_total=row[9],
            )
            for name, row in sorted(found.items(), key=lambda item: item[0].casefold())
        ]


# --- The plan --------------------------------------------------------------------------------------------


def quarter_end(workspace: Workspace, quarter: int) -> dt.date:
    """The last day of plan quarter ``quarter`` (quarter 1 starts with the plan's first fiscal year)."""
    months = workspace.fiscal_year_start_month - 1 + 3 * quarter
    return dt.date(workspace.plan_start_year + months // 12, months % 12 + 1, 1) - dt.timedelta(days=1)


def _module_codes(events: Sequence[TrainingEvent]) -> dict[int, list[TrainingModule]]:
    found: dict[int, list[TrainingModule]] = defaultdict(list)
    for link in (
        EventModule.objects.filter(event__in=list(events)).select_related("module").order_by("position", "id")
    ):
        found[link.event_id].append(link.module)
    return found


def _plan(
    workspace: Workspace,
    lines: Sequence[EventLine],
    upcoming: Sequence[TrainingEvent],
    modules_of: Mapping[int, Sequence[TrainingModule]],
) -> tuple[str | None, list[PlanCell]]:
    scenario = (
        PlanScenario.objects.filter(workspace=workspace, is_adopted=True).order_by("created_at").first()
    )
    today = timezone.localdate()
    cells: dict[tuple[str, str], dict[str, Any]] = {}

    def cell(module: TrainingModule | None, code: str, location: str) -> dict[str, Any]:
        key = (code, location)
        if key not in cells:
            cells[key] = defaultdict(int, module=module)
        return cells[key]

    if scenario is not None:
        for session in PlanSession.objects.filter(scenario=scenario).select_related("module"):
            found = cell(session.module, session.module.code, session.location)
            found["planned"] += 1
            found["due"] += int(quarter_end(workspace, session.quarter) < today)
            for seat in session.seats or []:
                if isinstance(seat, Mapping):
                    found["planned_female"] += int(seat.get("female") or 0)
                    found["planned_male"] += int(seat.get("male") or 0)
    for line in lines:
        attendance = line.results.attendance.attended
        for module in line.modules:
            found = cell(module, module.code, line.event.location)
            found["held"] += 1
            found["trained_female"] += attendance.get("female", 0)
            found["trained_male"] += attendance.get("male", 0)
            found["trained_total"] += attendance.get("total", 0)
    for event in upcoming:
        for module in modules_of.get(event.pk, []):
            cell(module, module.code, event.location)["upcoming"] += 1
    ordered = sorted(
        cells.items(),
        key=lambda item: (
            item[1]["module"].position if item[1]["module"] is not None else 0,
            item[0][0],
            item[0][1].casefold(),
        ),
    )
    return (
        scenario.name if scenario is not None else None,
        [
            PlanCell(
                module=values["module"],
                module_code=code,
                location=location,
                planned=values["planned"],
                due=values["due"],
                planned_female=values["planned_female"],
                planned_male=values["planned_male"],
                held=values["held"],
                upcoming=values["upcoming"],
                trained_female=values["trained_female"],
                trained_male=values["trained_male"],
                trained_total=values["trained_total"],
            )
            for (code, location), values in ordered
        ],
    )


# --- Pooling ---------------------------------------------------------------------------------------------


def _pooled(lines: Sequence[EventLine], group_by: Sequence[str]) -> Mapping[str, Any]:
    """The pre/post evaluation over several events: scores in per cent of each event's form, participants
    identified by event and code."""
    from ctip.core.evaluation import evaluate_prepost

    pre: dict[str, float] = {}
    post: dict[str, float] = {}
    attributes: dict[str, dict[str, str]] = {}
    for line in lines:
        for row in line.results.participants:
            key = f"{line.event.code}:{row.code}"
            if row.pre is not None:
                pre[key] = row.pre.percent
            if row.post is not None:
                post[key] = row.post.percent
            attributes[key] = {
                "sex": row.sex or NOT_STATED,
                "organisation": row.organisation or NOT_STATED,
                "location": line.event.location,
            }
    report = evaluate_prepost(
        pre, post, max_score=100.0, attributes=attributes, group_by=tuple(group_by), min_n=MIN_GROUP
    )
    return report.to_json()


def _passing(lines: Sequence[EventLine]) -> PassSummary:
    by_sex: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        for sex, (takers, passed) in line.results.passing.by_sex.items():
            by_sex[sex][0] += takers
            by_sex[sex][1] += passed
    return PassSummary(
        takers=sum(line.results.passing.takers for line in lines),
        passed=sum(line.results.passing.passed for line in lines),
        by_sex={sex: (counts[0], counts[1]) for sex, counts in by_sex.items()},
    )


def _has_both(lines: Sequence[EventLine]) -> bool:
    return any(line.results.pre_takers for line in lines) and any(line.results.post_takers for line in lines)


def _module_gains(lines: Sequence[EventLine]) -> list[ModuleGain]:
    by_module: dict[str, list[EventLine]] = defaultdict(list)
    modules: dict[str, TrainingModule] = {}
    for line in lines:
        for module in line.modules:
            by_module[module.code].append(line)
            modules[module.code] = module
    gains = []
    for code in sorted(by_module, key=lambda c: (modules[c].position, c)):
        chosen = by_module[code]
        learning = None
        if _has_both(chosen):
            try:
                learning = _pooled(chosen, ()).get("overall")
            except DomainError:
                learning = None
        gains.append(ModuleGain(modules[code], code, len(chosen), learning, _passing(chosen)))
    return gains


def _breakdowns(lines: Sequence[EventLine]) -> tuple[Totals, Totals, Totals]:
    sex: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    organisation: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    location: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        for row in line.results.participants:
            for found, value in (
                (sex, row.sex or NOT_STATED),
                (organisation, row.organisation or NOT_STATED),
                (location, row.location or line.event.location),
            ):
                found[value][0] += 1
                found[value][1] += int(row.attended)

    def totals(found: Mapping[str, list[int]]) -> Totals:
        ordered = sorted(found.items(), key=lambda item: (-item[1][1], -item[1][0], item[0].casefold()))
        return Totals({name: (counts[0], counts[1]) for name, counts in ordered})

    return totals(sex), totals(organisation), totals(location)


def _item_flags(lines: Sequence[EventLine]) -> list[tuple[str, str, str]]:
    flags = []
    for line in lines:
        report = line.results.items or {}
        for item in report.get("items") or []:
            if not isinstance(item, Mapping):
                continue
            item_rest = item.get("item_rest_r")
            discrimination = item.get("discrimination_ul")
            if isinstance(item_rest, int | float) and item_rest < 0:
                flags.append((line.event.code, str(item.get("code")), "negative_item_rest"))
            elif isinstance(discrimination, int | float) and discrimination < 0:
                flags.append((line.event.code, str(item.get("code")), "negative_discrimination"))
    return flags


def programme_results(workspace: Workspace, *, language: str = "en") -> ProgrammeResults:
    """The programme's figures over every delivered or reported event of ``workspace``."""
    events = list(TrainingEvent.objects.filter(workspace=workspace).order_by("start_date", "code"))
    held = [event for event in events if event.status in HELD_STATUSES]
    upcoming = [
        event for event in events if event.status in (EventStatus.PLANNED.value, EventStatus.PREPARED.value)
    ]
    modules_of = _module_codes(events)
    lines = [
        EventLine(event, tuple(modules_of.get(event.pk, [])), event_results(event, language=language))
        for event in held
    ]
    scenario_name, plan = _plan(workspace, lines, upcoming, modules_of)
    by_sex, by_organisation, by_location = _breakdowns(lines)
    pooled = None
    missing = ""
    if not lines:
        missing = _("No training has been delivered yet.")
    elif not _has_both(lines):
        missing = _("No delivered training has both pre-test and post-test results yet.")
    else:
        try:
            pooled = _pooled(lines, POOLED_GROUP_BY)
        except DomainError as error:
            missing = error.render(_)
    reactions = [answers for line in lines for answers in line.results.reaction_responses]
    follow_ups = [answers for line in lines for answers in line.results.follow_up_responses]
    return ProgrammeResults(
        workspace=workspace,
        language=language,
        events=tuple(lines),
        upcoming=len(upcoming),
        cancelled=sum(1 for event in events if event.status == EventStatus.CANCELLED.value),
        scenario_name=scenario_name,
        plan=tuple(plan),
        by_sex=by_sex,
        by_organisation=by_organisation,
        by_location=by_location,
        pooled=pooled,
        pooled_missing=missing,
        modules=tuple(_module_gains(lines)),
        passing=_passing(lines),
        reactions=summarise_reactions(reactions),
        follow_up=summarise_follow_up(follow_ups),
        item_flags=tuple(_item_flags(lines)),
        no_attendance=tuple(
            line.event.code
            for line in lines
            if line.results.participants and not any(day.recorded for day in line.results.attendance.days)
        ),
    )
