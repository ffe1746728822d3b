"""Item analysis and McNemar's test against published values (Agresti; ltm's LSAT) and hand computation."""

import json
import random

import numpy as np
import pytest
from scipy import stats

from ctip.core.errors import DomainError
from ctip.core.evaluation import analyse_items, kr20, mcnemar
from ctip.core.evaluation.items import item_rest_correlations, upper_lower_discrimination

# Bock & Lieberman (1970): Law School Admission Test, Section 6 — 1000 examinees, 5 items, as the 32
# response patterns and their frequencies (R package ltm, data set `LSAT`; mirt's `LSAT6`).
LSAT_PATTERNS = {
    "00000": 3, "00001": 6, "00010": 2, "00011": 11, "00100": 1, "00101": 1, "00110": 3, "00111": 4,
    "01000": 1, "01001": 8, "01010": 0, "01011": 16, "01100": 0, "01101": 3, "01110": 2, "01111": 15,
    "10000": 10, "10001": 29, "10010": 14, "10011": 81, "10100": 3, "10101": 28, "10110": 15, "10111": 80,
    "11000": 16, "11001": 56, "11010": 21, "11011": 173, "11100": 11, "11101": 61, "11110": 28, "11111": 298,
}  # fmt: skip


def lsat_answers():
    answers = {}
    for pattern, count in LSAT_PATTERNS.items():
        for _ in range(count):
            answers[f"E{len(answers) + 1:04d}"] = {
                f"Item {i + 1}": bit == "1" for i, bit in enumerate(pattern)
            }
    return answers


def test_mcnemar_on_agrestis_presidential_approval_table():
    # Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., §8.1: approval of the
    # President's performance in two surveys of the same 1600 people: 794 approve both times, 150 approve
    # then disapprove (b), 86 disapprove then approve (c), 570 disapprove both times. Without continuity
    # correction chi-square = 17.36 (z = 4.17); with it 16.82; exact binomial p ≈ 3.7e-05.
    plain = mcnemar(150, 86, method="chi2")
    assert plain.statistic == pytest.approx(17.36, abs=0.005)
    assert np.sqrt(plain.statistic) == pytest.approx(4.17, abs=0.005)
    corrected = mcnemar(150, 86)
    assert corrected.method == "chi2_cc"  # b + c = 236: chi-square with continuity correction
    assert corrected.statistic == pytest.approx(16.82, abs=0.005)
    assert corrected.p == pytest.approx(stats.chi2.sf(63**2 / 236, 1))
    exact = mcnemar(150, 86, method="exact")
    assert exact.p == pytest.approx(3.7e-05, abs=5e-7)
    assert exact.p == pytest.approx(stats.binomtest(86, 236, 0.5).pvalue)
    assert exact.statistic is None


def test_mcnemar_chooses_exact_below_25_discordant_pairs():
    small = mcnemar(3, 12)
    assert small.method == "exact"
    # Two-sided binomial by hand: 2 · P(X ≤ 3), X ~ Binomial(15, ½).
    assert small.p == pytest.approx(2 * sum(stats.binom.pmf(k, 15, 0.5) for k in range(4)))
    assert mcnemar(12, 12).method == "exact"  # b + c = 24
    assert mcnemar(13, 12).method == "chi2_cc"  # b + c = 25
    nobody_changed = mcnemar(0, 0)
    assert (nobody_changed.p, nobody_changed.method) == (1.0, "exact")


def test_lsat_difficulties_reliability_and_item_rest_correlations_match_ltm():
    # R ltm::descript(LSAT): proportions correct 0.924, 0.709, 0.553, 0.763, 0.870; Cronbach's alpha
    # ≈ 0.295 (0.29499…) for all items; point-biserial correlation with the total score excluding the item
    # 0.1128, 0.1532, 0.1728, 0.1444, 0.1216.
    report = analyse_items(lsat_answers())
    assert report.n_post == 1000 and report.n_pre == 0
    assert [item.post_difficulty for item in report.items] == pytest.approx(
        [0.924, 0.709, 0.553, 0.763, 0.870]
    )
    assert report.reliability_post.kr20 == pytest.approx(0.29499, abs=5e-5)
    assert [item.item_rest_r for item in report.items] == pytest.approx(
        [0.1128, 0.1532, 0.1728, 0.1444, 0.1216], abs=5e-5
    )
    assert report.reliability_pre is None
    assert all(item.mcnemar is None and item.pre_difficulty is None for item in report.items)


def test_kr20_equals_cronbachs_alpha_on_zero_one_items():
    rng = np.random.default_rng(11)
    ability = rng.normal(size=40)
    matrix = (ability[:, None] + rng.normal(size=(40, 6)) > 0).astype(float)
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    assert kr20(matrix) == pytest.approx(alpha)
    assert kr20(np.ones((5, 3))) is None  # every total the same
    assert kr20(matrix[:, :1]) is None  # one item


# Ten participants, three items. Totals 3, 3, 2, 2, 2, 1, 1, 1, 0, 0: the upper 27 % (g = round(2.7) = 3)
# holds the two 3s and one third of each of the three 2s; the lower group the two 0s and a third of each 1.
TIED = [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 0],
    [1, 0, 1],
    [0, 1, 1],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
    [0, 0, 0],
]


