"""The capacity development plan as a deliverable under review: the adopted scenario and its sessions, and
the M&E framework (results and their indicators), as the elements that versions store and compare (see
:mod:`ctip.core.review.diff`). A workspace has one such plan (subject ``""``).

- ``scenario`` (id ``"scenario"``, whichever scenario is adopted): its name, description and key
  parameters (horizon in quarters, budget per year, trainer days, floors and shares);
- ``session`` under it (id: the session's UUID): module, location, quarter, year, trainer, seats by
  segment and sex, participants and cost;
- ``result`` (the logframe, tier 1 at the top, each under its parent result) and ``indicator`` under its
  result: statement, baseline, targets, means of verification, disaggregation and the rest of the
  indicator's metadata.

Fields hold JSON values that do not depend on the reader's language (codes, both languages of a text,
numbers as text without trailing zeros), so two snapshots taken in different languages compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.review.diff import Element
from ctip.web.accounts.models import Workspace
from ctip.web.monitoring.models import Indicator, IndicatorValue, ResultNode
from ctip.web.planning.models import PlanScenario, PlanSession
from ctip.web.planning.scenario_data import session_cost
from ctip.web.planning.services.scenarios import scenario_parameters
from ctip.web.reviews.deliverables import Deliverable

__all__ = ["DELIVERABLE", "capacity_plan_elements", "capacity_plan_subjects"]

SCENARIO_ID = "scenario"
LABEL_TEXT_LENGTH = 80


def _adopted(workspace: Workspace) -> PlanScenario | None:
    return (
        PlanScenario.objects.filter(workspace=workspace, is_adopted=True).order_by("created_at", "id").first()
    )


def capacity_plan_subjects(workspace: Workspace) -> list[tuple[str, str]]:
    """``[("", title)]`` once the workspace has adopted a scenario or started its M&E framework; else
    nothing to review yet."""
    has_plan = PlanScenario.objects.filter(workspace=workspace, is_adopted=True).exists()
    if has_plan or ResultNode.objects.filter(workspace=workspace).exists():
        return [("", _("Capacity development plan"))]
    return []


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= LABEL_TEXT_LENGTH else line[: LABEL_TEXT_LENGTH - 1].rstrip() + "…"


def _number_text(value: Decimal | None) -> str | None:
    """``Decimal("12.5000")`` → ``"12.5"``; ``None`` stays ``None``."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def _is_french() -> bool:
    return (translation.get_language() or "en").startswith("fr")


# --- The adopted scenario and its sessions ---------------------------------------------------------------


def _scenario_element(scenario: PlanScenario) -> Element:
    parameters = scenario_parameters(scenario)
    return Element(
        id=SCENARIO_ID,
        kind="scenario",
        label=_("Adopted scenario: %(name)s") % {"name": scenario.name},
        fields={
            "name": scenario.name,
            "description": scenario.description,
            "quarters": parameters.quarters,
            "budget_per_year": [float(value) for value in parameters.budget_per_year],
            "trainer_days_per_quarter": float(parameters.trainer_days_per_quarter),
            "sessions_per_location_per_quarter": parameters.sessions_per_location_per_quarter,
            "frontline_year1_seats": parameters.frontline_year1_seats,
            "location_need_floor": float(parameters.location_need_floor),
            "location_need_floor_by_location": {
                str(key): float(value)
                for key, value in sorted(parameters.location_need_floor_by_location.items())
            },
            "women_seat_factor": float(parameters.women_seat_factor),
            "national_share_year2": float(parameters.national_share_year2),
            "national_share_year3": float(parameters.national_share_year3),
            "cascade_sessions_per_tot_session": parameters.cascade_sessions_per_tot_session,
        },
    )


