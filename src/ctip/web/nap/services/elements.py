"""The elements of a plan's tree: pillar → strategic objective → strategic priority → outcome → output →
activity, nested in that order as in :mod:`ctip.core.nap.model` (no level is skipped: an outcome sits under
a strategic priority, an activity under an output).

Codes are unique in the plan; an empty code gets the next free one (P1, SO1.1, SP1.1.1, OC1.1.1.1,
OP1.1.1.1.1, A1.1.1.1.1.1: the parent's digits and the element's number among its siblings). Activities
also carry a lead agency (from the organisation registry or as written), supporting agencies, a timeline of
quarters inside the plan period, target groups, a gender marker and the codes of the activities they
depend on.

Every change checks ``edit_content``, validates with field-named problems, writes, bumps the version and
audits (``nap.element.create`` / ``update`` / ``move`` / ``delete``) in one transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.nap.models import LEVEL_CHOICES, LEVELS, ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.services import values as read
from ctip.web.stakeholders.models import Organisation

__all__ = [
    "ACTIVITY_FIELDS",
    "CODE_PREFIXES",
    "ELEMENT_FIELDS",
    "PARENT_LEVEL",
    "element_code_next",
    "element_create",
    "element_delete",
    "element_move",
    "element_update",
]

PARENT_LEVEL: dict[str, str | None] = {
    level: (LEVELS[index - 1] if index else None) for index, level in enumerate(LEVELS)
}
"""The level an element's parent must have (a pillar has none)."""

CODE_PREFIXES = {
    "pillar": "P",
    "objective": "SO",
    "priority": "SP",
    "outcome": "OC",
    "output": "OP",
    "activity": "A",
}

ELEMENT_FIELDS = ["level", "code", "title", "parent", "position", "citations"]
ACTIVITY_FIELDS = [
    "lead",
    "lead_name",
    "supporting",
    "timeline",
    "location",
    "target_groups",
    "gender_marker",
    "child_sensitive",
    "assumptions",
    "risks",
    "depends_on",
]
AUDITED = ELEMENT_FIELDS + ACTIVITY_FIELDS
_EDITABLE = ("code", "title", "citations", *ACTIVITY_FIELDS)
_LEVEL_NAMES = dict(LEVEL_CHOICES)
_CITATION = re.compile(r"^(legal|tna|library):\S+$")


def _level_name(level: str | None) -> str:
    return str(_LEVEL_NAMES.get(level or "", level or "")).lower()


# --- Codes ----------------------------------------------------------------------------------------------


def element_code_next(plan: ActionPlan, parent: NapElement | None, level: str) -> str:
    """The next free code for a new ``level`` element under ``parent``: the level's prefix, the parent's
    digits and the element's number among its siblings (``SO2.3`` is the third objective of pillar P2)."""
    prefix = CODE_PREFIXES.get(level, "E")
    digits = re.sub(r"^[A-Za-z]+", "", parent.code) if parent is not None else ""
    taken = set(NapElement.objects.filter(plan=plan).values_list("code", flat=True))
    siblings = NapElement.objects.filter(plan=plan, parent=parent, level=level).count()
    number = siblings + 1
    while True:
        candidate = f"{prefix}{digits}.{number}" if digits else f"{prefix}{number}"
        if candidate not in taken:
            return candidate
        number += 1


# --- Validation -----------------------------------------------------------------------------------------


def _organisation(plan: ActionPlan, raw: Any) -> Organisation | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, Organisation):
        return raw if raw.workspace_id == plan.workspace_id else None
    try:
        key = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        return None
    return Organisation.objects.filter(workspace_id=plan.workspace_id, uuid=key).first()


