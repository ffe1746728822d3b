"""Normalised gains: how much of the possible improvement was achieved.

* **Hake's class-average normalised gain** ⟨g⟩ = (⟨post⟩ − ⟨pre⟩) / (max − ⟨pre⟩), from the class means
  (Hake 1998, "Interactive-engagement versus traditional methods", American Journal of Physics 66:64).
  On percentages max = 100. Undefined when the pre-test mean is already the maximum.
* **The average of individual gains** ḡ = mean of gᵢ = (postᵢ − preᵢ) / (max − preᵢ): a different number
  from ⟨g⟩ (it weighs every participant equally). gᵢ is undefined when preᵢ = max: those participants are
  left out and counted.
* **Hake's bands** of ⟨g⟩: low below 0.3, medium from 0.3 to 0.7, high above 0.7.
* **Marx & Cummings' normalised change** c (2007, "Normalized change", American Journal of Physics 75:87):
  cᵢ = (postᵢ − preᵢ)/(max − preᵢ) when post > pre, (postᵢ − preᵢ)/preᵢ when post < pre (a loss is measured
  against what could be lost), 0 when equal; participants with pre = post = 0 or pre = post = max are
  dropped (nothing could be measured). The mean of cᵢ is reported with the number used.

The functions take scores on any scale with its maximum (``top``); the results do not depend on the scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ctip.core.evaluation.summary import FloatArray

BAND_LOW_BELOW = 0.3
BAND_HIGH_ABOVE = 0.7


@dataclass(frozen=True)
class IndividualGains:
    mean: float | None
    n: int
    excluded: int
    """Participants left out because their pre-test score was already the maximum."""


@dataclass(frozen=True)
class NormalisedChange:
    mean: float | None
    n: int
    dropped: int
    """Participants left out because pre = post = 0 or pre = post = the maximum."""


def hake_class_gain(pre_mean: float, post_mean: float, top: float = 100.0) -> float | None:
    """⟨g⟩ = (⟨post⟩ − ⟨pre⟩) / (top − ⟨pre⟩); ``None`` when ⟨pre⟩ is the maximum."""
    if pre_mean >= top:
        return None
    return (post_mean - pre_mean) / (top - pre_mean)


def hake_band(gain: float | None) -> str | None:
    """``low`` (below 0.3, including losses), ``medium`` (0.3 to 0.7) or ``high`` (above 0.7)."""
    if gain is None:
        return None
    if gain < BAND_LOW_BELOW:
        return "low"
    if gain > BAND_HIGH_ABOVE:
        return "high"
    return "medium"


def individual_gains(pre: FloatArray, post: FloatArray, top: float = 100.0) -> IndividualGains:
    """The mean of gᵢ = (postᵢ − preᵢ) / (top − preᵢ) over participants with preᵢ below the maximum."""
    usable = pre < top
    excluded = int((~usable).sum())
    if not usable.any():
        return IndividualGains(mean=None, n=0, excluded=excluded)
    gains = (post[usable] - pre[usable]) / (top - pre[usable])
    return IndividualGains(mean=float(gains.mean()), n=int(usable.sum()), excluded=excluded)


def marx_cummings_change(pre: FloatArray, post: FloatArray, top: float = 100.0) -> NormalisedChange:
    """The mean of Marx & Cummings' cᵢ (see the module's description)."""
    dropped = ((pre == post) & ((pre == 0) | (pre == top))).astype(bool)
    kept_pre, kept_post = pre[~dropped], post[~dropped]
    if kept_pre.size == 0:
        return NormalisedChange(mean=None, n=0, dropped=int(dropped.sum()))
    change = kept_post - kept_pre
    gain_room = np.where(kept_pre < top, top - kept_pre, 1.0)
    loss_room = np.where(kept_pre > 0, kept_pre, 1.0)
    values = np.where(change > 0, change / gain_room, np.where(change < 0, change / loss_room, 0.0))
    return NormalisedChange(mean=float(values.mean()), n=int(kept_pre.size), dropped=int(dropped.sum()))
