"""The statistical building blocks of the gap analysis, each vectorised over items.

* :func:`wilcoxon_from_counts` — Wilcoxon's signed-rank test (two-sided, zero differences dropped, normal
  approximation with the tie correction, no continuity correction) computed from the number of positive
  and negative differences of each size. Ratings are whole numbers, so the differences take few values:
  the average rank of every tied block follows from the counts, and no per-item sort is needed.
* :func:`adjust_p_values` — Holm (1979) or Benjamini–Hochberg (1995) across items, as R's ``p.adjust``.
* :func:`mean_interval` — the t confidence interval of a mean.
* :func:`feldt_interval` — Feldt, Woodruff & Salih (1987) confidence interval of Cronbach's alpha, in the
  form of R's ``psych::alpha.ci``.
* :func:`hedges_g` — the standardised mean difference with a pooled SD and Hedges' small-sample
  correction J = 1 − 3 / (4(n1 + n2) − 9) (Borenstein et al. 2009, ch. 4).

Every function takes and returns numpy arrays; NaN marks a value that cannot be computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from ctip.core.needs.model import Adjustment

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SignedRankTests:
    """One Wilcoxon signed-rank test per item (NaN where no difference is non-zero)."""

    n_nonzero: IntArray
    statistic: FloatArray  # W+, the sum of the ranks of the positive differences
    z: FloatArray
    p_value: FloatArray


def wilcoxon_from_counts(positive: IntArray, negative: IntArray) -> SignedRankTests:
    """Signed-rank tests from counts of differences by size.

    ``positive[j, v]`` and ``negative[j, v]`` count the differences of item ``j`` equal to ``v + 1`` and to
    ``-(v + 1)``; zero differences are not counted (Wilcoxon's "wilcox" zero method). The ranks of
    ``|d|`` within a tied block are averaged; z = (W+ − n(n+1)/4) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48), with
    no continuity correction, and p = 2·Φ(−|z|)."""
    positive = np.asarray(positive, dtype=np.int64)
    negative = np.asarray(negative, dtype=np.int64)
    tied = positive + negative
    n = tied.sum(axis=1)
    below = np.cumsum(tied, axis=1) - tied
    average_rank = below + (tied + 1) / 2.0
    w_plus = (positive * average_rank).sum(axis=1)
    n_float = n.astype(np.float64)
    tie_term = (tied.astype(np.float64) ** 3 - tied).sum(axis=1) / 48.0
    variance = n_float * (n_float + 1) * (2 * n_float + 1) / 24.0 - tie_term
    has_test = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(has_test, (w_plus - n_float * (n_float + 1) / 4.0) / np.sqrt(variance), np.nan)
    p_value = np.where(has_test, 2.0 * special.ndtr(-np.abs(z)), np.nan)
    return SignedRankTests(
        n_nonzero=n,
        statistic=np.where(has_test, w_plus, np.nan),
        z=z,
        p_value=np.minimum(p_value, 1.0),
    )


def wilcoxon_signed_rank(differences: Sequence[int] | IntArray) -> SignedRankTests:
    """The signed-rank test of one sample of whole-number differences (a single-item convenience over
    :func:`wilcoxon_from_counts`)."""
    values = np.asarray(differences, dtype=np.int64)
    largest = int(np.abs(values).max(initial=0))
    positive = np.bincount(values[values > 0], minlength=largest + 1)[1:]
    negative = np.bincount(-values[values < 0], minlength=largest + 1)[1:]
    return wilcoxon_from_counts(positive[np.newaxis, :], negative[np.newaxis, :])


def adjust_p_values(p_values: FloatArray, method: Adjustment) -> FloatArray:
    """Adjusted p-values as R's ``p.adjust``: NaN entries stay NaN and do not count as tests.

    Holm: the i-th smallest of m p-values becomes max over j ≤ i of min(1, (m − j + 1)·p(j)).
    Benjamini–Hochberg: it becomes min over j ≥ i of min(1, m·p(j) / j)."""
    p = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = present.size
    if m == 0:
        return adjusted
    order = present[np.argsort(p[present], kind="stable")]
    ordered = p[order]
    position = np.arange(1, m + 1, dtype=np.float64)
    if method == Adjustment.HOLM:
        stepped = np.maximum.accumulate((m - position + 1) * ordered)
    else:
        stepped = np.minimum.accumulate((m * ordered / position)[::-1])[::-1]
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def mean_interval(
    mean: FloatArray, sd: FloatArray, n: IntArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """The t interval mean ± t(1 − γ/2, n − 1)·sd/√n, with γ = 1 − confidence (NaN where n < 2)."""
    n_float = np.asarray(n, dtype=np.float64)
    enough = n_float >= 2
    degrees = np.where(enough, n_float - 1, 1.0)
    quantile = stats.t.ppf(0.5 + confidence / 2.0, degrees)
    half = np.where(enough, quantile * sd / np.sqrt(np.where(enough, n_float, 1.0)), np.nan)
    return mean - half, mean + half


def feldt_interval(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float] | None:
    """Feldt's interval for Cronbach's alpha from ``n`` respondents and ``k`` items, as ``psych::alpha.ci``:
    lower = 1 − (1 − α)·F(1 − γ/2; n − 1, (n − 1)(k − 1)), upper = 1 − (1 − α)·F(γ/2; …)."""
    if n < 2 or k < 2 or not np.isfinite(alpha):
        return None
    gamma = 1.0 - confidence
    first = n - 1
    second = (n - 1) * (k - 1)
    lower = 1.0 - (1.0 - alpha) * float(stats.f.ppf(1.0 - gamma / 2.0, first, second))
    upper = 1.0 - (1.0 - alpha) * float(stats.f.ppf(gamma / 2.0, first, second))
    return lower, upper


def hedges_g(
    mean_1: FloatArray,
    mean_2: FloatArray,
    sd_1: FloatArray,
    sd_2: FloatArray,
    n_1: IntArray,
    n_2: IntArray,
) -> FloatArray:
    """Hedges' g of group 1 against group 2: (m1 − m2) / s_pooled × J, with
    s_pooled = √(((n1 − 1)s1² + (n2 − 1)s2²) / (n1 + n2 − 2)) and J = 1 − 3 / (4(n1 + n2) − 9).
    NaN where n1 + n2 < 3 or the pooled SD is zero."""
    n1 = np.asarray(n_1, dtype=np.float64)
    n2 = np.asarray(n_2, dtype=np.float64)
    degrees = n1 + n2 - 2
    usable = (degrees > 0) & (n1 >= 1) & (n2 >= 1)
    safe_degrees = np.where(usable, degrees, 1.0)
    pooled_variance = ((n1 - 1) * np.square(sd_1) + (n2 - 1) * np.square(sd_2)) / safe_degrees
    pooled = np.sqrt(np.where(usable, pooled_variance, np.nan))
    correction = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (np.asarray(mean_1) - np.asarray(mean_2)) / pooled * correction
    return np.where(usable & (pooled > 0), g, np.nan)
