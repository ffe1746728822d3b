"""The catalogue and demand API: list, get and patch modules; list demand rows and patch one; refusals as
JSON with the field; viewers read only."""

from __future__ import annotations

import json

import pytest

from ctip.web.planning import services
from ctip.web.planning.models import DemandRow, TrainingModule
from tests.web.planning.factories import planning_survey_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def derived(workspace):
    planning_survey_make(workspace)
    services.demand_derive(workspace=workspace, acting_user=None)


def _patch(client, url, payload):
    return client.patch(url, json.dumps(payload), content_type="application/json")


def test_modules_are_listed_got_and_patched(admin_client, workspace, derived):
    base = f"/api/v1/w/{workspace.slug}/plan/modules"

    listed = admin_client.get(base)
    assert listed.status_code == 200 and len(listed.json()) == 26
    got = admin_client.get(f"{base}/scr").json()
    assert got["code"] == "SCR" and {cost["location"] for cost in got["costs"]} == {
        "Curepipe",
        "Port Louis",
        "Rodrigues",
    }

    patched = _patch(
        admin_client,
        f"{base}/SCR",
        {
            "participants_max": 18,
            "costs": {"Port Louis": {"session": 10, "participant": 2}},
            "expected_version": got["version"],
        },
    )

    assert patched.status_code == 200
    assert patched.json()["participants_max"] == 18
    assert patched.json()["costs"] == [
        {"location": "Port Louis", "session": 10.0, "participant": 2.0, "remote": False}
    ]


def test_refusals_come_back_as_json_with_the_field(admin_client, workspace, derived):
    base = f"/api/v1/w/{workspace.slug}/plan/modules"
    before = TrainingModule.objects.get(workspace=workspace, code="SCR").version

    too_many = _patch(admin_client, f"{base}/SCR", {"participants_min": 40})
    needed = _patch(admin_client, f"{base}/INT_TI", {"is_active": False})

    assert too_many.status_code == 400
    assert too_many.json()["problems"][0]["location"] == "participants_max"
    assert needed.status_code == 409 and "INT_CH" in needed.json()["message"]
    assert TrainingModule.objects.get(workspace=workspace, code="SCR").version == before
    assert TrainingModule.objects.get(workspace=workspace, code="INT_TI").is_active


def test_demand_rows_are_listed_and_patched(admin_client, workspace, derived):
    rows = admin_client.get(f"/api/v1/w/{workspace.slug}/plan/demand").json()
    assert len(rows) == DemandRow.objects.filter(workspace=workspace).count() == 8
    first = rows[0]
    url = f"/api/v1/w/{workspace.slug}/plan/demand/{first['id']}"

    saved = _patch(admin_client, url, {"staff_female": 1, "weight": 3})
    refused = _patch(admin_client, url, {"staff_female": first["segment_staff_female"] + 1})

    assert saved.status_code == 200 and saved.json()["edited"] and saved.json()["staff_female"] == 1
    assert refused.status_code == 400 and refused.json()["problems"][0]["location"] == "staff_female"
    assert DemandRow.objects.get(uuid=first["id"]).staff_female == 1


def test_a_viewer_reads_but_cannot_patch(client, workspace, derived, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(f"/api/v1/w/{workspace.slug}/plan/modules").status_code == 200
    assert (
        _patch(client, f"/api/v1/w/{workspace.slug}/plan/modules/SCR", {"participants_max": 19}).status_code
        == 403
    )
