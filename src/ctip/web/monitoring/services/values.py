"""Targets and actuals of an indicator: set one value (create or change, keyed by kind × period × sex ×
location), delete one, fill the baseline from the TNA survey, and fill the targets of a "people trained"
indicator from the adopted capacity plan. Every write is audited in the transaction that makes it."""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.monitoring import (
    ALL,
    CumulativeRule,
    Sex,
    TnaBaseline,
    Unit,
    ValueKind,
    parse_period,
    tna_baseline,
    value_problems,
)
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.monitoring.services.framework import INDICATOR_FIELDS, VALUE_FIELDS

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
TEXT_MAX = 250
LOCATION_MAX = 100
SEX_VALUES = (ALL, Sex.FEMALE.value, Sex.MALE.value)


@dataclass(frozen=True)
class ValueInput:
    """One value to write, already read (from a form, the API or an imported row)."""

    kind: str
    period: str
    sex: str
    location: str
    value: float
    source: str = ""
    note: str = ""


def value_input_problems(indicator: Indicator, item: ValueInput, prefix: str = "") -> list[FieldProblem]:
    """What is wrong with ``item`` for ``indicator`` (``prefix`` goes before each field name)."""
    problems: list[FieldProblem] = []
    if item.kind not in {kind.value for kind in ValueKind}:
        problems.append(FieldProblem(prefix + "kind", _("Choose “target” or “actual”.")))
    try:
        parse_period(item.period)
    except DomainError as error:
        problems.append(FieldProblem(prefix + "period", error.template, error.params))
    if item.sex not in SEX_VALUES:
        problems.append(FieldProblem(prefix + "sex", _("Choose women, men, or all.")))
    for name, template, params in value_problems(Unit(indicator.unit), item.value, "value"):
        problems.append(FieldProblem(prefix + name, template, params))
    if item.kind == ValueKind.ACTUAL.value and not item.source.strip():
        problems.append(
            FieldProblem(
                prefix + "source", _("Say where the figure comes from (the report, register or database).")
            )
        )
    for name, text, limit in (
        ("location", item.location, LOCATION_MAX),
        ("source", item.source, TEXT_MAX),
        ("note", item.note, TEXT_MAX),
    ):
        if len(text.strip()) > limit:
            problems.append(
                FieldProblem(
                    prefix + name,
                    _("At most %(limit)s characters, not %(count)s."),
                    {"limit": limit, "count": len(text.strip())},
                )
            )
    return problems


def existing_value(
    indicator: Indicator, kind: str, period: str, sex: str, location: str
) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.filter(
            indicator=indicator, kind=kind, period=period, sex=sex, location__iexact=location
        )
        .order_by("id")
        .first()
    )


def value_action(current: IndicatorValue | None, item: ValueInput) -> str:
    if current is None:
        return CREATE
    same = (
        current.value == decimal.Decimal(str(item.value))
        and current.source == item.source.strip()
        and current.note == item.note.strip()
    )
    return UNCHANGED if same else UPDATE


def write_value(
    *, indicator: Indicator, item: ValueInput, acting_user: User | None
) -> tuple[IndicatorValue | None, str]:
    """Create or change the value (no permission check: the callers do it); unchanged values are left
    alone. The caller runs it inside a transaction."""
    period = str(parse_period(item.period))
    location = item.location.strip()
    current = existing_value(indicator, item.kind, period, item.sex, location)
    action = value_action(current, item)
    workspace = indicator.workspace
    amount = decimal.Decimal(str(item.value))
    if action == CREATE:
        created = record_create(
            model=IndicatorValue,
            workspace=workspace,
            values={
                "workspace": workspace,
                "indicator": indicator,
                "kind": item.kind,
                "period": period,
                "sex": item.sex,
                "location": location,
                "value": amount,
                "source": item.source.strip(),
                "note": item.note.strip(),
                "entered_by": acting_user,
            },
            acting_user=acting_user,
            audited_fields=VALUE_FIELDS,
        )
        return created, action
    if action == UPDATE and current is not None:
        updated = record_update(
            instance=current,
            workspace=workspace,
            changes={
                "value": amount,
                "source": item.source.strip(),
                "note": item.note.strip(),
                "entered_by": acting_user,
            },
            acting_user=acting_user,
            audited_fields=VALUE_FIELDS,
        )
        return updated, action
    return current, action


def indicator_value_set(
    *, indicator: Indicator, item: ValueInput, acting_user: User | None
) -> tuple[IndicatorValue | None, str]:
    """Set one target or actual; returns the value and ``create``, ``update`` or ``unchanged``."""
    require_permission(acting_user, indicator.workspace, Permission.EDIT_CONTENT)
    problems = value_input_problems(indicator, item)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The value cannot be saved; correct the fields listed."),
            problems=problems,
        )
    with transaction.atomic():
        return write_value(indicator=indicator, item=item, acting_user=acting_user)


def indicator_value_delete(*, value: IndicatorValue, acting_user: User | None) -> None:
    workspace = value.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    record_delete(instance=value, workspace=workspace, acting_user=acting_user, audited_fields=VALUE_FIELDS)


# --- Baseline from the TNA -------------------------------------------------------------------------------


def _baseline_detail(
    result: TnaBaseline, instrument_uuid: str, filters: Mapping[str, Collection[str]]
) -> dict[str, Any]:
    return {
        "source": "tna",
        "instrument": instrument_uuid,
        "competency": result.competency,
        "threshold": result.threshold,
        "scale_max": result.scale_max,
        "filters": {name: sorted(values) for name, values in sorted(filters.items())},
        "n": result.total.n,
        "count": result.total.count,
        "by_sex": {
            sex: {"value": share.value, "n": share.n, "suppressed": share.suppressed}
            for sex, share in result.by_sex.items()
        },
    }


