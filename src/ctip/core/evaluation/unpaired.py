"""Comparing two independent groups, for when pre- and post-test answers cannot be linked to the same
participants (anonymous forms): the post-test group is compared with the pre-test group as two samples.

* :func:`welch_t_test` — Welch's t-test (unequal variances): t = (x̄_a − x̄_b) / √(s_a²/n_a + s_b²/n_b),
  with the Welch–Satterthwaite degrees of freedom df = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) +
  (s_b²/n_b)²/(n_b − 1)), two-sided p, and the confidence interval of x̄_a − x̄_b — as R's
  ``t.test(a, b)`` (Welch 1947, Biometrika 34:28).
* :func:`mann_whitney` — the Mann–Whitney U test (Wilcoxon rank-sum), U = the number of pairs (a, b) with
  a > b, ties counting ½ (R's ``W`` of ``wilcox.test(a, b)``). As R: the exact distribution when both
  groups have fewer than 50 values and there are no ties, otherwise the normal approximation with the tie
  correction and a continuity correction of ½ (scipy's ``mannwhitneyu`` with ``method`` named).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ctip.core.evaluation.paired import METHOD_EXACT, METHOD_NORMAL_CC, TTest
from ctip.core.evaluation.summary import FloatArray, as_array, finite, for_ranking

EXACT_BELOW = 50


def welch_t_test(
    a: Sequence[float] | FloatArray, b: Sequence[float] | FloatArray, *, confidence: float = 0.95
) -> TTest | None:
    """Welch's t-test of mean(a) − mean(b); ``None`` when either group has fewer than two values."""
    x, y = as_array(a), as_array(b)
    if x.size < 2 or y.size < 2:
        return None
    difference = float(x.mean() - y.mean())
    share_x = float(x.var(ddof=1)) / x.size
    share_y = float(y.var(ddof=1)) / y.size
    se = math.sqrt(share_x + share_y)
    if se == 0:
        return TTest(estimate=difference, t=None, df=math.nan, p=None, ci_low=None, ci_high=None)
    df = (share_x + share_y) ** 2 / (share_x**2 / (x.size - 1) + share_y**2 / (y.size - 1))
    t = difference / se
    p = float(2.0 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf(0.5 + confidence / 2.0, df)) * se
    return TTest(estimate=difference, t=t, df=df, p=p, ci_low=difference - half, ci_high=difference + half)


@dataclass(frozen=True)
class MannWhitney:
    u: float
    """U of the first group: pairs in which its value is the larger, ties counting ½."""
    p: float
    method: str
    """``exact`` or ``normal_cc``."""

    def to_json(self) -> dict[str, Any]:
        return {"u": finite(self.u), "p": finite(self.p), "method": self.method}


def mann_whitney(a: Sequence[float] | FloatArray, b: Sequence[float] | FloatArray) -> MannWhitney | None:
    """The two-sided Mann–Whitney U test of a against b; ``None`` when a group is empty."""
    x, y = for_ranking(as_array(a)), for_ranking(as_array(b))
    if x.size == 0 or y.size == 0:
        return None
    pooled = np.concatenate([x, y])
    ties = np.unique(pooled).size < pooled.size
    if x.size < EXACT_BELOW and y.size < EXACT_BELOW and not ties:
        result = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
        method = METHOD_EXACT
    elif np.unique(pooled).size == 1:  # every value the same: no evidence of a difference at all
        return MannWhitney(u=x.size * y.size / 2.0, p=1.0, method=METHOD_NORMAL_CC)
    else:
        result = stats.mannwhitneyu(x, y, use_continuity=True, alternative="two-sided", method="asymptotic")
        method = METHOD_NORMAL_CC
    return MannWhitney(u=float(result.statistic), p=min(1.0, float(result.pvalue)), method=method)
