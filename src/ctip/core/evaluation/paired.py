"""Tests of paired differences (post − pre of the same participants).

* :func:`paired_t_test` — Student's paired t-test: t = d̄ / (s_d / √n), df = n − 1, two-sided p, and the
  t confidence interval of the mean change d̄ ± t(1 − α/2, n − 1)·s_d/√n. As R's
  ``t.test(post, pre, paired = TRUE)``: when the differences are (essentially) constant, t, p and the
  interval cannot be computed and are ``None``.
* :func:`wilcoxon_signed_rank` — Wilcoxon's signed-rank test, made to give what R's
  ``wilcox.test(post, pre, paired = TRUE, conf.int = TRUE)`` gives, since that is what users compare with:

  - zero differences are dropped before ranking (Wilcoxon's own rule, scipy's ``zero_method="wilcox"``);
    the absolute differences that are left are ranked, ties getting their average rank;
  - the statistic is V = the sum of the ranks of the positive differences (R's ``V``);
  - the p-value is exact (the permutation distribution of V, ``method="exact"``) when fewer than 50
    differences are left and there are no zeros and no ties; otherwise it comes from the normal
    approximation with the tie-corrected variance and a continuity correction of ½
    (``method="asymptotic"``, ``correction=True``) — R's defaults. ``exact=False`` forces the
    approximation, as ``wilcox.test(..., exact = FALSE)``;
  - the Hodges–Lehmann estimate is the median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j, of the non-zero
    differences. Its confidence interval is, in the exact case, the pair of Walsh averages given by the
    quantiles of the signed-rank distribution (Bauer 1972; R's ``qsignrank`` rule; ``None`` where R warns
    that the level cannot be achieved, e.g. below 6 differences at 95 %), and otherwise the
    interval R finds by inverting the continuity-corrected normal approximation: the two points where
    the standardised statistic of the differences shifted by δ crosses ±z(1 − α/2). That statistic only
    changes at Walsh averages, so the interval's ends are Walsh averages (R's root search lands within
    10⁻⁴ of them).

scipy computes the p-values (with its options named explicitly); the statistic, the estimate and the
interval are computed here. Inputs are rounded to 10 decimals first so that float noise does not break
ties (:data:`ctip.core.evaluation.summary.TIE_DECIMALS`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from ctip.core.evaluation.summary import FloatArray, as_array, finite, for_ranking

EXACT_BELOW = 50
"""The exact distribution is used when fewer non-zero differences than this remain (R's rule)."""
MAX_EXACT_N = 1000
"""``exact=True`` is honoured up to this many non-zero differences; above it the normal approximation is
used (the exact distribution would take too long to compute)."""
MAX_WALSH_DISTINCT = 3000
"""Above this many distinct non-zero differences the Hodges–Lehmann estimate and interval are not computed
(the Walsh averages are tabulated from the distinct values, so any number of whole-number score changes
is fine; only thousands of different changes would take too much memory)."""
ZERO_METHOD = "wilcox"
METHOD_EXACT = "exact"
METHOD_NORMAL_CC = "normal_cc"
METHOD_NORMAL = "normal"


@dataclass(frozen=True)
class TTest:
    """A t-test of a mean (change): ``estimate`` is the mean difference the test is about."""

    estimate: float
    t: float | None
    df: float
    p: float | None
    ci_low: float | None
    ci_high: float | None

    def to_json(self) -> dict[str, float | None]:
        return {
            "t": finite(self.t),
            "df": finite(self.df),
            "p": finite(self.p),
            "ci_low": finite(self.ci_low),
            "ci_high": finite(self.ci_high),
        }


def paired_t_test(differences: Sequence[float] | FloatArray, *, confidence: float = 0.95) -> TTest | None:
    """Student's paired t-test of ``differences`` (post − pre); ``None`` below two pairs."""
    d = as_array(differences)
    n = d.size
    if n < 2:
        return None
    mean = float(d.mean())
    se = float(d.std(ddof=1)) / math.sqrt(n)
    df = float(n - 1)
    if se == 0 or se < 10 * np.finfo(np.float64).eps * abs(mean):  # R: "data are essentially constant"
        return TTest(estimate=mean, t=None, df=df, p=None, ci_low=None, ci_high=None)
    t = mean / se
    p = float(2.0 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf(0.5 + confidence / 2.0, df)) * se
    return TTest(estimate=mean, t=t, df=df, p=p, ci_low=mean - half, ci_high=mean + half)


@dataclass(frozen=True)
class SignedRank:
    """A Wilcoxon signed-rank test with the Hodges–Lehmann estimate of the change."""

    statistic: float
    """V: the sum of the ranks of the positive differences."""
    p: float
    method: str
    """``exact``, ``normal_cc`` (normal approximation with continuity correction) or ``normal``."""
    n_nonzero: int
    n_zero: int
    ties: bool
    hl_estimate: float | None
    hl_ci_low: float | None
    hl_ci_high: float | None
    zero_method: str = ZERO_METHOD

    def scaled(self, factor: float) -> SignedRank:
        """The same test with the estimate and interval multiplied by ``factor`` (> 0), e.g. from points
        of score to percentage points."""

        def times(value: float | None) -> float | None:
            return None if value is None else value * factor

        return SignedRank(
            statistic=self.statistic,
            p=self.p,
            method=self.method,
            n_nonzero=self.n_nonzero,
            n_zero=self.n_zero,
            ties=self.ties,
            hl_estimate=times(self.hl_estimate),
            hl_ci_low=times(self.hl_ci_low),
            hl_ci_high=times(self.hl_ci_high),
            zero_method=self.zero_method,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "statistic": finite(self.statistic),
            "p": finite(self.p),
            "method": self.method,
            "zero_method": self.zero_method,
            "n_nonzero": self.n_nonzero,
            "hl_estimate": finite(self.hl_estimate),
            "hl_ci_low": finite(self.hl_ci_low),
            "hl_ci_high": finite(self.hl_ci_high),
        }


def wilcoxon_signed_rank(
    differences: Sequence[float] | FloatArray,
    *,
    confidence: float = 0.95,
    exact: bool | None = None,
    correct: bool = True,
) -> SignedRank | None:
    """The signed-rank test of ``differences`` as R's ``wilcox.test(d, exact = exact, correct = correct,
    conf.int = TRUE, conf.level = confidence)``; ``None`` when no difference is non-zero."""
    d = for_ranking(as_array(differences))
    x = d[d != 0]
    n = x.size
    if n == 0:
        return None
    magnitude = np.abs(x)
    ranks = stats.rankdata(magnitude)
    statistic = float(ranks[x > 0].sum())
    ties = np.unique(magnitude).size < n
    zeros = int(d.size - n)
    use_exact = (n < EXACT_BELOW if exact is None else exact) and not ties and zeros == 0 and n <= MAX_EXACT_N
    if use_exact:
        result = stats.wilcoxon(x, zero_method=ZERO_METHOD, method="exact")
        method = METHOD_EXACT
    else:
        result = stats.wilcoxon(x, zero_method=ZERO_METHOD, correction=correct, method="asymptotic")
        method = METHOD_NORMAL_CC if correct else METHOD_NORMAL
    estimate: float | None = None
    interval: tuple[float, float] | None = None
    if np.unique(x).size <= MAX_WALSH_DISTINCT:
        walsh = WalshAverages.of(x)
        estimate = walsh.median()
        if use_exact:
            interval = _exact_interval(walsh, n, confidence)
        else:
            interval = _normal_interval(x, walsh, confidence, correct)
    return SignedRank(
        statistic=statistic,
        p=min(1.0, float(result.pvalue)),
        method=method,
        n_nonzero=n,
        n_zero=zeros,
        ties=bool(ties),
        hl_estimate=estimate,
        hl_ci_low=interval[0] if interval else None,
        hl_ci_high=interval[1] if interval else None,
    )


@dataclass(frozen=True)
class WalshAverages:
    """The n(n + 1)/2 Walsh averages (xᵢ + xⱼ)/2, i ≤ j, as their distinct ``values`` (sorted) and how many
    times each occurs, computed from the distinct values of x and their counts."""

    values: FloatArray
    counts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, x: FloatArray) -> WalshAverages:
        distinct, counts = np.unique(x, return_counts=True)
        first, second = np.triu_indices(distinct.size)
        averages = (distinct[first] + distinct[second]) / 2.0
        times = np.where(
            first == second,
            counts[first] * (counts[first] + 1) // 2,
            counts[first] * counts[second],
        ).astype(np.int64)
        values, where = np.unique(averages, return_inverse=True)
        return cls(values=values, counts=np.bincount(where, weights=times).round().astype(np.int64))

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def smallest(self, k: int) -> float:
        """The k-th smallest Walsh average (1-based)."""
        return float(self.values[int(np.searchsorted(np.cumsum(self.counts), k, side="left"))])

    def median(self) -> float:
        total = self.total
        if total % 2:
            return self.smallest(total // 2 + 1)
        return (self.smallest(total // 2) + self.smallest(total // 2 + 1)) / 2.0


def signed_rank_distribution(n: int) -> FloatArray:
    """``P(V = v)`` for v = 0 … n(n + 1)/2 under the null hypothesis, without ties (each of the 2ⁿ sign
    patterns equally likely)."""
    total = n * (n + 1) // 2
    probabilities = np.zeros(total + 1)
    probabilities[0] = 1.0
    for rank in range(1, n + 1):
        probabilities[rank:] += probabilities[:-rank].copy()
        probabilities *= 0.5
    return probabilities


def signed_rank_quantile(probability: float, n: int) -> int:
    """R's ``qsignrank(probability, n)`` for probability ≤ ½: the smallest q with P(V ≤ q) ≥ probability
    (less 10 machine epsilons, as R)."""
    cumulative = np.cumsum(signed_rank_distribution(n))
    target = probability - 10 * np.finfo(np.float64).eps
    return int(np.searchsorted(cumulative, target, side="left"))


def _exact_interval(walsh: WalshAverages, n: int, confidence: float) -> tuple[float, float] | None:
    """R's exact interval; ``None`` where R warns that the level is not achievable (the achieved α exceeds
    the requested one by more than half)."""
    alpha = 1.0 - confidence
    qu = max(1, signed_rank_quantile(alpha / 2.0, n))
    achieved = 2.0 * float(np.sum(signed_rank_distribution(n)[:qu]))
    if achieved - alpha > alpha / 2.0:
        return None
    ql = n * (n + 1) // 2 - qu
    return walsh.smallest(qu), walsh.smallest(ql + 1)


def _standardised(x: FloatArray, shift: float, correct: bool) -> float | None:
    """R's statistic of ``x − shift``: (V − n(n + 1)/4 − ½·sign) / σ with the tie-corrected σ; ``None``
    when σ = 0 (every shifted difference zero or tied)."""
    shifted = x - shift
    shifted = shifted[shifted != 0]
    n = int(shifted.size)
    if n == 0:
        return None
    ranks = stats.rankdata(np.abs(shifted))
    z = float(ranks[shifted > 0].sum()) - n * (n + 1) / 4.0
    _values, tied = np.unique(ranks, return_counts=True)
    variance = n * (n + 1) * (2 * n + 1) / 24.0 - float((tied.astype(np.float64) ** 3 - tied).sum()) / 48.0
    if variance <= 0:
        return None
    correction = 0.5 * float(np.sign(z)) if correct else 0.0
    return (z - correction) / math.sqrt(variance)


def _normal_interval(
    x: FloatArray, walsh: WalshAverages, confidence: float, correct: bool
) -> tuple[float, float] | None:
    """The interval R's ``wilcox.test`` finds with ``uniroot`` when the exact distribution is not used.
    ``None`` when it cannot be computed (all differences equal) or the requested confidence cannot be
    reached with so few differences (where R would lower the level and warn)."""
    quantile = float(stats.norm.ppf(1.0 - (1.0 - confidence) / 2.0))
    at_min = _standardised(x, float(x.min()), correct)
    at_max = _standardised(x, float(x.max()), correct)
    if at_min is None or at_max is None or at_min < quantile or at_max > -quantile:
        return None
    points = walsh.values
    if points.size < 2:
        return None
    middles = (points[:-1] + points[1:]) / 2.0

    def crossing(level: float) -> float:
        # The statistic falls (weakly) as the shift grows and is constant between Walsh averages: find
        # the first gap where it is below ``level``; its left end is where the statistic crosses it.
        low, high = 0, middles.size
        while low < high:
            middle = (low + high) // 2
            value = _standardised(x, float(middles[middle]), correct)
            if value is not None and value < level:
                high = middle
            else:
                low = middle + 1
        return float(points[low])

    return crossing(quantile), crossing(-quantile)
