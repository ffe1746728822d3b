"""Reading a plan: the whole plan as the core dataclasses (:func:`nap_core`, for the budget, the checks, the
coverage and the documents), the elements by path (:func:`elements_by_path`, to link a flag to the element
to fix) and the outline rows of the plan page (:func:`outline`). Each reads a constant number of queries,
whatever the size of the plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ctip.core.nap.budget import round_money
from ctip.core.nap.model import (
    SEP,
    Activity,
    CostLine,
    FundingSource,
    GenderMarker,
    IndicatorLevel,
    IndicatorRef,
    IndicatorTarget,
    Nap,
    Outcome,
    Output,
    Pillar,
    StrategicObjective,
    StrategicPriority,
)
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.stakeholders.models import Organisation

__all__ = ["OutlineRow", "elements_by_path", "nap_core", "outline", "tree_order"]


@dataclass(frozen=True)
class OutlineRow:
    """One element of the outline: its depth (0 for a pillar), path, number of direct children, total cost
    of its lines and of everything below it by currency (sorted by currency), and number of indicators."""

    element: NapElement
    depth: int
    path: str
    children_count: int
    cost_total_by_currency: dict[str, Decimal] = field(default_factory=dict)
    indicator_count: int = 0


def _elements(plan: ActionPlan) -> list[NapElement]:
    return list(NapElement.objects.filter(plan=plan).select_related("lead").order_by("position", "id"))


def tree_order(elements: Iterable[NapElement]) -> Iterator[tuple[NapElement, int, str]]:
    """``(element, depth, path)`` in document order (each element followed by its children, by position).
    Elements whose parent is missing from ``elements`` are left out."""
    children: dict[int | None, list[NapElement]] = defaultdict(list)
    for element in elements:
        children[element.parent_id].append(element)
    for siblings in children.values():
        siblings.sort(key=lambda item: (item.position, item.pk))
    stack: list[tuple[NapElement, int, str]] = [(item, 0, item.code) for item in reversed(children[None])]
    while stack:
        element, depth, path = stack.pop()
        yield element, depth, path
        stack.extend(
            (child, depth + 1, f"{path}{SEP}{child.code}") for child in reversed(children.get(element.pk, []))
        )


def elements_by_path(plan: ActionPlan) -> dict[str, NapElement]:
    """Every element of the plan (not cost lines nor indicators) by its path, e.g. ``"P1/SO1.1"``."""
    return {path: element for element, _depth, path in tree_order(_elements(plan))}


def outline(plan: ActionPlan) -> list[OutlineRow]:
    """The plan's elements in document order with what the outline shows (three queries)."""
    elements = _elements(plan)
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for activity_id, currency, unit_cost, quantity, frequency in NapCostLine.objects.filter(
        activity__plan=plan
    ).values_list("activity_id", "currency", "unit_cost", "quantity", "frequency"):
        totals[activity_id][currency] += round_money(unit_cost * quantity * frequency, currency)
    indicators: dict[int, int] = defaultdict(int)
    for element_id in NapIndicator.objects.filter(element__plan=plan).values_list("element_id", flat=True):
        indicators[element_id] += 1
    ordered = list(tree_order(elements))
    children: dict[int, int] = defaultdict(int)
    for element, _depth, _path in ordered:
        if element.parent_id is not None:
            children[element.parent_id] += 1
    rolled: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for element, _depth, _path in reversed(ordered):  # children before their parents
        for currency, amount in totals.get(element.pk, {}).items():
            rolled[element.pk][currency] += amount
        if element.parent_id is not None:
            for currency, amount in rolled.get(element.pk, {}).items():
                rolled[element.parent_id][currency] += amount
    return [
        OutlineRow(
            element=element,
            depth=depth,
            path=path,
            children_count=children.get(element.pk, 0),
            cost_total_by_currency=dict(sorted(rolled.get(element.pk, {}).items())),
            indicator_count=indicators.get(element.pk, 0),
        )
        for element, depth, path in ordered
    ]


# --- The plan as core dataclasses -----------------------------------------------------------------------


def _line(line: NapCostLine) -> CostLine:
    return CostLine(
        code=line.code,
        description=line.description,
        unit=line.unit,
        unit_cost=line.unit_cost,
        quantity=line.quantity,
        frequency=line.frequency,
        year=line.year,
        currency=line.currency,
        funding_source=FundingSource(line.funding_source),
        gender_marker=GenderMarker(line.gender_marker),
        marker_justification=line.marker_justification,
        beneficiaries_women=line.beneficiaries_women,
        beneficiaries_men=line.beneficiaries_men,
        beneficiaries_girls=line.beneficiaries_girls,
        beneficiaries_boys=line.beneficiaries_boys,
        targets_women_or_girls=line.targets_women_or_girls,
    )


