"""Progress rules: totals from disaggregated cells, a year from its quarters, pro-rated targets per
cumulative rule, and the direction-aware status. Every expected number is worked out by hand in the
comment next to it."""

import pytest

from ctip.core.errors import DomainError
from ctip.core.monitoring import (
    TOTAL,
    CumulativeRule,
    DataPoint,
    Direction,
    IndicatorSpec,
    Period,
    Status,
    Unit,
    ValueKind,
    cell_value,
    check_spec,
    indicator_progress,
    judge,
    parse_period,
)

T, A = ValueKind.TARGET, ValueKind.ACTUAL


def point(kind, period, value, sex="", location=""):
    return DataPoint(kind, parse_period(period), sex, location, float(value))


def spec(unit=Unit.NUMBER, direction=Direction.INCREASE, rule=CumulativeRule.CUMULATIVE, **extra):
    return IndicatorSpec(unit=unit, direction=direction, rule=rule, **extra)


def test_periods_read_years_and_quarters_in_english_and_french():
    assert parse_period("2026") == Period(2026)
    assert parse_period(" 2026-Q2 ") == Period(2026, 2)
    assert parse_period("Q3 2027") == Period(2027, 3)
    assert parse_period("T4 2025") == Period(2025, 4)
    assert str(Period(2026, 1)) == "2026-Q1" and str(Period(2026)) == "2026"
    for bad in ("2026-Q5", "26", "next year", "1850"):
        with pytest.raises(DomainError, match="not a period"):
            parse_period(bad)


def test_status_is_direction_aware_with_a_ten_percent_margin():
    assert judge(Direction.INCREASE, 100, 90) is Status.ON_TRACK  # exactly 90 %
    assert judge(Direction.INCREASE, 100, 89.9) is Status.OFF_TRACK
    assert judge(Direction.DECREASE, 20, 22) is Status.ON_TRACK  # exactly 110 %
    assert judge(Direction.DECREASE, 20, 22.5) is Status.OFF_TRACK
    assert judge(Direction.INCREASE, None, 5) is Status.NO_TARGET
    assert judge(Direction.INCREASE, 10, None) is Status.NO_DATA


def test_a_total_is_the_sum_of_women_and_men_only_when_both_are_known():
    values = {("female", ""): 30.0, ("male", ""): 50.0}
    assert cell_value(values, TOTAL, summing=True) == 80.0
    assert cell_value({("female", ""): 30.0}, TOTAL, summing=True) is None
    assert cell_value(values, TOTAL, summing=False) is None  # percentages are never summed
    finest = {("female", "Port Louis"): 10.0, ("female", "Rodrigues"): 2.0, ("male", "Port Louis"): 7.0}
    assert cell_value(finest, ("female", ""), summing=True) == 12.0
    assert cell_value(finest, ("", "Port Louis"), summing=True) == 17.0
    assert cell_value(finest, ("", "Rodrigues"), summing=True) is None  # men on Rodrigues unknown
    assert cell_value(finest, TOTAL, summing=True) == 19.0  # 12 women + 7 men
    assert cell_value({**finest, TOTAL: 25.0}, TOTAL, summing=True) == 25.0  # an entered total wins


def test_cumulative_indicator_compares_running_totals_pro_rated_by_the_quarters_reported():
    # Targets 100 (2025), 200 (2026). Actuals: 2025 = 95; 2026 Q1 = 40, Q2 = 30.
    points = [
        point(T, "2025", 100),
        point(T, "2026", 200),
        point(A, "2025", 95),
        point(A, "2026-Q1", 40),
        point(A, "2026-Q2", 30),
    ]
    progress = indicator_progress(spec(), points, years=[2025, 2026, 2027])
    y2025 = progress.year(2025)
    assert (y2025.expected, y2025.compared, y2025.status) == (100, 95, Status.ON_TRACK)
    y2026 = progress.year(2026)
    # Half the year reported: expected = 100 (2025) + 200 × 2/4 = 200; running actual = 95 + 70 = 165.
    assert y2026.share == 0.5
    assert (y2026.actual, y2026.expected, y2026.compared) == (70, 200, 165)
    assert y2026.achievement == pytest.approx(82.5)
    assert y2026.status is Status.OFF_TRACK  # 165 < 180
    y2027 = progress.year(2027)
    # No target in 2027: the running target stays 300 (100 + 200); no actual yet.
    assert (y2027.expected, y2027.status) == (300, Status.NO_DATA)
    assert progress.status is Status.OFF_TRACK and progress.latest_year == 2026
    plan = progress.plan()
    assert (plan.target, plan.actual) == (300, 165)


def test_non_cumulative_indicator_judges_each_year_alone():
    points = [point(T, "2025", 100), point(T, "2026", 100), point(A, "2025", 50), point(A, "2026", 95)]
    progress = indicator_progress(spec(rule=CumulativeRule.NON_CUMULATIVE), points)
    assert progress.year(2025).status is Status.OFF_TRACK
    # 2026 alone: 95 ≥ 90 — the shortfall of 2025 is not carried over.
    assert (progress.year(2026).expected, progress.year(2026).compared) == (100, 95)
    assert progress.year(2026).status is Status.ON_TRACK
    assert (progress.plan().target, progress.plan().actual) == (100, 95)  # the last year, not a sum


