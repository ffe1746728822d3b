"""Optimistic locking: refusing a change made from a stale version, with both values in the message.

Every editable record carries a ``version`` (``WorkspaceOwned``). A form or an API call sends the version it
started from; when someone else saved in between, :func:`conflict_check` refuses with a
:class:`VersionConflict` (a :class:`~ctip.core.errors.DomainError` of code ``conflict``) that says who saved,
when, and — for each field the person was changing — the value they entered and the value stored now, so
nothing is silently overwritten and nobody has to guess what the other person did.

On a web form, :func:`conflict_form_refresh` then puts the version stored now in the form's ``version``
field: the page keeps what the person typed, shows both values beside each field, and a second, deliberate
save overwrites knowingly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import AuditEntry

EMPTY = "—"

_NUMBER_FIELDS = (models.DecimalField, models.FloatField, models.IntegerField)


class VersionConflict(DomainError):
    """The ``conflict`` raised by :func:`conflict_check`. Besides the message and one problem per differing
    field, it carries the version stored now and the fields' names as people know them."""

    def __init__(
        self,
        template: str,
        params: Mapping[str, object],
        *,
        problems: list[FieldProblem],
        current_version: int,
        labels: Mapping[str, str],
    ) -> None:
        super().__init__(ErrorCode.CONFLICT, template, params, problems=problems)
        self.current_version = current_version
        self.labels = dict(labels)


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _stored(current: models.Model, name: str, field: models.Field[Any, Any] | None) -> Any:
    if field is not None and field.many_to_many:
        return list(getattr(current, name).all())
    return getattr(current, name)


def _is_identifier(value: Any) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _choice_labels(field: models.Field[Any, Any] | None) -> dict[str, str]:
    if field is None or not field.choices:
        return {}
    return {str(key): str(label) for key, label in field.flatchoices}


def _items(value: Any) -> list[Any] | None:
    if isinstance(value, models.QuerySet | models.Manager):
        return list(value.all())
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return None


