"""evaluate_prepost: matching, the JSON contract, grouping with suppression, the unpaired fallback, and
bad input."""

import json

import numpy as np
import pytest
from scipy import stats

from ctip.core.errors import DomainError
from ctip.core.evaluation import evaluate_prepost

SEED = 20261124
GROUP_KEYS = {
    "n",
    "suppressed",
    "n_pre",
    "n_post",
    "pre_mean_pct",
    "post_mean_pct",
    "pre_sd_pct",
    "post_sd_pct",
    "mean_change_pct",
    "hake_g",
    "hake_band",
    "individual_gain_mean",
    "individual_gain_n",
    "individual_gain_excluded",
    "marx_cummings_c",
    "marx_cummings_n",
    "t_test",
    "wilcoxon",
    "d_z",
    "d_av",
    "hedges_g_z",
    "hedges_g_av",
}


def training(seed=SEED):
    """30 pre-tests and 28 post-tests out of 20 (27 participants took both), with sex and organisation;
    3 men only, so that group is suppressed."""
    rng = np.random.default_rng(seed)
    pre, post, attributes = {}, {}, {}
    for i in range(1, 32):
        pid = f"P{i:02d}"
        attributes[pid] = {
            "sex": "male" if i in (4, 9, 30) else "female",
            "organisation": ("NPF", "MGSW")[i % 2],
        }
        score = int(rng.integers(4, 15))
        if i <= 30:
            pre[pid] = score
        if i not in (7, 12, 19):
            post[pid] = int(min(20, score + rng.integers(-2, 9)))
    return pre, post, attributes


def test_matching_and_overall_statistics_on_generated_scores():
    pre, post, attributes = training()
    report = evaluate_prepost(
        pre, post, max_score=20, attributes=attributes, group_by=("sex", "organisation")
    )
    document = report.to_json()
    assert document["matching"] == {
        "pre": 30,
        "post": 28,
        "matched": 27,
        "missing_post": ["P07", "P12", "P19"],
        "missing_pre": ["P31"],
    }
    assert document["paired"] is True and document["independent"] is None
    matched = [pid for pid in pre if pid in post]
    pre_pct = np.array([pre[p] for p in matched]) * 5.0
    post_pct = np.array([post[p] for p in matched]) * 5.0
    overall = document["overall"]
    assert set(overall) == GROUP_KEYS
    assert overall["n"] == 27
    assert overall["pre_mean_pct"] == pytest.approx(pre_pct.mean())
    assert overall["post_sd_pct"] == pytest.approx(post_pct.std(ddof=1))
    assert overall["mean_change_pct"] == pytest.approx((post_pct - pre_pct).mean())
    assert overall["hake_g"] == pytest.approx((post_pct.mean() - pre_pct.mean()) / (100 - pre_pct.mean()))
    reference = stats.ttest_rel(post_pct, pre_pct)
    assert overall["t_test"]["t"] == pytest.approx(reference.statistic)
    assert overall["t_test"]["p"] == pytest.approx(reference.pvalue)
    assert overall["t_test"]["df"] == 26.0
    change = post_pct - pre_pct
    assert overall["d_z"] == pytest.approx(change.mean() / change.std(ddof=1))
    assert overall["d_av"] == pytest.approx(
        change.mean() / ((pre_pct.std(ddof=1) + post_pct.std(ddof=1)) / 2)
    )
    assert overall["hedges_g_z"] is None and overall["hedges_g_av"] is None
    wilcoxon = overall["wilcoxon"]
    assert wilcoxon["zero_method"] == "wilcox"
    assert wilcoxon["n_nonzero"] == int((change != 0).sum())
    assert wilcoxon["p"] == pytest.approx(
        stats.wilcoxon(post_pct, pre_pct, zero_method="wilcox", correction=True, method="asymptotic").pvalue
    )
    assert set(document["definitions"]) >= {
        "hake_g",
        "individual_gain",
        "marx_cummings_c",
        "t_test",
        "wilcoxon",
        "d_z",
        "d_av",
        "hedges",
        "suppression",
    }
    json.dumps(document, allow_nan=False)