def _baseline_note(result: TnaBaseline) -> str:
    """A short English note for the record; pages and documents word it from ``baseline_detail``."""
    parts = [
        f"TNA: competence in {result.competency} ≥ {result.threshold}/{result.scale_max}, n = {result.total.n}"
    ]
    for sex, share in result.by_sex.items():
        shown = "withheld (small group)" if share.value is None else f"{share.value:.1f} %"
        parts.append(f"{sex}: {shown} (n = {share.n})")
    return "; ".join(parts)


def indicator_baseline_from_tna(
    *,
    indicator: Indicator,
    instrument: Any,
    competency: str,
    threshold: int,
    filters: Mapping[str, Collection[str]],
    baseline_date: Any,
    acting_user: User | None,
) -> TnaBaseline:
    """Set the indicator's baseline to the share of the respondents kept by ``filters`` who rate their
    competence in ``competency`` at ``threshold`` or above (see ``ctip.core.monitoring.tna_baseline``),
    with the shares by sex in ``baseline_detail``. The indicator must be a percentage."""
    from ctip.web.needs.data import workspace_needs_data

    workspace = indicator.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if indicator.unit != Unit.PERCENT.value:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "A baseline from the TNA is a percentage of respondents; “%(code)s” counts a number. Change its unit to percentage first."
            ),
            {"code": indicator.code},
        )
    if instrument is None or instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no survey with answers in this workspace yet."))
    with translation.override("en"):  # attribute values (organisation types, levels) in one language
        data = workspace_needs_data(workspace, instrument)
    result = tna_baseline(data, competency=competency, threshold=threshold, filters=filters)
    value = decimal.Decimal(f"{result.total.value:.2f}") if result.total.value is not None else None
    record_update(
        instance=indicator,
        workspace=workspace,
        changes={
            "baseline_value": value,
            "baseline_date": baseline_date,
            "baseline_not_applicable": False,
            "baseline_note": _baseline_note(result)[:500],
            "baseline_detail": _baseline_detail(result, str(instrument.uuid), filters),
        },
        acting_user=acting_user,
        audited_fields=INDICATOR_FIELDS,
    )
    return result


# --- Targets from the adopted plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTargets:
    scenario: str
    written: int
    removed: int
    by_year: Mapping[int, int]


def plan_seats(
    workspace: Workspace, *, modules: Sequence[str] = ()
) -> tuple[str, dict[tuple[int, str, str], int]]:
    """The adopted scenario's name and its seats by (year, sex, location of the segment), for the sessions
    of ``modules`` (codes; all modules when empty). Quarter q of the plan falls in year
    ``plan_start_year + (q − 1) // 4``."""
    from ctip.web.planning.models import PlanScenario, PlanSegment, PlanSession

    scenario = (
        PlanScenario.objects.filter(workspace=workspace, is_adopted=True).order_by("created_at").first()
    )
    if scenario is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("No capacity plan has been adopted yet: adopt a scenario on the plan's scenario page first."),
        )
    locations = dict(PlanSegment.objects.filter(workspace=workspace).values_list("code", "location"))
    sessions = (
        PlanSession.objects.filter(scenario=scenario).select_related("module").order_by("quarter", "id")
    )
    if modules:
        sessions = sessions.filter(module__code__in=list(modules))
    seats: dict[tuple[int, str, str], int] = defaultdict(int)
    for session in sessions:
        year = workspace.plan_start_year + (session.quarter - 1) // 4
        for seat in session.seats or []:
            location = locations.get(str(seat.get("segment", "")), session.location)
            for sex in (Sex.FEMALE.value, Sex.MALE.value):
                count = int(seat.get(sex) or 0)
                if count:
                    seats[(year, sex, location)] += count
    return scenario.name, dict(seats)


def indicator_targets_from_plan(
    *, indicator: Indicator, acting_user: User | None, modules: Sequence[str] = ()
) -> PlanTargets:
    """Replace the yearly targets of a "people trained" indicator (a cumulative number) with the seats of
    the adopted plan, per year × sex × location; totals are worked out from these cells. Targets of other
    periods are removed. Seats count participations: one person in two sessions counts twice."""
    workspace = indicator.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if (
        indicator.unit != Unit.NUMBER.value
        or indicator.cumulative_rule == CumulativeRule.CUMULATIVE_NON_SUMMING.value
    ):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Targets from the plan count people trained, a number that adds up; “%(code)s” is not such an "
                "indicator (its unit must be a number, and its values not totals to date)."
            ),
            {"code": indicator.code},
        )
    scenario, seats = plan_seats(workspace, modules=modules)
    if not seats:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The adopted plan “%(scenario)s” has no seats for these modules; nothing was changed."),
            {"scenario": scenario},
        )
    source = f"Adopted plan: {scenario}"[:TEXT_MAX]
    by_year: dict[int, int] = defaultdict(int)
    with transaction.atomic():
        keep: set[tuple[str, str, str]] = set()
        written = 0
        for (year, sex, location), count in sorted(seats.items()):
            item = ValueInput(ValueKind.TARGET.value, str(year), sex, location, float(count), source)
            _value, action = write_value(indicator=indicator, item=item, acting_user=acting_user)
            keep.add((str(year), sex, location.casefold()))
            written += action != UNCHANGED
            by_year[year] += count
        removed = 0
        for old in IndicatorValue.objects.filter(indicator=indicator, kind=ValueKind.TARGET.value).order_by(
            "id"
        ):
            if (old.period, old.sex, old.location.casefold()) not in keep:
                record_delete(
                    instance=old, workspace=workspace, acting_user=acting_user, audited_fields=VALUE_FIELDS
                )
                removed += 1
    return PlanTargets(scenario, written, removed, dict(by_year))
