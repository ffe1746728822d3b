"""Benchmark: the TNA gap analysis of 100,000 respondents × 150 competencies with 6 disaggregations.

The ratings are generated with a fixed seed (never written to disk): importance mostly 4–5, own competence
lower (and a little higher for respondents trained before), each respondent with a trait of their own so
that the scales are reliable, 1 % of ratings missing. Respondents carry sex (a few “other”, so some cells
are small and suppressed), organisation (40, of uneven size), location (10), prior training and years of
service (banded).

What is compared, each in a fresh interpreter (``python -m benchmarks.needs_analysis measure <what>``) so
that the peak resident memory is its own:

- ``fast``: :func:`ctip.core.needs.analyse_needs` with the disaggregations by sex, organisation, location,
  prior training, years of service and sex × location — everything it computes (ranks, quadrants,
  Wilcoxon tests and adjustment, Cronbach's alpha with Feldt intervals and item statistics per scale,
  suppression, institutions, training effect), timed over several runs; and once without the
  disaggregations, to show what they cost;
- ``baseline``: a straightforward pandas loop — for each disaggregation, for each group, for each
  competency, the means of importance, competence and discrepancy and the MWDS with ``Series.mean()`` —
  producing only those per-group statistics (so it does less than the fast path). The same process then
  runs the fast path once and checks that the numbers agree.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ctip.core.needs.model import NOT_STATED, Item, NeedsAnalysis, NeedsData
from ctip.core.tna.model import Text

SEED = 20261124
RESPONDENTS = 100_000
ITEMS = 150
GOAL_SECONDS = 1.5
GOAL_RATIO = 20.0
BY: tuple[tuple[str, ...], ...] = (
    ("sex",),
    ("organisation",),
    ("location",),
    ("prior_training",),
    ("years_of_service",),
    ("sex", "location"),
)
PILLARS = ("prevention", "protection", "prosecution", "partnership")
MISSING_SHARE = 0.01
FAST_RUNS = 5
CHECKED_ITEMS = 5


def generate(respondents: int = RESPONDENTS, items: int = ITEMS, seed: int = SEED) -> NeedsData:
    """The benchmark's ratings and respondent attributes (same numbers for the same arguments)."""
    rng = np.random.default_rng(seed)
    n = respondents
    codes = [f"C{number:03d}" for number in range(items)]
    item_list = tuple(
        Item(
            code=code,
            title=Text(f"Competency {number}", f"Compétence {number}"),
            group=PILLARS[number * len(PILLARS) // items],
            level="foundational" if number % 3 == 0 else "specialised",
        )
        for number, code in enumerate(codes)
    )
    trained = rng.choice(np.array(["yes", "no", ""]), size=n, p=[0.40, 0.57, 0.03])
    importance_trait = rng.normal(0.0, 0.5, size=(n, 1))
    competence_trait = rng.normal(0.0, 0.6, size=(n, 1)) + 0.3 * (trained == "yes")[:, None]
    importance = 4.3 + importance_trait + rng.uniform(-0.3, 0.4, size=items) + rng.normal(0, 0.6, (n, items))
    competence = 3.0 + competence_trait + rng.uniform(-0.6, 0.3, size=items) + rng.normal(0, 0.8, (n, items))
    importance = np.clip(np.rint(importance), 1, 5)
    competence = np.clip(np.rint(competence), 1, 5)
    importance[rng.random((n, items)) < MISSING_SHARE] = np.nan
    competence[rng.random((n, items)) < MISSING_SHARE] = np.nan

    organisation_weights = 1.0 / np.arange(1, 41) ** 0.8
    location_weights = np.array([30, 15, 12, 10, 8, 7, 6, 5, 4, 3], dtype=float)
    attributes = {
        "sex": rng.choice(
            np.array(["female", "male", "other", "not_stated", ""]),
            size=n,
            p=[0.46, 0.5, 0.0003, 0.0297, 0.01],
        ),
        "organisation": rng.choice(
            np.array([f"org_{number:02d}" for number in range(40)]),
            size=n,
            p=organisation_weights / organisation_weights.sum(),
        ),
        "location": rng.choice(
            np.array([f"district_{number}" for number in range(10)]),
            size=n,
            p=location_weights / location_weights.sum(),
        ),
        "prior_training": trained,
        "years_of_service": rng.choice(
            np.array(["0–4", "5–9", "10–19", "20+", ""]), size=n, p=[0.25, 0.25, 0.3, 0.18, 0.02]
        ),
    }
    return NeedsData(
        items=item_list,
        respondents=tuple(f"r{number:06d}" for number in range(n)),
        importance=importance,
        competence=competence,
        scale_max=5,
        attributes={name: tuple(values.tolist()) for name, values in attributes.items()},
    )


def run_fast(data: NeedsData, by: Sequence[Sequence[str]] = BY) -> NeedsAnalysis:
    from ctip.core.needs import analyse_needs

    return analyse_needs(data, by=[list(names) for names in by])


GroupStats = tuple[int, float, float, float, float]  # n, mean I, mean C, mean D, MWDS


def run_baseline(data: NeedsData, by: Sequence[Sequence[str]] = BY) -> dict[tuple[Any, ...], GroupStats]:
    """The straightforward way: a DataFrame, ``groupby`` per disaggregation, a loop over groups and items,
    ``Series.mean()`` for every statistic. Keys: (attributes, group values, item code)."""
    import pandas as pd

    codes = [item.code for item in data.items]
    columns: dict[str, Any] = {}
    for index, code in enumerate(codes):
        columns[f"imp_{code}"] = data.importance[:, index]
        columns[f"comp_{code}"] = data.competence[:, index]
    for name, values in data.attributes.items():
        columns[name] = [value or NOT_STATED for value in values]
    frame = pd.DataFrame(columns)
    results: dict[tuple[Any, ...], GroupStats] = {}
    for names in by:
        for values, group in frame.groupby(list(names), sort=True):
            key = values if isinstance(values, tuple) else (values,)
            for code in codes:
                importance, competence = group[f"imp_{code}"], group[f"comp_{code}"]
                both = importance.notna() & competence.notna()
                importance, competence = importance[both], competence[both]
                mean_importance = importance.mean()
                mean_competence = competence.mean()
                mean_discrepancy = (importance - competence).mean()
                results[(tuple(names), tuple(str(v) for v in key), code)] = (
                    int(both.sum()),
                    float(mean_importance),
                    float(mean_competence),
                    float(mean_discrepancy),
                    float(mean_importance * mean_discrepancy),
                )
    results.update(_baseline_tests_and_reliability(frame, data))
    return results


def _baseline_tests_and_reliability(frame: Any, data: NeedsData) -> dict[tuple[Any, ...], Any]:
    """The rest of the analysis, the straightforward way: per item a scipy Wilcoxon signed-rank test (the
    same method as the fast path) and a Holm loop; per pillar and rating Cronbach's alpha from pandas
    variances of the complete rows, with its Feldt interval. Keys: ("test", code) → (p, p Holm) and
    ("alpha", pillar, rating) → (alpha, low, high)."""
    from scipy import stats

    out: dict[tuple[Any, ...], Any] = {}
    p_values: dict[str, float] = {}
    for item in data.items:
        differences = (frame[f"imp_{item.code}"] - frame[f"comp_{item.code}"]).dropna()
        differences = differences[differences != 0]
        result = stats.wilcoxon(differences, zero_method="wilcox", correction=False, method="approx")
        p_values[item.code] = float(result.pvalue)
    ordered = sorted(p_values, key=lambda code: p_values[code])
    running = 0.0
    for position, code in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - position) * p_values[code]))
        out[("test", code)] = (p_values[code], running)
    for pillar in sorted({item.group for item in data.items}):
        codes = [item.code for item in data.items if item.group == pillar]
        for rating, prefix in (("importance", "imp_"), ("competence", "comp_")):
            scale = frame[[prefix + code for code in codes]].dropna()
            n, k = len(scale), len(codes)
            alpha = k / (k - 1) * (1 - scale.var(ddof=1).sum() / scale.sum(axis=1).var(ddof=1))
            low = 1 - (1 - alpha) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
            high = 1 - (1 - alpha) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
            out[("alpha", pillar, rating)] = (float(alpha), float(low), float(high))
    return out


