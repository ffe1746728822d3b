"""The NAP as a deliverable under review: the snapshot of one plan (the subject is the plan's UUID) as the
elements that versions store and compare (see :mod:`ctip.core.review.diff`).

- ``plan`` (id ``"plan"``): the title, period, vision, goal, guiding principles and currency;
- the tree: ``pillar`` → ``objective`` → ``priority`` → ``outcome`` → ``output`` → ``activity``, each with
  its UUID as id and its parent's UUID as parent (pillars at the top), activities with their lead and
  supporting agencies, timeline, location, target groups, markers, assumptions, risks and dependencies;
- ``cost_line`` under its activity, ``indicator`` under its outcome or output;
- ``coordination_body`` at the top, with its chair, members, meetings, reporting line and mandate.

Fields hold JSON values that do not depend on the reader's language (codes, not labels; money as the
text of a :class:`~decimal.Decimal`), so two snapshots taken in different languages compare equal. The
whole plan is read in a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.nap.budget import round_money
from ctip.core.review.diff import Element
from ctip.web.accounts.models import Workspace
from ctip.web.nap.models import ActionPlan, CoordinationBody, NapCostLine, NapElement, NapIndicator
from ctip.web.reviews.deliverables import Deliverable
from ctip.web.stakeholders.models import Organisation

__all__ = ["DELIVERABLE", "nap_elements", "nap_subjects"]

LABEL_TITLE_LENGTH = 80
"""Longer titles are cut in labels (the full text stays in the fields)."""


def nap_subjects(workspace: Workspace) -> list[tuple[str, str]]:
    """``(plan UUID, title)`` of each plan of the workspace."""
    return [
        (str(key), title)
        for key, title in ActionPlan.objects.filter(workspace=workspace).values_list("uuid", "title")
    ]


def _plan(workspace: Workspace, subject: str) -> ActionPlan:
    try:
        key = uuid.UUID(str(subject))
    except ValueError:
        key = None
    plan = ActionPlan.objects.filter(workspace=workspace, uuid=key).first() if key else None
    if plan is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("“%(subject)s” is not a national action plan of this workspace: choose one of its plans."),
            {"subject": subject},
        )
    return plan


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= LABEL_TITLE_LENGTH else line[: LABEL_TITLE_LENGTH - 1].rstrip() + "…"


def _number_text(value: Decimal | None) -> str | None:
    """A quantity without trailing zeros ("10", "2.5"); ``None`` stays ``None``."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def _plan_element(plan: ActionPlan) -> Element:
    return Element(
        id="plan",
        kind="plan",
        label=_short(plan.title),
        fields={
            "title": plan.title,
            "period": f"{plan.period_start}–{plan.period_end}",
            "vision": plan.vision,
            "goal": plan.goal,
            "principles": [str(item) for item in plan.principles or ()],
            "currency": plan.currency,
        },
    )


def _organisation_names(elements: Iterable[NapElement]) -> dict[str, str]:
    """The current names of the registry's agencies named as supporting agencies (one query, none when
    no agency of the registry is named)."""
    wanted = {
        str(item.get("organisation"))
        for element in elements
        for item in element.supporting or ()
        if item.get("organisation")
    }
    if not wanted:
        return {}
    return {
        str(key): name
        for key, name in Organisation.objects.filter(uuid__in=wanted).values_list("uuid", "name")
    }


def _activity_fields(element: NapElement, names: dict[str, str]) -> dict[str, Any]:
    return {
        "lead_agency": element.lead.name if element.lead is not None else element.lead_name,
        "supporting_agencies": [
            names.get(str(item.get("organisation") or ""), "") or str(item.get("name", ""))
            for item in element.supporting or ()
        ],
        "timeline": [f"{int(year)} Q{int(quarter)}" for year, quarter in element.timeline or ()],
        "location": element.location,
        "target_groups": [str(item) for item in element.target_groups or ()],
        "gender_marker": element.gender_marker,
        "child_sensitive": element.child_sensitive,
        "assumptions": element.assumptions,
        "risks": element.risks,
        "depends_on": [str(item) for item in element.depends_on or ()],
    }


