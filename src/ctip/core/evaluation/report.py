"""The pre/post evaluation of one training (or of several pooled): :func:`evaluate_prepost`.

Scores are converted to a share of the maximum (0–100, "percent of max_score"). When some participants
took both tests, each of them is one pair and every statistic of change is computed over the pairs
(:mod:`.gains`, :mod:`.paired`, :mod:`.effect`). When no participant can be matched (anonymous forms), or
the caller says ``paired=False``, only descriptive statistics are given per group and the two tests are
compared as independent groups (:mod:`.unpaired`), with a note saying so. Results are given overall and
for every value of each attribute in ``group_by``; a group with fewer than ``min_n`` participants is
suppressed (only its size is shown). The overall results are not suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.evaluation.definitions import PREPOST_DEFINITIONS, UNPAIRED_NOTE
from ctip.core.evaluation.effect import paired_effect_sizes
from ctip.core.evaluation.gains import (
    hake_band,
    hake_class_gain,
    individual_gains,
    marx_cummings_change,
)
from ctip.core.evaluation.matching import Matching, match_ids
from ctip.core.evaluation.paired import SignedRank, TTest, paired_t_test, wilcoxon_signed_rank
from ctip.core.evaluation.summary import FloatArray, finite, mean, sd
from ctip.core.evaluation.unpaired import MannWhitney, mann_whitney, welch_t_test

NOT_STATED = "not_stated"
"""The group of participants whose value of an attribute is empty."""
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class GroupStats:
    """The statistics of one group (or of everyone). In an unpaired evaluation only ``n_pre``, ``n_post``
    and the means and standard deviations are filled in; ``n`` is then the smaller of the two."""

    n: int
    suppressed: bool
    n_pre: int
    n_post: int
    pre_mean_pct: float | None = None
    post_mean_pct: float | None = None
    pre_sd_pct: float | None = None
    post_sd_pct: float | None = None
    mean_change_pct: float | None = None
    hake_g: float | None = None
    individual_gain_mean: float | None = None
    individual_gain_n: int | None = None
    individual_gain_excluded: int | None = None
    marx_cummings_c: float | None = None
    marx_cummings_n: int | None = None
    t_test: TTest | None = None
    wilcoxon: SignedRank | None = None
    d_z: float | None = None
    d_av: float | None = None
    hedges_g_z: float | None = None
    hedges_g_av: float | None = None
    paired: bool = True

    @property
    def hake_band(self) -> str | None:
        return hake_band(self.hake_g)

    def to_json(self) -> dict[str, Any]:
        if self.suppressed:
            if self.paired:
                return {"n": self.n, "suppressed": True}
            return {"n": self.n, "suppressed": True, "n_pre": self.n_pre, "n_post": self.n_post}
        return {
            "n": self.n,
            "suppressed": False,
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "pre_mean_pct": finite(self.pre_mean_pct),
            "post_mean_pct": finite(self.post_mean_pct),
            "pre_sd_pct": finite(self.pre_sd_pct),
            "post_sd_pct": finite(self.post_sd_pct),
            "mean_change_pct": finite(self.mean_change_pct),
            "hake_g": finite(self.hake_g),
            "hake_band": self.hake_band,
            "individual_gain_mean": finite(self.individual_gain_mean),
            "individual_gain_n": self.individual_gain_n,
            "individual_gain_excluded": self.individual_gain_excluded,
            "marx_cummings_c": finite(self.marx_cummings_c),
            "marx_cummings_n": self.marx_cummings_n,
            "t_test": self.t_test.to_json() if self.t_test else None,
            "wilcoxon": self.wilcoxon.to_json() if self.wilcoxon else None,
            "d_z": finite(self.d_z),
            "d_av": finite(self.d_av),
            "hedges_g_z": finite(self.hedges_g_z),
            "hedges_g_av": finite(self.hedges_g_av),
        }


@dataclass(frozen=True)
class IndependentComparison:
    n_pre: int
    n_post: int
    pre_mean_pct: float | None
    post_mean_pct: float | None
    welch_t: TTest | None
    mann_whitney: MannWhitney | None
    note: str = UNPAIRED_NOTE

    @property
    def difference_pct(self) -> float | None:
        if self.pre_mean_pct is None or self.post_mean_pct is None:
            return None
        return self.post_mean_pct - self.pre_mean_pct

    def to_json(self) -> dict[str, Any]:
        return {
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "pre_mean_pct": finite(self.pre_mean_pct),
            "post_mean_pct": finite(self.post_mean_pct),
            "difference_pct": finite(self.difference_pct),
            "welch_t": self.welch_t.to_json() if self.welch_t else None,
            "mann_whitney": self.mann_whitney.to_json() if self.mann_whitney else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class PrePostReport:
    max_score: float
    paired: bool
    confidence: float
    min_n: int
    hedges: bool
    matching: Matching
    overall: GroupStats
    groups: Mapping[str, Mapping[str, GroupStats]]
    independent: IndependentComparison | None
    definitions: Mapping[str, str] = field(default_factory=lambda: dict(PREPOST_DEFINITIONS))

    def to_json(self) -> dict[str, Any]:
        return {
            "max_score": float(self.max_score),
            "paired": self.paired,
            "confidence": float(self.confidence),
            "min_n": self.min_n,
            "matching": self.matching.to_json(),
            "overall": self.overall.to_json(),
            "groups": {
                name: {value: stats.to_json() for value, stats in values.items()}
                for name, values in self.groups.items()
            },
            "independent": self.independent.to_json() if self.independent else None,
            "definitions": dict(self.definitions),
        }


def _percent(raw: FloatArray, max_score: float) -> FloatArray:
    return 100.0 * raw / max_score


def _paired_group(
    pre: FloatArray, post: FloatArray, *, max_score: float, confidence: float, hedges: bool, min_n: int | None
) -> GroupStats:
    n = int(pre.size)
    if min_n is not None and n < min_n:
        return GroupStats(n=n, suppressed=True, n_pre=n, n_post=n)
    pre_pct, post_pct = _percent(pre, max_score), _percent(post, max_score)
    change = post_pct - pre_pct
    pre_mean, post_mean, change_mean = mean(pre_pct), mean(post_pct), mean(change)
    pre_sd, post_sd = sd(pre_pct), sd(post_pct)
    gains = individual_gains(pre, post, top=max_score)
    marx = marx_cummings_change(pre, post, top=max_score)
    signed_rank = wilcoxon_signed_rank(post - pre, confidence=confidence)
    effects = paired_effect_sizes(
        mean_change=change_mean if change_mean is not None else math.nan,
        sd_change=sd(change),
        sd_pre=pre_sd,
        sd_post=post_sd,
        n=n,
        hedges=hedges,
    )
    return GroupStats(
        n=n,
        suppressed=False,
        n_pre=n,
        n_post=n,
        pre_mean_pct=pre_mean,
        post_mean_pct=post_mean,
        pre_sd_pct=pre_sd,
        post_sd_pct=post_sd,
        mean_change_pct=change_mean,
        hake_g=hake_class_gain(pre_mean, post_mean)
        if pre_mean is not None and post_mean is not None
        else None,
        individual_gain_mean=gains.mean,
        individual_gain_n=gains.n,
        individual_gain_excluded=gains.excluded,
        marx_cummings_c=marx.mean,
        marx_cummings_n=marx.n,
        t_test=paired_t_test(change, confidence=confidence),
        wilcoxon=signed_rank.scaled(100.0 / max_score) if signed_rank else None,
        d_z=effects.d_z,
        d_av=effects.d_av,
        hedges_g_z=effects.hedges_g_z,
        hedges_g_av=effects.hedges_g_av,
    )


def _unpaired_group(pre: FloatArray, post: FloatArray, *, max_score: float, min_n: int | None) -> GroupStats:
    n = int(min(pre.size, post.size))
    if min_n is not None and n < min_n:
        return GroupStats(n=n, suppressed=True, n_pre=int(pre.size), n_post=int(post.size), paired=False)
    pre_pct, post_pct = _percent(pre, max_score), _percent(post, max_score)
    return GroupStats(
        n=n,
        suppressed=False,
        n_pre=int(pre.size),
        n_post=int(post.size),
        pre_mean_pct=mean(pre_pct),
        post_mean_pct=mean(post_pct),
        pre_sd_pct=sd(pre_pct),
        post_sd_pct=sd(post_pct),
        paired=False,
    )


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _check(
    pre: Mapping[str, float], post: Mapping[str, float], max_score: float, confidence: float, min_n: int
) -> None:
    if not (_number(max_score) > 0 and math.isfinite(_number(max_score))):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "The maximum score must be a number above 0 (it is %(value)s). Give the test's highest possible score."
            ),
            {"value": max_score},
        )
    if not 0 < confidence < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The confidence level must be between 0 and 1, e.g. 0.95 (it is %(value)s)."),
            {"value": confidence},
        )
    if min_n < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The smallest group shown must be at least 1 participant (it is %(value)s)."),
            {"value": min_n},
        )
    if not pre and not post:
        raise DomainError(ErrorCode.REQUIRED, _("There are no pre-test or post-test scores to evaluate."))
    problems: list[FieldProblem] = []
    for test, scores in (("pre-test", pre), ("post-test", post)):
        for pid, value in scores.items():
            number = _number(value)
            if not (math.isfinite(number) and 0 <= number <= max_score):
                problems.append(
                    FieldProblem(
                        f"{test}, participant {pid}",
                        _(
                            "The score %(score)s is not between 0 and the maximum score %(max)s. Correct the score."
                        ),
                        {"score": value, "max": max_score},
                    )
                )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("%(count)s score(s) are outside 0 to %(max)s; nothing was computed. They are listed below."),
            {"count": len(problems), "max": max_score},
            problems=problems[:MAX_PROBLEMS],
        )


def _group_values(
    ids: Sequence[str], attributes: Mapping[str, Mapping[str, str]], name: str
) -> dict[str, list[str]]:
    """Group value → the ids with it, values sorted with "not stated" last."""
    groups: dict[str, list[str]] = {}
    for pid in ids:
        value = str(attributes.get(pid, {}).get(name, "") or "").strip() or NOT_STATED
        groups.setdefault(value, []).append(pid)
    return {value: groups[value] for value in sorted(groups, key=lambda value: (value == NOT_STATED, value))}


def evaluate_prepost(
    pre: Mapping[str, float],
    post: Mapping[str, float],
    *,
    max_score: float,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
    group_by: Sequence[str] = ("sex",),
    min_n: int = 5,
    confidence: float = 0.95,
    hedges: bool = False,
    paired: bool | None = None,
) -> PrePostReport:
    """Evaluate pre- and post-test scores (participant id → score out of ``max_score``). ``attributes``:
    participant id → attribute → value, e.g. ``{"P01": {"sex": "female", "organisation": "NPF"}}``.
    ``paired``: ``None`` (pair when at least one id is in both), or ``False`` to compare two groups."""
    _check(pre, post, max_score, confidence, min_n)
    matching = match_ids(pre, post)
    is_paired = bool(matching.matched) and paired is not False
    attributes = attributes or {}
    names = list(dict.fromkeys(name for name in group_by if name)) if attributes else []

    def scores(values: Mapping[str, float], ids: Sequence[str]) -> FloatArray:
        return np.array([float(values[pid]) for pid in ids], dtype=np.float64)

    if is_paired:

        def paired_of(ids: Sequence[str], limit: int | None) -> GroupStats:
            return _paired_group(
                scores(pre, ids),
                scores(post, ids),
                max_score=max_score,
                confidence=confidence,
                hedges=hedges,
                min_n=limit,
            )

        overall = paired_of(matching.matched, None)
        paired_groups = {
            name: {
                value: paired_of(ids, min_n)
                for value, ids in _group_values(matching.matched, attributes, name).items()
            }
            for name in names
        }
        return PrePostReport(
            max_score=max_score,
            paired=True,
            confidence=confidence,
            min_n=min_n,
            hedges=hedges,
            matching=matching,
            overall=overall,
            groups=paired_groups,
            independent=None,
        )

    pre_ids, post_ids = list(pre), list(post)
    overall = _unpaired_group(scores(pre, pre_ids), scores(post, post_ids), max_score=max_score, min_n=None)
    groups: dict[str, dict[str, GroupStats]] = {}
    for name in names:
        by_pre = _group_values(pre_ids, attributes, name)
        by_post = _group_values(post_ids, attributes, name)
        values = sorted(set(by_pre) | set(by_post), key=lambda value: (value == NOT_STATED, value))
        groups[name] = {
            value: _unpaired_group(
                scores(pre, by_pre.get(value, [])),
                scores(post, by_post.get(value, [])),
                max_score=max_score,
                min_n=min_n,
            )
            for value in values
        }
    pre_raw, post_raw = scores(pre, pre_ids), scores(post, post_ids)
    welch = welch_t_test(_percent(post_raw, max_score), _percent(pre_raw, max_score), confidence=confidence)
    independent = IndependentComparison(
        n_pre=len(pre_ids),
        n_post=len(post_ids),
        pre_mean_pct=overall.pre_mean_pct,
        post_mean_pct=overall.post_mean_pct,
        welch_t=welch,
        mann_whitney=mann_whitney(post_raw, pre_raw),
    )
    return PrePostReport(
        max_score=max_score,
        paired=False,
        confidence=confidence,
        min_n=min_n,
        hedges=hedges,
        matching=matching,
        overall=overall,
        groups=groups,
        independent=independent,
    )
