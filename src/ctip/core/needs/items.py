"""The need for each item over all respondents: counts, means, Borich MWDS, rank, Locus for Focus
quadrant and the paired test.

Everything is computed from one joint histogram per item of (importance code, competence code): with whole
number ratings every sum, the share with a need, the discrepancy variance and the signed-rank counts
follow from it exactly (integer arithmetic), so the results do not depend on the order of respondents.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ctip.core.needs.data import RatingCodes
from ctip.core.needs.model import (
    QUADRANT_PRIORITY,
    Item,
    ItemNeed,
    NeedsOptions,
    PairedTest,
    Quadrant,
    Weighting,
)
from ctip.core.needs.stats import adjust_p_values, mean_interval, wilcoxon_from_counts

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# A mean that equals the cut line up to rounding error is High ("≥ the mean"), as in exact arithmetic.
_CUT_TOLERANCE = 1e-12


@dataclass(frozen=True)
class ItemCounts:
    """Per item (first axis): sums over the respondents who gave both ratings, and rating histograms."""

    n: IntArray
    sum_importance: IntArray
    sum_competence: IntArray
    sum_discrepancy_squared: IntArray
    sum_weighted: IntArray  # Σ I × D, for the own-importance weighting
    with_need: IntArray  # respondents with D > 0
    positive: IntArray  # [j, v]: differences equal to v + 1
    negative: IntArray  # [j, v]: differences equal to −(v + 1)
    importance_counts: IntArray  # [j, r]: importance ratings equal to r + 1 (whether or not C was given)
    competence_counts: IntArray


def item_counts(codes: RatingCodes) -> ItemCounts:
    """Count everything per item in one pass over the ratings (a bincount of (item, I, C) cells)."""
    n_items = codes.importance.shape[1]
    side = codes.scale_max + 1
    cells = side * side
    # int16 keeps the index array small while it fits; it is about twice as fast as intp here.
    index_type: type[np.signedinteger[Any]] = (
        np.int16 if n_items * cells < np.iinfo(np.int16).max else np.intp
    )
    index = codes.importance.astype(index_type)
    index *= side
    index += codes.competence
    index += (np.arange(n_items) * cells).astype(index_type)
    joint = np.bincount(index.ravel(), minlength=n_items * cells).reshape(n_items, side, side)
    joint = joint.astype(np.int64)
    both = joint[:, 1:, 1:]
    rating = np.arange(1, side, dtype=np.int64)
    difference = rating[:, np.newaxis] - rating[np.newaxis, :]
    positive = np.stack(
        [np.diagonal(both, offset=-v, axis1=1, axis2=2).sum(axis=1) for v in range(1, side - 1)], axis=1
    ).reshape(n_items, side - 2)
    negative = np.stack(
        [np.diagonal(both, offset=v, axis1=1, axis2=2).sum(axis=1) for v in range(1, side - 1)], axis=1
    ).reshape(n_items, side - 2)
    return ItemCounts(
        n=both.sum(axis=(1, 2)),
        sum_importance=(both * rating[np.newaxis, :, np.newaxis]).sum(axis=(1, 2)),
        sum_competence=(both * rating[np.newaxis, np.newaxis, :]).sum(axis=(1, 2)),
        sum_discrepancy_squared=(both * difference**2).sum(axis=(1, 2)),
        sum_weighted=(both * (rating[:, np.newaxis] * difference)).sum(axis=(1, 2)),
        with_need=(both * (difference > 0)).sum(axis=(1, 2)),
        positive=positive,
        negative=negative,
        importance_counts=joint[:, 1:, :].sum(axis=2),
        competence_counts=joint[:, :, 1:].sum(axis=1),
    )


@dataclass(frozen=True)
class NeedStats:
    """Means per cell (any shape ending in the item axis); NaN where n == 0."""

    n: IntArray
    mean_importance: FloatArray
    mean_competence: FloatArray
    mean_discrepancy: FloatArray
    share_with_need: FloatArray
    mwds: FloatArray


def need_stats(
    n: IntArray,
    sum_importance: npt.ArrayLike,
    sum_competence: npt.ArrayLike,
    with_need: npt.ArrayLike,
    sum_weighted: npt.ArrayLike,
    weighting: Weighting,
) -> NeedStats:
    """Means from sums. MWDS is Ī × D̄ (Borich 1980) or, on request, mean(I × D)."""
    count = np.asarray(n, dtype=np.int64)
    divisor = np.where(count > 0, count, 1).astype(np.float64)
    present = count > 0
    total_importance = np.asarray(sum_importance, dtype=np.float64)
    total_competence = np.asarray(sum_competence, dtype=np.float64)
    mean_importance = np.where(present, total_importance / divisor, np.nan)
    mean_competence = np.where(present, total_competence / divisor, np.nan)
    # D̄ from the exact integer difference of the sums, so it does not pick up the rounding of two means.
    mean_discrepancy = np.where(present, (total_importance - total_competence) / divisor, np.nan)
    if weighting == Weighting.OWN_IMPORTANCE:
        mwds = np.where(present, np.asarray(sum_weighted, dtype=np.float64) / divisor, np.nan)
    else:
        mwds = mean_importance * mean_discrepancy
    return NeedStats(
        n=count,
        mean_importance=mean_importance,
        mean_competence=mean_competence,
        mean_discrepancy=mean_discrepancy,
        share_with_need=np.where(present, np.asarray(with_need, dtype=np.float64) / divisor, np.nan),
        mwds=mwds,
    )


def rank_rows(stats: NeedStats, code_order: IntArray, eligible: BoolArray) -> IntArray:
    """Rank the items of every row (last axis) by MWDS, descending; ties by mean discrepancy, then mean
    importance (both descending), then code. Cells that are not ``eligible`` get rank 0."""
    fill = np.where(eligible, 1.0, 0.0)

    def key(values: FloatArray) -> FloatArray:
        return np.where(eligible, -np.nan_to_num(values), 0.0)

    order = np.lexsort(
        (
            np.broadcast_to(code_order, eligible.shape),
            key(stats.mean_importance),
            key(stats.mean_discrepancy),
            key(stats.mwds),
            -fill,
        ),
        axis=-1,
    )
    ranks = np.empty(eligible.shape, dtype=np.int64)
    positions = np.broadcast_to(np.arange(1, eligible.shape[-1] + 1), eligible.shape)
    np.put_along_axis(ranks, order, positions, axis=-1)
    return np.where(eligible, ranks, 0)


def code_order(items: Sequence[Item]) -> IntArray:
    """Each item's position in code order (the last tie-break)."""
    order = sorted(range(len(items)), key=lambda index: items[index].code)
    positions = np.empty(len(items), dtype=np.int64)
    positions[order] = np.arange(len(items))
    return positions


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value


