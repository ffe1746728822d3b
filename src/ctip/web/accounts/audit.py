"""Writing audit rows. Called only from services, inside the service's transaction."""

from __future__ import annotations

import getpass
from typing import Any

from django.db import models, transaction

from ctip.core.changes import FieldChanges, changed_fields
from ctip.web.accounts.models import AuditEntry, User, Workspace


def actor_label_for(acting_user: User | None) -> str:
    if acting_user is None:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return f"command line ({who})"
    return acting_user.username


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited fields of a model instance as JSON-ready values."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        values[name] = value
    return values


def audit_record(
    *,
    acting_user: User | None,
    workspace: Workspace | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: FieldChanges | None = None,
    actor_label: str = "",
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if changes is None:
        changes = changed_fields(before or {}, after or {})
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=acting_user,
        actor_label=actor_label or actor_label_for(acting_user),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uuid", obj.pk)),
        object_repr=str(obj)[:300],
        changes=changes,
    )