def _timeline(plan: ActionPlan, raw: Any, problems: list[FieldProblem]) -> list[list[int]]:
    quarters: set[tuple[int, int]] = set()
    for index, item in enumerate(raw or ()):
        if isinstance(item, str):
            found = re.fullmatch(r"\s*(\d{4})\s*[-/ ]?\s*[Qq]?([1-4])\s*", item)
            pair: Any = (found.group(1), found.group(2)) if found else None
        else:
            pair = tuple(item) if isinstance(item, list | tuple) and len(item) == 2 else None
        try:
            year, quarter = (int(pair[0]), int(pair[1])) if pair else (0, 0)
        except (TypeError, ValueError):
            year, quarter = 0, 0
        if not year or not 1 <= quarter <= 4:
            problems.append(
                FieldProblem(
                    f"timeline[{index}]",
                    _("“%(value)s” is not a quarter: write it as 2026-Q1 (quarters are numbered 1 to 4)."),
                    {"value": item},
                )
            )
            continue
        if not plan.period_start <= year <= plan.period_end:
            problems.append(
                FieldProblem(
                    f"timeline[{index}]",
                    _(
                        "%(year)s-Q%(quarter)s is outside the plan period %(start)s–%(end)s: choose a quarter inside it."
                    ),
                    {"year": year, "quarter": quarter, "start": plan.period_start, "end": plan.period_end},
                )
            )
            continue
        quarters.add((year, quarter))
    return [[year, quarter] for year, quarter in sorted(quarters)]


def _supporting(plan: ActionPlan, raw: Any, problems: list[FieldProblem]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw or ()):
        if isinstance(item, Organisation):
            item = {"organisation": str(item.uuid), "name": item.name}
        elif isinstance(item, str):
            item = {"organisation": "", "name": item}
        if not isinstance(item, Mapping):
            problems.append(FieldProblem(f"supporting[{index}]", _("Give each supporting agency as a name.")))
            continue
        name = " ".join(str(item.get("name") or "").split())
        organisation = _organisation(plan, item.get("organisation"))
        if item.get("organisation") and organisation is None:
            problems.append(
                FieldProblem(
                    f"supporting[{index}]",
                    _("This agency is not in the organisation registry of the workspace: choose it again."),
                )
            )
            continue
        if organisation is not None:
            name = name or organisation.name
        if not name:
            continue
        key = str(organisation.uuid) if organisation is not None else name.casefold()
        if key in seen:
            continue
        seen.add(key)
        found.append({"organisation": str(organisation.uuid) if organisation else "", "name": name})
    return found


def _citations(raw: Any, problems: list[FieldProblem]) -> list[str]:
    found: list[str] = []
    for item in raw or ():
        text = str(item).strip()
        if not text or text in found:
            continue
        if not _CITATION.match(text):
            problems.append(
                FieldProblem(
                    "citations",
                    _(
                        "“%(value)s” is not a finding: cite legal:<item>, tna:<competency> or library:<reference>."
                    ),
                    {"value": text},
                )
            )
            continue
        found.append(text)
    return found


def _clean(
    plan: ActionPlan,
    level: str,
    values: Mapping[str, Any],
    problems: list[FieldProblem],
    *,
    element: NapElement | None,
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "code": read.code(values, "code", problems),
        "title": read.text(values, "title", problems, required=True, multiline=True),
        "citations": _citations(values.get("citations"), problems),
    }
    taken = NapElement.objects.filter(plan=plan, code=cleaned["code"])
    if element is not None:
        taken = taken.exclude(pk=element.pk)
    if cleaned["code"] and taken.exists():
        problems.append(
            FieldProblem(
                "code",
                _("The code “%(code)s” is already used in this plan: give this element its own code."),
                {"code": cleaned["code"]},
            )
        )
    if level != "activity":
        return cleaned
    lead = values.get("lead")
    organisation = _organisation(plan, lead)
    if lead not in (None, "") and organisation is None:
        problems.append(
            FieldProblem(
                "lead",
                _("This agency is not in the organisation registry of the workspace: choose it again."),
            )
        )
    cleaned["lead"] = organisation
    cleaned["lead_name"] = read.text(values, "lead_name", problems, limit=250)
    cleaned["supporting"] = _supporting(plan, values.get("supporting"), problems)
    cleaned["timeline"] = _timeline(plan, values.get("timeline"), problems)
    cleaned["location"] = read.text(values, "location", problems, limit=200)
    cleaned["target_groups"] = read.lines(values, "target_groups")
    cleaned["gender_marker"] = read.whole(values, "gender_marker", problems, low=0, high=2, default=0)
    cleaned["child_sensitive"] = read.flag(values, "child_sensitive")
    cleaned["assumptions"] = read.text(values, "assumptions", problems, multiline=True)
    cleaned["risks"] = read.text(values, "risks", problems, multiline=True)
    raw = values.get("depends_on") or []
    given = re.split(r"[,;\s]+", raw) if isinstance(raw, str) else [str(item).strip() for item in raw]
    depends: list[str] = []
    for item in given:
        if item and item not in depends:
            depends.append(item)
    activities = set(NapElement.objects.filter(plan=plan, level="activity").values_list("code", flat=True))
    own = {cleaned["code"], element.code if element is not None else ""}
    for item in depends:
        if item in own:
            problems.append(
                FieldProblem(
                    "depends_on", _("An activity cannot depend on itself: remove %(code)s."), {"code": item}
                )
            )
        elif item not in activities:
            problems.append(
                FieldProblem(
                    "depends_on",
                    _(
                        "%(code)s is not an activity of this plan: give the code of an activity listed in the plan."
                    ),
                    {"code": item},
                )
            )
    cleaned["depends_on"] = depends
    return cleaned


