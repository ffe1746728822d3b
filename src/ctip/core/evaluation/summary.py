"""Descriptive numbers shared by the evaluation modules, and the JSON rule: a number that cannot be
computed (no data, a zero spread) is ``None`` and becomes ``null`` — never NaN or infinity."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

TIE_DECIMALS = 10
"""Differences are rounded to this many decimal places before ranking, so that floating-point noise
(``100·7/15 − 100·4/15``) does not break ties that the scores themselves have."""


def as_array(values: Sequence[float] | FloatArray) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def finite(value: float | np.floating | None) -> float | None:
    """``value`` as a plain float, or ``None`` when it is missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def mean(values: FloatArray) -> float | None:
    return float(values.mean()) if values.size else None


def sd(values: FloatArray) -> float | None:
    """The sample standard deviation (denominator n − 1); ``None`` below two values."""
    return float(values.std(ddof=1)) if values.size >= 2 else None


def for_ranking(values: FloatArray) -> FloatArray:
    return np.round(values, TIE_DECIMALS)
