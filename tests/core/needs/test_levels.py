"""Institution level, effect of earlier training and individual learning profiles."""

import numpy as np
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.needs import analyse_needs, learning_profiles
from ctip.core.needs.model import NOT_STATED, Item, NeedsData, NeedsOptions
from ctip.core.needs.stats import hedges_g
from ctip.core.tna.model import Text


def _data(importance, competence, codes=None, attributes=None, institutional=None) -> NeedsData:
    importance = np.asarray(importance, dtype=float)
    competence = np.asarray(competence, dtype=float)
    codes = codes or [f"I{j}" for j in range(importance.shape[1])]
    items = tuple(Item(code, Text(code), "p") for code in codes)
    return NeedsData(
        items,
        tuple(f"r{i}" for i in range(importance.shape[0])),
        importance,
        competence,
        5,
        attributes or {},
        institutional or {},
    )


def test_institutions_rank_their_own_needs_and_count_institutional_answers():
    # Police (6 respondents) need I1 most, the shelter (5) need I0 most; a small NGO (2) and one respondent
    # without an organisation are hidden (two hidden cells: neither can be worked out from the total).
    organisation = ("Police",) * 6 + ("Shelter",) * 5 + ("NGO",) * 2 + ("",)
    importance = [[3, 5]] * 6 + [[5, 3]] * 5 + [[4, 4]] * 3
    competence = [[3, 1]] * 6 + [[1, 3]] * 5 + [[2, 2]] * 3
    sop = ("yes",) * 4 + ("no", "") + ("yes",) * 5 + ("no",) * 3
    data = _data(
        importance, competence, attributes={"organisation": organisation}, institutional={"sop_in_place": sop}
    )
    institutions = {i.organisation: i for i in analyse_needs(data).institutions}
    assert list(institutions) == ["NGO", "Police", "Shelter", NOT_STATED]
    police = institutions["Police"]
    assert (police.n, police.suppressed) == (6, "")
    assert [need.code for need in police.priorities] == ["I1", "I0"]
    assert police.priorities[0].rank == 1 and police.priorities[0].mwds == pytest.approx(20.0)
    assert police.institutional == {"sop_in_place": {"no": 1, "yes": 4}}
    ngo = institutions["NGO"]
    assert (ngo.n, ngo.suppressed, ngo.priorities, ngo.institutional) == (2, "small_cell", (), {})
    assert institutions[NOT_STATED].suppressed == "small_cell"
    shelter = institutions["Shelter"]
    assert [need.code for need in shelter.priorities] == ["I0", "I1"]
    assert shelter.institutional == {"sop_in_place": {"yes": 5}}


def test_an_institution_hidden_as_the_complement_shows_neither_priorities_nor_answers():
    organisation = ("Police",) * 6 + ("Shelter",) * 5 + ("NGO",) * 2
    data = _data(
        np.full((13, 1), 4.0),
        np.full((13, 1), 2.0),
        attributes={"organisation": organisation},
        institutional={"sop_in_place": ("yes",) * 13},
    )
    institutions = {i.organisation: i for i in analyse_needs(data).institutions}
    assert institutions["NGO"].suppressed == "small_cell"
    shelter = institutions["Shelter"]
    assert (shelter.suppressed, shelter.priorities, shelter.institutional) == ("complementary", (), {})
    assert institutions["Police"].institutional == {"sop_in_place": {"yes": 6}}


def test_institutions_need_an_organisation_attribute():
    assert analyse_needs(_data([[3]], [[2]])).institutions == ()


def test_training_effect_compares_competence_with_hedges_g():
    yes_competence = np.array([4, 5, 4, 3, 5, 4], dtype=float)
    no_competence = np.array([2, 3, 3, 2, 4, 1, 2], dtype=float)
    competence = np.concatenate([yes_competence, no_competence, [5.0, 5.0]])
    prior = ("yes",) * 6 + ("no",) * 7 + ("", "maybe")
    data = _data(
        np.full((15, 2), 5.0),
        np.column_stack([competence, np.full(15, 3.0)]),
        attributes={"prior_training": prior},
    )
    effects = {effect.code: effect for effect in analyse_needs(data).training_effect}
    effect = effects["I0"]
    assert (effect.n_with, effect.n_without, effect.suppressed) == (6, 7, "")
    assert effect.mean_with == pytest.approx(yes_competence.mean())
    assert effect.mean_without == pytest.approx(no_competence.mean())
    assert effect.difference == pytest.approx(yes_competence.mean() - no_competence.mean())
    expected = hedges_g(
        np.array([yes_competence.mean()]),
        np.array([no_competence.mean()]),
        np.array([yes_competence.std(ddof=1)]),
        np.array([no_competence.std(ddof=1)]),
        np.array([6]),
        np.array([7]),
    )[0]
    assert effect.effect_size == pytest.approx(expected) and effect.effect_size > 0
    # No spread at all in I1: the difference is 0 and g cannot be computed.
    assert effects["I1"].difference == 0 and effects["I1"].effect_size is None


def test_training_effect_is_suppressed_when_a_group_is_small():
    prior = ("yes",) * 4 + ("no",) * 8
    data = _data(np.full((12, 1), 5.0), np.full((12, 1), 3.0), attributes={"prior_training": prior})
    (effect,) = analyse_needs(data).training_effect
    assert (effect.n_with, effect.n_without, effect.suppressed) == (4, 8, "small_cell")
    assert effect.mean_with is None and effect.difference is None and effect.effect_size is None
    lenient = analyse_needs(data, options=NeedsOptions(min_cell=4)).training_effect[0]
    assert lenient.suppressed == "" and lenient.difference == 0


def test_learning_profiles_list_own_largest_gaps_with_ties_by_importance_then_code():
    importance = [[5, 4, 5, 3, 2], [2, 2, 2, 2, np.nan]]
    competence = [[3, 2, 3, 1, 3], [3, 2, 1, 2, 1]]
    data = _data(importance, competence, codes=["E", "D", "C", "B", "A"])
    first, second = learning_profiles(data, top=3)
    # Respondent 0: D = 2 for E (I 5), D (I 4), C (I 5), B (I 3). By I: E and C (5), then D (4); E and C
    # tie on I too, so the code decides: C before E.
    assert first.respondent == "r0"
    assert [(g.code, g.discrepancy, g.importance) for g in first.gaps] == [
        ("C", 2, 5),
        ("E", 2, 5),
        ("D", 2, 4),
    ]
    assert first.gaps[0].competence == 3
    # Respondent 1: only C has D > 0 (A has no importance rating).
    assert [g.code for g in second.gaps] == ["C"]


def test_learning_profiles_for_chosen_respondents_and_bad_requests():
    data = _data([[5], [4], [3]], [[1], [1], [1]])
    assert [p.respondent for p in learning_profiles(data, respondents=["r2", "r0"])] == ["r0", "r2"]
    assert learning_profiles(data, top=10)[0].gaps[0].discrepancy == 4
    with pytest.raises(DomainError) as error:
        learning_profiles(data, respondents=["r0", "zz"])
    assert error.value.code == ErrorCode.NOT_FOUND
    assert error.value.problems[0].location == "zz"
    with pytest.raises(DomainError, match="at least one gap"):
        learning_profiles(data, top=0)
