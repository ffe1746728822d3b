"""API endpoints of the M&E framework, mounted under /api/v1/ (see ctip.web.api): the logframe, the
indicators with their metadata, status and SMART summary, one indicator's values and progress, and
posting actuals (all or nothing, with a dry run)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ctip.core.access import Permission
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import workspace_access
from ctip.web.monitoring import selectors, services
from ctip.web.monitoring.models import Indicator

router = Router(tags=["monitoring"])


class IndicatorBriefOut(Schema):
    id: uuid.UUID
    code: str


class ResultOut(Schema):
    id: uuid.UUID
    tier: int
    tier_label: str
    parent: uuid.UUID | None
    code: str
    statement_en: str
    statement_fr: str
    pillar: str
    indicators: list[IndicatorBriefOut]


class FrameworkOut(Schema):
    tiers: list[dict[str, str]]
    results: list[ResultOut]


class IndicatorOut(Schema):
    id: uuid.UUID
    result: uuid.UUID
    code: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    unit: str
    direction: str
    cumulative_rule: str
    baseline_value: float | None
    baseline_date: dt.date | None
    baseline_not_applicable: bool
    baseline_detail: dict
    lop_target: float | None
    disaggregation: list[str]
    means_of_verification: str
    collection_method: str
    frequency: str
    responsible_agency: str
    data_source: str
    status: str
    latest_year: int | None
    smart: str
    version: int


class ValueOut(Schema):
    id: uuid.UUID
    kind: str
    period: str
    sex: str
    location: str
    value: float
    source: str
    note: str
    entered_by: str | None


class YearOut(Schema):
    year: int
    sex: str
    location: str
    target: float | None
    expected: float | None
    actual: float | None
    compared: float | None
    share_reported: float
    achievement: float | None
    status: str


class IndicatorValuesOut(Schema):
    indicator: str
    status: str
    values: list[ValueOut]
    progress: list[YearOut]


class ActualIn(Schema):
    indicator: str
    period: str
    value: str | float
    sex: str = ""
    location: str = ""
    source: str = ""
    note: str = ""
    kind: str = "actual"


class ActualsIn(Schema):
    values: list[ActualIn]
    dry_run: bool = False


class ActualRowOut(Schema):
    row: int
    indicator: str
    kind: str
    period: str
    sex: str
    location: str
    value: float
    action: str


class ActualsOut(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rows: list[ActualRowOut]


def _float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


@router.get("w/{workspace}/monitoring/framework", response={200: FrameworkOut, **ERRORS})
def framework_get(request: HttpRequest, workspace: str) -> FrameworkOut:
    """The logframe: tier names and the results in reading order, with their indicators' codes."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    language = request.LANGUAGE_CODE or "en"
    tree = selectors.framework_tree(found, language)
    parents = {item.node.pk: item.node.uuid for item in tree}
    return FrameworkOut(
        tiers=services.tier_names(found),
        results=[
            ResultOut(
                id=item.node.uuid,
                tier=item.node.tier,
                tier_label=item.tier_label,
                parent=parents.get(item.node.parent_id) if item.node.parent_id else None,
                code=item.node.code,
                statement_en=item.node.statement_en,
                statement_fr=item.node.statement_fr,
                pillar=item.node.pillar,
                indicators=[
                    IndicatorBriefOut(id=i.indicator.uuid, code=i.indicator.code) for i in item.indicators
                ],
            )
            for item in tree
        ],
    )


@router.get("w/{workspace}/monitoring/indicators", response={200: list[IndicatorOut], **ERRORS})
def indicators_list(request: HttpRequest, workspace: str) -> list[IndicatorOut]:
    """Every indicator with its metadata, its status (on_track, off_track, no_data) and SMART summary."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    language = request.LANGUAGE_CODE or "en"
    rows = []
    for item in selectors.framework_tree(found, language):
        for entry in item.indicators:
            indicator = entry.indicator
            rows.append(
                IndicatorOut(
                    id=indicator.uuid,
                    result=item.node.uuid,
                    code=indicator.code,
                    name_en=indicator.name_en,
                    name_fr=indicator.name_fr,
                    definition_en=indicator.definition_en,
                    definition_fr=indicator.definition_fr,
                    unit=indicator.unit,
                    direction=indicator.direction,
                    cumulative_rule=indicator.cumulative_rule,
                    baseline_value=_float(indicator.baseline_value),
                    baseline_date=indicator.baseline_date,
                    baseline_not_applicable=indicator.baseline_not_applicable,
                    baseline_detail=indicator.baseline_detail or {},
                    lop_target=_float(indicator.lop_target),
                    disaggregation=list(indicator.disaggregation or []),
                    means_of_verification=indicator.means_of_verification,
                    collection_method=indicator.collection_method,
                    frequency=indicator.frequency,
                    responsible_agency=indicator.responsible_agency,
                    data_source=indicator.data_source,
                    status=entry.progress.status.value,
                    latest_year=entry.progress.latest_year,
                    smart=entry.summary,
                    version=indicator.version,
                )
            )
    return rows


@router.get(
    "w/{workspace}/monitoring/indicators/{indicator}/values", response={200: IndicatorValuesOut, **ERRORS}
)
def indicator_values(request: HttpRequest, workspace: str, indicator: uuid.UUID) -> IndicatorValuesOut:
    """The indicator's targets and actuals, and its progress per year and disaggregation."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    row = get_object_or_404(Indicator.objects.select_related("workspace"), workspace=found, uuid=indicator)
    values = selectors.indicator_values(row)
    progress = selectors.progress_of(row, values)
    return IndicatorValuesOut(
        indicator=row.code,
        status=progress.status.value,
        values=[
            ValueOut(
                id=value.uuid,
                kind=value.kind,
                period=value.period,
                sex=value.sex,
                location=value.location,
                value=float(value.value),
                source=value.source,
                note=value.note,
                entered_by=value.entered_by.username if value.entered_by else None,
            )
            for value in values
        ],
        progress=[
            YearOut(
                year=year.year,
                sex=year.cell[0],
                location=year.cell[1],
                target=year.target,
                expected=year.expected,
                actual=year.actual,
                compared=year.compared,
                share_reported=year.share,
                achievement=year.achievement,
                status=year.status.value,
            )
            for year in progress.years
        ],
    )


@router.post("w/{workspace}/monitoring/actuals", response={200: ActualsOut, **ERRORS})
def actuals_post(request: HttpRequest, workspace: str, payload: ActualsIn) -> ActualsOut:
    """Post actuals (or targets, with ``kind: "target"``): every value or none. Each value: ``indicator``
    (code), ``period`` (2026 or 2026-Q2), ``sex`` ("", women, men), ``location`` ("" for all), ``value``,
    ``source`` (required for actuals), ``note``. ``dry_run`` only says what would change."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    rows = [{key: str(value) for key, value in item.dict().items()} for item in payload.values]
    preview = services.values_entries_apply(
        workspace=found, rows=rows, acting_user=request.user, dry_run=payload.dry_run
    )
    return ActualsOut(
        dry_run=payload.dry_run,
        created=preview.to_create,
        updated=preview.to_update,
        unchanged=preview.unchanged,
        rows=[
            ActualRowOut(
                row=row.row,
                indicator=row.entry.indicator,
                kind=row.entry.kind.value,
                period=str(row.entry.period),
                sex=row.entry.sex,
                location=row.entry.location,
                value=row.entry.value,
                action=row.action,
            )
            for row in preview.rows
        ],
    )
