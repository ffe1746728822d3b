"""The workspace's module catalogue: copied with costs by location, edited, withdrawn, reset; every change
audited and every refusal leaving the catalogue as it was."""

from __future__ import annotations

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning.catalogue import default_catalogue, default_module
from ctip.web.accounts.models import AuditEntry
from ctip.web.planning import services
from ctip.web.planning.models import TrainingModule
from tests.web.planning.factories import planning_registry_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(workspace):
    planning_registry_make(workspace)
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    return {row.code: row for row in TrainingModule.objects.filter(workspace=workspace)}


def _snapshot(workspace):
    return list(
        TrainingModule.objects.filter(workspace=workspace)
        .order_by("code")
        .values_list("code", "title_en", "costs", "prerequisites", "is_active", "version")
    )


def test_the_default_catalogue_is_copied_once_with_base_and_remote_costs(workspace, catalogue):
    assert len(catalogue) == len(default_catalogue())
    scr = catalogue["SCR"]
    default = default_module("SCR")
    assert scr.costs["Port Louis"] == {
        "session": default.cost_base.session,
        "participant": default.cost_base.participant,
    }
    assert scr.costs["Rodrigues"] == {
        "session": default.cost_remote.session,
        "participant": default.cost_remote.participant,
        "remote": True,
    }
    assert set(scr.costs) == {"Curepipe", "Port Louis", "Rodrigues"}
    assert AuditEntry.objects.filter(workspace=workspace, action="trainingmodule.create").count() == len(
        catalogue
    )

    services.catalogue_ensure(workspace=workspace, acting_user=None)

    assert TrainingModule.objects.filter(workspace=workspace).count() == len(catalogue)


def test_a_cost_factor_converts_the_default_figures(workspace):
    planning_registry_make(workspace)

    services.catalogue_ensure(workspace=workspace, acting_user=None, cost_factor=45.5)

    row = TrainingModule.objects.get(workspace=workspace, code="SCR")
    default = default_module("SCR")
    assert row.costs["Port Louis"]["session"] == round(default.cost_base.session * 45.5, 2)
    assert row.costs["Rodrigues"]["participant"] == round(default.cost_remote.participant * 45.5, 2)


def test_editing_a_module_is_audited_field_by_field(workspace, catalogue, admin_user):
    scr = catalogue["SCR"]

    services.module_update(
        workspace=workspace,
        module=scr,
        acting_user=admin_user,
        duration_days=2.5,
        participants_max=18,
        costs={"Port Louis": {"session": 2000, "participant": 40}},
    )

    scr.refresh_from_db()
    assert float(scr.duration_days) == 2.5 and scr.participants_max == 18
    assert scr.costs == {"Port Louis": {"session": 2000.0, "participant": 40.0}}
    entry = AuditEntry.objects.filter(action="trainingmodule.update").latest("at")
    assert entry.actor == admin_user
    assert set(entry.changes) == {"duration_days", "participants_max", "costs"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"prerequisites": ["INT_CH"]}, "prerequisites"),  # INT_CH requires INT_TI: a cycle
        ({"prerequisites": ["NOPE"]}, "prerequisites"),
        ({"competencies": ["ZZ99"]}, "competencies"),
        ({"competencies": []}, "competencies"),
        ({"participants_min": 30, "participants_max": 10}, "participants_max"),
        ({"costs": {"Port Louis": {"session": -5, "participant": 1}}}, "costs[Port Louis]"),
        ({"costs": {"Port Louis": {"session": "a lot", "participant": 1}}}, "costs[Port Louis]"),
        ({"cascade_of": "SCR"}, "cascade_of"),
        ({"duration_days": 0}, "duration_days"),
        ({"pillar": "people"}, "pillar"),
    ],
)
def test_an_invalid_change_is_refused_with_its_field_and_changes_nothing(
    workspace, catalogue, changes, field
):
    before = _snapshot(workspace)
    target = catalogue["INT_TI"]

    with pytest.raises(DomainError) as caught:
        services.module_update(workspace=workspace, module=target, acting_user=None, **changes)

    assert field in {problem.location for problem in caught.value.problems}
    assert _snapshot(workspace) == before


def test_the_code_cannot_change(workspace, catalogue):
    with pytest.raises(DomainError):
        services.module_update(workspace=workspace, module=catalogue["SCR"], acting_user=None, code="NEW")


def test_a_new_module_needs_a_free_code(workspace, catalogue):
    values = {
        "title_en": "Interviewing boys",
        "pillar": "protection",
        "level": "specialised",
        "competencies": ["IV02"],
        "duration_days": 1,
        "delivery_mode": "in_person",
        "participants_min": 8,
        "participants_max": 12,
        "prerequisites": ["INT_TI"],
        "costs": {"Port Louis": {"session": 900, "participant": 20}},
    }

    created = services.module_create(workspace=workspace, code="int_boys", acting_user=None, **values)

    assert created.code == "INT_BOYS" and created.is_active
    with pytest.raises(DomainError) as caught:
        services.module_create(workspace=workspace, code="SCR", acting_user=None, **values)
    assert "code" in {problem.location for problem in caught.value.problems}