def _quadrant(importance: float, discrepancy: float, cuts: tuple[float, float]) -> Quadrant:
    high_importance = importance >= cuts[0] - _CUT_TOLERANCE
    high_discrepancy = discrepancy >= cuts[1] - _CUT_TOLERANCE
    if high_importance:
        return Quadrant.HH if high_discrepancy else Quadrant.HL
    return Quadrant.LH if high_discrepancy else Quadrant.LL


def _unrated(item: Item, test: PairedTest) -> ItemNeed:
    return ItemNeed(
        code=item.code,
        title=item.title,
        group=item.group,
        level=item.level,
        n=0,
        mean_importance=None,
        mean_competence=None,
        mean_discrepancy=None,
        discrepancy_ci=None,
        share_with_need=None,
        mwds=None,
        rank=None,
        tied=False,
        quadrant=None,
        priority=None,
        test=test,
    )


@dataclass(frozen=True)
class ItemNeeds:
    items: tuple[ItemNeed, ...]  # rank order; items without ratings last, in instrument order
    importance_cut: float | None
    discrepancy_cut: float | None


def item_needs(items: Sequence[Item], counts: ItemCounts, options: NeedsOptions) -> ItemNeeds:
    """The :class:`ItemNeed` of every item, in rank order, and the Locus for Focus cut lines."""
    stats = need_stats(
        counts.n,
        counts.sum_importance,
        counts.sum_competence,
        counts.with_need,
        counts.sum_weighted,
        options.weighting,
    )
    present = counts.n > 0
    ranks = rank_rows(stats, code_order(items), present)
    n_float = counts.n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        sum_d = counts.sum_importance - counts.sum_competence
        variance = (counts.n * counts.sum_discrepancy_squared - sum_d.astype(np.float64) ** 2) / (
            n_float * (n_float - 1)
        )
    sd = np.sqrt(np.where(counts.n >= 2, np.maximum(variance, 0.0), np.nan))
    low, high = mean_interval(stats.mean_discrepancy, sd, counts.n, options.confidence)
    tests = wilcoxon_from_counts(counts.positive, counts.negative)
    adjusted = adjust_p_values(tests.p_value, options.adjustment)
    cuts: tuple[float, float] | None = None
    if present.any():
        cuts = (
            math.fsum(stats.mean_importance[present].tolist()) / int(present.sum()),
            math.fsum(stats.mean_discrepancy[present].tolist()) / int(present.sum()),
        )
    rounded = Counter(round(value, 2) for value in stats.mwds[present].tolist())
    columns = {
        name: array.tolist()
        for name, array in (
            ("n", counts.n),
            ("importance", stats.mean_importance),
            ("competence", stats.mean_competence),
            ("discrepancy", stats.mean_discrepancy),
            ("low", low),
            ("high", high),
            ("share", stats.share_with_need),
            ("mwds", stats.mwds),
            ("rank", ranks),
            ("nonzero", tests.n_nonzero),
            ("statistic", tests.statistic),
            ("z", tests.z),
            ("p", tests.p_value),
            ("adjusted", adjusted),
        )
    }
    needs = []
    for j, item in enumerate(items):
        n = columns["n"][j]
        test = PairedTest(
            n_nonzero=columns["nonzero"][j],
            statistic=_optional(columns["statistic"][j]),
            z=_optional(columns["z"][j]),
            p_value=_optional(columns["p"][j]),
            p_adjusted=_optional(columns["adjusted"][j]),
        )
        if n == 0 or cuts is None:
            needs.append(_unrated(item, test))
            continue
        quadrant = _quadrant(columns["importance"][j], columns["discrepancy"][j], cuts)
        interval = (columns["low"][j], columns["high"][j]) if n >= 2 else None
        needs.append(
            ItemNeed(
                code=item.code,
                title=item.title,
                group=item.group,
                level=item.level,
                n=n,
                mean_importance=columns["importance"][j],
                mean_competence=columns["competence"][j],
                mean_discrepancy=columns["discrepancy"][j],
                discrepancy_ci=interval,
                share_with_need=columns["share"][j],
                mwds=columns["mwds"][j],
                rank=columns["rank"][j],
                tied=rounded[round(columns["mwds"][j], 2)] > 1,
                quadrant=quadrant,
                priority=QUADRANT_PRIORITY[quadrant],
                test=test,
            )
        )
    ordered = sorted(needs, key=lambda need: (need.rank is None, need.rank or 0))
    return ItemNeeds(
        items=tuple(ordered),
        importance_cut=cuts[0] if cuts else None,
        discrepancy_cut=cuts[1] if cuts else None,
    )
