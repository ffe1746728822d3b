"""The indicators of outcomes and outputs: the statement, its definition and unit, the baseline and its year,
a target per year (and per sex when disaggregated), the source of data, who reports it and how often.

Codes are unique in the plan (as :mod:`ctip.core.nap.model` requires); an empty code gets the element's
digits and the next number (``I1.1.1.1.2``). Target years lie inside the plan period. Every change checks
``edit_content``, validates with field-named problems, writes, bumps the version and audits
(``nap.indicator.create`` / ``update`` / ``delete``) in one transaction."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.nap.models import ActionPlan, NapElement, NapIndicator
from ctip.web.nap.services import values as read

__all__ = [
    "INDICATOR_FIELDS",
    "indicator_code_next",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
]

INDICATOR_FIELDS = [
    "code",
    "name",
    "definition",
    "unit",
    "baseline",
    "baseline_year",
    "targets",
    "source",
    "responsible_agency",
    "frequency",
]
"""What ``values`` may hold, and what the audit log records."""

SEXES = ("", "female", "male")


def indicator_code_next(element: NapElement) -> str:
    digits = re.sub(r"^[A-Za-z]+", "", element.code)
    taken = set(NapIndicator.objects.filter(element__plan_id=element.plan_id).values_list("code", flat=True))
    number = NapIndicator.objects.filter(element=element).count() + 1
    while True:
        candidate = f"I{digits}.{number}" if digits else f"I{element.code}.{number}"
        if candidate not in taken:
            return candidate
        number += 1


def _targets(plan: ActionPlan, raw: Any, problems: list[FieldProblem]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for index, item in enumerate(raw or ()):
        where = f"targets[{index}]"
        if not isinstance(item, Mapping):
            problems.append(FieldProblem(where, _("Give each target as a year and a value.")))
            continue
        value = " ".join(str(item.get("value") if item.get("value") is not None else "").split())
        if not value and not item.get("year"):
            continue
        inner: list[FieldProblem] = []
        year = read.whole(item, "year", inner, low=1900, high=2200, required=True)
        problems.extend(FieldProblem(f"{where}.{p.location}", p.template, p.params) for p in inner)
        if year is not None and not plan.period_start <= year <= plan.period_end:
            problems.append(
                FieldProblem(
                    f"{where}.year",
                    _("%(year)s is outside the plan period %(start)s–%(end)s: choose a year inside it."),
                    {"year": year, "start": plan.period_start, "end": plan.period_end},
                )
            )
        if not value:
            problems.append(
                FieldProblem(f"{where}.value", _("Give the value to reach in %(year)s."), {"year": year})
            )
        sex = str(item.get("sex") or "").strip().lower()
        if sex not in SEXES:
            problems.append(
                FieldProblem(
                    f"{where}.sex",
                    _("“%(value)s” is not a sex: leave it empty for the total, or write female or male."),
                    {"value": sex},
                )
            )
        if year is None or not value or sex not in SEXES:
            continue
        if (year, sex) in seen:
            problems.append(
                FieldProblem(
                    f"{where}.year",
                    _("There is already a target for %(year)s: give one target per year (and sex)."),
                    {"year": year},
                )
            )
            continue
        seen.add((year, sex))
        found.append({"year": year, "value": value, "sex": sex})
    return sorted(found, key=lambda target: (target["year"], SEXES.index(target["sex"])))


def _clean(
    element: NapElement,
    values: Mapping[str, Any],
    problems: list[FieldProblem],
    *,
    indicator: NapIndicator | None,
) -> dict[str, Any]:
    plan = element.plan
    cleaned: dict[str, Any] = {
        "code": read.code(values, "code", problems),
        "name": read.text(values, "name", problems, required=True, multiline=True),
        "definition": read.text(values, "definition", problems, multiline=True),
        "unit": read.text(values, "unit", problems, limit=50),
        "baseline": read.text(values, "baseline", problems, limit=250),
        "baseline_year": read.whole(values, "baseline_year", problems, low=1900, high=2200),
        "targets": _targets(plan, values.get("targets"), problems),
        "source": read.text(values, "source", problems, limit=250),
        "responsible_agency": read.text(values, "responsible_agency", problems, limit=250),
        "frequency": read.text(values, "frequency", problems, limit=50),
    }
    if cleaned["baseline_year"] is not None and cleaned["baseline_year"] > plan.period_end:
        problems.append(
            FieldProblem(
                "baseline_year",
                _(
                    "The baseline is measured in %(year)s, after the plan ends in %(end)s: give an earlier year."
                ),
                {"year": cleaned["baseline_year"], "end": plan.period_end},
            )
        )
    if cleaned["code"]:
        taken = NapIndicator.objects.filter(element__plan_id=plan.pk, code=cleaned["code"])
        if indicator is not None:
            taken = taken.exclude(pk=indicator.pk)
        if taken.exists():
            problems.append(
                FieldProblem(
                    "code",
                    _(
                        "The code “%(code)s” is already used by another indicator of this plan: give this one its own code."
                    ),
                    {"code": cleaned["code"]},
                )
            )
    return cleaned


def indicator_create(
    *, element: NapElement, values: Mapping[str, Any], acting_user: User | None
) -> NapIndicator:
    """A new indicator of an outcome or output, after its other indicators."""
    require_permission(acting_user, element.workspace, Permission.EDIT_CONTENT)
    if element.level not in ("outcome", "output"):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Indicators belong to outcomes and outputs; %(code)s is not one. Add it to an outcome or an output."
            ),
            {"code": element.code},
        )
    with transaction.atomic():
        NapElement.objects.select_for_update().get(pk=element.pk)
        problems: list[FieldProblem] = []
        cleaned = _clean(element, values, problems, indicator=None)
        read.refuse(problems, str(_("NAP indicator")))
        if not cleaned["code"]:
            cleaned["code"] = indicator_code_next(element)
        last = (
            NapIndicator.objects.filter(element=element)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        indicator = NapIndicator.objects.create(
            workspace=element.workspace, element=element, position=0 if last is None else last + 1, **cleaned
        )
        read.audit(
            acting_user=acting_user, instance=indicator, action="indicator.create", fields=INDICATOR_FIELDS
        )
    return indicator


def indicator_update(
    *,
    indicator: NapIndicator,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> NapIndicator:
    require_permission(acting_user, indicator.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = (
            NapIndicator.objects.select_for_update().select_related("element__plan").get(pk=indicator.pk)
        )
        read.version_check(current, expected_version, values, fields=INDICATOR_FIELDS)
        merged = {name: getattr(current, name) for name in INDICATOR_FIELDS} | {
            name: value for name, value in values.items() if name in INDICATOR_FIELDS
        }
        problems: list[FieldProblem] = []
        cleaned = _clean(current.element, merged, problems, indicator=current)
        read.refuse(problems, str(_("NAP indicator")))
        cleaned["code"] = cleaned["code"] or current.code
        read.save_changes(
            current, cleaned, INDICATOR_FIELDS, acting_user=acting_user, action="indicator.update"
        )
    return current


def indicator_delete(*, indicator: NapIndicator, acting_user: User | None) -> None:
    require_permission(acting_user, indicator.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        read.audit(
            acting_user=acting_user,
            instance=indicator,
            action="indicator.delete",
            fields=INDICATOR_FIELDS,
            before=record_values(indicator, INDICATOR_FIELDS),
            after=False,
        )
        indicator.delete()
