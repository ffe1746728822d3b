"""Scoring a test: an answer is right only when the options chosen are exactly the correct ones (for a
multiple-response item, every correct option and no other); an item not answered counts as wrong. This is
the "all or nothing" rule, stated in every output that shows a score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SCORING_RULE = (
    "all-or-nothing: an item is right when exactly the correct options are chosen; unanswered is wrong"
)


def is_correct(correct: Iterable[str], response: Iterable[str] | None) -> bool:
    """Whether ``response`` (the option keys chosen) is exactly the set of ``correct`` keys."""
    if response is None:
        return False
    chosen = {str(key) for key in response}
    return bool(chosen) and chosen == {str(key) for key in correct}


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    answered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


def score(key: Mapping[str, Sequence[str]], responses: Mapping[str, Sequence[str]]) -> Score:
    """The score of one attempt: ``key`` maps each item code of the form to its correct option keys,
    ``responses`` the item codes answered to the keys chosen (items outside the form are ignored)."""
    correct = sum(1 for code, keys in key.items() if is_correct(keys, responses.get(code)))
    answered = sum(1 for code in key if responses.get(code))
    return Score(correct=correct, total=len(key), answered=answered)


def item_results(key: Mapping[str, Sequence[str]], responses: Mapping[str, Sequence[str]]) -> dict[str, bool]:
    """Right (``True``) or wrong for every item of the form, for item analysis."""
    return {code: is_correct(keys, responses.get(code)) for code, keys in key.items()}
