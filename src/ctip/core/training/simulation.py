"""Fictional test answers for the demo and the benchmarks, generated with a fixed seed.

Each participant has an ability on a logit scale and each item a difficulty; the chance of a right answer
is the Rasch model's 1 / (1 + exp(−(ability − difficulty))). The post-test ability is the pre-test ability
plus a learning gain, so that pre and post scores are correlated as real ones are. A wrong answer picks
wrong options at random (for a multiple-response item: a set that is not the correct one). Nothing here
describes real people.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SimulatedItem:
    code: str
    options: tuple[str, ...]
    correct: tuple[str, ...]
    difficulty: float = 0.0


@dataclass(frozen=True)
class Learner:
    code: str
    ability: float
    """Logit ability at the pre-test."""
    gain: float
    """Added to the ability for the post-test."""


def learners(
    codes: Sequence[str], *, seed: int, mean_ability: float = -0.2, mean_gain: float = 1.0
) -> list[Learner]:
    """One learner per code, abilities ~ N(mean_ability, 1), gains ~ N(mean_gain, 0.5) (never below −0.3)."""
    generator = random.Random(seed)
    return [
        Learner(code, generator.gauss(mean_ability, 1.0), max(-0.3, generator.gauss(mean_gain, 0.5)))
        for code in codes
    ]


def item_difficulties(codes: Sequence[str], *, seed: int, spread: float = 1.0) -> dict[str, float]:
    """A difficulty per item code, ~ N(0, spread), reproducible for a seed."""
    generator = random.Random(seed)
    return {code: generator.gauss(0.0, spread) for code in codes}


def _wrong_response(item: SimulatedItem, generator: random.Random) -> list[str]:
    wrong = [key for key in item.options if key not in item.correct]
    if len(item.correct) == 1:
        return [generator.choice(wrong)] if wrong else []
    # A multiple-response item: miss one correct option, or add a wrong one.
    chosen = set(item.correct)
    if wrong and generator.random() < 0.5:
        chosen.add(generator.choice(wrong))
    else:
        chosen.discard(generator.choice(sorted(chosen)))
    return sorted(chosen) or ([generator.choice(wrong)] if wrong else [])


def answers(
    learner_list: Sequence[Learner],
    items: Sequence[SimulatedItem],
    *,
    post: bool,
    seed: int,
    skip_rate: float = 0.02,
) -> dict[str, dict[str, list[str]]]:
    """Each learner's responses (item code → option keys chosen; an item left blank is absent)."""
    generator = random.Random(seed)
    result: dict[str, dict[str, list[str]]] = {}
    for learner in learner_list:
        ability = learner.ability + (learner.gain if post else 0.0)
        responses: dict[str, list[str]] = {}
        for item in items:
            if generator.random() < skip_rate:
                continue
            chance = 1.0 / (1.0 + math.exp(-(ability - item.difficulty)))
            if generator.random() < chance:
                responses[item.code] = sorted(item.correct)
            else:
                responses[item.code] = _wrong_response(item, generator)
        result[learner.code] = responses
    return result


def likert(generator: random.Random, mean: float) -> int:
    """A 1–5 rating around ``mean``."""
    return min(5, max(1, round(generator.gauss(mean, 0.8))))


def pick(generator: random.Random, weights: Mapping[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    keys = list(weights)
    return generator.choices(keys, weights=[weights[key] for key in keys])[0]
