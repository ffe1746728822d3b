"""Item analysis of a right/wrong test, and the pre→post change of each item.

Every participant's answers are one row of right (1) or wrong (0) per item; an item missing from a
participant's answers counts as wrong (the scoring rule: unanswered is wrong).

* **Difficulty** p = the share right (classical test theory's "item difficulty"; higher is easier).
* **Upper–lower discrimination** D = p(upper) − p(lower) (Kelley 1939): the upper and lower groups are
  the 27 % of participants with the highest and lowest total scores, g = round(0.27·n) each. Participants
  tied on the total at a group's edge share the remaining places: each counts with weight
  (places left)/(participants tied), so D does not depend on the order of the file.
* **Corrected item–rest correlation**: Pearson's r (the point-biserial) between the item and the total of
  the *other* items (ltm's "Point Biserial correlation with Total Score", "Excluded").
* **KR-20** (Kuder & Richardson 1937) = k/(k − 1)·(1 − Σ pⱼ(1 − pⱼ)/σ²_X), σ²_X the variance of the total
  score with the same denominator n: equal to Cronbach's alpha on 0/1 items.
* **McNemar's test** on the participants who took both tests: b = right→wrong, c = wrong→right. When
  b + c < 25 the exact two-sided binomial test of b out of b + c at ½ (``method="exact"``); otherwise
  χ² = (|b − c| − 1)²/(b + c) on 1 df, with continuity correction (``chi2_cc``; as R's ``mcnemar.test``).
  b + c = 0: nobody changed, p = 1.
* P-values adjusted across the items with a McNemar test: Holm (1979) or Benjamini–Hochberg (1995), as R's
  ``p.adjust`` (:func:`ctip.core.needs.stats.adjust_p_values`).

Discrimination and item–rest correlations are computed on the post-test.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.evaluation.definitions import ITEM_DEFINITIONS
from ctip.core.evaluation.summary import FloatArray, finite
from ctip.core.needs.model import Adjustment
from ctip.core.needs.stats import adjust_p_values
from ctip.core.training.scoring import SCORING_RULE

UPPER_LOWER_SHARE = 0.27
EXACT_BELOW = 25
"""McNemar: the exact binomial test is used when b + c is below this."""
ADJUSTMENTS = tuple(method.value for method in Adjustment)


@dataclass(frozen=True)
class McNemar:
    b: int
    c: int
    statistic: float | None
    """χ² (``chi2_cc``, ``chi2``); ``None`` for the exact test."""
    p: float
    method: str

    def to_json(self) -> dict[str, Any]:
        return {
            "b": self.b,
            "c": self.c,
            "statistic": finite(self.statistic),
            "p": finite(self.p),
            "method": self.method,
        }


def mcnemar(b: int, c: int, *, method: str = "auto") -> McNemar:
    """McNemar's test of ``b`` right→wrong against ``c`` wrong→right. ``method``: ``auto`` (exact below
    b + c = 25, else ``chi2_cc``), ``exact``, ``chi2_cc`` or ``chi2`` (no continuity correction)."""
    discordant = b + c
    chosen = ("exact" if discordant < EXACT_BELOW else "chi2_cc") if method == "auto" else method
    if discordant == 0:
        return McNemar(b=b, c=c, statistic=None if chosen == "exact" else 0.0, p=1.0, method=chosen)
    if chosen == "exact":
        p = float(stats.binomtest(min(b, c), discordant, 0.5).pvalue)
        return McNemar(b=b, c=c, statistic=None, p=min(1.0, p), method=chosen)
    correction = 1.0 if chosen == "chi2_cc" else 0.0
    statistic = (abs(b - c) - correction) ** 2 / discordant
    return McNemar(b=b, c=c, statistic=statistic, p=float(stats.chi2.sf(statistic, 1)), method=chosen)


def kr20(matrix: FloatArray) -> float | None:
    """KR-20 of a participants × items 0/1 matrix; ``None`` with fewer than 2 items or 2 participants, or
    when every participant has the same total."""
    n, k = int(matrix.shape[0]), int(matrix.shape[1])
    if n < 2 or k < 2:
        return None
    p = matrix.mean(axis=0)
    variance = float(matrix.sum(axis=1).var())
    if variance <= 0:
        return None
    return k / (k - 1) * (1.0 - float((p * (1.0 - p)).sum()) / variance)


def _edge_weights(totals: FloatArray, size: int) -> FloatArray:
    """Weight 1 for the ``size`` highest totals, shared among those tied at the edge."""
    edge = np.sort(totals)[::-1][size - 1]
    above = totals > edge
    at = totals == edge
    weights: FloatArray = above.astype(np.float64)
    weights[at] = (size - int(above.sum())) / int(at.sum())
    return weights


def upper_lower_discrimination(matrix: FloatArray) -> tuple[list[float | None], int]:
    """D of every item and the size g of the upper and lower groups (``None`` below 2 participants)."""
    n, k = matrix.shape
    size = math.floor(UPPER_LOWER_SHARE * n + 0.5)
    if n < 2 or size < 1:
        return [None] * k, 0
    totals = matrix.sum(axis=1)
    upper = _edge_weights(totals, size) @ matrix / size
    lower = _edge_weights(-totals, size) @ matrix / size
    return [float(value) for value in upper - lower], size


def item_rest_correlations(matrix: FloatArray) -> list[float | None]:
    """Pearson's r of every item with the total of the other items (``None`` when either is constant)."""
    totals = matrix.sum(axis=1)
    values: list[float | None] = []
    for item in matrix.T:
        rest = totals - item
        if matrix.shape[0] < 2 or item.std() == 0 or rest.std() == 0:
            values.append(None)
            continue
        values.append(float(np.corrcoef(item, rest)[0, 1]))
    return values