def test_percentage_moves_from_the_baseline_towards_the_target_pro_rata():
    # Baseline 20 %; 2026 target 40 %; Q2 measured 28 %. Expected = 20 + (40 − 20) × 2/4 = 30; 28 ≥ 27.
    indicator = spec(unit=Unit.PERCENT, rule=CumulativeRule.NON_CUMULATIVE, baseline=20.0)
    progress = indicator_progress(indicator, [point(T, "2026", 40), point(A, "2026-Q2", 28)])
    row = progress.year(2026)
    assert (row.expected, row.actual, row.status) == (30, 28, Status.ON_TRACK)
    # Q4 measured 35 %: the whole year reported, expected 40, 35 < 36.
    progress = indicator_progress(
        indicator, [point(T, "2026", 40), point(A, "2026-Q2", 28), point(A, "2026-Q4", 35)]
    )
    assert (progress.year(2026).expected, progress.year(2026).actual) == (40, 35)
    assert progress.year(2026).status is Status.OFF_TRACK
    # The next year starts from the previous year's target: 40 + (50 − 40) × 1/4 = 42.5.
    progress = indicator_progress(
        indicator, [point(T, "2026", 40), point(T, "2027", 50), point(A, "2027-Q1", 41)]
    )
    assert progress.year(2027).expected == 42.5
    assert progress.year(2027).status is Status.ON_TRACK  # 41 ≥ 38.25


def test_decreasing_indicator_is_on_track_below_its_ceiling():
    # Days to refer a victim: baseline 40, target 20 in 2026.
    indicator = spec(direction=Direction.DECREASE, rule=CumulativeRule.CUMULATIVE_NON_SUMMING, baseline=40.0)
    progress = indicator_progress(indicator, [point(T, "2026", 20), point(A, "2026", 21)])
    assert progress.year(2026).status is Status.ON_TRACK  # 21 ≤ 22
    progress = indicator_progress(indicator, [point(T, "2026", 20), point(A, "2026-Q2", 33)])
    # Half-way: expected 40 + (20 − 40) × 0.5 = 30; ceiling 33 → on track at 33.
    assert progress.year(2026).expected == 30
    assert progress.year(2026).status is Status.ON_TRACK
    progress = indicator_progress(indicator, [point(T, "2026", 20), point(A, "2026-Q2", 34)])
    assert progress.year(2026).status is Status.OFF_TRACK


def test_totals_to_date_are_never_added_up():
    indicator = spec(rule=CumulativeRule.CUMULATIVE_NON_SUMMING)
    points = [point(T, "2026", 6), point(A, "2026-Q1", 2), point(A, "2026-Q3", 5)]
    progress = indicator_progress(indicator, points)
    # The latest value stands for the year (5, not 7); no baseline to start from: expected is the target, 6.
    assert (progress.year(2026).actual, progress.year(2026).expected) == (5, 6)
    assert progress.year(2026).status is Status.OFF_TRACK  # 5 < 5.4
    assert progress.plan().actual == 5


def test_disaggregated_targets_and_actuals_get_their_own_rows_and_a_derived_total():
    points = [
        point(T, "2026", 60, "female"),
        point(T, "2026", 40, "male"),
        point(A, "2026", 58, "female"),
        point(A, "2026", 30, "male"),
    ]
    progress = indicator_progress(spec(), points)
    assert progress.cells == (TOTAL, ("female", ""), ("male", ""))
    assert (progress.year(2026).target, progress.year(2026).actual) == (100, 88)
    assert progress.year(2026).status is Status.OFF_TRACK  # 88 < 90
    assert progress.year(2026, ("female", "")).status is Status.ON_TRACK  # 58 ≥ 54
    assert progress.year(2026, ("male", "")).status is Status.OFF_TRACK  # 30 < 36


def test_no_values_at_all_means_no_data_with_empty_years():
    progress = indicator_progress(spec(), [], years=[2025, 2026])
    assert progress.status is Status.NO_DATA
    assert [row.status for row in progress.years] == [Status.NO_TARGET, Status.NO_TARGET]


def test_life_of_plan_target_given_overrides_the_sum_of_the_years():
    indicator = spec(life_of_plan_target=250.0)
    progress = indicator_progress(
        indicator, [point(T, "2025", 100), point(T, "2026", 200), point(A, "2025", 125)]
    )
    assert (progress.plan().target, progress.plan().actual, progress.plan().achievement) == (250, 125, 50)


def test_metadata_checks_refuse_a_cumulative_percentage_and_values_out_of_range():
    problems = check_spec(spec(unit=Unit.PERCENT, rule=CumulativeRule.CUMULATIVE, baseline=120.0))
    assert [field for field, _template, _params in problems] == ["cumulative_rule", "baseline_value"]
    assert check_spec(spec(unit=Unit.NUMBER, baseline=120.0, life_of_plan_target=-1.0))[0][0] == "lop_target"
    assert check_spec(spec(unit=Unit.PERCENT, rule=CumulativeRule.NON_CUMULATIVE, baseline=45.0)) == []
