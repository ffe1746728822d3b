"""Needs per item: Borich MWDS, ranking, ties, Locus for Focus, paired tests and input checks.

The worked check is DOMAIN.md §4: five respondents, importance means 4.6 / 3.0 / 4.4 and competence
means 2.8 / 2.6 / 3.8 for items A / B / C give MWDS 8.28 / 1.20 / 2.64 and the rank A > C > B. The
ratings below are one set of answers with those means (chosen by hand).
"""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.needs import analyse_needs, describe_methods
from ctip.core.needs.model import (
    Adjustment,
    Item,
    MissingRule,
    NeedsData,
    NeedsOptions,
    Quadrant,
    Weighting,
)
from ctip.core.tna.model import Text

NAN = math.nan


def _data(importance, competence, codes=None, scale_max=5, attributes=None) -> NeedsData:
    importance = np.asarray(importance, dtype=float)
    competence = np.asarray(competence, dtype=float)
    codes = codes or [chr(ord("A") + j) for j in range(importance.shape[1])]
    items = tuple(
        Item(code, Text(f"Item {code}", f"Élément {code}"), "pillar", "foundational") for code in codes
    )
    respondents = tuple(f"r{i}" for i in range(importance.shape[0]))
    return NeedsData(items, respondents, importance, competence, scale_max, attributes or {})


WORKED_IMPORTANCE = np.array([[5, 3, 4], [5, 3, 5], [4, 3, 4], [5, 3, 4], [4, 3, 5]])
WORKED_COMPETENCE = np.array([[3, 3, 4], [3, 2, 4], [2, 3, 3], [3, 2, 4], [3, 3, 4]])


def test_worked_check_from_the_domain_guide():
    analysis = analyse_needs(_data(WORKED_IMPORTANCE, WORKED_COMPETENCE))
    by_code = {need.code: need for need in analysis.items}
    assert [need.code for need in analysis.items] == ["A", "C", "B"]
    assert [need.rank for need in analysis.items] == [1, 2, 3]
    assert by_code["A"].mean_importance == pytest.approx(4.6)
    assert by_code["A"].mean_competence == pytest.approx(2.8)
    assert by_code["A"].mwds == pytest.approx(8.28)
    assert by_code["B"].mwds == pytest.approx(1.20)
    assert by_code["C"].mwds == pytest.approx(2.64)
    assert by_code["A"].share_with_need == pytest.approx(1.0)
    assert by_code["C"].share_with_need == pytest.approx(0.6)
    assert analysis.n_respondents == 5 and analysis.scale_max == 5
    assert by_code["A"].title == Text("Item A", "Élément A")
    assert not any(need.tied for need in analysis.items)


def test_locus_for_focus_cuts_at_the_means_over_items():
    analysis = analyse_needs(_data(WORKED_IMPORTANCE, WORKED_COMPETENCE))
    by_code = {need.code: need for need in analysis.items}
    # Cut lines: importance (4.6 + 3.0 + 4.4) / 3 = 4.0, discrepancy (1.8 + 0.4 + 0.6) / 3 = 0.9333…
    assert analysis.importance_cut == pytest.approx(4.0)
    assert analysis.discrepancy_cut == pytest.approx(2.8 / 3)
    assert by_code["A"].quadrant == Quadrant.HH and by_code["A"].priority == 1
    assert by_code["C"].quadrant == Quadrant.HL and by_code["C"].priority == 2
    assert by_code["B"].quadrant == Quadrant.LL and by_code["B"].priority == 3


def test_a_value_on_the_cut_line_is_high():
    # Two items with identical means: both sit exactly on both cut lines, so both are HH.
    analysis = analyse_needs(_data([[4, 4], [5, 5], [3, 3]], [[2, 2], [4, 4], [1, 1]]))
    assert {need.quadrant for need in analysis.items} == {Quadrant.HH}


def test_discrepancy_interval_and_paired_test_per_item():
    analysis = analyse_needs(_data(WORKED_IMPORTANCE, WORKED_COMPETENCE))
    need = next(n for n in analysis.items if n.code == "C")
    differences = WORKED_IMPORTANCE[:, 2] - WORKED_COMPETENCE[:, 2]
    interval = scipy_stats.t.interval(0.95, 4, loc=differences.mean(), scale=scipy_stats.sem(differences))
    assert need.mean_discrepancy == pytest.approx(0.6)
    assert need.discrepancy_ci == pytest.approx(interval)
    reference = scipy_stats.wilcoxon(differences, zero_method="wilcox", correction=False, method="approx")
    assert need.test.n_nonzero == 3
    assert need.test.statistic == 6.0
    assert need.test.p_value == pytest.approx(reference.pvalue)
    p_values = [n.test.p_value for n in sorted(analysis.items, key=lambda n: n.code)]
    # Holm across the three items, by hand: the smallest p-value times 3, and so on, never decreasing.
    order = np.argsort(p_values)
    expected = np.maximum.accumulate(np.array(p_values)[order] * np.array([3, 2, 1]))
    adjusted = {n.code: n.test.p_adjusted for n in analysis.items}
    for rank, index in enumerate(order):
        assert adjusted["ABC"[index]] == pytest.approx(min(1.0, expected[rank]))


