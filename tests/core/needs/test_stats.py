"""Statistical building blocks of the gap analysis, against published or reference values.

Sources
-------
* Wilcoxon signed-rank test: R ``datasets::sleep`` (Student 1908; the copy in
  /work/shared/reference-data/stats/datasets_sleep.csv comes from Rdatasets), with SciPy's
  ``scipy.stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")`` as the reference
  implementation (it drops the zero difference, averages tied ranks, corrects the variance for ties).
* p-value adjustment: the examples in the documentation of stdlib-js ``@stdlib/stats/padjust``
  (https://stdlib.io/docs/api/latest/@stdlib/stats/padjust), a port of R's ``p.adjust``:
  holm([0.319, 0.201, 0.4, 0.374, 0.113]) = [~0.957, 0.804, …, ~0.957, ~0.565],
  bh([0.319, 0.201, 0.4, 0.374, 0.113]) = [0.4, 0.4, 0.4, 0.4, 0.4] and
  bh([0.008, 0.03, 0.123, 0.6, 0.2]) = [0.04, 0.075, ~0.205, 0.6, 0.25]. The elided and "~" values are
  completed by hand below from Holm (1979) and Benjamini & Hochberg (1995). SciPy's
  ``false_discovery_control`` is the reference for BH on random data.
* Feldt interval of alpha: pingouin's documented ``cronbach_alpha`` examples (see test_reliability.py),
  whose interval formula is psych::alpha.ci's.
* Hedges' g: Borenstein, Hedges, Higgins & Rothstein (2009), *Introduction to Meta-Analysis*, Wiley,
  ch. 4 worked example: means 103 and 100, SDs 5.5 and 4.5, n = 50 and 50 give S_within = 5.0249,
  d = 0.5970, J = 0.9923 and g = 0.5924.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from ctip.core.needs.model import Adjustment
from ctip.core.needs.stats import (
    adjust_p_values,
    feldt_interval,
    hedges_g,
    mean_interval,
    wilcoxon_from_counts,
    wilcoxon_signed_rank,
)

STATS = "/work/shared/reference-data/stats/"


def _sleep_differences() -> np.ndarray:
    sleep = pd.read_csv(STATS + "datasets_sleep.csv")
    first = sleep[sleep.group == 1].sort_values("ID").extra.to_numpy()
    second = sleep[sleep.group == 2].sort_values("ID").extra.to_numpy()
    return second - first


def test_wilcoxon_on_the_sleep_data_equals_scipy_normal_approximation_without_continuity_correction():
    differences = _sleep_differences()  # one zero, ties at 1.3
    reference = scipy_stats.wilcoxon(differences, zero_method="wilcox", correction=False, method="approx")
    # The differences have one decimal: ×10 makes them whole numbers without changing any rank.
    result = wilcoxon_signed_rank(np.rint(differences * 10).astype(int))
    assert result.n_nonzero[0] == 9
    assert result.statistic[0] == 45.0  # every non-zero difference is positive: W+ = 1 + … + 9
    assert result.p_value[0] == pytest.approx(reference.pvalue, rel=1e-12)
    assert result.p_value[0] == pytest.approx(0.0076324, abs=1e-7)
    assert abs(result.z[0]) == pytest.approx(abs(reference.zstatistic), rel=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_wilcoxon_from_counts_equals_scipy_on_random_whole_number_differences(seed):
    rng = np.random.default_rng(seed)
    differences = rng.integers(-4, 5, size=int(rng.integers(5, 400)))
    if not differences.any():
        differences[0] = 1
    reference = scipy_stats.wilcoxon(differences, zero_method="wilcox", correction=False, method="approx")
    result = wilcoxon_signed_rank(differences)
    nonzero = differences[differences != 0]
    ranks = scipy_stats.rankdata(np.abs(nonzero))
    assert result.statistic[0] == pytest.approx(ranks[nonzero > 0].sum())
    assert result.p_value[0] == pytest.approx(reference.pvalue, rel=1e-10, abs=1e-300)


def test_wilcoxon_from_counts_is_vectorised_over_items_and_gives_nan_without_differences():
    positive = np.array([[3, 1, 0], [0, 0, 0], [2, 0, 0]])
    negative = np.array([[1, 0, 1], [0, 0, 0], [0, 0, 0]])
    result = wilcoxon_from_counts(positive, negative)
    # Item 0: |d| = 1,1,1,1 (three +, one −), 2 (+), 3 (−): ranks 2.5 ×4, 5, 6 → W+ = 3 × 2.5 + 5 = 12.5
    expected = scipy_stats.wilcoxon([1, 1, 1, -1, 2, -3], correction=False, method="approx")
    assert result.statistic[0] == 12.5
    assert result.p_value[0] == pytest.approx(expected.pvalue)
    assert result.n_nonzero.tolist() == [6, 0, 2]
    assert math.isnan(result.p_value[1]) and math.isnan(result.statistic[1]) and math.isnan(result.z[1])
    assert result.statistic[2] == 3.0


def test_holm_adjustment_matches_the_published_p_adjust_example():
    p = np.array([0.319, 0.201, 0.4, 0.374, 0.113])
    # By hand (Holm 1979): sorted 0.113×5 = 0.565, 0.201×4 = 0.804, 0.319×3 = 0.957, then the running
    # maximum keeps 0.957 for 0.374×2 = 0.748 and 0.4×1.
    assert adjust_p_values(p, Adjustment.HOLM) == pytest.approx([0.957, 0.804, 0.957, 0.957, 0.565])


def test_benjamini_hochberg_adjustment_matches_the_published_p_adjust_examples():
    p = np.array([0.319, 0.201, 0.4, 0.374, 0.113])
    assert adjust_p_values(p, Adjustment.BENJAMINI_HOCHBERG) == pytest.approx([0.4] * 5)
    q = np.array([0.008, 0.03, 0.123, 0.6, 0.2])
    # By hand: 0.123 × 5/3 = 0.205.
    assert adjust_p_values(q, Adjustment.BENJAMINI_HOCHBERG) == pytest.approx([0.04, 0.075, 0.205, 0.6, 0.25])


def test_adjustment_ignores_missing_p_values_and_caps_at_one():
    p = np.array([0.01, np.nan, 0.5, 0.04])
    holm = adjust_p_values(p, Adjustment.HOLM)
    assert math.isnan(holm[1])
    assert holm[[0, 2, 3]] == pytest.approx([0.03, 0.5, 0.08])  # three tests, not four
    assert adjust_p_values(np.array([0.6, 0.7]), Adjustment.HOLM).tolist() == [1.0, 1.0]
    assert np.isnan(adjust_p_values(np.array([np.nan]), Adjustment.BENJAMINI_HOCHBERG)).all()


def test_benjamini_hochberg_equals_scipy_false_discovery_control():
    rng = np.random.default_rng(3)
    p = rng.random(60) ** 3
    assert adjust_p_values(p, Adjustment.BENJAMINI_HOCHBERG) == pytest.approx(
        scipy_stats.false_discovery_control(p, method="bh")
    )


def test_mean_interval_is_the_t_interval():
    values = np.array([1.0, 2.0, 2.0, 3.0, 5.0])
    low, high = mean_interval(np.array([values.mean()]), np.array([values.std(ddof=1)]), np.array([5]), 0.95)
    reference = scipy_stats.t.interval(0.95, 4, loc=values.mean(), scale=scipy_stats.sem(values))
    assert (low[0], high[0]) == pytest.approx(reference)
    low, high = mean_interval(np.array([2.0]), np.array([np.nan]), np.array([1]), 0.95)
    assert math.isnan(low[0]) and math.isnan(high[0])


def test_feldt_interval_reproduces_pingouin_documented_intervals():
    # pingouin docs: cronbach_alpha(long format) = 0.5917…, CI [0.195, 0.84] with n = 15, k = 10 items.
    low, high = feldt_interval(0.5917188485995826, 15, 10, 0.95)
    assert (round(low, 3), round(high, 3)) == (0.195, 0.84)
    assert feldt_interval(0.5, 1, 5, 0.95) is None
    assert feldt_interval(0.5, 10, 1, 0.95) is None


def test_hedges_g_matches_borenstein_worked_example():
    g = hedges_g(
        np.array([103.0]), np.array([100.0]), np.array([5.5]), np.array([4.5]), np.array([50]), np.array([50])
    )
    assert g[0] == pytest.approx(0.5924, abs=5e-5)
    d = g[0] / (1 - 3 / (4 * 100 - 9))
    assert d == pytest.approx(0.5970, abs=5e-5)


def test_hedges_g_is_nan_without_spread_or_degrees_of_freedom():
    assert math.isnan(
        hedges_g(
            np.array([3.0]), np.array([3.0]), np.array([0.0]), np.array([0.0]), np.array([5]), np.array([5])
        )[0]
    )
    assert math.isnan(
        hedges_g(
            np.array([3.0]), np.array([2.0]), np.array([0.0]), np.array([0.0]), np.array([1]), np.array([1])
        )[0]
    )