def test_groups_by_sex_and_organisation_with_small_groups_suppressed():
    pre, post, attributes = training()
    document = evaluate_prepost(
        pre, post, max_score=20, attributes=attributes, group_by=("sex", "organisation")
    ).to_json()
    sex = document["groups"]["sex"]
    assert list(sex) == ["female", "male"]
    assert sex["male"] == {"n": 3, "suppressed": True}
    assert sex["female"]["n"] == 24 and sex["female"]["suppressed"] is False
    assert set(sex["female"]) == GROUP_KEYS
    organisation = document["groups"]["organisation"]
    assert sum(group["n"] for group in organisation.values()) == 27
    # With min_n = 3 the men's group is shown.
    shown = evaluate_prepost(pre, post, max_score=20, attributes=attributes, min_n=3).to_json()
    assert shown["groups"]["sex"]["male"]["suppressed"] is False
    assert list(shown["groups"]) == ["sex"]  # the default groups by sex only


def test_participants_without_a_value_form_a_not_stated_group():
    pre = {f"P{i}": 10 for i in range(8)}
    post = {f"P{i}": 15 for i in range(8)}
    attributes = {f"P{i}": {"sex": "female"} for i in range(5)}
    groups = evaluate_prepost(pre, post, max_score=20, attributes=attributes).to_json()["groups"]["sex"]
    assert list(groups) == ["female", "not_stated"]
    assert groups["not_stated"] == {"n": 3, "suppressed": True}
    assert evaluate_prepost(pre, post, max_score=20).to_json()["groups"] == {}


def test_results_do_not_depend_on_the_score_scale():
    pre, post, _attributes = training()
    on_twenty = evaluate_prepost(pre, post, max_score=20).to_json()["overall"]
    on_hundred = evaluate_prepost(
        {p: v * 5 for p, v in pre.items()}, {p: v * 5 for p, v in post.items()}, max_score=100
    ).to_json()["overall"]
    for key in (
        "pre_mean_pct",
        "mean_change_pct",
        "hake_g",
        "individual_gain_mean",
        "marx_cummings_c",
        "d_z",
    ):
        assert on_twenty[key] == pytest.approx(on_hundred[key])
    for key in ("statistic", "p", "hl_estimate", "hl_ci_low", "hl_ci_high"):
        assert on_twenty["wilcoxon"][key] == pytest.approx(on_hundred["wilcoxon"][key])


def test_full_pre_test_scores_are_left_out_of_individual_gains_and_counted():
    pre = {"A": 20, "B": 10, "C": 20, "D": 5}
    post = {"A": 20, "B": 15, "C": 18, "D": 5}
    overall = evaluate_prepost(pre, post, max_score=20, hedges=True).to_json()["overall"]
    assert overall["individual_gain_excluded"] == 2
    assert overall["individual_gain_n"] == 2
    assert overall["individual_gain_mean"] == pytest.approx(((15 - 10) / 10 + 0) / 2)
    # Marx–Cummings: A (20→20) dropped; B +0.5; C loss −2/20 = −0.1; D unchanged 0.
    assert overall["marx_cummings_n"] == 3
    assert overall["marx_cummings_c"] == pytest.approx((0.5 - 0.1 + 0) / 3)
    assert overall["hedges_g_z"] == pytest.approx(overall["d_z"] * (1 - 3 / (4 * 3 - 1)))


def test_undefined_numbers_are_null_never_nan():
    # Everybody gained exactly 5 points: no spread, so t, p and d_z are undefined.
    pre = {f"P{i}": 10 for i in range(6)}
    post = {f"P{i}": 15 for i in range(6)}
    document = evaluate_prepost(pre, post, max_score=20).to_json()
    overall = document["overall"]
    assert overall["t_test"]["t"] is None and overall["t_test"]["p"] is None
    assert overall["d_z"] is None and overall["d_av"] is None
    assert overall["wilcoxon"]["hl_estimate"] == 25.0 and overall["wilcoxon"]["hl_ci_low"] is None
    json.dumps(document, allow_nan=False)
    single = evaluate_prepost({"P1": 20}, {"P1": 20}, max_score=20).to_json()["overall"]
    assert single["t_test"] is None and single["wilcoxon"] is None and single["hake_g"] is None
    assert single["hake_band"] is None and single["pre_sd_pct"] is None
    json.dumps(single, allow_nan=False)


