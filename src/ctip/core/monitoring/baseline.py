"""Baselines drawn from the TNA survey: the share of the respondents of a group who rate their own
competence in one competency at or above a threshold, overall and by sex, with the number of respondents
each share is computed on (e.g. "share of frontline officers rating their competence in victim
identification ≥ 4": 38.5 %, n = 200; women 41.0 %, n = 100; men 36.0 %, n = 100).

Respondents who did not rate their competence in that competency are left out of n. Shares by sex are
withheld (``None``, ``suppressed``) when a sex has fewer respondents than ``min_cell`` (DOMAIN.md §4);
then both are withheld, so that the other cannot be worked out from the total.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.monitoring.model import Sex
from ctip.core.needs.data import filter_respondents
from ctip.core.needs.model import ATTRIBUTE_SEX, MIN_CELL, NeedsData

_NO_FILTERS: Mapping[str, Collection[str]] = {}


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` respondents meet the threshold; ``value`` is the share in % (``None`` when n is 0
    or the share is withheld)."""

    value: float | None
    n: int
    count: int
    suppressed: bool = False


@dataclass(frozen=True)
class TnaBaseline:
    competency: str
    threshold: int
    scale_max: int
    total: Share
    by_sex: Mapping[str, Share]


def _share(competence: np.ndarray, threshold: int) -> Share:
    rated = competence[~np.isnan(competence)]
    n = int(rated.size)
    count = int(np.count_nonzero(rated >= threshold))
    return Share(100.0 * count / n if n else None, n, count)


def tna_baseline(
    data: NeedsData,
    *,
    competency: str,
    threshold: int,
    filters: Mapping[str, Collection[str]] = _NO_FILTERS,
    min_cell: int = MIN_CELL,
) -> TnaBaseline:
    """The baseline for ``competency`` among the respondents ``filters`` keeps (attribute → accepted
    values, as :func:`ctip.core.needs.data.filter_respondents` takes them)."""
    codes = [item.code for item in data.items]
    problems: list[FieldProblem] = []
    if competency not in codes:
        problems.append(
            FieldProblem(
                "competency",
                _("The survey has no competency “%(code)s”. Competencies in the survey: %(known)s."),
                {"code": competency, "known": ", ".join(codes) or "—"},
            )
        )
    if not 1 <= threshold <= data.scale_max:
        problems.append(
            FieldProblem(
                "threshold",
                _("The threshold must be a rating from 1 to %(scale_max)s, not %(threshold)s."),
                {"scale_max": data.scale_max, "threshold": threshold},
            )
        )
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The baseline cannot be computed."), problems=problems)
    kept = filter_respondents(data, filters)
    column = kept.competence[:, codes.index(competency)] if kept.respondents else np.array([], dtype=float)
    total = _share(column, threshold)
    if total.n == 0:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "No respondent of the group chosen rated their competence in “%(code)s”: widen the group "
                "or choose another competency."
            ),
            {"code": competency},
        )
    sexes = kept.attributes.get(ATTRIBUTE_SEX, ("",) * len(kept.respondents))
    by_sex: dict[str, Share] = {}
    for sex in (Sex.FEMALE.value, Sex.MALE.value):
        mask = np.fromiter((value == sex for value in sexes), dtype=bool, count=len(sexes))
        by_sex[sex] = _share(column[mask], threshold)
    if any(share.n < min_cell for share in by_sex.values()):
        by_sex = {sex: Share(None, share.n, 0, suppressed=True) for sex, share in by_sex.items()}
    return TnaBaseline(competency, threshold, data.scale_max, total, by_sex)
