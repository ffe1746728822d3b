"""Updates guarded by a version number (optimistic locking), audited in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace

ModelT = TypeVar("ModelT", bound=models.Model)


def versioned_update(
    *,
    instance: ModelT,
    workspace: Workspace,
    expected_version: int | None,
    acting_user: User | None,
    snapshot: Callable[[ModelT], dict[str, Any]],
    apply: Callable[[ModelT], None],
    submitted: Mapping[str, Any] | None = None,
) -> ModelT:
    """Lock the row, refuse a stale ``expected_version`` (conflict, listing each of the ``submitted`` values
    that differs from the stored one beside it), apply the change, bump the version and write the audit
    row — all in one transaction. Nothing is written when nothing changed."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        conflict_check(current=current, expected_version=expected_version, submitted=submitted)
        stored = current.version
        before = snapshot(current)
        apply(current)
        after = snapshot(current)
        if before == after:
            return model._default_manager.get(pk=instance.pk)
        current.version = stored + 1
        if hasattr(current, "updated_at"):
            current.updated_at = timezone.now()
        current.save()
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action=f"{model._meta.model_name}.update",
            obj=current,
            before=before,
            after=after,
        )
    return current
