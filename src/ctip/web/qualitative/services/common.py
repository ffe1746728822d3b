"""Helpers shared by the qualitative services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.records import validation_problems


def invalid(model: type[models.Model], problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _("The %(what)s cannot be saved; correct the fields listed."),
        {"what": model._meta.verbose_name},
        problems=problems,
    )


def unknown_fields(changes: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = list(allowed)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(field)s” cannot be changed here; the fields that can are: %(allowed)s."),
            {"field": unknown[0], "allowed": ", ".join(allowed)},
            problems=[FieldProblem(name, _("This field cannot be changed here.")) for name in unknown],
        )


def same_workspace(workspace: Workspace, owner_id: int, what: str) -> None:
    """Refuse an object of another workspace as if it did not exist."""
    if owner_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND, _("There is no such %(what)s in this workspace."), {"what": what}
        )


def model_problems(instance: models.Model, exclude: Iterable[str] = ()) -> list[FieldProblem]:
    """What the model's own validation says (lengths, choices, number ranges), as field problems."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return validation_problems(error)
    return []


def stripped(changes: dict[str, Any]) -> dict[str, Any]:
    return {key: value.strip() if isinstance(value, str) else value for key, value in changes.items()}
