"""Reads of the M&E framework: the logframe as a tree with its indicators, each indicator's SMART verdict,
values and progress, and the framework as rows for the plan documents (:func:`framework_rows`).

A fixed number of queries whatever the size of the logframe: the results, the indicators and all their
values are each read once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from ctip.core.indicators import Criterion, IndicatorCheck, IndicatorRow, check_indicator
from ctip.core.monitoring import (
    TOTAL,
    CumulativeRule,
    DataPoint,
    Direction,
    IndicatorProgress,
    IndicatorSpec,
    Unit,
    ValueKind,
    indicator_progress,
    parse_period,
)
from ctip.core.monitoring.model import (
    DISAGGREGATION_LABELS,
    FREQUENCY_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    Disaggregation,
    Frequency,
    Status,
)
from ctip.web.accounts.models import Workspace
from ctip.web.monitoring.models import Indicator, IndicatorValue, ResultNode
from ctip.web.monitoring.services.framework import tier_names

SMART_LETTERS: Mapping[Criterion, str] = {
    Criterion.SPECIFIC: "S",
    Criterion.MEASURABLE: "M",
    Criterion.ACHIEVABLE: "A",
    Criterion.RELEVANT: "R",
    Criterion.TIME_BOUND: "T",
}
CRITERION_LABELS: Mapping[Criterion, Promise] = {
    Criterion.SPECIFIC: gettext_lazy("Specific"),
    Criterion.MEASURABLE: gettext_lazy("Measurable"),
    Criterion.ACHIEVABLE: gettext_lazy("Achievable"),
    Criterion.RELEVANT: gettext_lazy("Relevant"),
    Criterion.TIME_BOUND: gettext_lazy("Time-bound"),
}
STATUS_CLASSES: Mapping[Status, str] = {
    Status.ON_TRACK: "create me-on-track",
    Status.OFF_TRACK: "tna-reject me-off-track",
    Status.NO_DATA: "me-no-data",
    Status.NO_TARGET: "me-no-target",
}


def is_french(language: str) -> bool:
    return language.lower().startswith("fr")


def plan_years(workspace: Workspace) -> list[int]:
    return list(range(workspace.plan_start_year, workspace.plan_end_year + 1))


def number_text(value: float | None, unit: str = Unit.NUMBER.value) -> str:
    """``1,250``, ``38.5 %`` (in the active language's format); ``—`` when there is none."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    decimals = 0 if rounded == int(rounded) else 1
    text = formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == Unit.PERCENT.value else text


def status_label(status: Status) -> str:
    return gettext(STATUS_LABELS[status])


def cell_label(sex: str, location: str) -> str:
    parts = [gettext(SEX_LABELS.get(sex, sex))] if sex else []
    if location:
        parts.append(location)
    return " · ".join(parts) if parts else gettext("Total")


# --- Indicators as the core sees them ------------------------------------------------------------------


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        unit=Unit(indicator.unit),
        direction=Direction(indicator.direction),
        rule=CumulativeRule(indicator.cumulative_rule),
        baseline=float(indicator.baseline_value) if indicator.baseline_value is not None else None,
        life_of_plan_target=float(indicator.lop_target) if indicator.lop_target is not None else None,
    )


def data_points(values: Iterable[IndicatorValue]) -> list[DataPoint]:
    return [
        DataPoint(
            ValueKind(value.kind), parse_period(value.period), value.sex, value.location, float(value.value)
        )
        for value in values
    ]


def progress_of(indicator: Indicator, values: Sequence[IndicatorValue]) -> IndicatorProgress:
    return indicator_progress(
        indicator_spec(indicator), data_points(values), years=plan_years(indicator.workspace)
    )


def yearly_targets(progress: IndicatorProgress) -> dict[int, float]:
    return {row.year: row.target for row in progress.years if row.cell == TOTAL and row.target is not None}


