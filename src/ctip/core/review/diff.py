"""The structured difference between two versions of a deliverable.

A version is a snapshot of elements (a NAP's pillars to cost lines, a plan's sessions, a report's sections),
each with a stable ``id`` that survives edits, its ``parent`` (``None`` at the top), its ``position`` among
its siblings, a ``kind`` (``"activity"``, ``"cost_line"``, ``"indicator"``, …), a ``label`` for people and
its ``fields``. :func:`diff` says what was added, removed, moved (to another parent, or to another place
among the same siblings) and which fields changed, with the value before and after.

Moves among siblings are found with the longest common subsequence of their order, so that moving one
element up does not report every sibling it passed as moved too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"


@dataclass(frozen=True)
class Element:
    id: str
    kind: str
    label: str
    parent: str | None = None
    position: int = 0
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    id: str
    element_kind: str
    label: str
    field: str = ""
    """For a changed field: its name."""
    before: Any = None
    """The field's value, or the parent's id for a move to another parent, before."""
    after: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "element_kind": self.element_kind,
            "label": self.label,
            "field": self.field,
            "before": self.before,
            "after": self.after,
        }


def _index(elements: Iterable[Element]) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for element in elements:
        if element.id in found:
            raise ValueError(f"Two elements of one version have the id {element.id!r}.")
        found[element.id] = element
    return found


def _siblings(elements: Mapping[str, Element]) -> dict[str | None, list[str]]:
    """Each parent's children in order: by kind (an output's indicators and its activities are numbered
    separately), then position."""
    groups: dict[str | None, list[Element]] = {}
    for element in elements.values():
        groups.setdefault(element.parent, []).append(element)
    return {
        parent: [item.id for item in sorted(items, key=lambda item: (item.kind, item.position, item.id))]
        for parent, items in groups.items()
    }


def _common_subsequence(first: Sequence[str], second: Sequence[str]) -> set[str]:
    """The ids of a longest common subsequence of two orders (dynamic programming; sibling lists are short)."""
    rows, cols = len(first), len(second)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if first[i] == second[j] else max(table[i + 1][j], table[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if first[i] == second[j]:
            kept.add(first[i])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def diff(old: Iterable[Element], new: Iterable[Element]) -> list[Change]:
    """What changed from ``old`` to ``new``, in the order of ``new`` (removed elements last, in the order
    of ``old``)."""
    before, after = _index(old), _index(new)
    changes: list[Change] = []
    old_siblings, new_siblings = _siblings(before), _siblings(after)
    reordered: set[str] = set()
    for parent, order in new_siblings.items():
        previous = [
            item for item in old_siblings.get(parent, []) if item in after and after[item].parent == parent
        ]
        current = [item for item in order if item in before and before[item].parent == parent]
        kept = _common_subsequence(previous, current)
        reordered.update(item for item in current if item not in kept)
    for element_id in _walk_order(new_siblings):
        element = after[element_id]
        old_element = before.get(element_id)
        if old_element is None:
            changes.append(Change(ChangeKind.ADDED, element.id, element.kind, element.label))
            continue
        if old_element.parent != element.parent:
            changes.append(
                Change(
                    ChangeKind.MOVED,
                    element.id,
                    element.kind,
                    element.label,
                    before=old_element.parent,
                    after=element.parent,
                )
            )
        elif element.id in reordered:
            changes.append(
                Change(
                    ChangeKind.MOVED,
                    element.id,
                    element.kind,
                    element.label,
                    field="position",
                    before=old_element.position,
                    after=element.position,
                )
            )
        for name in sorted(set(old_element.fields) | set(element.fields)):
            was, now = old_element.fields.get(name), element.fields.get(name)
            if was != now:
                changes.append(
                    Change(ChangeKind.CHANGED, element.id, element.kind, element.label, name, was, now)
                )
    for element_id in _walk_order(old_siblings):
        if element_id not in after:
            element = before[element_id]
            changes.append(Change(ChangeKind.REMOVED, element.id, element.kind, element.label))
    return changes


def _walk_order(siblings: Mapping[str | None, list[str]]) -> list[str]:
    """Every id, depth first from the top, siblings in order."""
    order: list[str] = []
    stack = list(reversed(siblings.get(None, [])))
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        order.append(current)
        stack.extend(reversed(siblings.get(current, [])))
    # Elements whose parent is missing from the version (a damaged snapshot) still appear, at the end.
    order.extend(item for items in siblings.values() for item in items if item not in seen)
    return order


def element_to_json(element: Element) -> dict[str, Any]:
    """An element as stored in a version's snapshot (fields must already be JSON values)."""
    return {
        "id": element.id,
        "kind": element.kind,
        "label": element.label,
        "parent": element.parent,
        "position": element.position,
        "fields": dict(element.fields),
    }


def element_from_json(data: Mapping[str, Any]) -> Element:
    return Element(
        id=str(data["id"]),
        kind=str(data.get("kind", "")),
        label=str(data.get("label", "")),
        parent=None if data.get("parent") in (None, "") else str(data["parent"]),
        position=int(data.get("position") or 0),
        fields=dict(data.get("fields") or {}),
    )
