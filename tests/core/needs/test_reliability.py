"""Reliability of each scale (Cronbach's alpha, Feldt interval, alpha if deleted, item–rest correlation)
and the instrument review flags.

Sources
-------
* ``psych_lsat6.csv`` (R ``psych::lsat6`` = ``ltm::LSAT``, Bock & Lieberman 1970; 1000 × 5 binary items):
  ``ltm::descript(LSAT)`` prints Cronbach's alpha (KR-20) 0.2950 for all items (the reference-data README
  records this printout). I could not find a stored copy of the full printout with its "Excluding Item"
  lines, so alpha if an item is deleted is checked against an independent computation (alpha of the
  four remaining columns, from their sample covariance matrix), not a published number.
* ``pingouin_cronbach_alpha.csv`` and ``pingouin_cronbach_wide_missing.csv``: the examples in pingouin's
  ``cronbach_alpha`` docstring (raphaelvallat/pingouin, src/pingouin/reliability.py,
  https://pingouin-stats.org/generated/pingouin.cronbach_alpha.html):
  long format → (0.5917188485995826, [0.195, 0.84]); wide with missing values, pairwise (the pingouin
  default, "In R: psych::alpha(data, use='pairwise')") → (0.732660835214447, [0.435, 0.909]); listwise →
  (0.8016949152542373, [0.533, 0.947]).
  pingouin's pairwise interval uses n = all 12 rows; ours uses the smallest pair count (documented in
  ctip.core.needs.reliability), so the pairwise interval is checked against the Feldt formula with both
  n values: with n = 12 it reproduces pingouin's [0.435, 0.909].
Binary items are coded 1/2 here (the analysis reads 0 as missing); adding 1 to every answer changes no
variance or covariance, so alpha and its companions are unchanged.
"""

import numpy as np
import pandas as pd
import pytest

from ctip.core.needs import analyse_needs
from ctip.core.needs.model import Item, MissingRule, NeedsData, NeedsOptions, ScaleReliability
from ctip.core.needs.stats import feldt_interval
from ctip.core.tna.model import Text

STATS = "/work/shared/reference-data/stats/"


def _scale(
    values: np.ndarray, scale_max: int, missing: MissingRule = MissingRule.LISTWISE
) -> ScaleReliability:
    n, k = values.shape
    items = tuple(Item(f"Q{j + 1}", Text(f"Q{j + 1}"), "scale") for j in range(k))
    data = NeedsData(items, tuple(str(i) for i in range(n)), values, values.copy(), scale_max)
    analysis = analyse_needs(data, options=NeedsOptions(missing=missing))
    importance = [s for s in analysis.reliability if s.rating == "importance"]
    assert len(importance) == 1
    return importance[0]


def _alpha(matrix: np.ndarray) -> float:
    covariance = np.cov(matrix, rowvar=False)
    k = matrix.shape[1]
    return k / (k - 1) * (1 - np.trace(covariance) / covariance.sum())


def test_lsat_alpha_is_the_published_kr20_and_alpha_if_deleted_matches_direct_computation():
    lsat = pd.read_csv(STATS + "psych_lsat6.csv").iloc[:, 1:].to_numpy(dtype=float)
    scale = _scale(lsat + 1, 2)
    assert scale.n == 1000 and scale.k == 5
    assert round(scale.alpha, 4) == 0.2950
    for j, item in enumerate(scale.items):
        assert item.alpha_if_deleted == pytest.approx(_alpha(np.delete(lsat, j, axis=1)), abs=1e-12)
        rest = lsat.sum(axis=1) - lsat[:, j]
        assert item.item_rest_correlation == pytest.approx(np.corrcoef(lsat[:, j], rest)[0, 1], abs=1e-12)
        assert item.mean == pytest.approx(lsat[:, j].mean() + 1)
        assert item.sd == pytest.approx(lsat[:, j].std(ddof=1))


