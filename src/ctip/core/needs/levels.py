"""Needs at the institutional and individual levels, and the effect of earlier training.

* :func:`institution_needs` — per organisation: its priorities (needs ranked within it) and how its
  respondents answered the institutional questions. An organisation suppressed by the small-cell rule
  (fewer than ``min_cell`` respondents, or hidden as the complementary cell) shows neither: the answers
  describe the institution, but with so few respondents they would still point at the people.
* :func:`training_effect` — own competence of respondents with and without an earlier training on
  trafficking, per item, with Hedges' g.
* :func:`learning_profiles` — each respondent's own largest gaps.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.needs.data import RatingCodes, encode_values, rating_codes, sort_values
from ctip.core.needs.disaggregation import GroupTable, factorise
from ctip.core.needs.items import code_order
from ctip.core.needs.model import (
    ATTRIBUTE_PRIOR_TRAINING,
    GroupNeed,
    InstitutionNeeds,
    LearningProfile,
    NeedsData,
    NeedsOptions,
    PersonalGap,
    TrainingEffect,
)
from ctip.core.needs.stats import hedges_g
from ctip.core.needs.suppression import REASONS, SMALL_CELL

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _by_rank(needs: Sequence[GroupNeed]) -> tuple[GroupNeed, ...]:
    return tuple(sorted(needs, key=lambda need: (need.rank is None, need.rank or 0)))


def _answer_counts(
    data: NeedsData, organisations: IntArray, n_organisations: int
) -> list[dict[str, dict[str, int]]]:
    """question → answer → count for every organisation; empty answers are no answers and not counted."""
    per_organisation: list[dict[str, dict[str, int]]] = [{} for _ in range(n_organisations)]
    for question, answers in data.institutional.items():
        codes, labels = encode_values(answers)
        counts = np.bincount(
            organisations * len(labels) + codes, minlength=n_organisations * len(labels)
        ).reshape(n_organisations, len(labels))
        shown = [(labels.index(label), label) for label in sort_values(set(labels) - {""})]
        for organisation in range(n_organisations):
            row = counts[organisation].tolist()
            per_organisation[organisation][question] = {label: row[j] for j, label in shown if row[j]}
    return per_organisation


def institution_needs(
    data: NeedsData, table: GroupTable, organisations: IntArray
) -> tuple[InstitutionNeeds, ...]:
    """One :class:`InstitutionNeeds` per organisation of the one-way table by organisation
    (``organisations``: each respondent's group in that table)."""
    answers = _answer_counts(data, organisations, len(table.values))
    result = []
    for index, values in enumerate(table.values):
        suppressed = table.suppressed[index]
        result.append(
            InstitutionNeeds(
                organisation=values[0],
                n=table.sizes[index],
                suppressed=suppressed,
                priorities=() if suppressed else _by_rank(table.needs[index]),
                institutional={} if suppressed else answers[index],
            )
        )
    return tuple(result)


def _competence_summary(competence: npt.NDArray[np.int8]) -> tuple[IntArray, FloatArray, FloatArray]:
    rated = competence > 0
    n = rated.sum(axis=0).astype(np.int64)
    total = competence.sum(axis=0, dtype=np.int64)
    squares = np.square(competence, dtype=np.int32).sum(axis=0, dtype=np.int64)
    n_float = n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n_float, np.nan)
        variance = (n * squares - total.astype(np.float64) ** 2) / (n_float * (n_float - 1))
    sd = np.where(n >= 2, np.sqrt(np.maximum(variance, 0.0)), np.where(n == 1, 0.0, np.nan))
    return n, mean, sd