def test_a_module_others_require_cannot_be_withdrawn_until_they_are(workspace, catalogue):
    with pytest.raises(DomainError) as caught:
        services.module_deactivate(workspace=workspace, module=catalogue["INT_TI"], acting_user=None)
    assert "INT_CH" in caught.value.message
    assert TrainingModule.objects.get(pk=catalogue["INT_TI"].pk).is_active

    services.module_deactivate(workspace=workspace, module=catalogue["INT_CH"], acting_user=None)
    services.module_deactivate(workspace=workspace, module=catalogue["INT_TI"], acting_user=None)

    with pytest.raises(DomainError):
        services.module_activate(workspace=workspace, module=catalogue["INT_CH"], acting_user=None)
    services.module_activate(workspace=workspace, module=catalogue["INT_TI"], acting_user=None)
    services.module_activate(workspace=workspace, module=catalogue["INT_CH"], acting_user=None)
    assert TrainingModule.objects.filter(workspace=workspace, is_active=False).count() == 0


def test_reset_puts_a_module_back_as_it_ships_where_it_is_offered(workspace, catalogue):
    scr = catalogue["SCR"]
    services.module_update(
        workspace=workspace,
        module=scr,
        acting_user=None,
        title_en="Screening (local version)",
        costs={"Port Louis": {"session": 1, "participant": 1}, "Rodrigues": {"session": 2, "participant": 2}},
    )

    services.module_reset(workspace=workspace, module=scr, acting_user=None)

    scr.refresh_from_db()
    default = default_module("SCR")
    assert scr.title_en == default.title.en
    assert scr.costs == {
        "Port Louis": {"session": default.cost_base.session, "participant": default.cost_base.participant},
        "Rodrigues": {
            "session": default.cost_remote.session,
            "participant": default.cost_remote.participant,
            "remote": True,
        },
    }


def test_a_module_of_ones_own_has_no_default_to_reset_to(workspace, catalogue):
    own = services.module_create(
        workspace=workspace,
        code="OWN",
        title_en="Our own module",
        pillar="prevention",
        level="foundational",
        competencies=["FD05"],
        duration_days=1,
        delivery_mode="online",
        participants_min=5,
        participants_max=50,
        acting_user=None,
    )
    with pytest.raises(DomainError):
        services.module_reset(workspace=workspace, module=own, acting_user=None)


def test_a_new_location_is_offered_everywhere_once_and_can_be_marked_remote(workspace, catalogue):
    services.module_update(
        workspace=workspace,
        module=catalogue["SCR"],
        acting_user=None,
        costs={"Port Louis": {"session": 5, "participant": 5}},
    )

    added = services.catalogue_locations_add(
        workspace=workspace,
        locations=["Mahébourg", "Curepipe", "Agaléga"],
        remote=["Mahébourg"],
        acting_user=None,
    )

    assert added == ["Mahébourg", "Agaléga"]
    scr = TrainingModule.objects.get(workspace=workspace, code="SCR")
    # Curepipe was already in the catalogue: SCR, taken out of it, stays out.
    assert "Curepipe" not in scr.costs
    assert scr.costs["Mahébourg"]["remote"] is True
    assert scr.costs["Agaléga"]["session"] == default_module("SCR").cost_remote.session
    assert services.catalogue_locations(workspace)["Mahébourg"] is True


def test_scaling_the_costs_multiplies_every_figure(workspace, catalogue):
    before = TrainingModule.objects.get(workspace=workspace, code="TOT").costs

    services.catalogue_costs_scale(workspace=workspace, factor=10, acting_user=None)

    after = TrainingModule.objects.get(workspace=workspace, code="TOT").costs
    assert after["Rodrigues"]["session"] == before["Rodrigues"]["session"] * 10
    assert after["Rodrigues"]["remote"] is True
    with pytest.raises(DomainError):
        services.catalogue_costs_scale(workspace=workspace, factor=0, acting_user=None)


def test_a_viewer_cannot_change_the_catalogue(workspace, catalogue, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.module_update(
            workspace=workspace, module=catalogue["SCR"], acting_user=viewer, duration_days=1
        )
    assert caught.value.code == "permission_denied"


def test_a_failing_audit_write_leaves_the_module_unchanged(workspace, catalogue, monkeypatch):
    import ctip.web.accounts.records as records

    def broken(**_kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(records, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.module_update(
            workspace=workspace, module=catalogue["SCR"], acting_user=None, participants_max=19
        )
    assert (
        TrainingModule.objects.get(pk=catalogue["SCR"].pk).participants_max
        == catalogue["SCR"].participants_max
    )
