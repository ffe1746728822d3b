"""Paired t-test and Wilcoxon signed-rank test against published values and hand computation."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from ctip.core.evaluation import paired_t_test, wilcoxon_signed_rank
from ctip.core.evaluation.paired import WalshAverages, signed_rank_distribution, signed_rank_quantile

# Student's sleep data: R `datasets::sleep` (Cushny & Peebles 1905, as used by "Student" 1908): extra hours
# of sleep of the same 10 patients with drug 1 (group 1) and drug 2 (group 2).
SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
SLEEP_DIFF = np.array(SLEEP_GROUP_1) - np.array(SLEEP_GROUP_2)

# Hollander & Wolfe (1973, p. 29), the example of R's ?wilcox.test: Hamilton depression scale factor IV
# before (y) and after (x) the first tranquilliser treatment of nine patients.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
HW_DIFF = np.array(HW_X) - np.array(HW_Y)


def test_paired_t_on_the_sleep_data_matches_r():
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) prints t = -4.0621, df = 9, p-value = 0.002833,
    # 95 percent confidence interval -2.4598858 -0.7001142, mean difference -1.58.
    result = paired_t_test(SLEEP_DIFF)
    assert result.t == pytest.approx(-4.0621, abs=5e-5)
    assert result.df == 9
    assert result.p == pytest.approx(0.002833, abs=5e-7)
    assert result.ci_low == pytest.approx(-2.4598858, abs=5e-8)
    assert result.ci_high == pytest.approx(-0.7001142, abs=5e-8)
    assert result.estimate == pytest.approx(-1.58)


def test_paired_t_confidence_level_and_degenerate_cases():
    narrow = paired_t_test(SLEEP_DIFF, confidence=0.90)
    wide = paired_t_test(SLEEP_DIFF)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    # Every participant gained exactly 10 points: t, p and the interval cannot be computed (R: "data are
    # essentially constant"); the mean change is still known.
    constant = paired_t_test([10.0, 10.0, 10.0])
    assert (constant.t, constant.p, constant.ci_low, constant.ci_high) == (None, None, None, None)
    assert constant.estimate == 10.0
    assert constant.to_json() == {"t": None, "df": 2.0, "p": None, "ci_low": None, "ci_high": None}
    assert paired_t_test([4.0]) is None


def test_wilcoxon_on_the_sleep_data_matches_r():
    # R: wilcox.test(extra ~ group, data = sleep, paired = TRUE, exact = FALSE) prints V = 0,
    # p-value = 0.009091. There is one zero difference and one tie (|-1.3| twice), so R's default
    # (exact = NULL) also uses the normal approximation with continuity correction.
    for exact in (False, None):
        result = wilcoxon_signed_rank(SLEEP_DIFF, exact=exact)
        assert result.statistic == 0
        assert result.p == pytest.approx(0.009091, abs=5e-7)
        assert result.method == "normal_cc"
        assert result.zero_method == "wilcox"
        assert (result.n_nonzero, result.n_zero, result.ties) == (9, 1, True)


def _walsh_by_hand(values):
    values = list(values)
    return sorted((values[i] + values[j]) / 2 for i in range(len(values)) for j in range(i, len(values)))


def test_hodges_lehmann_estimate_is_the_median_of_walsh_averages_of_nonzero_differences():
    # Computed by hand: the 9 non-zero sleep differences give 45 Walsh averages; the 23rd is the median.
    nonzero = [d for d in np.round(SLEEP_DIFF, 10) if d != 0]
    walsh = _walsh_by_hand(nonzero)
    assert len(walsh) == 45
    result = wilcoxon_signed_rank(SLEEP_DIFF)
    assert result.hl_estimate == pytest.approx(walsh[22])
    assert result.hl_estimate == pytest.approx(-1.4)


def _r_statistic(x, shift):
    """R's W(d) in wilcox.test's asymptotic interval, written out independently: ranks by hand."""
    shifted = [value - shift for value in x if value - shift != 0]
    n = len(shifted)
    order = sorted(abs(v) for v in shifted)
    rank = {}
    for magnitude in set(order):
        positions = [i + 1 for i, v in enumerate(order) if v == magnitude]
        rank[magnitude] = sum(positions) / len(positions)
    v = sum(rank[abs(s)] for s in shifted if s > 0)
    z = v - n * (n + 1) / 4
    ties = [order.count(m) for m in set(order)]
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48)
    return (z - math.copysign(0.5, z) if z else z) / sigma


def test_hodges_lehmann_interval_with_ties_follows_rs_root_search():
    # R finds the interval's ends with uniroot (tolerance 1e-4) where W(d) crosses ±z(0.975). A grid
    # scan of W in steps of 0.001 locates both crossings independently of the implementation.
    nonzero = [d for d in np.round(SLEEP_DIFF, 10) if d != 0]
    z = stats.norm.ppf(0.975)
    grid = np.arange(min(nonzero), max(nonzero) + 0.001, 0.001)
    values = [_r_statistic(nonzero, d) for d in grid]
    lower = next(d for d, w in zip(grid, values, strict=True) if w < z)
    upper = next(d for d, w in zip(grid, values, strict=True) if w < -z)
    result = wilcoxon_signed_rank(SLEEP_DIFF)
    assert lower - 0.001 <= result.hl_ci_low <= lower
    assert upper - 0.001 <= result.hl_ci_high <= upper
    walsh = _walsh_by_hand(nonzero)
    assert min(abs(w - result.hl_ci_low) for w in walsh) < 1e-12
    assert min(abs(w - result.hl_ci_high) for w in walsh) < 1e-12
    assert (result.hl_ci_low, result.hl_ci_high) == pytest.approx((-2.95, -1.05))


def test_exact_wilcoxon_on_hollander_and_wolfe_matches_r():
    # R's ?wilcox.test: wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40,
    # p-value = 0.01953; the two-sided p-value is twice that, 20/512 = 0.0390625 (no ties, no zeros, n < 50).
    result = wilcoxon_signed_rank(HW_DIFF)
    assert result.method == "exact"
    assert result.statistic == 40
    assert result.p == pytest.approx(20 / 512)
    assert wilcoxon_signed_rank(HW_DIFF, exact=False).method == "normal_cc"


def test_signed_rank_distribution_and_quantile_against_enumeration():
    # All 2^9 sign patterns of the ranks 1..9, enumerated.
    n = 9
    counts = np.zeros(n * (n + 1) // 2 + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(rank for rank, sign in zip(range(1, n + 1), signs, strict=True) if sign)] += 1
    assert signed_rank_distribution(n) == pytest.approx(counts / 2**n)
    # qsignrank(0.025, 9): P(V <= 5) = 10/512 < 0.025 <= P(V <= 6) = 14/512.
    assert counts[:6].sum() == 10 and counts[:7].sum() == 14
    assert signed_rank_quantile(0.025, n) == 6


def test_exact_hodges_lehmann_interval_uses_walsh_order_statistics():
    # R (exact case): qu = qsignrank(0.025, 9) = 6, ql = 45 - 6 = 39; the interval is the 6th smallest and
    # the 40th smallest of the 45 Walsh averages, the estimate their median (the 23rd).
    walsh = _walsh_by_hand(HW_DIFF)
    result = wilcoxon_signed_rank(HW_DIFF)
    assert result.hl_estimate == pytest.approx(walsh[22])
    assert (result.hl_ci_low, result.hl_ci_high) == pytest.approx((walsh[5], walsh[39]))
    assert result.hl_estimate == pytest.approx(0.46)


def test_wilcoxon_edge_cases():
    assert wilcoxon_signed_rank([0.0, 0.0, 0.0]) is None
    # Exact case with 2 differences: the best achievable level is 50 %, far below 95 %; R warns
    # "requested conf.level not achievable" — the interval is left out. With 6 it is reachable.
    two = wilcoxon_signed_rank([1.0, 2.0])
    assert two.method == "exact" and two.hl_estimate == 1.5 and two.hl_ci_low is None
    assert wilcoxon_signed_rank([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).hl_ci_low == 1.0
    same = wilcoxon_signed_rank([5.0, 5.0, 5.0, 5.0])  # one tied block: the interval cannot be computed
    assert same.hl_estimate == 5.0 and same.hl_ci_low is None and same.hl_ci_high is None
    # Float noise does not break a tie: 100·7/15 − 100·4/15 equals 20 in exact arithmetic.
    noisy = wilcoxon_signed_rank([100 * 7 / 15 - 100 * 4 / 15, 20.0, 5.0, -3.0])
    assert noisy.ties is True
    # Scaling the differences scales the estimate and the interval, not the test.
    raw = wilcoxon_signed_rank(SLEEP_DIFF)
    scaled = raw.scaled(5.0)
    assert (scaled.statistic, scaled.p) == (raw.statistic, raw.p)
    assert scaled.hl_estimate == pytest.approx(5 * raw.hl_estimate)
    assert scaled.to_json()["hl_ci_low"] == pytest.approx(5 * raw.hl_ci_low)


def test_walsh_averages_tabulated_from_distinct_values_match_the_full_list():
    rng = np.random.default_rng(3)
    x = rng.integers(-6, 10, size=60).astype(float)
    x = x[x != 0]
    walsh = WalshAverages.of(x)
    full = _walsh_by_hand(x)
    assert walsh.total == len(full)
    assert [walsh.smallest(k) for k in (1, 17, len(full) // 2, len(full))] == [
        full[0],
        full[16],
        full[len(full) // 2 - 1],
        full[-1],
    ]
    assert walsh.median() == pytest.approx(float(np.median(full)))


def test_hodges_lehmann_for_a_large_programme_of_whole_number_changes():
    # 10,000 changes in whole points: the Walsh averages are tabulated, not listed (5·10⁷ of them).
    rng = np.random.default_rng(4)
    changes = rng.integers(-3, 9, size=10_000).astype(float)
    result = wilcoxon_signed_rank(changes)
    assert result.hl_estimate is not None and result.hl_ci_low <= result.hl_estimate <= result.hl_ci_high
    sample = changes[:400][changes[:400] != 0]
    assert wilcoxon_signed_rank(changes[:400]).hl_estimate == pytest.approx(np.median(_walsh_by_hand(sample)))
