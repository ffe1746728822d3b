"""Small, hand-built NAPs shared by the tests: a clean plan that raises no flag, and helpers to vary it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ctip.core.nap import (
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

D = Decimal


def indicator(code: str, level: IndicatorLevel = IndicatorLevel.OUTPUT, **changes: object) -> IndicatorRef:
    base = IndicatorRef(
        code=code,
        level=level,
        name="Number of frontline officers trained on victim identification",
        unit="number",
        baseline=0,
        baseline_year=2024,
        targets=(
            IndicatorTarget(2026, 200),
            IndicatorTarget(2026, 100, "female"),
            IndicatorTarget(2029, 400),
        ),
        source="Training attendance records",
        responsible_agency="RIB",
        frequency="yearly",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def line(code: str = "C1", **changes: object) -> CostLine:
    base = CostLine(
        code=code,
        description="Training workshop",
        unit="participant-day",
        unit_cost=D("50.00"),
        quantity=D("20"),
        frequency=D("2"),
        year=2026,
        currency="USD",
        funding_source=FundingSource.GOVERNMENT,
        gender_marker=GenderMarker.SIGNIFICANT,
        marker_justification="Half the places reserved for women officers",
        beneficiaries_women=10,
        beneficiaries_men=10,
        beneficiaries_girls=0,
        beneficiaries_boys=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def activity(code: str, **changes: object) -> Activity:
    base = Activity(
        code=code,
        description="Train frontline officers on victim identification",
        lead_agency="RIB",
        supporting_agencies=("IOM",),
        timeline=((2026, 1), (2026, 2)),
        location="Kigali",
        target_groups=("police officers",),
        cost_lines=(line(),),
        gender_marker=GenderMarker.SIGNIFICANT,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def pillar(code: str, name: str, activities: tuple[Activity, ...]) -> Pillar:
    n = code[1:]
    return Pillar(
        code,
        name,
        (
            StrategicObjective(
                f"SO{n}.1",
                "Objective",
                (
                    StrategicPriority(
                        f"SP{n}.1.1",
                        "Priority",
                        (
                            Outcome(
                                f"OC{n}.1",
                                "Outcome",
                                (indicator(f"I{n}.0", IndicatorLevel.OUTCOME),),
                                (Output(f"OP{n}.1", "Output", (indicator(f"I{n}.1"),), activities),),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def clean_nap() -> Nap:
    """Four pillars, one activity each, all funded, every field filled in: no flag at all."""
    return Nap(
        title="National Action Plan against Trafficking in Persons",
        period_start=2025,
        period_end=2029,
        vision="A country free of trafficking",
        goal="Prevent trafficking, protect victims, prosecute traffickers",
        principles=("Victim-centred", "Human-rights-based"),
        pillars=(
            pillar("P1", "Prevention", (activity("A1.1"),)),
            pillar("P2", "Protection", (activity("A2.1", depends_on=("A1.1",)),)),
            pillar("P3", "Prosecution", (activity("A3.1", timeline=((2027, 1),)),)),
            pillar("P4", "Partnership", (activity("A4.1", lead_agency="MINIJUST"),)),
        ),
    )


def with_activities(*activities: Activity, start: int = 2025, end: int = 2029) -> Nap:
    """A one-pillar plan holding ``activities`` under a single output."""
    return Nap("Plan", start, end, pillars=(pillar("P1", "Prevention", activities),))
