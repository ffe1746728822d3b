"""The definition of every statistic, as written into the JSON ("definitions") and shown next to the
numbers. English texts marked for translation: the web layer translates them when it shows them."""

from __future__ import annotations

from ctip.core.errors import _
from ctip.core.training.scoring import SCORING_RULE

PREPOST_DEFINITIONS: dict[str, str] = {
    "scores": _(
        "Scores are shown as a share of the maximum score (0 to 100). Pre- and post-test are matched by "
        "participant id; statistics of change use the matched participants only."
    ),
    "hake_g": _(
        "Hake's class-average normalised gain <g> = (mean post − mean pre) / (100 − mean pre), from the "
        "means of the matched participants (Hake 1998). Bands: low below 0.3, medium 0.3 to 0.7, high "
        "above 0.7."
    ),
    "individual_gain": _(
        "Average of individual gains: the mean over participants of (post − pre) / (100 − pre). A "
        "different number from the class-average gain; participants who scored 100 on the pre-test are "
        "left out (their gain is undefined) and counted."
    ),
    "marx_cummings_c": _(
        "Marx and Cummings' normalised change c (2007): (post − pre) / (100 − pre) when the score rose, "
        "(post − pre) / pre when it fell, 0 when unchanged; participants with 0 or 100 on both tests are "
        "dropped. The mean of c is shown."
    ),
    "t_test": _(
        "Paired t-test: t = mean change / (standard deviation of the changes / square root of n), with "
        "n − 1 degrees of freedom, two-sided p-value, and the confidence interval of the mean change in "
        "percentage points (as R's t.test with paired = TRUE)."
    ),
    "wilcoxon": _(
        "Wilcoxon signed-rank test, as R's wilcox.test with paired = TRUE: zero changes are dropped, the "
        "others ranked by size (ties get their average rank); V is the sum of the ranks of the increases. "
        "Exact p-value when fewer than 50 non-zero changes and no ties or zeros, otherwise the normal "
        "approximation with tie correction and continuity correction. The Hodges–Lehmann estimate is the "
        "median of the Walsh averages of the non-zero changes, with R's confidence interval."
    ),
    "d_z": _(
        "Cohen's d_z = mean change / standard deviation of the changes (Lakens 2013): how consistently "
        "participants improved."
    ),
    "d_av": _(
        "Cohen's d_av = mean change / average of the pre-test and post-test standard deviations (Lakens "
        "2013): comparable with a difference between two groups."
    ),
    "hedges": _(
        "Hedges' g: d multiplied by the small-sample correction J = 1 − 3 / (4·df − 1), df = n − 1; "
        "shown as g_z and g_av when asked for."
    ),
    "welch_t": _(
        "Welch's t-test of the post-test mean against the pre-test mean as two independent groups "
        "(unequal variances, Welch–Satterthwaite degrees of freedom), with the confidence interval of the "
        "difference."
    ),
    "mann_whitney": _(
        "Mann–Whitney U test of the post-test scores against the pre-test scores as two independent groups "
        "(U counts the pairs where the post-test score is higher, ties counting one half); exact below 50 "
        "per group without ties, otherwise the normal approximation with continuity correction."
    ),
    "suppression": _(
        "Groups with fewer participants than the minimum (min_n, 5 by default) are suppressed: only "
        "their number is shown. The overall results are never suppressed."
    ),
}

UNPAIRED_NOTE = _(
    "The pre-test and post-test answers could not be matched to the same participants, so this compares "
    "two groups (everyone who took the pre-test with everyone who took the post-test) rather than each "
    "participant's own change. Treat it as weaker evidence than a matched comparison."
)

ITEM_DEFINITIONS: dict[str, str] = {
    "scoring": SCORING_RULE,
    "difficulty": _(
        "Difficulty p: the share of participants who answered the item right (0 to 1; higher is easier), "
        "on each test."
    ),
    "discrimination_ul": _(
        "Upper–lower discrimination D = share right in the top 27 per cent minus share right in the bottom "
        "27 per cent, participants ranked by total post-test score (participants tied at a cut count "
        "fractionally)."
    ),
    "item_rest_r": _(
        "Corrected item–rest correlation: the point-biserial correlation between the item (right = 1) and "
        "the total score of the other items, on the post-test."
    ),
    "mcnemar": _(
        "McNemar test of the participants who took both tests: b = right before and wrong after, c = wrong "
        "before and right after. Exact two-sided binomial test when b + c is below 25, otherwise "
        "chi-square = (|b − c| − 1)² / (b + c) with continuity correction and 1 degree of freedom."
    ),
    "adjustment": _(
        "P-values adjusted across items for multiple testing: Holm (1979) by default, or Benjamini and "
        "Hochberg (1995), as R's p.adjust."
    ),
    "kr20": _(
        "Reliability KR-20 (Kuder and Richardson 1937) = k / (k − 1) × (1 − sum of p(1 − p) / variance "
        "of the total score), equal to Cronbach's alpha on right/wrong items."
    ),
}
