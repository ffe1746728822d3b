"""Evaluating trainings from test scores, without the database (DOMAIN.md §5; docs/evaluation.md).

* :func:`evaluate_prepost` — pre/post scores matched by participant id: normalised gains (Hake, Marx &
  Cummings), the paired t-test, Wilcoxon's signed-rank test with the Hodges–Lehmann estimate, effect sizes
  d_z and d_av (Lakens 2013), overall and by group with small groups suppressed; an independent-groups
  comparison when the two tests cannot be linked.
* :func:`analyse_items` — item difficulty, discrimination, item–rest correlations, KR-20 and McNemar's
  test of every item, with p-values adjusted across items.

Pure numpy/scipy; every result has a ``to_json()`` whose numbers are floats or ``None`` (never NaN).
"""

from ctip.core.evaluation.effect import EffectSizes, d_av, d_z, hedges_correction, paired_effect_sizes
from ctip.core.evaluation.gains import hake_band, hake_class_gain, individual_gains, marx_cummings_change
from ctip.core.evaluation.items import ItemReport, ItemResult, McNemar, analyse_items, kr20, mcnemar
from ctip.core.evaluation.matching import Matching, match_ids
from ctip.core.evaluation.paired import SignedRank, TTest, paired_t_test, wilcoxon_signed_rank
from ctip.core.evaluation.report import GroupStats, IndependentComparison, PrePostReport, evaluate_prepost
from ctip.core.evaluation.unpaired import MannWhitney, mann_whitney, welch_t_test

__all__ = [
    "EffectSizes",
    "GroupStats",
    "IndependentComparison",
    "ItemReport",
    "ItemResult",
    "MannWhitney",
    "Matching",
    "McNemar",
    "PrePostReport",
    "SignedRank",
    "TTest",
    "analyse_items",
    "d_av",
    "d_z",
    "evaluate_prepost",
    "hake_band",
    "hake_class_gain",
    "hedges_correction",
    "individual_gains",
    "kr20",
    "mann_whitney",
    "marx_cummings_change",
    "match_ids",
    "mcnemar",
    "paired_effect_sizes",
    "paired_t_test",
    "welch_t_test",
    "wilcoxon_signed_rank",
]