def _indicator(indicator: NapIndicator, level: str) -> IndicatorRef:
    return IndicatorRef(
        code=indicator.code,
        level=IndicatorLevel(level),
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline or None,
        baseline_year=indicator.baseline_year,
        targets=tuple(
            IndicatorTarget(year=int(item["year"]), value=item.get("value", ""), sex=item.get("sex", ""))
            for item in indicator.targets or ()
        ),
        source=indicator.source,
        responsible_agency=indicator.responsible_agency,
        frequency=indicator.frequency,
    )


def _text_lines(text: str) -> tuple[str, ...]:
    return tuple(cleaned for line in text.splitlines() if (cleaned := line.strip()))


def nap_core(plan: ActionPlan) -> Nap:
    """The whole plan as :class:`ctip.core.nap.model.Nap` (four queries: elements with their lead agency,
    cost lines, indicators, and the supporting agencies' current names)."""
    elements = _elements(plan)
    lines: dict[int, list[NapCostLine]] = defaultdict(list)
    for line in NapCostLine.objects.filter(activity__plan=plan).order_by("position", "id"):
        lines[line.activity_id].append(line)
    indicators: dict[int, list[NapIndicator]] = defaultdict(list)
    for indicator in NapIndicator.objects.filter(element__plan=plan).order_by("position", "id"):
        indicators[indicator.element_id].append(indicator)
    wanted = {
        item.get("organisation")
        for element in elements
        for item in element.supporting or ()
        if item.get("organisation")
    }
    names = (
        {
            str(key): name
            for key, name in Organisation.objects.filter(uuid__in=wanted).values_list("uuid", "name")
        }
        if wanted
        else {}
    )
    children: dict[int | None, list[NapElement]] = defaultdict(list)
    for element in elements:
        children[element.parent_id].append(element)

    def below(element: NapElement | None, level: str) -> list[NapElement]:
        return [item for item in children.get(element.pk if element else None, []) if item.level == level]

    def activity(element: NapElement) -> Activity:
        return Activity(
            code=element.code,
            description=element.title,
            lead_agency=element.lead.name if element.lead is not None else element.lead_name,
            supporting_agencies=tuple(
                names.get(item.get("organisation") or "", item.get("name", "")) or item.get("name", "")
                for item in element.supporting or ()
            ),
            timeline=tuple((int(year), int(quarter)) for year, quarter in element.timeline or ()),
            location=element.location,
            target_groups=tuple(element.target_groups or ()),
            cost_lines=tuple(_line(line) for line in lines.get(element.pk, ())),
            gender_marker=GenderMarker(element.gender_marker),
            child_sensitive=element.child_sensitive,
            assumptions=_text_lines(element.assumptions),
            risks=_text_lines(element.risks),
            depends_on=tuple(element.depends_on or ()),
        )

    def output(element: NapElement) -> Output:
        return Output(
            code=element.code,
            name=element.title,
            indicators=tuple(_indicator(item, "output") for item in indicators.get(element.pk, ())),
            activities=tuple(activity(item) for item in below(element, "activity")),
        )

    def outcome(element: NapElement) -> Outcome:
        return Outcome(
            code=element.code,
            name=element.title,
            indicators=tuple(_indicator(item, "outcome") for item in indicators.get(element.pk, ())),
            outputs=tuple(output(item) for item in below(element, "output")),
        )

    def priority(element: NapElement) -> StrategicPriority:
        return StrategicPriority(
            element.code, element.title, tuple(outcome(item) for item in below(element, "outcome"))
        )

    def objective(element: NapElement) -> StrategicObjective:
        return StrategicObjective(
            element.code, element.title, tuple(priority(item) for item in below(element, "priority"))
        )

    return Nap(
        title=plan.title,
        period_start=plan.period_start,
        period_end=plan.period_end,
        vision=plan.vision,
        goal=plan.goal,
        principles=tuple(plan.principles or ()),
        pillars=tuple(
            Pillar(item.code, item.title, tuple(objective(child) for child in below(item, "objective")))
            for item in below(None, "pillar")
        ),
    )