def smart_row(indicator: Indicator, progress: IndicatorProgress, language: str) -> IndicatorRow:
    """The indicator as the SMART checker reads a plan row: the statement with its metadata, the
    life-of-plan target and the last year with a target."""
    workspace = indicator.workspace
    targets = yearly_targets(progress)
    plan = progress.plan()
    target = plan.target if plan is not None else None
    if indicator.baseline_not_applicable:
        baseline: str | float | None = "n/a"
    else:
        baseline = float(indicator.baseline_value) if indicator.baseline_value is not None else None
    return IndicatorRow(
        text=indicator.name(language),
        unit=indicator.unit,
        baseline=baseline,
        baseline_year=indicator.baseline_date.year if indicator.baseline_date else None,
        target=target,
        target_year=max(targets) if targets else None,
        period=f"{workspace.plan_start_year}–{workspace.plan_end_year}",
        data_source=indicator.data_source or indicator.means_of_verification,
        responsible=indicator.responsible_agency,
        disaggregation=tuple(indicator.disaggregation or ()),
        frequency=indicator.frequency,
        key=indicator.code,
    )


def smart_check(
    indicator: Indicator, progress: IndicatorProgress, language: str, today: dt.date | None = None
) -> IndicatorCheck:
    checker_language = "fr" if is_french(language) and indicator.name_fr else "en"
    return check_indicator(smart_row(indicator, progress, language), language=checker_language, today=today)


def smart_summary(check: IndicatorCheck) -> str:
    """``S ✓ M ✓ A ✗ R ✓ T ✓``."""
    return " ".join(f"{SMART_LETTERS[v.criterion]} {'✓' if v.passed else '✗'}" for v in check.verdicts)


@dataclass(frozen=True)
class CriterionView:
    criterion: Criterion
    letter: str
    label: str
    passed: bool
    reasons: tuple[tuple[str, str], ...]  # (severity, message in the reader's language)


def smart_criteria(check: IndicatorCheck) -> list[CriterionView]:
    return [
        CriterionView(
            criterion=verdict.criterion,
            letter=SMART_LETTERS[verdict.criterion],
            label=str(CRITERION_LABELS[verdict.criterion]),
            passed=verdict.passed,
            reasons=tuple((finding.severity.value, finding.render(gettext)) for finding in verdict.findings),
        )
        for verdict in check.verdicts
    ]


# --- The tree --------------------------------------------------------------------------------------------


@dataclass
class IndicatorItem:
    indicator: Indicator
    name: str
    progress: IndicatorProgress
    check: IndicatorCheck
    status_label: str
    status_class: str

    @property
    def summary(self) -> str:
        return smart_summary(self.check)


@dataclass
class TreeNode:
    node: ResultNode
    tier_label: str
    statement: str
    depth: int
    indicators: list[IndicatorItem] = field(default_factory=list)


def values_by_indicator(workspace: Workspace) -> dict[int, list[IndicatorValue]]:
    found: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(workspace=workspace).order_by(
        "indicator_id", "period", "kind", "sex", "location"
    ):
        found[value.indicator_id].append(value)
    return found


def tier_label(tiers: Sequence[Mapping[str, str]], tier: int, language: str) -> str:
    if not 1 <= tier <= len(tiers):
        return gettext("Tier %(number)s") % {"number": tier}
    names = tiers[tier - 1]
    return (names.get("fr") or names["en"]) if is_french(language) else names["en"]


