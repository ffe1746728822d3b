"""The gap-analysis benchmark compares like with like: its pandas baseline and the fast path agree."""

from benchmarks.needs_analysis import BY, compare, generate, run_baseline, run_fast


def test_the_pandas_baseline_and_the_fast_path_agree_on_a_small_sample():
    data = generate(respondents=3000, items=12)

    analysis = run_fast(data)
    baseline = run_baseline(data)

    assert analysis.n_respondents == 3000
    assert [tuple(table.by) for table in analysis.disaggregations] == list(BY)
    # Per table up to 3 unsuppressed groups × 5 competencies × 4 statistics, each equal to 1e-9; then the
    # p-values (plain and Holm) of the top 5 competencies and alpha with its Feldt interval per scale.
    shown = [min(3, sum(1 for g in table.groups if not g.suppressed)) for table in analysis.disaggregations]
    assert min(shown) >= 2
    scales = len(analysis.reliability)
    assert scales == 8  # four pillars × two ratings
    assert compare(analysis, baseline) == sum(shown) * 5 * 4 + 5 * 2 + scales * 3
    # Suppressed groups exist (few respondents said "other") and are never compared.
    assert any(group.suppressed for table in analysis.disaggregations for group in table.groups)


def test_the_generated_data_are_the_same_for_the_same_seed():
    first, second = generate(respondents=500, items=6), generate(respondents=500, items=6)

    assert (first.importance.tobytes(), first.attributes) == (second.importance.tobytes(), second.attributes)
