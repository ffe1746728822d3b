"""Write docs/cli.md from the ctip command's own --help texts (run by `make docs`)."""

from __future__ import annotations

import argparse

from ctip.cli import build_parser


def sections(parser: argparse.ArgumentParser, name: str) -> list[str]:
    lines = [f"## `{name}`", "", "```text", parser.format_help().rstrip(), "```", ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child_name, child in action.choices.items():
                lines.extend(sections(child, f"{name} {child_name}"))
    return lines


JSON_SHAPE = """\
## The JSON of `ctip tna analyze`

`ctip tna analyze … --json OUT.json` writes the whole analysis as one JSON object, made by
`ctip.core.needs.analysis_to_json` (the web app's analysis uses the same function). Keys always come in
the order below. Numbers are rounded to 4 decimals (p-values to 4 significant digits); `null` means not computable (too few answers, a
constant item) or suppressed. Texts are `{"en": …, "fr": …}` objects (`en`: English, `fr`: French,
English when no translation). A reader should check `format` and `version` first: a change that
removes or renames a key raises the version.

| Key | Type | Meaning |
|---|---|---|
| `format` | string | always `"ctip-tna-analysis"` |
| `version` | integer | version of this shape: `1` |
| `options` | object | how the analysis was run (the command's options) |
| `options.weighting` | string | `standard`: MWDS = mean importance × mean discrepancy (Borich 1980); `own_importance`: mean of each respondent's importance × discrepancy (`--weighting`) |
| `options.adjustment` | string | p-value adjustment across competencies: `holm` or `bh` (Benjamini–Hochberg) |
| `options.missing` | string | respondents used for Cronbach's alpha: `listwise` or `pairwise` |
| `options.confidence` | number | level of the confidence intervals (0.95) |
| `options.min_cell` | integer | groups with fewer respondents are suppressed (5) |
| `n_respondents` | integer | respondents analysed (rejected rows are not counted) |
| `scale_max` | integer | ratings run from 1 to this (5 or 7) |
| `items` | array | one object per competency, in rank order (competencies nobody rated last) |
| `items[].code` | string | competency code, e.g. `FD01` |
| `items[].title` | text | competency title |
| `items[].group` | string | its scale: the pillar (`prevention`, `protection`, `prosecution`, `partnership`; `""` when the form has no rating groups) |
| `items[].level` | string | `foundational` or `specialised` |
| `items[].n` | integer | respondents who gave both ratings |
| `items[].mean_importance` | number | mean importance Ī |
| `items[].mean_competence` | number | mean own competence C̄ |
| `items[].mean_discrepancy` | number | mean discrepancy D̄ = mean(importance − competence) |
| `items[].discrepancy_ci` | [low, high] | t confidence interval of D̄ |
| `items[].share_with_need` | number | share of respondents with importance > competence (0–1) |
| `items[].mwds` | number | Borich mean weighted discrepancy score (negative: no need) |
| `items[].rank` | integer | 1 = highest MWDS; ties broken by D̄, then Ī, then code |
| `items[].tied` | boolean | another competency has the same MWDS to two decimals |
| `items[].quadrant` | string | Locus for Focus quadrant `HH`, `HL`, `LH`, `LL` (importance, discrepancy; High = at or above the mean over competencies) |
| `items[].priority` | integer | 1 (`HH`), 2 (`HL`, `LH`), 3 (`LL`) |
| `items[].test` | object | Wilcoxon signed-rank test of importance against competence (two-sided, zero differences dropped, normal approximation with tie correction) |
| `test.n_nonzero` | integer | pairs with a non-zero difference |
| `test.statistic` | number | W+, the sum of the ranks of the positive differences |
| `test.z` | number | the normal approximation's z |
| `test.p_value` | number | two-sided p-value |
| `test.p_adjusted` | number | p-value adjusted across competencies (`options.adjustment`) |
| `importance_cut` | number | Locus for Focus cut line: mean of Ī over competencies |
| `discrepancy_cut` | number | Locus for Focus cut line: mean of D̄ over competencies |
| `reliability` | array | one object per scale (pillar) and rating |
| `reliability[].group` | string | the pillar |
| `reliability[].rating` | string | `importance` or `competence` |
| `reliability[].k` | integer | competencies in the scale |
| `reliability[].n` | integer | respondents used (listwise: complete ones; pairwise: the smallest pair count) |
| `reliability[].alpha` | number | Cronbach's alpha (may be negative; `null` when k < 2) |
| `reliability[].ci` | [low, high] | Feldt confidence interval of alpha |
| `reliability[].missing_rule` | string | `listwise` or `pairwise` |
| `reliability[].items` | array | per competency of the scale: `code`, `mean`, `sd`, `item_rest_correlation` (corrected item–total correlation), `alpha_if_deleted` |
| `review` | array | competencies that behave badly: `code`, `rating`, `reason` (`alpha_if_deleted_rises`: alpha rises by more than 0.01 without it; `near_constant`: 90 % or more give the same answer), `value` (the alpha without it, or the share) |
| `disaggregations` | array | one table per `--by`: `by` (the attribute names, one or two), `groups`, `suppression_rule` (the small-cell rule in words) |
| `groups[].values` | array of strings | the group's value of each attribute (`not_stated` for respondents who left it empty) |
| `groups[].n` | integer | respondents in the group (`null` when suppressed) |
| `groups[].suppressed` | string | `""`, `small_cell` (fewer than `min_cell` respondents) or `complementary` (hidden so that a small cell cannot be worked out from the others) |
| `groups[].needs` | array | per competency within the group: `code`, `n`, `mean_importance`, `mean_competence`, `mean_discrepancy`, `share_with_need`, `mwds`, `rank` (within the group), `suppressed` — all `null` when suppressed |
| `institutions` | array | per organisation (as written in the data): `organisation`, `n`, `suppressed`, `priorities` (as `needs`, in rank order; empty when suppressed), `institutional` (question name → answer → count; empty when suppressed) |
| `training_effect` | array | per competency, own competence of respondents trained before (`yes`) and not (`no`): `code`, `n_with`, `n_without`, `mean_with`, `mean_without`, `difference`, `effect_size` (Hedges' g, positive when the trained rate themselves higher), `suppressed` |
| `methods` | object | one sentence per method, for reports: `mwds`, `ranking`, `locus_for_focus`, `test`, `adjustment`, `interval`, `reliability`, `review`, `suppression`, `training_effect`, `institutions` |
| `learning_profiles` | array | with `--profiles`: per respondent (`respondent`: the submission key) their largest own gaps, `gaps`: `code`, `importance`, `competence`, `discrepancy`; empty otherwise |
| `triangulation` | array | survey priorities against interview evidence (`code`, `rank`, `priority`, `themes` (`theme`, `title`, `sources`, `organisation_types`, `quote`), `sources`, `agreement`); always empty from the command line, filled by the web app |
"""


def main() -> None:
    parser = build_parser()
    print("# The `ctip` command\n")
    print("Generated from `ctip --help` and `scripts/cli_docs.py` by `make docs`; do not edit by hand.\n")
    print("\n".join(sections(parser, "ctip")))
    print(JSON_SHAPE, end="")


if __name__ == "__main__":
    main()
