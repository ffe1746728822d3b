"""Inception API: sampling settings, sampling plan, timeline."""

import pytest

from ctip.web.inception.models import PhaseDates
from tests.web.meetings.factories import organisation_make


def api(workspace, path):
    return f"/api/v1/w/{workspace.slug}/{path}"


@pytest.mark.django_db
def test_sampling_settings_read_and_write(admin_client, workspace):
    current = admin_client.get(api(workspace, "sampling-settings")).json()
    assert current["confidence"] == 0.95 and current["version"] == 1
    saved = admin_client.put(
        api(workspace, "sampling-settings"),
        {**current, "margin": 0.03, "expected_version": 1},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["margin"] == 0.03 and saved.json()["version"] == 2
    stale = admin_client.put(
        api(workspace, "sampling-settings"),
        {**current, "expected_version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = admin_client.put(
        api(workspace, "sampling-settings"), {"confidence": 95}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["problems"][0]["location"] == "confidence"


@pytest.mark.django_db
def test_sampling_plan(admin_client, workspace):
    assert admin_client.get(api(workspace, "sampling-plan")).status_code == 400
    organisation_make(workspace, "police", name="Police", staff_women=300, staff_men=200)
    organisation_make(workspace, "shelter", name="Shelter", staff_total=500)
    plan = admin_client.get(api(workspace, "sampling-plan")).json()
    assert plan["population"] == 1000 and plan["n"] == 278
    shelter = next(s for s in plan["strata"] if s["key"] == "shelter")
    assert shelter["sex_split_known"] is False and shelter["allocated_women"] is None
    assert shelter["allocated_total"] == 139
    assert "sex_split_unknown" in [note["code"] for note in plan["notes"]]


@pytest.mark.django_db
def test_timeline_read_and_replace(admin_client, workspace):
    empty = admin_client.get(api(workspace, "timeline")).json()
    assert empty["phases"] == [] and len(empty["suggestion"]) == 6
    payload = {
        "phases": [
            {"phase": "inception", "start": "2025-01-06", "end": "2025-03-31"},
            {"phase": "monitoring", "label": "Monitoring", "start": "2029-01-01", "end": "2029-12-31"},
        ]
    }
    saved = admin_client.put(api(workspace, "timeline"), payload, content_type="application/json")
    assert saved.status_code == 200
    body = saved.json()
    assert [p["label"] for p in body["phases"]] == ["Inception", "Monitoring"]
    assert body["suggestion"] == [] and len(body["warnings"]) == 1
    bad = admin_client.put(
        api(workspace, "timeline"),
        {"phases": [{"phase": "plan", "start": "2025-05-01", "end": "2025-04-01"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["problems"][0]["location"] == "phases[0].end"
    assert PhaseDates.objects.count() == 2


@pytest.mark.django_db
def test_viewers_read_but_cannot_write(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(api(workspace, "timeline")).status_code == 200
    assert client.get(api(workspace, "sampling-settings")).status_code == 200
    assert (
        client.put(api(workspace, "timeline"), {"phases": []}, content_type="application/json").status_code
        == 403
    )
