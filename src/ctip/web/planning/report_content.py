"""What the capacity development plan's documents are built from: one scenario's sessions as they are now
(costs, seats and trainer shares counted from them), its last solve's result (status, gap, unmet needs), the
catalogue, the segments and their demand, the TNA's top priorities (when there are survey answers) and the
M&E framework (when the monitoring app provides it).

Call :func:`plan_report_data` inside ``translation.override(language)``: labels are translated when they
are read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ctip.core.errors import DomainError
from ctip.core.planning.model import Parameters, UnmetReason, year_of
from ctip.core.stakeholders import PILLAR_LABELS
from ctip.web.accounts.models import Workspace
from ctip.web.monitoring.selectors import FrameworkRow, framework_rows
from ctip.web.needs.data import analysis_for, default_instrument
from ctip.web.needs.report_content import ABSENT, number
from ctip.web.planning.models import DemandRow, PlanScenario, PlanSegment, PlanSession, TrainingModule
from ctip.web.tna.services import instrument_of

TOP_PRIORITIES = 5
"""How many of the TNA's largest needs the rationale lists."""
NATIONAL = "national"


@dataclass(frozen=True)
class SessionLine:
    number: int
    module: TrainingModule
    location: str
    quarter: int
    trainer: str
    """``national`` or ``international``."""
    seats: tuple[tuple[str, int, int], ...]
    """(segment code, women, men)."""
    cost_per_session: float
    cost_per_participant: float

    @property
    def year(self) -> int:
        return year_of(self.quarter)

    @property
    def female(self) -> int:
        return sum(seat[1] for seat in self.seats)

    @property
    def male(self) -> int:
        return sum(seat[2] for seat in self.seats)

    @property
    def participants(self) -> int:
        return self.female + self.male

    @property
    def cost(self) -> float:
        return self.cost_per_session + self.participants * self.cost_per_participant


@dataclass(frozen=True)
class Priority:
    """One of the TNA's largest needs."""

    code: str
    title: str
    mwds: float | None
    share_with_need: float | None