def _audited(element: NapElement) -> dict[str, Any]:
    return record_values(element, AUDITED)


# --- Services -------------------------------------------------------------------------------------------


def element_create(
    *,
    plan: ActionPlan,
    parent: NapElement | None,
    level: str,
    values: Mapping[str, Any],
    acting_user: User | None,
) -> NapElement:
    """A new element at the end of its siblings. ``parent`` must be of the level just above ``level``
    (``None`` for a pillar); an empty code gets :func:`element_code_next`."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    if level not in PARENT_LEVEL:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(level)s” is not a level of the plan: use pillar, objective, priority, outcome, output or activity."
            ),
            {"level": level},
            problems=[FieldProblem("level", _("Choose one of the levels offered."))],
        )
    wanted = PARENT_LEVEL[level]
    if parent is not None and parent.plan_id != plan.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("The parent element is not part of this plan."))
    if (parent.level if parent is not None else None) != wanted:
        if wanted is None:
            template = _("A pillar sits at the top of the plan: it cannot be placed under %(parent)s.")
        elif parent is None:
            template = _("A %(level)s must be placed under a %(wanted)s: choose its %(wanted)s first.")
        else:
            template = _(
                "A %(level)s must be placed under a %(wanted)s, not under the %(parent_level)s %(parent)s: "
                "choose a %(wanted)s."
            )
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            template,
            {
                "level": _level_name(level),
                "wanted": _level_name(wanted),
                "parent": parent.code if parent is not None else "",
                "parent_level": _level_name(parent.level if parent is not None else ""),
            },
            problems=[FieldProblem("parent", _("Choose a parent of the level just above."))],
        )
    with transaction.atomic():
        ActionPlan.objects.select_for_update().get(pk=plan.pk)
        problems: list[FieldProblem] = []
        cleaned = _clean(plan, level, values, problems, element=None)
        read.refuse(problems, _level_name(level))
        if not cleaned["code"]:
            cleaned["code"] = element_code_next(plan, parent, level)
        last = (
            NapElement.objects.filter(plan=plan, parent=parent)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        element = NapElement.objects.create(
            workspace=plan.workspace,
            plan=plan,
            parent=parent,
            level=level,
            position=0 if last is None else last + 1,
            **cleaned,
        )
        read.audit(acting_user=acting_user, instance=element, action="element.create", fields=AUDITED)
    return element


def element_update(
    *,
    element: NapElement,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> NapElement:
    """Change an element's facts (fields not in ``values`` keep their value). A changed activity code is
    also changed in the ``depends_on`` of the activities that named it."""
    plan = element.plan
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = NapElement.objects.select_for_update().select_related("plan").get(pk=element.pk)
        read.version_check(current, expected_version, values, fields=_EDITABLE)
        merged: dict[str, Any] = {name: getattr(current, name) for name in _EDITABLE}
        merged["lead"] = current.lead
        merged |= {name: value for name, value in values.items() if name in _EDITABLE}
        problems: list[FieldProblem] = []
        cleaned = _clean(current.plan, current.level, merged, problems, element=current)
        read.refuse(problems, _level_name(current.level))
        if not cleaned["code"]:
            cleaned["code"] = current.code
        before = _audited(current)
        old_code = current.code
        for name, value in cleaned.items():
            setattr(current, name, value)
        if _audited(current) == before:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        read.audit(
            acting_user=acting_user, instance=current, action="element.update", fields=AUDITED, before=before
        )
        if current.level == "activity" and old_code != current.code:
            _rename_dependency(current.plan, old_code, current.code, acting_user)
    return current


def _rename_dependency(plan: ActionPlan, old: str, new: str | None, acting_user: User | None) -> None:
    """Replace (``new``) or drop (``None``) ``old`` in the ``depends_on`` of the plan's activities."""
    for other in NapElement.objects.select_for_update().filter(plan=plan, level="activity"):
        if old not in (other.depends_on or []):
            continue
        before = _audited(other)
        other.depends_on = [new if item == old else item for item in other.depends_on if new or item != old]
        other.version += 1
        other.updated_at = timezone.now()
        other.save(update_fields=["depends_on", "version", "updated_at"])
        read.audit(
            acting_user=acting_user, instance=other, action="element.update", fields=AUDITED, before=before
        )


