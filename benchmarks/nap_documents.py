"""Benchmark: the documents of a large National Action Plan — 300 activities and 1,000 cost lines over
4 pillars, with an indicator on every outcome and output — written as DOCX, PPTX and XLSX.

The plan is generated with a fixed seed as core dataclasses (no database): what is timed is the writing,
from :class:`ctip.web.nap.report_sections.NapDocData` to bytes, which is where the time goes (reading the
plan is a constant number of queries). The goal is the three files together in ≤ 3 s.

    python -m benchmarks.nap_documents
"""

from __future__ import annotations

import json
import os
import random
import time
from decimal import Decimal
from typing import Any

SEED = 20260801
ACTIVITIES = 300
COST_LINES = 1000
GOAL_SECONDS = 3.0


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.web.config.settings.test")
    import django

    django.setup()


def large_nap(activity_count: int = ACTIVITIES, line_count: int = COST_LINES) -> Any:
    from ctip.core.nap.model import (
        Activity,
        CostLine,
        FundingSource,
        GenderMarker,
        IndicatorLevel,
        IndicatorRef,
        IndicatorTarget,
        Nap,
        Outcome,
        Output,
        Pillar,
        StrategicObjective,
        StrategicPriority,
    )

    rng = random.Random(SEED)
    lines_left = line_count
    pillars = []
    activity_number = 0
    for p in range(1, 5):
        objectives = []
        for o in range(1, 3):
            outcomes = []
            for c in range(1, 4):
                outputs = []
                for u in range(1, 4):
                    activities = []
                    for _ in range(
                        activity_count // (4 * 2 * 3 * 3) + (1 if activity_number % 3 == 0 else 0)
                    ):
                        if activity_number >= activity_count:
                            break
                        activity_number += 1
                        count = min(lines_left, 3 if activity_number % 3 else 4)
                        lines_left -= count
                        lines = tuple(
                            CostLine(
                                code=f"C{k}",
                                description=f"Cost line {k} of activity {activity_number}",
                                unit="participant-day",
                                unit_cost=Decimal(rng.randint(500, 50000)) / 100,
                                quantity=Decimal(rng.randint(1, 60)),
                                frequency=Decimal(rng.randint(1, 4)),
                                year=2025 + rng.randint(0, 4),
                                funding_source=rng.choice(list(FundingSource)),
                                gender_marker=GenderMarker(rng.randint(0, 2)),
                                marker_justification="Targets women survivors",
                            )
                            for k in range(1, count + 1)
                        )
                        activities.append(
                            Activity(
                                f"A{activity_number}",
                                f"Activity {activity_number}: train and equip front-line staff",
                                lead_agency=f"Ministry {rng.randint(1, 15)}",
                                supporting_agencies=("Police", "NGO network"),
                                timeline=((2025 + rng.randint(0, 4), rng.randint(1, 4)),),
                                cost_lines=lines,
                            )
                        )
                    indicator = IndicatorRef(
                        f"I{p}.{o}.{c}.{u}",
                        IndicatorLevel.OUTPUT,
                        "Number of staff trained",
                        baseline=0,
                        baseline_year=2024,
                        targets=(IndicatorTarget(2029, 100),),
                        source="Training records",
                        responsible_agency="Ministry 1",
                    )
                    outputs.append(Output(f"OP{p}.{o}.{c}.{u}", "Output", (indicator,), tuple(activities)))
                outcomes.append(Outcome(f"OC{p}.{o}.{c}", "Outcome", (), tuple(outputs)))
            objectives.append(
                StrategicObjective(
                    f"SO{p}.{o}", "Objective", (StrategicPriority(f"SP{p}.{o}", "Priority", tuple(outcomes)),)
                )
            )
        pillars.append(Pillar(f"P{p}", f"Pillar {p}", tuple(objectives)))
    return Nap("Large NAP", 2025, 2029, "A vision", "A goal", ("Victim-centred",), tuple(pillars))


def measure(activities: int = ACTIVITIES, cost_lines: int = COST_LINES) -> dict[str, float]:
    """Seconds to write each document of the plan, and the total."""
    _setup()
    from django.utils import translation

    from ctip.core.nap.budget import budget, costed_lines
    from ctip.formats.documents.docx_writer import write_docx
    from ctip.formats.documents.pptx_writer import write_pptx
    from ctip.formats.nap_workbook import write_nap_workbook
    from ctip.web.nap.report import nap_report
    from ctip.web.nap.report_deck import nap_deck
    from ctip.web.nap.report_sections import NapDocData

    nap = large_nap(activities, cost_lines)
    assert len(costed_lines(nap)) <= cost_lines
    timings: dict[str, float] = {}
    with translation.override("en"):
        start = time.perf_counter()
        data = NapDocData(
            title=nap.title,
            organisation="Benchmark",
            country="Mauritius",
            status="Draft",
            currency="USD",
            language="en",
            nap=nap,
            budget=budget(nap),
        )
        report = nap_report(data)
        docx = write_docx(report)
        timings["docx"] = time.perf_counter() - start
        start = time.perf_counter()
        pptx = write_pptx(nap_deck(data))
        timings["pptx"] = time.perf_counter() - start
    start = time.perf_counter()
    xlsx = write_nap_workbook(nap, language="en")
    timings["xlsx"] = time.perf_counter() - start
    timings["total"] = timings["docx"] + timings["pptx"] + timings["xlsx"]
    timings["goal"] = GOAL_SECONDS
    timings["bytes"] = float(len(docx) + len(pptx) + len(xlsx))
    return timings


def run() -> dict[str, Any]:
    """The large plan, and a plan a tenth of its size as the baseline of the same run (how the time grows
    with the plan)."""
    measure(ACTIVITIES // 10, COST_LINES // 10)  # warm up: imports, templates, fonts
    return {"large": measure(), "baseline": measure(ACTIVITIES // 10, COST_LINES // 10)}


HEADING = "## National Action Plan documents"


def render(result: dict[str, Any]) -> list[str]:
    large, small = result["large"], result["baseline"]
    verdict = "met" if large["total"] <= GOAL_SECONDS else "**not met**"
    lines = [
        HEADING,
        "",
        f"A generated NAP with {ACTIVITIES} activities and {COST_LINES:,} cost lines (4 pillars, an indicator on "
        "every outcome and output) written as the plan (DOCX), the summary deck (PPTX) and the budget workbook "
        "with live formulas (XLSX), from the plan's data (reading it from the database is a constant number of "
        f"queries). Baseline: the same generator at a tenth of the size, in the same run. Goal: ≤ {GOAL_SECONDS:.0f} s "
        "for the three files together.",
        "",
        "| Plan | DOCX | PPTX | XLSX | Together | Goal |",
        "|---|---|---|---|---|---|",
        f"| {ACTIVITIES} activities, {COST_LINES:,} cost lines | {large['docx']:.2f} s | {large['pptx']:.2f} s | "
        f"{large['xlsx']:.2f} s | {large['total']:.2f} s | {verdict} |",
        f"| Baseline: {ACTIVITIES // 10} activities, {COST_LINES // 10} cost lines | {small['docx']:.2f} s | "
        f"{small['pptx']:.2f} s | {small['xlsx']:.2f} s | {small['total']:.2f} s | |",
        "",
        f"Ten times the plan takes {large['total'] / small['total']:.1f}× the time.",
        "",
    ]
    return lines


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
