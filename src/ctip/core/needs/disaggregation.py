"""Needs per group of respondents: one-way and two-way disaggregations (and the per-organisation table the
institution level uses), with small-cell suppression (:mod:`ctip.core.needs.suppression`).

All group sums come from one matrix product: a group-indicator matrix (every group of every table, one
row each) times the per-respondent ratings matrix [rated both, I, C, D > 0 (, I × D)] of all items. The
values are whole numbers well below 2²⁴, so float32 sums are exact and independent of respondent order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.needs.data import RatingCodes, attribute_column, encode_values, sort_values
from ctip.core.needs.items import NeedStats, code_order, need_stats, rank_rows
from ctip.core.needs.model import NOT_STATED, GroupNeed, NeedsData, NeedsOptions, Weighting
from ctip.core.needs.suppression import (
    REASONS,
    SHOWN,
    suppress_cells,
    suppress_groups,
    table_lines,
)

IntArray = npt.NDArray[np.int64]

# float32 sums of whole numbers are exact below this.
_FLOAT32_EXACT = 2**24


@dataclass(frozen=True)
class Factor:
    """One attribute as integer codes: ``codes[i]`` indexes ``labels`` (sorted; "" became NOT_STATED)."""

    codes: IntArray
    labels: tuple[str, ...]


def factorise(values: Sequence[str]) -> Factor:
    """Codes for the distinct values, numbered in :func:`sort_values` order (so the result does not depend
    on the order of respondents); empty values join the NOT_STATED group."""
    raw, distinct = encode_values(values)
    label_of = [value or NOT_STATED for value in distinct]
    labels = tuple(sort_values(set(label_of)))
    position = {label: i for i, label in enumerate(labels)}
    remap = np.array([position[label] for label in label_of], dtype=np.int64)
    return Factor(codes=remap[raw] if raw.size else raw, labels=labels)


@dataclass(frozen=True)
class GroupTable:
    """The needs of every group of one table, each group's needs in item order."""

    by: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    sizes: tuple[int, ...]
    suppressed: tuple[str, ...]
    needs: tuple[tuple[GroupNeed, ...], ...]
    members: IntArray  # the group of every respondent


@dataclass(frozen=True)
class _Layout:
    by: tuple[str, ...]
    codes: IntArray  # group of every respondent
    values: tuple[tuple[str, ...], ...]
    coordinates: IntArray  # (groups, attributes): the label index of each attribute


def check_by(data: NeedsData, by: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """The requested disaggregations as tuples; :class:`DomainError` for a bad one."""
    checked = []
    for spec in by:
        names = tuple(spec)
        if len(names) not in (1, 2) or len(set(names)) != len(names):
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("A disaggregation is by one attribute or by a pair of different attributes, not “%(by)s”."),
                {"by": " × ".join(names) or "—"},
            )
        for name in names:
            attribute_column(data, name)
        checked.append(names)
    return tuple(checked)