def _tree_element(element: NapElement, parent: NapElement | None, names: dict[str, str]) -> Element:
    fields: dict[str, Any] = {
        "code": element.code,
        "title": element.title,
        "citations": [str(item) for item in element.citations or ()],
    }
    if element.level == "activity":
        fields |= _activity_fields(element, names)
    return Element(
        id=str(element.uuid),
        kind=element.level,
        label=f"{element.code} {_short(element.title)}",
        parent=str(parent.uuid) if parent is not None else None,
        position=element.position,
        fields=fields,
    )


def _cost_line_element(line: NapCostLine, activity: NapElement) -> Element:
    amount = round_money(line.unit_cost * line.quantity * line.frequency, line.currency)
    return Element(
        id=str(line.uuid),
        kind="cost_line",
        label=_("Cost line %(code)s: %(description)s")
        % {"code": line.code, "description": _short(line.description)},
        parent=str(activity.uuid),
        position=line.position,
        fields={
            "code": line.code,
            "description": line.description,
            "unit": line.unit,
            "unit_cost": str(line.unit_cost),
            "quantity": _number_text(line.quantity),
            "frequency": _number_text(line.frequency),
            "amount": str(amount),
            "currency": line.currency,
            "year": line.year,
            "funding_source": line.funding_source,
            "funder": line.funder,
            "gender_marker": line.gender_marker,
            "marker_justification": line.marker_justification,
            "beneficiaries_women": line.beneficiaries_women,
            "beneficiaries_men": line.beneficiaries_men,
            "beneficiaries_girls": line.beneficiaries_girls,
            "beneficiaries_boys": line.beneficiaries_boys,
            "targets_women_or_girls": line.targets_women_or_girls,
        },
    )


def _target_text(target: dict[str, Any]) -> str:
    """``2029: 60``, or ``2029 female: 30`` for a target of one sex."""
    sex = str(target.get("sex") or "")
    when = f"{target.get('year')} {sex}" if sex else str(target.get("year"))
    return f"{when}: {target.get('value', '')}"


def _indicator_element(indicator: NapIndicator, element: NapElement) -> Element:
    return Element(
        id=str(indicator.uuid),
        kind="indicator",
        label=f"{indicator.code} {_short(indicator.name)}",
        parent=str(element.uuid),
        position=indicator.position,
        fields={
            "code": indicator.code,
            "name": indicator.name,
            "definition": indicator.definition,
            "unit": indicator.unit,
            "baseline": indicator.baseline,
            "baseline_year": indicator.baseline_year,
            "targets": [_target_text(target) for target in indicator.targets or ()],
            "source": indicator.source,
            "responsible_agency": indicator.responsible_agency,
            "frequency": indicator.frequency,
        },
    )


def _body_element(body: CoordinationBody) -> Element:
    return Element(
        id=str(body.uuid),
        kind="coordination_body",
        label=_short(body.name),
        parent=None,
        position=body.position,
        fields={
            "name": body.name,
            "body_kind": body.kind,
            "chair": body.chair.name if body.chair is not None else body.chair_name,
            "members": sorted((member.name for member in body.members.all()), key=str.casefold),
            "meeting_frequency": body.meeting_frequency,
            "reports_to": body.reports_to.name if body.reports_to is not None else "",
            "pillar": body.pillar.code if body.pillar is not None else "",
            "mandate": body.mandate,
        },
    )


def nap_elements(workspace: Workspace, subject: str) -> list[Element]:
    """The snapshot of the plan ``subject`` (its UUID): the plan, then each element of the tree in
    document order followed by its indicators and cost lines, then the coordination bodies. Seven queries
    at most, whatever the size of the plan."""
    plan = _plan(workspace, subject)
    elements = list(NapElement.objects.filter(plan=plan).select_related("lead").order_by("position", "id"))
    by_pk = {element.pk: element for element in elements}
    lines: dict[int, list[NapCostLine]] = {}
    for line in NapCostLine.objects.filter(activity__plan=plan).order_by("position", "id"):
        lines.setdefault(line.activity_id, []).append(line)
    indicators: dict[int, list[NapIndicator]] = {}
    for indicator in NapIndicator.objects.filter(element__plan=plan).order_by("position", "id"):
        indicators.setdefault(indicator.element_id, []).append(indicator)
    names = _organisation_names(elements)
    found = [_plan_element(plan)]
    for element in _document_order(elements):
        parent = by_pk.get(element.parent_id) if element.parent_id is not None else None
        found.append(_tree_element(element, parent, names))
        found.extend(_indicator_element(item, element) for item in indicators.get(element.pk, ()))
        found.extend(_cost_line_element(item, element) for item in lines.get(element.pk, ()))
    bodies = (
        CoordinationBody.objects.filter(plan=plan)
        .select_related("chair", "reports_to", "pillar")
        .prefetch_related("members")
        .order_by("position", "id")
    )
    found.extend(_body_element(body) for body in bodies)
    return found


