"""Run the benchmarks and write BENCHMARKS.md: ``python -m benchmarks.run --out BENCHMARKS.md`` (``make bench``).

Three benchmarks: the TNA gap analysis (:mod:`benchmarks.needs_analysis`), the import of a large
KoboToolbox export (:mod:`benchmarks.kobo_import`) and the capacity plan optimizer
(:mod:`benchmarks.planning`). ``--only planning`` rewrites the optimizer's section of an existing report
and keeps the others.

The machine is described in the report (CPU, cores, memory, Python and library versions, date), every
number is measured in the same run, and the import is compared with baselines read from the same file, so
that the ratios stay meaningful on another machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import kobo_import, nap_documents, nap_outline, needs_analysis, planning, trainings_load

LIBRARIES = ("numpy", "scipy", "pandas", "python-calamine", "openpyxl", "xlsxwriter", "Django")


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for library in LIBRARIES:
        try:
            versions.append(f"{library} {importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{library} (not installed)")
    return {
        "CPU": cpu,
        "Cores": f"{os.cpu_count()} ({usable} usable by this process)",
        "Memory": memory,
        "System": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Libraries": ", ".join(versions),
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # Other work on the machine slows every number (numpy's BLAS threads most): say how busy it was.
        "Load average at start": " / ".join(f"{value:.2f}" for value in os.getloadavg()) + " (1, 5, 15 min)",
    }


def _runs(what: str, path: Path, count: int) -> list[dict[str, Any]]:
    results = []
    for number in range(count):
        print(f"  {what} run {number + 1}/{count} …", file=sys.stderr, flush=True)
        results.append(kobo_import.measure(what, path))
    return results


def _median(results: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(result[key] for result in results))


def _seconds(value: float) -> str:
    return f"{value:.1f} s"


def _megabytes(value: float) -> str:
    return f"{value:,.0f} MB"


def kobo_benchmark(directory: Path, *, rows: int, repeats: int, slow_baselines: bool) -> dict[str, Any]:
    path = directory / "kobo_export.xlsx"
    print(f"Generating {rows:,} submissions into {path} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    writer = kobo_import.write_export(path, rows=rows)
    generated = time.perf_counter() - started
    with zipfile.ZipFile(path) as archive:
        expanded = sum(entry.file_size for entry in archive.infolist())
    report: dict[str, Any] = {
        "rows": rows,
        "writer": writer,
        "generation_seconds": generated,
        "file_mb": path.stat().st_size / 1024 / 1024,
        "expanded_mb": expanded / 1024 / 1024,
        "columns": len(kobo_import.main_header(kobo_import.build_benchmark_instrument())),
        "pipeline": _runs("pipeline", path, repeats),
        "calamine": _runs("calamine", path, repeats),
        "pipeline_tracemalloc": _runs("pipeline_tracemalloc", path, 1),
    }
    if slow_baselines:
        report["openpyxl"] = _runs("openpyxl", path, 1)
        report["read_table"] = _runs("read_table", path, 1)
    return report


def _verdict(seconds: float, megabytes: float) -> str:
    goal_seconds, goal_mb = kobo_import.GOAL_SECONDS, kobo_import.GOAL_MEGABYTES
    parts = []
    if seconds <= goal_seconds:
        parts.append(
            f"time **met** ({_seconds(seconds)} ≤ {goal_seconds:.0f} s, {goal_seconds / seconds:.1f}× headroom)"
        )
    else:
        parts.append(
            f"time **missed** by {_seconds(seconds - goal_seconds)} ({seconds / goal_seconds:.2f}× the goal)"
        )
    if megabytes <= goal_mb:
        parts.append(f"memory **met** ({_megabytes(megabytes)} ≤ {goal_mb:,.0f} MB)")
    else:
        parts.append(
            f"memory **missed** by {_megabytes(megabytes - goal_mb)} ({megabytes / goal_mb:.2f}× the goal)"
        )
    return "; ".join(parts)


def render(
    info: dict[str, str],
    report: dict[str, Any] | None,
    needs: dict[str, Any] | None,
    command: str,
    plans: list[dict[str, Any]] | None = None,
    loads: list[dict[str, Any]] | None = None,
    nap: dict[str, Any] | None = None,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`make bench`); every number below comes from that one run.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in info.items()),
        "",
    ]
    if needs is not None:
        lines += render_needs(needs)
    if report is not None:
        lines += render_kobo(report)
    if plans is not None:
        lines += planning.render(plans)
    if loads is not None:
        lines += trainings_load.render(loads)
    if nap is not None:
        lines += nap_documents.render(nap["documents"])
        lines += nap_outline.render(nap["outline"])
    lines += [
        "Run it again with `make bench` (`--quick` skips the two slow import baselines; `--rows` and `--runs` "
        "change the size and the number of import runs; `--only kobo`, `--only needs`, `--only planning`, `--only trainings` "
        "or `--only nap` runs one benchmark).",
        "",
    ]
    return "\n".join(lines)


def render_needs(needs: dict[str, Any]) -> list[str]:
    fast, baseline = needs["fast"], needs["baseline"]
    seconds = needs_analysis.median_seconds(fast)
    baseline_seconds = needs_analysis.median_seconds(baseline)
    ratio = baseline_seconds / seconds
    goal, goal_ratio = needs_analysis.GOAL_SECONDS, needs_analysis.GOAL_RATIO
    time_verdict = (
        f"time **met** ({seconds:.2f} s ≤ {goal:.1f} s)"
        if seconds <= goal
        else f"time **missed** ({seconds:.2f} s > {goal:.1f} s, {seconds / goal:.2f}× the goal)"
    )
    ratio_verdict = (
        f"speed-up **met** ({ratio:.0f}× ≥ {goal_ratio:.0f}×)"
        if ratio >= goal_ratio
        else f"speed-up **missed** ({ratio:.1f}× < {goal_ratio:.0f}×)"
    )
    by = ", ".join(" × ".join(names) for names in needs_analysis.BY)
    runs = ", ".join(f"{value:.2f}" for value in fast["seconds"])
    return [
        "## TNA gap analysis (`analyse_needs`)",
        "",
        f"**Goal:** {fast['respondents']:,} respondents × {fast['items']} competency pairs with "
        f"{len(needs_analysis.BY)} disaggregations and Feldt intervals in at most {goal:.1f} s, and at least "
        f"{goal_ratio:.0f}× faster than a straightforward pandas per-group loop, on this machine.",
        "",
        f"**Result:** {time_verdict}; {ratio_verdict}.",
        "",
        "**The data** (generated in memory with a fixed seed by `benchmarks/needs_analysis.py`, "
        f"{_seconds(fast['generation_seconds'])}): ratings 1–5, importance mostly 4–5, own competence lower, "
        "1 % missing, each respondent with a trait of their own (so the four scales, one per pillar, are "
        "reliable); sex (a few “other”, so some cells are small), 40 organisations of uneven size, "
        "10 locations, prior training, years of service in bands.",
        "",
        f"**What is timed:** `analyse_needs(data, by=[{by}])`: ranks and quadrants, Wilcoxon signed-rank "
        "tests with Holm adjustment, Cronbach's alpha with Feldt intervals, alpha-if-deleted and item–rest "
        "correlations per scale, the review flags, the disaggregated tables with small-cell and "
        "complementary suppression, the institutions and the prior-training effect; "
        f"{len(fast['seconds'])} runs in one fresh interpreter (median; runs: {runs} s). The baseline "
        "runs in another fresh interpreter; peak memory is the whole process (`ru_maxrss`), with the "
        "generated data in it.",
        "",
        "| Measurement | Time | Peak memory (RSS) | Notes |",
        "|---|---:|---:|---|",
        f"| **Gap analysis, fast path** | **{seconds:.2f} s** | **{_megabytes(fast['maxrss_mb'])}** | "
        f"{fast['groups']} groups, {fast['suppressed']} suppressed; {fast['scales']} reliability scales |",
        f"| — the same without the disaggregations | {fast['no_disaggregation_seconds']:.2f} s | | median of 3 |",
        f"| — the same with numpy's BLAS on one thread | "
        f"{needs_analysis.median_seconds(needs['fast_one_thread']):.2f} s | "
        f"{_megabytes(needs['fast_one_thread']['maxrss_mb'])} | `OPENBLAS_NUM_THREADS=1`, for comparison |",
        f"| Baseline: pandas, loop over groups and items | {baseline_seconds:.1f} s | "
        f"{_megabytes(baseline['maxrss_mb'])} | group means of I, C, D and MWDS "
        f"({baseline['baseline_values']:,} values), {baseline.get('baseline_tests', 0)} scipy Wilcoxon "
        f"tests with Holm, alpha and Feldt interval of {baseline.get('baseline_scales', 0)} scales "
        "(no suppression, no institutions, no training effect) |",
        "",
        f"Ratio (same data, same run): the fast path takes **1/{ratio:.0f}** of the baseline's time "
        f"(**{ratio:.0f}×** faster) while computing more. The data alone hold about "
        f"{_megabytes(fast['data_mb'] - fast['interpreter_mb'])} of each peak.",
        "",
        *_needs_profile(fast, baseline_seconds),
        f"**Checked:** the baseline and the fast path agree on {baseline['checked_values']} values: group "
        f"means and MWDS (the first {needs_analysis.CHECKED_ITEMS} competencies of the first unsuppressed "
        "groups of every table, to 1e-9), the Wilcoxon p-values before and after Holm's adjustment of the "
        "top competencies, and every scale's alpha and Feldt interval.",
        "",
    ]


def _needs_profile(fast: dict[str, Any], baseline_seconds: float) -> list[str]:
    """Where the fast path's time goes, and the like-for-like ratio of its per-group tables."""
    parts = [(name, seconds) for name, seconds in fast.get("profile", []) if seconds >= 0.005]
    if not parts:
        return []
    listed = ", ".join(f"`{name}` {seconds:.2f} s" for name, seconds in parts)
    lines = [
        f"**Where the time goes** (one more run under cProfile, {fast['profile_total']:.2f} s with the "
        f"profiler's overhead): {listed}.",
        "",
    ]
    tables = next((seconds for name, seconds in parts if name.endswith(".group_tables")), None)
    if tables:
        lines += [
            f"Like for like, the per-group tables alone (`group_tables`, which also builds the table by "
            f"organisation for the institutions) take {tables:.2f} s, while the baseline spends most of its "
            "time on the same tables' means.",
            "",
        ]
    return lines


