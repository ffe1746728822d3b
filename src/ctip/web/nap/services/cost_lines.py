"""The cost lines of activities: unit cost × quantity × frequency in a currency, for a year of the plan, with
the funding source, the gender marker (0/1/2 and why) and the beneficiaries by sex and age.

Money is :class:`~decimal.Decimal`; a unit cost is 0 or more, a quantity and a frequency above 0, the
currency three letters (the plan's currency when not given), the year inside the plan period. Every change
checks ``edit_content``, validates with field-named problems, writes, bumps the version and audits
(``nap.cost_line.create`` / ``update`` / ``delete``) in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.nap.models import FUNDING_CHOICES, NapCostLine, NapElement
from ctip.web.nap.services import values as read

__all__ = [
    "COST_LINE_FIELDS",
    "cost_line_code_next",
    "cost_line_create",
    "cost_line_delete",
    "cost_line_update",
]

COST_LINE_FIELDS = [
    "code",
    "description",
    "unit",
    "unit_cost",
    "quantity",
    "frequency",
    "year",
    "currency",
    "funding_source",
    "funder",
    "gender_marker",
    "marker_justification",
    "beneficiaries_women",
    "beneficiaries_men",
    "beneficiaries_girls",
    "beneficiaries_boys",
    "targets_women_or_girls",
]
"""What ``values`` may hold, and what the audit log records (with ``position``)."""

BENEFICIARIES = ("beneficiaries_women", "beneficiaries_men", "beneficiaries_girls", "beneficiaries_boys")


def cost_line_code_next(activity: NapElement) -> str:
    """``C1``, ``C2``…: the first free number among the activity's lines."""
    taken = set(NapCostLine.objects.filter(activity=activity).values_list("code", flat=True))
    number = len(taken) + 1
    while f"C{number}" in taken:
        number += 1
    return f"C{number}"


def _clean(
    activity: NapElement, values: Mapping[str, Any], problems: list[FieldProblem], *, line: NapCostLine | None
) -> dict[str, Any]:
    plan = activity.plan
    cleaned: dict[str, Any] = {
        "code": read.code(values, "code", problems),
        "description": read.text(values, "description", problems, required=True, limit=500),
        "unit": read.text(values, "unit", problems, limit=100),
        "unit_cost": read.decimal(values, "unit_cost", problems),
        "quantity": read.decimal(values, "quantity", problems, default=Decimal(1), positive=True, places=3),
        "frequency": read.decimal(values, "frequency", problems, default=Decimal(1), positive=True, places=3),
        "funder": read.text(values, "funder", problems, limit=250),
        "gender_marker": read.whole(values, "gender_marker", problems, low=0, high=2, default=0),
        "marker_justification": read.text(values, "marker_justification", problems, multiline=True),
        "targets_women_or_girls": read.flag(values, "targets_women_or_girls"),
    }
    year = read.whole(values, "year", problems)
    if year is not None and not plan.period_start <= year <= plan.period_end:
        problems.append(
            FieldProblem(
                "year",
                _("%(year)s is outside the plan period %(start)s–%(end)s: choose a year inside it."),
                {"year": year, "start": plan.period_start, "end": plan.period_end},
            )
        )
    cleaned["year"] = year
    currency = str(values.get("currency") or plan.currency).strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        problems.append(
            FieldProblem(
                "currency",
                _("“%(value)s” is not a currency code: use the three letters of ISO 4217, e.g. USD."),
                {"value": currency},
            )
        )
    cleaned["currency"] = currency
    source = str(values.get("funding_source") or "unfunded").strip().lower()
    if source not in dict(FUNDING_CHOICES):
        problems.append(
            FieldProblem(
                "funding_source",
                _("“%(value)s” is not a funding source: choose government, donor or unfunded."),
                {"value": source},
            )
        )
    cleaned["funding_source"] = source
    for name in BENEFICIARIES:
        cleaned[name] = read.whole(values, name, problems, low=0)
    if cleaned["code"]:
        taken = NapCostLine.objects.filter(activity=activity, code=cleaned["code"])
        if line is not None:
            taken = taken.exclude(pk=line.pk)
        if taken.exists():
            problems.append(
                FieldProblem(
                    "code",
                    _(
                        "The code “%(code)s” is already used by another line of %(activity)s: give this line its own code."
                    ),
                    {"code": cleaned["code"], "activity": activity.code},
                )
            )
    return cleaned


def _require_activity(activity: NapElement) -> None:
    if activity.level != "activity":
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Cost lines belong to activities; %(code)s is not an activity. Add the line to one of its activities."
            ),
            {"code": activity.code},
        )


def cost_line_create(
    *, activity: NapElement, values: Mapping[str, Any], acting_user: User | None
) -> NapCostLine:
    """A new line at the end of the activity's lines; an empty code gets :func:`cost_line_code_next`."""
    require_permission(acting_user, activity.workspace, Permission.EDIT_CONTENT)
    _require_activity(activity)
    with transaction.atomic():
        NapElement.objects.select_for_update().get(pk=activity.pk)
        problems: list[FieldProblem] = []
        cleaned = _clean(activity, values, problems, line=None)
        read.refuse(problems, str(_("cost line")))
        if not cleaned["code"]:
            cleaned["code"] = cost_line_code_next(activity)
        last = (
            NapCostLine.objects.filter(activity=activity)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        line = NapCostLine.objects.create(
            workspace=activity.workspace,
            activity=activity,
            position=0 if last is None else last + 1,
            **cleaned,
        )
        read.audit(acting_user=acting_user, instance=line, action="cost_line.create", fields=COST_LINE_FIELDS)
    return line


def cost_line_update(
    *,
    line: NapCostLine,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> NapCostLine:
    """Change a line (fields not in ``values`` keep their value)."""
    require_permission(acting_user, line.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = NapCostLine.objects.select_for_update().select_related("activity__plan").get(pk=line.pk)
        read.version_check(current, expected_version, values, fields=COST_LINE_FIELDS)
        merged = {name: getattr(current, name) for name in COST_LINE_FIELDS} | {
            name: value for name, value in values.items() if name in COST_LINE_FIELDS
        }
        problems: list[FieldProblem] = []
        cleaned = _clean(current.activity, merged, problems, line=current)
        read.refuse(problems, str(_("cost line")))
        cleaned["code"] = cleaned["code"] or current.code
        read.save_changes(
            current, cleaned, COST_LINE_FIELDS, acting_user=acting_user, action="cost_line.update"
        )
    return current


def cost_line_delete(*, line: NapCostLine, acting_user: User | None) -> None:
    require_permission(acting_user, line.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        read.audit(
            acting_user=acting_user,
            instance=line,
            action="cost_line.delete",
            fields=COST_LINE_FIELDS,
            before=record_values(line, COST_LINE_FIELDS),
            after=False,
        )
        line.delete()