def test_pingouin_long_format_example_alpha_and_feldt_interval():
    long = pd.read_csv(STATS + "pingouin_cronbach_alpha.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores").to_numpy(dtype=float)
    scale = _scale(wide, 7)
    assert scale.alpha == pytest.approx(0.5917188485995826, abs=1e-12)
    assert (round(scale.ci[0], 3), round(scale.ci[1], 3)) == (0.195, 0.84)


def _wide_missing() -> np.ndarray:
    return (
        pd.read_csv(STATS + "pingouin_cronbach_wide_missing.csv", encoding="utf-8-sig").to_numpy(dtype=float)
        + 1
    )


def test_pingouin_wide_missing_listwise_example():
    scale = _scale(_wide_missing(), 2, MissingRule.LISTWISE)
    assert scale.missing_rule == MissingRule.LISTWISE
    assert scale.n == 9  # the 12 rows less the 3 with a missing cell
    assert scale.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    assert (round(scale.ci[0], 3), round(scale.ci[1], 3)) == (0.533, 0.947)


def test_pingouin_wide_missing_pairwise_example():
    scale = _scale(_wide_missing(), 2, MissingRule.PAIRWISE)
    assert scale.alpha == pytest.approx(0.732660835214447, abs=1e-12)
    # Our n is the smallest pair count (Q1 with Q5: 10 rows); pingouin's interval used all 12 rows.
    assert scale.n == 10
    assert scale.ci == pytest.approx(feldt_interval(scale.alpha, 10, 11, 0.95))
    pingouin_ci = feldt_interval(scale.alpha, 12, 11, 0.95)
    assert (round(pingouin_ci[0], 3), round(pingouin_ci[1], 3)) == (0.435, 0.909)
    # Pairwise item statistics come from every respondent who rated the item.
    q1 = _wide_missing()[:, 0]
    assert scale.items[0].mean == pytest.approx(np.nanmean(q1))


def test_negative_alpha_is_kept_and_single_item_scales_have_no_alpha():
    # Two items answered in opposite directions: alpha is negative, and reported as such.
    first = np.array([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], dtype=float)
    scale = _scale(np.column_stack([first, 6 - first, first]), 5)
    assert scale.alpha < 0
    single = _scale(first.reshape(-1, 1), 5)
    assert single.alpha is None and single.ci is None
    assert single.items[0].alpha_if_deleted is None and single.items[0].item_rest_correlation is None
    assert single.items[0].mean == pytest.approx(3.0)


def test_scales_follow_groups_and_both_ratings_with_flags_for_review():
    rng = np.random.default_rng(5)
    n = 200
    base = rng.integers(1, 6, n)
    related = np.clip(base[:, None] + rng.integers(-1, 2, (n, 3)), 1, 5).astype(float)
    noise = rng.integers(1, 6, n).astype(float)  # unrelated to the others: alpha rises without it
    constant = np.where(rng.random(n) < 0.95, 3.0, 4.0)  # ≥ 90 % the same value
    importance = np.column_stack([related, noise, constant])
    items = tuple(
        Item(code, Text(code), group)
        for code, group in (("A1", "a"), ("A2", "a"), ("A3", "a"), ("A4", "a"), ("B1", "b"))
    )
    data = NeedsData(items, tuple(map(str, range(n))), importance, importance.copy(), 5)
    analysis = analyse_needs(data)
    assert [(s.group, s.rating, s.k) for s in analysis.reliability] == [
        ("a", "importance", 4),
        ("a", "competence", 4),
        ("b", "importance", 1),
        ("b", "competence", 1),
    ]
    flags = {(f.code, f.rating, f.reason) for f in analysis.review}
    assert ("A4", "importance", "alpha_if_deleted_rises") in flags
    assert ("A4", "competence", "alpha_if_deleted_rises") in flags
    assert ("B1", "importance", "near_constant") in flags
    assert not any(code in ("A1", "A2", "A3") for code, _, _ in flags)
    near = next(f for f in analysis.review if f.code == "B1" and f.rating == "importance")
    assert near.value == pytest.approx(np.mean(constant == 3.0))
    # Ordered by rating, then item order.
    assert [f.rating for f in analysis.review] == sorted(
        (f.rating for f in analysis.review), key=["importance", "competence"].index
    )
