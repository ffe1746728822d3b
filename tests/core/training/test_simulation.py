"""The demo's fictional answers: reproducible, the post-test better than the pre-test on average, and
every response a set of the item's own options."""

from __future__ import annotations

from ctip.core.training import simulation
from ctip.core.training.scoring import score

ITEMS = [
    simulation.SimulatedItem(f"Q{number}", ("a", "b", "c", "d"), ("b",), difficulty)
    for number, difficulty in enumerate([-1.0, -0.5, 0.0, 0.5, 1.0, 0.2, -0.2, 0.8])
] + [simulation.SimulatedItem("QM", ("a", "b", "c", "d"), ("a", "c"), 0.0)]
KEY = {item.code: list(item.correct) for item in ITEMS}


def _mean_percent(responses):
    scores = [score(KEY, answered).percent for answered in responses.values()]
    return sum(scores) / len(scores)


def test_the_same_seed_gives_the_same_answers_and_another_seed_others():
    people = simulation.learners([f"P{n:03d}" for n in range(30)], seed=7)
    first = simulation.answers(people, ITEMS, post=False, seed=11)
    assert first == simulation.answers(people, ITEMS, post=False, seed=11)
    assert first != simulation.answers(people, ITEMS, post=False, seed=12)


def test_the_post_test_is_better_on_average_and_responses_use_the_items_options():
    people = simulation.learners([f"P{n:03d}" for n in range(200)], seed=3, mean_gain=1.2)
    pre = simulation.answers(people, ITEMS, post=False, seed=1)
    post = simulation.answers(people, ITEMS, post=True, seed=2)
    assert _mean_percent(post) - _mean_percent(pre) > 10
    for responses in (pre, post):
        for answered in responses.values():
            for code, keys in answered.items():
                item = next(item for item in ITEMS if item.code == code)
                assert keys and set(keys) <= set(item.options)
                if set(keys) != set(item.correct):
                    assert keys != sorted(item.correct)


def test_a_wrong_multiple_response_is_never_the_correct_set():
    people = simulation.learners([f"P{n}" for n in range(50)], seed=1, mean_ability=-8)
    responses = simulation.answers(people, [ITEMS[-1]], post=False, seed=5, skip_rate=0)
    assert len(responses) == 50
    assert all(set(answered["QM"]) != {"a", "c"} for answered in responses.values())