def render_kobo(report: dict[str, Any]) -> list[str]:
    pipeline, calamine = report["pipeline"], report["calamine"]
    seconds = _median(pipeline, "seconds")
    peak = max(result["maxrss_mb"] for result in pipeline)
    read_seconds = _median(pipeline, "read_seconds")
    map_seconds = _median(pipeline, "map_seconds")
    calamine_seconds = _median(calamine, "seconds")
    calamine_peak = max(result["maxrss_mb"] for result in calamine)
    traced = report["pipeline_tracemalloc"][0]
    sample = pipeline[0]
    lines = [
        "## Importing a large KoboToolbox XLSX export",
        "",
        f"**Goal:** {report['rows']:,} submissions imported in at most {kobo_import.GOAL_SECONDS:.0f} s with at "
        f"most {kobo_import.GOAL_MEGABYTES:,.0f} MB of memory (peak resident set of the whole process).",
        "",
        f"**Result:** {_verdict(seconds, peak)}.",
        "",
        "**The file** (generated with a fixed seed into a temporary directory, not kept): "
        f"{report['rows']:,} submissions × {report['columns']} columns (48 competencies × 2 ratings, the "
        "profile, institutional and open questions of the default instrument, `meta/rootUuid` and the Kobo "
        f"metadata columns), plus a repeat sheet of {sample['repeat_rows']:,} rows; "
        f"{report['file_mb']:.1f} MB on disk, {report['expanded_mb']:.0f} MB of XML once unzipped; written "
        f"with {report['writer']} in {_seconds(report['generation_seconds'])}. About 1 rating in 2,000 rows "
        "is out of scale (so some rows are rejected) and 8 % of sex answers are empty (non-rejecting issues).",
        "",
        "**What is timed:** `read_survey_export` (bytes → `SurveyExport`) then `submissions_from_export` "
        "(→ `Submission` records and row issues), in a fresh interpreter per run so that the peak resident "
        f"memory (`ru_maxrss`) is the run's own; {len(pipeline)} runs, median time, highest peak.",
        "",
        "| Measurement | Time | Peak memory (RSS) | Notes |",
        "|---|---:|---:|---|",
        f"| **Import** (read + map) | **{_seconds(seconds)}** | **{_megabytes(peak)}** | "
        f"{sample['submissions']:,} submissions; rejected rows: {sample['rejected_rows']}; "
        f"issues: {sample['issues']:,} |",
        f"| — reading (`read_survey_export`) | {_seconds(read_seconds)} | | worksheet streamed in slices |",
        f"| — mapping (`submissions_from_export`) | {_seconds(map_seconds)} | | |",
        f"| Import under tracemalloc | {_seconds(traced['seconds'])} | {_megabytes(traced['maxrss_mb'])} | "
        f"peak of Python objects alone: {_megabytes(traced['python_peak_mb'])} |",
        f"| Baseline: python-calamine reads the main sheet whole | {_seconds(calamine_seconds)} | "
        f"{_megabytes(calamine_peak)} | `to_python()`, values only, nothing converted |",
    ]
    ratios = [
        f"- Import ÷ calamine raw read: **{seconds / calamine_seconds:.2f}×** the time, "
        f"**{peak / calamine_peak:.2f}×** the memory.",
    ]
    for name, label, note in (
        ("openpyxl", "Baseline: openpyxl read-only mode iterates every value", "values only"),
        (
            "read_table",
            "Reference: `ctip.formats.tabular.read_table` on the same file",
            "calamine whole sheet + openpyxl formula scan",
        ),
    ):
        if name in report:
            result = report[name][0]
            lines.append(
                f"| {label} | {_seconds(result['seconds'])} | {_megabytes(result['maxrss_mb'])} | {note} |"
            )
            ratios.append(
                f"- Import ÷ {name}: **{seconds / result['seconds']:.2f}×** the time, "
                f"**{peak / result['maxrss_mb']:.2f}×** the memory."
            )
    lines += [
        "",
        "Ratios (same file, same run):",
        "",
        *ratios,
        "",
        f"The interpreter itself (before the file is read) accounts for about "
        f"{_megabytes(sample['interpreter_mb'])} of each peak.",
        "",
        "### Why it is built this way",
        "",
        "- python-calamine is the fastest reader available, but it holds the whole worksheet in memory while "
        "it reads: on this file its peak alone is the baseline row above. The survey reader therefore streams "
        "the worksheet XML out of the archive and has calamine read it in slices of about 16 MB of XML (cut "
        "between rows, each wrapped in a small workbook with the original styles and shared strings), which "
        "bounds calamine's memory whatever the number of rows.",
        "- `read_table` (the generic upload reader) also scans every cell with openpyxl to refuse formulas; "
        "on a file this size that scan dominates. The survey reader finds formulas by looking for `<f>` "
        "elements in the slices instead, so XLSX exports do not go through `read_table` (CSV files and the "
        "CSV files of an ODK zip still do).",
        "- Rows are kept as one tuple of cells each, sharing the column index (not one dict per row), "
        "repeated ratings are parsed once, and identical `Rating` values are shared.",
    ]
    if report["file_mb"] > 20:
        lines.append(
            "- The default upload limit (`CTIP_MAX_UPLOAD_MB` = 20) is smaller than this "
            f"{report['file_mb']:.0f} MB file: a deployment expecting exports this large must raise it (the "
            f"benchmark passes {kobo_import.MAX_BYTES // 1024 // 1024} MB)."
        )
    lines.append("")
    return lines


