"""Field-level before/after for the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FieldChanges = dict[str, list[Any]]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> FieldChanges:
    """``{field: [before, after]}`` for every field whose value differs (a missing field counts as None).

    Created objects pass an empty ``before``; deleted objects an empty ``after``.
    """
    changes: FieldChanges = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [old, new]
    return changes
