"""The solver's instance from the workspace: offered modules with their costs by location, segments, and
the demand rows worth planning for; a clear refusal when an input is missing."""

from __future__ import annotations

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning.model import Parameters
from ctip.core.planning.validation import check_instance
from ctip.web.planning import services
from ctip.web.planning.models import DemandRow, TrainingModule
from tests.web.planning.factories import planning_survey_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def inputs(workspace):
    planning_survey_make(workspace)
    services.demand_derive(workspace=workspace, acting_user=None)


def test_the_instance_holds_the_offered_modules_segments_and_demand(workspace, inputs):
    parameters = Parameters(quarters=8)
    services.module_deactivate(
        workspace=workspace,
        module=TrainingModule.objects.get(workspace=workspace, code="MEDIA"),
        acting_user=None,
    )
    row = DemandRow.objects.filter(workspace=workspace, competency="FD03").order_by("segment__code").first()
    services.demand_row_update(workspace=workspace, row=row, acting_user=None, weight=0)

    instance = services.build_instance(workspace, parameters, name="Test plan")

    check_instance(instance)
    assert instance.name == "Test plan" and instance.parameters == parameters
    codes = {module.code for module in instance.modules}
    assert "MEDIA" not in codes and "SCR" in codes and len(codes) == 25
    scr = next(module for module in instance.modules if module.code == "SCR")
    assert set(scr.cost_per_session) == {"Curepipe", "Port Louis", "Rodrigues"}
    assert scr.cost_per_session["Rodrigues"] > scr.cost_per_session["Port Louis"]
    assert [segment.code for segment in instance.segments] == ["S01", "S02", "S03", "S04"]
    assert instance.locations == ("Curepipe", "Port Louis", "Rodrigues")
    assert len(instance.demands) == 7  # 8 rows, one with weight 0
    assert (row.segment.code, "FD03") not in {
        (demand.segment, demand.competency) for demand in instance.demands
    }


def test_without_catalogue_or_demand_the_instance_is_refused_with_what_is_missing(workspace):
    with pytest.raises(DomainError) as caught:
        services.build_instance(workspace, Parameters())

    assert {problem.location for problem in caught.value.problems} == {"catalogue", "demand"}
    assert "derive" in caught.value.problems[-1].message
