"""Real objects of the target workspace for the planning routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from ctip.web.planning import services
from ctip.web.planning.models import DemandRow, PlanScenario, PlanSegment, PlanSession, TrainingModule
from tests.web.stakeholders.factories import organisation_make


def isolation_parameters(workspace) -> dict[str, str]:
    # The segment and its row are stored directly: deriving them needs a survey import, and the TNA's own
    # isolation parameters expect the workspace's only import batch to be theirs.
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    module = TrainingModule.objects.filter(workspace=workspace).order_by("code").first()
    organisation = organisation_make(
        workspace, "PLAN-ISO", name="Planning isolation unit", location="Port Louis"
    )
    segment = PlanSegment.objects.create(
        workspace=workspace,
        code="S01",
        organisation=organisation,
        role_group="frontline",
        location="Port Louis",
        is_frontline=True,
        staff_female=4,
        staff_male=6,
    )
    row = DemandRow.objects.create(
        workspace=workspace, segment=segment, competency="FD01", staff_female=2, staff_male=3
    )
    scenario = PlanScenario.objects.create(workspace=workspace, name="Isolation scenario")
    session = PlanSession.objects.create(
        workspace=workspace,
        scenario=scenario,
        module=module,
        location="Port Louis",
        quarter=1,
        trainer="national",
        seats=[{"segment": "S01", "female": 2, "male": 3}],
    )
    return {
        "scenario": str(scenario.uuid),
        "session": str(session.uuid),
        "module": str(module.uuid),
        "code": module.code,
        "segment": str(segment.uuid),
        "row": str(row.uuid),
    }
