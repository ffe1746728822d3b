"""Audited create / update / delete for simple workspace records, shared by the apps' services.

Each app's service calls these after its own domain checks, so every write validates the model
(``full_clean``), guards against lost updates (``expected_version``), and writes its audit row in the same
transaction. Domain-specific rules stay in the app's service or in ``ctip.core``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace

ModelT = TypeVar("ModelT", bound=models.Model)


def plain_value(value: Any) -> Any:
    """A JSON-ready value for the audit log."""
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"({len(bytes(value))} bytes)"
    if isinstance(value, tuple):
        return list(value)
    return value


def record_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: plain_value(getattr(instance, name)) for name in fields}


def validation_problems(error: ValidationError) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for field_name, messages in error.message_dict.items():
        location = "" if field_name == "__all__" else field_name
        problems.extend(FieldProblem(location, message) for message in messages)
    return problems


def _validated(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The %(what)s cannot be saved; correct the fields listed."),
            {"what": instance._meta.verbose_name},
            problems=validation_problems(error),
        ) from error


def record_create(
    *,
    model: type[ModelT],
    workspace: Workspace,
    values: Mapping[str, Any],
    acting_user: User | None,
    audited_fields: Iterable[str],
    many_to_many: Mapping[str, Iterable[models.Model]] | None = None,
) -> ModelT:
    with transaction.atomic():
        instance = model(**values)
        _validated(instance)
        instance.save()
        for name, related in (many_to_many or {}).items():
            getattr(instance, name).set(list(related))
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action=f"{model._meta.model_name}.create",
            obj=instance,
            after=record_values(instance, audited_fields),
        )
    return instance


def record_update(
    *,
    instance: ModelT,
    workspace: Workspace,
    changes: Mapping[str, Any],
    acting_user: User | None,
    audited_fields: Iterable[str],
    expected_version: int | None = None,
) -> ModelT:
    """Apply ``changes``; refuse with ``conflict`` when ``expected_version`` is not the stored version (the
    error lists, for each of ``changes`` that differs from the stored row, both values)."""
    model = type(instance)
    fields = list(audited_fields)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        conflict_check(current=current, expected_version=expected_version, submitted=changes)
        stored_version = getattr(current, "version", None)
        before = record_values(current, fields)
        for name, value in changes.items():
            setattr(current, name, value)
        after = record_values(current, fields)
        if before == after:
            return current
        if stored_version is not None:
            current.version = stored_version + 1
        if hasattr(current, "updated_at"):
            current.updated_at = timezone.now()
        _validated(current)
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


def record_delete(
    *, instance: models.Model, workspace: Workspace, acting_user: User | None, audited_fields: Iterable[str]
) -> None:
    with transaction.atomic():
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action=f"{instance._meta.model_name}.delete",
            obj=instance,
            before=record_values(instance, audited_fields),
        )
        instance.delete()
