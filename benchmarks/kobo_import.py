"""Benchmark: import a large KoboToolbox XLSX export (100,000 submissions × 124 columns).

The export is generated with a fixed seed into a temporary directory (never committed): XML names as
headers with ``/`` group paths, 48 competencies × 2 ratings (text ``"1"``–``"5"``, as KoboToolbox writes
select_one answers, a few missing), the profile block, a select_multiple, an open question, the metadata
columns and a ``prior_trainings`` repeat sheet. It is written with XlsxWriter's ``constant_memory`` mode
(inline strings, as KoboToolbox's XlsxWriter-based exports are) when XlsxWriter is installed (it comes with
python-pptx), else with openpyxl's write-only mode.

Every measurement runs in a fresh interpreter (``python -m benchmarks.kobo_import measure <what> <file>``)
so that its peak resident memory (``ru_maxrss``) is its own:

- ``pipeline``: :func:`read_survey_export` then :func:`submissions_from_export` (the import being judged);
- ``pipeline_tracemalloc``: the same under :mod:`tracemalloc` (peak of Python objects only; slower);
- ``calamine``: python-calamine reading the main sheet whole (``to_python``), the fastest raw read there is;
- ``openpyxl``: openpyxl read-only mode iterating every value;
- ``read_table``: :func:`ctip.formats.tabular.read_table` on the same file (calamine plus openpyxl's formula
  scan), the generic reader that the survey import does not use for XLSX.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Instrument, Question, Text, competence_field, importance_field

SEED = 20260302
ROWS = 100_000
MAX_BYTES = 256 * 1024 * 1024
"""The upload limit passed to the reader (the deployment default, CTIP_MAX_UPLOAD_MB=20, is smaller than
this file: a project this size needs a higher limit)."""
GOAL_SECONDS = 20.0
GOAL_MEGABYTES = 1024.0
MAIN_SHEET = "Counter-trafficking TNA 2026"
REPEAT_SHEET = "prior_trainings"
ORGANISATIONS = tuple((f"org_{number:02d}", f"Organisation {number:02d}") for number in range(40))

_PROVIDERS = ("IOM", "UNODC", "Ministry of Gender Equality", "ODPP", "Police Training School")
_TOPICS = ("identification", "referral", "investigation", "prosecution")
_ROLES = (
    "Inspector",
    "Social worker",
    "State prosecutor",
    "Labour inspector",
    "Case manager",
    "Border officer",
)
_COMMENTS = (
    "More practice with case files, please.",
    "Formation en créole serait utile ; merci.",
    'Inspectors need a checklist; "passport retention" is common.',
)
_KOBO_METADATA = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_status",
    "_submitted_by",
    "__version__",
    "_index",
)


def build_benchmark_instrument() -> Instrument:
    """The instrument the generated export answers: the default framework (48 competencies), 1–5 scale."""
    return build_instrument(
        competencies=default_framework(),
        title=Text("Counter-trafficking TNA 2026", "ENF traite 2026"),
        form_id="ctip_tna_benchmark",
        version="2026030201",
        current_year=2026,
        organisations=ORGANISATIONS,
        locations=("Port Louis", "Curepipe", "Rodrigues"),
    )


def _group(question: Question, instrument: Instrument) -> str:
    if question in instrument.profile_questions:
        return "profile"
    if question in instrument.institutional_questions:
        return "institutional"
    return "open"


def main_header(instrument: Instrument) -> list[str]:
    """Kobo "XML values and headers" with groups: ``profile/sex``, ``ratings_protection/imp_FD01``, …"""
    header = ["consent"]
    questions = [
        *instrument.profile_questions,
        *instrument.institutional_questions,
        *instrument.open_questions,
    ]
    header += [
        f"{_group(question, instrument)}/{question.name}"
        for question in questions[: len(instrument.profile_questions)]
    ]
    for competency in instrument.competencies:
        group = f"ratings_{competency.pillar}"
        header += [
            f"{group}/{importance_field(competency.code)}",
            f"{group}/{competence_field(competency.code)}",
        ]
    header += [
        f"{_group(question, instrument)}/{question.name}"
        for question in questions[len(instrument.profile_questions) :]
    ]
    header += ["meta/rootUuid", *_KOBO_METADATA]
    return header


REPEAT_HEADER = [
    "prior_trainings/year",
    "prior_trainings/topic",
    "prior_trainings/provider",
    "_index",
    "_parent_table_name",
    "_parent_index",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
]


def _answer(question: Question, rng: random.Random) -> str:
    if question.choices:
        if question.name == "sex" and rng.random() < 0.08:
            return ""  # not answered: imported as "not stated", with a (non-rejecting) issue
        return rng.choice(question.choices).name
    if question.kind == "integer":
        return (
            str(rng.randint(0, 40)) if question.name == "years_of_service" else str(rng.randint(2015, 2025))
        )
    if question.name == "role_rank":
        return rng.choice(_ROLES)
    return rng.choice(_COMMENTS) if rng.random() < 0.15 else ""


def generate_rows(
    instrument: Instrument, rows: int, seed: int
) -> Iterator[tuple[list[object], list[list[object]]]]:
    """(main row, repeat rows) per submission, reproducibly."""
    rng = random.Random(seed)
    questions = [
        *instrument.profile_questions,
        *instrument.institutional_questions,
        *instrument.open_questions,
    ]
    profile_count = len(instrument.profile_questions)
    repeat_index = 0
    for index in range(1, rows + 1):
        submission_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        edited = rng.random() < 0.05  # an edited submission: a new _uuid, the first one kept in meta/rootUuid
        root_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4)) if edited else submission_uuid
        submitted = f"2026-03-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:{(index * 7) % 60:02d}"
        answers = [_answer(question, rng) for question in questions]
        ratings: list[object] = []
        for _competency in instrument.competencies:
            importance = rng.choices(("1", "2", "3", "4", "5", ""), weights=(2, 5, 18, 35, 38, 2))[0]
            competence = rng.choices(("1", "2", "3", "4", "5", ""), weights=(10, 25, 35, 20, 8, 2))[0]
            ratings += [importance, competence]
        if rng.random() < 0.0005:
            ratings[rng.randrange(len(ratings))] = "6"  # a few out-of-scale ratings: rejected rows
        main: list[object] = [
            "yes",
            *answers[:profile_count],
            *ratings,
            *answers[profile_count:],
            f"uuid:{root_uuid}",
            1_000_000 + index,
            submission_uuid,
            submitted,
            "",
            "submitted_via_web",
            "",
            "vQ8rS2tU4wX6yZ",
            index,
        ]
        repeats: list[list[object]] = []
        if rng.random() < 0.3:
            for _training in range(rng.randint(1, 3)):
                repeat_index += 1
                repeats.append(
                    [
                        str(rng.randint(2015, 2025)),
                        rng.choice(_TOPICS),
                        rng.choice(_PROVIDERS),
                        repeat_index,
                        MAIN_SHEET,
                        index,
                        1_000_000 + index,
                        submission_uuid,
                        submitted,
                    ]
                )
        yield main, repeats


def write_export(path: Path, *, rows: int = ROWS, seed: int = SEED) -> str:
    """Write the benchmark export to ``path``; returns the writer used."""
    try:
        import xlsxwriter  # optional: installed with python-pptx
    except ImportError:
        return _write_with_openpyxl(path, rows, seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    main = workbook.add_worksheet(MAIN_SHEET[:31])
    # constant_memory writes rows in order, one sheet at a time: the repeat rows wait in memory (they are few).
    instrument = build_benchmark_instrument()
    main.write_row(0, 0, main_header(instrument))
    pending: list[list[object]] = []
    for number, (row, repeats) in enumerate(generate_rows(instrument, rows, seed), start=1):
        main.write_row(number, 0, row)
        pending.extend(repeats)
    repeat_sheet = workbook.add_worksheet(REPEAT_SHEET)
    repeat_sheet.write_row(0, 0, REPEAT_HEADER)
    for number, row in enumerate(pending, start=1):
        repeat_sheet.write_row(number, 0, row)
    workbook.close()
    return f"XlsxWriter {xlsxwriter.__version__} (constant_memory: inline strings)"


def _write_with_openpyxl(path: Path, rows: int, seed: int) -> str:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    main = workbook.create_sheet(MAIN_SHEET[:31])
    instrument = build_benchmark_instrument()
    main.append(main_header(instrument))
    pending: list[list[object]] = []
    for row, repeats in generate_rows(instrument, rows, seed):
        main.append(row)
        pending.extend(repeats)
    repeat_sheet = workbook.create_sheet(REPEAT_SHEET)
    repeat_sheet.append(REPEAT_HEADER)
    for row in pending:
        repeat_sheet.append(row)
    workbook.save(str(path))
    return f"openpyxl {openpyxl.__version__} (write-only mode)"


# --- Measurements (each in its own interpreter) ----------------------------------------------------------


def _pipeline(path: Path) -> dict[str, Any]:
    from ctip.formats.survey_exports import read_survey_export, submissions_from_export

    data = path.read_bytes()
    started = time.perf_counter()
    export = read_survey_export(data, filename=path.name, max_bytes=MAX_BYTES)
    read_seconds = time.perf_counter() - started
    parse = submissions_from_export(export, instrument=build_benchmark_instrument())
    total = time.perf_counter() - started
    return {
        "seconds": total,
        "read_seconds": read_seconds,
        "map_seconds": total - read_seconds,
        "rows": len(export.rows),
        "columns": len(export.columns),
        "repeat_rows": sum(len(rows) for row in export.rows for rows in row.repeats.values()),
        "submissions": len(parse.submissions),
        "rejected_rows": len({issue.row for issue in parse.issues if issue.rejects_row}),
        "issues": len(parse.issues),
    }


def _calamine(path: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    data = path.read_bytes()
    started = time.perf_counter()
    with CalamineWorkbook.from_filelike(__import__("io").BytesIO(data)) as workbook:
        values = workbook.get_sheet_by_index(0).to_python()
    return {"seconds": time.perf_counter() - started, "rows": len(values) - 1}


def _openpyxl(path: Path) -> dict[str, Any]:
    import io

    import openpyxl

    data = path.read_bytes()
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return {"seconds": time.perf_counter() - started, "rows": count - 1}


def _read_table(path: Path) -> dict[str, Any]:
    from ctip.formats.tabular import read_table

    data = path.read_bytes()
    started = time.perf_counter()
    table = read_table(data, filename=path.name, max_bytes=MAX_BYTES)
    return {"seconds": time.perf_counter() - started, "rows": len(table.rows)}


MEASUREMENTS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "pipeline": _pipeline,
    "pipeline_tracemalloc": _pipeline,
    "calamine": _calamine,
    "openpyxl": _openpyxl,
    "read_table": _read_table,
}


def measure_here(what: str, path: Path) -> dict[str, Any]:
    """Run one measurement in this interpreter (call it in a fresh one: see :func:`measure`)."""
    gc.collect()
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if what == "pipeline_tracemalloc":
        tracemalloc.start()
        result = MEASUREMENTS[what](path)
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    else:
        result = MEASUREMENTS[what](path)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["interpreter_mb"] = baseline_mb
    return result


def measure(what: str, path: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its numbers."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.kobo_import", "measure", what, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write the benchmark export")
    generate.add_argument("path", type=Path)
    generate.add_argument("--rows", type=int, default=ROWS)
    run = commands.add_parser("measure", help="measure one thing in this interpreter (prints JSON)")
    run.add_argument("what", choices=sorted(MEASUREMENTS))
    run.add_argument("path", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "generate":
        print(write_export(arguments.path, rows=arguments.rows))
    else:
        print(json.dumps(measure_here(arguments.what, arguments.path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