def shown_value(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    """A stored or submitted value as a person reads it: names rather than identifiers, choice labels,
    dates as ``2026-03-31``, lists joined; ``—`` when empty."""
    items = _items(value)
    if items is not None:
        texts = [text for item in items if (text := shown_value(item, field)) != EMPTY]
        nested = any(isinstance(item, Mapping | list | tuple) for item in items)
        return (" | " if nested else ", ").join(texts) or EMPTY
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return gettext("a file of %(size)s bytes") % {"size": len(bytes(value))}
    if isinstance(value, Mapping):
        texts = [
            text
            for item in value.values()
            if not _is_identifier(item) and (text := shown_value(item)) != EMPTY
        ]
        return "; ".join(texts) or EMPTY
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    labels = _choice_labels(field)
    if str(value) in labels:
        return labels[str(value)]
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    # Browsers send text boxes with CRLF line ends; the API and the stored text may have LF.
    return str(value).replace("\r\n", "\n").strip()


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _keys(value: Any) -> list[str] | None:
    """The primary keys of a record or of a list of records (``None`` when ``value`` holds anything else)."""
    items = _items(value)
    if items is None:
        items = [value]
    if items and all(isinstance(item, models.Model) for item in items):
        return sorted(str(item.pk) for item in items)
    return None


def _records(value: Any, field: models.Field[Any, Any] | None) -> Any:
    """``value`` with the records it names by UUID (as the API sends them) looked up, when ``field`` is a
    relation; what is not found is kept as given."""
    related = field.related_model if field is not None and field.is_relation else None
    if not (isinstance(related, type) and issubclass(related, models.Model)):
        return value
    model: type[models.Model] = related
    if _model_field(model, "uuid") is None:
        return value
    items = _items(value)
    listed = items if items is not None else [value]
    wanted = [str(item) for item in listed if _is_identifier(item)]
    if not wanted:
        return value
    found = {str(record.uuid): record for record in model._default_manager.filter(uuid__in=wanted)}
    resolved = [found.get(str(item), item) if _is_identifier(item) else item for item in listed]
    return resolved if items is not None else resolved[0]


def _same(yours: Any, stored: Any, field: models.Field[Any, Any] | None) -> bool:
    stored_keys, your_keys = _keys(stored), _keys(yours)
    if stored_keys is not None and your_keys is not None:
        return stored_keys == your_keys
    if isinstance(field, _NUMBER_FIELDS) and not field.choices:
        your_number, stored_number = _number(yours), _number(stored)
        if your_number is not None and stored_number is not None:
            return your_number == stored_number
    return shown_value(yours, field) == shown_value(stored, field)


def field_label(model: type[models.Model], name: str) -> str:
    """The field's name as people know it (its verbose name), or ``name`` when the model has no such field."""
    field = _model_field(model, name)
    return str(field.verbose_name) if field is not None else name


def conflict_problems(current: models.Model, submitted: Mapping[str, Any]) -> list[FieldProblem]:
    """One problem for each submitted field whose value differs from the stored one: both values."""
    problems: list[FieldProblem] = []
    for name, yours in submitted.items():
        if name == "version" or not hasattr(current, name):
            continue
        field = _model_field(type(current), name)
        stored = _stored(current, name, field)
        yours = _records(yours, field)
        if _same(yours, stored, field):
            continue
        problems.append(
            FieldProblem(
                name,
                _("Your value: “%(yours)s”. Value saved now: “%(theirs)s”."),
                {"yours": shown_value(yours, field), "theirs": shown_value(stored, field)},
            )
        )
    return problems


def _last_change(current: models.Model) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            object_type=current._meta.label_lower, object_id=str(getattr(current, "uuid", current.pk))
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def _who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.username
    return entry.actor_label or EMPTY


def _when(entry: AuditEntry) -> str:
    return f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"


# By (who saved is known, some field differs). Whole sentences, so that each can be translated.
_TEMPLATES = {
    (True, True): _(
        "Someone else changed this %(what)s while you were editing: %(who)s saved it on %(when)s (you "
        "started from version %(yours)s; it is now version %(current)s). Nothing of yours was saved. Each "
        "field that differs shows your value and the value saved now: check them, then save again to keep "
        "yours."
    ),
    (True, False): _(
        "Someone else changed this %(what)s while you were editing: %(who)s saved it on %(when)s (you "
        "started from version %(yours)s; it is now version %(current)s). Nothing of yours was saved. Check "
        "the values saved now, then make your change again."
    ),
    (False, True): _(
        "Someone else changed this %(what)s while you were editing (you started from version %(yours)s; it "
        "is now version %(current)s). Nothing of yours was saved. Each field that differs shows your value "
        "and the value saved now: check them, then save again to keep yours."
    ),
    (False, False): _(
        "Someone else changed this %(what)s while you were editing (you started from version %(yours)s; it "
        "is now version %(current)s). Nothing of yours was saved. Check the values saved now, then make "
        "your change again."
    ),
}


def conflict_check(
    *, current: models.Model, expected_version: int | None, submitted: Mapping[str, Any] | None = None
) -> None:
    """Refuse (``conflict``) when ``expected_version`` is given and is not ``current``'s stored version.

    ``current`` should be the row as stored now (read with ``select_for_update`` inside the transaction);
    ``submitted`` the values the person wanted to save, by field name."""
    stored_version = getattr(current, "version", None)
    if expected_version is None or stored_version is None or stored_version == expected_version:
        return
    problems = conflict_problems(current, submitted or {})
    params: dict[str, object] = {
        "what": current._meta.verbose_name,
        "yours": expected_version,
        "current": stored_version,
    }
    last = _last_change(current)
    if last is not None:
        params |= {"who": _who(last), "when": _when(last)}
    raise VersionConflict(
        _TEMPLATES[(last is not None, bool(problems))],
        params,
        problems=problems,
        current_version=stored_version,
        labels={problem.location: field_label(type(current), problem.location) for problem in problems},
    )


def conflict_form_refresh(form: forms.Form, error: DomainError) -> None:
    """After a :class:`VersionConflict`, put the version stored now in the bound form's ``version`` field:
    the form keeps what the person typed, and saving it again overwrites knowingly."""
    if not isinstance(error, VersionConflict) or not form.is_bound or "version" not in form.fields:
        return
    data = form.data.copy()
    data[form.add_prefix("version")] = str(error.current_version)
    form.data = data