def test_upper_lower_discrimination_shares_tied_places():
    matrix = np.array(TIED, dtype=float)
    values, size = upper_lower_discrimination(matrix)
    # Item 1 by hand: upper (1 + 1 + (1 + 1 + 0)/3)/3 = 8/9; lower (0 + 0 + (1 + 0 + 0)/3)/3 = 1/9.
    assert size == 3
    assert values == pytest.approx([7 / 9, 7 / 9, 7 / 9])
    shuffled = matrix[[9, 4, 0, 7, 2, 5, 1, 8, 3, 6]]
    assert upper_lower_discrimination(shuffled)[0] == pytest.approx(values)
    assert upper_lower_discrimination(matrix[:1]) == ([None, None, None], 0)


def test_item_rest_correlation_is_corrected_and_none_for_a_constant_item():
    matrix = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    values = item_rest_correlations(matrix)
    assert values[0] is None  # everybody right
    rest = matrix.sum(axis=1) - matrix[:, 1]
    assert values[1] == pytest.approx(np.corrcoef(matrix[:, 1], rest)[0, 1])


def _answers(rows, codes=("Q1", "Q2", "Q3")):
    return {f"P{i:02d}": dict(zip(codes, map(bool, row), strict=True)) for i, row in enumerate(rows, 1)}


def test_analyse_items_pre_post_mcnemar_and_holm_adjustment():
    rng = random.Random(7)
    pre_rows, post_rows = [], []
    # Q1: 2 right→wrong, 10 wrong→right; Q2: 5 and 5; Q3: nobody changes. 20 participants.
    for i in range(20):
        q1 = (1, 0) if i < 2 else (0, 1) if i < 12 else (1, 1)
        q2 = (1, 0) if i < 5 else (0, 1) if i < 10 else (0, 0)
        q3 = (1, 1) if i % 2 else (0, 0)
        pre_rows.append([q1[0], q2[0], q3[0]])
        post_rows.append([q1[1], q2[1], q3[1]])
    order = list(range(20))
    rng.shuffle(order)
    pre = _answers([pre_rows[i] for i in order])
    post = _answers([post_rows[i] for i in order])
    post["P99"] = {"Q1": True, "Q2": True, "Q3": True}  # took only the post-test
    report = analyse_items(post, pre)
    assert (report.n_pre, report.n_post, report.n_matched) == (20, 21, 20)
    q1, q2, q3 = report.items
    assert (q1.mcnemar.b, q1.mcnemar.c, q1.mcnemar.method) == (2, 10, "exact")
    assert (q2.mcnemar.b, q2.mcnemar.c) == (5, 5) and q2.mcnemar.p == 1.0
    assert (q3.mcnemar.b, q3.mcnemar.c, q3.mcnemar.p) == (0, 0, 1.0)
    assert q1.pre_difficulty == pytest.approx(10 / 20) and q1.post_difficulty == pytest.approx(19 / 21)
    # Holm by hand: p sorted (p1, 1, 1) → (3·p1, max(3·p1, 2·1) capped at 1, 1).
    p1 = stats.binomtest(2, 12, 0.5).pvalue
    assert q1.p_adjusted == pytest.approx(min(1.0, 3 * p1))
    assert q2.p_adjusted == 1.0 and q3.p_adjusted == 1.0
    bh = analyse_items(post, pre, adjustment="bh")
    assert bh.items[0].p_adjusted == pytest.approx(min(1.0, 3 * p1))  # BH: m·p/rank = 3·p1/1
    assert bh.adjustment == "bh"
    assert report.reliability_pre.n == 20 and report.reliability_post.n == 21


def test_item_report_json_is_complete_and_has_no_nan():
    post = _answers([[1, 1, 1], [1, 1, 1], [1, 0, 1]])  # Q1 constant: no item–rest correlation
    document = analyse_items(post, _answers([[0, 0, 1], [1, 0, 1], [1, 0, 0]])).to_json()
    json.dumps(document, allow_nan=False)
    assert set(document) >= {
        "n_items",
        "n_pre",
        "n_post",
        "scoring",
        "adjustment",
        "reliability",
        "items",
        "definitions",
    }
    assert document["n_items"] == 3 and document["adjustment"] == "holm"
    assert set(document["reliability"]) == {"pre", "post"}
    assert set(document["reliability"]["post"]) == {"kr20", "n"}
    item = document["items"][0]
    assert set(item) == {
        "code",
        "pre_difficulty",
        "post_difficulty",
        "discrimination_ul",
        "item_rest_r",
        "mcnemar",
        "p_adjusted",
    }
    assert item["item_rest_r"] is None
    assert set(item["mcnemar"]) == {"b", "c", "statistic", "p", "method"}
    assert "all-or-nothing" in document["scoring"]


def test_an_item_missing_from_a_participants_answers_counts_as_wrong():
    report = analyse_items({"P1": {"Q1": True, "Q2": True}, "P2": {"Q1": True}})
    assert [item.code for item in report.items] == ["Q1", "Q2"]
    assert report.items[1].post_difficulty == 0.5


def test_analyse_items_refuses_bad_input():
    with pytest.raises(DomainError, match="no post-test answers"):
        analyse_items({})
    with pytest.raises(DomainError, match="adjustment"):
        analyse_items({"P1": {"Q1": True}}, adjustment="bonferroni")
    with pytest.raises(DomainError, match="no item"):
        analyse_items({"P1": {}})
