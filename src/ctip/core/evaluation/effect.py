"""Standardised effect sizes of a pre/post change, as defined by Lakens (2013), "Calculating and reporting
effect sizes to facilitate cumulative science: a practical primer for t-tests and ANOVAs", Frontiers in
Psychology 4:863, doi:10.3389/fpsyg.2013.00863.

* d_z = d̄ / s_d — the mean change over the standard deviation of the changes (Lakens eq. 6); it is
  t/√n and says how consistently participants improved.
* d_av = d̄ / ((s_pre + s_post)/2) — the mean change over the average of the two standard deviations
  (Lakens eq. 10); comparable with a between-groups Cohen's d.
* Hedges' correction for small samples: g = d × J, J = 1 − 3/(4·df − 1) with df = n − 1 (Lakens eq. 4
  with the paired degrees of freedom). Labelled "g" (g_z, g_av) wherever it is shown.

pingouin's paired "Cohen d" divides by the root mean square of the two standard deviations, a third
definition that is not used here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EffectSizes:
    d_z: float | None
    d_av: float | None
    hedges_g_z: float | None = None
    hedges_g_av: float | None = None


def d_z(mean_change: float, sd_change: float | None) -> float | None:
    """Cohen's d_z = d̄ / s_d; ``None`` when s_d is zero or unknown."""
    if sd_change is None or sd_change <= 0:
        return None
    return mean_change / sd_change


def d_av(mean_change: float, sd_pre: float | None, sd_post: float | None) -> float | None:
    """Cohen's d_av = d̄ / ((s_pre + s_post)/2); ``None`` when both standard deviations are zero."""
    if sd_pre is None or sd_post is None or sd_pre + sd_post <= 0:
        return None
    return mean_change / ((sd_pre + sd_post) / 2.0)


def hedges_correction(df: float) -> float | None:
    """J = 1 − 3/(4·df − 1); ``None`` for df < 1."""
    if df < 1:
        return None
    return 1.0 - 3.0 / (4.0 * df - 1.0)


def paired_effect_sizes(
    *,
    mean_change: float,
    sd_change: float | None,
    sd_pre: float | None,
    sd_post: float | None,
    n: int,
    hedges: bool = False,
) -> EffectSizes:
    """d_z and d_av from summary statistics of ``n`` pairs, and with ``hedges`` their corrected g."""
    dz = d_z(mean_change, sd_change)
    dav = d_av(mean_change, sd_pre, sd_post)
    if not hedges:
        return EffectSizes(d_z=dz, d_av=dav)
    correction = hedges_correction(n - 1)
    return EffectSizes(
        d_z=dz,
        d_av=dav,
        hedges_g_z=None if dz is None or correction is None else dz * correction,
        hedges_g_av=None if dav is None or correction is None else dav * correction,
    )
