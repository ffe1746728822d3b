"""Independent-groups comparison (for pre/post answers that cannot be linked) against R and scipy."""

import numpy as np
import pytest
from scipy import stats

from ctip.core.evaluation import mann_whitney, welch_t_test

# R `datasets::sleep` read as two independent groups (the example of R's ?t.test).
SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welch_t_on_the_sleep_data_matches_r():
    # R: t.test(extra ~ group, data = sleep) — "Welch Two Sample t-test": t = -1.8608, df = 17.776,
    # p-value = 0.07939, 95 percent confidence interval -3.3654832 0.2054832.
    result = welch_t_test(SLEEP_GROUP_1, SLEEP_GROUP_2)
    assert result.t == pytest.approx(-1.8608, abs=5e-5)
    assert result.df == pytest.approx(17.776, abs=5e-4)
    assert result.p == pytest.approx(0.07939, abs=5e-6)
    assert (result.ci_low, result.ci_high) == pytest.approx((-3.3654832, 0.2054832), abs=5e-8)


def test_welch_t_agrees_with_scipy_on_typed_data():
    pre = [45.0, 50.0, 55.0, 40.0, 60.0, 35.0, 50.0]
    post = [70.0, 65.0, 80.0, 55.0, 90.0, 75.0, 85.0, 60.0, 70.0]
    result = welch_t_test(post, pre, confidence=0.9)
    reference = stats.ttest_ind(post, pre, equal_var=False)
    assert result.t == pytest.approx(reference.statistic)
    assert result.p == pytest.approx(reference.pvalue)
    interval = reference.confidence_interval(confidence_level=0.9)
    assert (result.ci_low, result.ci_high) == pytest.approx((interval.low, interval.high))
    assert result.estimate == pytest.approx(np.mean(post) - np.mean(pre))


def test_welch_t_degenerate_cases():
    assert welch_t_test([50.0], [60.0, 70.0]) is None
    flat = welch_t_test([50.0, 50.0], [50.0, 50.0])
    assert flat.t is None and flat.to_json()["df"] is None and flat.to_json()["p"] is None


def test_mann_whitney_on_the_sleep_data_matches_r():
    # R: wilcox.test(extra ~ group, data = sleep) gives W = 25.5, p-value = 0.06933 (ties: normal
    # approximation with continuity correction, as R warns).
    result = mann_whitney(SLEEP_GROUP_1, SLEEP_GROUP_2)
    assert result.u == 25.5
    assert result.p == pytest.approx(0.06933, abs=5e-6)
    assert result.method == "normal_cc"


def test_mann_whitney_exact_without_ties():
    a = [12.0, 15.0, 18.0, 20.0, 22.0]
    b = [5.0, 7.0, 11.0, 13.0]
    result = mann_whitney(a, b)
    assert result.method == "exact"
    # U of a: pairs with a > b = 4 + 4 + 4 + 4 + 3... counted by hand: 12 beats 5, 7, 11 (3); 15, 18, 20,
    # 22 beat all four (16); U = 19.
    assert result.u == 19
    assert result.p == pytest.approx(stats.mannwhitneyu(a, b, method="exact").pvalue)
    assert mann_whitney([], b) is None
    assert mann_whitney([3.0, 3.0], [3.0, 3.0]).p == 1.0
