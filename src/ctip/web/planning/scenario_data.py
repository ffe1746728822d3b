"""Reads of a plan scenario for its page, the comparison and the API: figures computed from the stored
sessions (which the user may have edited since the last solve) and from the last solve's result.

Costs, seats and trainer shares are counted from the sessions as they are now; the objective, the gap and
the unmet needs are the last solve's (the page says when the sessions changed since).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ctip.core.planning.model import Parameters, UnmetReason, year_of
from ctip.web.planning.models import (
    SCENARIO_STATUS_CHOICES,
    PlanScenario,
    PlanSegment,
    PlanSession,
    TrainingModule,
)
from ctip.web.planning.services.scenarios import (
    improvement_over_greedy,
    scenario_parameters,
    scenario_sessions,
)

UNMET_REASON_LABELS = {
    UnmetReason.BUDGET.value: _("budget"),
    UnmetReason.TRAINERS.value: _("trainer time"),
    UnmetReason.PREREQUISITE.value: _("prerequisite"),
    UnmetReason.CAPACITY.value: _("sessions per location"),
    UnmetReason.NO_MODULE.value: _("no module offered there"),
    UnmetReason.LOWER_PRIORITY.value: _("other needs came first"),
}


@dataclass(frozen=True)
class SessionRow:
    session: PlanSession
    year: int
    participants: int
    female: int
    male: int
    cost: float
    serves: tuple[tuple[str, str, int], ...]
    """(segment, competency, people) from the last solve, when the session is still as the solver made it."""


@dataclass(frozen=True)
class YearFigures:
    year: int
    budget: float
    cost: float
    sessions: int
    national_sessions: int
    female: int
    male: int

    @property
    def national_share(self) -> float | None:
        return self.national_sessions / self.sessions if self.sessions else None

    @property
    def budget_used(self) -> float | None:
        return self.cost / self.budget if self.budget else None


@dataclass(frozen=True)
class ScenarioFigures:
    scenario: PlanScenario
    parameters: Parameters
    rows: tuple[SessionRow, ...]
    years: tuple[YearFigures, ...]
    objective: float | None
    greedy_objective: float | None
    improvement: float | None
    gap: float | None
    solve_seconds: float | None
    unmet_by_reason: Mapping[str, int]
    unmet: tuple[Mapping[str, Any], ...]
    conflicts: tuple[str, ...]
    notes: tuple[str, ...]
    seats_by_location: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def last_status_label(self) -> str:
        """The status of the last solve (the scenario's own status turns to "not solved" after an edit)."""
        status = (self.scenario.result or {}).get("status")
        return str(dict(SCENARIO_STATUS_CHOICES).get(status, "")) if status else ""

    @property
    def total_cost(self) -> float:
        return sum(year.cost for year in self.years)

    @property
    def total_budget(self) -> float:
        return sum(year.budget for year in self.years)

    @property
    def sessions(self) -> int:
        return len(self.rows)

    @property
    def female(self) -> int:
        return sum(year.female for year in self.years)

    @property
    def male(self) -> int:
        return sum(year.male for year in self.years)

    @property
    def women_share(self) -> float | None:
        total = self.female + self.male
        return self.female / total if total else None

    @property
    def locked(self) -> int:
        return sum(1 for row in self.rows if row.session.locked)


def session_cost(module: TrainingModule, location: str, participants: int) -> float:
    costs = (module.costs or {}).get(location) or {}
    return float(costs.get("session", 0)) + participants * float(costs.get("participant", 0))


def _key(
    module: str, location: str, quarter: int, trainer: str, seats: Sequence[Mapping[str, Any]]
) -> tuple[Any, ...]:
    return (
        module,
        location,
        quarter,
        trainer,
        tuple(sorted((str(s["segment"]), int(s.get("female", 0)), int(s.get("male", 0))) for s in seats)),
    )


def _serves_by_key(result: Mapping[str, Any]) -> dict[tuple[Any, ...], list[tuple[str, str, int]]]:
    sessions = result.get("sessions") or []
    found: dict[tuple[Any, ...], list[tuple[str, str, int]]] = {}
    for explanation in result.get("explanations") or []:
        index = explanation.get("session_index")
        if not isinstance(index, int) or not 0 <= index < len(sessions):
            continue
        session = sessions[index]
        key = _key(
            session["module"], session["location"], session["quarter"], session["trainer"], session["seats"]
        )
        found[key] = [
            (g["segment"], g["competency"], int(g["people"])) for g in explanation.get("serves") or []
        ]
    return found


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def scenario_figures(scenario: PlanScenario) -> ScenarioFigures:
    parameters = scenario_parameters(scenario)
    result: Mapping[str, Any] = scenario.result or {}
    greedy: Mapping[str, Any] = scenario.greedy or {}
    serves = _serves_by_key(result)
    rows: list[SessionRow] = []
    per_year: dict[int, Counter[str]] = defaultdict(Counter)
    cost_per_year: dict[int, float] = defaultdict(float)
    by_location: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for session in scenario_sessions(scenario):
        female = sum(int(seat.get("female", 0)) for seat in session.seats)
        male = sum(int(seat.get("male", 0)) for seat in session.seats)
        cost = session_cost(session.module, session.location, female + male)
        year = year_of(session.quarter)
        key = _key(session.module.code, session.location, session.quarter, session.trainer, session.seats)
        rows.append(SessionRow(session, year, female + male, female, male, cost, tuple(serves.get(key, ()))))
        counter = per_year[year]
        counter["sessions"] += 1
        counter["national"] += session.trainer == "national"
        counter["female"] += female
        counter["male"] += male
        cost_per_year[year] += cost
        by_location[session.location][0] += female
        by_location[session.location][1] += male
    years = tuple(
        YearFigures(
            year=year,
            budget=parameters.budget_for_year(year),
            cost=round(cost_per_year[year], 2),
            sessions=per_year[year]["sessions"],
            national_sessions=per_year[year]["national"],
            female=per_year[year]["female"],
            male=per_year[year]["male"],
        )
        for year in range(1, parameters.years + 1)
    )
    unmet = tuple(result.get("unmet") or ())
    # An infeasible solve found no plan: it has no need covered and no gap to show, only its conflicts.
    planned = bool(result) and result.get("status") != "infeasible"
    return ScenarioFigures(
        scenario=scenario,
        parameters=parameters,
        rows=tuple(rows),
        years=years,
        objective=_number(result.get("objective")) if planned else None,
        greedy_objective=_number(greedy.get("objective")) if greedy else None,
        improvement=improvement_over_greedy(result, greedy) if planned and greedy else None,
        gap=_number(result.get("gap")) if planned else None,
        solve_seconds=_number(result.get("solve_seconds")) if result else None,
        unmet_by_reason=dict(Counter(str(need.get("reason")) for need in unmet)),
        unmet=unmet,
        conflicts=tuple(result.get("conflicts") or ()),
        notes=tuple(result.get("notes") or ()),
        seats_by_location={location: (f, m) for location, (f, m) in sorted(by_location.items())},
    )


def segment_labels(scenario: PlanScenario) -> dict[str, str]:
    """Segment code → "Organisation · role group · location"."""
    return {
        segment.code: f"{segment.organisation.acronym or segment.organisation.name} · {segment.role_group} · {segment.location}"
        for segment in PlanSegment.objects.filter(workspace=scenario.workspace).select_related("organisation")
    }


def schedule_grid(figures: ScenarioFigures) -> list[tuple[TrainingModule, list[int]]]:
    """For the schedule chart on the page: each module used, with its number of sessions per quarter."""
    quarters = figures.parameters.quarters
    counts: dict[int, list[int]] = {}
    modules: dict[int, TrainingModule] = {}
    for row in figures.rows:
        module = row.session.module
        modules[module.pk] = module
        counts.setdefault(module.pk, [0] * quarters)
        if 1 <= row.session.quarter <= quarters:
            counts[module.pk][row.session.quarter - 1] += 1
    ordered = sorted(modules.values(), key=lambda module: (module.position, module.code))
    return [(module, counts[module.pk]) for module in ordered]


CONFLICT_LABELS = {
    "budget": _("budget per year"),
    "trainers": _("trainer-days per quarter"),
    "location_capacity": _("sessions per location per quarter"),
    "prerequisite": _("prerequisites (foundational first, training of trainers before cascades)"),
    "frontline_year1": _("foundational training for every frontline group in year 1"),
    "location_need_floor": _("minimum share of need covered in each location"),
    "women_seats": _("women's share of seats"),
    "national_trainers": _("share of sessions led by national trainers"),
    "locked_sessions": _("locked sessions"),
}


_SHOWN_PRECISION = {"money": 1.0, "number": 0.1, "percent": 0.001, "seconds": 0.1}
"""The smallest step each kind of comparison value is shown with (a percentage to 0.1 %)."""


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    first: float | str | None
    second: float | str | None
    kind: str
    """``money``, ``number``, ``percent``, ``seconds`` or ``text``: how the template shows the values."""

    @property
    def difference(self) -> float | None:
        if (
            self.kind == "text"
            or not isinstance(self.first, int | float)
            or not isinstance(self.second, int | float)
        ):
            return None
        if isinstance(self.first, int) and isinstance(self.second, int):
            return self.second - self.first  # counts stay whole: "−1", not "−1.0"
        difference = float(self.second) - float(self.first)
        # A difference too small to show (a gap of 0.0001 % against 0) is no difference: "±0", not "−0.0 %".
        return 0.0 if abs(difference) < _SHOWN_PRECISION.get(self.kind, 0.0) / 2 else difference


def comparison_rows(first: ScenarioFigures, second: ScenarioFigures) -> list[ComparisonRow]:
    """The figures of two scenarios side by side, in the order a planning meeting reads them."""

    def status(figures: ScenarioFigures) -> str:
        return str(figures.scenario.get_status_display())

    rows = [
        ComparisonRow(str(_("Status")), status(first), status(second), "text"),
        ComparisonRow(str(_("Weighted need covered")), first.objective, second.objective, "number"),
        ComparisonRow(str(_("Greedy baseline")), first.greedy_objective, second.greedy_objective, "number"),
        ComparisonRow(
            str(_("More than the greedy baseline")), first.improvement, second.improvement, "percent"
        ),
        ComparisonRow(str(_("Optimality gap")), first.gap, second.gap, "percent"),
        ComparisonRow(str(_("Sessions")), first.sessions, second.sessions, "number"),
        ComparisonRow(str(_("Seats: women")), first.female, second.female, "number"),
        ComparisonRow(str(_("Seats: men")), first.male, second.male, "number"),
        ComparisonRow(str(_("Women's share of seats")), first.women_share, second.women_share, "percent"),
        ComparisonRow(str(_("Total budget")), first.total_budget, second.total_budget, "money"),
        ComparisonRow(str(_("Total cost")), first.total_cost, second.total_cost, "money"),
    ]
    for index, year in enumerate(first.years):
        other = second.years[index] if index < len(second.years) else None
        rows.append(
            ComparisonRow(
                str(_("Cost, year %(year)s") % {"year": year.year}),
                year.cost,
                other.cost if other else None,
                "money",
            )
        )
        rows.append(
            ComparisonRow(
                str(_("National trainers, year %(year)s") % {"year": year.year}),
                year.national_share,
                other.national_share if other else None,
                "percent",
            )
        )
    locations = sorted(set(first.seats_by_location) | set(second.seats_by_location))
    for location in locations:
        rows.append(
            ComparisonRow(
                str(_("Seats at %(location)s") % {"location": location}),
                sum(first.seats_by_location.get(location, (0, 0))),
                sum(second.seats_by_location.get(location, (0, 0))),
                "number",
            )
        )
    reasons = sorted(set(first.unmet_by_reason) | set(second.unmet_by_reason))
    for reason in reasons:
        rows.append(
            ComparisonRow(
                str(_("Needs left unmet: %(reason)s") % {"reason": UNMET_REASON_LABELS.get(reason, reason)}),
                first.unmet_by_reason.get(reason, 0),
                second.unmet_by_reason.get(reason, 0),
                "number",
            )
        )
    return rows