def training_effect(data: NeedsData, codes: RatingCodes, options: NeedsOptions) -> tuple[TrainingEffect, ...]:
    """Per item: own competence of respondents who answered "yes" to an earlier training against those who
    answered "no" (each over the respondents who rated their competence on that item). Suppressed
    (``small_cell``) when either group has fewer than ``min_cell`` such respondents. Empty when the data
    have no ``prior_training`` attribute."""
    answers = data.attributes.get(ATTRIBUTE_PRIOR_TRAINING)
    if answers is None:
        return ()
    factor = factorise(answers)
    summaries = []
    for answer in ("yes", "no"):
        code = factor.labels.index(answer) if answer in factor.labels else -1
        summaries.append(_competence_summary(codes.competence[factor.codes == code]))
    (n_with, mean_with, sd_with), (n_without, mean_without, sd_without) = summaries
    effect = hedges_g(mean_with, mean_without, sd_with, sd_without, n_with, n_without)
    shown = (n_with >= options.min_cell) & (n_without >= options.min_cell)
    columns = [
        array.tolist()
        for array in (n_with, n_without, mean_with, mean_without, mean_with - mean_without, effect)
    ]
    result = []
    for j, item in enumerate(data.items):
        if not shown[j]:
            result.append(
                TrainingEffect(
                    item.code, columns[0][j], columns[1][j], None, None, None, None, REASONS[SMALL_CELL]
                )
            )
            continue
        g = columns[5][j]
        result.append(
            TrainingEffect(
                code=item.code,
                n_with=columns[0][j],
                n_without=columns[1][j],
                mean_with=columns[2][j],
                mean_without=columns[3][j],
                difference=columns[4][j],
                effect_size=None if g != g else g,  # NaN: no spread in either group
            )
        )
    return tuple(result)


def learning_profiles(
    data: NeedsData, *, top: int = 5, respondents: Collection[str] | None = None
) -> tuple[LearningProfile, ...]:
    """Per respondent (in data order), their ``top`` items with the largest own discrepancy D = I − C > 0;
    ties go to the higher importance, then to the code. ``respondents`` limits the result to those
    submission keys (an unknown key raises :class:`DomainError`)."""
    if top < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("A learning profile lists at least one gap; %(top)s was asked for."),
            {"top": top},
        )
    codes = rating_codes(data)
    if respondents is None:
        rows = np.arange(len(data.respondents))
    else:
        position = {key: index for index, key in enumerate(data.respondents)}
        unknown = [key for key in respondents if key not in position]
        if unknown:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                _("%(count)s respondents are not in the data; check the submission keys."),
                {"count": len(unknown)},
                problems=[
                    FieldProblem(key, _("No respondent has the key “%(key)s”."), {"key": key})
                    for key in sort_values(unknown)[:50]
                ],
            )
        rows = np.array(sorted({position[key] for key in respondents}), dtype=np.int64)
    importance = codes.importance[rows]
    competence = codes.competence[rows]
    n_items = importance.shape[1]
    discrepancy = importance.astype(np.int32) - competence
    # A missing importance (code 0) with a rated competence gives D < 0, so it is never a gap.
    has_gap = (competence > 0) & (discrepancy > 0)
    # One integer key orders by D, then I, then code (earlier code first), all descending; −1: no gap.
    side = codes.scale_max + 1
    key = discrepancy * side
    key += importance
    key *= n_items
    key += (n_items - 1 - code_order(data.items)).astype(np.int32)
    key[~has_gap] = -1
    keep = min(top, n_items)
    if keep < n_items:
        candidates = np.argpartition(key, n_items - keep, axis=1)[:, n_items - keep :]
    else:
        candidates = np.broadcast_to(np.arange(n_items), key.shape)
    chosen_keys = np.take_along_axis(key, candidates, axis=1)
    order = np.take_along_axis(candidates, np.argsort(-chosen_keys, axis=1, kind="stable"), axis=1)
    item_codes = [item.code for item in data.items]
    chosen = [
        np.take_along_axis(values, order, axis=1).tolist() for values in (has_gap, importance, competence)
    ]
    profiles: list[LearningProfile] = []
    for row, columns, gap_flags, importances, competences in zip(
        rows.tolist(), order.tolist(), *chosen, strict=True
    ):
        gaps = tuple(
            PersonalGap(
                code=item_codes[j], importance=float(i), competence=float(c), discrepancy=float(i - c)
            )
            for j, is_gap, i, c in zip(columns, gap_flags, importances, competences, strict=True)
            if is_gap
        )
        profiles.append(LearningProfile(respondent=data.respondents[row], gaps=gaps))
    return tuple(profiles)
