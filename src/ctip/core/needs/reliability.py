"""Reliability of each scale (the items of one pillar, for importance and for competence separately) and
the instrument review flags.

Cronbach's alpha α = k/(k − 1)·(1 − Σ s_j² / s_X²) is computed from the item covariance matrix C
(s_X² = ΣC, Σ s_j² = trace C), as R's ``psych::alpha`` and pingouin's ``cronbach_alpha`` do:

* **listwise** (the default): C from the respondents who rated every item of the scale; ``n`` is their
  number;
* **pairwise**: each covariance from the respondents who rated both items (pandas ``DataFrame.cov``);
  ``n`` is the smallest of those pair counts (used for the Feldt interval).

Covariances come from integer sums (n·Σxy − Σx·Σy, exact in float64 for any realistic survey), so they do
not depend on the order of respondents. Alpha can be negative (for example with reverse-keyed items that
were not reversed): it is kept as it is. Alpha if an item is deleted and the corrected item–rest
correlation follow from the same matrix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ctip.core.needs.data import CodeMatrix, RatingCodes
from ctip.core.needs.items import ItemCounts
from ctip.core.needs.model import (
    InstrumentFlag,
    Item,
    ItemReliability,
    MissingRule,
    NeedsOptions,
    ScaleReliability,
)
from ctip.core.needs.stats import feldt_interval

FloatArray = npt.NDArray[np.float64]

RATINGS = ("importance", "competence")
ALPHA_RISE = 0.01
"""An item is flagged when the scale's alpha without it exceeds alpha by more than this."""
NEAR_CONSTANT_SHARE = 0.9
"""An item is flagged when this share of its answers or more are the same value."""


def _listwise(scale: CodeMatrix) -> tuple[int, FloatArray, FloatArray]:
    complete = scale[(scale > 0).all(axis=1)].astype(np.float64)
    n = complete.shape[0]
    sums = complete.sum(axis=0)
    products = complete.T @ complete
    with np.errstate(divide="ignore", invalid="ignore"):
        covariance = (n * products - np.outer(sums, sums)) / (n * (n - 1.0))
        means = sums / n
    return n, means, covariance


def _pairwise(scale: CodeMatrix) -> tuple[int, FloatArray, FloatArray]:
    values = scale.astype(np.float64)
    rated = (scale > 0).astype(np.float64)
    pairs = rated.T @ rated
    sums = values.T @ rated  # [a, b]: Σ x_a over respondents who rated both a and b
    products = values.T @ values
    with np.errstate(divide="ignore", invalid="ignore"):
        covariance = (pairs * products - sums * sums.T) / (pairs * (pairs - 1.0))
        means = np.diagonal(sums) / np.diagonal(pairs)
    covariance[pairs < 2] = np.nan
    return int(pairs.min()) if pairs.size else 0, means, covariance


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _scale(
    group: str, rating: str, items: Sequence[Item], scale: CodeMatrix, options: NeedsOptions
) -> ScaleReliability:
    k = scale.shape[1]
    n, means, covariance = (_listwise if options.missing == MissingRule.LISTWISE else _pairwise)(scale)
    variances = np.diagonal(covariance).copy()
    total = float(covariance.sum())
    trace = float(variances.sum())
    usable = n >= 2 and k >= 2 and math.isfinite(total) and total > 0
    alpha = k / (k - 1) * (1 - trace / total) if usable else None
    row_sums = covariance.sum(axis=1)
    rest_variance = total - 2 * row_sums + variances
    with np.errstate(divide="ignore", invalid="ignore"):
        item_rest = (row_sums - variances) / np.sqrt(variances * rest_variance)
        if_deleted = (k - 1) / (k - 2) * (1 - (trace - variances) / rest_variance) if k >= 3 else None
    reliabilities = []
    for j, item in enumerate(items):
        sd = math.sqrt(variances[j]) if math.isfinite(variances[j]) and variances[j] >= 0 else math.nan
        valid_rest = usable and variances[j] > 0 and rest_variance[j] > 0
        reliabilities.append(
            ItemReliability(
                code=item.code,
                mean=_finite(float(means[j])),
                sd=_finite(sd),
                item_rest_correlation=float(item_rest[j]) if valid_rest else None,
                alpha_if_deleted=float(if_deleted[j]) if valid_rest and if_deleted is not None else None,
            )
        )
    return ScaleReliability(
        group=group,
        rating=rating,
        k=k,
        n=n,
        alpha=alpha,
        ci=feldt_interval(alpha, n, k, options.confidence) if alpha is not None else None,
        missing_rule=options.missing,
        items=tuple(reliabilities),
    )


def scale_reliabilities(
    items: Sequence[Item], codes: RatingCodes, options: NeedsOptions
) -> tuple[ScaleReliability, ...]:
    """One :class:`ScaleReliability` per group (in order of first appearance) and rating."""
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(item.group, []).append(index)
    # One gather puts every scale's columns side by side; slicing it is cheaper than one gather per scale.
    columns = [index for members in groups.values() for index in members]
    grouped = {
        "importance": codes.importance[:, columns],
        "competence": codes.competence[:, columns],
    }
    scales = []
    start = 0
    for group, members in groups.items():
        stop = start + len(members)
        scale_items = [items[j] for j in members]
        for rating in RATINGS:
            scales.append(_scale(group, rating, scale_items, grouped[rating][:, start:stop], options))
        start = stop
    return tuple(scales)


def review_flags(
    items: Sequence[Item], scales: Sequence[ScaleReliability], counts: ItemCounts
) -> tuple[InstrumentFlag, ...]:
    """Items to review: alpha rises by more than 0.01 without them, or 90 % or more of their answers (for
    that rating) are the same value. Ordered by rating, then item order."""
    flags: list[tuple[int, int, InstrumentFlag]] = []
    position = {item.code: index for index, item in enumerate(items)}
    for scale in scales:
        if scale.alpha is None:
            continue
        for reliability in scale.items:
            deleted = reliability.alpha_if_deleted
            if deleted is not None and deleted > scale.alpha + ALPHA_RISE:
                flag = InstrumentFlag(reliability.code, scale.rating, "alpha_if_deleted_rises", deleted)
                flags.append((RATINGS.index(scale.rating), position[reliability.code], flag))
    for rating_index, histogram in enumerate((counts.importance_counts, counts.competence_counts)):
        answered = histogram.sum(axis=1)
        modal = histogram.max(axis=1, initial=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(answered > 0, modal / np.maximum(answered, 1), 0.0)
        for j in np.flatnonzero(share >= NEAR_CONSTANT_SHARE).tolist():
            flag = InstrumentFlag(items[j].code, RATINGS[rating_index], "near_constant", float(share[j]))
            flags.append((rating_index, j, flag))
    flags.sort(key=lambda entry: (entry[0], entry[1], entry[2].reason))
    return tuple(flag for _, _, flag in flags)
