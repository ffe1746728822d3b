"""The TNA gap analysis in one call: :func:`analyse_needs`.

It checks the data, then computes the needs per item (:mod:`.items`), the reliability of each scale and
the review flags (:mod:`.reliability`), the requested disaggregations (:mod:`.disaggregation`), the
institution level and the effect of earlier training (:mod:`.levels`), and describes the methods in words
(:func:`describe_methods`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.needs.data import rating_codes
from ctip.core.needs.disaggregation import GroupTable, check_by, group_tables
from ctip.core.needs.items import item_counts, item_needs
from ctip.core.needs.levels import institution_needs, training_effect
from ctip.core.needs.model import (
    ATTRIBUTE_ORGANISATION,
    Adjustment,
    Disaggregation,
    Group,
    InstitutionNeeds,
    MissingRule,
    NeedsAnalysis,
    NeedsData,
    NeedsOptions,
    Weighting,
)
from ctip.core.needs.reliability import review_flags, scale_reliabilities

Translate = Callable[[str], str]

DEFAULT_OPTIONS = NeedsOptions()

_METHOD_TEMPLATES: dict[str, str] = {
    "mwds": _(
        "Borich (1980) mean weighted discrepancy score: mean importance × mean discrepancy (importance − "
        "competence), over the respondents who gave both ratings; a negative score means no need."
    ),
    "mwds_own_importance": _(
        "Mean weighted discrepancy score weighted by each respondent's own importance rating: the mean of "
        "importance × discrepancy over the respondents who gave both ratings (a variant, not Borich's "
        "standard score); a negative score means no need."
    ),
    "ranking": _(
        "Items are ranked by the score, highest first; ties are broken by the mean discrepancy, then the "
        "mean importance, then the code. Items whose scores are equal to two decimals are marked as tied."
    ),
    "locus_for_focus": _(
        "Locus for Focus: each item is placed by its mean importance and mean discrepancy; the cut lines "
        "are the means over items, and a value on or above the line is high. High importance and high "
        "discrepancy is the first priority; one of the two high is the second; both low is the third."
    ),
    "test": _(
        "Wilcoxon signed-rank test of importance against competence for each item: two-sided, zero "
        "differences dropped, normal approximation with a correction for ties and no continuity correction."
    ),
    "adjustment_holm": _("P-values are adjusted across items with Holm's (1979) step-down method."),
    "adjustment_bh": _(
        "P-values are adjusted across items with the Benjamini–Hochberg (1995) false discovery rate method."
    ),
    "interval": _("The mean discrepancy has a %(confidence)s%% confidence interval from the t distribution."),
    "reliability_listwise": _(
        "Cronbach's alpha for each pillar, separately for importance and competence, from the respondents "
        "who rated every item of the pillar (listwise deletion), with a %(confidence)s%% Feldt confidence "
        "interval, alpha if each item is deleted and the corrected item–rest correlation."
    ),
    "reliability_pairwise": _(
        "Cronbach's alpha for each pillar, separately for importance and competence, with each covariance "
        "computed from the respondents who rated both items (pairwise deletion); the %(confidence)s%% Feldt "
        "confidence interval uses the smallest number of respondents behind any pair."
    ),
    "review": _(
        "Items are flagged for review when the pillar's alpha would rise by more than 0.01 without them, or "
        "when 90%% or more of their answers are the same value."
    ),
    "suppression": _(
        "Groups and cells with fewer than %(min_cell)s respondents are not shown (small cell). When a row, a "
        "column or a whole table would have exactly one hidden cell, its smallest other cell is hidden too "
        "(complementary), so that no hidden value can be worked out from the totals."
    ),
    "training_effect": _(
        "Own competence of respondents with and without an earlier training on trafficking, compared by "
        "Hedges' g (standardised mean difference with a pooled standard deviation and a small-sample "
        "correction); not shown when either group has fewer than %(min_cell)s respondents."
    ),
    "institutions": _(
        "Each organisation's priorities rank the needs of its own respondents; organisations hidden by the "
        "small-cell rule show neither priorities nor their answers to the institutional questions."
    ),
}


def _identity(text: str) -> str:
    return text


def describe_methods(options: NeedsOptions, translate: Translate = _identity) -> dict[str, str]:
    """What the analysis computed and how, one sentence per method, in the reader's language
    (``translate``: e.g. Django's ``gettext``; English by default). Keys: ``mwds``, ``ranking``,
    ``locus_for_focus``, ``test``, ``adjustment``, ``interval``, ``reliability``, ``review``,
    ``suppression``, ``training_effect``, ``institutions``."""
    params = {"confidence": f"{options.confidence * 100:g}", "min_cell": options.min_cell}
    chosen = {
        "mwds": "mwds_own_importance" if options.weighting == Weighting.OWN_IMPORTANCE else "mwds",
        "ranking": "ranking",
        "locus_for_focus": "locus_for_focus",
        "test": "test",
        "adjustment": "adjustment_bh"
        if options.adjustment == Adjustment.BENJAMINI_HOCHBERG
        else "adjustment_holm",
        "interval": "interval",
        "reliability": (
            "reliability_pairwise" if options.missing == MissingRule.PAIRWISE else "reliability_listwise"
        ),
        "review": "review",
        "suppression": "suppression",
        "training_effect": "training_effect",
        "institutions": "institutions",
    }
    return {key: translate(_METHOD_TEMPLATES[template]) % params for key, template in chosen.items()}


def describe_suppression(options: NeedsOptions, translate: Translate = _identity) -> str:
    """The small-cell rule of every disaggregation, in words."""
    return translate(_METHOD_TEMPLATES["suppression"]) % {"min_cell": options.min_cell}


def _check_options(options: NeedsOptions) -> None:
    if not 0 < options.confidence < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The confidence level must be between 0 and 1 (for example 0.95), not %(value)s."),
            {"value": options.confidence},
        )
    if options.min_cell < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The smallest group shown must be at least 1 respondent, not %(value)s."),
            {"value": options.min_cell},
        )


def _disaggregation(table: GroupTable, rule: str) -> Disaggregation:
    groups = tuple(
        Group(
            values=values,
            n=None if suppressed else size,
            suppressed=suppressed,
            needs=needs,
        )
        for values, size, suppressed, needs in zip(
            table.values, table.sizes, table.suppressed, table.needs, strict=True
        )
    )
    return Disaggregation(by=table.by, groups=groups, suppression_rule=rule)


def analyse_needs(
    data: NeedsData, *, by: Sequence[Sequence[str]] = (), options: NeedsOptions = DEFAULT_OPTIONS
) -> NeedsAnalysis:
    """The whole gap analysis of ``data``.

    ``by`` lists the disaggregations, each one attribute (``("sex",)``) or a pair (``("sex",
    "location")``). Institutions are analysed when the data have an ``organisation`` attribute, the
    training effect when they have ``prior_training``. Raises :class:`DomainError` for ratings outside the
    scale, mismatched shapes, unknown attributes or invalid options."""
    _check_options(options)
    codes = rating_codes(data)
    tables = check_by(data, by)
    counts = item_counts(codes)
    needs = item_needs(data.items, counts, options)
    scales = scale_reliabilities(data.items, codes, options)
    with_institutions = ATTRIBUTE_ORGANISATION in data.attributes
    organisation_table = (ATTRIBUTE_ORGANISATION,)
    computed = group_tables(
        data, codes, [*tables, organisation_table] if with_institutions else list(tables), options
    )
    rule = describe_suppression(options)
    institutions: tuple[InstitutionNeeds, ...] = ()
    if with_institutions:
        table = computed[organisation_table]
        institutions = institution_needs(data, table, table.members)
    return NeedsAnalysis(
        options=options,
        n_respondents=len(data.respondents),
        scale_max=data.scale_max,
        items=needs.items,
        importance_cut=needs.importance_cut,
        discrepancy_cut=needs.discrepancy_cut,
        reliability=scales,
        review=review_flags(data.items, scales, counts),
        disaggregations=tuple(_disaggregation(computed[spec], rule) for spec in tables),
        institutions=institutions,
        training_effect=training_effect(data, codes, options),
        methods=describe_methods(options),
    )
