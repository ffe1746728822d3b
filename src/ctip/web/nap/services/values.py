"""Reading and checking the values a form, the API or an import hands to the NAP services: text, whole
numbers, decimals (money is :class:`~decimal.Decimal`, never ``float``), the version guard and the audit
row. Each reader appends a :class:`~ctip.core.errors.FieldProblem` named after the field and returns a
usable value, so one call reports every problem of the form at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User
from ctip.web.accounts.records import record_values

__all__: list[str] = []


def text(
    values: Mapping[str, Any],
    name: str,
    problems: list[FieldProblem],
    *,
    required: bool = False,
    limit: int | None = None,
    multiline: bool = False,
) -> str:
    raw = values.get(name)
    value = "" if raw is None else str(raw)
    value = value.strip() if multiline else " ".join(value.split())
    if required and not value:
        problems.append(FieldProblem(name, _("This field is required.")))
    if limit is not None and len(value) > limit:
        problems.append(
            FieldProblem(
                name,
                _("This has %(length)s characters; at most %(limit)s fit. Shorten it."),
                {"length": len(value), "limit": limit},
            )
        )
    return value


def code(values: Mapping[str, Any], name: str, problems: list[FieldProblem]) -> str:
    """A code as typed, without spaces; ``/`` is refused (it joins codes into paths)."""
    value = "".join(str(values.get(name) or "").split())
    if "/" in value:
        problems.append(
            FieldProblem(name, _("“%(code)s” cannot be a code: remove the “/”."), {"code": value})
        )
    elif len(value) > 40:
        problems.append(
            FieldProblem(name, _("A code has at most 40 characters; “%(code)s” is longer."), {"code": value})
        )
    return value


def whole(
    values: Mapping[str, Any],
    name: str,
    problems: list[FieldProblem],
    *,
    low: int | None = None,
    high: int | None = None,
    required: bool = False,
    default: int | None = None,
) -> int | None:
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            problems.append(FieldProblem(name, _("This field is required.")))
        return default
    if isinstance(raw, bool):
        raw = int(raw)
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value():
        problems.append(
            FieldProblem(name, _("“%(value)s” is not a whole number: enter digits only."), {"value": raw})
        )
        return default
    value = int(number)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            problems.append(
                FieldProblem(
                    name, _("%(value)s is too small: enter %(low)s or more."), {"value": value, "low": low}
                )
            )
        else:
            problems.append(
                FieldProblem(
                    name,
                    _("%(value)s is outside the range: enter a number from %(low)s to %(high)s."),
                    {"value": value, "low": low, "high": high},
                )
            )
        return default
    return value


def decimal(
    values: Mapping[str, Any],
    name: str,
    problems: list[FieldProblem],
    *,
    default: Decimal | None = None,
    positive: bool = False,
    places: int = 2,
) -> Decimal | None:
    """A decimal ≥ 0 (> 0 when ``positive``); a ``float`` is read through its text so 0.1 stays 0.1."""
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if default is None:
            problems.append(FieldProblem(name, _("This field is required.")))
        return default
    try:
        number = Decimal(str(raw).strip().replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        problems.append(
            FieldProblem(
                name,
                _("“%(value)s” is not a number: write it with digits and a decimal point, e.g. 1250.50."),
                {"value": raw},
            )
        )
        return default
    if positive and number <= 0:
        problems.append(
            FieldProblem(name, _("%(value)s cannot be used: enter a number above 0."), {"value": number})
        )
        return default
    if number < 0:
        problems.append(
            FieldProblem(
                name, _("%(value)s cannot be used: enter 0 or a positive number."), {"value": number}
            )
        )
        return default
    if number != number.quantize(Decimal(1).scaleb(-places)):
        problems.append(
            FieldProblem(
                name,
                _("%(value)s has too many decimals: at most %(places)s are kept."),
                {"value": number, "places": places},
            )
        )
        return default
    return number.quantize(Decimal(1).scaleb(-places))


def flag(values: Mapping[str, Any], name: str, default: bool = False) -> bool:
    raw = values.get(name, default)
    if isinstance(raw, str):
        return raw.strip().lower() in {"1", "true", "yes", "on", "oui"}
    return bool(raw)


def lines(values: Mapping[str, Any], name: str) -> list[str]:
    """A list of short texts given as a list or as one text, one item a line."""
    raw = values.get(name)
    if raw is None:
        return []
    items = raw.splitlines() if isinstance(raw, str) else [str(item) for item in raw]
    return [cleaned for item in items if (cleaned := " ".join(item.split()))]


def refuse(problems: list[FieldProblem], what: str) -> None:
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The %(what)s cannot be saved; correct the fields listed."),
            {"what": what},
            problems=problems,
        )


def version_check(
    instance: models.Model,
    expected_version: int | None,
    submitted: Mapping[str, Any] | None = None,
    *,
    fields: Iterable[str] = (),
) -> None:
    """Refuse a stale ``expected_version`` (``conflict``), naming who saved and, for each of the
    ``submitted`` values of ``fields`` that differs from ``instance`` (the locked, stored row), both values."""
    wanted = set(fields)
    conflict_check(
        current=instance,
        expected_version=expected_version,
        submitted={name: value for name, value in (submitted or {}).items() if name in wanted},
    )


def audit(
    *,
    acting_user: User | None,
    instance: models.Model,
    action: str,
    fields: list[str],
    before: dict[str, Any] | None = None,
    after: bool = True,
) -> None:
    audit_record(
        acting_user=acting_user,
        workspace=instance.workspace,
        action=f"nap.{action}",
        obj=instance,
        before=before,
        after=record_values(instance, fields) if after else None,
    )


def save_changes(
    instance: Any, cleaned: Mapping[str, Any], fields: Any, *, acting_user: User | None, action: str
) -> None:
    """Set ``cleaned`` on ``instance``; when that changes any of ``fields``, bump its version, save it and
    audit the change (nothing at all when the values are the same)."""
    before = record_values(instance, fields)
    for name, value in cleaned.items():
        setattr(instance, name, value)
    if record_values(instance, fields) == before:
        return
    instance.version += 1
    instance.updated_at = timezone.now()
    instance.save()
    audit(acting_user=acting_user, instance=instance, action=action, fields=fields, before=before)