def _layout(by: tuple[str, ...], factors: dict[str, Factor]) -> _Layout:
    if len(by) == 1:
        # factorise() numbers only the values some respondent has, so every label is a group.
        factor = factors[by[0]]
        return _Layout(
            by=by,
            codes=factor.codes,
            values=tuple((label,) for label in factor.labels),
            coordinates=np.arange(len(factor.labels)).reshape(-1, 1),
        )
    first, second = factors[by[0]], factors[by[1]]
    combined = first.codes * len(second.labels) + second.codes
    present, codes = np.unique(combined, return_inverse=True)
    coordinates = np.stack([present // len(second.labels), present % len(second.labels)], axis=1)
    values = tuple((first.labels[a], second.labels[b]) for a, b in coordinates.tolist())
    return _Layout(by=by, codes=codes.reshape(-1), values=values, coordinates=coordinates)


def _rating_columns(codes: RatingCodes, weighting: Weighting) -> npt.NDArray[np.floating]:
    importance, competence = codes.importance, codes.competence
    respondents, n_items = importance.shape
    both = (importance > 0) & (competence > 0)
    largest = codes.scale_max * max(codes.scale_max - 1, 1)
    dtype = np.float32 if respondents * largest < _FLOAT32_EXACT else np.float64
    blocks = 5 if weighting == Weighting.OWN_IMPORTANCE else 4
    columns = np.empty((respondents, blocks * n_items), dtype=dtype)
    columns[:, :n_items] = both
    np.multiply(importance, both, out=columns[:, n_items : 2 * n_items], casting="unsafe")
    np.multiply(competence, both, out=columns[:, 2 * n_items : 3 * n_items], casting="unsafe")
    columns[:, 3 * n_items : 4 * n_items] = both & (importance > competence)
    if blocks == 5:
        weighted = importance.astype(np.int16) * (importance.astype(np.int16) - competence) * both
        columns[:, 4 * n_items :] = weighted
    return columns


def _group_needs(
    item_codes: Sequence[str],
    stats: NeedStats,
    ranks: IntArray,
    reasons: npt.NDArray[np.int8],
) -> tuple[tuple[GroupNeed, ...], ...]:
    columns = [
        array.tolist()
        for array in (
            stats.n,
            stats.mean_importance,
            stats.mean_competence,
            stats.mean_discrepancy,
            stats.share_with_need,
            stats.mwds,
            ranks,
            reasons,
        )
    ]
    groups = []
    for n_row, i_row, c_row, d_row, s_row, m_row, r_row, why_row in zip(*columns, strict=True):
        needs = []
        for j, code in enumerate(item_codes):
            why = why_row[j]
            if why != SHOWN:
                needs.append(GroupNeed(code, None, None, None, None, None, None, None, REASONS[why]))
            elif n_row[j] == 0:
                needs.append(GroupNeed(code, 0, None, None, None, None, None, None))
            else:
                needs.append(
                    GroupNeed(code, n_row[j], i_row[j], c_row[j], d_row[j], s_row[j], m_row[j], r_row[j])
                )
        groups.append(tuple(needs))
    return tuple(groups)


def group_tables(
    data: NeedsData,
    codes: RatingCodes,
    tables: Sequence[tuple[str, ...]],
    options: NeedsOptions,
) -> dict[tuple[str, ...], GroupTable]:
    """The :class:`GroupTable` of every distinct table in ``tables`` (attribute names checked already)."""
    distinct = list(dict.fromkeys(tables))
    if not distinct:
        return {}
    factors = {
        name: factorise(data.attributes[name]) for name in dict.fromkeys(n for t in distinct for n in t)
    }
    layouts = [_layout(by, factors) for by in distinct]
    respondents, n_items = codes.importance.shape
    columns = _rating_columns(codes, options.weighting)
    offsets = np.cumsum([0] + [len(layout.values) for layout in layouts])
    indicator = np.zeros((int(offsets[-1]), respondents), dtype=columns.dtype)
    everyone = np.arange(respondents)
    for offset, layout in zip(offsets[:-1].tolist(), layouts, strict=True):
        indicator[offset + layout.codes, everyone] = 1
    sums = np.rint(indicator @ columns).astype(np.int64)
    order = code_order(data.items)
    item_codes = [item.code for item in data.items]
    result = {}
    for offset, layout in zip(offsets[:-1].tolist(), layouts, strict=True):
        block = sums[offset : offset + len(layout.values)]
        n = block[:, :n_items]
        stats = need_stats(
            n,
            block[:, n_items : 2 * n_items],
            block[:, 2 * n_items : 3 * n_items],
            block[:, 3 * n_items : 4 * n_items],
            block[:, 4 * n_items :] if block.shape[1] > 4 * n_items else np.zeros_like(n),
            options.weighting,
        )
        sizes = np.bincount(layout.codes, minlength=len(layout.values)).astype(np.int64)
        lines = table_lines(layout.coordinates)
        group_reasons = suppress_groups(sizes, lines, options.min_cell)
        cell_reasons = suppress_cells(n, group_reasons, lines, options.min_cell)
        ranks = rank_rows(stats, order, (cell_reasons == SHOWN) & (n > 0))
        result[layout.by] = GroupTable(
            by=layout.by,
            values=layout.values,
            sizes=tuple(sizes.tolist()),
            suppressed=tuple(REASONS[reason] for reason in group_reasons.tolist()),
            needs=_group_needs(item_codes, stats, ranks, cell_reasons),
            members=layout.codes,
        )
    return result