def test_unmatched_tests_are_compared_as_independent_groups():
    rng = np.random.default_rng(SEED)
    pre = {f"A{i}": int(v) for i, v in enumerate(rng.integers(4, 14, size=12))}
    post = {f"B{i}": int(v) for i, v in enumerate(rng.integers(8, 20, size=14))}
    attributes = {pid: {"sex": "female" if i % 3 else "male"} for i, pid in enumerate([*pre, *post])}
    document = evaluate_prepost(pre, post, max_score=20, attributes=attributes).to_json()
    assert document["paired"] is False
    assert document["matching"]["matched"] == 0
    independent = document["independent"]
    assert set(independent) == {
        "n_pre",
        "n_post",
        "pre_mean_pct",
        "post_mean_pct",
        "difference_pct",
        "welch_t",
        "mann_whitney",
        "note",
    }
    pre_pct = np.array(list(pre.values())) * 5.0
    post_pct = np.array(list(post.values())) * 5.0
    reference = stats.ttest_ind(post_pct, pre_pct, equal_var=False)
    assert independent["welch_t"]["t"] == pytest.approx(reference.statistic)
    assert independent["welch_t"]["p"] == pytest.approx(reference.pvalue)
    assert independent["difference_pct"] == pytest.approx(post_pct.mean() - pre_pct.mean())
    assert independent["mann_whitney"]["u"] == pytest.approx(stats.mannwhitneyu(post_pct, pre_pct).statistic)
    assert "could not be matched" in independent["note"]
    overall = document["overall"]
    assert overall["t_test"] is None and overall["wilcoxon"] is None and overall["hake_g"] is None
    assert (overall["n_pre"], overall["n_post"]) == (12, 14)
    groups = document["groups"]["sex"]
    assert groups["female"]["suppressed"] is False and groups["female"]["t_test"] is None
    # Unpaired: a group is suppressed when either test has fewer than min_n; both sizes are shown.
    small = evaluate_prepost(pre, post, max_score=20, attributes=attributes, min_n=6).to_json()
    assert small["groups"]["sex"]["male"] == {"n": 4, "suppressed": True, "n_pre": 4, "n_post": 5}
    json.dumps(document, allow_nan=False)


def test_paired_false_compares_groups_even_when_ids_match():
    pre, post, _attributes = training()
    document = evaluate_prepost(pre, post, max_score=20, paired=False).to_json()
    assert document["paired"] is False and document["matching"]["matched"] == 27
    assert document["independent"]["n_pre"] == 30 and document["independent"]["n_post"] == 28


def test_bad_input_is_refused_with_the_participant_named():
    with pytest.raises(DomainError) as error:
        evaluate_prepost({"P1": 10, "P2": 25}, {"P1": -1, "P2": 12}, max_score=20)
    locations = [problem.location for problem in error.value.problems]
    assert locations == ["pre-test, participant P2", "post-test, participant P1"]
    assert "between 0 and the maximum score 20" in error.value.problems[0].message
    with pytest.raises(DomainError, match="maximum score must be a number above 0"):
        evaluate_prepost({"P1": 1}, {"P1": 2}, max_score=0)
    with pytest.raises(DomainError, match="confidence level"):
        evaluate_prepost({"P1": 1}, {"P1": 2}, max_score=20, confidence=95)
    with pytest.raises(DomainError, match="no pre-test or post-test scores"):
        evaluate_prepost({}, {}, max_score=20)
    with pytest.raises(DomainError):
        evaluate_prepost({"P1": float("nan")}, {"P1": 2}, max_score=20)
