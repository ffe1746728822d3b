"""A small adopted plan, typed in by hand, for the plan documents' tests: three organisations, three segments
at Port Louis and Rodrigues, four modules (one not offered), six sessions over three years and the result of
a solve with two unmet needs. Every figure the tests expect is worked out in the comments."""

from __future__ import annotations

from decimal import Decimal

from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import DemandRow, PlanScenario, PlanSegment, PlanSession, TrainingModule
from ctip.web.stakeholders.models import Organisation

PORT_LOUIS, RODRIGUES = "Port Louis", "Rodrigues"


def _module(workspace: Workspace, code: str, position: int, **values: object) -> TrainingModule:
    defaults: dict[str, object] = {
        "workspace": workspace,
        "code": code,
        "title_en": f"Module {code}",
        "pillar": "protection",
        "level": "foundational",
        "competencies": [],
        "duration_days": Decimal("2.0"),
        "delivery_mode": "in_person",
        "participants_min": 6,
        "participants_max": 25,
        "position": position,
    }
    defaults.update(values)
    return TrainingModule.objects.create(**defaults)


def plan_make(workspace: Workspace, *, name: str = "Base plan", adopted: bool = True) -> PlanScenario:
    police = Organisation.objects.create(
        workspace=workspace, key="MPF", name="Police Force", acronym="MPF", type="law_enforcement"
    )
    social = Organisation.objects.create(
        workspace=workspace, key="MSS", name="Social Security", acronym="MSS", type="central_government"
    )
    labour = Organisation.objects.create(
        workspace=workspace, key="LAB", name="Labour Inspectorate", acronym="", type="central_government"
    )
    tot = _module(
        workspace,
        "TT01",
        1,
        title_en="Training of trainers: victim identification",
        title_fr="Formation de formateurs : identification des victimes",
        is_training_of_trainers=True,
        costs={PORT_LOUIS: {"session": 4000, "participant": 150}},
    )
    identify = _module(
        workspace,
        "ID01",
        2,
        title_en="Identifying and referring victims",
        title_fr="Identifier et orienter les victimes",
        competencies=["ID01"],
        costs={
            PORT_LOUIS: {"session": 1000, "participant": 50},
            RODRIGUES: {"session": 2500, "participant": 80},
        },
    )
    investigate = _module(
        workspace,
        "PR01",
        3,
        title_en="Investigating trafficking cases",
        title_fr="Enquêter sur les affaires de traite",
        pillar="prosecution",
        level="specialised",
        competencies=["PR01"],
        duration_days=Decimal("3.0"),
        prerequisites=["ID01"],
        costs={PORT_LOUIS: {"session": 3000, "participant": 100}},
    )
    _module(workspace, "XX09", 4, title_en="Retired module", is_active=False)
    segments = {
        code: PlanSegment.objects.create(
            workspace=workspace,
            code=code,
            organisation=organisation,
            role_group=role,
            location=location,
            is_frontline=True,
            staff_female=women,
            staff_male=men,
        )
        for code, organisation, role, location, women, men in (
            ("S01", police, "Frontline officers", PORT_LOUIS, 40, 60),
            ("S02", social, "Case workers", RODRIGUES, 12, 3),
            ("S03", labour, "Inspectors", PORT_LOUIS, 10, 10),
        )
    }
    # Staff in need: ID01 48 women + 61 men = 109; PR01 5 + 15 = 20; 129 in all.
    for segment, competency, women, men in (
        ("S01", "ID01", 30, 50),
        ("S01", "PR01", 5, 15),
        ("S02", "ID01", 10, 3),
        ("S03", "ID01", 8, 8),
    ):
        DemandRow.objects.create(
            workspace=workspace,
            segment=segments[segment],
            competency=competency,
            staff_female=women,
            staff_male=men,
            need_score=5.0,
        )
    scenario = PlanScenario.objects.create(
        workspace=workspace,
        name=name,
        is_adopted=adopted,
        status="optimal",
        parameters={
            "quarters": 12,
            "budget_per_year": [20000, 15000, 10000],
            "national_share_year2": 0.3,
            "national_share_year3": 0.5,
        },
        result={
            "status": "optimal",
            "sessions": [],
            "objective": 61.5,
            "gap": 0.004,
            "solve_seconds": 1.2,
            "cost_by_year": [11050, 4000, 6000],
            "explanations": [],
            "unmet": [
                {"segment": "S01", "competency": "ID01", "staff": 80, "covered": 50, "reason": "budget"},
                {"segment": "S01", "competency": "PR01", "staff": 20, "covered": 10, "reason": "trainers"},
            ],
            "conflicts": [],
            "notes": [],
        },
    )
    # Year 1: 5500 + 2250 + 3300 = 11050 (all Protection); year 2: 4000 (Prosecution); year 3: 2000
    # (Protection) + 4000 (Prosecution) = 6000. Total 21050 of a budget of 45000. Seats: 38 women, 47 men.
    for module, location, quarter, trainer, seats in (
        (tot, PORT_LOUIS, 1, "international", [("S01", 4, 6)]),  # 4000 + 10 × 150 = 5500
        (identify, PORT_LOUIS, 2, "national", [("S01", 10, 10), ("S03", 3, 2)]),  # 1000 + 25 × 50 = 2250
        (identify, RODRIGUES, 3, "international", [("S02", 8, 2)]),  # 2500 + 10 × 80 = 3300
        (investigate, PORT_LOUIS, 6, "international", [("S01", 3, 7)]),  # 3000 + 10 × 100 = 4000
        (identify, PORT_LOUIS, 9, "national", [("S01", 8, 12)]),  # 1000 + 20 × 50 = 2000
        (investigate, PORT_LOUIS, 11, "national", [("S01", 2, 8)]),  # 3000 + 10 × 100 = 4000
    ):
        PlanSession.objects.create(
            workspace=workspace,
            scenario=scenario,
            module=module,
            location=location,
            quarter=quarter,
            trainer=trainer,
            seats=[{"segment": code, "female": women, "male": men} for code, women, men in seats],
        )
    return scenario