def element_move(*, element: NapElement, offset: int, acting_user: User | None) -> NapElement:
    """Swap the element with its previous (``offset=-1``) or next (``+1``) sibling; at either end nothing
    changes."""
    require_permission(acting_user, element.plan.workspace, Permission.EDIT_CONTENT)
    if offset not in (-1, 1):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("An element moves one place up (−1) or down (+1), not %(offset)s."),
            {"offset": offset},
            problems=[FieldProblem("offset", _("Use −1 or +1."))],
        )
    with transaction.atomic():
        siblings = list(
            NapElement.objects.select_for_update()
            .filter(plan_id=element.plan_id, parent_id=element.parent_id)
            .order_by("position", "id")
        )
        index = next(i for i, item in enumerate(siblings) if item.pk == element.pk)
        target = index + offset
        if not 0 <= target < len(siblings):
            return siblings[index]
        siblings[index], siblings[target] = siblings[target], siblings[index]
        now = timezone.now()
        for position, item in enumerate(siblings):
            if item.position == position:
                continue
            before = _audited(item)
            item.position = position
            item.version += 1
            item.updated_at = now
            item.save(update_fields=["position", "version", "updated_at"])
            read.audit(
                acting_user=acting_user, instance=item, action="element.move", fields=AUDITED, before=before
            )
        return siblings[target]


def _subtree(element: NapElement) -> list[int]:
    """The ids of the element's descendants (one query per level below it)."""
    found: list[int] = []
    frontier = [element.pk]
    while frontier:
        frontier = list(NapElement.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.extend(frontier)
    return found


def element_delete(*, element: NapElement, acting_user: User | None, cascade: bool = False) -> None:
    """Delete the element. One with children, cost lines or indicators is refused (saying what would go)
    unless ``cascade=True``; deleted activities are removed from the ``depends_on`` of the others."""
    require_permission(acting_user, element.plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = NapElement.objects.select_for_update().select_related("plan").get(pk=element.pk)
        below = _subtree(current)
        everything = [current.pk, *below]
        lines = NapCostLine.objects.filter(activity_id__in=everything).count()
        indicators = NapIndicator.objects.filter(element_id__in=everything).count()
        if (below or lines or indicators) and not cascade:
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "%(code)s is not empty: deleting it would also delete %(children)s element(s) below it, "
                    "%(lines)s cost line(s) and %(indicators)s indicator(s). Confirm to delete them all, or "
                    "move or delete them first."
                ),
                {"code": current.code, "children": len(below), "lines": lines, "indicators": indicators},
            )
        gone = list(
            NapElement.objects.filter(pk__in=everything, level="activity").values_list("code", flat=True)
        )
        read.audit(
            acting_user=acting_user,
            instance=current,
            action="element.delete",
            fields=AUDITED,
            before=_audited(current)
            | {"children": len(below), "cost_lines": lines, "indicators": indicators},
            after=False,
        )
        plan = current.plan
        current.delete()
        for activity_code in gone:
            _rename_dependency(plan, activity_code, None, acting_user)
