"""Effect sizes (Lakens 2013) and normalised gains (Hake 1998; Marx & Cummings 2007) on published and
hand-computed cases."""

import numpy as np
import pytest

from ctip.core.evaluation import (
    d_av,
    d_z,
    hake_band,
    hake_class_gain,
    hedges_correction,
    individual_gains,
    marx_cummings_change,
    paired_effect_sizes,
)

# Lakens (2013), Frontiers in Psychology 4:863, Table 1: ratings of two movies by the same 10 people.
# These raw values reproduce every summary statistic the paper reports: Movie 1 mean 8.7 (SD 0.82),
# Movie 2 mean 7.7 (SD 0.95), mean difference 1.0 with SD 0.67; the paper reports d_z = 1.50 and
# d_av = 1.13.
MOVIE_1 = np.array([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], dtype=float)
MOVIE_2 = np.array([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], dtype=float)


def test_lakens_raw_data_reproduce_the_published_summary_and_effect_sizes():
    difference = MOVIE_1 - MOVIE_2
    assert (MOVIE_1.mean(), MOVIE_2.mean(), difference.mean()) == pytest.approx((8.7, 7.7, 1.0))
    assert MOVIE_1.std(ddof=1) == pytest.approx(0.82, abs=0.005)
    assert MOVIE_2.std(ddof=1) == pytest.approx(0.95, abs=0.005)
    assert difference.std(ddof=1) == pytest.approx(0.67, abs=0.005)
    effects = paired_effect_sizes(
        mean_change=difference.mean(),
        sd_change=difference.std(ddof=1),
        sd_pre=MOVIE_2.std(ddof=1),
        sd_post=MOVIE_1.std(ddof=1),
        n=10,
    )
    assert round(effects.d_z, 2) == 1.50
    assert round(effects.d_av, 2) == 1.13
    # Hand computation: d_z = 1 / sqrt(4/9) = 1.5 exactly; d_av = 1 / ((sqrt(6.1/9) + sqrt(8.1/9)) / 2).
    assert effects.d_z == pytest.approx(1.5)
    assert effects.d_av == pytest.approx(1 / ((np.sqrt(6.1 / 9) + np.sqrt(8.1 / 9)) / 2))
    assert effects.hedges_g_z is None and effects.hedges_g_av is None


def test_lakens_effect_sizes_from_the_papers_summary_statistics():
    assert d_z(1.0, 0.667) == pytest.approx(1.50, abs=0.005)
    assert d_av(1.0, 0.82, 0.95) == pytest.approx(1.13, abs=0.005)


def test_hedges_correction_is_labelled_and_optional():
    # J = 1 − 3 / (4·df − 1) with df = n − 1 = 9: 1 − 3/35.
    assert hedges_correction(9) == pytest.approx(1 - 3 / 35)
    assert hedges_correction(0) is None
    effects = paired_effect_sizes(
        mean_change=1.0, sd_change=2 / 3, sd_pre=0.8, sd_post=1.0, n=10, hedges=True
    )
    assert effects.hedges_g_z == pytest.approx(1.5 * (1 - 3 / 35))
    assert effects.hedges_g_av == pytest.approx(1 / 0.9 * (1 - 3 / 35))


def test_effect_sizes_are_none_when_there_is_no_spread():
    assert d_z(5.0, 0.0) is None and d_z(5.0, None) is None
    assert d_av(5.0, 0.0, 0.0) is None


def test_hake_class_gain_and_bands():
    # ⟨pre⟩ = 40, ⟨post⟩ = 70: (70 − 40) / (100 − 40) = 0.5, "medium".
    assert hake_class_gain(40.0, 70.0) == pytest.approx(0.5)
    assert hake_class_gain(100.0, 100.0) is None
    assert hake_class_gain(8.0, 14.0, top=20.0) == pytest.approx(0.5)  # the same on a 0–20 scale
    assert [hake_band(g) for g in (-0.2, 0.29, 0.3, 0.7, 0.71, None)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        None,
    ]


def test_individual_gains_exclude_a_full_pre_test_and_count_it():
    pre = np.array([50.0, 100.0, 80.0])
    post = np.array([75.0, 100.0, 60.0])
    gains = individual_gains(pre, post)
    # (75 − 50)/50 = 0.5 and (60 − 80)/20 = −1.0; the participant at 100 is left out.
    assert (gains.mean, gains.n, gains.excluded) == (pytest.approx(-0.25), 2, 1)
    # The class-average gain is a different number: (78.33 − 76.67) / (100 − 76.67) = 0.0714.
    assert hake_class_gain(pre.mean(), post.mean()) == pytest.approx((235 / 3 - 230 / 3) / (100 - 230 / 3))
    assert individual_gains(np.array([100.0]), np.array([90.0])).mean is None


def test_marx_cummings_change_handles_losses_zero_change_and_drops():
    pre = np.array([50.0, 100.0, 80.0, 40.0, 0.0, 20.0])
    post = np.array([75.0, 100.0, 60.0, 40.0, 0.0, 0.0])
    change = marx_cummings_change(pre, post)
    # c: gain (75 − 50)/(100 − 50) = 0.5; 100→100 dropped; loss (60 − 80)/80 = −0.25; unchanged 40 → 0;
    # 0→0 dropped; loss (0 − 20)/20 = −1. Mean of (0.5, −0.25, 0, −1) = −0.1875.
    assert (change.mean, change.n, change.dropped) == (pytest.approx(-0.1875), 4, 2)
    on_twenty = marx_cummings_change(pre / 5, post / 5, top=20.0)
    assert on_twenty.mean == pytest.approx(change.mean)
    assert marx_cummings_change(np.array([0.0, 100.0]), np.array([0.0, 100.0])).mean is None