@dataclass(frozen=True)
class PlanReportData:
    workspace: Workspace
    scenario: PlanScenario
    language: str
    parameters: Parameters
    sessions: tuple[SessionLine, ...]
    modules: tuple[TrainingModule, ...]
    """The offered modules and any module the plan uses, in catalogue order."""
    segments: tuple[PlanSegment, ...]
    demand: tuple[DemandRow, ...]
    result: Mapping[str, Any]
    priorities: tuple[Priority, ...]
    tna_note: str
    """Where the priorities come from, or why there are none (in the document's language)."""
    competency_titles: Mapping[str, str]
    framework: tuple[FrameworkRow, ...]

    # --- Labels ---

    def module_title(self, module: TrainingModule) -> str:
        return (module.title_fr or module.title_en) if self.language == "fr" else module.title_en

    def competency(self, code: str) -> str:
        title = self.competency_titles.get(code)
        return f"{code} {title}" if title else code

    def segment_label(self, code: str) -> str:
        segment = self.segment(code)
        if segment is None:
            return code
        organisation = segment.organisation.acronym or segment.organisation.name
        return f"{organisation} · {segment.role_group} · {segment.location}"

    def segment(self, code: str) -> PlanSegment | None:
        return next((segment for segment in self.segments if segment.code == code), None)

    @property
    def currency(self) -> str:
        return self.workspace.currency

    def money(self, value: float) -> str:
        return f"{number(round(value))} {self.currency}"

    # --- Time ---

    @property
    def years(self) -> int:
        last = max((session.quarter for session in self.sessions), default=0)
        return max(self.parameters.years, year_of(last) if last else 1)

    def year_label(self, year: int) -> str:
        """ "Year 1 (2026)", or "Year 1 (2026–27)" when the fiscal year does not start in January."""
        first = self.workspace.plan_start_year + year - 1
        calendar = self.workspace.fiscal_year_start_month == 1
        span = str(first) if calendar else f"{first}–{str(first + 1)[-2:]}"
        return _("Year %(year)s (%(span)s)") % {"year": year, "span": span}

    def quarter_start(self, quarter: int) -> dt.date:
        """The first day of plan quarter ``quarter`` (quarter 1 starts with the plan's first fiscal year)."""
        months = self.workspace.fiscal_year_start_month - 1 + 3 * (quarter - 1)
        return dt.date(self.workspace.plan_start_year + months // 12, months % 12 + 1, 1)

    def quarter_end(self, quarter: int) -> dt.date:
        return self.quarter_start(quarter + 1) - dt.timedelta(days=1)

    def quarter_label(self, quarter: int) -> str:
        return _("Q%(quarter)s") % {"quarter": quarter}

    # --- Figures from the sessions ---

    @property
    def pillars(self) -> tuple[tuple[str, str], ...]:
        """(code, label) of the four pillars, in the usual order."""
        return tuple((pillar.value, _(label)) for pillar, label in PILLAR_LABELS.items())

    def pillar_label(self, code: str) -> str:
        return dict(self.pillars).get(code, code or _("Not specified"))

    def budget(self, year: int) -> float:
        return self.parameters.budget_for_year(year)

    def cost_by_year(self) -> dict[int, float]:
        found = {year: 0.0 for year in range(1, self.years + 1)}
        for session in self.sessions:
            found[session.year] = found.get(session.year, 0.0) + session.cost
        return found

    def cost_by_year_and_pillar(self) -> dict[tuple[int, str], float]:
        found: dict[tuple[int, str], float] = defaultdict(float)
        for session in self.sessions:
            found[(session.year, session.module.pillar)] += session.cost
        return dict(found)

    @property
    def total_cost(self) -> float:
        return sum(session.cost for session in self.sessions)

    @property
    def total_budget(self) -> float:
        return sum(self.budget(year) for year in range(1, self.years + 1))

    @property
    def female(self) -> int:
        return sum(session.female for session in self.sessions)

    @property
    def male(self) -> int:
        return sum(session.male for session in self.sessions)

    def seats_by(self, key: str) -> dict[tuple[str, int], tuple[int, int]]:
        """(segment code or segment location, year) → (women, men) seats; ``key`` is ``segment`` or
        ``location``."""
        found: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for session in self.sessions:
            for code, women, men in session.seats:
                segment = self.segment(code)
                name = code if key == "segment" else (segment.location if segment else session.location)
                found[(name, session.year)][0] += women
                found[(name, session.year)][1] += men
        return {name: (values[0], values[1]) for name, values in found.items()}

    @property
    def locations(self) -> tuple[str, ...]:
        return tuple(sorted({segment.location for segment in self.segments}, key=str.casefold))

    def national_share(self, year: int) -> float | None:
        sessions = [session for session in self.sessions if session.year == year]
        if not sessions:
            return None
        return sum(session.trainer == NATIONAL for session in sessions) / len(sessions)

    def used_modules(self) -> dict[str, int]:
        """Module code → sessions planned."""
        found: dict[str, int] = defaultdict(int)
        for session in self.sessions:
            found[session.module.code] += 1
        return dict(found)

    # --- The last solve ---

    @property
    def unmet(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(need for need in self.result.get("unmet") or () if isinstance(need, Mapping))

    @property
    def staff_in_need(self) -> int:
        return sum(row.staff_female + row.staff_male for row in self.demand)

    def unmet_people(self) -> int:
        return sum(max(int(need.get("staff", 0)) - int(need.get("covered", 0)), 0) for need in self.unmet)


def unmet_reason_label(reason: str) -> str:
    return {
        UnmetReason.BUDGET.value: _("budget"),
        UnmetReason.TRAINERS.value: _("trainer time"),
        UnmetReason.PREREQUISITE.value: _("prerequisite not yet taken"),
        UnmetReason.CAPACITY.value: _("sessions per location"),
        UnmetReason.NO_MODULE.value: _("no module offered there"),
        UnmetReason.LOWER_PRIORITY.value: _("other needs came first"),
    }.get(reason, reason or ABSENT)


def status_label(status: str) -> str:
    return {
        "draft": _("not solved yet"),
        "optimal": _("optimal"),
        "feasible": _("feasible (time limit reached)"),
        "infeasible": _("infeasible"),
        "rounding_broke": _("rounding broke a constraint"),
        "failed": _("solver failed"),
    }.get(status, status)


# --- Gathering -------------------------------------------------------------------------------------------


def _float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def scenario_parameters(raw: Mapping[str, Any] | None) -> Parameters:
    """The parameters the documents need (horizon, budgets, national-trainer targets) from the scenario's
    JSON; the defaults for anything it does not state or states in a form the documents cannot read."""
    raw = raw or {}
    defaults = Parameters()
    quarters = raw.get("quarters", defaults.quarters)
    budgets = raw.get("budget_per_year", defaults.budget_per_year)
    if not isinstance(budgets, Sequence) or isinstance(budgets, str):
        budgets = defaults.budget_per_year
    return Parameters(
        quarters=int(quarters) if isinstance(quarters, int) and quarters > 0 else defaults.quarters,
        budget_per_year=tuple(_float(value, 0.0) for value in budgets),
        national_share_year2=_float(raw.get("national_share_year2"), defaults.national_share_year2),
        national_share_year3=_float(raw.get("national_share_year3"), defaults.national_share_year3),
    )


def _unit_costs(module: TrainingModule, location: str) -> tuple[float, float]:
    costs = (module.costs or {}).get(location) or {}
    return _float(costs.get("session"), 0.0), _float(costs.get("participant"), 0.0)


def _sessions(scenario: PlanScenario) -> tuple[SessionLine, ...]:
    rows = (
        PlanSession.objects.filter(scenario=scenario)
        .select_related("module")
        .order_by("quarter", "location", "module__position", "module__code", "id")
    )
    lines = []
    for index, session in enumerate(rows, start=1):
        seats = tuple(
            (str(seat.get("segment", "")), int(seat.get("female", 0) or 0), int(seat.get("male", 0) or 0))
            for seat in session.seats or ()
            if isinstance(seat, Mapping)
        )
        per_session, per_participant = _unit_costs(session.module, session.location)
        lines.append(
            SessionLine(
                number=index,
                module=session.module,
                location=session.location,
                quarter=session.quarter,
                trainer=session.trainer,
                seats=seats,
                cost_per_session=per_session,
                cost_per_participant=per_participant,
            )
        )
    return tuple(lines)


def _tna(workspace: Workspace, language: str) -> tuple[tuple[Priority, ...], str, dict[str, str]]:
    """The TNA's largest needs, a sentence on their source (or on why there are none), and the competency
    titles of the instrument."""
    instrument = default_instrument(workspace)
    if instrument is None:
        return (), _("No training needs survey has been recorded in this workspace yet."), {}
    built = instrument_of(instrument)
    titles = {
        competency.code: (competency.title.fr or competency.title.en)
        if language == "fr"
        else competency.title.en
        for competency in built.competencies
    }
    try:
        _data, analysis = analysis_for(workspace, instrument, filters={}, by=())
    except DomainError as error:
        return (), error.render(_), titles
    ranked = [item for item in analysis.items if item.rank is not None and (item.mwds or 0) > 0]
    priorities = tuple(
        Priority(item.code, titles.get(item.code, item.code), item.mwds, item.share_with_need)
        for item in ranked[:TOP_PRIORITIES]
    )
    note = _("From the answers of %(n)s staff to “%(title)s”.") % {
        "n": number(analysis.n_respondents),
        "title": instrument.title,
    }
    return priorities, note, titles


def _framework(workspace: Workspace, language: str) -> tuple[FrameworkRow, ...]:
    """The M&E framework's rows (``ctip.web.monitoring``)."""
    return tuple(framework_rows(workspace, language))


def plan_report_data(workspace: Workspace, scenario: PlanScenario, *, language: str) -> PlanReportData:
    """Everything the plan's documents need, read once; call it inside ``translation.override(language)``."""
    sessions = _sessions(scenario)
    used = {session.module.pk for session in sessions}
    modules = tuple(
        module
        for module in TrainingModule.objects.filter(workspace=workspace).order_by("position", "code")
        if module.is_active or module.pk in used
    )
    priorities, note, titles = _tna(workspace, language)
    return PlanReportData(
        workspace=workspace,
        scenario=scenario,
        language=language,
        parameters=scenario_parameters(scenario.parameters),
        sessions=sessions,
        modules=modules,
        segments=tuple(
            PlanSegment.objects.filter(workspace=workspace).select_related("organisation").order_by("code")
        ),
        demand=tuple(
            DemandRow.objects.filter(workspace=workspace)
            .select_related("segment")
            .order_by("segment__code", "competency")
        ),
        result=scenario.result or {},
        priorities=priorities,
        tna_note=note,
        competency_titles=titles,
        framework=_framework(workspace, language),
    )
