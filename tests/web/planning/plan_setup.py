"""A small plan set up directly in the database for the scenario tests: one frontline organisation with a
group of staff at Mauritius and one at Rodrigues, a foundational and a specialised module (the second
needs the first), and the demand of each group for both competencies. Small enough to check by hand."""

from __future__ import annotations

from decimal import Decimal

from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import DemandRow, PlanSegment, TrainingModule
from ctip.web.stakeholders.models import Organisation

MAURITIUS, RODRIGUES = "Mauritius", "Rodrigues"


def plan_inputs_make(workspace: Workspace) -> dict[str, object]:
    police = Organisation.objects.create(
        workspace=workspace,
        key="police",
        name="Police Force (fictional figures)",
        acronym="MPF",
        type="law_enforcement",
    )
    costs = {
        MAURITIUS: {"session": 800.0, "participant": 20.0},
        RODRIGUES: {"session": 1500.0, "participant": 60.0},
    }
    foundational = TrainingModule.objects.create(
        workspace=workspace,
        code="F1",
        title_en="Trafficking in persons: the basics",
        title_fr="La traite des personnes : les bases",
        pillar="protection",
        level="foundational",
        competencies=["FD01"],
        duration_days=Decimal("1.0"),
        delivery_mode="in_person",
        participants_min=5,
        participants_max=20,
        costs=costs,
        position=1,
    )
    specialised = TrainingModule.objects.create(
        workspace=workspace,
        code="S1",
        title_en="Screening presumed victims",
        title_fr="Filtrage des victimes présumées",
        pillar="protection",
        level="specialised",
        competencies=["ID01"],
        duration_days=Decimal("2.0"),
        delivery_mode="in_person",
        participants_min=5,
        participants_max=20,
        costs=costs,
        prerequisites=["F1"],
        position=2,
    )
    main = PlanSegment.objects.create(
        workspace=workspace,
        code="S01",
        organisation=police,
        role_group="Frontline officers",
        location=MAURITIUS,
        is_frontline=True,
        staff_female=12,
        staff_male=18,
    )
    remote = PlanSegment.objects.create(
        workspace=workspace,
        code="S02",
        organisation=police,
        role_group="Frontline officers",
        location=RODRIGUES,
        is_frontline=True,
        staff_female=4,
        staff_male=6,
    )
    for segment in (main, remote):
        DemandRow.objects.create(
            workspace=workspace,
            segment=segment,
            competency="FD01",
            staff_female=segment.staff_female,
            staff_male=segment.staff_male,
            need_score=6.0,
            weight=6.0,
        )
        DemandRow.objects.create(
            workspace=workspace,
            segment=segment,
            competency="ID01",
            staff_female=segment.staff_female // 2,
            staff_male=segment.staff_male // 2,
            need_score=8.0,
            weight=8.0,
        )
    return {"foundational": foundational, "specialised": specialised, "main": main, "remote": remote}
