"""The vocabulary of the TNA gap analysis: what goes in (ratings and respondent attributes) and what comes
out (needs per item, reliability per scale, disaggregated tables, priorities per level).

Ratings arrive as two respondent × item matrices (importance to the job and own current competence, NaN
where missing) with one text value per respondent for each attribute used to disaggregate (sex,
organisation, location, …; ``""`` when not stated). Every result is a frozen dataclass of plain Python
values (``None`` where a statistic cannot be computed or is suppressed), so the web layer, the command line
and the report all read the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from ctip.core.tna.model import Text

FloatMatrix = npt.NDArray[np.float64]

NOT_STATED = "not_stated"
"""The group of respondents who left an attribute empty (kept as a group of its own, never dropped)."""
MIN_CELL = 5
"""Groups with fewer respondents than this have their statistics suppressed (DOMAIN.md §4)."""

# Attributes the analysis knows how to name (others may be passed too).
ATTRIBUTE_SEX = "sex"
ATTRIBUTE_ORGANISATION = "organisation"
ATTRIBUTE_ORGANISATION_TYPE = "organisation_type"
ATTRIBUTE_LOCATION = "location"
ATTRIBUTE_ROLE = "role"
ATTRIBUTE_YEARS = "years_of_service"
ATTRIBUTE_PRIOR_TRAINING = "prior_training"
ATTRIBUTE_LEVEL = "level"
ATTRIBUTE_AGE = "age_band"


class Weighting(StrEnum):
    """How the Borich mean weighted discrepancy score is computed."""

    STANDARD = "standard"
    """Borich (1980): MWDS_j = Ī_j × D̄_j over respondents with both ratings (the default)."""
    OWN_IMPORTANCE = "own_importance"
    """A variant, only on request: MWDS_j = mean_i(I_ij × D_ij), each respondent weighting by their own
    importance rating. Not the standard; reports label it."""


class Adjustment(StrEnum):
    """Adjustment of the paired tests' p-values across items."""

    HOLM = "holm"
    BENJAMINI_HOCHBERG = "bh"


class MissingRule(StrEnum):
    """Which respondents Cronbach's alpha uses."""

    LISTWISE = "listwise"
    """Only respondents who rated every item of the scale (the default)."""
    PAIRWISE = "pairwise"
    """Each variance and covariance from the respondents who rated the items concerned."""


class Quadrant(StrEnum):
    """Locus for Focus quadrant: (importance, discrepancy), each High when ≥ the mean over items."""

    HH = "HH"
    HL = "HL"
    LH = "LH"
    LL = "LL"


QUADRANT_PRIORITY: Mapping[Quadrant, int] = {Quadrant.HH: 1, Quadrant.HL: 2, Quadrant.LH: 2, Quadrant.LL: 3}


@dataclass(frozen=True)
class Item:
    """One competency as an item of the analysis."""

    code: str
    title: Text
    group: str  # the scale it belongs to (its pillar), for reliability and grouping
    level: str = ""  # "foundational" / "specialised"


@dataclass(frozen=True)
class NeedsData:
    """Ratings and respondent attributes. ``importance`` and ``competence`` have shape
    (len(respondents), len(items)), float64, NaN where missing; whole numbers 1..scale_max otherwise.
    ``attributes`` map an attribute name to one text value per respondent (``""``: not stated);
    ``institutional`` maps an institutional question to one answer per respondent (``""``: none)."""

    items: tuple[Item, ...]
    respondents: tuple[str, ...]  # stable submission keys
    importance: FloatMatrix
    competence: FloatMatrix
    scale_max: int
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    institutional: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedsOptions:
    weighting: Weighting = Weighting.STANDARD
    adjustment: Adjustment = Adjustment.HOLM
    missing: MissingRule = MissingRule.LISTWISE
    confidence: float = 0.95
    min_cell: int = MIN_CELL


@dataclass(frozen=True)
class PairedTest:
    """Importance vs competence for one item: Wilcoxon signed-rank test (two-sided; zero differences
    dropped; normal approximation with tie correction, no continuity correction). ``statistic`` is W+, the
    sum of the ranks of the positive differences."""

    n_nonzero: int
    statistic: float | None
    z: float | None
    p_value: float | None
    p_adjusted: float | None