def _document_order(elements: list[NapElement]) -> list[NapElement]:
    """Each element followed by its children, siblings by position."""
    children: dict[int | None, list[NapElement]] = {}
    for element in elements:
        children.setdefault(element.parent_id, []).append(element)
    ordered: list[NapElement] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        element = stack.pop()
        ordered.append(element)
        stack.extend(reversed(children.get(element.pk, [])))
    return ordered


KIND_LABELS = {
    "plan": gettext_lazy("Plan"),
    "pillar": gettext_lazy("Pillar"),
    "objective": gettext_lazy("Strategic objective"),
    "priority": gettext_lazy("Strategic priority"),
    "outcome": gettext_lazy("Outcome"),
    "output": gettext_lazy("Output"),
    "activity": gettext_lazy("Activity"),
    "cost_line": gettext_lazy("Cost line"),
    "indicator": gettext_lazy("Indicator"),
    "coordination_body": gettext_lazy("Coordination body"),
}
FIELD_LABELS = {
    # The plan
    "title": gettext_lazy("Title"),
    "period": gettext_lazy("Period"),
    "vision": gettext_lazy("Vision"),
    "goal": gettext_lazy("Goal"),
    "principles": gettext_lazy("Guiding principles"),
    "currency": gettext_lazy("Currency"),
    # Elements of the tree
    "code": gettext_lazy("Code"),
    "citations": gettext_lazy("Findings cited"),
    "lead_agency": gettext_lazy("Lead agency"),
    "supporting_agencies": gettext_lazy("Supporting agencies"),
    "timeline": gettext_lazy("Timeline"),
    "location": gettext_lazy("Location"),
    "target_groups": gettext_lazy("Target groups"),
    "gender_marker": gettext_lazy("Gender marker"),
    "child_sensitive": gettext_lazy("Child-sensitive"),
    "assumptions": gettext_lazy("Assumptions"),
    "risks": gettext_lazy("Risks"),
    "depends_on": gettext_lazy("Depends on"),
    # Cost lines
    "description": gettext_lazy("Description"),
    "unit": gettext_lazy("Unit"),
    "unit_cost": gettext_lazy("Unit cost"),
    "quantity": gettext_lazy("Quantity"),
    "frequency": gettext_lazy("Frequency"),
    "amount": gettext_lazy("Amount"),
    "year": gettext_lazy("Year"),
    "funding_source": gettext_lazy("Funding source"),
    "funder": gettext_lazy("Funder"),
    "marker_justification": gettext_lazy("Why this gender marker"),
    "beneficiaries_women": gettext_lazy("Beneficiaries: women"),
    "beneficiaries_men": gettext_lazy("Beneficiaries: men"),
    "beneficiaries_girls": gettext_lazy("Beneficiaries: girls"),
    "beneficiaries_boys": gettext_lazy("Beneficiaries: boys"),
    "targets_women_or_girls": gettext_lazy("Targets women or girls"),
    # Indicators
    "name": gettext_lazy("Name"),
    "definition": gettext_lazy("Definition"),
    "baseline": gettext_lazy("Baseline"),
    "baseline_year": gettext_lazy("Baseline year"),
    "targets": gettext_lazy("Targets"),
    "source": gettext_lazy("Source of data"),
    "responsible_agency": gettext_lazy("Responsible agency"),
    # Coordination bodies
    "body_kind": gettext_lazy("Kind of body"),
    "chair": gettext_lazy("Chair"),
    "members": gettext_lazy("Members"),
    "meeting_frequency": gettext_lazy("Meets"),
    "reports_to": gettext_lazy("Reports to"),
    "pillar": gettext_lazy("Pillar"),
    "mandate": gettext_lazy("Mandate"),
}

DELIVERABLE = Deliverable(
    kind="nap",
    label=gettext_lazy("National Action Plan"),
    subjects=nap_subjects,
    elements=nap_elements,
    edit_url_name="nap-home",
    kind_labels=KIND_LABELS,
    field_labels=FIELD_LABELS,
)