def needs_benchmark(*, respondents: int) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for what in ("fast", "baseline"):
        print(f"  needs analysis: {what} …", file=sys.stderr, flush=True)
        report[what] = needs_analysis.measure(what, respondents=respondents)
    print("  needs analysis: fast, one BLAS thread …", file=sys.stderr, flush=True)
    report["fast_one_thread"] = needs_analysis.measure("fast", respondents=respondents, blas_threads=1)
    return report


PLANNING_HEADING = "## Capacity plan optimizer"
RUN_AGAIN = "Run it again with `make bench`"


def splice_section(text: str, section: str, heading: str = PLANNING_HEADING) -> str:
    """``text`` (a report) with its section that starts with ``heading`` replaced by ``section`` (or added
    before the closing paragraph); the other sections stay as they are."""
    start = text.find(heading)
    if start >= 0:
        following = [
            index for index in (text.find("\n## ", start + 1), text.find(RUN_AGAIN, start)) if index >= 0
        ]
        end = (
            min(following) + (1 if following and text[min(following)] == "\n" else 0)
            if following
            else len(text)
        )
        return text[:start] + section.rstrip("\n") + "\n\n" + text[end:]
    closing = text.find(RUN_AGAIN)
    if closing < 0:
        return text.rstrip("\n") + "\n\n" + section
    return text[:closing] + section.rstrip("\n") + "\n\n" + text[closing:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks and write the report.")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--rows", type=int, default=kobo_import.ROWS)
    parser.add_argument("--runs", type=int, default=3, help="runs of the import and of the calamine baseline")
    parser.add_argument(
        "--quick", action="store_true", help="skip the slow openpyxl and read_table baselines"
    )
    parser.add_argument(
        "--respondents", type=int, default=needs_analysis.RESPONDENTS, help="respondents of the gap analysis"
    )
    parser.add_argument(
        "--only", choices=["kobo", "needs", "planning", "trainings", "nap"], help="run one benchmark only"
    )
    arguments = parser.parse_args(argv)
    info = machine()
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    if arguments.only == "planning" and arguments.out.exists():
        # Rewrite the optimizer's section only; the other sections keep their own run's figures.
        section = "\n".join(planning.render([planning.measure(preset) for preset in planning.GOALS]))
        arguments.out.write_text(
            splice_section(arguments.out.read_text(encoding="utf-8"), section), encoding="utf-8"
        )
        print(f"Wrote {arguments.out}", file=sys.stderr)
        return 0
    if arguments.only == "nap" and arguments.out.exists():
        text = arguments.out.read_text(encoding="utf-8")
        text = splice_section(
            text, "\n".join(nap_documents.render(nap_documents.run())), nap_documents.HEADING
        )
        text = splice_section(text, "\n".join(nap_outline.render(nap_outline.run())), nap_outline.HEADING)
        arguments.out.write_text(text, encoding="utf-8")
        print(f"Wrote {arguments.out}", file=sys.stderr)
        return 0
    if arguments.only == "trainings" and arguments.out.exists():
        section = "\n".join(trainings_load.render(trainings_load.run_all()))
        arguments.out.write_text(
            splice_section(arguments.out.read_text(encoding="utf-8"), section, trainings_load.HEADING),
            encoding="utf-8",
        )
        print(f"Wrote {arguments.out}", file=sys.stderr)
        return 0
    needs = (
        None
        if arguments.only in ("kobo", "planning", "trainings")
        else needs_benchmark(respondents=arguments.respondents)
    )
    plans = None
    if arguments.only in (None, "planning"):
        plans = [planning.measure(preset) for preset in planning.GOALS]
    loads = None
    if arguments.only in (None, "trainings"):
        loads = trainings_load.run_all()
    nap = (
        {"documents": nap_documents.run(), "outline": nap_outline.run()}
        if arguments.only in (None, "nap")
        else None
    )
    report = None
    if arguments.only is None or arguments.only == "kobo":
        with tempfile.TemporaryDirectory(prefix="ctip-bench-") as directory:
            report = kobo_benchmark(
                Path(directory),
                rows=arguments.rows,
                repeats=arguments.runs,
                slow_baselines=not arguments.quick,
            )
    arguments.out.write_text(
        render(info, report, needs, command.strip(), plans, loads, nap), encoding="utf-8"
    )
    print(f"Wrote {arguments.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