def compare(analysis: NeedsAnalysis, baseline: Mapping[tuple[Any, ...], GroupStats]) -> int:
    """Check the fast path's group statistics against the baseline's for the first groups of every
    disaggregation that are not suppressed (the first :data:`CHECKED_ITEMS` items of each); the number
    of values compared. Raises AssertionError on a difference."""
    compared = 0
    for table in analysis.disaggregations:
        shown = [group for group in table.groups if not group.suppressed][:3]
        assert shown, f"every group of {table.by} is suppressed"
        for group in shown:
            for need in group.needs[:CHECKED_ITEMS]:
                expected = baseline[(tuple(table.by), tuple(group.values), need.code)]
                found = (
                    need.n,
                    need.mean_importance,
                    need.mean_competence,
                    need.mean_discrepancy,
                    need.mwds,
                )
                assert found[0] == expected[0], (table.by, group.values, need.code, found, expected)
                for value, reference in zip(found[1:], expected[1:], strict=True):
                    assert value is not None and math.isclose(
                        value, reference, rel_tol=1e-9, abs_tol=1e-12
                    ), (
                        table.by,
                        group.values,
                        need.code,
                        found,
                        expected,
                    )
                    compared += 1
    for need in analysis.items[:CHECKED_ITEMS]:
        p_value, p_holm = baseline[("test", need.code)]
        assert need.test.p_value is not None and need.test.p_adjusted is not None
        assert math.isclose(need.test.p_value, p_value, rel_tol=1e-6, abs_tol=1e-300), (need.code, p_value)
        assert math.isclose(need.test.p_adjusted, p_holm, rel_tol=1e-6, abs_tol=1e-300), (need.code, p_holm)
        compared += 2
    for scale in analysis.reliability:
        alpha, low, high = baseline[("alpha", scale.group, scale.rating)]
        assert scale.alpha is not None and scale.ci is not None
        for value, reference in ((scale.alpha, alpha), (scale.ci[0], low), (scale.ci[1], high)):
            assert math.isclose(value, reference, rel_tol=1e-9, abs_tol=1e-12), (scale.group, scale.rating)
            compared += 1
    return compared