def test_ties_are_broken_by_discrepancy_importance_then_code_and_flagged():
    # X: I 4, C 2 → MWDS 8 (D̄ 2, Ī 4); Y: I 2, C −… use I 2, D 4 impossible on 1–5, so scale to 7:
    # X: Ī 4, D̄ 2 → 8.0; Y: Ī 2 … D̄ 4 needs C −2. Build equal MWDS with different D̄ instead:
    # X: Ī 4, D̄ 2 → 8; Y: Ī 8/3… Use Z and W identical: equal MWDS, D̄ and Ī → code decides.
    importance = [[4, 6, 5, 5], [4, 6, 5, 5]]
    competence = [[2, 4, 3, 3], [2, 4, 3, 3]]
    # X: 4 × 2 = 8; Y: 6 × 2 = 12; Z and W: 5 × 2 = 10 exactly the same.
    analysis = analyse_needs(_data(importance, competence, codes=["X", "Y", "W", "Z"], scale_max=7))
    assert [(n.code, n.rank, n.tied) for n in analysis.items] == [
        ("Y", 1, False),
        ("W", 2, True),
        ("Z", 3, True),
        ("X", 4, False),
    ]


def test_equal_mwds_prefers_the_larger_discrepancy():
    # P: Ī 2, D̄ 1 → 2.0; Q: Ī 4, D̄ 0.5 → 2.0. Equal scores: P has the larger D̄ and ranks first.
    importance = [[2, 4], [2, 4]]
    competence = [[1, 3], [1, 4]]
    analysis = analyse_needs(_data(importance, competence, codes=["Q", "P"][::-1]))
    assert [n.code for n in analysis.items] == ["P", "Q"]
    assert all(n.tied for n in analysis.items)


def test_negative_mwds_keeps_its_sign_and_items_without_ratings_come_last():
    importance = [[2, 4, NAN], [1, 5, NAN]]
    competence = [[4, 1, 3], [3, 2, NAN]]
    analysis = analyse_needs(_data(importance, competence))
    assert [n.code for n in analysis.items] == ["B", "A", "C"]
    a = next(n for n in analysis.items if n.code == "A")
    assert a.mwds == pytest.approx(1.5 * -2)
    c = analysis.items[-1]
    assert c.n == 0 and c.rank is None and c.mwds is None and c.quadrant is None and c.priority is None
    assert c.test.p_value is None and c.test.p_adjusted is None and c.test.n_nonzero == 0


def test_only_respondents_with_both_ratings_count():
    importance = [[5, 5], [NAN, 4], [3, 4]]
    competence = [[2, 1], [1, NAN], [3, 1]]
    analysis = analyse_needs(_data(importance, competence))
    a = next(n for n in analysis.items if n.code == "A")
    assert a.n == 2 and a.mean_importance == pytest.approx(4.0) and a.mean_competence == pytest.approx(2.5)
    b = next(n for n in analysis.items if n.code == "B")
    assert b.n == 2 and b.mean_importance == pytest.approx(4.5)


def test_own_importance_weighting_is_the_mean_of_products():
    options = NeedsOptions(weighting=Weighting.OWN_IMPORTANCE)
    analysis = analyse_needs(_data(WORKED_IMPORTANCE, WORKED_COMPETENCE), options=options)
    a = next(n for n in analysis.items if n.code == "A")
    products = WORKED_IMPORTANCE[:, 0] * (WORKED_IMPORTANCE[:, 0] - WORKED_COMPETENCE[:, 0])
    assert a.mwds == pytest.approx(products.mean())
    assert "own importance" in analysis.methods["mwds"]


def test_methods_name_every_choice():
    options = NeedsOptions(
        adjustment=Adjustment.BENJAMINI_HOCHBERG, missing=MissingRule.PAIRWISE, confidence=0.9, min_cell=10
    )
    methods = describe_methods(options)
    assert "Borich (1980)" in methods["mwds"]
    assert "Benjamini–Hochberg" in methods["adjustment"]
    assert "pairwise" in methods["reliability"]
    assert "90% confidence" in methods["interval"]
    assert "fewer than 10 respondents" in methods["suppression"]
    assert "Wilcoxon" in methods["test"]
    assert describe_methods(NeedsOptions())["adjustment"].startswith(
        "P-values are adjusted across items with Holm"
    )
    translated = describe_methods(NeedsOptions(), translate=lambda template: "[fr] " + template)
    assert translated["suppression"].startswith("[fr] Groups and cells with fewer than 5 respondents")


@pytest.mark.parametrize(
    ("importance", "message"),
    [
        ([[6, 1]], "include 6"),
        ([[0, 1]], "include 0"),
        ([[2.5, 1]], "not whole numbers"),
    ],
)
def test_ratings_outside_the_scale_are_refused_with_a_clear_error(importance, message):
    with pytest.raises(DomainError) as error:
        analyse_needs(_data(importance, [[1, 1]]))
    assert error.value.code == ErrorCode.INVALID_VALUE
    assert message in error.value.message
    assert "importance" in error.value.message


def test_shapes_options_and_attributes_are_checked():
    data = _data([[1, 2]], [[1, 2]])
    bad_shape = NeedsData(data.items, data.respondents, np.ones((1, 3)), data.competence, 5)
    with pytest.raises(DomainError, match="shape"):
        analyse_needs(bad_shape)
    with pytest.raises(DomainError, match="confidence level"):
        analyse_needs(data, options=NeedsOptions(confidence=95))
    with pytest.raises(DomainError, match="at least 1"):
        analyse_needs(data, options=NeedsOptions(min_cell=0))
    short = NeedsData(data.items, data.respondents, data.importance, data.competence, 5, {"sex": ()})
    with pytest.raises(DomainError, match="“sex” has 0 values for 1 respondents"):
        analyse_needs(short)


def test_no_respondents_gives_an_empty_but_complete_analysis():
    data = _data(np.empty((0, 2)), np.empty((0, 2)), attributes={"sex": (), "organisation": ()})
    analysis = analyse_needs(data, by=[("sex",)])
    assert analysis.n_respondents == 0
    assert all(n.rank is None for n in analysis.items)
    assert analysis.importance_cut is None
    assert analysis.disaggregations[0].groups == ()
    assert analysis.institutions == ()
