"""The target-vs-actual report (XLSX): progress per indicator and year with its status, the same for each
disaggregation, the life of the plan, and every stored value with its source. Labels in the language
asked for, whatever the language of the page."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from ctip.core.monitoring import TOTAL
from ctip.core.monitoring.model import DIRECTION_LABELS, RULE_LABELS, SEX_LABELS, CumulativeRule, Direction
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.monitoring import selectors


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def target_actual_xlsx(workspace: Workspace, *, language: str = "en") -> bytes:
    with translation.override(language):
        return write_xlsx(_sheets(workspace, language))


def _sheets(workspace: Workspace, language: str) -> list[Sheet]:
    tree = selectors.framework_tree(workspace, language)
    values = selectors.values_by_indicator(workspace)
    progress_rows: list[list[object]] = []
    cell_rows: list[list[object]] = []
    plan_rows: list[list[object]] = []
    value_rows: list[list[object]] = []
    for node in tree:
        for item in node.indicators:
            indicator = item.indicator
            common = [node.node.code, indicator.code, item.name, selectors.unit_label(indicator.unit)]
            rule = _(RULE_LABELS[CumulativeRule(indicator.cumulative_rule)])
            direction = _(DIRECTION_LABELS[Direction(indicator.direction)])
            for row in item.progress.years:
                figures = [
                    row.year,
                    _round(row.target),
                    _round(row.expected),
                    _round(row.actual),
                    _round(row.compared),
                    _round(100 * row.share, 0),
                    _round(row.achievement, 1),
                    selectors.status_label(row.status),
                ]
                if row.cell == TOTAL:
                    progress_rows.append([*common, direction, rule, *figures])
                else:
                    sex, location = row.cell
                    cell_rows.append([*common, _(SEX_LABELS.get(sex, sex)), location or _("All"), *figures])
            plan = item.progress.plan()
            plan_rows.append(
                [
                    *common,
                    selectors.baseline_text(indicator),
                    _round(plan.target) if plan else None,
                    _round(plan.actual) if plan else None,
                    _round(plan.achievement, 1) if plan else None,
                    item.progress.latest_year,
                    selectors.status_label(item.progress.status),
                    item.summary,
                ]
            )
            for value in values.get(indicator.pk, []):
                value_rows.append(
                    [
                        indicator.code,
                        _("Target") if value.kind == "target" else _("Actual"),
                        value.period,
                        _(SEX_LABELS.get(value.sex, value.sex)),
                        value.location or _("All"),
                        float(value.value),
                        value.source,
                        value.note,
                    ]
                )
    base = (_("Result"), _("Indicator code"), _("Indicator"), _("Unit"))
    figures_header = (
        _("Year"),
        _("Target of the year"),
        _("Expected to date"),
        _("Actual of the year"),
        _("Actual compared"),
        _("Share of the year reported (%)"),
        _("Achievement (%)"),
        _("Status"),
    )
    notes = {
        _("Expected to date"): _(
            "The target the actual is compared with: pro-rated by the quarters reported and, for cumulative "
            "indicators, added to the targets of the earlier years."
        ),
        _("Actual compared"): _("The actual of the year, or the running total for cumulative indicators."),
        _("Status"): _(
            "On track: at least 90 % of the expected value (increase is better), or at most 110 % of it "
            "(decrease is better)."
        ),
    }
    return [
        Sheet(
            _("Progress"),
            (*base, _("Direction"), _("Cumulative rule"), *figures_header),
            progress_rows,
            column_notes=notes,
        ),
        Sheet(
            _("By sex and location"),
            (*base, _("Sex"), _("Location"), *figures_header),
            cell_rows,
            column_notes=notes,
        ),
        Sheet(
            _("Life of plan"),
            (
                *base,
                _("Baseline"),
                _("Life-of-plan target"),
                _("Actual to date"),
                _("Achievement (%)"),
                _("Latest year reported"),
                _("Status"),
                _("SMART"),
            ),
            plan_rows,
        ),
        Sheet(
            _("Values"),
            (
                _("Indicator code"),
                _("Kind"),
                _("Period"),
                _("Sex"),
                _("Location"),
                _("Value"),
                _("Source"),
                _("Note"),
            ),
            value_rows,
        ),
    ]