def framework_tree(workspace: Workspace, language: str) -> list[TreeNode]:
    """The results in reading order (each followed by the results under it), with their indicators,
    each indicator's progress and SMART verdict. Four queries."""
    tiers = tier_names(workspace)
    nodes = list(ResultNode.objects.filter(workspace=workspace).order_by("tier", "position", "code"))
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(workspace=workspace).select_related("workspace").order_by("position", "code")
    ):
        indicators[indicator.node_id].append(indicator)
    values = values_by_indicator(workspace)
    children: dict[int | None, list[ResultNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    today = timezone.localdate()
    ordered: list[TreeNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            item = TreeNode(node, tier_label(tiers, node.tier, language), node.statement(language), depth)
            for indicator in indicators.get(node.pk, []):
                progress = progress_of(indicator, values.get(indicator.pk, []))
                item.indicators.append(
                    IndicatorItem(
                        indicator=indicator,
                        name=indicator.name(language),
                        progress=progress,
                        check=smart_check(indicator, progress, language, today),
                        status_label=status_label(progress.status),
                        status_class=STATUS_CLASSES[progress.status],
                    )
                )
            ordered.append(item)
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def indicator_values(indicator: Indicator) -> list[IndicatorValue]:
    return list(
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("entered_by")
        .order_by("period", "kind", "sex", "location")
    )


def baseline_text(indicator: Indicator) -> str:
    """``38.5 % (2026)``, ``Not applicable`` or ``—``, in the active language."""
    if indicator.baseline_not_applicable:
        return gettext("Not applicable")
    if indicator.baseline_value is None:
        return "—"
    text = number_text(float(indicator.baseline_value), indicator.unit)
    return f"{text} ({indicator.baseline_date.year})" if indicator.baseline_date else text


def baseline_by_sex(indicator: Indicator) -> list[tuple[str, str, int]]:
    """The TNA baseline's shares by sex: (label, value text, n)."""
    detail = indicator.baseline_detail or {}
    rows = []
    for sex, share in (detail.get("by_sex") or {}).items():
        value = share.get("value")
        shown = (
            gettext("withheld (fewer than 5 respondents)")
            if share.get("suppressed")
            else number_text(value, Unit.PERCENT.value)
        )
        rows.append((gettext(SEX_LABELS.get(sex, sex)), shown, int(share.get("n") or 0)))
    return rows


def disaggregation_labels(codes: Iterable[str]) -> list[str]:
    known = {d.value: d for d in Disaggregation}
    return [gettext(DISAGGREGATION_LABELS[known[code]]) if code in known else code for code in codes]


def frequency_label(code: str) -> str:
    known = {f.value: f for f in Frequency}
    return gettext(FREQUENCY_LABELS[known[code]]) if code in known else code


def unit_label(code: str) -> str:
    known = {u.value: u for u in Unit}
    return gettext(UNIT_LABELS[known[code]]) if code in known else code


# --- Rows for the plan documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkRow:
    """One row of the M&E framework table of the plan documents: a result with one of its indicators, or
    a result without indicators (then the indicator fields are empty)."""

    tier_label: str
    code: str
    statement: str
    indicator_name: str
    unit: str
    baseline_text: str
    targets_by_year: Mapping[int, float]
    life_of_plan_target: float | None
    means_of_verification: str
    responsible_agency: str
    frequency: str
    smart_summary: str
    indicator_code: str = ""
    tier: int = 0


def framework_rows(workspace: Workspace, language: str) -> list[FrameworkRow]:
    """The logframe in reading order, one row per indicator (results without indicators get one row of
    their own), with labels in ``language``."""
    with translation.override(language):
        rows: list[FrameworkRow] = []
        for item in framework_tree(workspace, language):
            node = item.node
            if not item.indicators:
                rows.append(
                    FrameworkRow(
                        tier_label=item.tier_label,
                        code=node.code,
                        statement=item.statement,
                        indicator_name="",
                        unit="",
                        baseline_text="",
                        targets_by_year={},
                        life_of_plan_target=None,
                        means_of_verification="",
                        responsible_agency="",
                        frequency="",
                        smart_summary="",
                        tier=node.tier,
                    )
                )
            for indicator_item in item.indicators:
                indicator = indicator_item.indicator
                plan = indicator_item.progress.plan()
                rows.append(
                    FrameworkRow(
                        tier_label=item.tier_label,
                        code=node.code,
                        statement=item.statement,
                        indicator_name=indicator_item.name,
                        unit=unit_label(indicator.unit),
                        baseline_text=baseline_text(indicator),
                        targets_by_year=yearly_targets(indicator_item.progress),
                        life_of_plan_target=plan.target if plan is not None else None,
                        means_of_verification=indicator.means_of_verification,
                        responsible_agency=indicator.responsible_agency,
                        frequency=frequency_label(indicator.frequency),
                        smart_summary=indicator_item.summary,
                        indicator_code=indicator.code,
                        tier=node.tier,
                    )
                )
        return rows


def locations_in_use(workspace: Workspace) -> list[str]:
    """Locations already used by values, for the entry form's suggestions."""
    return sorted(
        set(
            IndicatorValue.objects.filter(workspace=workspace)
            .exclude(location="")
            .values_list("location", flat=True)
        ),
        key=str.casefold,
    )