def profile_parts(data: NeedsData) -> tuple[float, list[tuple[str, float]]]:
    """One run under cProfile: its total and the cumulative time of each function that
    ``analyse_needs`` calls directly (module.function, seconds; largest first; profiling adds overhead)."""
    import cProfile
    import pstats
    from pathlib import Path

    profiler = cProfile.Profile()
    profiler.enable()
    run_fast(data)
    profiler.disable()
    total = 0.0
    parts: list[tuple[str, float]] = []
    for (file, _line, name), (*_counts, cumulative, callers) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        if name == "analyse_needs":
            total = cumulative
        elif any(caller[2] == "analyse_needs" for caller in callers):
            parts.append((f"{Path(file).stem}.{name}", cumulative))
    return total, sorted(parts, key=lambda part: -part[1])


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_here(what: str, respondents: int, items: int) -> dict[str, Any]:
    """One measurement in this interpreter (call it in a fresh one: see :func:`measure`)."""
    interpreter_mb = _rss_mb()
    started = time.perf_counter()
    data = generate(respondents, items)
    generation = time.perf_counter() - started
    gc.collect()
    result: dict[str, Any] = {
        "respondents": respondents,
        "items": items,
        "generation_seconds": generation,
        "interpreter_mb": interpreter_mb,
        "data_mb": _rss_mb(),
    }
    if what == "fast":
        seconds = []
        analysis = None
        for _run in range(FAST_RUNS):
            started = time.perf_counter()
            analysis = run_fast(data)
            seconds.append(time.perf_counter() - started)
        assert analysis is not None
        result["seconds"] = seconds
        result["maxrss_mb"] = _rss_mb()
        alone = []
        for _run in range(3):
            started = time.perf_counter()
            run_fast(data, by=())
            alone.append(time.perf_counter() - started)
        result["no_disaggregation_seconds"] = statistics.median(alone)
        result["profile_total"], result["profile"] = profile_parts(data)
        result["groups"] = sum(len(table.groups) for table in analysis.disaggregations)
        result["suppressed"] = sum(1 for t in analysis.disaggregations for g in t.groups if g.suppressed)
        result["n_respondents"] = analysis.n_respondents
        result["scales"] = len(analysis.reliability)
    else:
        started = time.perf_counter()
        baseline = run_baseline(data)
        result["seconds"] = [time.perf_counter() - started]
        result["maxrss_mb"] = _rss_mb()
        result["baseline_values"] = sum(4 for key in baseline if key[0] not in ("test", "alpha"))
        result["baseline_tests"] = sum(1 for key in baseline if key[0] == "test")
        result["baseline_scales"] = sum(1 for key in baseline if key[0] == "alpha")
        result["checked_values"] = compare(run_fast(data), baseline)
    return result


def measure(
    what: str, *, respondents: int = RESPONDENTS, items: int = ITEMS, blas_threads: int | None = None
) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its numbers (``blas_threads``: limit numpy's
    BLAS to that many threads, as ``OPENBLAS_NUM_THREADS`` does; None leaves numpy's default)."""
    env = dict(os.environ)
    if blas_threads is not None:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(blas_threads)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.needs_analysis",
            "measure",
            what,
            "--respondents",
            str(respondents),
            "--items",
            str(items),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def median_seconds(result: Mapping[str, Any]) -> float:
    return float(statistics.median(result["seconds"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("measure", help="measure one thing in this interpreter (prints JSON)")
    run.add_argument("what", choices=["fast", "baseline"])
    run.add_argument("--respondents", type=int, default=RESPONDENTS)
    run.add_argument("--items", type=int, default=ITEMS)
    profile = commands.add_parser("profile", help="profile the fast path (cProfile, top functions)")
    profile.add_argument("--respondents", type=int, default=RESPONDENTS)
    profile.add_argument("--items", type=int, default=ITEMS)
    arguments = parser.parse_args(argv)
    if arguments.command == "profile":
        import cProfile
        import pstats

        data = generate(arguments.respondents, arguments.items)
        run_fast(data)  # warm up
        profiler = cProfile.Profile()
        profiler.enable()
        run_fast(data)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0
    print(json.dumps(measure_here(arguments.what, arguments.respondents, arguments.items)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
