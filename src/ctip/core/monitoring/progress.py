"""Progress of an indicator: its targets and actuals per year and disaggregation cell, the pro-rated
target each actual is compared with, and an on-track / off-track / no-data status (docs/monitoring.md).

The rules, in short:

* **Totals.** A cell without a value of its own (say, the total of a year) is the sum of the cells that
  refine it, for numbers that add up: women + men (both needed), or the locations. Percentages and
  totals-to-date are never summed: their totals must be entered.
* **A year's value.** A value entered for the whole year wins. Otherwise the year is made of its
  quarters: summed for numbers that add up, the latest quarter otherwise; the share of the year reported
  is the last quarter with a value ÷ 4.
* **What the actual is compared with** (``expected``): for numbers that add up, the target × the share
  of the year reported, plus — for cumulative indicators — the targets of the earlier years (the actual
  compared is then the running total too). For levels (percentages, totals to date), the way from the
  starting point (the previous year's target, else the baseline) to the year's target, pro-rated the
  same way.
* **Life of plan.** Cumulative indicators add up the years (targets and actuals); the others take the
  last year's target and the latest actual (a year's count, a percentage, an average or a total to date
  is not added to the next year's). A life-of-plan target entered for the indicator wins.
* **Status.** Increase is better: on track when the actual reaches at least 90 % of the expected value.
  Decrease is better: on track when the actual is at most 10 % above it. No actual: ``no_data``;
  nothing to compare with: ``no_target``.

Pure: the clock is never read; the share of a year comes from the quarters reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ctip.core.monitoring.model import (
    ALL,
    TOTAL,
    Cell,
    CumulativeRule,
    DataPoint,
    Direction,
    IndicatorSpec,
    Period,
    Sex,
    Status,
    ValueKind,
)

ON_TRACK_SHARE = 0.9
"""Increase is better: on track from 90 % of the expected value."""
ON_TRACK_EXCESS = 1.1
"""Decrease is better: on track up to 110 % of the expected value."""
QUARTERS = 4
_SEXES = (Sex.FEMALE.value, Sex.MALE.value)


@dataclass(frozen=True)
class YearProgress:
    """One year of one cell. ``target`` and ``actual`` are the year's own values; ``compared`` is the
    actual that is judged (the running total for cumulative indicators) against ``expected``; ``share``
    is the part of the year reported (1.0 for a whole year); ``achievement`` is compared ÷ expected in %."""

    year: int
    cell: Cell
    target: float | None
    actual: float | None
    expected: float | None
    compared: float | None
    share: float
    status: Status
    achievement: float | None


@dataclass(frozen=True)
class PlanProgress:
    """The life of the plan for one cell: the life-of-plan target (given, or worked out from the yearly
    targets), the actual so far, and how much of the target it is (%)."""

    cell: Cell
    target: float | None
    actual: float | None
    achievement: float | None


@dataclass(frozen=True)
class IndicatorProgress:
    years: tuple[YearProgress, ...]
    life_of_plan: tuple[PlanProgress, ...]
    status: Status
    """The status of the total in the latest year with an actual (``no_data`` when there is none)."""
    latest_year: int | None

    def year(self, year: int, cell: Cell = TOTAL) -> YearProgress | None:
        return next((row for row in self.years if row.year == year and row.cell == cell), None)

    def plan(self, cell: Cell = TOTAL) -> PlanProgress | None:
        return next((row for row in self.life_of_plan if row.cell == cell), None)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(dict.fromkeys(row.cell for row in self.years))


def judge(direction: Direction, expected: float | None, actual: float | None) -> Status:
    """The status of ``actual`` against ``expected`` (see the module's rules)."""
    if expected is None:
        return Status.NO_TARGET
    if actual is None:
        return Status.NO_DATA
    if direction is Direction.INCREASE:
        return Status.ON_TRACK if actual >= ON_TRACK_SHARE * expected else Status.OFF_TRACK
    return Status.ON_TRACK if actual <= ON_TRACK_EXCESS * expected else Status.OFF_TRACK


def _achievement(compared: float | None, expected: float | None) -> float | None:
    if compared is None or expected is None or expected <= 0:
        return None
    return 100.0 * compared / expected


def cell_value(values: Mapping[Cell, float], cell: Cell, *, summing: bool) -> float | None:
    """The value of ``cell``: its own, or (``summing``) the sum of the cells that refine it."""
    if cell in values:
        return values[cell]
    if not summing:
        return None
    sex, location = cell
    if sex != ALL and location != ALL:
        return None
    if sex != ALL:  # one sex, all locations: the sum over locations
        parts = [value for (s, loc), value in values.items() if s == sex and loc != ALL]
        return sum(parts) if parts else None
    if location != ALL:  # one location, both sexes
        both = [cell_value(values, (s, location), summing=True) for s in _SEXES]
        return sum(part for part in both if part is not None) if None not in both else None
    both = [cell_value(values, (s, ALL), summing=True) for s in _SEXES]
    if None not in both:
        return sum(part for part in both if part is not None)
    by_location = [cell_value(values, (ALL, loc), summing=True) for loc in _locations(values)]
    known = [part for part in by_location if part is not None]
    return sum(known) if known and len(known) == len(by_location) else None


def _locations(values: Iterable[Cell]) -> list[str]:
    return sorted({location for _sex, location in values if location != ALL})


def _cells(points: Sequence[DataPoint]) -> list[Cell]:
    """Total first, then each sex, each location, then sex × location cells."""
    explicit = {point.cell for point in points}
    cells = set(explicit) | {TOTAL}
    for sex, location in explicit:
        cells.add((sex, ALL))
        cells.add((ALL, location))
    sex_order = {ALL: 0, Sex.FEMALE.value: 1, Sex.MALE.value: 2}

    def order(cell: Cell) -> tuple[int, str, int, str]:
        sex, location = cell
        level = (sex != ALL) + 2 * (location != ALL)
        return (level, location.casefold(), sex_order.get(sex, 3), sex)

    return sorted(cells, key=order)


def _by_period(points: Sequence[DataPoint], kind: ValueKind) -> dict[Period, dict[Cell, float]]:
    found: dict[Period, dict[Cell, float]] = {}
    for point in points:
        if point.kind is kind:
            found.setdefault(point.period, {})[point.cell] = point.value
    return found


def _year_value(series: Mapping[Period, float], year: int, *, summing: bool) -> tuple[float | None, float]:
    """The year's value and the share of the year it covers."""
    whole = series.get(Period(year))
    if whole is not None:
        return whole, 1.0
    quarters = sorted((p.quarter, v) for p, v in series.items() if p.year == year and not p.is_year)
    if not quarters:
        return None, 0.0
    share = quarters[-1][0] / QUARTERS
    if summing:
        return sum(value for _quarter, value in quarters), share
    return quarters[-1][1], share


def _series(
    by_period: Mapping[Period, Mapping[Cell, float]], cell: Cell, summing: bool
) -> dict[Period, float]:
    series: dict[Period, float] = {}
    for period, values in by_period.items():
        value = cell_value(values, cell, summing=summing)
        if value is not None:
            series[period] = value
    return series


def _cell_years(
    spec: IndicatorSpec,
    cell: Cell,
    years: Sequence[int],
    targets: dict[Period, float],
    actuals: dict[Period, float],
) -> list[YearProgress]:
    summing = spec.is_summing
    cumulative = spec.rule is CumulativeRule.CUMULATIVE and summing
    baseline = spec.baseline if cell == TOTAL else None
    rows: list[YearProgress] = []
    target_so_far = 0.0
    any_target_before = False
    actual_so_far = 0.0
    previous_target: float | None = None
    for year in years:
        target, _target_share = _year_value(targets, year, summing=summing)
        actual, share = _year_value(actuals, year, summing=summing)
        expected: float | None
        compared = actual
        if summing:
            if target is None and not (cumulative and any_target_before):
                expected = None
            else:
                expected = (target or 0.0) * (share if actual is not None else 1.0)
                if cumulative:
                    expected += target_so_far
            if cumulative and actual is not None:
                compared = actual_so_far + actual
        elif target is None:
            expected = None
        else:
            start = previous_target if previous_target is not None else baseline
            reported = share if actual is not None else 1.0
            expected = target if start is None else start + (target - start) * reported
        status = judge(spec.direction, expected, compared)
        rows.append(
            YearProgress(
                year=year,
                cell=cell,
                target=target,
                actual=actual,
                expected=expected,
                compared=compared,
                share=share if actual is not None else 0.0,
                status=status,
                achievement=_achievement(compared, expected),
            )
        )
        if target is not None:
            target_so_far += target
            any_target_before = True
            previous_target = target
        if actual is not None:
            actual_so_far += actual
    return rows


def _plan(spec: IndicatorSpec, cell: Cell, rows: Sequence[YearProgress]) -> PlanProgress:
    targets = [row.target for row in rows if row.target is not None]
    actuals = [row.actual for row in rows if row.actual is not None]
    if spec.is_summing and spec.rule is CumulativeRule.CUMULATIVE:
        target = sum(targets) if targets else None
        actual = sum(actuals) if actuals else None
    else:
        target = targets[-1] if targets else None
        actual = actuals[-1] if actuals else None
    if cell == TOTAL and spec.life_of_plan_target is not None:
        target = spec.life_of_plan_target
    return PlanProgress(cell, target, actual, _achievement(actual, target))


def indicator_progress(
    spec: IndicatorSpec, points: Sequence[DataPoint], *, years: Iterable[int] = ()
) -> IndicatorProgress:
    """Progress per year and cell. ``years`` (e.g. the plan's years) are always shown; years that only
    the values mention are added."""
    all_years = sorted(set(years) | {point.period.year for point in points})
    targets = _by_period(points, ValueKind.TARGET)
    actuals = _by_period(points, ValueKind.ACTUAL)
    summing = spec.is_summing
    rows: list[YearProgress] = []
    plans: list[PlanProgress] = []
    for cell in _cells(points):
        cell_rows = _cell_years(
            spec, cell, all_years, _series(targets, cell, summing), _series(actuals, cell, summing)
        )
        if cell != TOTAL:
            # A disaggregated cell shows only the years it has a target or an actual for.
            cell_rows = [row for row in cell_rows if row.target is not None or row.actual is not None]
            if not cell_rows:
                continue
        rows.extend(cell_rows)
        plans.append(_plan(spec, cell, cell_rows))
    with_actual = [row for row in rows if row.cell == TOTAL and row.actual is not None]
    latest = with_actual[-1] if with_actual else None
    return IndicatorProgress(
        years=tuple(rows),
        life_of_plan=tuple(plans),
        status=latest.status if latest is not None else Status.NO_DATA,
        latest_year=latest.year if latest is not None else None,
    )