def _session_elements(workspace: Workspace, sessions: Iterable[PlanSession]) -> list[Element]:
    french = _is_french()
    found: list[Element] = []
    for position, session in enumerate(sessions):
        module = session.module
        seats: list[dict[str, Any]] = sorted(
            (
                {
                    "segment": str(seat.get("segment", "")),
                    "female": int(seat.get("female") or 0),
                    "male": int(seat.get("male") or 0),
                }
                for seat in session.seats or ()
            ),
            key=lambda seat: str(seat["segment"]),
        )
        female = sum(int(seat["female"]) for seat in seats)
        male = sum(int(seat["male"]) for seat in seats)
        title = (module.title_fr or module.title_en) if french else module.title_en
        found.append(
            Element(
                id=str(session.uuid),
                kind="session",
                label=_("Q%(quarter)s %(location)s: %(module)s")
                % {
                    "quarter": session.quarter,
                    "location": session.location,
                    "module": f"{module.code} {_short(title)}",
                },
                parent=SCENARIO_ID,
                position=position,
                fields={
                    "module": module.code,
                    "location": session.location,
                    "quarter": session.quarter,
                    "year": workspace.plan_start_year + (session.quarter - 1) // 4,
                    "trainer": session.trainer,
                    "seats": seats,
                    "participants_female": female,
                    "participants_male": male,
                    "cost": f"{session_cost(module, session.location, female + male):.2f}",
                },
            )
        )
    return found


# --- The M&E framework ---------------------------------------------------------------------------------


def _result_element(node: ResultNode, parents: dict[int, str], french: bool) -> Element:
    return Element(
        id=str(node.uuid),
        kind="result",
        label=f"{node.code} {_short(node.statement('fr' if french else 'en'))}",
        parent=parents.get(node.parent_id) if node.parent_id is not None else None,
        position=node.position,
        fields={
            "code": node.code,
            "tier": node.tier,
            "statement_en": node.statement_en,
            "statement_fr": node.statement_fr,
            "pillar": node.pillar,
        },
    )


def _target_text(value: IndicatorValue) -> str:
    """``2026: 40``, ``2026 female: 20``, ``2026 female Rodrigues: 5``."""
    when = " ".join(part for part in (value.period, value.sex, value.location) if part)
    return f"{when}: {_number_text(value.value)}"


def _indicator_element(indicator: Indicator, node_uuid: str, french: bool) -> Element:
    return Element(
        id=str(indicator.uuid),
        kind="indicator",
        label=f"{indicator.code} {_short(indicator.name('fr' if french else 'en'))}",
        parent=node_uuid,
        position=indicator.position,
        fields={
            "code": indicator.code,
            "name_en": indicator.name_en,
            "name_fr": indicator.name_fr,
            "definition_en": indicator.definition_en,
            "definition_fr": indicator.definition_fr,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "baseline": _number_text(indicator.baseline_value),
            "baseline_date": indicator.baseline_date.isoformat() if indicator.baseline_date else None,
            "baseline_not_applicable": indicator.baseline_not_applicable,
            "baseline_note": indicator.baseline_note,
            "life_of_plan_target": _number_text(indicator.lop_target),
            "targets": [_target_text(value) for value in getattr(indicator, "target_values", ())],
            "cumulative_rule": indicator.cumulative_rule,
            "disaggregation": [str(code) for code in indicator.disaggregation or ()],
            "means_of_verification": indicator.means_of_verification,
            "collection_method": indicator.collection_method,
            "frequency": indicator.frequency,
            "responsible_agency": indicator.responsible_agency,
            "data_source": indicator.data_source,
        },
    )


def _framework_elements(workspace: Workspace) -> list[Element]:
    french = _is_french()
    nodes = list(ResultNode.objects.filter(workspace=workspace).order_by("tier", "position", "code", "id"))
    uuids = {node.pk: str(node.uuid) for node in nodes}
    indicators: dict[int, list[Indicator]] = {}
    targets = IndicatorValue.objects.filter(kind="target").order_by("period", "sex", "location", "id")
    for indicator in (
        Indicator.objects.filter(workspace=workspace)
        .prefetch_related(Prefetch("values", queryset=targets, to_attr="target_values"))
        .order_by("position", "code", "id")
    ):
        indicators.setdefault(indicator.node_id, []).append(indicator)
    found: list[Element] = []
    for node in nodes:
        found.append(_result_element(node, uuids, french))
        found.extend(
            _indicator_element(indicator, uuids[node.pk], french) for indicator in indicators.get(node.pk, ())
        )
    return found