@dataclass(frozen=True)
class ItemNeed:
    """The need for one item over all respondents (or one group of them)."""

    code: str
    title: Text
    group: str
    level: str
    n: int  # respondents with both ratings
    mean_importance: float | None
    mean_competence: float | None
    mean_discrepancy: float | None  # D̄ = mean(I − C)
    discrepancy_ci: tuple[float, float] | None  # t-interval of the mean discrepancy
    share_with_need: float | None  # share of respondents with D > 0
    mwds: float | None  # Borich, as options.weighting says; the sign is kept (negative: no need)
    rank: int | None  # 1 = highest MWDS; ties broken by mean discrepancy, mean importance, then code
    tied: bool  # another item has the same MWDS to two decimals (as reported)
    quadrant: Quadrant | None
    priority: int | None  # 1 (HH), 2 (HL, LH), 3 (LL)
    test: PairedTest


@dataclass(frozen=True)
class ItemReliability:
    code: str
    mean: float | None
    sd: float | None
    item_rest_correlation: float | None  # corrected item–total correlation
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class ScaleReliability:
    """Cronbach's alpha of one scale (the items of one group, for one of the two ratings), with a Feldt
    confidence interval."""

    group: str
    rating: str  # "importance" or "competence"
    k: int
    n: int  # respondents used (listwise: complete; pairwise: the smallest pair count)
    alpha: float | None
    ci: tuple[float, float] | None
    missing_rule: MissingRule
    items: tuple[ItemReliability, ...]


@dataclass(frozen=True)
class InstrumentFlag:
    """An item that behaves badly: ``reason`` is ``alpha_if_deleted_rises`` (the scale's alpha rises by
    more than 0.01 without it) or ``near_constant`` (90 % or more of the answers are the same value)."""

    code: str
    rating: str
    reason: str
    value: float


@dataclass(frozen=True)
class GroupNeed:
    """The need for one item within one group; statistics are ``None`` when ``suppressed`` is set:
    ``small_cell`` (fewer than ``min_cell`` respondents) or ``complementary`` (hidden so that a small cell
    cannot be worked out from the total and the other cells)."""

    code: str
    n: int | None
    mean_importance: float | None
    mean_competence: float | None
    mean_discrepancy: float | None
    share_with_need: float | None
    mwds: float | None
    rank: int | None  # within the group
    suppressed: str = ""


@dataclass(frozen=True)
class Group:
    values: tuple[str, ...]  # one value per attribute of the disaggregation
    n: int | None  # respondents in the group (None when suppressed)
    suppressed: str
    needs: tuple[GroupNeed, ...]


@dataclass(frozen=True)
class Disaggregation:
    by: tuple[str, ...]  # one or two attribute names
    groups: tuple[Group, ...]
    suppression_rule: str  # how small cells are protected, in words


@dataclass(frozen=True)
class TrainingEffect:
    """Own competence of respondents with and without an earlier training on trafficking, for one item;
    ``effect_size`` is Hedges' g (the standardised mean difference with pooled SD, corrected for small
    samples), positive when the trained rate themselves higher."""

    code: str
    n_with: int
    n_without: int
    mean_with: float | None
    mean_without: float | None
    difference: float | None
    effect_size: float | None
    suppressed: str = ""


@dataclass(frozen=True)
class InstitutionNeeds:
    """One organisation: its respondents' priorities and how they answered the institutional questions
    (question → answer → count)."""

    organisation: str
    n: int
    suppressed: str
    priorities: tuple[GroupNeed, ...]  # by rank within the organisation (empty when suppressed)
    institutional: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class PersonalGap:
    code: str
    importance: float
    competence: float
    discrepancy: float


@dataclass(frozen=True)
class LearningProfile:
    """One respondent's own largest gaps (D > 0), largest first (ties: higher importance, then code)."""

    respondent: str
    gaps: tuple[PersonalGap, ...]


@dataclass(frozen=True)
class NeedsAnalysis:
    options: NeedsOptions
    n_respondents: int
    scale_max: int
    items: tuple[ItemNeed, ...]  # in rank order
    importance_cut: float | None  # Locus for Focus cut lines: the means over items
    discrepancy_cut: float | None
    reliability: tuple[ScaleReliability, ...]
    review: tuple[InstrumentFlag, ...]
    disaggregations: tuple[Disaggregation, ...]
    institutions: tuple[InstitutionNeeds, ...]
    training_effect: tuple[TrainingEffect, ...]
    methods: Mapping[str, str]  # what was computed and how, in words (for reports and the JSON)
