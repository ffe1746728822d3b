"""Disaggregated needs and small-cell suppression, with property tests."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.core.errors import DomainError
from ctip.core.needs import analyse_needs
from ctip.core.needs.model import NOT_STATED, Item, NeedsData, NeedsOptions
from ctip.core.needs.suppression import SHOWN, suppress_cells, suppress_groups, table_lines
from ctip.core.tna.model import Text

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _data(importance, competence, **attributes) -> NeedsData:
    importance = np.asarray(importance, dtype=float)
    competence = np.asarray(competence, dtype=float)
    items = tuple(Item(f"I{j}", Text(f"I{j}"), "p") for j in range(importance.shape[1]))
    return NeedsData(
        items, tuple(f"r{i}" for i in range(importance.shape[0])), importance, competence, 5, attributes
    )


def _groups(analysis, index=0):
    return {group.values: group for group in analysis.disaggregations[index].groups}


def test_one_way_groups_have_their_own_needs_and_ranks():
    # Five women with a need on I0, five men with a need on I1, one respondent who did not say.
    importance = [[5, 3]] * 5 + [[3, 5]] * 5 + [[4, 4]]
    competence = [[2, 3]] * 5 + [[3, 1]] * 5 + [[4, 4]]
    sex = ("female",) * 5 + ("male",) * 5 + ("",)
    analysis = analyse_needs(
        _data(importance, competence, sex=sex), by=[("sex",)], options=NeedsOptions(min_cell=1)
    )
    groups = _groups(analysis)
    assert list(groups) == [("female",), ("male",), (NOT_STATED,)]
    women = {need.code: need for need in groups[("female",)].needs}
    assert groups[("female",)].n == 5 and groups[("female",)].suppressed == ""
    assert women["I0"].mean_discrepancy == pytest.approx(3.0) and women["I0"].mwds == pytest.approx(15.0)
    assert women["I0"].rank == 1 and women["I1"].rank == 2
    men = {need.code: need for need in groups[("male",)].needs}
    assert men["I1"].rank == 1 and men["I1"].mwds == pytest.approx(20.0) and men["I1"].share_with_need == 1.0
    assert [need.code for need in groups[("male",)].needs] == ["I0", "I1"]  # item order within a group
    assert analysis.disaggregations[0].by == ("sex",)
    assert "fewer than 1 respondents" in analysis.disaggregations[0].suppression_rule


def test_a_small_group_is_suppressed_with_its_complement_and_never_dropped():
    # Groups of 3, 6, 8 and 9: the group of 3 is a small cell; the next smallest (6) is hidden with it.
    sizes = {"A": 3, "B": 6, "C": 8, "D": 9}
    location = tuple(value for value, size in sizes.items() for _ in range(size))
    n = len(location)
    analysis = analyse_needs(
        _data(np.full((n, 2), 4), np.full((n, 2), 2), location=location), by=[("location",)]
    )
    groups = _groups(analysis)
    assert [values[0] for values in groups] == ["A", "B", "C", "D"]
    assert (groups[("A",)].suppressed, groups[("A",)].n) == ("small_cell", None)
    assert (groups[("B",)].suppressed, groups[("B",)].n) == ("complementary", None)
    assert all(
        need.mwds is None and need.n is None and need.suppressed == "small_cell"
        for need in groups[("A",)].needs
    )
    assert all(need.suppressed == "complementary" for need in groups[("B",)].needs)
    assert groups[("C",)].n == 8 and groups[("C",)].needs[0].mwds == pytest.approx(8.0)


def test_cells_of_an_item_rated_by_few_in_a_group_are_suppressed_per_item():
    # Both groups have 6 respondents, but only 2 in group A rated I1: that cell and (complementary) the
    # other group's I1 cell are hidden, while I0 is shown for both.
    importance = np.full((12, 2), 4.0)
    importance[2:6, 1] = np.nan
    group = ("A",) * 6 + ("B",) * 6
    analysis = analyse_needs(_data(importance, np.full((12, 2), 2), group=group), by=[("group",)])
    groups = _groups(analysis)
    a = {need.code: need for need in groups[("A",)].needs}
    b = {need.code: need for need in groups[("B",)].needs}
    assert groups[("A",)].suppressed == "" and groups[("A",)].n == 6
    assert a["I0"].n == 6 and b["I0"].n == 6
    assert a["I1"].suppressed == "small_cell" and a["I1"].mwds is None and a["I1"].rank is None
    assert b["I1"].suppressed == "complementary" and b["I1"].n is None
    assert a["I0"].rank == 1


def test_two_way_tables_combine_values_and_protect_rows_and_columns():
    cells = {
        ("female", "Port Louis"): 10,
        ("female", "Rodrigues"): 3,
        ("male", "Port Louis"): 12,
        ("male", "Rodrigues"): 7,
    }
    sex = tuple(s for (s, _), size in cells.items() for _ in range(size))
    location = tuple(place for (_, place), size in cells.items() for _ in range(size))
    n = len(sex)
    data = _data(np.full((n, 1), 3), np.full((n, 1), 2), sex=sex, location=location)
    analysis = analyse_needs(data, by=[("sex", "location"), ("sex",)])
    groups = _groups(analysis)
    assert list(groups) == list(cells)
    assert groups[("female", "Rodrigues")].suppressed == "small_cell"
    # Row "female" and column "Rodrigues" would each hold one hidden cell; each hides another.
    assert groups[("female", "Port Louis")].suppressed == "complementary"
    assert groups[("male", "Rodrigues")].suppressed == "complementary"
    # Then row "male" and column "Port Louis" hold one each: the last cell goes too.
    assert groups[("male", "Port Louis")].suppressed == "complementary"
    assert [group.values for group in analysis.disaggregations[1].groups] == [("female",), ("male",)]


def test_bad_disaggregations_are_refused():
    data = _data([[3]], [[2]], sex=("female",))
    with pytest.raises(DomainError, match="“region”"):
        analyse_needs(data, by=[("region",)])
    with pytest.raises(DomainError, match="pair of different attributes"):
        analyse_needs(data, by=[("sex", "sex")])
    with pytest.raises(DomainError, match="pair of different attributes"):
        analyse_needs(data, by=[()])


# --- Properties ---------------------------------------------------------------------------------------


def _violations(reasons: np.ndarray, is_cell: np.ndarray, lines) -> list:
    bad = []
    for line in lines:
        cells = is_cell[line]
        hidden = (reasons[line] != SHOWN) & cells
        for column in range(reasons.shape[1]):
            if cells[:, column].sum() >= 2 and hidden[:, column].sum() == 1:
                bad.append((line.tolist(), column))
    return bad


@PROPERTY
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.tuples(
                st.just((rows, columns)),
                st.lists(st.integers(0, 12), min_size=rows * columns, max_size=rows * columns),
                st.integers(1, 8),
            )
        )
    )
)
def test_suppression_never_leaves_one_hidden_cell_in_a_line(table):
    (rows, columns), sizes, min_cell = table
    coordinates = np.array([(r, c) for r in range(rows) for c in range(columns)])
    present = np.array(sizes) > 0
    coordinates, counts = coordinates[present], np.array(sizes)[present]
    if counts.size == 0:
        return
    for table_coordinates in (coordinates, coordinates[:, :1] * columns + coordinates[:, 1:]):
        lines = table_lines(table_coordinates)
        reasons = suppress_groups(counts, lines, min_cell)
        assert not _violations(reasons[:, None], np.ones((counts.size, 1), bool), lines)
        assert all(reasons[counts < min_cell] != SHOWN)
        items = np.stack([counts, counts // 2, np.zeros_like(counts)], axis=1)
        cell_reasons = suppress_cells(items, reasons, lines, min_cell)
        is_cell = (items > 0) | (cell_reasons != SHOWN)
        assert not _violations(cell_reasons, is_cell, lines)
        assert (cell_reasons[reasons != SHOWN] != SHOWN).all()


ratings = st.integers(2, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(st.integers(1, 4), min_size=3, max_size=3), min_size=n, max_size=n),
        st.lists(st.lists(st.integers(0, 4), min_size=3, max_size=3), min_size=n, max_size=n),
        st.lists(st.sampled_from(["a", "b", "c", ""]), min_size=n, max_size=n),
        st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n),
        st.randoms(use_true_random=False),
    )
)


def _random_data(importance, competence, first, second):
    competence = np.asarray(competence, dtype=float)
    competence[competence == 0] = np.nan  # some missing competence ratings
    return _data(importance, competence, first=tuple(first), second=tuple(second), organisation=tuple(first))


@PROPERTY
@given(ratings)
def test_results_do_not_depend_on_the_order_of_respondents(sample):
    importance, competence, first, second, random = sample
    by = [("first",), ("first", "second")]
    options = NeedsOptions(min_cell=2)
    analysis = analyse_needs(_random_data(importance, competence, first, second), by=by, options=options)
    order = list(range(len(first)))
    random.shuffle(order)
    shuffled = _random_data(
        [importance[i] for i in order],
        [competence[i] for i in order],
        [first[i] for i in order],
        [second[i] for i in order],
    )
    assert analyse_needs(shuffled, by=by, options=options) == analysis


@PROPERTY
@given(ratings)
def test_adding_a_constant_to_both_ratings_leaves_the_discrepancies_unchanged(sample):
    importance, competence, first, second, _ = sample
    shift = 1  # ratings are drawn from 1–4, so 2–5 stays on the scale
    competence = [[value if value else 1 for value in row] for row in competence]
    options = NeedsOptions(min_cell=2)
    before = analyse_needs(
        _random_data(importance, competence, first, second), by=[("first",)], options=options
    )
    after = analyse_needs(
        _random_data(np.add(importance, shift), np.add(competence, shift), first, second),
        by=[("first",)],
        options=options,
    )
    assert {n.code: n.mean_discrepancy for n in after.items} == pytest.approx(
        {n.code: n.mean_discrepancy for n in before.items}
    )
    assert {n.code: n.share_with_need for n in after.items} == {
        n.code: n.share_with_need for n in before.items
    }
    assert {n.code: n.test for n in after.items} == {n.code: n.test for n in before.items}
    for group_before, group_after in zip(
        before.disaggregations[0].groups, after.disaggregations[0].groups, strict=True
    ):
        assert [n.mean_discrepancy for n in group_after.needs] == pytest.approx(
            [n.mean_discrepancy for n in group_before.needs]
        )
        assert [n.suppressed for n in group_after.needs] == [n.suppressed for n in group_before.needs]