@dataclass(frozen=True)
class ItemResult:
    code: str
    pre_difficulty: float | None
    post_difficulty: float | None
    discrimination_ul: float | None
    item_rest_r: float | None
    mcnemar: McNemar | None
    p_adjusted: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "pre_difficulty": finite(self.pre_difficulty),
            "post_difficulty": finite(self.post_difficulty),
            "discrimination_ul": finite(self.discrimination_ul),
            "item_rest_r": finite(self.item_rest_r),
            "mcnemar": self.mcnemar.to_json() if self.mcnemar else None,
            "p_adjusted": finite(self.p_adjusted),
        }


@dataclass(frozen=True)
class Reliability:
    kr20: float | None
    n: int

    def to_json(self) -> dict[str, Any]:
        return {"kr20": finite(self.kr20), "n": self.n}


@dataclass(frozen=True)
class ItemReport:
    items: tuple[ItemResult, ...]
    n_pre: int
    n_post: int
    n_matched: int
    adjustment: str
    reliability_pre: Reliability | None
    reliability_post: Reliability
    upper_lower_size: int

    def to_json(self) -> dict[str, Any]:
        return {
            "n_items": len(self.items),
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "n_matched": self.n_matched,
            "scoring": SCORING_RULE,
            "adjustment": self.adjustment,
            "upper_lower_size": self.upper_lower_size,
            "reliability": {
                "pre": self.reliability_pre.to_json() if self.reliability_pre else None,
                "post": self.reliability_post.to_json(),
            },
            "items": [item.to_json() for item in self.items],
            "definitions": dict(ITEM_DEFINITIONS),
        }


def _codes(*administrations: Mapping[str, Mapping[str, bool]]) -> list[str]:
    """Item codes in the order first met (the post-test's first, then any only in the pre-test)."""
    codes: dict[str, None] = {}
    for answers in administrations:
        for row in answers.values():
            codes.update(dict.fromkeys(row))
    return list(codes)


def _matrix(
    answers: Mapping[str, Mapping[str, bool]], ids: Sequence[str], codes: Sequence[str]
) -> FloatArray:
    return np.array(
        [[1.0 if answers[pid].get(code, False) else 0.0 for code in codes] for pid in ids], dtype=np.float64
    ).reshape(len(ids), len(codes))


def analyse_items(
    post: Mapping[str, Mapping[str, bool]],
    pre: Mapping[str, Mapping[str, bool]] | None = None,
    *,
    adjustment: str = "holm",
) -> ItemReport:
    """Item analysis of the post-test (``participant id → item code → right?``) and, with ``pre``, the
    pre-test difficulty and McNemar's test of every item on the participants who took both."""
    if adjustment not in ADJUSTMENTS:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Unknown p-value adjustment “%(value)s”; use one of: %(choices)s."),
            {"value": adjustment, "choices": ", ".join(ADJUSTMENTS)},
        )
    if not post:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("There are no post-test answers to analyse. Import or enter the post-test answers first."),
        )
    codes = _codes(post, pre or {})
    if not codes:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("The answers name no item. Check that the answers were scored against the test's items."),
        )
    post_ids = list(post)
    post_matrix = _matrix(post, post_ids, codes)
    discrimination, size = upper_lower_discrimination(post_matrix)
    item_rest = item_rest_correlations(post_matrix)
    post_difficulty = post_matrix.mean(axis=0)

    pre_matrix: FloatArray | None = None
    tests: list[McNemar | None] = [None] * len(codes)
    matched = [pid for pid in post_ids if pre is not None and pid in pre]
    if pre:
        pre_matrix = _matrix(pre, list(pre), codes)
        if matched:
            before = _matrix(pre, matched, codes).astype(bool)
            after = _matrix(post, matched, codes).astype(bool)
            b = (before & ~after).sum(axis=0)
            c = (~before & after).sum(axis=0)
            tests = [mcnemar(int(b[j]), int(c[j])) for j in range(len(codes))]
    p_values = np.array([test.p if test else np.nan for test in tests], dtype=np.float64)
    adjusted = adjust_p_values(p_values, Adjustment(adjustment))
    items = tuple(
        ItemResult(
            code=code,
            pre_difficulty=float(pre_matrix[:, j].mean()) if pre_matrix is not None else None,
            post_difficulty=float(post_difficulty[j]),
            discrimination_ul=discrimination[j],
            item_rest_r=item_rest[j],
            mcnemar=tests[j],
            p_adjusted=finite(adjusted[j]),
        )
        for j, code in enumerate(codes)
    )
    return ItemReport(
        items=items,
        n_pre=len(pre) if pre else 0,
        n_post=len(post),
        n_matched=len(matched),
        adjustment=adjustment,
        reliability_pre=Reliability(kr20(pre_matrix), pre_matrix.shape[0])
        if pre_matrix is not None
        else None,
        reliability_post=Reliability(kr20(post_matrix), post_matrix.shape[0]),
        upper_lower_size=size,
    )