def capacity_plan_elements(workspace: Workspace, subject: str = "") -> list[Element]:
    """The snapshot of the workspace's capacity plan (``subject`` is always ``""``): the adopted scenario
    and its sessions, then the results and indicators of the M&E framework. Six queries at most,
    whatever the size of the plan."""
    found: list[Element] = []
    scenario = _adopted(workspace)
    if scenario is not None:
        found.append(_scenario_element(scenario))
        sessions = (
            PlanSession.objects.filter(scenario=scenario)
            .select_related("module")
            .order_by("quarter", "location", "module__position", "module__code", "id")
        )
        found.extend(_session_elements(workspace, sessions))
    found.extend(_framework_elements(workspace))
    return found


KIND_LABELS = {
    "scenario": gettext_lazy("Adopted scenario"),
    "session": gettext_lazy("Session"),
    "result": gettext_lazy("Result"),
    "indicator": gettext_lazy("Indicator"),
}
FIELD_LABELS = {
    # The scenario
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "quarters": gettext_lazy("Quarters planned"),
    "budget_per_year": gettext_lazy("Budget per year"),
    "trainer_days_per_quarter": gettext_lazy("Trainer days per quarter"),
    "sessions_per_location_per_quarter": gettext_lazy("Sessions per location per quarter"),
    "frontline_year1_seats": gettext_lazy("Seats for each frontline group in year 1"),
    "location_need_floor": gettext_lazy("Share of each location's need to cover"),
    "location_need_floor_by_location": gettext_lazy("Share of the need to cover, by location"),
    "women_seat_factor": gettext_lazy("Women's seats factor"),
    "national_share_year2": gettext_lazy("National trainers' share in year 2"),
    "national_share_year3": gettext_lazy("National trainers' share in year 3"),
    "cascade_sessions_per_tot_session": gettext_lazy("Cascade sessions per training of trainers"),
    # Sessions
    "module": gettext_lazy("Module"),
    "location": gettext_lazy("Location"),
    "quarter": gettext_lazy("Quarter"),
    "year": gettext_lazy("Year"),
    "trainer": gettext_lazy("Trainer"),
    "seats": gettext_lazy("Seats by group"),
    "participants_female": gettext_lazy("Participants: women"),
    "participants_male": gettext_lazy("Participants: men"),
    "cost": gettext_lazy("Cost"),
    # Results
    "code": gettext_lazy("Code"),
    "tier": gettext_lazy("Tier"),
    "statement_en": gettext_lazy("Statement (English)"),
    "statement_fr": gettext_lazy("Statement (French)"),
    "pillar": gettext_lazy("Pillar"),
    # Indicators
    "name_en": gettext_lazy("Name (English)"),
    "name_fr": gettext_lazy("Name (French)"),
    "definition_en": gettext_lazy("Definition (English)"),
    "definition_fr": gettext_lazy("Definition (French)"),
    "unit": gettext_lazy("Unit"),
    "direction": gettext_lazy("Direction of change"),
    "baseline": gettext_lazy("Baseline"),
    "baseline_date": gettext_lazy("Baseline date"),
    "baseline_not_applicable": gettext_lazy("No baseline (not applicable)"),
    "baseline_note": gettext_lazy("Baseline note"),
    "life_of_plan_target": gettext_lazy("Life-of-plan target"),
    "targets": gettext_lazy("Targets"),
    "cumulative_rule": gettext_lazy("Cumulative rule"),
    "disaggregation": gettext_lazy("Disaggregation"),
    "means_of_verification": gettext_lazy("Means of verification"),
    "collection_method": gettext_lazy("Data collection method"),
    "frequency": gettext_lazy("Frequency"),
    "responsible_agency": gettext_lazy("Responsible agency"),
    "data_source": gettext_lazy("Data source"),
}

DELIVERABLE = Deliverable(
    kind="capacity_plan",
    label=gettext_lazy("Capacity development plan"),
    subjects=capacity_plan_subjects,
    elements=capacity_plan_elements,
    edit_url_name="plan-scenarios",
    kind_labels=KIND_LABELS,
    field_labels=FIELD_LABELS,
)
